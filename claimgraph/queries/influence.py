"""influence: organisations and people (or the kinds asked for) ranked by betweenness over the
claim graph, PageRank beside it (the scores are :mod:`claimgraph.algorithms`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
import numpy as np

from ..algorithms import exact_betweenness, pagerank, pivots
from ..errors import ClaimgraphError
from ._base import Param, Query, Row, as_list

#: the built-in kinds that are things, not players: by default every other kind is ranked, which
#: is organisations and people (Company, Person, Agency, Fund, and an extension's kinds such as
#: the FtM importer's Organization); kinds with the product or generation role are things too
THING_KINDS = ("Chip", "Product", "Program", "Facility", "ProcessNode", "Platform", "Market", "Document")


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
         symmetric: set[str], limit: int, kinds: list[str] | None = None) -> list[InfluenceRow]:
    """Rows from entities (id, name, kind) and claims (subject, object, (claim id, predicate),
    sources): a list of :class:`InfluenceRow` of the entities of ``kinds`` (None: every kind) by
    betweenness, then PageRank, then id, the first ``limit`` (0: all). The scores are computed
    on the whole graph (a product between two companies still carries their paths); only the
    ranking keeps ``kinds``. The same computation for both backends.

    >>> nodes = [("a", "A", "Company"), ("b", "B", "Company"), ("c", "C", "Chip"), ("d", "D", "Person")]
    >>> edges = [("a", "c", ("a-makes-c", "MAKES"), ["s1"]), ("b", "c", ("b-uses-c", "USES"), ["s2"]),
    ...          ("d", "a", ("d-leads-a", "LEADS"), ["s3"])]
    >>> [(r.rank, r.entity, r.degree) for r in rank(nodes, edges, set(), 0)]
    [(1, 'c', 2), (2, 'a', 2), (3, 'b', 1), (4, 'd', 1)]
    >>> [r.entity for r in rank(nodes, edges, set(), 0, ["Company", "Person"])]
    ['a', 'b', 'd']
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
    keep = set(kinds) if kinds is not None else None
    scored = sorted((-round(bc.get(i, 0.0), 6), -round(float(pr[i]), 6), n[0], i)
                    for i, n in enumerate(nodes)
                    if (keep is None or n[2] in keep) and n[0] in claims_of)  # no claim: nothing to cite
    rows = []
    for pos, (nbc, npr, eid, i) in enumerate(scored[: limit or None], start=1):
        rows.append(InfluenceRow(
            rank=pos, entity=eid, name=nodes[i][1], kind=nodes[i][2], pagerank=-npr, betweenness=-nbc + 0.0,
            degree=len(claims_of[eid]), claim_ids=claims_of[eid], source_ids=sorted(sources_of[eid])))
    return rows


def _symmetric(vocab) -> set[str]:
    return {p for p, d in vocab.predicates.items() if d.symmetric}


def kinds_to_rank(vocab, kind) -> list[str] | None:
    """The kinds the ``kind`` parameter names (a list or comma-separated text; ``all``: None, every
    kind; None: organisations and people, every kind but :data:`THING_KINDS` and the kinds with
    the product or generation role), checked against the vocabulary; raises ClaimgraphError for
    an unknown kind.

    >>> from claimgraph.vocabulary import default_vocabulary
    >>> kinds_to_rank(default_vocabulary(), None), kinds_to_rank(default_vocabulary(), "all")
    (['Agency', 'Company', 'Fund', 'Person'], None)
    """
    if kind is None:
        things = set(THING_KINDS) | set(vocab.kinds_with_role("product")) | set(vocab.kinds_with_role("generation"))
        return sorted(k for k in vocab.kinds if k not in things)
    names = as_list(kind)
    if names == ["all"]:
        return None
    for k in names:
        if k not in vocab.kinds:
            raise ClaimgraphError(f"parameter kind={k!r} is not a kind{vocab.suggest(k, vocab.kinds)} "
                                  f"(kinds: {', '.join(vocab.kinds)}; or all)")
    return names


def embedded(land, limit: int = 20, kind=None) -> list[InfluenceRow]:
    """The ``limit`` (0: all) most influential organisations and people of ``land`` (or entities of
    the kinds ``kind`` names; ``all``: every kind) by betweenness over its claims, with PageRank
    and degree: a list of :class:`InfluenceRow`.

    >>> from claimgraph import load
    >>> [r.entity for r in embedded(load(), 3)]
    ['tesla', 'nvidia', 'xai']
    >>> [r.entity for r in embedded(load(), 2, kind="Chip")]
    ['ai6', 'ai5']
    """
    kinds = kinds_to_rank(land.vocabulary, kind)
    nodes = [(e.id, e.name, e.kind) for e in land.entities.values()]
    edges = [(c.subject, c.object, (c.id, c.predicate), c.source_ids)
             for c in land.claims.values() if c.object is not None]
    return rank(nodes, edges, _symmetric(land.vocabulary), limit, kinds)


def neo4j(ctx, limit: int = 20, kind=None) -> list[InfluenceRow]:
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
    kinds = kinds_to_rank(ctx.vocabulary, kind)
    nodes, edges = [], []
    for r in ctx.run(QUERY.cypher):
        nodes.append((r["id"], r["name"], r["kind"]))
        edges += [(r["id"], x["to"], (x["claim"], x["predicate"]), x["sources"]) for x in r["claims"]]
    return rank(nodes, edges, _symmetric(ctx.vocabulary), limit, kinds)


QUERY = Query(
    name="influence",
    description=(
        "Organisations and people (every kind but products, chips, programs, facilities, "
        "process nodes, platforms, markets and documents: Company, Person, Agency, Fund and an "
        "extension's kinds such as Organization; --param kind=Chip,Product for others, kind=all "
        "for every entity) ranked by betweenness (normalised, undirected: how "
        "often an entity lies on the shortest chains between others), PageRank beside it (alpha "
        "0.85, over claims between entities, weighted by how many claims tie two entities; "
        "symmetric predicates count both ways). Both scores are computed on the whole graph, "
        "products and markets included; only the ranking keeps the kinds asked for. Betweenness "
        "is exact while entities x edges (entity pairs with a claim) is at most 8 million; above that it is estimated from 1.6 million / "
        "edges seeded pivots (at least 16). Scores are rounded to 6 decimals; ties go by "
        "PageRank, then id. On Neo4j the Cypher pulls the projected graph (entities and their "
        "claims) and the scores are computed in Python with networkx/numpy, as embedded. "
        "Each row cites the claims that touch the entity."
    ),
    params=(Param("limit", "int", default=20, minimum=0, help="how many entities (0: all)"),
            Param("kind", "list", default=None,
                  help="the kinds to rank (comma-separated; default organisations and people; all: every kind)")),
    row=InfluenceRow,
    embedded=embedded,
    neo4j=neo4j,
    table=("rank", "name", "kind", "betweenness", "pagerank", "degree"),
    example="claimgraph query influence --param limit=10",
)
