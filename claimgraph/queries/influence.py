"""influence: entities ranked by PageRank and betweenness over the claim graph."""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass

import networkx as nx
import numpy as np

from ._base import Param, Query, Row

#: Exact betweenness costs about entities x edges steps (one breadth-first search per entity);
#: up to this much work it is exact (5 million, 1,000 entities and 5,000 edges, take about 2 s
#: of CPU with :func:`exact_betweenness` on the benchmark machine).
EXACT_WORK = 8_000_000
#: Above it, betweenness is estimated from k seeded pivot entities, k = SAMPLE_WORK // edges
#: (at least PIVOTS): a few hundred pivots for a few thousand entities, 16 at 100k claims.
SAMPLE_WORK = 1_600_000
PIVOTS = 16


def pivots(entities: int, edges: int) -> int | None:
    """How many pivots estimate betweenness (None: exact) for a graph of this size.

    >>> pivots(1000, 5000), pivots(2000, 10000), pivots(10000, 50000)
    (None, 160, 32)
    """
    if entities * edges <= EXACT_WORK:
        return None
    return min(entities, max(PIVOTS, SAMPLE_WORK // max(edges, 1)))


def exact_betweenness(adj: list[list[int]]) -> list[float]:
    """Normalised betweenness of an undirected graph given as adjacency lists (nodes 0..n-1).

    Brandes' algorithm exactly as ``networkx.betweenness_centrality(G, normalized=True)`` runs it
    (the same operations in the same order, so the same floats when ``adj[v]`` lists ``G[v]`` in
    its order), on lists instead of dicts: about twice as fast.

    >>> exact_betweenness([[1], [0, 2], [1]])
    [0.0, 1.0, 0.0]
    """
    n = len(adj)
    bc = [0.0] * n
    for s in range(n):
        sigma = [0.0] * n
        dist = [-1] * n
        preds: list[list[int]] = [[] for _ in range(n)]
        sigma[s] = 1.0
        dist[s] = 0
        order: list[int] = []
        q = deque([s])
        popleft, push, visit = q.popleft, q.append, order.append
        while q:
            v = popleft()
            visit(v)
            dv1 = dist[v] + 1
            sv = sigma[v]
            for w in adj[v]:
                dw = dist[w]
                if dw < 0:
                    push(w)
                    dist[w] = dw = dv1
                if dw == dv1:
                    sigma[w] += sv
                    preds[w].append(v)
        delta = [0.0] * n
        while order:
            w = order.pop()
            coeff = (1 + delta[w]) / sigma[w]
            for v in preds[w]:
                delta[v] += sigma[v] * coeff
            if w != s:
                bc[w] += delta[w]
    pairs = n - 1  # networkx's N without endpoints
    if pairs < 2:
        return bc
    scale = 1 / (pairs * (pairs - 1))
    return [b * scale for b in bc]


@dataclass(kw_only=True)
class InfluenceRow(Row):
    rank: int
    entity: str
    name: str
    kind: str
    pagerank: float
    betweenness: float
    degree: int


def pagerank(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray, alpha: float = 0.85,
             max_iter: int = 100, tol: float = 1.0e-6) -> np.ndarray:
    """PageRank as networkx computes it (weighted, dangling mass spread evenly), vectorised."""
    if n == 0:
        return np.zeros(0)
    out_w = np.bincount(src, weights=w, minlength=n)
    dangling = out_w == 0
    share = np.where(dangling[src], 0.0, w / np.where(out_w[src] == 0, 1.0, out_w[src]))
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = alpha * np.bincount(dst, weights=last[src] * share, minlength=n)
        x += alpha * last[dangling].sum() / n + (1.0 - alpha) / n
        if np.abs(x - last).sum() < n * tol:
            break
    return x


def rank(nodes: list[tuple[str, str, str]], edges: list[tuple[str, str, str, list[str]]],
         symmetric: set[str], limit: int) -> list[InfluenceRow]:
    """Rows from entities (id, name, kind) and claims (subject, object, claim id + predicate,
    sources): the same computation for both backends."""
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
    nodes = [(e.id, e.name, e.kind) for e in land.entities.values()]
    edges = [(c.subject, c.object, (c.id, c.predicate), c.source_ids)
             for c in land.claims.values() if c.object is not None]
    return rank(nodes, edges, _symmetric(land.vocabulary), limit)


def neo4j(ctx, limit: int = 20) -> list[InfluenceRow]:
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
