"""frenemies: who is tied to whom both by cooperation or money and by competition.

Ties are the claims of a stance with the ``tie`` role, competition those of a stance with the
``rivalry`` role; groups come from the predicates with the ``group`` role (``{leader: side,
members: [kinds]}``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ._base import (
    Query,
    Row,
    Span,
    cited_sources,
    overlap,
    period_text,
    sort_spans,
    spans_of,
    strongest,
)

GROUP_PREFIX = "group:"


@dataclass(kw_only=True)
class FrenemyRow(Row):
    a: str
    a_name: str
    a_members: list[str]
    b: str
    b_name: str
    b_members: list[str]
    cooperative_claim_ids: list[str]
    competitive_claim_ids: list[str]
    cooperative_predicates: list[str]
    competitive_predicates: list[str]
    strongest_cooperative: str
    strongest_competitive: str
    cooperative_spans: list[Span]
    competitive_spans: list[Span]
    cooperative_period: str = ""
    competitive_period: str = ""
    overlap: str = ""
    came_first: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        for f in ("a_members", "b_members", "cooperative_claim_ids", "competitive_claim_ids",
                  "cooperative_predicates", "competitive_predicates"):
            setattr(self, f, sorted(set(getattr(self, f))))
        self.cooperative_spans = sort_spans(self.cooperative_spans)
        self.competitive_spans = sort_spans(self.competitive_spans)
        self.cooperative_period = period_text(self.cooperative_spans)
        self.competitive_period = period_text(self.competitive_spans)
        self.overlap, first = overlap(self.cooperative_spans, self.competitive_spans)
        self.came_first = {"a": "cooperation", "b": "competition"}.get(first, first)


def groups(land) -> dict[str, dict]:
    """Leaders of two or more companies (the group role's members), as groups: a dict ``group:<person id>`` -> name, members.

    >>> from claimgraph import load
    >>> groups(load())["group:elon-musk"]["members"]
    ['spacex', 'tesla', 'xai']
    """
    led: dict[str, set[str]] = defaultdict(set)
    roles = land.vocabulary.role("group")
    for c in land.claims.values():
        role = roles.get(c.predicate)
        if role is None or c.object is None:
            continue
        leader, member = (c.subject, c.object) if role["leader"] == "subject" else (c.object, c.subject)
        if land.entities[member].kind in role["members"]:
            led[leader].add(member)
    return {
        GROUP_PREFIX + p: {"name": f"{land.entities[p].name}'s companies", "members": sorted(ms)}
        for p, ms in led.items() if len(ms) >= 2
    }


def embedded(land) -> list[FrenemyRow]:
    """The pairs of ``land`` tied both by cooperation, money or supply and by competition: a list
    of :class:`FrenemyRow` ordered by a, b.

    Each row says whether the two sides' claims held at the same time (``overlap``: yes, no,
    or unknown when an undated claim leaves it open) and which began first (``came_first``).

    >>> from claimgraph import load
    >>> [(r.a, r.b, r.overlap, r.came_first) for r in embedded(load())]
    [('amd', 'tesla', 'yes', 'cooperation'), ('group:elon-musk', 'nvidia', 'yes', 'cooperation'), ('nvidia', 'tesla', 'yes', 'cooperation')]
    """
    grp = groups(land)
    members = {g: set(d["members"]) for g, d in grp.items()}
    actors_of: dict[str, list[str]] = defaultdict(list)
    for g, ms in members.items():
        for m in ms:
            actors_of[m].append(g)
    vocab = land.vocabulary
    competitive = vocab.predicates_with_stance(*vocab.stances_with_role("rivalry"))
    ties = vocab.predicates_with_stance(*vocab.stances_with_role("tie")) | competitive

    # The claims between two entities all land in the same pairs of actors (the entities and
    # their groups), so they are bucketed per entity pair and each bucket is expanded once.
    buckets: dict[tuple[str, str], tuple[list, list]] = {}
    for c in land.claims.values():
        if c.object is None or c.predicate not in ties:
            continue
        x, y = c.subject, c.object
        key = (x, y) if x <= y else (y, x)
        bucket = buckets.get(key)
        if bucket is None:
            bucket = buckets[key] = ([], [])
        bucket[c.predicate in competitive].append(c)

    apart: dict[tuple[str, str], bool] = {}

    def disjoint(ax: str, ay: str) -> bool:
        if ax not in members:
            return ay not in members or ax not in members[ay]
        if ay not in members:
            return ay not in members[ax]
        key = (ax, ay)
        if key not in apart:
            apart[key] = members[ax].isdisjoint(members[ay])
        return apart[key]

    coop_of: dict[tuple[str, str], list] = defaultdict(list)
    comp_of: dict[tuple[str, str], list] = defaultdict(list)
    for key, (coop, comp) in buckets.items():
        x, y = key
        for ax in (x, *actors_of.get(x, ())):
            for ay in (y, *actors_of.get(y, ())):
                if disjoint(ax, ay):
                    pair = (ax, ay) if ax < ay else (ay, ax)
                    if coop:
                        coop_of[pair].append(key)
                    if comp:
                        comp_of[pair].append(key)

    # what each bucket adds to a row, computed once (a hub's buckets recur in many rows)
    summary: dict[tuple[str, str], tuple] = {}
    srcs: dict[str, list[str]] = {}

    def summarise(key: tuple[str, str]) -> tuple:
        coop, comp = buckets[key]
        out = summary[key] = (
            [c.id for c in coop], [c.id for c in comp],
            {c.predicate for c in coop}, {c.predicate for c in comp},
            strongest(c.status for c in coop), strongest(c.status for c in comp),
            set(cited_sources(coop + comp, srcs)), spans_of(land, coop), spans_of(land, comp),
        )
        return out

    def info(actor: str):
        if actor in grp:
            return grp[actor]["name"], grp[actor]["members"]
        return land.entities[actor].name, [actor]

    rows = []
    for (a, b) in sorted(coop_of.keys() & comp_of.keys()):
        keys = list(dict.fromkeys(coop_of[(a, b)] + comp_of[(a, b)]))
        touched = {e for key in keys for e in key}
        if any(g in members and len(members[g] & touched) < 2 for g in (a, b)):
            continue  # a group row must involve two of its companies, else the entity row says it
        coop_ids: list[str] = []
        comp_ids: list[str] = []
        coop_preds: set[str] = set()
        comp_preds: set[str] = set()
        coop_best, comp_best, sources = [], [], set()
        coop_spans: list[Span] = []
        comp_spans: list[Span] = []
        for key in keys:
            s = summary.get(key) or summarise(key)
            coop_ids += s[0]
            comp_ids += s[1]
            coop_preds |= s[2]
            comp_preds |= s[3]
            if s[4] is not None:
                coop_best.append(s[4])
            if s[5] is not None:
                comp_best.append(s[5])
            sources |= s[6]
            coop_spans += s[7]
            comp_spans += s[8]
        (an, am), (bn, bm) = info(a), info(b)
        rows.append(FrenemyRow(
            a=a, a_name=an, a_members=am, b=b, b_name=bn, b_members=bm,
            cooperative_claim_ids=coop_ids, competitive_claim_ids=comp_ids,
            cooperative_predicates=coop_preds, competitive_predicates=comp_preds,
            strongest_cooperative=strongest(coop_best), strongest_competitive=strongest(comp_best),
            cooperative_spans=coop_spans, competitive_spans=comp_spans,
            claim_ids=coop_ids + comp_ids, source_ids=sources,
        ))
    return rows


QUERY = Query(
    name="frenemies",
    description=(
        "Pairs tied both by cooperative, financial or supply claims and by competitive ones "
        "(the stances with the tie and the rivalry role).\n"
        "A pair is two entities, or an entity and a group: a person who LEADS two or more "
        "companies (the group role) makes a group (group:<person id>, e.g. Musk's Tesla, SpaceX and xAI). A group "
        "row appears only when claims touch at least two of its companies. Both sides' claims "
        "are listed, with the strongest status on each side, when each side's claims hold "
        "(cooperative_period, competitive_period, per claim in the spans) and whether they "
        "overlap in time: overlap is yes, no (came_first says whether cooperation or "
        "competition came first) or unknown (no dated claims of the two sides meet, but an "
        "undated claim might). Ordered by a, b."
    ),
    params=(),
    row=FrenemyRow,
    embedded=embedded,
    table=("a_name", "b_name", "cooperative_predicates", "strongest_cooperative", "cooperative_period",
           "competitive_predicates", "strongest_competitive", "competitive_period", "overlap",
           "came_first", "claim_ids"),
    example="claimgraph query frenemies --min-status claimed",
)
