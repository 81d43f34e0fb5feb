"""dependencies ENTITY: what an entity depends on upstream, and where a single maker is all it has.

The hops are the claims whose predicate has the vocabulary's ``dependency`` role
(``{upstream: subject|object, relation: ...}``); makers come from the ``maker`` role (``{product:
object}`` or an entity qualifier naming the product), for dependencies of a kind with the
``product`` role.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass

from ._base import Param, Query, Row, cited_sources, strongest


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

    def __post_init__(self) -> None:
        super().__post_init__()
        self.makers = sorted(set(self.makers))


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


def embedded(land, entity: str, depth: int = 3) -> list[DependencyRow]:
    """What ``entity`` (an id) depends on upstream, hop by hop up to ``depth``: a list of
    :class:`DependencyRow` ordered by depth, dependent, dependency and predicate.

    >>> from claimgraph import load
    >>> [(r.dependency, r.makers, r.single_source) for r in embedded(load(), "tesla", 1)
    ...  if r.dependency in ("ai5", "ai6")]   # Samsung alone makes AI6
    [('ai5', ['samsung', 'tsmc'], False), ('ai6', ['samsung'], True)]
    """
    edges, makers = dependency_edges(land)
    dist = {entity: 0}
    todo = deque([entity])
    while todo:
        y = todo.popleft()
        if dist[y] + 1 >= depth:
            continue
        for z, _, _ in edges.get(y, ()):
            if z not in dist:
                dist[z] = dist[y] + 1
                todo.append(z)
    groups = defaultdict(list)
    for y, d in dist.items():
        for z, pred, c in edges.get(y, ()):
            if z != entity:
                groups[(d + 1, y, z, pred)].append(c)
    rows = []
    ents = land.entities
    relation = {p: o["relation"] for p, o in land.vocabulary.role("dependency").items()}
    product_kinds = land.vocabulary.kinds_with_role("product")
    who_makes: dict[str, list[str]] = {}
    srcs: dict[str, list[str]] = {}
    for (d, y, z, pred), claims in sorted(groups.items()):
        mk = makers.get(z, []) if ents[z].kind in product_kinds else []
        if z not in who_makes:
            who_makes[z] = sorted({c.subject for c in mk})
        who = who_makes[z]
        all_claims = claims + mk if len(who) == 1 else claims  # the single-source mark rests on them
        rows.append(DependencyRow(
            depth=d, dependent=y, dependent_name=ents[y].name, predicate=pred,
            relation=relation[pred], dependency=z, dependency_name=ents[z].name,
            dependency_kind=ents[z].kind, makers=who, single_source=len(who) == 1,
            status=strongest(c.status for c in claims),
            claim_ids=[c.id for c in all_claims],
            source_ids=cited_sources(all_claims, srcs),
        ))
    return rows


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
    table=("depth", "dependent_name", "relation", "dependency_name", "dependency_kind", "makers",
           "single_source", "status", "claim_ids"),
    example="claimgraph query dependencies Tesla --param depth=2",
)
