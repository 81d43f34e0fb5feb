"""The honesty lint: where a landscape says more than its sources carry.

:func:`audit` returns :class:`Finding` items, each naming the claims and sources behind it:

- ``weak-confirmed``: a confirmed claim whose supporting sources are all weak (self-media or
  aggregator);
- ``contested``: a confirmed or reported claim that a source contradicts;
- ``numeric-conflict``: two claims about the same subject, predicate and object (or the same
  measured value) whose numbers or dates cannot both hold (Nvidia's 7% of xAI against ~0.9%);
- ``stale-when-stated``: a present- or future-tense claim stated after what it describes had
  ended or happened (Dojo presented as current after it was disbanded). A past-tense claim, an
  accurate statement made in hindsight, is never stale: a claim whose validity ended before it
  was stated is past tense unless it says otherwise (``tense``);
- ``single-source``: a claim (claimed or better) resting on one source.

>>> from claimgraph import load, audit
>>> codes = {f.code for f in audit(load())}
>>> "numeric-conflict" in codes
True
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from operator import itemgetter

from .landscape import Landscape
from .model import Claim, Status, Tense
from .values import PartialDate, Quantity

CODES = ("weak-confirmed", "contested", "numeric-conflict", "stale-when-stated", "single-source")


@dataclass
class Finding:
    code: str
    message: str
    claim_ids: list[str]
    source_ids: list[str] = field(default_factory=list)

    def to_data(self) -> dict:
        return asdict(self)


def audit(landscape: Landscape, codes: tuple[str, ...] | None = None) -> list[Finding]:
    """Run the honesty lint; return findings ordered by code, then by claim ids."""
    wanted = set(codes or CODES)
    out: list[Finding] = []
    sources = landscape.sources
    for c in sorted(landscape.claims.values(), key=lambda c: c.id):
        supp = c.supporting_sources
        if "weak-confirmed" in wanted and c.status is Status.CONFIRMED and supp and all(sources[s].is_weak for s in supp):
            tiers = sorted({sources[s].tier.value for s in supp})
            out.append(Finding("weak-confirmed", f"{c.id} is confirmed, but its only support is {'/'.join(tiers)}: find a stronger source or lower it to reported/claimed", [c.id], supp))
        if "contested" in wanted and c.status in (Status.CONFIRMED, Status.REPORTED) and c.contradicting_sources:
            out.append(Finding("contested", f"{c.id} is {c.status.value} although {len(c.contradicting_sources)} source(s) contradict it", [c.id], c.source_ids))
        if "stale-when-stated" in wanted and (finding := _stale(c)) is not None:
            out.append(finding)
        if "single-source" in wanted and c.status.rank >= Status.CLAIMED.rank and len(c.source_ids) == 1:
            out.append(Finding("single-source", f"{c.id} ({c.status.value}) rests on one source", [c.id], c.source_ids))
    if "numeric-conflict" in wanted:
        out.extend(numeric_conflicts(landscape))
    order = {code: i for i, code in enumerate(CODES)}
    out.sort(key=lambda f: (order[f.code], f.claim_ids))
    return out


def _stale(c: Claim) -> Finding | None:
    end = c.valid_until or c.on
    if c.stated_on is None or end is None or c.stated_on.start() <= end.end():
        return None
    tense = c.effective_tense
    if tense is Tense.PAST:
        return None
    what = f"after it happened ({c.on})" if c.on is not None else f"after it stopped holding ({c.valid_until})"
    return Finding("stale-when-stated", f"{c.id} was stated on {c.stated_on} in the {tense.value} tense, {what}; "
                   f"status {c.status.value}", [c.id], c.source_ids)


def _comparable(claim: Claim) -> dict[str, Quantity | PartialDate]:
    """The numbers and dates of a claim, by name: its value and its quantity qualifiers."""
    out: dict[str, Quantity | PartialDate] = {}
    if isinstance(claim.value, Quantity | PartialDate):
        out["value"] = claim.value
    for k, v in claim.qualifiers.items():
        if isinstance(v, Quantity | PartialDate):
            out[k] = v
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


def numeric_conflicts(land: Landscape) -> list[Finding]:
    """Pairs of claims on the same subject, predicate and object whose numbers cannot both hold.

    Quantities conflict when they share a unit and their ranges do not meet (approximate
    values get 5% slack); dates conflict when the periods they name do not meet. Claims whose
    validity periods are disjoint (events: on different dates) describe different times and do
    not conflict.

    Findings come group by group (in the order the groups' first claims appear), then by the
    pair's claim ids, then by the name of the number. Each group's values of one name and unit
    are sorted by their lower end and swept: only pairs whose ranges are apart even without the
    slack are compared with the exact rule, so the work follows the number of conflicts rather
    than the number of pairs.

    >>> from claimgraph import load
    >>> [f.claim_ids for f in numeric_conflicts(load()) if "stake" in f.message]
    [['nvidia-invests-in-xai-series-e', 'nvidia-invests-in-xai-stake-7pct']]
    """
    groups: dict[tuple, list[tuple[Claim, dict]]] = defaultdict(list)
    measures = land.vocabulary.qualifiers_with_role("measure")
    for c in land.claims.values():
        comp = _comparable(c)
        if comp:
            groups[_group_key(land, c, measures)].append((c, comp))
    out: list[Finding] = []
    heads: dict[str, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda m: m[0].id)
        names: dict[tuple, list[tuple[float, float, int]]] = defaultdict(list)
        for i, (_, comp) in enumerate(members):
            for name, v in comp.items():
                if isinstance(v, Quantity):
                    names[(name, v.unit)].append((v.low, v.high, i))
                else:
                    names[(name, None)].append((v.start(), v.end(), i))
        hits: dict[tuple[int, int], list[str]] = defaultdict(list)
        for (name, _), vals in names.items():
            if len(vals) < 2:
                continue
            vals.sort(key=itemgetter(0))
            lows = [v[0] for v in vals]
            for _, high, i in vals:
                # ranges that start after this one ends; the exact rule (with its slack) decides
                for _, _, j in vals[bisect_right(lows, high):]:
                    a, b = (i, j) if i < j else (j, i)
                    if not _overlap(members[a][1][name], members[b][1][name]):
                        hits[(a, b)].append(name)
        texts: dict[tuple[int, str], str] = {}  # a claim meets many others: its texts once
        sources_of: dict[int, list[str]] = {}
        for a_i, b_i in sorted(hits):
            (a, qa), (b, qb) = members[a_i], members[b_i]
            if _periods_disjoint(a, b):
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
            for name in sorted(hits[(a_i, b_i)]):
                ta = texts.get((a_i, name))
                if ta is None:
                    ta = texts[(a_i, name)] = f"{qa[name]} ({a.id}, {a.status.value})"
                tb = texts.get((b_i, name))
                if tb is None:
                    tb = texts[(b_i, name)] = f"{qb[name]} ({b.id}, {b.status.value})"
                what = "value" if name == "value" else name
                out.append(Finding("numeric-conflict", f"{head}: {what} {ta} against {tb}", [a.id, b.id], list(sources)))
    return out
