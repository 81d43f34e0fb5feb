"""The honesty lint: where a landscape says more than its sources carry.

:func:`audit` returns :class:`Finding` items, each with a ``severity`` and the claims and sources
behind it. The rules read the data (figures, dates, sources, other claims), not the status the
author typed; the status only decides how much a finding matters. Severities:

- ``critical``: the claim at fault is confirmed: the landscape states as fact what its own
  record cannot carry or contradicts;
- ``warning``: a reader who trusts the claims' statuses, time bounds or figures is misled, and
  nothing in the record says so by itself;
- ``info``: what the record already shows (the weaker side is marked weaker), for context.

The codes (each with its rule and examples in docs/audit.md):

- ``weak-confirmed``: a confirmed claim whose supporting sources are all weak tiers
  (self-media, aggregator);
- ``implied-stake``: a stated stake against the stake that amount over valuation implies
  (Nvidia's 7% of xAI, against up to USD 2B at about USD 230B: under 0.9%);
- ``contradicted``: a claim that a stronger claim contradicts: the same pair the other way round
  on a predicate whose reversal cannot also hold, or a ``contradicts`` link;
- ``overtaken``: a present-tense claim about X stated after a stronger claim recorded that X
  was announced, launched, shipped, discontinued or restarted, and still holding across it
  ("Blackwell is about to be released", said after its March 2024 unveiling);
- ``stale-when-stated``: a claim told in the present or future tense (``tense``) after its own
  validity had ended. A claim whose validity ended before it was stated is told in hindsight
  (past tense) unless it says otherwise, and is never stale;
- ``weak-money``: a money claim (investment, purchase commitment, acquisition, contract
  manufacturing) whose supporting sources are all self-media or aggregators;
- ``weak-support``: a reported or confirmed claim whose supporting sources are all weak tiers
  or have no address (url) to check them by;
- ``numeric-conflict``: two claims about the same subject, predicate and object (or the same
  measured value) whose numbers or dates cannot both hold; claims naming different deals
  (``deal``, ``round``, ``product``) or a running total (``cumulative``) against one deal's
  figure never conflict;
- ``contested``: a confirmed or reported claim that a source contradicts;
- ``source-conflict``: one source (or party) asserting two claims that conflict, or both
  supporting and contradicting one.

>>> from claimgraph import load, audit
>>> found = {(f.code, f.claim_ids[0]) for f in audit(load()) if f.severity == "warning"}
>>> ("implied-stake", "nvidia-invests-in-xai-stake-7pct") in found
True
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from operator import itemgetter

from .gcutil import gc_paused
from .landscape import Landscape
from .model import Claim, Effect, Status, Tier
from .values import PartialDate, Quantity
from .vocabulary import Vocabulary

#: from most to least severe
SEVERITIES = ("critical", "warning", "info")
CODES = ("weak-confirmed", "implied-stake", "contradicted", "overtaken", "stale-when-stated",
         "weak-money", "weak-support", "numeric-conflict", "contested", "source-conflict")

#: milestones after which a claim about the thing, told as before, no longer describes it
BOUNDARY_MILESTONES = frozenset({"announced", "launched", "shipped", "discontinued", "restarted"})

_NUMBERS = (Quantity, PartialDate)
_RANK = {s: s.rank for s in Status}
_CONFIRMED = Status.CONFIRMED.rank
_REPORTED = Status.REPORTED.rank
_CLAIMED = Status.CLAIMED.rank
_TIER_RANK = {t: i for i, t in enumerate(Tier)}  # 0 is the strongest (primary)


@dataclass
class Finding:
    """One problem: its ``code``, ``message``, the claims behind it (the one to look at first,
    then the claims it is set against) and their sources, and its ``severity``."""

    code: str
    message: str
    claim_ids: list[str]
    source_ids: list[str] = field(default_factory=list)
    severity: str = "info"

    @property
    def claim(self) -> str:
        """The claim the finding is about (the first of ``claim_ids``)."""
        return self.claim_ids[0]

    def to_data(self) -> dict:
        return asdict(self)


# -- the predicates and qualifiers the rules read ---------------------------------------------------
def money_predicates(vocabulary: Vocabulary) -> tuple[str, ...]:
    """The predicates whose claims move money: those with the vocabulary's ``money`` role (built
    in: investments, purchase commitments, acquisitions, contract manufacturing; an extension's
    own, such as the FtM importer's PAYS, too), the money query's flows."""
    return tuple(vocabulary.role("money"))


def deal_qualifiers(vocabulary: Vocabulary) -> tuple[str, ...]:
    """The qualifiers that name which deal a claim is about (the ``deal`` role: deal, round,
    product): two claims naming different ones (one saying nothing matches any) describe
    different deals."""
    return vocabulary.qualifiers_with_role("deal")


def total_qualifiers(vocabulary: Vocabulary) -> tuple[str, ...]:
    """The qualifiers that mark a running total over several deals (the ``total`` role:
    cumulative), never a conflict with one deal's figure."""
    return vocabulary.qualifiers_with_role("total")


def exclusive_predicates(vocabulary: Vocabulary) -> tuple[str, ...]:
    """Directed predicates whose reversal cannot also hold: B succeeds A, A succeeds B. (Supply,
    investment and use run both ways between real companies, so they are not among them.)"""
    return tuple(p for p in ("SUCCEEDS", "ACQUIRES", "OUTPERFORMS")
                 if p in vocabulary.predicates and not vocabulary.predicates[p].symmetric)


def speakers(c: Claim) -> list[str]:
    """Who says the claim: its ``asserted_by``, else its supporting sources."""
    return list(c.asserted_by) if c.asserted_by else c.supporting_sources


def tense_of(c: Claim) -> str:
    """``past``, ``present`` or ``future``: the claim's ``tense`` when it has one; else a claim
    whose validity ended (or whose event happened) before it was stated is told in hindsight
    (past), any other in the present."""
    d = c.__dict__  # a field's value, or None where the model has no such field (yet)
    t = d.get("tense")
    if t:
        return str(getattr(t, "value", t))
    end = c.valid_until or d.get("on")
    if end is not None and c.stated_on is not None and end.end() < c.stated_on.start():
        return "past"
    return "present"


def _rank_severity(problem: bool, at_fault_confirmed: bool) -> str:
    if not problem:
        return "info"
    return "critical" if at_fault_confirmed else "warning"


# -- the audit ---------------------------------------------------------------------------------------
def audit(landscape: Landscape, codes: tuple[str, ...] | None = None) -> list[Finding]:
    """Run the honesty lint; return findings ordered by severity, then by the claim they are
    about, then by code and claim ids. (With the cyclic collector paused, as the queries run:
    the findings are many small objects and no cycles.)"""
    with gc_paused():
        return _audit(landscape, codes)


def _audit(landscape: Landscape, codes: tuple[str, ...] | None) -> list[Finding]:
    wanted = set(codes or CODES)
    out: list[Finding] = []
    sources = landscape.sources
    vocab = landscape.vocabulary
    money = set(money_predicates(vocab))
    rates = usd_rates(landscape)
    weak_ids = {sid for sid, s in sources.items() if s.is_weak}
    unaddressed = {sid for sid, s in sources.items() if not s.is_weak and not s.url}
    for c in sorted(landscape.claims.values(), key=lambda c: c.id):
        supp = c.supporting_sources
        st = c.status
        confirmed = st is Status.CONFIRMED
        weak = [s for s in supp if s in weak_ids]
        all_weak = bool(supp) and len(weak) == len(supp)
        if "weak-confirmed" in wanted and confirmed and all_weak:
            tiers = sorted({sources[s].tier.value for s in supp})
            out.append(Finding("weak-confirmed", f"{c.id} is confirmed, but its only support is {'/'.join(tiers)}: find a stronger source or lower it to reported/claimed", [c.id], supp, "critical"))
        if "weak-support" in wanted and st.rank >= _REPORTED and not (confirmed and all_weak):
            unchecked = [s for s in supp if s in unaddressed]
            if len(weak) + len(unchecked) == len(supp):
                out.append(_weak_support(c, weak, unchecked, sources))
        if "weak-money" in wanted and c.predicate in money and all_weak:
            tiers = "/".join(sorted({sources[s].tier.value for s in supp}))
            amount = c.qualifiers.get("amount")
            what = f" of {amount}" if amount is not None else ""
            out.append(Finding("weak-money", f"{c.id} ({st.value}): {landscape.describe(c)}: money{what} that rests on {tiers} sources alone ({', '.join(supp)}); the money query still counts it", [c.id], c.source_ids,
                               _rank_severity(st is not Status.REFUTED, confirmed)))
        if "contested" in wanted and st.rank >= _REPORTED and c.contradicting_sources:
            out.append(_contested(c, sources))
        if "stale-when-stated" in wanted and (f := _stale(c)) is not None:
            out.append(f)
        if "implied-stake" in wanted and "stake" in c.qualifiers and (f := _own_stake(landscape, c, rates)) is not None:
            out.append(f)
    conflicts: list[Finding] = []
    if wanted & {"numeric-conflict", "implied-stake", "source-conflict"}:
        conflicts = numeric_conflicts(landscape, rates)
        for f in conflicts:
            if f.code in wanted:
                out.append(f)
    contradicted: list[Finding] = []
    if wanted & {"contradicted", "source-conflict"}:
        contradicted = contradicted_claims(landscape)
        if "contradicted" in wanted:
            out.extend(contradicted)
    if "overtaken" in wanted:
        out.extend(overtaken_claims(landscape))
    if "source-conflict" in wanted:
        out.extend(source_conflicts(landscape, conflicts + contradicted))
    sort_findings(out)
    return out


def summarize(findings: list[Finding]) -> dict[str, dict[str, int]]:
    """Counts by severity, then by code (codes in :data:`CODES` order; severities without
    findings are left out).

    >>> summarize([Finding("weak-money", "m", ["c"], severity="warning")])
    {'warning': {'weak-money': 1}}
    """
    out: dict[str, dict[str, int]] = {}
    order = {code: i for i, code in enumerate(CODES)}
    for f in sorted(findings, key=lambda f: (SEVERITIES.index(f.severity), order.get(f.code, len(order)), f.code)):
        by_code = out.setdefault(f.severity, {})
        by_code[f.code] = by_code.get(f.code, 0) + 1
    return out


def sort_findings(findings: list[Finding]) -> None:
    """By severity, then the claim a finding is about, then code, claim ids and message."""
    sev = {s: i for i, s in enumerate(SEVERITIES)}
    order = {code: i for i, code in enumerate(CODES)}
    findings.sort(key=lambda f: (sev[f.severity], f.claim_ids[0], order.get(f.code, len(order)), f.claim_ids, f.message))


def _weak_support(c: Claim, weak: list[str], unchecked: list[str], sources: dict) -> Finding:
    if not weak and not unchecked:
        why = "no source supports it"
    else:
        parts = []
        if weak:
            parts.append(f"{'/'.join(sorted({sources[s].tier.value for s in weak}))} ({', '.join(weak)})")
        if unchecked:
            parts.append(f"{'a source' if len(unchecked) == 1 else 'sources'} with no address ({', '.join(unchecked)})")
        why = "its only support is " + " and ".join(parts)
    return Finding("weak-support", f"{c.id} is {c.status.value}, but {why}: add a source that can be checked, or lower it to claimed",
                   [c.id], c.source_ids, _rank_severity(True, c.status is Status.CONFIRMED))


def _contested(c: Claim, sources: dict) -> Finding:
    def best(ids: list[str]) -> int:
        return min((_TIER_RANK[sources[s].tier] for s in ids if s in sources), default=len(_TIER_RANK))

    con, supp = c.contradicting_sources, c.supporting_sources
    strong = best(con) <= best(supp)
    how = "as strong as its best support" if strong else "weaker than its support"
    return Finding("contested", f"{c.id} is {c.status.value} although {len(con)} source(s) contradict it ({', '.join(con)}), {how}",
                   [c.id], c.source_ids, _rank_severity(strong, c.status is Status.CONFIRMED))


def _stale(c: Claim) -> Finding | None:
    """A claim told in the present or future tense after its own validity ended (or its event
    happened); only a claim that says its tense can be, since one that does not is read as told
    in hindsight (:func:`tense_of`)."""
    if c.stated_on is None:
        return None
    end = c.valid_until or c.__dict__.get("on")
    if end is None or c.stated_on.start() <= end.end():
        return None
    tense = tense_of(c)
    if tense == "past":
        return None
    return Finding("stale-when-stated", f"{c.id} was stated on {c.stated_on} in the {tense} tense, after it stopped holding ({end}); status {c.status.value}",
                   [c.id], c.source_ids, _rank_severity(c.status is not Status.REFUTED, c.status is Status.CONFIRMED))


# -- overtaken: told as before after a milestone changed it ------------------------------------------
def overtaken_claims(land: Landscape) -> list[Finding]:
    """Present- and future-tense claims overtaken by a stronger dated milestone before they were
    stated.

    A milestone (a date-valued claim with a ``milestone`` qualifier in
    :data:`BOUNDARY_MILESTONES`, reported or confirmed, on record when it happened: not a
    forecast) overtakes a claim about the same subject when the claim holds from before the
    milestone's date, does not end by it, was stated after the milestone was on record (its
    date, or its own ``stated_on`` when later), is not told in the past tense (:func:`tense_of`)
    and is not stronger than the milestone. Milestones are indexed by subject and sorted by
    date; each claim looks only at its subject's milestones between its start and its
    statement, and stops at the first that overtakes it.
    """
    marks: dict[str, list[tuple]] = defaultdict(list)
    for m in land.claims.values():
        v, stage = m.value, m.qualifiers.get("milestone")
        if not isinstance(v, PartialDate) or stage not in BOUNDARY_MILESTONES or m.status.rank < _REPORTED:
            continue
        known = v.end() if m.stated_on is None else max(v.end(), m.stated_on.end())
        if m.stated_on is not None and v.start() > m.stated_on.end():
            continue  # a forecast: it had not happened when it was said
        marks[m.subject].append((v.start(), v.end(), known, m.status.rank, m.id))
    for lst in marks.values():
        lst.sort()
    out: list[Finding] = []
    claims = land.claims
    for c in sorted(claims.values(), key=lambda c: c.id):
        lst = marks.get(c.subject)
        if lst is None or c.stated_on is None:
            continue
        if isinstance(c.value, PartialDate) and "milestone" in c.qualifiers:
            continue  # a milestone claim is dated by its value; its dates are compared as numbers
        start = c.valid_from or c.stated_on
        begin = start.start()
        said = c.stated_on.start()
        until = c.valid_until.end() if c.valid_until is not None else None
        if tense_of(c) == "past":
            continue
        rank = c.status.rank
        for m_start, m_end, known, m_rank, m_id in lst[bisect_right(lst, begin, key=itemgetter(0)):]:
            if m_start >= said:
                break
            if known >= said or m_rank < rank or (until is not None and until <= m_end) or m_id == c.id:
                continue
            m = claims[m_id]
            head = land.describe(c).split(" (")[0]
            holds = f"holding since {start}" + (f" until {c.valid_until}" if c.valid_until else " with no end")
            out.append(Finding(
                "overtaken",
                f"{c.id} ({c.status.value}): \u201c{head}\u201d, stated on {c.stated_on} as {holds}, "
                f"after {m_id} ({m.status.value}) recorded {land.entities[m.subject].name if m.subject in land.entities else m.subject} "
                f"{m.qualifiers['milestone']} on {m.value}: it describes the time before that",
                [c.id, m_id], list(dict.fromkeys(c.source_ids + m.source_ids)),
                _rank_severity(c.status is not Status.REFUTED, c.status is Status.CONFIRMED)))
            break
    return out


# -- contradicted: a stronger claim says otherwise --------------------------------------------------
def contradicted_claims(land: Landscape) -> list[Finding]:
    """Pairs of claims that cannot both hold, each reported once on its weaker claim:

    - a ``contradicts`` link (either claim naming the other);
    - the same pair the other way round on one of :func:`exclusive_predicates` (for value-free
      comparisons, on the same ``metric``): claims are grouped by (subject, predicate, object)
      and each group meets its reverse group once.

    The finding is a warning when the stronger claim is claimed or better and the weaker one is
    not already refuted; critical when the weaker one is confirmed.
    """
    claims = land.claims
    pairs: dict[tuple[str, str], str] = {}
    for c in claims.values():
        for other in c.contradicts:
            if other in claims:
                key = (c.id, other) if c.id < other else (other, c.id)
                pairs.setdefault(key, "linked by contradicts")
    exclusive = set(exclusive_predicates(land.vocabulary))
    if exclusive:
        groups: dict[tuple, list[Claim]] = defaultdict(list)
        for c in claims.values():
            if c.predicate in exclusive and c.object is not None:
                groups[(c.subject, c.predicate, c.object, c.qualifiers.get("metric"))].append(c)
        for (s, p, o, metric), mine in groups.items():
            if s > o:
                continue  # each pair of groups once, from its lower-ordered side
            theirs = groups.get((o, p, s, metric))
            if not theirs:
                continue
            # the strongest of each side meets every claim of the other: at most |a| + |b| pairs
            top_a = max(mine, key=lambda c: (c.status.rank, c.id))
            top_b = max(theirs, key=lambda c: (c.status.rank, c.id))
            for x in theirs:
                key = (top_a.id, x.id) if top_a.id < x.id else (x.id, top_a.id)
                pairs.setdefault(key, f"the same {p} the other way round")
            for x in mine:
                key = (top_b.id, x.id) if top_b.id < x.id else (x.id, top_b.id)
                pairs.setdefault(key, f"the same {p} the other way round")
    out: list[Finding] = []
    for (a_id, b_id), why in sorted(pairs.items()):
        a, b = claims[a_id], claims[b_id]
        weak, strong = (a, b) if (a.status.rank, a.id) <= (b.status.rank, b.id) else (b, a)
        same = weak.status is strong.status
        problem = strong.status.rank >= _CLAIMED and weak.status is not Status.REFUTED
        verb = "stands at the same status as" if same else "is contradicted by the stronger"
        out.append(Finding(
            "contradicted",
            f"{weak.id} ({weak.status.value}) {verb} {strong.id} ({strong.status.value}), {why}: "
            f"\u201c{land.describe(weak)}\u201d against \u201c{land.describe(strong)}\u201d",
            [weak.id, strong.id], list(dict.fromkeys(weak.source_ids + strong.source_ids)),
            _rank_severity(problem, weak.status is Status.CONFIRMED)))
    return out


# -- source-conflict: one source says both -------------------------------------------------------------
def source_conflicts(land: Landscape, pairs: list[Finding]) -> list[Finding]:
    """One source or party asserting both claims of a conflicting pair (``pairs``: numeric
    conflicts and contradicted claims), and claims that one source both supports and
    contradicts (grouped by what they are about, so the two halves of a self-contradiction
    come as one finding).

    A warning when every claim involved is reported or better (the landscape presents both
    sides of a self-contradiction as credible); critical when all are confirmed; else info.
    """
    claims = land.claims
    found: dict[tuple, str] = {}
    said: dict[str, set[str]] = {}
    for f in pairs:
        ids = tuple(sorted(f.claim_ids[:2]))
        if len(ids) < 2 or ids[0] not in claims or ids[1] not in claims:
            continue
        sa = said.get(ids[0])
        if sa is None:
            sa = said[ids[0]] = set(speakers(claims[ids[0]]))
        sb = said.get(ids[1])
        if sb is None:
            sb = said[ids[1]] = set(speakers(claims[ids[1]]))
        for who in sorted(sa & sb):
            found.setdefault((who, ids), "asserts both")
    mixed: dict[tuple, list[str]] = defaultdict(list)
    contradicts = Effect.CONTRADICTS
    for c in claims.values():
        against = {e.source for e in c.evidence if e.effect is contradicts}
        if not against:
            continue
        for s in sorted(against & {e.source for e in c.evidence if e.effect is not contradicts}):
            mixed[(s, _group_key(land, c))].append(c.id)
    for (s, _), ids in mixed.items():
        key = (s, tuple(sorted(ids)))
        found.setdefault(key, "both supports and contradicts")
    out: list[Finding] = []
    for (who, ids), how in sorted(found.items()):
        cs = [claims[i] for i in ids]
        statuses = ", ".join(f"{c.id} ({c.status.value})" for c in cs)
        words = "; ".join(f"\u201c{land.describe(c)}\u201d" for c in cs)
        if how == "asserts both":
            text = f"{who} asserts claims that cannot both hold: {statuses}: {words}"
        elif len(cs) == 1:
            text = f"{who} both supports and contradicts {statuses}: {words}"
        else:
            text = f"{who} says both, and contradicts each: {statuses}: {words}"
        problem = all(c.status.rank >= _REPORTED for c in cs)
        srcs = list(dict.fromkeys(s for c in cs for s in c.source_ids))
        out.append(Finding("source-conflict", text, list(ids), srcs,
                           _rank_severity(problem, all(c.status is Status.CONFIRMED for c in cs))))
    return out


# -- numbers -------------------------------------------------------------------------------------------
def usd_rates(land: Landscape) -> dict[str, float]:
    """currency -> US dollars per unit: the dataset's most recent stated rate per currency (the
    first given among equals), as the money query picks them; USD is 1."""
    best: dict[str, tuple] = {}
    for i, r in enumerate(land.rates):
        key = (r.on.start().isoformat() if r.on else "", -i)
        if r.currency not in best or key > best[r.currency][0]:
            best[r.currency] = (key, r.usd)
    out = {c: usd for c, (_, usd) in best.items()}
    out.setdefault("USD", 1.0)
    return out


def _round_sig(x: float, up: bool) -> float:
    """``x`` to two significant digits, rounded outward (up for an upper bound)."""
    if x <= 0 or not math.isfinite(x):
        return x
    e = math.floor(math.log10(x)) - 1
    f = 10 ** e
    return (math.ceil(x / f - 1e-9) if up else math.floor(x / f + 1e-9)) * f


def implied_stake(c: Claim, rates: dict[str, float]) -> Quantity | None:
    """The stake a claim's ``amount`` over its ``valuation`` implies, as a range in percent
    (``None`` when it has not both, when it is a running total, or when their currencies differ
    and the dataset gives no rate for one of them).

    The valuation may be before or after the money, so the stake lies between amount over
    (valuation plus amount) and amount over valuation; bounds are rounded outward to two
    significant digits, and the result is approximate (5% slack) when either figure is.

    >>> from claimgraph.values import Quantity
    >>> from claimgraph.model import Claim
    >>> c = Claim(id="x", subject="a", predicate="INVESTS_IN", object="b", status="reported",
    ...           qualifiers={"amount": Quantity.parse("up to USD 2B"), "valuation": Quantity.parse("~USD 230B")},
    ...           evidence=[{"source": "s"}])
    >>> str(implied_stake(c, {"USD": 1.0}))
    '≤ ~0.87%'
    """
    q = c.qualifiers
    amount, valuation = q.get("amount"), q.get("valuation")
    if not isinstance(amount, Quantity) or not isinstance(valuation, Quantity) or q.get("cumulative") is not None:
        return None
    if amount.unit == valuation.unit:
        ka = kv = 1.0
    elif amount.unit in rates and valuation.unit in rates:
        ka, kv = rates[amount.unit], rates[valuation.unit]
    else:
        return None
    a_lo, a_hi = max(amount.low, 0.0) * ka, amount.high * ka
    v_lo, v_hi = max(valuation.low, 0.0) * kv, valuation.high * kv
    if v_lo <= 0 or not math.isfinite(a_hi):
        return None  # no upper bound on the stake
    hi = min(100.0, 100 * a_hi / v_lo)
    lo = 100 * a_lo / (v_hi + a_lo) if math.isfinite(v_hi) and v_hi + a_lo > 0 else 0.0
    hi, lo = _round_sig(hi, up=True), _round_sig(lo, up=False)
    approx = amount.approx or valuation.approx
    if lo <= 0:
        return Quantity(max=hi, unit="%", approx=approx)
    if lo == hi:
        return Quantity(value=hi, unit="%", approx=approx)
    return Quantity(min=lo, max=hi, unit="%", approx=approx)


def _own_stake(land: Landscape, c: Claim, rates: dict[str, float]) -> Finding | None:
    """A claim whose own stake, amount and valuation disagree."""
    stake = c.qualifiers.get("stake")
    if not isinstance(stake, Quantity):
        return None
    implied = implied_stake(c, rates)
    if implied is None or _overlap(stake, implied):
        return None
    q = c.qualifiers
    return Finding("implied-stake", f"{land.describe(c).split(' (')[0]}: stake {stake} ({c.id}, {c.status.value}) against {implied} implied by its own amount {q['amount']} over valuation {q['valuation']}",
                   [c.id], c.source_ids, _rank_severity(c.status is not Status.REFUTED, c.status is Status.CONFIRMED))


def _comparable(claim: Claim, rates: dict[str, float] | None = None) -> dict[str, Quantity | PartialDate]:
    """The numbers and dates of a claim, by name: its value and its quantity qualifiers, and
    (with ``rates``) the stake its amount over valuation implies where it states none, under
    the name ``implied stake``."""
    out: dict[str, Quantity | PartialDate] = {}
    if isinstance(claim.value, _NUMBERS):
        out["value"] = claim.value
    for k, v in claim.qualifiers.items():
        if isinstance(v, _NUMBERS):
            out[k] = v
    if rates is not None and "valuation" in out and "amount" in out and "stake" not in out:
        implied = implied_stake(claim, rates)
        if implied is not None:
            out["implied stake"] = implied
    return out


def _group_key(land: Landscape, c: Claim, measures: tuple[str, ...] | None = None) -> tuple:
    pred = land.vocabulary.predicates[c.predicate]
    a, b = c.subject, c.object
    if pred.symmetric and b is not None and b < a:
        a, b = b, a
    # value claims measure something: what they measure (the qualifiers with the measure role:
    # metric, milestone) is part of the key
    if measures is None:
        measures = land.vocabulary.qualifiers_with_role("measure")
    texts = tuple(sorted((k, v) for k, v in c.qualifiers.items() if isinstance(v, str) and k in measures)) if c.object is None else ()
    return (a, c.predicate, b, texts)


def _overlap(x, y) -> bool:
    if isinstance(x, Quantity) and isinstance(y, Quantity):
        return x.overlaps(y)
    if isinstance(x, PartialDate) and isinstance(y, PartialDate):
        return x.start() <= y.end() and y.start() <= x.end()
    return True


def _periods_disjoint(a: Claim, b: Claim) -> bool:
    """Whether the two claims' validity periods cannot meet (an event's period is its date)."""
    a_from, a_until = a.valid_from or a.on, a.valid_until or a.on
    b_from, b_until = b.valid_from or b.on, b.valid_until or b.on
    if a_until and b_from and a_until.end() < b_from.start():
        return True
    if b_until and a_from and b_until.end() < a_from.start():
        return True
    return False


def _deal_of(c: Claim, keys: tuple[str, ...], totals: tuple[str, ...] = ("cumulative",)) -> tuple:
    """What deal a claim names: its deal-naming qualifiers (None where absent) and its running-
    total coverage (the ``totals`` qualifiers; None for one deal's figure)."""
    q = c.qualifiers
    return (tuple(None if q.get(k) is None else str(q[k]) for k in keys),
            next((str(q[k]) for k in totals if q.get(k) is not None), None))


def same_deal(x: tuple, y: tuple) -> bool:
    """Whether two claims' :func:`_deal_of` can be one deal: the same running-total coverage (or
    both one deal's figures) and no deal-naming qualifier that differs."""
    if x == y:
        return True
    (dx, cx), (dy, cy) = x, y
    return cx == cy and all(a is None or b is None or a == b for a, b in zip(dx, dy, strict=True))


def numeric_conflicts(land: Landscape, rates: dict[str, float] | None = None) -> list[Finding]:
    """Pairs of claims on the same subject, predicate and object whose numbers cannot both hold.

    Quantities conflict when they share a unit and their ranges do not meet (approximate
    values get 5% slack); dates conflict when the periods they name do not meet. Claims whose
    validity periods are disjoint (events: on different dates) describe different times, and claims naming different deals
    (:func:`deal_qualifiers`) or a running total against one deal's figure (``cumulative``)
    describe different money: neither conflicts. A stated stake is also set against the stake
    another claim's amount over valuation implies (:func:`implied_stake`, converted with the
    dataset's rates, ``rates`` or :func:`usd_rates`): code ``implied-stake``.

    Severity: critical when both claims are confirmed, a warning when both are reported or
    better, else info (the record already ranks them); an implied stake is a warning against
    any stated stake that is not refuted (no claim of the record states the implied figure).

    Findings come group by group (in the order the groups' first claims appear), then by the
    pair's claim ids, then by the name of the number. Each group's values of one name and unit
    are sorted by their lower end and swept: only pairs whose ranges are apart even without the
    slack are compared with the exact rule, so the work follows the number of conflicts rather
    than the number of pairs.

    >>> from claimgraph import load
    >>> [f.claim_ids for f in numeric_conflicts(load()) if f.code == "implied-stake"]
    [['nvidia-invests-in-xai-stake-7pct', 'nvidia-invests-in-xai-series-e']]
    """
    if rates is None:
        rates = usd_rates(land)
    keys, totals = deal_qualifiers(land.vocabulary), total_qualifiers(land.vocabulary)
    groups: dict[tuple, list[tuple[Claim, dict]]] = defaultdict(list)
    measures = land.vocabulary.qualifiers_with_role("measure")
    for c in land.claims.values():
        comp = _comparable(c, rates)
        if comp:
            groups[_group_key(land, c, measures)].append((c, comp))
    out: list[Finding] = []
    heads: dict[str, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda m: m[0].id)
        # (name, unit) -> (low, high, member, the number): a stated and an implied stake share a name
        names: dict[tuple, list[tuple]] = defaultdict(list)
        for i, (_, comp) in enumerate(members):
            for name, v in comp.items():
                if isinstance(v, Quantity):
                    names[("stake" if name == "implied stake" else name, v.unit)].append((v.low, v.high, i, v, name))
                else:
                    names[(name, None)].append((v.start(), v.end(), i, v, name))
        hits: dict[tuple[int, int], list[str]] = defaultdict(list)
        for (name, _), vals in names.items():
            if len(vals) < 2:
                continue
            vals.sort(key=itemgetter(0))
            lows = [v[0] for v in vals]
            for _, high, i, vi, ki in vals:
                # ranges that start after this one ends; the exact rule (with its slack) decides
                for _, _, j, vj, kj in vals[bisect_right(lows, high):]:
                    if ki is kj and ki == "implied stake":
                        continue  # two implied stakes: their amounts or valuations are what differ
                    if not _overlap(vi, vj):
                        hits[(i, j) if i < j else (j, i)].append(name)
        texts: dict[tuple[int, str], str] = {}  # a claim meets many others: its texts once
        sources_of: dict[int, list[str]] = {}
        deals: dict[int, tuple] = {}
        for a_i, b_i in sorted(hits):
            (a, qa), (b, qb) = members[a_i], members[b_i]
            if _periods_disjoint(a, b):
                continue
            da = deals.get(a_i)
            if da is None:
                da = deals[a_i] = _deal_of(a, keys, totals)
            db = deals.get(b_i)
            if db is None:
                db = deals[b_i] = _deal_of(b, keys, totals)
            if not same_deal(da, db):
                continue
            head = heads.get(a.id)
            if head is None:
                head = heads[a.id] = land.describe(a).split(" (")[0]
            sa = sources_of.get(a_i)
            if sa is None:
                sa = sources_of[a_i] = a.source_ids
            sb = sources_of.get(b_i)
            if sb is None:
                sb = sources_of[b_i] = b.source_ids
            sources = list(dict.fromkeys(sa + sb))
            for name in sorted(set(hits[(a_i, b_i)])):
                na, nb = _name_in(qa, name), _name_in(qb, name)
                if "implied stake" in (na, nb):
                    out.append(_implied_finding(head, a, qa, na, b, qb, nb, sources))
                    continue
                ta = texts.get((a_i, name))
                if ta is None:
                    ta = texts[(a_i, name)] = f"{qa[name]} ({a.id}, {a.status.value})"
                tb = texts.get((b_i, name))
                if tb is None:
                    tb = texts[(b_i, name)] = f"{qb[name]} ({b.id}, {b.status.value})"
                both = min(_RANK[a.status], _RANK[b.status])
                out.append(Finding("numeric-conflict", f"{head}: {name} {ta} against {tb}", [a.id, b.id], list(sources),
                                   _rank_severity(both >= _REPORTED, both == _CONFIRMED)))
    return out


def _name_in(comp: dict, name: str) -> str:
    """The key under which ``comp`` holds the number called ``name`` (a stake may be implied)."""
    return "implied stake" if name == "stake" and "stake" not in comp else name


def _implied_finding(head: str, a: Claim, qa: dict, na: str, b: Claim, qb: dict, nb: str, sources: list[str]) -> Finding:
    """A stated stake (the claim the finding is about, first) against another claim's implied one."""
    (stated, sq), (deriving, dq) = ((a, qa[na]), (b, qb[nb])) if nb == "implied stake" else ((b, qb[nb]), (a, qa[na]))
    q = deriving.qualifiers
    return Finding(
        "implied-stake",
        f"{head}: stake {sq} ({stated.id}, {stated.status.value}) against {dq} implied by amount "
        f"{q['amount']} over valuation {q['valuation']} ({deriving.id}, {deriving.status.value})",
        [stated.id, deriving.id], sources,
        _rank_severity(stated.status is not Status.REFUTED, stated.status is Status.CONFIRMED))


__all__ = ["Finding", "SEVERITIES", "CODES", "BOUNDARY_MILESTONES", "audit", "numeric_conflicts",
           "contradicted_claims", "overtaken_claims", "source_conflicts", "implied_stake", "usd_rates",
           "money_predicates", "deal_qualifiers", "total_qualifiers", "exclusive_predicates", "speakers", "tense_of",
           "same_deal", "sort_findings", "summarize"]
