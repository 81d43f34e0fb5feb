"""path A B: the shortest chains of claims between two entities, hop by hop."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ClaimgraphError
from ._base import Param, Query, Row, strongest

MAX_HOPS = 15  # the Cypher twin searches up to this many hops
MAX_PATHS = 10000  # enumeration cap before sorting


@dataclass(kw_only=True)
class PathRow(Row):
    path: int
    hop: int
    length: int
    from_id: str
    from_name: str
    to_id: str
    to_name: str
    predicates: list[str]
    links: list[str]
    status: str

    def __post_init__(self) -> None:
        super().__post_init__()
        self.predicates = sorted(set(self.predicates))
        self.links = sorted(set(self.links))


def link_text(predicate: str, forward: bool | None) -> str:
    """How a claim reads along a hop from ``from`` to ``to``: ``-[P]->`` when the claim's
    subject is the hop's ``from`` end, ``<-[P]-`` when the hop walks the claim backwards (its
    subject is the ``to`` end), ``-[P]-`` for a symmetric predicate (``forward`` None).

    >>> link_text("INVESTS_IN", False), link_text("SUPPLIES", True), link_text("COMPETES_WITH", None)
    ('<-[INVESTS_IN]-', '-[SUPPLIES]->', '-[COMPETES_WITH]-')
    """
    if forward is None:
        return f"-[{predicate}]-"
    return f"-[{predicate}]->" if forward else f"<-[{predicate}]-"


def _neighbours(g, u):
    return g._succ[u].keys() | g._pred[u].keys()


def shortest_paths(g, a: str, b: str, max_hops: int = MAX_HOPS) -> list[list[str]]:
    """Every shortest path from a to b (undirected) in the graph ``g``, as sorted lists of node
    ids, by bidirectional breadth-first search; none (``[]``) within ``max_hops``.

    >>> import networkx as nx
    >>> shortest_paths(nx.MultiDiGraph([("a", "b"), ("c", "b"), ("a", "d"), ("d", "c")]), "a", "c")
    [['a', 'b', 'c'], ['a', 'd', 'c']]
    """
    if a == b:
        return [[a]]
    df, db = {a: 0}, {b: 0}
    ff, fb = [a], [b]
    kf = kb = 0
    meet = None
    while ff and fb and kf + kb < max_hops:
        if len(ff) <= len(fb):
            kf += 1
            nxt = []
            for u in ff:
                for w in _neighbours(g, u):
                    if w not in df:
                        df[w] = kf
                        nxt.append(w)
            ff = nxt
            hits = [w for w in ff if w in db]
        else:
            kb += 1
            nxt = []
            for u in fb:
                for w in _neighbours(g, u):
                    if w not in db:
                        db[w] = kb
                        nxt.append(w)
            fb = nxt
            hits = [w for w in fb if w in df]
        if hits:
            meet = min(df[w] + db[w] for w in hits)
            break
    if meet is None:
        return []
    total = meet
    out: list[list[str]] = []

    def ok(w: str, i: int) -> bool:  # may w stand at position i of a shortest path?
        if i <= kf and df.get(w) != i:
            return False
        if total - i <= kb and db.get(w) != total - i:
            return False
        return i <= kf or total - i <= kb

    def walk(p: list[str]) -> None:
        if len(out) >= MAX_PATHS:
            return
        i = len(p)
        if i == total + 1:
            if p[-1] == b:
                out.append(list(p))
            return
        for w in sorted(_neighbours(g, p[-1])):
            if ok(w, i):
                p.append(w)
                walk(p)
                p.pop()

    walk([a])
    return sorted(out)


def embedded(land, a: str, b: str, limit: int = 10) -> list[PathRow]:
    """The shortest paths between ``a`` and ``b`` (ids) over the claims of ``land``, up to
    ``limit`` of them: a list of :class:`PathRow`, one per hop of each path. ``links`` says
    which way each claim of a hop reads: xAI <-[INVESTS_IN]- Tesla (Tesla invests in xAI).

    >>> from claimgraph import load
    >>> [(r.from_id, r.links, r.to_id) for r in embedded(load(), "xai", "samsung")][:1]   # xAI - Tesla - Samsung
    [('xai', ['<-[INVESTS_IN]-'], 'tesla')]
    """
    if a == b:
        raise ClaimgraphError(f"path needs two different entities, got {a!r} twice")
    g = land.graph
    preds = land.vocabulary.predicates
    rows = []
    for n, p in enumerate(shortest_paths(g, a, b)[:limit], start=1):
        for h, (u, v) in enumerate(zip(p, p[1:], strict=False), start=1):
            claims = [land.claims[k] for k in list(g._succ[u].get(v, {})) + list(g._succ[v].get(u, {}))]
            rows.append(PathRow(
                path=n, hop=h, length=len(p) - 1, from_id=u, from_name=land.entities[u].name,
                to_id=v, to_name=land.entities[v].name, predicates=[c.predicate for c in claims],
                links=[link_text(c.predicate, None if _symmetric(preds, c.predicate) else c.subject == u) for c in claims],
                status=strongest(c.status for c in claims), claim_ids=[c.id for c in claims],
                source_ids=[s for c in claims for s in c.source_ids]))
    return rows


def _symmetric(preds, name: str) -> bool:
    p = preds.get(name)
    return p is not None and p.symmetric


def neo4j(ctx, a: str, b: str, limit: int = 10) -> list[PathRow]:
    """The same rows as :func:`embedded`, from the Neo4j database of ``ctx`` (a
    :class:`~claimgraph.queries.Neo4jContext`).

    >>> from claimgraph import load
    >>> from claimgraph.neo4j import connect, push
    >>> from claimgraph.queries import Neo4jContext
    >>> with connect() as conn:
    ...     _ = push(load(), conn)
    ...     rows = neo4j(Neo4jContext(conn), "xai", "samsung")
    >>> [r.to_dict() for r in rows] == [r.to_dict() for r in embedded(load(), "xai", "samsung")]
    True
    """
    if a == b:
        raise ClaimgraphError(f"path needs two different entities, got {a!r} twice")
    symmetric = sorted(n for n, p in ctx.vocabulary.predicates.items() if p.symmetric)
    return [PathRow(**r) for r in ctx.run(QUERY.cypher, a=a, b=b, limit=limit, symmetric_predicates=symmetric)]


QUERY = Query(
    name="path",
    description=(
        "The shortest chains of claims between entities A and B (either direction, at most 15 "
        "hops): up to --param limit paths, ordered by their entity ids; each hop lists every "
        "claim that ties its two entities, their predicates, how each reads from the hop's "
        "first entity to its second (links: -[P]-> as the claim reads, subject to object; "
        "<-[P]- when the hop walks the claim backwards; -[P]- for a symmetric predicate) and "
        "the strongest status."
    ),
    params=(
        Param("a", "entity", required=True, positional=True, help="one end (id, name or alias)"),
        Param("b", "entity", required=True, positional=True, help="the other end"),
        Param("limit", "int", default=10, minimum=1, help="how many shortest paths at most"),
    ),
    row=PathRow,
    embedded=embedded,
    neo4j=neo4j,
    table=("path", "hop", "from_name", "links", "to_name", "status", "claim_ids"),
    example="claimgraph query path 特斯拉 英伟达",
)
