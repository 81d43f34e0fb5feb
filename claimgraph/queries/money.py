"""money: who pays whom, per pair, in US dollars where the dataset states a rate.

Which claims are money, who pays and which qualifier holds the amount is the vocabulary's
``money`` role (``{payer: subject|object, amount: QUALIFIER}``); the qualifiers with the ``deal``
role name which deal a claim is about, and those with the ``total`` role (``cumulative``) mark a
running total, listed beside the deals and never added to them. Claims about one deal are
counted once: see :func:`deals_of`. "Up to" amounts are bounds, never in the total, and an
unknown amount is None, never 0: see :func:`finish`. A payment is best written as an
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
    cumulative: str | None = None  # what a running total covers (then it counts in no deal)

    def text(self) -> str:
        usd = f" = USD {self.usd:,}" if self.usd is not None and "USD" not in (self.amount or "USD") else ""
        deal = f" deal {self.deal}" if self.deal is not None else ""
        total = f" total of {self.cumulative}" if self.cumulative is not None else ""
        return f"{self.predicate} {self.amount or '(no amount)'}{usd} ({self.status}) [{self.claim_id}]{deal}{total}"


@dataclass(kw_only=True)
class Deal:
    """One deal: the claims with an amount that describe it, counted once in the row's totals.

    ``usd_low``/``usd_high`` are the smallest and largest of its claims' firm figures in US
    dollars (a range's ends; equal when the claims agree; None when no claim gives a firm figure
    that converts: an "up to" amount is no firm figure); ``usd_up_to`` the largest "up to" bound
    (None when no claim says "up to"); ``reported_low``/``reported_high``/``reported_up_to`` the
    same over its reported and confirmed claims only.
    """

    deal: int
    predicate: str
    claim_ids: list[str]
    amounts: list[str]
    statuses: list[str]
    usd_low: int | None
    usd_high: int | None
    usd_up_to: int | None = None
    reported_low: int | None
    reported_high: int | None
    reported_up_to: int | None = None

    def text(self) -> str:
        usd = "" if self.usd_low is None else f" = USD {self.usd_low:,}" + (
            f"..{self.usd_high:,}" if self.usd_high != self.usd_low else "")
        bound = "" if self.usd_up_to is None else f"{' =' if self.usd_low is None else ','} up to USD {self.usd_up_to:,}"
        return f"deal {self.deal}: {self.predicate} {' / '.join(self.amounts)}{usd}{bound} [{', '.join(self.claim_ids)}]"


@dataclass(kw_only=True)
class Total:
    """A running total (a claim with a ``total``-role qualifier, built in ``cumulative``): what
    it covers, its amount and status. Shown beside the deals, never added to them."""

    claim_id: str
    covers: str
    amount: str
    usd: int | None
    status: str

    def text(self) -> str:
        usd = f" = USD {self.usd:,}" if self.usd is not None and "USD" not in self.amount else ""
        return f"{self.covers}: {self.amount}{usd} ({self.status}) [{self.claim_id}]"


@dataclass(kw_only=True)
class MoneyRow(Row):
    payer: str
    payer_name: str
    payee: str
    payee_name: str
    predicates: list[str]
    usd_total: int | None
    usd_total_high: int | None
    usd_total_up_to: int | None
    usd_reported_or_better: int | None
    usd_reported_or_better_high: int | None
    usd_reported_or_better_up_to: int | None
    totals: list[Total]
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
        self.totals = sorted((t if isinstance(t, Total) else Total(**t) for t in self.totals),
                             key=lambda t: t.claim_id)
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


def figures(f: dict, rates: dict) -> tuple[int | None, int | None, int | None]:
    """``(low, high, up_to)``: a flow's amount in whole US dollars as the totals read it. An exact
    amount is its own low and high, a range gives its two ends, "at least X" gives X as both,
    and "up to X" gives no firm figure (low and high None) and X as ``up_to``, a bound. All None
    when the flow has no amount or its currency no rate.

    >>> rates = pick_rates([])
    >>> [figures({"value": v, "min": lo, "max": hi, "unit": "USD"}, rates)   # 4B, 1-2B, up to 6.5B
    ...  for v, lo, hi in ((4e9, None, None), (None, 1e9, 2e9), (None, None, 6.5e9))]
    [(4000000000, 4000000000, None), (1000000000, 2000000000, None), (None, None, 6500000000)]
    """
    def usd(x):
        return to_usd(x, f["unit"], rates)[0]

    if f["value"] is not None:
        v = usd(f["value"])
        return v, v, None
    if f["min"] is not None:
        low = usd(f["min"])
        return low, low if f["max"] is None else usd(f["max"]), None
    return None, None, usd(f["max"])


def _same_deal(f: dict, g: dict) -> bool:
    """Whether two flows of one (payer, payee) can describe the same deal: the same predicate,
    validity periods that meet (an event's period is the date it happened on), and no
    deal-naming qualifier (deal, round, product) that differs.

    >>> a = {"predicate": "INVESTS_IN", "from_day": "2019-01-01", "until_day": "2019-12-31", "deal": {"round": None}}
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


def _flow(cid, amount, value=None, lo=None, hi=None, total=None, **deal) -> dict:
    """A flow record as :func:`finish` takes them, for the examples here: Nvidia pays xAI."""
    return {"payer": "nvidia", "payee": "xai", "payer_name": "Nvidia", "payee_name": "xAI",
            "claim_id": cid, "predicate": "INVESTS_IN", "amount": amount, "value": value, "min": lo,
            "max": hi, "unit": "USD", "status": "reported", "source_ids": [], "from_day": None,
            "until_day": None, "deal": {"round": None, "deal": None, "product": None, **deal}, "total": total}


def deals_of(flows: list[dict]) -> list[list[dict]]:
    """The deals among one pair's flows that state an amount, a list of lists of flows.

    Claims with the same subject, predicate and object whose validity periods meet (events:
    their dates) and which name no different deal-role qualifier (deal, round, product) are
    taken as one deal: the second report of a figure does not add money, and different figures
    for one deal are a range, not a sum. Flows are taken in claim id order; each joins the first
    deal every one of whose claims it can describe, else it starts a deal. Flows without an
    amount and running totals (``total``: what one covers) belong to no deal.

    >>> flows = [_flow("a", "USD 2B", 2e9, round="Series E"), _flow("b", "USD 1.5B", 1.5e9, round="Series E"),
    ...          _flow("c", "USD 1B", 1e9, round="Series C"), _flow("d", None),
    ...          _flow("e", "USD 3.5B", 3.5e9, total="all rounds")]
    >>> [[f["claim_id"] for f in d] for d in deals_of(flows)]
    [['a', 'b'], ['c']]
    """
    deals: list[list[dict]] = []
    for f in sorted((f for f in flows if f["amount"] and f.get("total") is None), key=lambda f: f["claim_id"]):
        for d in deals:
            if all(_same_deal(f, g) for g in d):
                d.append(f)
                break
        else:
            deals.append([f])
    return deals


def _sum(xs) -> int | None:
    """The sum of the figures that are there; None when none is (an unknown amount is no 0)."""
    known = [x for x in xs if x is not None]
    return sum(known) if known else None


def _reach(pairs: list[tuple[int | None, int | None]]) -> int | None:
    """What deals of ``(high, up_to)`` come to if every "up to" bound is reached: None when none
    has a bound, else the sum of each deal's larger of the two."""
    if all(up is None for _, up in pairs):
        return None
    return _sum(max((x for x in (high, up) if x is not None), default=None) for high, up in pairs)


def finish(rows_in: list[dict], rates: dict) -> list[MoneyRow]:
    """Pairs of (payer, payee) from flow records: a list of :class:`MoneyRow`, amounts converted,
    each deal counted once, ordered by USD then ids. A record has payer, payee, their names,
    claim_id, predicate, amount (text), value, min and max (its numbers), unit, status,
    source_ids, from_day/until_day (ISO days of the validity period or None), deal (the
    deal-role qualifiers, name -> text or None) and total (what a running total covers, or None).

    A deal adds its smallest firm figure to ``usd_total`` and its largest to ``usd_total_high``;
    "up to" amounts are bounds, never in those: ``usd_total_up_to`` is what the row comes to if every
    bound is reached (None when no amount says "up to"). Running totals are listed in
    ``totals``, never added. A row none of whose deals has a figure has None, not 0.

    >>> flows = [_flow("a", "USD 2B", 2e9, round="Series E"), _flow("b", "USD 1.5B", 1.5e9, round="Series E"),
    ...          _flow("c", "USD 1B", 1e9, round="Series C"), _flow("d", "≤ USD 5B", hi=5e9, round="Series F"),
    ...          _flow("e", "USD 9B", 9e9, total="all rounds to date")]
    >>> row, = finish(flows, pick_rates([]))
    >>> row.usd_total, row.usd_total_high, row.usd_total_up_to  # Series E is 1.5B..2B once, C 1B, F up to 5B
    (2500000000, 3000000000, 8000000000)
    >>> [t.text() for t in row.totals]
    ['all rounds to date: USD 9B (reported) [e]']
    >>> finish([_flow("x", None)], pick_rates([]))[0].usd_total is None   # no amount stated: unknown
    True
    """
    pairs: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for f in rows_in:
        pairs[(f["payer"], f["payee"])].append(f)
    out = []
    for (payer, payee), flows in pairs.items():
        srcs, unconverted = [], []
        usd_of: dict[str, int | None] = {}
        fig_of: dict[str, tuple[int | None, int | None, int | None]] = {}
        for f in flows:
            point = next((x for x in (f["value"], f["max"], f["min"]) if x is not None), None)
            usd, rate_src = to_usd(point, f["unit"], rates)
            usd_of[f["claim_id"]] = usd
            fig_of[f["claim_id"]] = figures(f, rates)
            if usd is None and f["amount"]:
                unconverted.append(f["amount"])
            if rate_src and usd is not None and f["unit"] != "USD":
                srcs.append(rate_src)
            srcs += f["source_ids"]
        deals, deal_of = [], {}
        for n, members in enumerate(deals_of(flows), start=1):
            figs = [fig_of[f["claim_id"]] for f in members]
            solid = [fig_of[f["claim_id"]] for f in members if RANK[f["status"]] >= RANK["reported"]]
            deals.append(Deal(
                deal=n, predicate=members[0]["predicate"], claim_ids=[f["claim_id"] for f in members],
                amounts=[f["amount"] for f in members], statuses=[f["status"] for f in members],
                usd_low=min((x[0] for x in figs if x[0] is not None), default=None),
                usd_high=max((x[1] for x in figs if x[1] is not None), default=None),
                usd_up_to=max((x[2] for x in figs if x[2] is not None), default=None),
                reported_low=min((x[0] for x in solid if x[0] is not None), default=None),
                reported_high=max((x[1] for x in solid if x[1] is not None), default=None),
                reported_up_to=max((x[2] for x in solid if x[2] is not None), default=None)))
            deal_of.update((f["claim_id"], n) for f in members)
        totals = [Total(claim_id=f["claim_id"], covers=f["total"], amount=f["amount"], usd=usd_of[f["claim_id"]],
                        status=f["status"]) for f in flows if f.get("total") is not None and f["amount"]]
        items = [Flow(claim_id=f["claim_id"], predicate=f["predicate"], amount=f["amount"],
                      usd=usd_of[f["claim_id"]], status=f["status"], deal=deal_of.get(f["claim_id"]),
                      cumulative=f.get("total"))
                 for f in flows]
        out.append(MoneyRow(
            payer=payer, payer_name=flows[0]["payer_name"], payee=payee, payee_name=flows[0]["payee_name"],
            predicates=[f["predicate"] for f in flows],
            usd_total=_sum(d.usd_low for d in deals), usd_total_high=_sum(d.usd_high for d in deals),
            usd_total_up_to=_reach([(d.usd_high, d.usd_up_to) for d in deals]),
            usd_reported_or_better=_sum(d.reported_low for d in deals),
            usd_reported_or_better_high=_sum(d.reported_high for d in deals),
            usd_reported_or_better_up_to=_reach([(d.reported_high, d.reported_up_to) for d in deals]),
            totals=totals, unconverted=unconverted, strongest_status=strongest(f["status"] for f in flows),
            weakest_status=weakest(f["status"] for f in flows), deals=deals, flows=items,
            claim_ids=[f["claim_id"] for f in flows], source_ids=srcs,
        ))
    out.sort(key=lambda r: (-(r.usd_reported_or_better or 0), -(r.usd_total or 0), -(r.usd_total_up_to or 0),
                            r.payer, r.payee))
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
    total_keys = land.vocabulary.qualifiers_with_role("total")
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
                     "amount": str(q) if q else None, "value": q.value if q else None,
                     "min": q.min if q else None, "max": q.max if q else None,
                     "unit": q.unit if q else None, "status": c.status.value,
                     "source_ids": c.source_ids,
                     "from_day": frm.start().isoformat() if (frm := c.valid_from or c.on) else None,
                     "until_day": until.end().isoformat() if (until := c.valid_until or c.on) else None,
                     "deal": {k: None if quals.get(k) is None else str(quals[k]) for k in deal_keys},
                     "total": next((str(quals[k]) for k in total_keys if quals.get(k) is not None), None)})
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
        "states (the most recent rate per currency; its source joins source_ids). Claims about "
        "one deal count once: claims with an amount, the same predicate, validity periods that "
        "meet (an event's: its date, so repeated payments are separate deals that add up) and no "
        "different deal-naming qualifier (deal, round, product) form one deal (listed in deals, "
        "each flow names its deal). A deal adds its smallest firm figure to usd_total and its "
        "largest to usd_total_high (different figures for one deal are a range, not a sum; a "
        "range amount gives its two ends, 'at least X' gives X). An 'up to X' amount is a bound, "
        "never in usd_total: usd_total_up_to is what the row comes to if every bound is reached (empty "
        "when no amount says 'up to'). A running total (the cumulative qualifier, the total role) "
        "is listed in totals with what it covers, never added to the deals. A row with no firm "
        "figure has an empty usd_total (null in JSON), not 0: an unknown amount is not zero. "
        "usd_reported_or_better(_high, _up_to) count only reported and confirmed claims' figures; "
        "amounts with no rate are listed as unconverted. Every claim stays in flows with its own "
        "status. On Neo4j the Cypher returns the flows and the rates, and the conversion, deals "
        "and sums are done in Python. "
        "Ordered by usd_reported_or_better, then usd_total, then usd_total_up_to (largest first, "
        "empty as 0), payer, payee."
    ),
    params=(),
    row=MoneyRow,
    embedded=embedded,
    neo4j=neo4j,
    table=("payer_name", "payee_name", "predicates", "usd_total", "usd_total_high", "usd_total_up_to",
           "usd_reported_or_better", "totals", "unconverted", "strongest_status", "weakest_status", "flows"),
    example="claimgraph query money --format json",
)
