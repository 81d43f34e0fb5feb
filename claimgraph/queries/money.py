"""money: who pays whom, per pair, in US dollars where the dataset states a rate.

Which claims are money, who pays and which qualifier holds the amount is the vocabulary's
``money`` role (``{payer: subject|object, amount: QUALIFIER}``); the qualifiers with the ``deal``
role name which deal a claim is about. Claims about one deal are counted once: see :func:`deals_of`.
A payment is best written as an
event (``on: DATE``): seven yearly donations are seven claims whose dates do not meet, so seven
deals that add up, where one state with a ``valid_from`` and no end would be one open deal.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..values import PartialDate, Quantity
from ._base import RANK, Query, Row, strongest, weakest


@dataclass(kw_only=True)
class Flow:
    claim_id: str
    predicate: str
    amount: str | None
    usd: int | None
    status: str
    deal: int | None = None  # the number of the deal (in the row's deals) it counts in

    def text(self) -> str:
        usd = f" = USD {self.usd:,}" if self.usd is not None and "USD" not in (self.amount or "USD") else ""
        deal = f" deal {self.deal}" if self.deal is not None else ""
        return f"{self.predicate} {self.amount or '(no amount)'}{usd} ({self.status}) [{self.claim_id}]{deal}"


@dataclass(kw_only=True)
class Deal:
    """One deal: the claims with an amount that describe it, counted once in the row's totals.

    ``usd_low``/``usd_high`` are the smallest and largest of its claims' figures in US dollars
    (equal when the claims agree; None when no amount converts); ``reported_low``/``reported_high``
    the same over its reported and confirmed claims only (None when it has none).
    """

    deal: int
    predicate: str
    claim_ids: list[str]
    amounts: list[str]
    statuses: list[str]
    usd_low: int | None
    usd_high: int | None
    reported_low: int | None
    reported_high: int | None

    def text(self) -> str:
        usd = "" if self.usd_low is None else f" = USD {self.usd_low:,}" + (
            f"..{self.usd_high:,}" if self.usd_high != self.usd_low else "")
        return f"deal {self.deal}: {self.predicate} {' / '.join(self.amounts)}{usd} [{', '.join(self.claim_ids)}]"


@dataclass(kw_only=True)
class MoneyRow(Row):
    payer: str
    payer_name: str
    payee: str
    payee_name: str
    predicates: list[str]
    usd_total: int
    usd_total_high: int
    usd_reported_or_better: int
    usd_reported_or_better_high: int
    unconverted: list[str]
    strongest_status: str
    weakest_status: str
    deals: list[Deal]
    flows: list[Flow]

    def __post_init__(self) -> None:
        super().__post_init__()
        self.predicates = sorted(set(self.predicates))
        self.unconverted = sorted(self.unconverted)
        self.deals = [d if isinstance(d, Deal) else Deal(**d) for d in self.deals]
        self.flows = sorted((f if isinstance(f, Flow) else Flow(**f) for f in self.flows),
                            key=lambda f: f.claim_id)


def pick_rates(rates) -> dict[str, tuple[float, str | None]]:
    """currency -> (USD per unit, source id), a dict: the most recent stated rate of each currency
    (then the first given); USD is always there.

    >>> pick_rates([{"currency": "KRW", "usd": 0.0007, "on_start": "2024-01-01", "source": "old"},
    ...             {"currency": "KRW", "usd": 0.000725, "on_start": "2025-07-28", "source": "new"}])
    {'KRW': (0.000725, 'new'), 'USD': (1.0, None)}
    """
    best: dict[str, tuple] = {}
    for i, r in enumerate(rates):
        key = (r["on_start"] or "", -i)
        if r["currency"] not in best or key > best[r["currency"]][0]:
            best[r["currency"]] = (key, r["usd"], r.get("source"))
    out = {c: (usd, src) for c, (_, usd, src) in best.items()}
    out.setdefault("USD", (1.0, None))
    return out


def to_usd(point: float | None, unit: str | None, rates: dict) -> tuple[int | None, str | None]:
    """``(whole US dollars, rate source)`` for an amount ``point`` in ``unit``, by ``rates`` (from
    :func:`pick_rates`); ``(None, None)`` when there is no amount or no rate for its currency.

    >>> rates = pick_rates([{"currency": "KRW", "usd": 0.000725, "on_start": "2025-07-28", "source": "fx"}])
    >>> to_usd(22.76e12, "KRW", rates), to_usd(5e9, "EUR", rates)   # Samsung's KRW 22.76T contract
    ((16501000000, 'fx'), (None, None))
    """
    if point is None or unit not in rates:
        return None, None
    usd, src = rates[unit]
    return int(round(point * usd)), src


def _same_deal(f: dict, g: dict) -> bool:
    """Whether two flows of one (payer, payee) can describe the same deal: the same predicate,
    validity periods that meet (an event's period is the date it happened on), and no
    deal-naming qualifier (round, product) that differs.

    >>> a = {"predicate": "INVESTS_IN", "from_day": "2019-01-01", "until_day": "2019-12-31", "round": None, "product": None}
    >>> _same_deal(a, a | {"from_day": "2020-01-01", "until_day": "2020-12-31"})  # two yearly payments
    False
    """
    if f["predicate"] != g["predicate"]:
        return False
    if (f["until_day"] and g["from_day"] and f["until_day"] < g["from_day"]
            or g["until_day"] and f["from_day"] and g["until_day"] < f["from_day"]):
        return False
    fd, gd = f["deal"], g["deal"]
    return all(fd[k] is None or gd.get(k) is None or fd[k] == gd[k] for k in fd)


def deals_of(flows: list[dict]) -> list[list[dict]]:
    """The deals among one pair's flows that state an amount, a list of lists of flows.

    Claims with the same subject, predicate and object whose validity periods meet (events:
    their dates) and which name no different deal-role qualifier (round, product) are taken as one deal: the second report of a figure
    does not add money, and different figures for one deal are a range, not a sum. Flows are
    taken in claim id order; each joins the first deal every one of whose claims it can
    describe, else it starts a deal. Flows without an amount belong to no deal.

    >>> def flow(cid, amount, point, **kw):
    ...     return {"payer": "nvidia", "payee": "xai", "payer_name": "Nvidia", "payee_name": "xAI",
    ...             "claim_id": cid, "predicate": "INVESTS_IN", "amount": amount, "point": point,
    ...             "unit": "USD", "status": "reported", "source_ids": [], "from_day": None,
    ...             "until_day": None, "deal": {"round": None, "product": None, **kw}}
    >>> flows = [flow("a", "USD 2B", 2e9, round="Series E"), flow("b", "USD 1.5B", 1.5e9, round="Series E"),
    ...          flow("c", "USD 1B", 1e9, round="Series C")]
    >>> [[f["claim_id"] for f in d] for d in deals_of(flows + [flow("d", None, None)])]
    [['a', 'b'], ['c']]
    """
    deals: list[list[dict]] = []
    for f in sorted((f for f in flows if f["amount"]), key=lambda f: f["claim_id"]):
        for d in deals:
            if all(_same_deal(f, g) for g in d):
                d.append(f)
                break
        else:
            deals.append([f])
    return deals


def finish(rows_in: list[dict], rates: dict) -> list[MoneyRow]:
    """Pairs of (payer, payee) from flow records: a list of :class:`MoneyRow`, amounts converted,
    each deal counted once, ordered by USD then ids. A record has payer, payee, their names,
    claim_id, predicate, amount (text), point, unit, status, source_ids, from_day/until_day (ISO
    days of the validity period or None) and deal: the deal-role qualifiers, name -> text or None.

    >>> def flow(cid, amount, point, **kw):
    ...     return {"payer": "nvidia", "payee": "xai", "payer_name": "Nvidia", "payee_name": "xAI",
    ...             "claim_id": cid, "predicate": "INVESTS_IN", "amount": amount, "point": point,
    ...             "unit": "USD", "status": "reported", "source_ids": [], "from_day": None,
    ...             "until_day": None, "deal": {"round": None, "product": None, **kw}}
    >>> flows = [flow("a", "USD 2B", 2e9, round="Series E"), flow("b", "USD 1.5B", 1.5e9, round="Series E"),
    ...          flow("c", "USD 1B", 1e9, round="Series C")]
    >>> row, = finish(flows, pick_rates([]))
    >>> row.usd_total, row.usd_total_high     # Series E is USD 1.5B..2B once, plus Series C's 1B
    (2500000000, 3000000000)
    """
    pairs: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for f in rows_in:
        pairs[(f["payer"], f["payee"])].append(f)
    out = []
    for (payer, payee), flows in pairs.items():
        srcs, unconverted = [], []
        usd_of: dict[str, int | None] = {}
        for f in flows:
            usd, rate_src = to_usd(f["point"], f["unit"], rates)
            usd_of[f["claim_id"]] = usd
            if usd is None and f["amount"]:
                unconverted.append(f["amount"])
            if rate_src and usd is not None and f["unit"] != "USD":
                srcs.append(rate_src)
            srcs += f["source_ids"]
        deals, deal_of = [], {}
        total = total_high = reported = reported_high = 0
        for n, members in enumerate(deals_of(flows), start=1):
            figures = [usd_of[f["claim_id"]] for f in members if usd_of[f["claim_id"]] is not None]
            solid = [usd_of[f["claim_id"]] for f in members
                     if usd_of[f["claim_id"]] is not None and RANK[f["status"]] >= RANK["reported"]]
            deal = Deal(deal=n, predicate=members[0]["predicate"], claim_ids=[f["claim_id"] for f in members],
                        amounts=[f["amount"] for f in members], statuses=[f["status"] for f in members],
                        usd_low=min(figures, default=None), usd_high=max(figures, default=None),
                        reported_low=min(solid, default=None), reported_high=max(solid, default=None))
            deals.append(deal)
            deal_of.update((f["claim_id"], n) for f in members)
            if figures:
                total += deal.usd_low
                total_high += deal.usd_high
            if solid:
                reported += deal.reported_low
                reported_high += deal.reported_high
        items = [Flow(claim_id=f["claim_id"], predicate=f["predicate"], amount=f["amount"],
                      usd=usd_of[f["claim_id"]], status=f["status"], deal=deal_of.get(f["claim_id"]))
                 for f in flows]
        out.append(MoneyRow(
            payer=payer, payer_name=flows[0]["payer_name"], payee=payee, payee_name=flows[0]["payee_name"],
            predicates=[f["predicate"] for f in flows], usd_total=total, usd_total_high=total_high,
            usd_reported_or_better=reported, usd_reported_or_better_high=reported_high,
            unconverted=unconverted, strongest_status=strongest(f["status"] for f in flows),
            weakest_status=weakest(f["status"] for f in flows), deals=deals, flows=items,
            claim_ids=[f["claim_id"] for f in flows], source_ids=srcs,
        ))
    out.sort(key=lambda r: (-r.usd_reported_or_better, -r.usd_total, r.payer, r.payee))
    return out


def _rates_of(land) -> list[dict]:
    return [{"currency": r.currency, "usd": r.usd, "on_start": r.on.start().isoformat() if r.on else None,
             "on": str(r.on) if r.on else None, "source": r.source} for r in land.rates]


def _known_rates(rates: list[dict], ctx) -> list[dict]:
    """With ``known_on``: the rates stated by that day, on sources out by then (as
    :meth:`Landscape.known_on` keeps them)."""
    if ctx.known_on is None:
        return rates
    kept = ctx.kept_sources()
    return [r for r in rates if (not r.get("on") or PartialDate.parse(r["on"]).end() <= ctx.known_on)
            and (r.get("source") is None or r["source"] in kept)]


def embedded(land) -> list[MoneyRow]:
    """The money flows of ``land`` per (payer, payee): a list of :class:`MoneyRow`, the largest
    reported-or-better US-dollar totals first.

    >>> from claimgraph import load
    >>> top = embedded(load())[0]           # Tesla's AI6 contract with Samsung, KRW 22.76T
    >>> top.payer, top.payee, round(top.usd_reported_or_better / 1e9, 1)
    ('tesla', 'samsung', 16.5)
    """
    recs = []
    ents = land.entities
    flows = land.vocabulary.role("money")
    deal_keys = land.vocabulary.qualifiers_with_role("deal")
    for c in land.claims.values():
        role = flows.get(c.predicate)
        if role is None or c.object is None:
            continue
        payer, payee = (c.subject, c.object) if role["payer"] == "subject" else (c.object, c.subject)
        amt = c.qualifiers.get(role["amount"])
        q = amt if isinstance(amt, Quantity) else None
        quals = c.qualifiers
        recs.append({"payer": payer, "payer_name": ents[payer].name, "payee": payee,
                     "payee_name": ents[payee].name, "claim_id": c.id, "predicate": c.predicate,
                     "amount": str(q) if q else None, "point": q.point if q else None,
                     "unit": q.unit if q else None, "status": c.status.value,
                     "source_ids": c.source_ids,
                     "from_day": frm.start().isoformat() if (frm := c.valid_from or c.on) else None,
                     "until_day": until.end().isoformat() if (until := c.valid_until or c.on) else None,
                     "deal": {k: None if quals.get(k) is None else str(quals[k]) for k in deal_keys}})
    return finish(recs, pick_rates(_rates_of(land)))


def neo4j(ctx) -> list[MoneyRow]:
    """The same rows as :func:`embedded`, from the Neo4j database of ``ctx`` (a
    :class:`~claimgraph.queries.Neo4jContext`): Cypher returns the flows and the rates, and the
    conversion, deals and sums are done in Python.

    >>> from claimgraph import load
    >>> from claimgraph.neo4j import connect, push
    >>> from claimgraph.queries import Neo4jContext
    >>> with connect() as conn:
    ...     _ = push(load(), conn)
    ...     rows = neo4j(Neo4jContext(conn))
    >>> [r.to_dict() for r in rows] == [r.to_dict() for r in embedded(load())]
    True
    """
    keys = ctx.parameters["deal_qualifiers"]
    recs = [r | {"deal": dict(zip(keys, r["deal"], strict=True))} for r in ctx.run(QUERY.cypher)]
    rates = ctx.run("MATCH (r:Rate) WHERE $graph IN r.claimgraph_graphs RETURN r.currency AS currency, r.usd AS usd, "
                    "toString(r.on_start) AS on_start, r.on AS on, r.source AS source ORDER BY r.seq")
    if not rates and ctx.landscape is not None:
        rates = _rates_of(ctx.landscape)
    return finish(recs, pick_rates(_known_rates(rates, ctx)))


QUERY = Query(
    name="money",
    description=(
        "Money flows per (payer, payee): every claim whose predicate has the vocabulary's money "
        "role (built in: INVESTS_IN, COMMITS_TO_BUY and ACQUIRES, where the subject pays, and "
        "MANUFACTURES_FOR, where the customer pays the maker), each flow with its amount (the "
        "role's amount qualifier) and status. Amounts are turned into whole US dollars with the exchange rates the dataset "
        "states (the most recent rate per currency; its source joins source_ids); a range counts "
        "as its upper bound. Claims about one deal count once: claims with an amount, the same "
        "predicate, validity periods that meet (an event's: its date, so repeated payments are "
        "separate deals that add up) and no different deal-naming qualifier (round, product) form one deal "
        "(listed in deals, each flow names its deal); a deal whose claims give different figures "
        "adds its smallest figure to usd_total and its largest to usd_total_high (a range, not a "
        "sum). usd_reported_or_better(_high) counts only reported and confirmed claims' figures; "
        "amounts with no rate are listed as unconverted. Every claim stays in flows with its own "
        "status. On Neo4j the Cypher returns the flows and the rates, and the conversion, deals "
        "and sums are done in Python. "
        "Ordered by usd_reported_or_better, then usd_total (largest first), payer, payee."
    ),
    params=(),
    row=MoneyRow,
    embedded=embedded,
    neo4j=neo4j,
    table=("payer_name", "payee_name", "predicates", "usd_total", "usd_total_high", "usd_reported_or_better",
           "unconverted", "strongest_status", "weakest_status", "flows"),
    example="claimgraph query money --format json",
)
