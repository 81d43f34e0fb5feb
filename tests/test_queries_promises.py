"""The promises query: dated milestone forecasts, how later claims close them, track records.

Expected facts are written by hand: from a small landscape made for each closing rule, and from
the fact sheet behind the bundled one (Musk called the AI5 design finished in July 2025, said in
January 2026 it was almost done; in November 2025 he put AI5 samples in 2026 and volume in 2027;
in March 2026 Samsung put Tesla's 2 nm chips in H2 2027 and Musk AI6 volume in mid-2028).
"""

from __future__ import annotations

import csv
import io
import json
import textwrap

import pytest
from click.testing import CliRunner

from claimgraph import load
from claimgraph import neo4j as neo4j_io
from claimgraph.cli import main
from claimgraph.queries import run_query

LAND = """\
sources:
  - {id: blog, title: The CEO's posts, publisher: Blog, tier: self-media, published: 2024-01}
  - {id: wire, title: Wire report, publisher: Wire, tier: wire, url: "https://example.org/wire", published: 2025-09-15}
  - {id: filing, title: Filing, publisher: Regulator, tier: primary, url: "https://example.org/filing", published: 2026-02-10}
  - {id: press, title: Trade press, publisher: Press, tier: press, url: "https://example.org/press", published: 2025-03-20}
entities:
  - {id: acme, name: Acme, kind: Company}
  - {id: bolt, name: Bolt, kind: Company}
  - {id: boss, name: The Boss, kind: Person}
  - {id: c1, name: C1, kind: Chip}
  - {id: c2, name: C2, kind: Chip}
  - {id: c3, name: C3, kind: Chip}
  - {id: c4, name: C4, kind: Chip}
  - {id: c5, name: C5, kind: Chip}
claims:
  - {id: acme-c1, subject: acme, predicate: DEVELOPS, object: c1, valid_from: 2023, status: confirmed, evidence: [{source: press}]}
  - {id: acme-c2, subject: acme, predicate: DEVELOPS, object: c2, valid_from: 2023, status: confirmed, evidence: [{source: press}]}
  - {id: acme-c3, subject: acme, predicate: DEVELOPS, object: c3, valid_from: 2023, status: confirmed, evidence: [{source: press}]}
  - {id: acme-c4, subject: acme, predicate: DEVELOPS, object: c4, valid_from: 2023, status: confirmed, evidence: [{source: press}]}
  - {id: acme-c5, subject: acme, predicate: DEVELOPS, object: c5, valid_from: 2023, status: confirmed, evidence: [{source: press}]}
  # c1: volume promised for 2025 (no tense: the date starts after it was said), reached Sep 2025
  - {id: c1-volume-2025, subject: c1, predicate: REACHES_MILESTONE, value: "2025", qualifiers: {milestone: volume}, asserted_by: [boss], stated_on: 2024-03, status: claimed, evidence: [{source: blog}]}
  - {id: c1-volume-reached, subject: c1, predicate: REACHES_MILESTONE, value: 2025-09-15, qualifiers: {milestone: volume}, asserted_by: [wire], stated_on: 2025-09-15, "on": 2025-09-15, status: reported, evidence: [{source: wire}]}
  # c2: volume promised for June 2025; the boss says it is there on time, only he says so; the
  # filing dates it February 2026
  - {id: c2-volume-2025-06, subject: c2, predicate: REACHES_MILESTONE, value: 2025-06, qualifiers: {milestone: volume}, asserted_by: [boss], stated_on: 2024-03, tense: future, status: claimed, evidence: [{source: blog}, {source: wire}]}
  - {id: c2-volume-on-time, subject: c2, predicate: REACHES_MILESTONE, value: 2025-06, qualifiers: {milestone: volume}, asserted_by: [boss], stated_on: 2025-06-30, status: claimed, evidence: [{source: blog}]}
  - {id: c2-volume-filed, subject: c2, predicate: REACHES_MILESTONE, value: 2026-02, qualifiers: {milestone: volume}, asserted_by: [filing], stated_on: 2026-02-10, "on": 2026-02, status: confirmed, evidence: [{source: filing}]}
  # c3: launch promised for 2025, then, by the same boss, for 2026
  - {id: c3-launch-2025, subject: c3, predicate: REACHES_MILESTONE, value: "2025", qualifiers: {milestone: launched}, asserted_by: [boss], stated_on: 2024-01, tense: future, status: claimed, evidence: [{source: blog}]}
  - {id: c3-launch-2026, subject: c3, predicate: REACHES_MILESTONE, value: "2026", qualifiers: {milestone: launched}, asserted_by: [boss], stated_on: 2025-02, tense: future, status: claimed, evidence: [{source: blog}]}
  # c4: samples promised for 2025; the chip was dropped in March 2025
  - {id: c4-samples-2025, subject: c4, predicate: REACHES_MILESTONE, value: "2025", qualifiers: {milestone: samples}, asserted_by: [boss], stated_on: 2024-06, tense: future, status: claimed, evidence: [{source: blog}]}
  - {id: c4-dropped, subject: c4, predicate: REACHES_MILESTONE, value: 2025-03, qualifiers: {milestone: discontinued}, asserted_by: [press], stated_on: 2025-03-20, "on": 2025-03, status: reported, evidence: [{source: press}]}
  # c5: a tape-out date shown false
  - {id: c5-tapeout-2024-12, subject: c5, predicate: REACHES_MILESTONE, value: 2024-12, qualifiers: {milestone: taped-out}, asserted_by: [boss], stated_on: 2024-02, tense: future, status: refuted, evidence: [{source: blog}, {source: press, effect: contradicts}]}
  # a dated claim told in the present tense is no promise
  - {id: c1-launch-present, subject: c1, predicate: REACHES_MILESTONE, value: "2027", qualifiers: {milestone: launched}, asserted_by: [boss], stated_on: 2024-03, tense: present, status: claimed, evidence: [{source: blog}]}
"""


@pytest.fixture
def land(tmp_path):
    p = tmp_path / "promises.yaml"
    p.write_text(textwrap.dedent(LAND), encoding="utf-8")
    return load([p])


def by_promise(rows):
    return {r.promise_id: r for r in rows if r.kind == "promise"}


PROMISE_IDS = {"c1-volume-2025", "c2-volume-2025-06", "c3-launch-2025", "c3-launch-2026", "c4-samples-2025",
               "c5-tapeout-2024-12"}


def test_each_closing_rule(land):
    rows = run_query(land, "promises", as_of="2026-06-30")
    got = by_promise(rows)
    # the present-tense 2027 claim and the claims of a reached date are no promises
    assert set(got) == PROMISE_IDS
    kept = got["c1-volume-2025"]
    assert (kept.outcome, kept.closed_by, kept.closed_on, kept.slip_months) == ("kept", "c1-volume-reached", "2025-09-15", 0)
    assert kept.deadline == "2025-12-31" and kept.promised_on == "2024-03"
    # the boss's own "on time" is only claimed: the filing's February 2026 decides, 8 months late
    slipped = got["c2-volume-2025-06"]
    assert (slipped.outcome, slipped.closed_by, slipped.slip_months) == ("slipped", "c2-volume-filed", 8)
    assert slipped.status == "claimed"  # the promise keeps its status
    moved = got["c3-launch-2025"]
    assert (moved.outcome, moved.closed_by, moved.closed_on, moved.slip_months) == ("rescheduled", "c3-launch-2026", "2026", 12)
    later = got["c3-launch-2026"]
    assert later.outcome == "open" and later.earlier == ["2025 (stated 2024-01, claimed)"]
    assert "c3-launch-2025" in later.claim_ids
    dropped = got["c4-samples-2025"]
    assert (dropped.outcome, dropped.closed_by) == ("broken", "c4-dropped")
    assert "press" in dropped.source_ids
    refuted = got["c5-tapeout-2024-12"]
    assert (refuted.outcome, refuted.closed_by, refuted.status) == ("broken", None, "refuted")
    assert all(r.judged_on == "2026-06-30" for r in rows)


def test_open_turns_overdue_after_the_deadline(land):
    on = lambda day: by_promise(run_query(land, "promises", as_of=day))["c3-launch-2026"].outcome  # noqa: E731
    assert on("2026-12-31") == "open" and on("2027-01-01") == "overdue"


def test_the_day_judged_keeps_later_claims_out(land):
    # in mid-2025 the Sep 2025 volume report and the 2026 filing had not happened
    got = by_promise(run_query(land, "promises", as_of="2025-07-15"))
    assert got["c1-volume-2025"].outcome == "open"
    assert got["c2-volume-2025-06"].outcome == "overdue"
    # known on that day, judged on that day too
    got = by_promise(run_query(land, "promises", known_on="2025-07-15"))
    assert got["c1-volume-2025"].outcome == "open" and got["c1-volume-2025"].judged_on == "2025-07-15"


def test_track_record_per_asserter_and_source(land):
    rows = run_query(land, "promises", as_of="2026-06-30")
    boss = [r for r in rows if r.kind == "asserter" and r.by == ["boss"]]
    assert len(boss) == 1
    b = boss[0]
    assert (b.promises, b.kept, b.slipped, b.rescheduled, b.broken, b.open, b.overdue) == (6, 1, 1, 1, 2, 1, 0)
    # kept counts 0, slipped 8: the rescheduled 12 months are a forecast, not in the median
    assert b.median_slip_months == 4.0
    assert b.record == "6 promises: 1 kept, 1 slipped, 1 rescheduled, 2 broken, 1 open; median slip 4 months"
    assert PROMISE_IDS <= set(b.claim_ids)
    wire = [r for r in rows if r.kind == "source" and r.by == ["wire"]]
    assert [(r.promises, r.slipped, r.median_slip_months) for r in wire] == [(1, 1, 8.0)]
    # the order: promises, then asserters, then sources
    kinds = [r.kind for r in rows]
    assert kinds == sorted(kinds, key=["promise", "asserter", "source"].index)


def test_entity_selects_its_products_and_its_own_promises(land):
    for who in ("acme", "The Boss", "c3"):
        rows = [r for r in run_query(land, "promises", entity=who, as_of="2026-06-30") if r.kind == "promise"]
        assert rows
        expected = {"acme": 6, "The Boss": 6, "c3": 2}[who]
        assert len(rows) == expected, who
    assert run_query(land, "promises", entity="bolt", as_of="2026-06-30") == []


def test_min_status_drops_the_promises_weaker_than_it(land):
    got = run_query(land, "promises", min_status="reported", as_of="2026-06-30")
    assert [r for r in got if r.kind == "promise"] == []


# -- the bundled landscape ---------------------------------------------------------------------------
def test_musks_ai5_dates_on_the_bundled_landscape(bundled):
    rows = run_query(bundled, "promises", entity="tesla", as_of="2027-06-30")
    mine = {(r.subject, r.milestone, r.promised): r for r in rows if r.kind == "promise" and r.by == ["elon-musk"]}
    design = mine[("ai5", "design-complete", "2026")]
    # "almost done" in January 2026, six months after he called it finished: the July 2025 date
    # is listed beside it, still disputed, and nothing reported has closed the 2026 date
    assert design.promised_on == "2026-01-17" and design.outcome == "overdue"
    assert design.earlier == ["2025-07 (stated 2025-07, disputed)"]
    assert "ai5-design-complete-2025-07" in design.claim_ids
    # the low-tier tape-out report is another stage: it closes no design promise
    assert design.closed_by is None
    assert mine[("ai5", "samples", "2026")].outcome == "overdue"
    assert mine[("ai5", "volume", "2027")].outcome == "open"
    assert mine[("ai6", "volume", "2028")].outcome == "open"
    # Samsung's H2 2027 beside Musk's mid-2028 for AI6: both listed, neither closes the other
    samsung = [r for r in rows if r.kind == "promise" and r.by == ["samsung"]]
    assert [(r.subject, r.promised, r.status, r.outcome) for r in samsung] == [("ai6", "2027", "reported", "open")]
    musk = [r for r in rows if r.kind == "asserter" and r.by == ["elon-musk"]]
    # AI5 design, samples and AI6 tape-out (Dec 2026) are past due; AI5 volume, AI5 in cars and
    # AI6 volume are not yet
    assert [(r.promises, r.overdue, r.open, r.kept, r.slipped) for r in musk] == [(6, 3, 3, 0, 0)]


def test_nvidias_blackwell_ultra_date_is_overdue_without_a_later_source(bundled):
    rows = run_query(bundled, "promises", entity="nvidia", as_of="2026-06-30")
    ultra = [r for r in rows if r.kind == "promise" and r.subject == "blackwell-ultra"]
    # Huang put it in 2025 at Computex (2 Jun 2024); no source here postdates its shipment
    assert [(r.promised, r.promised_on, r.by, r.outcome) for r in ultra] == [("2025", "2024-06-02", ["jensen-huang"], "overdue")]
    rubin = [r for r in rows if r.kind == "promise" and r.subject == "rubin"]
    assert [r.outcome for r in rubin] == ["open"]


def test_cli_json_and_csv(bundled):
    runner = CliRunner()
    res = runner.invoke(main, ["query", "promises", "马斯克", "--as-of", "2027-06-30", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert {d["kind"] for d in data} == {"promise", "asserter", "source"}
    assert all(d["claim_ids"] for d in data)
    res = runner.invoke(main, ["query", "promises", "Musk", "--as-of", "2027-06-30", "--format", "csv"])
    assert res.exit_code == 0, res.output
    table = list(csv.DictReader(io.StringIO(res.stdout)))
    musk = [t for t in table if t["kind"] == "asserter" and t["by"] == "elon-musk"]
    assert len(musk) == 1 and musk[0]["overdue"] == "3" and musk[0]["median_slip_months"] == ""
    res = runner.invoke(main, ["query", "promises", "--as-of", "2027-06-31"])
    assert res.exit_code == 2 and "Traceback" not in res.output


@pytest.mark.neo4j
def test_parity_of_every_closing_rule_on_neo4j(land, neo4j_server):
    with neo4j_io.connect(neo4j_server.uri, getattr(neo4j_server, "user", None) or "neo4j", neo4j_server.password) as conn:
        neo4j_io.push(land, conn, replace=True)
        for kw in ({"as_of": "2026-06-30"}, {"as_of": "2025-07-15"}, {"known_on": "2025-07-15"},
                   {"entity": "boss", "as_of": "2027-01-01"}, {"min_status": "claimed", "as_of": "2026-06-30"}, {}):
            emb = [r.to_dict() for r in run_query(land, "promises", **kw)]
            neo = [r.to_dict() for r in run_query(land, "promises", backend="neo4j", conn=conn, **kw)]
            assert emb == neo, kw
        got = by_promise(run_query(None, "promises", backend="neo4j", conn=conn, as_of="2026-06-30"))
        assert got["c2-volume-2025-06"].slip_months == 8 and got["c3-launch-2025"].outcome == "rescheduled"
