"""roadmap ENTITY: product generations in order, milestone dates, measured gaps against the claimed cadence.

The predicates come from the vocabulary's roles: ``generation`` (the subject develops the
object), ``succession`` (the subject succeeds the object), ``milestone`` (a date value claim,
``{stage: QUALIFIER}``) and ``cadence`` (a duration value claim); the default generation kinds
are the kinds with the ``generation`` role.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from ..values import PartialDate, Quantity
from ._base import Param, Query, Row, as_list

TO_MONTHS = {"months": 1.0, "years": 12.0, "days": 1 / 30.44}
_FAR = _dt.date(1, 1, 1)


@dataclass(kw_only=True)
class RoadmapRow(Row):
    position: int
    generation: str
    generation_name: str
    milestone: str | None
    date: str | None
    status: str | None
    previous: str | None
    previous_date: str | None
    gap_months: float | None
    cadence_months: float | None
    gap_vs_cadence: float | None
    claimed_cadences: list[str]


def months_between(a: _dt.date, b: _dt.date) -> float:
    """The raw gap in months from ``b`` to ``a`` (as :meth:`PartialDate.months_since`, unrounded).

    >>> import datetime as dt
    >>> months_between(dt.date(2026, 4, 1), dt.date(2025, 7, 1)), round(months_between(dt.date(2026, 4, 16), dt.date(2026, 4, 1)), 3)
    (9.0, 0.493)
    """
    return (a.year - b.year) * 12 + (a.month - b.month) + (a.day - b.day) / 30.44


def _cadence_months(num: float, unit: str) -> float:
    if unit == "years":
        return num * 12
    if unit == "days":
        return num / 30.44
    return num


def finish(raw: list[dict]) -> list[RoadmapRow]:
    """Round the gaps to 0.1 month and set them beside the cadence (shared by both backends): a
    list of :class:`RoadmapRow`, one per raw record (a dict of the row's fields, gaps unrounded).

    >>> raw = {"position": 2, "generation": "ai5", "generation_name": "AI5", "milestone": "taped-out",
    ...        "date": "2026-04", "status": "reported", "previous": "ai4", "previous_date": "2023-01",
    ...        "gap_months": 39.03, "cadence_months": 9.0, "claimed_cadences": ["9 months (claimed)"],
    ...        "claim_ids": [], "source_ids": []}
    >>> row, = finish([raw])
    >>> row.gap_months, row.gap_vs_cadence     # 30 months slower than the claimed 9
    (39.0, 30.0)
    """
    out = []
    for r in raw:
        gap = round(r["gap_months"], 1) if r["gap_months"] is not None else None
        cad = round(r["cadence_months"], 1) if r["cadence_months"] is not None else None
        out.append(RoadmapRow(
            position=r["position"], generation=r["generation"], generation_name=r["generation_name"],
            milestone=r["milestone"], date=r["date"], status=r["status"], previous=r["previous"],
            previous_date=r["previous_date"], gap_months=gap, cadence_months=cad,
            gap_vs_cadence=round(gap - cad, 1) if gap is not None and cad is not None else None,
            claimed_cadences=r["claimed_cadences"], claim_ids=r["claim_ids"], source_ids=r["source_ids"],
        ))
    return out


def embedded(land, entity: str, kinds: list[str] | None = None) -> list[RoadmapRow]:
    """``entity``'s (an id) generations of the given ``kinds`` (default: the kinds with the
    vocabulary's generation role) in order, with their
    milestone dates and the measured gaps against its claimed cadence: a list of
    :class:`RoadmapRow`, one per generation and milestone.

    >>> from claimgraph import load
    >>> rows = embedded(load(), "tesla")
    >>> list(dict.fromkeys(r.generation for r in rows))[:5]
    ['hw3', 'd1', 'ai4', 'ai5', 'ai6']
    >>> sorted({c for r in rows for c in r.claimed_cadences})[0]
    '12 months (claimed, stated 2025-11)'
    """
    vocab = land.vocabulary
    kinds = as_list(kinds) or list(vocab.kinds_with_role("generation"))
    generation, succession = vocab.role("generation"), vocab.role("succession")
    milestone, cadence = vocab.role("milestone"), vocab.role("cadence")
    ents = land.entities
    develops: dict[str, list] = {}
    for c in land.claims.values():
        if c.predicate in generation and c.subject == entity and c.object is not None and ents[c.object].kind in kinds:
            develops.setdefault(c.object, []).append(c)
    gens = sorted(develops)
    stated = lambda c: c.stated_on.start() if c.stated_on else _FAR  # noqa: E731
    cad_claims = [c for c in land.claims.values() if c.predicate in cadence and c.subject == entity
                  and isinstance(c.value, Quantity) and c.value.unit in TO_MONTHS]
    cad_claims.sort(key=lambda c: (_neg(stated(c)), -c.status.rank, c.id))
    cadences = [{"claim": c.id, "status": c.status.value, "stated": str(c.stated_on) if c.stated_on else None,
                 "text": str(c.value), "months": _cadence_months(c.value.point, c.value.unit),
                 "sources": c.source_ids} for c in cad_claims]
    milestones: dict[str, list] = {}
    succeeds: dict[str, set[str]] = {}
    for c in land.claims.values():
        if c.predicate in milestone and isinstance(c.value, PartialDate):
            milestones.setdefault(c.subject, []).append(c)
        elif c.predicate in succession and c.object is not None:
            succeeds.setdefault(c.subject, set()).add(c.object)
    first = {x: min(c.value.start() for c in cs) for x, cs in milestones.items()}
    table = []
    for g in gens:
        claims = sorted(milestones.get(g, []), key=lambda c: (-c.status.rank, _neg(stated(c)), c.id))
        ms: dict[str, dict] = {}
        for c in claims:
            m = c.qualifiers.get(milestone[c.predicate]["stage"])
            if m not in ms:
                ms[m] = {"milestone": m, "claim": c.id, "status": c.status.value, "date": str(c.value),
                         "start": c.value.start(), "sources": c.source_ids}
        ancestors, todo = set(), [g]
        while todo:
            for p in succeeds.get(todo.pop(), ()):
                if p not in ancestors and p != g:
                    ancestors.add(p)
                    todo.append(p)
        dates = [first[y] for y in (g, *ancestors) if y in first]
        effective = max(dates) if dates else None
        table.append((effective is None, effective or _FAR, len(ancestors), g, list(ms.values()),
                      succeeds.get(g, set()), develops[g]))
    table.sort(key=lambda t: t[:4])
    return finish(_rows(ents, table, cadences))


def _neg(d: _dt.date) -> int:
    return -d.toordinal()


def _rows(ents, table, cadences) -> list[dict]:
    cad = cadences[0] if cadences else None
    texts = [f"{c['text']} ({c['status']}{', stated ' + c['stated'] if c['stated'] else ''})" for c in cadences]
    raw = []
    order = [t[3] for t in table]
    for i, (_, _, _, g, ms, preds, dev) in enumerate(table):
        direct = [j for j, y in enumerate(order) if y in preds]
        j = direct[-1] if direct else i - 1
        prev = (None, None, None, table[j][3], table[j][4]) if j >= 0 else None
        items = sorted(ms, key=lambda k: (k["start"], k["milestone"])) or [None]
        for k in items:
            pk = next((p for p in prev[4] if k and p["milestone"] == k["milestone"]), None) if prev else None
            gap = months_between(k["start"], pk["start"]) if k and pk else None
            claims = [c.id for c in dev] + ([k["claim"]] if k else []) + ([pk["claim"]] if pk else [])
            sources = [s for c in dev for s in c.source_ids] + (k["sources"] if k else []) + (pk["sources"] if pk else [])
            if gap is not None and cad:
                claims.append(cad["claim"])
                sources += cad["sources"]
            raw.append({
                "position": i + 1, "generation": g, "generation_name": ents[g].name,
                "milestone": k["milestone"] if k else None, "date": k["date"] if k else None,
                "status": k["status"] if k else None, "previous": prev[3] if prev else None,
                "previous_date": pk["date"] if pk else None, "gap_months": gap,
                "cadence_months": cad["months"] if cad else None, "claimed_cadences": texts,
                "claim_ids": claims, "source_ids": sources,
            })
    return raw


def neo4j(ctx, entity: str, kinds: list[str] | None = None) -> list[RoadmapRow]:
    """The same rows as :func:`embedded`, from the Neo4j database of ``ctx`` (a
    :class:`~claimgraph.queries.Neo4jContext`): the Cypher returns raw gaps, rounded here.

    >>> from claimgraph import load
    >>> from claimgraph.neo4j import connect, push
    >>> from claimgraph.queries import Neo4jContext
    >>> with connect() as conn:
    ...     _ = push(load(), conn)
    ...     rows = neo4j(Neo4jContext(conn), "tesla")
    >>> [r.to_dict() for r in rows] == [r.to_dict() for r in embedded(load(), "tesla")]
    True
    """
    kinds = as_list(kinds) or ctx.parameters["generation_kinds"]
    return finish(ctx.run(QUERY.cypher, entity=entity, kinds=kinds))


QUERY = Query(
    name="roadmap",
    description=(
        "ENTITY's product generations (what it DEVELOPS, of the given kinds; the predicates are "
        "the vocabulary's generation, succession, milestone and cadence roles) in order: by the "
        "latest first-milestone date along each generation's SUCCEEDS line (its own and its "
        "predecessors'), then by how many generations it succeeds, then id. Each comes with its "
        "milestone dates from REACHES_MILESTONE claims "
        "(announced, taped-out, samples, volume ...; where claims disagree, the strongest status, "
        "then the latest stated, wins), the gap in months from the previous generation's same "
        "milestone (previous: the generation it SUCCEEDS, else the one before it), and the cadence the entity claims (HAS_CADENCE; the latest stated is "
        "compared, all are listed): gap_vs_cadence > 0 means slower than claimed. Rows cite the "
        "DEVELOPS claims, the milestone claims compared and the cadence claim. The Cypher "
        "returns raw gaps; rounding to 0.1 month is done in Python on both backends."
    ),
    params=(
        Param("entity", "entity", required=True, positional=True, help="whose roadmap (id, name or alias)"),
        Param("kinds", "list", default=None,
              help="entity kinds that count as generations (default: the kinds with the generation role, Chip)"),
    ),
    row=RoadmapRow,
    embedded=embedded,
    neo4j=neo4j,
    table=("position", "generation_name", "milestone", "date", "status", "previous_date",
           "gap_months", "cadence_months", "gap_vs_cadence", "claim_ids"),
    example="claimgraph query roadmap Tesla",
)

