"""dependencies ENTITY: what an entity depends on upstream, and where a single maker is all it has.

The hops are the claims whose predicate has the vocabulary's ``dependency`` role
(``{upstream: subject|object, relation: ...}``); makers come from the ``maker`` role (``{product:
object}`` or an entity qualifier naming the product), for dependencies of a kind with the
``product`` role.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ._base import (
    Param,
    Query,
    Row,
    Span,
    cited_sources,
    period_text,
    sort_spans,
    spans_of,
    strongest,
)


@dataclass(kw_only=True)
class DependencyRow(Row):
    depth: int
    dependent: str
    dependent_name: str
    predicate: str
    relation: str
    dependency: str
    dependency_name: str
    dependency_kind: str
    makers: list[str]
    single_source: bool
    status: str
    followed: bool
    spans: list[Span]
    period: str = ""
    via: list[str] = field(default_factory=list)
    via_claim_ids: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.makers = sorted(set(self.makers))
        self.spans = sort_spans(self.spans)
        self.period = period_text(self.spans)


def dependency_edges(land):
    """``(edges, makers)``: ``edges[y]`` lists ``(dependency, predicate, claim)`` for every
    upstream tie of ``y`` (what it develops, uses or is built on; who makes, supplies, leases to or
    manufactures for it), and ``makers[product]`` the claims saying who makes it.

    >>> from claimgraph import load
    >>> edges, makers = dependency_edges(load())
    >>> sorted(z for z, _, _ in edges["ai5"]), sorted(c.subject for c in makers["ai5"])
    (['samsung', 'tsmc', 'tsmc-n3e'], ['samsung', 'tsmc'])
    """
    edges = defaultdict(list)
    makers = defaultdict(list)
    deps = land.vocabulary.role("dependency")
    made = land.vocabulary.role("maker")
    for c in land.claims.values():
        if c.object is None:
            continue
        dep = deps.get(c.predicate)
        if dep is not None:
            if dep["upstream"] == "object":
                edges[c.subject].append((c.object, c.predicate, c))
            else:
                edges[c.object].append((c.subject, c.predicate, c))
        mk = made.get(c.predicate)
        if mk is not None:
            product = c.object if mk["product"] == "object" else c.qualifiers.get(mk["product"])
            if isinstance(product, str):
                makers[product].append(c)
    return edges, makers


def followed(vocabulary) -> set[str]:
    """The dependency predicates whose upstream end is followed in turn (the role's ``follow``):
    what a dependent develops, uses or is built on. A hop of any other (who makes, supplies,
    leases to or manufactures for it) ends the chain: that maker's or supplier's own products
    and suppliers are its catalogue, not the dependent's.

    >>> from claimgraph.vocabulary import default_vocabulary
    >>> sorted(followed(default_vocabulary()))
    ['BUILT_ON', 'DEVELOPS', 'USES']
    """
    return {p for p, o in vocabulary.role("dependency").items() if o.get("follow")}


def embedded(land, entity: str, depth: int = 3) -> list[DependencyRow]:
    """What ``entity`` (an id) depends on upstream, hop by hop up to ``depth``: a list of
    :class:`DependencyRow` ordered by depth, dependent, dependency and predicate.

    The search goes on from what the entity develops, uses or is built on (the ``follow``
    hops), never from a maker or supplier, so a supplier's other products are not listed.

    >>> from claimgraph import load
    >>> rows = embedded(load(), "tesla", 2)
    >>> [(r.dependency, r.makers, r.single_source) for r in rows
    ...  if r.depth == 1 and r.dependency in ("ai5", "ai6")]   # Samsung alone makes AI6
    [('ai5', ['samsung', 'tsmc'], False), ('ai6', ['samsung'], True)]
    >>> [r.period for r in rows if r.dependency == "nvidia"]   # HW2 era, and again after Dojo
    ['2016-10-01 to 2019-12-31; from 2025-08-01']
    >>> any(r.dependent == "nvidia" for r in rows)             # not Nvidia's own product line
    False
    """
    edges, makers = dependency_edges(land)
    vocab = land.vocabulary
    follow = followed(vocab)
    relation = {p: o["relation"] for p, o in vocab.role("dependency").items()}
    own = {p: o["own"] for p, o in vocab.role("maker").items() if "own" in o}
    # the entity's own products (what it makes: the maker role's own) come first, followed on
    hops = {entity: [(c.object, c.predicate, c) for c in land.claims_of(entity, "out")
                     if c.predicate in own and c.object is not None] + edges.get(entity, [])}

    def hops_of(y: str) -> list:
        return hops[y] if y in hops else edges.get(y, [])

    def follows(y: str, pred: str, c) -> bool:
        return pred in follow or (y == entity and pred in own and c.subject == entity)

    # breadth-first, one round per hop: a round goes on only from what the previous one reached
    # first through a followed hop; what it reached only through a maker or supplier is an end
    dist = {entity: 0}
    frontier = [entity]
    reached = [entity]
    for d in range(1, depth):
        nxt: dict[str, bool] = {}
        for y in frontier:
            for z, pred, c in hops_of(y):
                if z not in dist:
                    nxt[z] = nxt.get(z, False) or follows(y, pred, c)
        dist.update(dict.fromkeys(nxt, d))
        frontier = [z for z, f in nxt.items() if f]
        reached += frontier
    groups = defaultdict(list)
    for y in reached:
        for z, pred, c in hops_of(y):
            if z != entity:
                groups[(dist[y] + 1, y, z, pred)].append(c)
    rows = []
    ents = land.entities
    product_kinds = vocab.kinds_with_role("product")
    who_makes: dict[str, list[str]] = {}
    srcs: dict[str, list[str]] = {}
    for (d, y, z, pred), claims in sorted(groups.items()):
        mk = [c for c in makers.get(z, ()) if c.subject != entity] if ents[z].kind in product_kinds else []
        if z not in who_makes:
            who_makes[z] = sorted({c.subject for c in mk})
        who = who_makes[z]
        all_claims = claims + mk if len(who) == 1 else claims  # the single-source mark rests on them
        mine = y == entity and pred in own and claims[0].subject == entity
        rows.append(DependencyRow(
            depth=d, dependent=y, dependent_name=ents[y].name, predicate=pred,
            relation=own[pred] if mine else relation[pred], dependency=z, dependency_name=ents[z].name,
            dependency_kind=ents[z].kind, makers=who, single_source=len(who) == 1,
            status=strongest(c.status for c in claims), followed=mine or pred in follow,
            spans=spans_of(land, claims),
            claim_ids=[c.id for c in all_claims],
            source_ids=cited_sources(all_claims, srcs),
        ))
    return with_paths(rows, entity)


def with_paths(rows: list[DependencyRow], entity: str) -> list[DependencyRow]:
    """``rows`` (both backends' rows, in their order) with ``via`` and ``via_claim_ids`` set: the
    chain of followed hops from ``entity`` to each row's dependent and the claims it rests on.
    Each dependent is reached by the followed hops of the previous depth; where several reach
    it, the chain runs through the dependent with the smallest id.

    >>> from claimgraph import load
    >>> rows = embedded(load(), "tesla", 3)
    >>> [(r.via, r.via_claim_ids) for r in rows if (r.dependent, r.dependency) == ("d1", "tsmc")]
    [(['tesla', 'd1'], ['tesla-develops-d1'])]
    >>> [r.via for r in rows if (r.dependent, r.dependency) == ("dojo", "d1")]
    [['tesla', 'dojo']]
    """
    depth_of = {entity: 0}
    for r in rows:
        depth_of.setdefault(r.dependent, r.depth - 1)
    parent: dict[str, DependencyRow] = {}
    for r in rows:
        z = r.dependency
        if r.followed and depth_of.get(z) == r.depth:
            best = parent.get(z)
            if best is None or r.dependent < best.dependent:
                parent[z] = r
    chains: dict[str, tuple[list[str], list[str]]] = {entity: ([entity], [])}

    def chain(y: str) -> tuple[list[str], list[str]]:
        got = chains.get(y)
        if got is None:
            hop = parent[y]
            path, claims = chain(hop.dependent)
            own = [c for c in hop.claim_ids if c in {s.claim_id for s in hop.spans}]
            got = chains[y] = (path + [y], claims + own)
        return got

    for r in rows:
        r.via, claims = chain(r.dependent)
        r.via_claim_ids = sorted(set(claims))
    return rows


def neo4j(ctx, entity: str, depth: int = 3) -> list[DependencyRow]:
    """The same rows as :func:`embedded`, from the Neo4j database of ``ctx`` (a
    :class:`~claimgraph.queries.Neo4jContext`): the Cypher twin gives the hops, and the chains
    (``via``) are drawn from them as the embedded backend draws them.

    >>> from claimgraph import load
    >>> from claimgraph.neo4j import connect, push
    >>> from claimgraph.queries import Neo4jContext
    >>> with connect() as conn:
    ...     _ = push(load(), conn)
    ...     rows = neo4j(Neo4jContext(conn), "tesla", 3)
    >>> [r.to_dict() for r in rows] == [r.to_dict() for r in embedded(load(), "tesla", 3)]
    True
    """
    rows = [DependencyRow(**rec) for rec in ctx.run(QUERY.cypher, entity=entity, depth=depth)]
    return with_paths(rows, entity)


QUERY = Query(
    name="dependencies",
    description=(
        "What ENTITY depends on upstream, hop by hop up to --depth, along the claims whose "
        "predicate has the vocabulary's dependency role (built in: what it develops or uses, "
        "what those are built on, who makes, supplies, leases to or manufactures for it, whom it "
        "commits to buy from). A "
        "dependency of a product-role kind (Chip, Product) lists its makers (the maker role: "
        "MAKES, or MANUFACTURES_FOR with a product); single_source marks a single point of "
        "failure (exactly one maker). 'status' is "
        "the strongest status of the hop's own claims; claim_ids add the maker's claims when "
        "the hop is single-sourced. "
        "Ordered by depth, dependent, dependency, predicate."
    ),
    params=(
        Param("entity", "entity", required=True, positional=True, help="whose dependencies (id, name or alias)"),
        Param("depth", "int", default=3, minimum=1, maximum=8, help="how many hops upstream"),
    ),
    row=DependencyRow,
    embedded=embedded,
    neo4j=neo4j,
    table=("depth", "dependent_name", "relation", "dependency_name", "dependency_kind", "makers",
           "single_source", "status", "period", "via", "claim_ids"),
    example="claimgraph query dependencies Tesla --param depth=2",
)
