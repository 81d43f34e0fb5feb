"""roadmap ENTITY: product generations in SUCCEEDS order, like milestones compared, and a verdict:
the measured cadence against the one the entity claims.

The predicates come from the vocabulary's roles: ``generation`` (the subject develops the
object), ``succession`` (the subject succeeds the object), ``milestone`` (a date value claim,
``{stage: QUALIFIER}``), ``cadence`` (a duration value claim) and ``group`` (who leads the entity:
their cadence claims count as its own); the default generation kinds are the kinds with the
``generation`` role. Both backends fetch the same raw facts (:func:`embedded` from the landscape,
:func:`neo4j` with the Cypher twin) and :func:`assemble` makes the rows from them.
"""

from __future__ import annotations

import datetime as _dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from ..values import PartialDate, Quantity
from ._base import RANK, Param, Query, Row, as_list

#: duration units a cadence claim may use, in months
TO_MONTHS = {"months": 1.0, "years": 12.0, "days": 1 / 30.44}
_FAR = _dt.date(1, 1, 1)
_REPORTED = RANK["reported"]


@dataclass(kw_only=True)
class RoadmapRow(Row):
    """One milestone of one generation (``kind`` "milestone"), or the closing ``verdict`` row."""

    kind: str = "milestone"
    line: int | None = None
    position: int | None = None
    generation: str | None = None
    generation_name: str | None = None
    milestone: str | None = None
    date: str | None = None
    status: str | None = None
    other_dates: list[str] = field(default_factory=list)
    previous: str | None = None
    previous_date: str | None = None
    gap_months_min: float | None = None
    gap_months_max: float | None = None
    same_event: bool = False
    basis: str | None = None
    measured_gaps: int | None = None
    cadence_months: float | None = None
    claimed_cadence: str | None = None
    claimed_cadences: list[str] = field(default_factory=list)
    vs_cadence_min: float | None = None
    vs_cadence_max: float | None = None
    verdict: str | None = None


def months_between(a: _dt.date, b: _dt.date) -> float:
    """The gap in months from ``b`` to ``a`` (a day is 1/30.44 of a month), unrounded.

    >>> import datetime as dt
    >>> months_between(dt.date(2026, 4, 1), dt.date(2025, 7, 1)), round(months_between(dt.date(2026, 4, 16), dt.date(2026, 4, 1)), 3)
    (9.0, 0.493)
    """
    return (a.year - b.year) * 12 + (a.month - b.month) + (a.day - b.day) / 30.44


def gap_range(later: str, earlier: str) -> tuple[float, float]:
    """The least and the most months from the date ``earlier`` to ``later`` (partial dates as
    text), unrounded: a date known to the year or month covers all its days, so two year-only
    dates give a range, never a precise 0.

    >>> [round(x, 1) for x in gap_range("2027", "2027")]    # both "2027": anywhere from -12 to +12
    [-12.0, 12.0]
    >>> gap_range("2026-01-17", "2026-01-17"), [round(x, 1) for x in gap_range("2023-01", "2019")]
    ((0.0, 0.0), [36.0, 49.0])
    """
    a, b = PartialDate.parse(later), PartialDate.parse(earlier)
    return months_between(a.start(), b.end()), months_between(a.end(), b.start())


def effective_tense(tense: str | None, until: str | None, on: str | None, stated: str | None) -> str:
    """A claim's tense from its stored fields, as :attr:`Claim.effective_tense` reads it: the
    ``tense`` it gives, else past when what it describes ended (``until``) or happened (``on``)
    before it was stated, else present.

    >>> effective_tense("future", None, None, "2025-11"), effective_tense(None, None, "2016-10", "2026-01")
    ('future', 'past')
    >>> effective_tense(None, None, "2023-01", None)
    'present'
    """
    if tense:
        return tense
    end = until or on
    if end and stated and PartialDate.parse(end).end() < PartialDate.parse(stated).start():
        return "past"
    return "present"


def _stated(m: dict) -> int:
    return PartialDate.parse(m["stated"]).start().toordinal() if m.get("stated") else _FAR.toordinal()


def _measured(m: dict, today: _dt.date) -> bool:
    """A milestone date is measured when its whole date is past, its claim is reported or
    confirmed and it is no forecast (future tense)."""
    return (PartialDate.parse(m["date"]).end() <= today and RANK[m["status"]] >= _REPORTED
            and effective_tense(m.get("tense"), m.get("until"), m.get("on"), m.get("stated")) != "future")


def _span(lo: float, hi: float) -> str:
    return f"{lo:.1f}" if lo == hi else f"{lo:.1f} to {hi:.1f}"


def assemble(raw: dict, today: _dt.date) -> list[RoadmapRow]:
    """The roadmap's rows from the raw facts both backends fetch (``raw``: the entity, its
    ``generations``, their ``milestones``, the ``succession`` claims between them, its
    ``cadences`` and its ``leaders``), with milestone dates judged past or not on ``today``.

    Generations fall into lines (those tied by SUCCEEDS claims); a line runs predecessor first.
    Each milestone row is compared with the same milestone of the generation it succeeds (none:
    no gap), as a range of months; ``basis`` says whether both dates are measured (past,
    reported or better, not a forecast), neither (``forecast``) or one (``mixed``). Milestones of
    two generations on the same day (or the same date from a common source) are one event: no
    gap. The last row is the verdict: the median of the measured gaps against the cadence the
    entity (or its leader) claims, else a third party's. Returns a list of
    :class:`RoadmapRow`, the verdict last (none when there is no generation).

    >>> raw = {"entity": "acme", "leaders": [], "succession": [{"subject": "b", "object": "a", "claim": "s", "sources": []}],
    ...        "generations": [{"id": g, "name": g.upper(), "claims": [], "sources": []} for g in "ab"],
    ...        "cadences": [{"claim": "c", "status": "claimed", "stated": "2020", "text": "6 months", "num": 6,
    ...                      "unit": "months", "asserted_by": ["acme"], "measures": [], "sources": []}],
    ...        "milestones": [{"generation": g, "claim": g + "1", "milestone": "volume", "status": "confirmed",
    ...                        "date": d, "stated": d, "sources": []} for g, d in (("a", "2020-01-10"), ("b", "2021-01-10"))]}
    >>> *rows, verdict = assemble(raw, _dt.date(2022, 1, 1))
    >>> [(r.generation, r.gap_months_min, r.basis) for r in rows]
    [('a', None, 'measured'), ('b', 12.0, 'measured')]
    >>> verdict.measured_gaps, verdict.vs_cadence_min, verdict.verdict.endswith("6.0 months slower than claimed")
    (1, 6.0, True)
    """
    gens = {g["id"]: g for g in raw["generations"]}
    if not gens:
        return []
    # each generation's milestones: the strongest status, then the latest stated, then the claim id wins
    stages: dict[str, dict[str, list[dict]]] = defaultdict(dict)
    for m in sorted(raw["milestones"], key=lambda m: (-RANK[m["status"]], -_stated(m), m["claim"])):
        if m["generation"] in gens:
            stages[m["generation"]].setdefault(m["milestone"], []).append(m)
    first = {g: min(PartialDate.parse(ms[0]["date"]).start() for ms in st.values()) for g, st in stages.items()}
    key = lambda g: (g not in first, first.get(g, _FAR), g)  # noqa: E731
    preds: dict[str, dict[str, list[dict]]] = defaultdict(dict)
    linked: dict[str, set[str]] = defaultdict(set)
    for s in raw["succession"]:
        a, b = s["subject"], s["object"]
        if a in gens and b in gens and a != b:
            preds[a].setdefault(b, []).append(s)
            linked[a].add(b)
            linked[b].add(a)
    order = _lines(sorted(gens, key=key), linked, preds, key)
    rows: list[RoadmapRow] = []
    place = {g: i for i, (_, g) in enumerate(order)}
    for pos, (line, g) in enumerate(order, 1):
        before = [p for p in preds.get(g, {}) if place[p] < place[g]]
        prev = max(before, key=place.__getitem__) if before else None
        dev_claims, dev_sources = gens[g]["claims"], gens[g]["sources"]
        items = sorted(stages.get(g, {}).items(), key=lambda kv: (PartialDate.parse(kv[1][0]["date"]).start(), kv[0] or ""))
        if not items:
            rows.append(RoadmapRow(line=line, position=pos, generation=g, generation_name=gens[g]["name"],
                                   previous=prev, claim_ids=dev_claims, source_ids=dev_sources))
            continue
        for stage, ms in items:
            m = ms[0]
            pm = stages.get(prev, {}).get(stage, [None])[0] if prev else None
            claims, sources = [*dev_claims, m["claim"]], [*dev_sources, *m["sources"]]
            lo = hi = None
            same = False
            if pm is not None:
                for s in preds[g][prev]:
                    claims.append(s["claim"])
                    sources += s["sources"]
                claims.append(pm["claim"])
                sources += pm["sources"]
                same = m["date"] == pm["date"] and (PartialDate.parse(m["date"]).precision == "day"
                                                     or bool(set(m["sources"]) & set(pm["sources"])))
                if not same:
                    lo, hi = gap_range(m["date"], pm["date"])
                both = _measured(m, today) + _measured(pm, today)
                basis = ("forecast", "mixed", "measured")[both]
            else:
                basis = "measured" if _measured(m, today) else "forecast"
            others = [f"{o['date']} ({o['status']}, {o['claim']})" for o in ms[1:] if o["date"] != m["date"]]
            rows.append(RoadmapRow(
                line=line, position=pos, generation=g, generation_name=gens[g]["name"], milestone=stage,
                date=m["date"], status=m["status"], other_dates=others, previous=prev,
                previous_date=pm["date"] if pm else None,
                gap_months_min=round(lo, 1) if lo is not None else None,
                gap_months_max=round(hi, 1) if hi is not None else None,
                same_event=same, basis=basis, claim_ids=claims, source_ids=sources))
    rows.append(_verdict(raw, rows, today))
    return rows


def _lines(gens: list[str], linked: dict, preds: dict, key) -> list[tuple[int, str]]:
    """``(line, generation)`` in order: lines (generations tied by succession) by their earliest
    date, each predecessor first (ties by date then id; a cycle is broken at its earliest)."""
    seen: set[str] = set()
    out: list[tuple[int, str]] = []
    for start in gens:  # by date, so lines come in the order of their earliest generation
        if start in seen:
            continue
        comp, todo = {start}, [start]
        while todo:
            for n in linked.get(todo.pop(), ()):
                if n not in comp:
                    comp.add(n)
                    todo.append(n)
        seen |= comp
        waiting = {g: {p for p in preds.get(g, {}) if p in comp} for g in comp}
        line = len({ln for ln, _ in out}) + 1
        while waiting:
            ready = [g for g, ps in waiting.items() if not ps] or list(waiting)
            g = min(ready, key=key)
            out.append((line, g))
            del waiting[g]
            for ps in waiting.values():
                ps.discard(g)
    return out


def _verdict(raw: dict, rows: list[RoadmapRow], today: _dt.date) -> RoadmapRow:
    entity = raw["entity"]
    leaders: dict[str, list[dict]] = defaultdict(list)
    for ld in raw["leaders"]:
        leaders[ld["id"]].append(ld)
    own = lambda c: bool({entity, *leaders} & set(c["asserted_by"]))  # noqa: E731
    cads = sorted((c for c in raw["cadences"] if c["unit"] in TO_MONTHS and c["num"] is not None),
                  key=lambda c: (not own(c), -_stated(c), -RANK[c["status"]], c["claim"]))
    texts = []
    for c in cads:
        said = ", ".join(x for x in (
            c["status"], f"said by {', '.join(c['asserted_by'])}" if c["asserted_by"] else "",
            f"stated {c['stated']}" if c["stated"] else "", "; ".join(c["measures"])) if x)
        texts.append(f"{c['text']} ({said})")
    measured = [r for r in rows if r.basis == "measured" and r.gap_months_min is not None]
    gaps = [gap_range(r.date, r.previous_date) for r in measured]
    n = len(measured)
    claims = [i for r in measured for i in r.claim_ids]
    sources = [s for r in measured for s in r.source_ids]
    lo = hi = cad = vs_lo = vs_hi = None
    if n:
        lo, hi = round(statistics.median(g[0] for g in gaps), 1), round(statistics.median(g[1] for g in gaps), 1)
        which = "; ".join(f"{r.previous} to {r.generation}, {r.milestone}" for r in measured[:4])
        text = (f"measured {_span(lo, hi)} months between generations (median of {n} measured gap{'s' * (n != 1)}: "
                f"{which}{'; ...' if n > 4 else ''})")
    else:
        gapped = [r for r in rows if r.previous_date is not None]
        for r in gapped or rows:  # what was looked at: the gaps left out, else the generations
            claims += r.claim_ids
            sources += r.source_ids
        left = {b: sum(1 for r in gapped if r.basis == b and not r.same_event) for b in ("forecast", "mixed")}
        left["same-event"] = sum(1 for r in gapped if r.same_event)
        why = ", ".join(f"{k} {v}" for k, v in left.items() if v)
        text = ("no measured evidence: no gap between a generation and the one it succeeds, at the same milestone, "
                f"rests on two dates past on {today.isoformat()}, reported or better and not forecasts"
                + (f" (gaps left out: {why})" if why else ""))
    if cads:
        c = cads[0]
        cad = round(c["num"] * TO_MONTHS[c["unit"]], 1)
        claims.append(c["claim"])
        sources += c["sources"]
        for who in c["asserted_by"]:
            for ld in leaders.get(who, ()):
                claims.append(ld["claim"])
                sources += ld["sources"]
        whose = "its claim" if own(c) else "a third party's claim"
        if n:
            vs_lo, vs_hi = round(lo - cad, 1), round(hi - cad, 1)
            judged = (f"{_span(vs_lo, vs_hi)} months slower than claimed" if vs_lo > 0 else
                      f"{_span(-vs_hi, -vs_lo)} months faster than claimed" if vs_hi < 0 else
                      "within the claim, as far as the dates' precision tells")
            text += f" against {whose} of {texts[0]}: {judged}"
        else:
            text += f"; {whose} of {texts[0]} is untested"
    else:
        text += "; no cadence claim in this view to set it against" if n else "; no cadence claim in this view either"
    return RoadmapRow(kind="verdict", date=today.isoformat(), measured_gaps=n, gap_months_min=lo, gap_months_max=hi,
                      basis="measured" if n else None, cadence_months=cad,
                      claimed_cadence=texts[0] if texts else None, claimed_cadences=texts,
                      vs_cadence_min=vs_lo, vs_cadence_max=vs_hi, verdict=text, claim_ids=claims, source_ids=sources)


def embedded(land, entity: str, kinds: list[str] | None = None) -> list[RoadmapRow]:
    """``entity``'s (an id) generations of the given ``kinds`` (default: the kinds with the
    vocabulary's generation role) in SUCCEEDS order, their milestones against the previous
    generation's, and the verdict: a list of :class:`RoadmapRow` (see :func:`assemble`), dates
    judged past on the landscape's as-of day (``land.as_of_day``), else today.

    >>> from claimgraph import load
    >>> [(r.line, r.generation) for r in embedded(load(), "tesla") if r.milestone in ("launched", "announced")]
    [(1, 'hw3'), (1, 'hw3'), (1, 'ai4'), (1, 'ai7'), (1, 'ai8'), (1, 'ai9'), (2, 'd1')]
    >>> *rows, verdict = embedded(load().as_of("2026-12-04"), "tesla")    # D1 was shelved in 2025
    >>> verdict.measured_gaps, verdict.gap_months_min, verdict.gap_months_max, verdict.cadence_months
    (1, 36.0, 49.0, 9.0)
    """
    vocab = land.vocabulary
    kinds = as_list(kinds) or list(vocab.kinds_with_role("generation"))
    generation, succession = vocab.role("generation"), vocab.role("succession")
    milestone, cadence, group = vocab.role("milestone"), vocab.role("cadence"), vocab.role("group")
    measures = vocab.qualifiers_with_role("measure")
    ents = land.entities
    develops: dict[str, list] = {}
    raw: dict = {"entity": entity, "generations": [], "milestones": [], "succession": [], "cadences": [], "leaders": []}
    for c in land.claims.values():  # one pass for the entity's claims, one for its generations'
        if c.subject != entity and c.object != entity:
            continue
        p = c.predicate
        if p in group and c.object is not None:
            lead = c.subject if group[p]["leader"] == "subject" else c.object
            if lead != entity:
                raw["leaders"].append({"id": lead, "claim": c.id, "sources": c.source_ids})
        if c.subject != entity:
            continue
        if p in generation and c.object is not None and ents[c.object].kind in kinds:
            develops.setdefault(c.object, []).append(c)
        elif p in cadence and isinstance(c.value, Quantity) and c.value.unit in TO_MONTHS:
            raw["cadences"].append({
                "claim": c.id, "status": c.status.value, "stated": str(c.stated_on) if c.stated_on else None,
                "text": str(c.value), "num": c.value.point, "unit": c.value.unit, "asserted_by": list(c.asserted_by),
                "measures": [str(c.qualifiers[q]) for q in measures if q in c.qualifiers], "sources": c.source_ids})
    for g, dev in sorted(develops.items()):
        raw["generations"].append({"id": g, "name": ents[g].name, "claims": [c.id for c in dev],
                                   "sources": [s for c in dev for s in c.source_ids]})
    for c in land.claims.values():
        g = c.subject
        if g not in develops:
            continue
        if c.predicate in milestone and isinstance(c.value, PartialDate):
            raw["milestones"].append({
                "generation": g, "claim": c.id, "milestone": c.qualifiers.get(milestone[c.predicate]["stage"]),
                "status": c.status.value, "date": str(c.value), "stated": str(c.stated_on) if c.stated_on else None,
                "tense": c.tense.value if c.tense else None, "on": str(c.on) if c.on else None,
                "until": str(c.valid_until) if c.valid_until else None, "sources": c.source_ids})
        elif c.predicate in succession and c.object in develops:
            raw["succession"].append({"subject": g, "object": c.object, "claim": c.id, "sources": c.source_ids})
    return assemble(raw, land.as_of_day or _dt.date.today())


def neo4j(ctx, entity: str, kinds: list[str] | None = None) -> list[RoadmapRow]:
    """The same rows as :func:`embedded`, from the Neo4j database of ``ctx`` (a
    :class:`~claimgraph.queries.Neo4jContext`): the Cypher fetches the raw facts, dates are
    judged past on ``ctx.as_of`` (else today) and the rows are made by :func:`assemble`.

    >>> from claimgraph import load
    >>> from claimgraph.neo4j import connect, push
    >>> from claimgraph.queries import Neo4jContext
    >>> with connect() as conn:
    ...     _ = push(load(), conn)
    ...     rows = neo4j(Neo4jContext(conn), "tesla")
    >>> [r.to_dict() for r in rows] == [r.to_dict() for r in embedded(load(), "tesla")]
    True
    """
    kinds = as_list(kinds) or ctx.parameters["generation_kinds"]
    records = ctx.run(QUERY.cypher, entity=entity, kinds=kinds, units=list(TO_MONTHS))
    if not records:
        return []
    return assemble(records[0], ctx.as_of or _dt.date.today())


QUERY = Query(
    name="roadmap",
    description=(
        "ENTITY's product generations (what it DEVELOPS, of the given kinds; the predicates are "
        "the vocabulary's generation, succession, milestone, cadence and group roles) in SUCCEEDS "
        "order: generations tied by SUCCEEDS claims form a line (line, position), predecessor "
        "first; a generation succeeding none of the others is a line of its own, never chained "
        "by date. Each row is one milestone (announced, taped-out, samples, volume ...; where "
        "claims disagree, the strongest status, then the latest stated, wins and the other dates "
        "are listed in other_dates) and its gap from the same milestone of the generation it "
        "SUCCEEDS, as a range of months (gap_months_min..max: a year-only date covers its whole "
        "year). Two generations' milestones on one day (or one date from a common source) are one "
        "event (same_event): no gap. basis: measured (both dates past, reported or better, not "
        "forecasts), forecast (neither) or mixed; the day is --as-of, else today. The last row is "
        "the verdict: the median of the measured gaps (measured_gaps: n) against the claimed "
        "cadence (HAS_CADENCE: the entity's own or its leader's claim before a third party's, "
        "then the latest stated), or 'no measured evidence' said plainly. Both backends fetch "
        "the same facts (the Cypher twin returns them raw) and make the rows in Python."
    ),
    params=(
        Param("entity", "entity", required=True, positional=True, help="whose roadmap (id, name or alias)"),
        Param("kinds", "list", default=None,
              help="entity kinds that count as generations (default: the kinds with the generation role, Chip)"),
    ),
    row=RoadmapRow,
    embedded=embedded,
    neo4j=neo4j,
    table=("line", "position", "generation_name", "milestone", "date", "status", "previous_date",
           "gap_months_min", "gap_months_max", "basis", "verdict", "claim_ids"),
    example="claimgraph query roadmap Tesla",
)
