"""promises [ENTITY]: every dated promise (a milestone forecast), how later claims closed it, and
each asserter's and source's track record.

What counts as a promise comes from data, not predicate names: a date value claim of a predicate
with the vocabulary's ``milestone`` role (its ``stage`` qualifier names the milestone) that looks
forward: ``tense: future``, or, without a tense, a date that begins after the claim was stated.
A promise's deadline is the last day of its date (``2026``: 31 Dec 2026). Later claims on the same
subject and stage close it (first rule that applies):

- ``broken``: the promise is refuted, or a reported or confirmed claim records a stage the role
  lists in ``ends`` (``discontinued``) for the subject, and it did not reach the stage;
- ``kept`` / ``slipped``: a reported or confirmed claim dates the stage as reached (not
  forward-looking): kept when that date starts by the deadline, else slipped by the months from
  the deadline's month to the month the stage is first dated;
- ``rescheduled``: one of its asserters later (stated after it) gave the stage a later date,
  a claim at least ``claimed``: the months the deadline moved;
- else ``open`` when the deadline is not past on the day judged, ``overdue`` when it is. The day
  is ``--as-of``, else ``--known-on``, else today.

A promise row also lists, in ``earlier``, the dates its asserters gave the same stage before
(stated earlier, dated earlier): how the date moved, side by side. Track-record rows follow,
one per asserter and one per supporting source of the promises listed: the outcomes counted and
the median slip of the promises closed by a reached date (kept counts 0); rescheduled promises
are counted but not in the median (a new date is a forecast, not an outcome).
"""

from __future__ import annotations

import datetime as _dt
import statistics
from dataclasses import dataclass

from ..model import Status, Tense
from ..values import PartialDate
from ._base import Param, Query, Row

#: statuses that close a promise as reached (or ended), and that move it (a later promise)
CLOSING_RANK = Status.REPORTED.rank
MOVING_RANK = Status.CLAIMED.rank
OUTCOMES = ("kept", "slipped", "rescheduled", "broken", "open", "overdue")


@dataclass(kw_only=True)
class PromiseRow(Row):
    kind: str  # promise | asserter | source
    by: list[str]
    promise_id: str | None = None
    subject: str | None = None
    subject_name: str | None = None
    milestone: str | None = None
    promised: str | None = None
    deadline: str | None = None
    promised_on: str | None = None
    status: str | None = None
    outcome: str | None = None
    closed_by: str | None = None
    closed_on: str | None = None
    slip_months: int | None = None
    earlier: list[str] | None = None
    judged_on: str
    promises: int | None = None
    kept: int | None = None
    slipped: int | None = None
    rescheduled: int | None = None
    broken: int | None = None
    open: int | None = None
    overdue: int | None = None
    median_slip_months: float | None = None
    record: str | None = None


def month_index(d: _dt.date) -> int:
    """Months since year 0 of ``d``'s month, to count whole months between two dates.

    >>> import datetime as dt
    >>> month_index(dt.date(2027, 3, 5)) - month_index(dt.date(2026, 12, 31))
    3
    """
    return d.year * 12 + d.month - 1


def said_end(claim, start: _dt.date | None) -> _dt.date | None:
    """When ``claim`` was said, as the last day its ``stated_on`` covers, else ``start`` (the
    first day it is known to hold: valid_from, else its earliest supporting source), else None.

    >>> from claimgraph import load
    >>> land = load()
    >>> c = land.claims["ai5-volume-2027"]
    >>> said_end(c, land.time_bounds(c)[0]).isoformat()        # stated 2025-11
    '2025-11-30'
    """
    return claim.stated_on.end() if claim.stated_on is not None else start


def is_forward(tense: str | None, date_start: _dt.date, said: _dt.date | None) -> bool:
    """Whether a dated milestone claim looks forward: ``tense`` future, or no tense and a date
    that begins after it was said (``said``: :func:`said_end`).

    >>> import datetime as dt
    >>> is_forward(None, dt.date(2027, 1, 1), dt.date(2025, 11, 30)), is_forward(None, dt.date(2026, 4, 15), dt.date(2026, 4, 30))
    (True, False)
    >>> is_forward("present", dt.date(2030, 1, 1), dt.date(2025, 1, 1)), is_forward("future", dt.date(2020, 1, 1), None)
    (False, True)
    """
    if tense is not None:
        return tense == Tense.FUTURE.value
    return said is not None and date_start > said


def _milestones(land) -> list[dict]:
    """Every dated milestone claim of ``land`` as the record both backends build."""
    roles = land.vocabulary.role("milestone")
    out = []
    for c in land.claims.values():
        role = roles.get(c.predicate)
        if role is None or not isinstance(c.value, PartialDate):
            continue
        said = said_end(c, land.time_bounds(c)[0])
        start, end = c.value.start(), c.value.end()
        out.append({
            "id": c.id, "subject": c.subject, "stage": c.qualifiers.get(role["stage"]),
            "ends": c.qualifiers.get(role["stage"]) in (role.get("ends") or ()),
            "date": str(c.value), "start": start, "end": end, "said": said,
            "promised_on": str(c.stated_on) if c.stated_on is not None else (said.isoformat() if said else None),
            "fwd": is_forward(c.tense.value if c.tense is not None else None, start, said),
            "rank": c.status.rank, "status": c.status.value, "asserted": list(c.asserted_by),
            "supporting": c.supporting_sources, "sources": c.source_ids,
        })
    return out


def _first(items: list[dict], key) -> dict | None:
    return min(items, key=key) if items else None


def judge(ms: list[dict], p: dict, day: _dt.date) -> dict:
    """How the claims ``ms`` (:func:`_milestones` records) close the promise ``p`` on ``day``:
    outcome, the closing claim, its date, the slip in months, and the earlier dates.

    >>> import datetime as dt
    >>> d = lambda s: dt.date.fromisoformat(s)
    >>> p = {"id": "p", "subject": "x", "stage": "volume", "ends": False, "date": "2026", "start": d("2026-01-01"),
    ...      "end": d("2026-12-31"), "said": d("2025-01-31"), "fwd": True, "rank": 4, "asserted": ["ceo"]}
    >>> done = {**p, "id": "done", "date": "2027-03", "start": d("2027-03-01"), "end": d("2027-03-31"),
    ...         "said": d("2027-03-31"), "fwd": False, "rank": 5, "asserted": ["wire"]}
    >>> r = judge([p, done], p, d("2027-06-30"))
    >>> r["outcome"], r["closer"]["id"], r["slip_months"]       # three months after the deadline
    ('slipped', 'done', 3)
    >>> judge([p], p, d("2026-06-30"))["outcome"], judge([p], p, d("2027-01-01"))["outcome"]
    ('open', 'overdue')
    """
    same = [m for m in ms if m["subject"] == p["subject"] and m["id"] != p["id"]]  # ms: usually one subject's
    reached = [m for m in same if m["stage"] == p["stage"] and not m["fwd"] and m["rank"] >= CLOSING_RANK]
    ended = [m for m in same if m["ends"] and not m["fwd"] and m["rank"] >= CLOSING_RANK]
    mine = set(p["asserted"])
    moved = [m for m in same if m["stage"] == p["stage"] and m["fwd"] and m["rank"] >= MOVING_RANK
             and mine & set(m["asserted"]) and p["said"] is not None and m["said"] is not None
             and m["said"] > p["said"] and m["end"] > p["end"]]
    earlier = [m for m in same if m["stage"] == p["stage"] and mine & set(m["asserted"]) and p["said"] is not None
               and m["said"] is not None and m["said"] < p["said"] and m["end"] < p["end"]]
    earlier.sort(key=lambda m: (m["said"], m["id"]))
    first_reached = _first(reached, lambda m: (m["start"], m["id"]))
    first_end = _first(ended, lambda m: (m["start"], m["id"]))
    first_move = _first(moved, lambda m: (m["said"], m["end"], m["id"]))
    closer, slip = None, None
    if p["rank"] == Status.REFUTED.rank:
        outcome = "broken"
    elif first_reached is not None:
        closer = first_reached
        late = month_index(closer["start"]) - month_index(p["end"])
        outcome, slip = ("kept", 0) if closer["start"] <= p["end"] else ("slipped", late)
    elif first_end is not None:
        outcome, closer = "broken", first_end
    elif first_move is not None:
        closer = first_move
        outcome, slip = "rescheduled", month_index(closer["end"]) - month_index(p["end"])
    else:
        outcome = "open" if day <= p["end"] else "overdue"
    return {"outcome": outcome, "closer": closer, "slip_months": slip, "earlier": earlier}


def _entity_scope(land, entity: str | None) -> set[str] | None:
    """The subjects whose promises count for ``entity``: itself and what it develops (the
    generation role); None: every subject."""
    if entity is None:
        return None
    gen = land.vocabulary.role("generation")
    return {entity} | {c.object for c in land.claims.values()
                       if c.predicate in gen and c.subject == entity and c.object is not None}


def embedded(land, entity: str | None = None, *, as_of: _dt.date | None = None,
             known_on: _dt.date | None = None) -> list[PromiseRow]:
    """The promises about ``entity`` (an id: its own, what it develops, and those it made; None:
    all), judged on ``as_of``, else ``known_on``, else today, then the track records: a list of
    :class:`PromiseRow`, ``kind`` promise, asserter or source.

    >>> from claimgraph import load
    >>> rows = embedded(load(), "tesla", as_of=_dt.date(2027, 6, 30))
    >>> r = next(r for r in rows if r.kind == "promise" and r.milestone == "design-complete" and r.by == ["elon-musk"])
    >>> r.promised, r.outcome, r.earlier           # Musk had called the design done in July 2025
    ('2026', 'overdue', ['2025-07 (stated 2025-07, disputed)'])
    """
    day = as_of or known_on or _dt.date.today()
    ms = _milestones(land)
    of_subject: dict[str, list[dict]] = {}
    for m in ms:
        of_subject.setdefault(m["subject"], []).append(m)
    scope = _entity_scope(land, entity)
    raw = []
    for p in ms:
        if not p["fwd"] or scope is not None and p["subject"] not in scope and entity not in p["asserted"]:
            continue
        j = judge(of_subject[p["subject"]], p, day)
        c, earlier = j["closer"], j["earlier"]
        raw.append({
            "subject": p["subject"], "subject_name": land.entities[p["subject"]].name, "milestone": p["stage"],
            "promised": p["date"], "deadline": p["end"].isoformat(), "promised_on": p["promised_on"],
            "said": p["said"], "status": p["status"], "by": p["asserted"], "supporting_source_ids": p["supporting"],
            "outcome": j["outcome"], "closed_by": c["id"] if c else None, "closed_on": c["date"] if c else None,
            "slip_months": j["slip_months"],
            "earlier": [f"{m['date']} (stated {m['promised_on']}, {m['status']})" for m in earlier],
            "claim_ids": [p["id"], *([c["id"]] if c else []), *(m["id"] for m in earlier)],
            "source_ids": [*p["sources"], *(c["sources"] if c else []), *(s for m in earlier for s in m["sources"])],
            "id": p["id"],
        })
    return finish(raw, day)


def finish(raw: list[dict], day: _dt.date) -> list[PromiseRow]:
    """Promise rows from the raw records both backends give (ordered here), then one track-record
    row per asserter and per supporting source: the outcomes counted, the median slip of the
    promises closed by a reached date (kept: 0).

    >>> raw = [{"subject": "x", "subject_name": "X", "milestone": "volume", "promised": "2026",
    ...         "deadline": "2026-12-31", "promised_on": "2025-01", "said": None, "status": "claimed",
    ...         "by": ["ceo"], "supporting_source_ids": ["blog"], "outcome": "slipped", "closed_by": "done",
    ...         "closed_on": "2027-03", "slip_months": 3, "earlier": [], "claim_ids": ["p", "done"],
    ...         "source_ids": ["blog", "wire"], "id": "p"}]
    >>> import datetime as dt
    >>> [(r.kind, r.by, r.slipped, r.median_slip_months) for r in finish(raw, dt.date(2027, 6, 30))]
    [('promise', ['ceo'], None, None), ('asserter', ['ceo'], 1, 3.0), ('source', ['blog'], 1, 3.0)]
    """
    _far = _dt.date(1, 1, 1)
    raw = sorted(raw, key=lambda r: (r["subject"], r["milestone"] or "", r["deadline"], r["said"] or _far, r["id"]))
    judged = day.isoformat()
    rows = [PromiseRow(kind="promise", by=r["by"], promise_id=r["id"], subject=r["subject"], subject_name=r["subject_name"],
                       milestone=r["milestone"], promised=r["promised"], deadline=r["deadline"],
                       promised_on=r["promised_on"], status=r["status"], outcome=r["outcome"],
                       closed_by=r["closed_by"], closed_on=r["closed_on"], slip_months=r["slip_months"],
                       earlier=r["earlier"], judged_on=judged, claim_ids=r["claim_ids"], source_ids=r["source_ids"])
            for r in raw]
    for kind, field in (("asserter", "by"), ("source", "supporting_source_ids")):
        groups: dict[str, list[dict]] = {}
        for r in raw:
            for who in dict.fromkeys(r[field]):
                groups.setdefault(who, []).append(r)
        for who in sorted(groups):
            rs = groups[who]
            counts = {o: sum(1 for r in rs if r["outcome"] == o) for o in OUTCOMES}
            slips = [r["slip_months"] for r in rs if r["outcome"] in ("kept", "slipped")]
            median = round(float(statistics.median(slips)), 1) if slips else None
            text = ", ".join(f"{counts[o]} {o}" for o in OUTCOMES if counts[o])
            rows.append(PromiseRow(
                kind=kind, by=[who], judged_on=judged, promises=len(rs), **counts, median_slip_months=median,
                record=f"{len(rs)} promise{'s' if len(rs) != 1 else ''}: {text}"
                       + (f"; median slip {median:g} months" if median is not None else ""),
                claim_ids=[c for r in rs for c in r["claim_ids"]], source_ids=[s for r in rs for s in r["source_ids"]]))
    return rows


def neo4j(ctx, entity: str | None = None) -> list[PromiseRow]:
    """The same rows as :func:`embedded`, from the Neo4j database of ``ctx`` (a
    :class:`~claimgraph.queries.Neo4jContext`): the Cypher judges each promise, the track
    records are counted here.

    >>> from claimgraph import load
    >>> from claimgraph.neo4j import connect, push
    >>> from claimgraph.queries import Neo4jContext
    >>> with connect() as conn:
    ...     _ = push(load(), conn)
    ...     rows = neo4j(Neo4jContext(conn, as_of=_dt.date(2027, 6, 30)), "tesla")
    >>> [r.to_dict() for r in rows] == [r.to_dict() for r in embedded(load().as_of("2027-06-30"), "tesla", as_of=_dt.date(2027, 6, 30))]
    True
    """
    day = ctx.as_of or ctx.known_on or _dt.date.today()
    raw = ctx.run(QUERY.cypher, entity=entity, today=day.isoformat())
    for r in raw:
        r["said"] = _dt.date.fromisoformat(r["said"]) if r["said"] else None
    return finish(raw, day)


QUERY = Query(
    name="promises",
    description=(
        "Every dated promise about ENTITY (its own, its generations', and those it made; none: "
        "all): a date claim of a predicate with the vocabulary's milestone role that looks "
        "forward (tense future, or a date beginning after it was stated), with who promised it, "
        "when, for when (the deadline is the date's last day), and how later claims on the same "
        "subject and stage closed it: broken (refuted, or a reported claim of an ending stage such "
        "as discontinued), kept or slipped by N months (a reported or confirmed claim dates the "
        "stage as reached), rescheduled (its asserter later gave a later date: the months the "
        "deadline moved), else open or overdue on the day judged (--as-of, else --known-on, else "
        "today). earlier lists the dates its asserters gave the stage before. Then one track-record "
        "row per asserter and per supporting source: the outcomes counted and the median slip of "
        "the promises closed by a reached date (kept counts 0; rescheduled ones are not in it). "
        "The Cypher judges the promises; the track records are counted in Python on both backends."
    ),
    params=(
        Param("entity", "entity", positional=True,
              help="whose promises: about it, what it develops, or made by it (id, name or alias); none: all"),
    ),
    row=PromiseRow,
    embedded=embedded,
    neo4j=neo4j,
    table=("kind", "by", "subject_name", "milestone", "promised", "promised_on", "status", "outcome",
           "closed_on", "slip_months", "earlier", "record"),
    example="claimgraph query promises Tesla --as-of 2027-06-30",
    view_days=True,
)
