"""The honesty lint: where a landscape says more than its sources carry.

:func:`audit` returns :class:`Finding` items, each naming the claims and sources behind it:

- ``weak-confirmed``: a confirmed claim whose supporting sources are all weak (self-media or
  aggregator);
- ``contested``: a confirmed or reported claim that a source contradicts;
- ``numeric-conflict``: two claims about the same subject, predicate and object (or the same
  measured value) whose numbers or dates cannot both hold (Nvidia's 7% of xAI against ~0.9%);
- ``stale-when-stated``: a claim stated after its own validity had ended (Dojo presented as
  current after it was disbanded);
- ``single-source``: a claim (claimed or better) resting on one source.

>>> from claimgraph import load, audit
>>> codes = {f.code for f in audit(load())}
>>> "numeric-conflict" in codes
True
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from itertools import combinations

from ..model import Claim, PartialDate, Quantity, Status
from .landscape import Landscape

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
        if "stale-when-stated" in wanted and c.stated_on and c.valid_until and c.stated_on.start() > c.valid_until.end():
            out.append(Finding("stale-when-stated", f"{c.id} was stated on {c.stated_on}, after it stopped holding ({c.valid_until}); status {c.status.value}", [c.id], c.source_ids))
        if "single-source" in wanted and c.status.rank >= Status.CLAIMED.rank and len(c.source_ids) == 1:
            out.append(Finding("single-source", f"{c.id} ({c.status.value}) rests on one source", [c.id], c.source_ids))
    if "numeric-conflict" in wanted:
        out.extend(numeric_conflicts(landscape))
    order = {code: i for i, code in enumerate(CODES)}
    out.sort(key=lambda f: (order[f.code], f.claim_ids))
    return out


def _comparable(claim: Claim) -> dict[str, Quantity | PartialDate]:
    """The numbers and dates of a claim, by name: its value and its quantity qualifiers."""
    out: dict[str, Quantity | PartialDate] = {}
    if isinstance(claim.value, Quantity | PartialDate):
        out["value"] = claim.value
    for k, v in claim.qualifiers.items():
        if isinstance(v, Quantity | PartialDate):
            out[k] = v
    return out


def _group_key(land: Landscape, c: Claim) -> tuple:
    pred = land.vocabulary.predicates[c.predicate]
    a, b = c.subject, c.object
    if pred.symmetric and b is not None and b < a:
        a, b = b, a
    # value claims measure something: what they measure (metric, milestone) is part of the key
    texts = tuple(sorted((k, v) for k, v in c.qualifiers.items() if isinstance(v, str) and k in ("metric", "milestone"))) if c.object is None else ()
    return (a, c.predicate, b, texts)


def _overlap(x, y) -> bool:
    if isinstance(x, Quantity) and isinstance(y, Quantity):
        return x.overlaps(y)
    if isinstance(x, PartialDate) and isinstance(y, PartialDate):
        return x.start() <= y.end() and y.start() <= x.end()
    return True


def _periods_disjoint(a: Claim, b: Claim) -> bool:
    if a.valid_until and b.valid_from and a.valid_until.end() < b.valid_from.start():
        return True
    if b.valid_until and a.valid_from and b.valid_until.end() < a.valid_from.start():
        return True
    return False


def numeric_conflicts(land: Landscape) -> list[Finding]:
    """Pairs of claims on the same subject, predicate and object whose numbers cannot both hold.

    Quantities conflict when they share a unit and their ranges do not meet (approximate
    values get 5% slack); dates conflict when the periods they name do not meet. Claims whose
    validity periods are disjoint describe different times and do not conflict.
    """
    groups: dict[tuple, list[Claim]] = defaultdict(list)
    for c in land.claims.values():
        if _comparable(c):
            groups[_group_key(land, c)].append(c)
    out: list[Finding] = []
    for claims in groups.values():
        for a, b in combinations(sorted(claims, key=lambda c: c.id), 2):
            if _periods_disjoint(a, b):
                continue
            qa, qb = _comparable(a), _comparable(b)
            for name in sorted(set(qa) & set(qb)):
                if not _overlap(qa[name], qb[name]):
                    what = "value" if name == "value" else name
                    out.append(Finding(
                        "numeric-conflict",
                        f"{land.describe(a).split(' (')[0]}: {what} {qa[name]} ({a.id}, {a.status.value}) "
                        f"against {qb[name]} ({b.id}, {b.status.value})",
                        [a.id, b.id],
                        list(dict.fromkeys(a.source_ids + b.source_ids)),
                    ))
    return out
