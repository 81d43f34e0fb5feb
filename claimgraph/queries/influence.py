"""influence: entities ranked by PageRank and betweenness over the claim graph (the scores
are :mod:`claimgraph.algorithms`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
import numpy as np

from ..algorithms import exact_betweenness, pagerank, pivots
from ._base import Param, Query, Row


@dataclass(kw_only=True)
class InfluenceRow(Row):
    rank: int
    entity: str
    name: str
    kind: str
    pagerank: float
    betweenness: float
    degree: int


def rank(nodes: list[tuple[str, str, str]], edges: list[tuple[str, str, str, list[str]]],
         symmetric: set[str], limit: int) -> list[InfluenceRow]:
    """Rows from entities (id, name, kind) and claims (subject, object, (claim id, predicate),
    sources): a list of :class:`InfluenceRow` by PageRank, then betweenness, then id, the first
    ``limit`` (0: all). The same computation for both backends.

    >>> rows = rank([("a", "A", "Company"), ("b", "B", "Company"), ("c", "C", "Chip")],
    ...             [("a", "c", ("a-makes-c", "MAKES"), ["s1"]), ("b", "c", ("b-uses-c", "USES"), ["s2"])],
    ...             set(), 0)
    >>> [(r.rank, r.entity, r.degree) for r in rows]
    [(1, 'c', 2), (2, 'a', 1), (3, 'b', 1)]
    """
    nodes = sorted(nodes)
    edges = sorted(edges, key=lambda e: e[2])
    index = {n[0]: i for i, n in enumerate(nodes)}
    weights: dict[tuple[int, int], float] = defaultdict(float)
    claims_of: dict[str, list[str]] = defaultdict(list)
    sources_of: dict[str, set[str]] = defaultdict(set)
    und = nx.Graph()
    und.add_nodes_from(range(len(nodes)))
    for s, o, key, sources in edges:
        cid, pred = key
        i, j = index[s], index[o]
        weights[(i, j)] += 1.0
        if pred in symmetric:
            weights[(j, i)] += 1.0
        und.add_edge(min(i, j), max(i, j))
        for e in (s, o):
            claims_of[e].append(cid)
            sources_of[e].update(sources)
    pairs = sorted(weights)
    src = np.array([p[0] for p in pairs], dtype=np.int64)
    dst = np.array([p[1] for p in pairs], dtype=np.int64)
    w = np.array([weights[p] for p in pairs], dtype=float)
    pr = pagerank(len(nodes), src, dst, w)
    k = pivots(len(nodes), und.number_of_edges())
    if len(nodes) <= 2:
        bc = {}
    elif k is None:
        bc = dict(enumerate(exact_betweenness([list(und[v]) for v in range(len(nodes))])))
    else:
        bc = nx.betweenness_centrality(und, k=k, normalized=True, seed=0)
    scored = sorted(((-round(float(pr[i]), 6), -round(bc.get(i, 0.0), 6), n[0], i) for i, n in enumerate(nodes)))
    rows = []
    for pos, (npr, nbc, eid, i) in enumerate(scored[: limit or None], start=1):
        rows.append(InfluenceRow(
            rank=pos, entity=eid, name=nodes[i][1], kind=nodes[i][2], pagerank=-npr, betweenness=-nbc + 0.0,
            degree=len(claims_of[eid]), claim_ids=claims_of[eid], source_ids=sorted(sources_of[eid])))
    return rows


def _symmetric(vocab) -> set[str]:
    return {p for p, d in vocab.predicates.items() if d.symmetric}


def embedded(land, limit: int = 20) -> list[InfluenceRow]:
    """The ``limit`` (0: all) most influential entities of ``land`` by PageRank over its claims,
    with betweenness and degree: a list of :class:`InfluenceRow`.

    >>> from claimgraph import load
    >>> [r.entity for r in embedded(load(), 3)]
    ['blackwell', 'space-compute', 'ai5']
    """
    nodes = [(e.id, e.name, e.kind) for e in land.entities.values()]
    edges = [(c.subject, c.object, (c.id, c.predicate), c.source_ids)
             for c in land.claims.values() if c.object is not None]
    return rank(nodes, edges, _symmetric(land.vocabulary), limit)


def neo4j(ctx, limit: int = 20) -> list[InfluenceRow]:
    """The same rows as :func:`embedded`, from the Neo4j database of ``ctx`` (a
    :class:`~claimgraph.queries.Neo4jContext`): Cypher returns the entities and claims, the
    ranking is done in Python.

    >>> from claimgraph import load
    >>> from claimgraph.neo4j import connect, push
    >>> from claimgraph.queries import Neo4jContext
    >>> with connect() as conn:
    ...     _ = push(load(), conn)
    ...     rows = neo4j(Neo4jContext(conn), 3)
    >>> [r.to_dict() for r in rows] == [r.to_dict() for r in embedded(load(), 3)]
    True
    """
    nodes, edges = [], []
    for r in ctx.run(QUERY.cypher):
        nodes.append((r["id"], r["name"], r["kind"]))
        edges += [(r["id"], x["to"], (x["claim"], x["predicate"]), x["sources"]) for x in r["claims"]]
    return rank(nodes, edges, _symmetric(ctx.vocabulary), limit)


QUERY = Query(
    name="influence",
    description=(
        "Entities ranked by PageRank (alpha 0.85, over claims between entities, weighted by how "
        "many claims tie two entities; symmetric predicates count both ways) and betweenness "
        "(normalised, undirected). Betweenness is exact while entities x edges (entity pairs "
        "with a claim) is at most 8 million; above that it is estimated from 1.6 million / "
        "edges seeded pivots (at least 16). Scores are rounded to 6 decimals; ties go by "
        "betweenness, then id. On Neo4j the Cypher pulls the projected graph (entities and their "
        "claims) and the scores are computed in Python with networkx/numpy, as embedded. "
        "Each row cites the claims that touch the entity."
    ),
    params=(Param("limit", "int", default=20, minimum=0, help="how many entities (0: all)"),),
    row=InfluenceRow,
    embedded=embedded,
    neo4j=neo4j,
    table=("rank", "name", "kind", "pagerank", "betweenness", "degree"),
    example="claimgraph query influence --param limit=10",
)
