"""Synthetic landscapes for tests and benchmarks: realistic, valid by construction, reproducible.

:func:`generate` builds a :class:`~claimgraph.landscape.Landscape` of ``entities`` entities and
``claims`` claims from a seed. The same seed gives the same landscape, byte for byte when
written. What it contains, on purpose:

- every entity kind, with heavy-tailed (Zipf-like) degrees: a few hubs, a long tail;
- every predicate of the vocabulary (once there are at least as many claims as predicates), with
  subject and object kinds, value types and qualifiers as the vocabulary allows, and every
  required qualifier;
- every status, several sources per claim (from one to four), contradicting evidence on some;
- conflicting claims: the same subject, predicate and object with another stake, amount or value
  (the audit's ``numeric-conflict`` finds them), a third of them naming the claim they
  contradict (``contradicts``);
- partial dates (``2024``, ``2024-03``), validity periods, aliases in Latin, Katakana, Hangul
  and Cyrillic, entity attributes and exchange rates.

Records are built with ``model_construct`` (no per-record validation: a million claims take
seconds, not minutes); :func:`write` output reloads through the full validation.

>>> from claimgraph.synth import generate
>>> land = generate(entities=60, claims=200, seed=1)
>>> len(land.claims), len(land.entities)
(200, 60)
>>> generate(60, 200, seed=1).claims["c000007"].to_data() == land.claims["c000007"].to_data()
True
"""

from __future__ import annotations

import bisect
import random
from itertools import accumulate
from typing import Any

from .dataset import Dataset
from .errors import ClaimgraphError
from .gcutil import gc_paused
from .model import (
    STATUS_ORDER,
    Claim,
    Effect,
    Entity,
    Evidence,
    HistoryEntry,
    PartialDate,
    Quantity,
    Rate,
    Source,
    Status,
    Tense,
    Tier,
)
from .vocabulary import Predicate, Vocabulary, default_vocabulary

__all__ = ["generate", "generate_dataset", "with_time", "MIN_ENTITIES"]

# -- names ----------------------------------------------------------------------------------------
# syllables with their Katakana, Hangul and Cyrillic spellings: a word made of syllables has an
# alias in each script, and distinct words have distinct aliases.
_SYL = [
    ("ka", "カ", "카", "ка"), ("ri", "リ", "리", "ри"), ("mo", "モ", "모", "мо"), ("ta", "タ", "타", "та"),
    ("ne", "ネ", "네", "не"), ("so", "ソ", "소", "со"), ("lu", "ル", "루", "лу"), ("vi", "ヴィ", "비", "ви"),
    ("da", "ダ", "다", "да"), ("ko", "コ", "코", "ко"), ("mi", "ミ", "미", "ми"), ("ra", "ラ", "라", "ра"),
    ("no", "ノ", "노", "но"), ("te", "テ", "테", "те"), ("zu", "ズ", "즈", "зу"), ("ha", "ハ", "하", "ха"),
    ("shi", "シ", "시", "ши"), ("ga", "ガ", "가", "га"), ("be", "ベ", "베", "бе"), ("yo", "ヨ", "요", "йо"),
    ("na", "ナ", "나", "на"), ("po", "ポ", "포", "по"), ("ki", "キ", "키", "ки"), ("su", "ス", "스", "су"),
    ("re", "レ", "레", "ре"), ("to", "ト", "토", "то"), ("fu", "フ", "후", "фу"), ("ma", "マ", "마", "ма"),
    ("ji", "ジ", "지", "дзи"), ("wa", "ワ", "와", "ва"), ("de", "デ", "데", "де"), ("hi", "ヒ", "히", "хи"),
]
_FIRST = ["Ada", "Ben", "Chen", "Dara", "Elif", "Femi", "Goro", "Hana", "Ivan", "Jae", "Kira",
          "Lars", "Mei", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tomo", "Uma", "Vik"]
_PUBLISHERS = {
    Tier.PRIMARY: ["Company filing", "Investor relations", "Regulator notice", "Earnings call"],
    Tier.WIRE: ["Reuters", "Bloomberg", "Associated Press", "Yonhap"],
    Tier.PRESS: ["Financial Times", "Nikkei Asia", "The Information", "EE Times", "DigiTimes", "Caixin"],
    Tier.MIRROR: ["Yahoo Finance mirror", "MSN syndication", "Investing.com"],
    Tier.AGGREGATOR: ["TechAggregator", "ChipNews Digest", "MarketPulse"],
    Tier.SELF_MEDIA: ["X post", "YouTube explainer", "Substack newsletter", "Reddit thread"],
}
_TIER_WEIGHTS = {Tier.PRIMARY: 12, Tier.WIRE: 14, Tier.PRESS: 34, Tier.MIRROR: 10,
                 Tier.AGGREGATOR: 15, Tier.SELF_MEDIA: 15}
_KIND_WEIGHTS = {"Company": 34, "Person": 12, "Chip": 15, "Product": 9, "Program": 5,
                 "Facility": 5, "ProcessNode": 3, "Platform": 6, "Market": 4, "Fund": 3,
                 "Agency": 2, "Document": 2}
_KIND_SUFFIX = {
    "Company": ["", " Systems", " Labs", " Semiconductor", " AI", " Robotics", " Inc."],
    "Chip": [" X1", " H200", " M3", " Edge", " Ultra", " v2"],
    "Product": [" Robotaxi", " Cloud", " Drive", " Phone", " Bot"],
    "Program": [" Initiative", " Project", " Programme"],
    "Facility": [" Fab", " Data Center", " Supercomputer", " Campus"],
    "ProcessNode": [" 3nm", " 2nm", " 5nm", " 7nm"],
    "Platform": [" Stack", " Platform", " SDK"],
    "Market": [" inference market", " training market", " edge AI", " autonomous driving"],
    "Fund": [" Capital", " Ventures", " Fund"],
    "Agency": [" Ministry", " Commission", " Authority"],
    "Document": [" Roadmap", " 10-K", " White Paper"],
}
_STATUS_WEIGHTS = {Status.CONFIRMED: 18, Status.REPORTED: 30, Status.CLAIMED: 25, Status.STALE: 8,
                   Status.DISPUTED: 9, Status.UNSUPPORTED: 5, Status.REFUTED: 5}
_PRED_WEIGHTS = {"COMPETES_WITH": 12, "PARTNERS_WITH": 8, "INVESTS_IN": 9, "SUPPLIES": 8,
                 "DEVELOPS": 8, "USES": 6, "MAKES": 5, "TARGETS": 5, "LEADS": 4, "HAS_ATTRIBUTE": 7,
                 "REACHES_MILESTONE": 5, "COMMITS_TO_BUY": 4, "ACQUIRES": 2, "SUCCEEDS": 2}
_TEXTS = {
    "round": ["Seed", "Series A", "Series B", "Series C", "Series D", "Series E", "pre-IPO"],
    "period": ["2016-2019", "five years", "2024-2026", "through 2027", "first half of 2025"],
    "metric": ["inference performance", "training throughput", "headcount", "revenue",
               "design cadence", "die area", "power draw", "market share", "unit sales"],
    "exchange_ratio": ["1.25 shares per share", "0.8 shares per share", "all cash"],
    "channel": ["X post", "earnings call", "filing", "press release", "interview", "keynote"],
    "deal": ["first contract", "expansion", "second expansion", "framework agreement", "tranche 1", "tranche 2"],
    "cumulative": ["all rounds to date", "all contracts to date", "total since 2019"],
}
_ATTR_TEXT = ["in-house design", "liquid-cooled", "open-source stack", "sold out through 2026",
              "export-restricted", "chiplet design", "air-cooled"]
_NOTES = ["figure disputed between outlets", "as reported at the time",
          "translated from the Korean original", "company declined to comment",
          "numbers rounded by the source"]
_LANGS = ["en"] * 6 + ["zh", "ja", "ko", "de"]
_RATES = {"KRW": 0.00072, "EUR": 1.08, "CNY": 0.138, "JPY": 0.0066, "TWD": 0.031}

#: the fewest entities :func:`generate` accepts: two of every kind.
MIN_ENTITIES = 2 * len(_KIND_WEIGHTS)


def _word(i: int) -> tuple[str, str, str, str]:
    """The i-th word (distinct for distinct i), in Latin, Katakana, Hangul and Cyrillic."""
    n = len(_SYL)
    parts = [_SYL[i % n], _SYL[(i // n) % n]]
    i //= n * n
    while i:
        parts.append(_SYL[i % n])
        i //= n
    parts.append(_SYL[(len(parts) * 7) % n])  # three syllables at least: words read as names
    latin = "".join(p[0] for p in parts)
    return latin, "".join(p[1] for p in parts), "".join(p[2] for p in parts), "".join(p[3] for p in parts)


class _Zipf:
    """Pick from a population with weights 1/(rank+1)^s: heavy-tailed degrees."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, items: list, s: float = 1.1):
        self.items = items
        self.cum = list(accumulate(1.0 / (r + 1) ** s for r in range(len(items))))
        self.total = self.cum[-1] if self.cum else 0.0

    def pick(self, rng: random.Random):
        if len(self.items) == 1:
            return self.items[0]
        i = bisect.bisect_right(self.cum, rng.random() * self.total)
        return self.items[min(i, len(self.items) - 1)]


class _Choice:
    """A weighted choice with the cumulative weights computed once (``random.choices`` redoes
    them on every call, which dominates when a million claims are drawn)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, items, weights):
        self.items = list(items)
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


_PRECISION = _Choice(("day", "month", "year"), (60, 27, 13))
_CURRENCY = _Choice(("USD", "EUR", "KRW", "CNY", "JPY", "TWD"), (70, 8, 8, 6, 4, 4))
_DURATION = _Choice(("months", "years", "days"), (60, 30, 10))
_N_SOURCES = _Choice((1, 2, 3, 4), (40, 30, 20, 10))


class _Gen:
    def __init__(self, n_entities: int, n_claims: int, seed: int, vocab: Vocabulary):
        if n_entities < MIN_ENTITIES:
            raise ClaimgraphError(f"--entities {n_entities} is too few: give at least {MIN_ENTITIES} (two of each kind)")
        if n_claims < 0:
            raise ClaimgraphError(f"--claims {n_claims} is negative")
        self.rng = random.Random(seed)
        self.vocab = vocab
        self.n_entities, self.n_claims = n_entities, n_claims
        self._evidence_cache: dict[tuple[str, Effect], Evidence] = {}

    # -- helpers --------------------------------------------------------------------------------
    def date(self, lo: int = 2015, hi: int = 2026, precision: str | None = None) -> PartialDate:
        r = self.rng.random
        y = lo + int(r() * (hi - lo + 1))
        p = precision or _PRECISION.pick(self.rng)
        if p == "year":
            return PartialDate(y)
        m = 1 + int(r() * 12)
        return PartialDate(y, m, 1 + int(r() * 28)) if p == "day" else PartialDate(y, m)

    def quantity(self, dimension: str | None) -> Quantity:
        rng = self.rng
        if dimension is None:
            dimension = rng.choice(("throughput", "count", "currency", "percent"))
        approx = rng.random() < 0.15
        if dimension == "currency":
            unit = _CURRENCY.pick(rng)
            x = int(round(10 ** rng.uniform(6, 10.5), -5))
            if unit in ("KRW", "JPY"):
                x *= 100
        elif dimension == "percent":
            unit, x = "%", round(rng.uniform(0.1, 60), 1)
        elif dimension == "duration":
            unit = _DURATION.pick(rng)
            x = rng.randint(3, 36) if unit == "months" else rng.randint(1, 10) if unit == "years" else rng.randint(10, 400)
        elif dimension == "length":
            unit, x = "nm", rng.choice((2, 3, 4, 5, 7, 10, 14, 16, 28))
        elif dimension == "factor":
            unit, x = "x", round(rng.uniform(0.1, 50), 1)
        elif dimension == "count":
            unit, x = rng.choice(self.vocab.dimensions["count"]), rng.randint(10, 2_000_000)
        else:
            units = self.vocab.dimensions.get(dimension) or ("units",)
            unit, x = rng.choice(units), round(rng.uniform(10, 5000), 1)
        if isinstance(x, float) and x.is_integer():
            x = int(x)
        shape = rng.random()
        if shape < 0.75 or dimension == "length":
            return Quantity.model_construct(value=x, min=None, max=None, unit=unit, approx=approx)
        if shape < 0.88:
            hi = x * 2 if isinstance(x, int) else round(x * 2, 1)
            if dimension == "percent":
                hi = min(hi, 100)
            return Quantity.model_construct(value=None, min=x, max=hi, unit=unit, approx=approx)
        if shape < 0.95:
            return Quantity.model_construct(value=None, min=None, max=x, unit=unit, approx=approx)
        return Quantity.model_construct(value=None, min=x, max=None, unit=unit, approx=approx)

    def evidence(self, source: str, effect: Effect) -> Evidence:
        key = (source, effect)
        ev = self._evidence_cache.get(key)
        if ev is None:
            ev = self._evidence_cache[key] = Evidence.model_construct(source=source, effect=effect, locator=None, paraphrase=None)
        return ev

    # -- records --------------------------------------------------------------------------------
    def sources(self) -> list[Source]:
        rng = self.rng
        n = max(8, self.n_claims // 6)
        tiers = list(_TIER_WEIGHTS)
        tier_pick = _Choice(tiers, _TIER_WEIGHTS.values())
        out = []
        for i in range(n):
            tier = tiers[i] if i < len(tiers) else tier_pick.pick(rng)
            pub = rng.choice(_PUBLISHERS[tier])
            published = self.date(2015, 2026)
            sid = f"src-{i:06d}"
            out.append(Source.model_construct(
                id=sid,
                title=f"{pub}: report {i} on {_word(i * 7 + 3)[0].capitalize()}",
                publisher=pub,
                url=f"https://example.org/{tier.value}/{i}" if rng.random() < 0.85 else None,
                published=published,
                language=rng.choice(_LANGS),
                tier=tier,
                retrieved=PartialDate(2026, rng.randint(1, 6), rng.randint(1, 28)) if rng.random() < 0.3 else None,
                notes=rng.choice(_NOTES) if rng.random() < 0.05 else None,
            ))
        return out

    def entities(self) -> list[Entity]:
        rng = self.rng
        kinds = list(self.vocab.kinds)
        kind_pick = _Choice(kinds, [_KIND_WEIGHTS.get(k, 2) for k in kinds])
        out = []
        for i in range(self.n_entities):
            kind = kinds[i % len(kinds)] if i < 2 * len(kinds) else kind_pick.pick(rng)
            latin, kata, hangul, cyr = _word(i)
            base = latin.capitalize()
            if kind == "Person":
                name = f"{_FIRST[i % len(_FIRST)]} {base}"
            else:
                name = base + rng.choice(_KIND_SUFFIX.get(kind, [""]))
            aliases: list[str] = []
            r = rng.random()
            if r < 0.55:
                aliases = rng.sample([kata, hangul, cyr, base.upper()], rng.randint(1, 3))
            attributes: dict[str, Any] = {}
            if kind == "Company" and rng.random() < 0.6:
                attributes = {"founded": rng.randint(1968, 2024), "country": rng.choice(("US", "KR", "TW", "CN", "JP", "DE", "NL")),
                              "public": rng.random() < 0.5}
            elif kind == "Chip" and rng.random() < 0.5:
                attributes = {"tdp_watts": round(rng.uniform(5, 1200), 1)}
            out.append(Entity.model_construct(
                id=latin,
                name=name, kind=kind, aliases=aliases, attributes=attributes,
                notes=rng.choice(_NOTES) if rng.random() < 0.03 else None,
            ))
        return out

    def claims(self, entities: list[Entity], sources: list[Source]) -> list[Claim]:
        rng, vocab = self.rng, self.vocab
        by_kind: dict[str, list[str]] = {}
        for e in entities:
            by_kind.setdefault(e.kind, []).append(e.id)
        for ids in by_kind.values():
            rng.shuffle(ids)  # hubs are random entities, not the first ones

        pickers: dict[tuple[str, ...], _Zipf] = {}

        def picker(kinds: tuple[str, ...]) -> _Zipf:
            z = pickers.get(kinds)
            if z is None:
                # interleave the kinds' rankings so each kind keeps its own hubs
                ranked = sorted(((r, k, eid) for k in kinds for r, eid in enumerate(by_kind.get(k, ()))))
                z = pickers[kinds] = _Zipf([eid for _, _, eid in ranked])
            return z

        src_ids = [s.id for s in sources]
        rng.shuffle(src_ids)
        src_pick = _Zipf(src_ids, 0.8)
        preds = list(vocab.predicates.values())
        pred_pick = _Choice(preds, [_PRED_WEIGHTS.get(p.name, 3) for p in preds])
        status_pick = _Choice(list(_STATUS_WEIGHTS), _STATUS_WEIGHTS.values())
        persons = by_kind.get("Person", [])

        out: list[Claim] = []
        conflictable: list[int] = []
        for i in range(self.n_claims):
            cid = f"c{i:06d}"
            if conflictable and i >= len(preds) and rng.random() < 0.04:
                out.append(self.conflict(cid, out[rng.choice(conflictable)], src_pick))
                continue
            pred = preds[i] if i < len(preds) else pred_pick.pick(rng)
            status = STATUS_ORDER[i % len(STATUS_ORDER)] if i < len(STATUS_ORDER) else status_pick.pick(rng)
            subject = picker(pred.subject).pick(rng)
            obj = value = None
            if pred.takes_value:
                value = self.value(pred)
            else:
                z = picker(pred.object)
                for _ in range(20):
                    obj = z.pick(rng)
                    if obj != subject:
                        break
                else:
                    obj = next(x for x in z.items if x != subject)
            qualifiers = self.qualifiers(pred, picker, subject, obj)
            stated = self.date() if rng.random() < 0.8 else None
            valid_from = valid_until = None
            if rng.random() < 0.4:
                valid_from = self.date(2012, 2025)
            if rng.random() < 0.15:
                valid_until = self.date(valid_from.year if valid_from else 2014, 2027)
                if valid_from and valid_until.end() < valid_from.start():
                    valid_until = PartialDate(valid_from.year)
            asserted: list[str] = []
            r = rng.random()
            if r < 0.3:
                asserted = [subject]
            elif r < 0.4 and persons:
                asserted = [rng.choice(persons)]
            c = Claim.model_construct(
                id=cid, subject=subject, predicate=pred.name, object=obj, value=value,
                qualifiers=qualifiers, asserted_by=asserted, stated_on=stated,
                valid_from=valid_from, valid_until=valid_until, status=status,
                evidence=self.evidence_for(status, src_pick),
                notes=rng.choice(_NOTES) if rng.random() < 0.04 else None,
            )
            if rng.random() < 0.3 and asserted == [] and c.evidence:
                c.asserted_by = [c.evidence[0].source]
            if _quantities(c):
                conflictable.append(i)
            out.append(c)
        return out

    def value(self, pred: Predicate) -> Any:
        rng = self.rng
        if pred.value == "date":
            return self.date(2016, 2027)
        if pred.value == "quantity":
            return self.quantity(pred.dimension)
        if pred.value == "text":
            return rng.choice(_ATTR_TEXT)
        return self.quantity(None) if rng.random() < 0.75 else rng.choice(_ATTR_TEXT)

    def qualifiers(self, pred: Predicate, picker, subject: str, obj: str | None) -> dict[str, Any]:
        rng, vocab = self.rng, self.vocab
        out: dict[str, Any] = {}
        for name in pred.qualifiers:
            keen = 0.55 if name in ("stake", "amount") else 0.2
            if name not in pred.required and rng.random() >= keen:
                continue
            q = vocab.qualifiers[name]
            if q.type == "quantity":
                out[name] = self.quantity(q.dimension)
            elif q.type == "entity":
                z = picker(q.kinds)
                pick = z.pick(rng)
                if pick in (subject, obj):
                    continue
                out[name] = pick
            elif q.type == "choice":
                out[name] = rng.choice(q.values)
            elif q.type == "date":
                out[name] = self.date()
            else:
                out[name] = rng.choice(_TEXTS.get(name, ["as stated"]))
        return out

    def evidence_for(self, status: Status, src_pick: _Zipf) -> list[Evidence]:
        rng = self.rng
        n = _N_SOURCES.pick(rng)
        if status in (Status.DISPUTED, Status.REFUTED):
            n = max(n, 2)
        chosen: list[str] = []
        for _ in range(n * 3):
            s = src_pick.pick(rng)
            if s not in chosen:
                chosen.append(s)
            if len(chosen) == n:
                break
        effects = []
        for k in range(len(chosen)):
            if status is Status.REFUTED:
                eff = Effect.CONTRADICTS if k == 0 or rng.random() < 0.5 else Effect.SUPPORTS
            elif status is Status.DISPUTED:
                eff = Effect.SUPPORTS if k == 0 else Effect.CONTRADICTS if k == 1 else rng.choice((Effect.SUPPORTS, Effect.CONTRADICTS))
            elif status is Status.UNSUPPORTED:
                eff = Effect.CONTRADICTS if rng.random() < 0.3 else Effect.SUPPORTS
            else:
                eff = Effect.CONTRADICTS if k > 0 and rng.random() < 0.06 else Effect.SUPPORTS
            effects.append(eff)
        out = [self.evidence(s, e) for s, e in zip(chosen, effects, strict=True)]
        if rng.random() < 0.05:  # a few carry where in the source, and what it says
            first = out[0]
            out[0] = Evidence.model_construct(source=first.source, effect=first.effect,
                                              locator=f"p. {rng.randint(1, 40)}",
                                              paraphrase="the figure appears in the second paragraph")
        return out

    def conflict(self, cid: str, base: Claim, src_pick: _Zipf) -> Claim:
        """Another claim on the same subject, predicate and object whose number disagrees."""
        rng = self.rng
        quals = dict(base.qualifiers)
        value = base.value
        names = _quantities(base)
        name = rng.choice(names)
        old = value if name == "value" else quals[name]
        new = _far_from(old, rng)
        if name == "value":
            value = new
        else:
            quals[name] = new
        status = rng.choice([s for s in STATUS_ORDER if s is not base.status])
        # a third of them name the claim they contradict (by number, drawing nothing at random)
        links = [base.id] if int(cid[1:]) % 3 == 0 else []
        return Claim.model_construct(
            id=cid, subject=base.subject, predicate=base.predicate, object=base.object,
            value=value, qualifiers=quals, asserted_by=[], contradicts=links, stated_on=self.date(),
            valid_from=base.valid_from, valid_until=base.valid_until, status=status,
            evidence=self.evidence_for(status, src_pick),
            notes="conflicts with another outlet's figure" if rng.random() < 0.5 else None,
        )

    def rates(self, sources: list[Source]) -> list[Rate]:
        rng = self.rng
        return [Rate.model_construct(currency=cur, usd=usd, on=PartialDate(2025, rng.randint(1, 12)),
                                     source=rng.choice(sources).id if rng.random() < 0.7 else None, notes=None)
                for cur, usd in _RATES.items()]


def _quantities(c: Claim) -> list[str]:
    names = [k for k, v in c.qualifiers.items() if isinstance(v, Quantity)]
    if isinstance(c.value, Quantity):
        names.append("value")
    return names


def _far_from(q: Quantity, rng: random.Random) -> Quantity:
    """A quantity of the same unit whose range cannot meet ``q``'s (a numeric conflict)."""
    hi = q.high if q.high != float("inf") else q.low
    lo = q.low if q.low != float("-inf") else q.high
    if q.unit == "%":
        if hi <= 40:
            x = round(min(100.0, hi * 2 + 5 + rng.uniform(0, 10)), 1)
        else:
            x = round(max(0.0, lo / 4 - 1), 1)
            if x >= lo:  # cannot go below: go above instead
                x = 100.0 if hi < 100 else 0.0
    elif lo > 10:
        x = round(lo / rng.choice((4, 5, 10)), 1)
    else:
        x = round(hi * rng.choice((4, 5, 10)) + 1, 1)
    if float(x).is_integer():
        x = int(x)
    return Quantity.model_construct(value=x, min=None, max=None, unit=q.unit, approx=False)


def generate_dataset(entities: int, claims: int, seed: int = 0, vocabulary: Vocabulary | None = None) -> Dataset:
    """A synthetic :class:`~claimgraph.dataset.Dataset` (see :mod:`claimgraph.synth`).

    >>> ds = generate_dataset(30, 50, seed=3)
    >>> sorted({e.kind for e in ds.entities.values()}) == sorted(default_vocabulary().kinds)
    True
    """
    g = _Gen(entities, claims, seed, vocabulary or default_vocabulary())
    with gc_paused():  # millions of new objects, no cycles: the collector would only rescan them
        sources = g.sources()
        ents = g.entities()
        cls = g.claims(ents, sources)
        rates = g.rates(sources)
    return Dataset(
        sources={s.id: s for s in sources},
        entities={e.id: e for e in ents},
        claims={c.id: c for c in cls},
        rates=rates,
    )


def generate(entities: int, claims: int, seed: int = 0, vocabulary: Vocabulary | None = None):
    """A synthetic :class:`~claimgraph.landscape.Landscape`: same arguments, same landscape.

    >>> land = generate(entities=40, claims=300, seed=7)
    >>> len(land.stats()["by_status"]) == 7 and min(land.stats()["by_status"].values()) > 0
    True
    """
    from .landscape import Landscape

    return Landscape.from_dataset(generate_dataset(entities, claims, seed, vocabulary), vocabulary)


def with_time(land, seed: int = 0, share: float = 0.3):
    """``land`` (a :func:`generate` landscape) with time of the claims' own, in place: about
    ``share`` of the claims become events (``on``), get a ``tense``, or a status ``history``
    (valid by construction: oldest first, ending in the claim's status, each rise and each
    confirmation resting on a supporting source that was out by then). :func:`generate` itself
    is unchanged, so seeded landscapes stay what they were; returns ``land``.

    >>> land = with_time(generate(40, 200, seed=2), seed=2)
    >>> any(c.history for c in land.claims.values()) and any(c.on for c in land.claims.values())
    True
    """
    import datetime as _dt

    rng = random.Random(seed * 7919 + 17)
    sources = land.sources
    tenses = list(Tense)
    for cid in sorted(land.claims):
        c = land.claims[cid]
        r = rng.random()
        if r >= share:
            continue
        r /= share
        if r < 0.35:
            if c.valid_until is None:
                on = c.valid_from or c.stated_on or PartialDate(rng.randint(2015, 2026), rng.randint(1, 12))
                c.on, c.valid_from = on, None
        elif r < 0.6:
            c.tense = rng.choice(tenses)
        else:
            dated = sorted((sources[e.source].on_record, e.source, e.effect) for e in c.evidence
                           if sources[e.source].on_record is not None)
            supporting = [(d, sid) for d, sid, eff in dated if eff is Effect.SUPPORTS]
            statuses = [rng.choice(STATUS_ORDER) for _ in range(rng.randint(0, 2))] + [c.status]
            day = _dt.date(2014, 1, 1)
            entries: list[HistoryEntry] = []
            for i, st in enumerate(statuses):
                needs = st is Status.CONFIRMED or (i > 0 and st.rank > statuses[i - 1].rank)
                named: list[str] = []
                if needs:
                    if not supporting:
                        entries = []
                        break
                    d, sid = rng.choice(supporting)
                    day, named = max(day, d), [sid]
                else:
                    day = day + _dt.timedelta(days=rng.randint(0, 400))
                    named = [sid for d, sid, _ in dated if d <= day][:1] if rng.random() < 0.5 else []
                entries.append(HistoryEntry.model_construct(
                    on=PartialDate(day.year, day.month, day.day), status=st, sources=named,
                    note=f"step {i + 1}" if rng.random() < 0.5 else None))
            if entries:
                c.history = entries
    return land


# -- writing --------------------------------------------------------------------------------------
