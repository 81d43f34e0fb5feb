"""contradictions: claims that sources both support and contradict, and claims whose numbers clash."""

from __future__ import annotations

from dataclasses import dataclass

from ..honesty import numeric_conflicts
from ..model import Claim, Effect, Entity, Evidence, Rate, Status
from ..values import PartialDate, Quantity
from ._base import Query, Row, json_loads

KIND_ORDER = {"mixed-evidence": 0, "numeric-conflict": 1}


@dataclass(kw_only=True)
class ContradictionRow(Row):
    kind: str  # mixed-evidence | numeric-conflict
    claim_a: str
    claim_b: str | None
    subject: str
    predicate: str
    object: str | None
    statuses: list[str]
    detail: str
    supporting_source_ids: list[str]
    contradicting_source_ids: list[str]

    def __post_init__(self) -> None:
        super().__post_init__()
        self.supporting_source_ids = sorted(set(self.supporting_source_ids))
        self.contradicting_source_ids = sorted(set(self.contradicting_source_ids))


def _mixed(c: Claim) -> ContradictionRow:
    sup, con = c.supporting_sources, c.contradicting_sources
    return ContradictionRow(
        kind="mixed-evidence", claim_a=c.id, claim_b=None, subject=c.subject, predicate=c.predicate,
        object=c.object, statuses=[c.status.value],
        detail=f"{c.id} ({c.status.value}): {len(sup)} source(s) support it, {len(con)} contradict it",
        supporting_source_ids=sup, contradicting_source_ids=con, claim_ids=[c.id], source_ids=c.source_ids)


def _effects(c: Claim) -> tuple[list[str], list[str]]:
    sup, con = [], []
    for e in c.evidence:
        (con if e.effect is Effect.CONTRADICTS else sup).append(e.source)
    return sup, con


def _rows(land, claims) -> list[ContradictionRow]:
    contradicts = Effect.CONTRADICTS
    rows = [_mixed(c) for c in claims
            if any(e.effect is contradicts for e in c.evidence) and c.supporting_sources]
    effects: dict[str, tuple[list[str], list[str]]] = {}
    claims_of = land.claims
    for f in numeric_conflicts(land):
        a_id, b_id = f.claim_ids
        a, b = claims_of[a_id], claims_of[b_id]
        ea = effects.get(a_id)
        if ea is None:
            ea = effects[a_id] = _effects(a)
        eb = effects.get(b_id)
        if eb is None:
            eb = effects[b_id] = _effects(b)
        rows.append(ContradictionRow(
            kind="numeric-conflict", claim_a=a_id, claim_b=b_id, subject=a.subject, predicate=a.predicate,
            object=a.object, statuses=[a.status.value, b.status.value], detail=f.message,
            supporting_source_ids=ea[0] + eb[0], contradicting_source_ids=ea[1] + eb[1],
            claim_ids=f.claim_ids, source_ids=f.source_ids))
    _sort(rows)
    return rows


def _sort(rows: list[ContradictionRow]) -> None:
    """By kind (mixed evidence first), then claim ids, then the detail text."""
    rows.sort(key=lambda r: (KIND_ORDER[r.kind], r.claim_a, r.claim_b or "", r.detail))


def embedded(land) -> list[ContradictionRow]:
    """Where ``land`` disagrees with itself: a list of :class:`ContradictionRow`, mixed-evidence
    claims first, then numeric conflicts between pairs of claims, each ordered by claim ids.

    >>> from claimgraph import load
    >>> rows = embedded(load())
    >>> any(r.kind == "numeric-conflict" and {r.claim_a, r.claim_b} == {"nvidia-invests-in-xai-series-e",
    ...     "nvidia-invests-in-xai-stake-7pct"} for r in rows)  # ~0.9% against the article's 7%
    True
    """
    return _rows(land, land.claims.values())


def _value(rec: dict):
    v = rec["value"]
    if v is None:
        return None
    if v.get("type") == "quantity":
        fields = {"unit": v["unit"], "approx": bool(v.get("approx"))}
        if v.get("min") is not None or v.get("max") is not None:
            fields |= {"min": v.get("min"), "max": v.get("max")}
        else:
            fields["value"] = v["num"]
        return Quantity(**fields)
    if v.get("type") == "date":
        return PartialDate.parse(v["date"])
    return v.get("text")


def neo4j(ctx) -> list[ContradictionRow]:
    """The same rows as :func:`embedded`, from the Neo4j database of ``ctx`` (a
    :class:`~claimgraph.queries.Neo4jContext`). Mixed-evidence claims come from Cypher as they
    are; for numbers, Cypher returns the claims that share subject, predicate and object (or
    measured value), and the audit's numeric_conflicts decides which pairs cannot both hold.

    >>> from claimgraph import load
    >>> from claimgraph.neo4j import connect, push
    >>> from claimgraph.queries import Neo4jContext
    >>> with connect() as conn:
    ...     _ = push(load(), conn)
    ...     rows = neo4j(Neo4jContext(conn))
    >>> [r.to_dict() for r in rows] == [r.to_dict() for r in embedded(load())]
    True
    """
    from ..landscape import Landscape

    vocab = ctx.vocabulary
    recs = ctx.run(QUERY.cypher)
    entities: dict[str, Entity] = {}
    claims: dict[str, Claim] = {}
    for r in recs:
        for end in (r["subject"], r["object"]):
            if end:
                entities[end["id"]] = Entity(id=end["id"], name=end["name"], kind=end["kind"])
        quals = {k: vocab.coerce_qualifier(k, v) for k, v in json_loads(r["qualifiers_json"]).items()}
        claims[r["claim_id"]] = Claim.model_construct(
            id=r["claim_id"], subject=r["subject"]["id"], predicate=r["predicate"],
            object=r["object"]["id"] if r["object"] else None, value=_value(r),
            qualifiers=quals, asserted_by=[], stated_on=None,
            valid_from=PartialDate.parse(r["valid_from"]) if r["valid_from"] else None,
            valid_until=PartialDate.parse(r["valid_until"]) if r["valid_until"] else None,
            on=None, tense=None, history=None,
            status=Status(r["status"]), evidence=[_evidence(e) for e in json_loads(r["evidence_json"])], notes=None)
    # the dataset's rates, for stakes implied by an amount in one currency over a valuation in another
    rates = [Rate(currency=r["currency"], usd=r["usd"], on=r["on"], source=r["source"])
             for r in ctx.run("MATCH (r:Rate) WHERE $graph IN r.claimgraph_graphs RETURN r.currency AS currency, r.usd AS usd, r.on AS on, "
                              "r.source AS source ORDER BY r.seq")]
    if not rates and ctx.landscape is not None:
        rates = list(ctx.landscape.rates)
    if claims:  # events: their dates (numbers of claims on different dates do not conflict)
        for r in ctx.run("MATCH ()-[r]->() WHERE r.claim_id IN $ids AND r.on IS NOT NULL AND r.claimgraph_graph = $graph "
                         "RETURN r.claim_id AS id, r.on AS on", ids=sorted(claims)):
            claims[r["id"]].on = PartialDate.parse(r["on"])
    land = Landscape(entities, {}, claims, rates, vocab)
    # mixed from the evidence as returned (with known_on: only the sources out by then)
    mixed = [c for c in claims.values() if c.supporting_sources and c.contradicting_sources
             and any(r["claim_id"] == c.id and r["mixed"] for r in recs)]
    rows = [_mixed(c) for c in mixed]
    rows += [r for r in _rows(land, []) if r.kind == "numeric-conflict"]
    _sort(rows)
    return rows


def _evidence(e: dict) -> Evidence:
    return Evidence.model_validate(e)


QUERY = Query(
    name="contradictions",
    description=(
        "Where the record disagrees with itself: claims that some sources support and others "
        "contradict (mixed-evidence), and pairs of claims on the same subject, predicate and "
        "object (or measuring the same thing) whose numbers or dates cannot both hold "
        "(numeric-conflict, the audit's rule: same unit and ranges that do not meet, approximate "
        "values get 5% slack, claims valid in disjoint periods or naming different deals do not "
        "clash; a stated stake is set against the stake another claim's amount over valuation "
        "implies). On Neo4j the Cypher "
        "returns the mixed claims and the claims that share a subject, predicate and object; "
        "the numeric comparison runs in Python (claimgraph.honesty.numeric_conflicts). "
        "Ordered by kind, then claim ids."
    ),
    params=(),
    row=ContradictionRow,
    embedded=embedded,
    neo4j=neo4j,
    table=("kind", "claim_a", "claim_b", "statuses", "detail", "contradicting_source_ids"),
    example="claimgraph query contradictions",
)
