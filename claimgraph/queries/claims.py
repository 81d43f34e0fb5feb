"""claims: the claim ledger, filtered by entity, status, source and predicate."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import value_to_data
from ._base import Param, Query, Row, as_list, json_loads, qty_text


@dataclass(kw_only=True)
class ClaimRow(Row):
    claim_id: str
    subject: str
    subject_name: str
    predicate: str
    object: str | None
    object_name: str | None
    value: str | None
    qualifiers: str
    status: str
    stated_on: str | None
    valid_from: str | None
    valid_until: str | None


def qualifiers_text(data: dict) -> str:
    """Exported qualifier data as ``k=v, ...`` (sorted by name), quantities as ``USD 2B``.

    >>> qualifiers_text({"stake": "7%", "round": "Series E"})
    'round=Series E, stake=7%'
    """
    return ", ".join(f"{k}={qty_text(v)}" for k, v in sorted(data.items()))


def embedded(land, entity=None, status=None, source=None, predicate=None) -> list[ClaimRow]:
    """The claims of ``land`` that match every filter given (an entity as subject or object, a
    status, a cited source, a predicate), a list of :class:`ClaimRow` ordered by claim id.

    >>> from claimgraph import load
    >>> [r.claim_id for r in embedded(load(), entity="xai", predicate=["INVESTS_IN"])][:2]
    ['nvidia-invests-in-xai-series-c', 'nvidia-invests-in-xai-series-e']
    """
    ents = land.entities
    status, predicate = as_list(status), as_list(predicate)
    rows = []
    for c in sorted(land.claims.values(), key=lambda c: c.id):
        if entity and entity not in (c.subject, c.object):
            continue
        if status and c.status.value not in status:
            continue
        if source and source not in c.source_ids:
            continue
        if predicate and c.predicate not in predicate:
            continue
        rows.append(ClaimRow(
            claim_id=c.id, subject=c.subject, subject_name=ents[c.subject].name, predicate=c.predicate,
            object=c.object, object_name=ents[c.object].name if c.object else None,
            value=str(c.value) if c.value is not None else None,
            qualifiers=qualifiers_text({k: value_to_data(v) for k, v in c.qualifiers.items()}),
            status=c.status.value, stated_on=_s(c.stated_on), valid_from=_s(c.valid_from),
            valid_until=_s(c.valid_until), claim_ids=[c.id], source_ids=c.source_ids,
        ))
    return rows


def _s(v):
    return str(v) if v is not None else None


def neo4j(ctx, entity=None, status=None, source=None, predicate=None) -> list[ClaimRow]:
    """The same rows as :func:`embedded`, from the Neo4j database of ``ctx`` (a
    :class:`~claimgraph.queries.Neo4jContext`).

    >>> from claimgraph import load
    >>> from claimgraph.neo4j import connect, push
    >>> from claimgraph.queries import Neo4jContext
    >>> with connect() as conn:
    ...     _ = push(load(), conn)
    ...     rows = neo4j(Neo4jContext(conn), entity="xai", predicate=["INVESTS_IN"])
    >>> [r.to_dict() for r in rows] == [r.to_dict() for r in embedded(load(), entity="xai", predicate=["INVESTS_IN"])]
    True
    """
    if source and ctx.known_on is not None and source not in ctx.kept_sources():
        return []  # not out yet on that day: no claim rested on it then
    rows = ctx.run(QUERY.cypher, entity=entity, status=as_list(status), source=source, predicate=as_list(predicate))
    for r in rows:
        r["qualifiers"] = qualifiers_text(json_loads(r.pop("qualifiers_json")))
    return [ClaimRow(**r) for r in rows]


QUERY = Query(
    name="claims",
    description=(
        "The claim ledger: every claim with its subject, predicate, object or value, qualifiers, "
        "status, dates and sources, filtered by entity (as subject or object), status, source "
        "id and predicate. Ordered by claim id."
    ),
    params=(
        Param("entity", "entity", positional=True, help="only claims about this entity (id, name or alias)"),
        Param("status", "list", help="only these statuses (comma-separated)",
              choices=("refuted", "unsupported", "disputed", "stale", "claimed", "reported", "confirmed")),
        Param("source", "str", help="only claims resting on this source id"),
        Param("predicate", "list", help="only these predicates (comma-separated)"),
    ),
    row=ClaimRow,
    embedded=embedded,
    neo4j=neo4j,
    table=("claim_id", "subject_name", "predicate", "object_name", "value", "qualifiers", "status",
           "stated_on", "source_ids"),
    example="claimgraph query claims xAI --param status=disputed,unsupported",
)
