"""neighbourhood ENTITY: the ego network, one row per claim within --depth hops."""

from __future__ import annotations

from dataclasses import dataclass

from ._base import Param, Query, Row


@dataclass(kw_only=True)
class NeighbourRow(Row):
    ring: int
    claim_id: str
    subject: str
    subject_name: str
    predicate: str
    object: str
    object_name: str
    status: str


def embedded(land, entity: str, depth: int = 1) -> list[NeighbourRow]:
    """The claims between entities within ``depth`` relations of ``entity`` (an id), its
    neighbours' claims among themselves included: a list of :class:`NeighbourRow` ordered by
    ring (the farther end's distance), then claim id.

    >>> from claimgraph import load
    >>> rows = embedded(load(), "xai")
    >>> {r.ring for r in rows}, ("nvidia", "INVESTS_IN", "xai") in {(r.subject, r.predicate, r.object) for r in rows}
    ({1}, True)
    >>> ("elon-musk", "LEADS", "spacex") in {(r.subject, r.predicate, r.object) for r in rows}  # Musk leads xAI, SpaceX acquires it
    True
    """
    g = land.graph
    dist = {entity: 0}
    frontier = [entity]
    for d in range(1, depth + 1):
        nxt = []
        for u in frontier:
            for w in g._succ[u].keys() | g._pred[u].keys():
                if w not in dist:
                    dist[w] = d
                    nxt.append(w)
        frontier = nxt
    rows = []
    ents = land.entities
    for u, du in dist.items():
        for v, keys in g._succ[u].items():
            dv = dist.get(v)
            if dv is None:
                continue
            for k in keys:
                c = land.claims[k]
                rows.append(NeighbourRow(
                    ring=max(du, dv), claim_id=c.id, subject=u, subject_name=ents[u].name,
                    predicate=c.predicate, object=v, object_name=ents[v].name, status=c.status.value,
                    claim_ids=[c.id], source_ids=c.source_ids))
    rows.sort(key=lambda r: (r.ring, r.claim_id))
    return rows


QUERY = Query(
    name="neighbourhood",
    description=(
        "ENTITY's ego network: every claim between entities within --depth hops of it (either "
        "direction), as rows, claims among its neighbours included (as networkx's ego_graph). "
        "ring is the farther end's distance from ENTITY. "
        "Ordered by ring, then claim id."
    ),
    params=(
        Param("entity", "entity", required=True, positional=True, help="the centre (id, name or alias)"),
        Param("depth", "int", default=1, minimum=1, maximum=4, help="how many hops out"),
    ),
    row=NeighbourRow,
    embedded=embedded,
    table=("ring", "claim_id", "subject_name", "predicate", "object_name", "status"),
    example="claimgraph query neighbourhood xAI --param depth=2",
)
