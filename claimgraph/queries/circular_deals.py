"""circular-deals: money that goes round, A funds B while B buys from A.

The legs are the vocabulary's roles: ``investment`` (``{investor: side}``) for the money leg,
``vendor_equity`` (``{vendor: side, instrument: qualifier}``) for equity or warrants a vendor
gives its buyer (the equity leg), ``purchase`` (``{buyer: side}``) for the purchase leg, and
``vehicle`` (``{owner: side}``, the other end a kind with the ``vehicle`` role) for a vehicle of B.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass

from ._base import Query, Row, qty_text, strongest, weakest

ROLE_ORDER = {"money": 0, "equity": 1, "purchase": 2, "vehicle": 3}
#: what a row's loop is, by the kind of its A-to-B legs
LOOPS = {"money": "investment", "equity": "vendor equity"}


@dataclass(kw_only=True)
class Leg:
    role: str  # money | equity | purchase | vehicle
    claim_id: str
    subject: str
    predicate: str
    object: str
    amount: str | None
    stake: str | None
    status: str
    instrument: str | None = None
    count: str | None = None

    def text(self) -> str:
        extra = ", ".join(x for x in (self.instrument, self.count, self.amount, self.stake) if x)
        return (f"{self.role}: {self.subject} {self.predicate} {self.object}"
                f"{' ' + extra if extra else ''} ({self.status}) [{self.claim_id}]")


@dataclass(kw_only=True)
class CircularDealRow(Row):
    investor: str
    investor_name: str
    recipient: str
    recipient_name: str
    vehicles: list[str]
    status: str
    legs: list[Leg]
    loops: list[str] = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.vehicles = sorted(set(self.vehicles))
        self.legs = sorted((x if type(x) is Leg else Leg(**x) for x in self.legs),
                           key=lambda g: (ROLE_ORDER[g.role], g.claim_id))
        self.loops = sorted({LOOPS[g.role] for g in self.legs if g.role in LOOPS})


def _ends(c, side: str) -> tuple[str, str]:
    """(the end on ``side``, the other end) of an entity claim."""
    return (c.subject, c.object) if side == "subject" else (c.object, c.subject)


def vehicle_links(land) -> list[tuple[str, str, object]]:
    """(vehicle, owner, claim) triples, a list: a vehicle-role claim whose other end is of a vehicle
    kind (a Fund V that leases to B, or that B controls).

    >>> from claimgraph import load
    >>> [(v, owner, c.id) for v, owner, c in vehicle_links(load())]
    [('xai-gpu-vehicle', 'xai', 'xai-gpu-vehicle-leases-to-xai')]
    """
    roles = land.vocabulary.role("vehicle")
    kinds = land.vocabulary.kinds_with_role("vehicle")
    out = []
    for c in land.claims.values():
        role = roles.get(c.predicate)
        if role is None or c.object is None:
            continue
        owner, vehicle = _ends(c, role["owner"])
        if land.entities[vehicle].kind in kinds:
            out.append((vehicle, owner, c))
    return out


def _leg(role: str, c, instrument: str | None = None) -> Leg:
    q = c.qualifiers
    return Leg(role=role, claim_id=c.id, subject=c.subject, predicate=c.predicate, object=c.object,
               amount=qty_text(q.get("amount")), stake=qty_text(q.get("stake")), status=c.status.value,
               instrument=qty_text(q.get(instrument)) if instrument else None,
               count=qty_text(q.get("count")) if role == "equity" else None)


def embedded(land) -> list[CircularDealRow]:
    """The circular deals of ``land``, a list of :class:`CircularDealRow` ordered by investor and
    recipient, each with its money and purchase legs.

    Two loops are found: an investment loop (A invests in B) and a vendor-equity loop (A, a
    vendor, gives B equity or warrants: the vendor_equity role), each while B buys from A.
    ``loops`` names which a row has; ``status`` is the weaker of the strongest A-to-B leg
    (investment or equity) and the strongest purchase leg.

    >>> from claimgraph import load
    >>> [(r.investor, r.recipient, r.status, r.loops) for r in embedded(load())]
    [('nvidia', 'xai', 'confirmed', ['investment']), ('nvidia', 'xai-gpu-vehicle', 'reported', ['investment'])]
    """
    legs_of: dict[tuple[str, str], Leg] = {}
    investments = land.vocabulary.role("investment")
    equity = land.vocabulary.role("vendor_equity")

    def leg(role: str, c) -> Leg:  # a claim is a leg of many deals: build it once
        key = (role, c.id)
        if key not in legs_of:
            legs_of[key] = _leg(role, c, equity[c.predicate].get("instrument") if role == "equity" else None)
        return legs_of[key]

    sources_of: dict[str, list[str]] = {}
    links = vehicle_links(land)
    owners_of: dict[str, set[str]] = defaultdict(set)
    link_claims: dict[tuple[str, str], list] = defaultdict(list)
    for v, b, c in links:
        owners_of[v].add(b)
        link_claims[(v, b)].append(c)
    buys = land.vocabulary.role("purchase")
    money: dict[tuple[str, str], dict] = defaultdict(lambda: {"claims": {}, "vias": set()})
    for c in land.claims.values():
        if c.object is None:
            continue
        if c.predicate in investments:
            a, t = _ends(c, investments[c.predicate]["investor"])
        elif c.predicate in equity:
            a, t = _ends(c, equity[c.predicate]["vendor"])
        else:
            continue
        for b, via in [(t, None), *((b, t) for b in sorted(owners_of.get(t, ())))]:
            if b != a:
                money[(a, b)]["claims"][c.id] = c
                money[(a, b)]["vias"].add(via)
    purchases: dict[tuple[str, str], dict] = defaultdict(lambda: {"claims": {}, "vias": set()})
    for c in land.claims.values():
        role = buys.get(c.predicate)
        if role is None or c.object is None:
            continue
        q, a = _ends(c, role["buyer"])  # q buys from a
        for b, via in [(q, None), *((b, q) for b in sorted(owners_of.get(q, ())))]:
            if b != a and (a, b) in money:
                purchases[(a, b)]["claims"][c.id] = c
                purchases[(a, b)]["vias"].add(via)
    rows = []
    for (a, b) in sorted(purchases):
        m, p = money[(a, b)], purchases[(a, b)]
        vias = sorted(v for v in m["vias"] | p["vias"] if v is not None)
        legs = [leg("money" if c.predicate in investments else "equity", c) for c in m["claims"].values()]
        legs += [leg("purchase", c) for c in p["claims"].values()]
        legs += [leg("vehicle", c) for v in vias for c in link_claims[(v, b)]]
        status = weakest([strongest(c.status for c in m["claims"].values()),
                          strongest(c.status for c in p["claims"].values())])
        claims = [g.claim_id for g in legs]
        rows.append(CircularDealRow(
            investor=a, investor_name=land.entities[a].name,
            recipient=b, recipient_name=land.entities[b].name,
            vehicles=vias, status=status, legs=legs, claim_ids=claims,
            source_ids=[s for cid in claims for s in (sources_of.get(cid) or sources_of.setdefault(cid, land.claims[cid].source_ids))],
        ))
    return rows


def neo4j(ctx) -> list[CircularDealRow]:
    """The same rows as :func:`embedded`, from the Neo4j database of ``ctx`` (a
    :class:`~claimgraph.queries.Neo4jContext`).

    >>> from claimgraph import load
    >>> from claimgraph.neo4j import connect, push
    >>> from claimgraph.queries import Neo4jContext
    >>> with connect() as conn:
    ...     _ = push(load(), conn)
    ...     rows = neo4j(Neo4jContext(conn))
    >>> [r.to_dict() for r in rows] == [r.to_dict() for r in embedded(load())]
    True
    """
    return [CircularDealRow(**rec) for rec in ctx.run(QUERY.cypher)]


QUERY = Query(
    name="circular-deals",
    description=(
        "Money that goes round: A invests in B (the investment role: INVESTS_IN), or A, a "
        "vendor, gives B equity or warrants (the vendor_equity role: GRANTS_EQUITY_TO), while B buys "
        "from A (the purchase role: B COMMITS_TO_BUY A, or A SUPPLIES / LEASES_TO / "
        "MANUFACTURES_FOR B), directly or through a vehicle of B: an entity of a vehicle-role "
        "kind (Fund) tied to B by a vehicle-role claim (it LEASES_TO B, or B LEADS, ACQUIRES or "
        "OPERATES it). loops names the kind of loop (investment, vendor equity). Each leg is listed "
        "with its amount, stake, instrument and status; 'status' is the weaker of the strongest "
        "money or equity leg and the strongest purchase leg. Ordered by investor, recipient."
    ),
    params=(),
    row=CircularDealRow,
    embedded=embedded,
    neo4j=neo4j,
    table=("investor_name", "recipient_name", "loops", "vehicles", "status", "legs"),
    example="claimgraph query circular-deals",
)
