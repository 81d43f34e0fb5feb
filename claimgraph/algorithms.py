"""Graph algorithms over a landscape, as plain functions (the networkx style): PageRank,
betweenness, and ego networks. The queries and the pictures use these and no copies of them.

>>> from claimgraph import load
>>> sub = neighbourhood(load(), "xAI", 1)
>>> "nvidia" in sub.entities
True
"""

from __future__ import annotations

from collections import deque

import numpy as np

from .errors import ClaimgraphError
from .landscape import Landscape

__all__ = ["pagerank", "undirected_pagerank", "exact_betweenness", "pivots", "neighbourhood"]

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


def pagerank(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray, alpha: float = 0.85,
             max_iter: int = 100, tol: float = 1.0e-6) -> np.ndarray:
    """PageRank as networkx computes it (weighted, dangling mass spread evenly), vectorised:
    edges ``src[i] -> dst[i]`` of weight ``w[i]`` over nodes ``0..n-1``; returns the scores.

    >>> r = pagerank(3, np.array([1, 2]), np.array([0, 0]), np.array([1.0, 1.0]))
    >>> int(r.argmax())
    0
    """
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



def undirected_pagerank(n: int, pairs: list[tuple[int, int]]) -> np.ndarray:
    """:func:`pagerank` with each pair counted in both directions (weight 1 a pair).

    >>> r = undirected_pagerank(3, [(0, 1), (0, 2)])
    >>> int(r.argmax())
    0
    """
    if n == 0:
        return np.zeros(0)
    if not pairs:
        return np.full(n, 1.0 / n)
    arr = np.array(pairs, dtype=np.int64)
    src = np.concatenate([arr[:, 0], arr[:, 1]])
    dst = np.concatenate([arr[:, 1], arr[:, 0]])
    return pagerank(n, src, dst, np.ones(len(src)))


def neighbourhood(land, entity: str, depth: int = 1):
    """The ego network: the part of ``land`` within ``depth`` relations of ``entity`` (either direction).

    Keeps the entities reached, the claims among them and their value claims.

    >>> from claimgraph import load
    >>> sub = neighbourhood(load(), "Tesla", 1)
    >>> "tesla" in sub.entities
    True
    """
    if depth < 0:
        raise ClaimgraphError(f"--depth {depth} is negative: give 0 or more")
    start = land.resolve(entity)
    g = land.graph
    seen = {start}
    frontier = [start]
    for _ in range(depth):
        nxt = []
        for node in frontier:
            for other in (*g.successors(node), *g.predecessors(node)):
                if other not in seen:
                    seen.add(other)
                    nxt.append(other)
        frontier = nxt
    ents = {k: e for k, e in land.entities.items() if k in seen}
    claims = {k: c for k, c in land.claims.items()
              if c.subject in seen and (c.object is None or c.object in seen)}
    sub = Landscape(ents, land.sources, claims, land.rates, land.vocabulary)
    sub.origins, sub.notices = land.origins, land.notices
    return sub


