"""money: who pays whom, summed per pair, in US dollars where the dataset states a rate."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..model import Quantity
from ._base import RANK, Query, Row, strongest, weakest

#: predicate -> True when the subject pays the object (False: the object pays the subject)
FLOWS = {"INVESTS_IN": True, "COMMITS_TO_BUY": True, "ACQUIRES": True, "MANUFACTURES_FOR": False}


@dataclass(kw_only=True)
class Flow:
    claim_id: str
    predicate: str
    amount: str | None
    usd: int | None
    status: str

    def text(self) -> str:
        usd = f" = USD {self.usd:,}" if self.usd is not None and "USD" not in (self.amount or "USD") else ""
        return f"{self.predicate} {self.amount or '(no amount)'}{usd} ({self.status}) [{self.claim_id}]"


@dataclass(kw_only=True)
class MoneyRow(Row):
    payer: str
    payer_name: str
    payee: str
    payee_name: str
    predicates: list[str]
    usd_total: int
    usd_reported_or_better: int
    unconverted: list[str]
    strongest_status: str
    weakest_status: str
    flows: list[Flow]

    def __post_init__(self) -> None:
        super().__post_init__()
        self.predicates = sorted(set(self.predicates))
        self.unconverted = sorted(self.unconverted)
        self.flows = sorted((f if isinstance(f, Flow) else Flow(**f) for f in self.flows),
                            key=lambda f: f.claim_id)


def pick_rates(rates) -> dict[str, tuple[float, str | None]]:
    """currency -> (USD per unit, source id): the most recent stated rate (then the first given)."""
    best: dict[str, tuple] = {}
    for i, r in enumerate(rates):
        key = (r["on_start"] or "", -i)
        if r["currency"] not in best or key > best[r["currency"]][0]:
            best[r["currency"]] = (key, r["usd"], r.get("source"))
    out = {c: (usd, src) for c, (_, usd, src) in best.items()}
    out.setdefault("USD", (1.0, None))
    return out


def to_usd(point: float | None, unit: str | None, rates: dict) -> tuple[int | None, str | None]:
    if point is None or unit not in rates:
        return None, None
    usd, src = rates[unit]
    return int(round(point * usd)), src


def finish(rows_in: list[dict], rates: dict) -> list[MoneyRow]:
    """Pairs of (payer, payee) from flow records: convert, sum, order by USD then ids."""
    pairs: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for f in rows_in:
        pairs[(f["payer"], f["payee"])].append(f)
    out = []
    for (payer, payee), flows in pairs.items():
        items, srcs, unconverted = [], [], []
        total = reported = 0
        for f in flows:
            usd, rate_src = to_usd(f["point"], f["unit"], rates)
            if usd is None and f["amount"]:
                unconverted.append(f["amount"])
            if usd is not None:
                total += usd
                if RANK[f["status"]] >= RANK["reported"]:
                    reported += usd
            if rate_src and usd is not None and f["unit"] != "USD":
                srcs.append(rate_src)
            srcs += f["source_ids"]
            items.append(Flow(claim_id=f["claim_id"], predicate=f["predicate"], amount=f["amount"],
                              usd=usd, status=f["status"]))
        out.append(MoneyRow(
            payer=payer, payer_name=flows[0]["payer_name"], payee=payee, payee_name=flows[0]["payee_name"],
            predicates=[f["predicate"] for f in flows], usd_total=total, usd_reported_or_better=reported,
            unconverted=unconverted, strongest_status=strongest(f["status"] for f in flows),
            weakest_status=weakest(f["status"] for f in flows), flows=items,
            claim_ids=[f["claim_id"] for f in flows], source_ids=srcs,
        ))
    out.sort(key=lambda r: (-r.usd_reported_or_better, -r.usd_total, r.payer, r.payee))
    return out


def _rates_of(land) -> list[dict]:
    return [{"currency": r.currency, "usd": r.usd, "on_start": r.on.start().isoformat() if r.on else None,
             "source": r.source} for r in land.rates]


def embedded(land) -> list[MoneyRow]:
    recs = []
    ents = land.entities
    for c in land.claims.values():
        if c.predicate not in FLOWS or c.object is None:
            continue
        payer, payee = (c.subject, c.object) if FLOWS[c.predicate] else (c.object, c.subject)
        amt = c.qualifiers.get("amount")
        q = amt if isinstance(amt, Quantity) else None
        recs.append({"payer": payer, "payer_name": ents[payer].name, "payee": payee,
                     "payee_name": ents[payee].name, "claim_id": c.id, "predicate": c.predicate,
                     "amount": str(q) if q else None, "point": q.point if q else None,
                     "unit": q.unit if q else None, "status": c.status.value,
                     "source_ids": c.source_ids})
    return finish(recs, pick_rates(_rates_of(land)))


def neo4j(ctx) -> list[MoneyRow]:
    recs = ctx.run(QUERY.cypher)
    rates = ctx.run("MATCH (r:Rate) RETURN r.currency AS currency, r.usd AS usd, "
                    "toString(r.on_start) AS on_start, r.source AS source ORDER BY r.seq")
    if not rates and ctx.landscape is not None:
        rates = _rates_of(ctx.landscape)
    return finish(recs, pick_rates(rates))


QUERY = Query(
    name="money",
    description=(
        "Money flows per (payer, payee): INVESTS_IN, COMMITS_TO_BUY and ACQUIRES (the subject "
        "pays) and MANUFACTURES_FOR (the customer pays the maker), each flow with its amount and "
        "status. Amounts are turned into whole US dollars with the exchange rates the dataset "
        "states (the most recent rate per currency; its source joins source_ids); a range counts "
        "as its upper bound. usd_total sums every flow, usd_reported_or_better only reported and "
        "confirmed ones (two claims about one deal both count in usd_total: read the flows); "
        "amounts with no rate are listed as unconverted. On Neo4j the Cypher "
        "returns the flows and the rates, and the conversion and sums are done in Python. "
        "Ordered by usd_reported_or_better, then usd_total (largest first), payer, payee."
    ),
    params=(),
    row=MoneyRow,
    embedded=embedded,
    neo4j=neo4j,
    table=("payer_name", "payee_name", "predicates", "usd_total", "usd_reported_or_better",
           "unconverted", "strongest_status", "weakest_status", "flows"),
    example="claimgraph query money --format json",
)
