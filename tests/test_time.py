"""Honest time: when a claim holds (--as-of), what was on the record when (--known-on), events,
tense and status history.

The small datasets here are written by hand; the facts about the bundled landscape come from
its fact sheet (claimgraph/data/ai-chips and /docs/time.md): Musk's roadmap post of 17 January
2026 announced AI7, AI8 and AI9 and the 9-month cadence; Fortune reported Tesla's own chip on
6 August 2018 and Tesla showed it at Autonomy Day on 22 April 2019; Nvidia's Drive PX2 ran
Tesla's HW2 from 2016 until 2019, which the January 2026 article tells in hindsight.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
import warnings

import pytest
from click.testing import CliRunner

from claimgraph import load
from claimgraph.cli import main
from claimgraph.errors import DatasetError
from claimgraph.honesty import audit
from claimgraph.landscape import ViewNotice
from claimgraph.model import Status, Tense
from claimgraph.queries import run_query

SOURCES = """\
sources:
  - {id: s2016, title: An old report, publisher: Old Press, published: 2016-05, tier: press}
  - {id: s2019, title: A later report, publisher: Wire, published: 2019-03-02, tier: wire}
  - {id: s2025, title: A recent report, publisher: New Press, published: 2025-10, tier: press}
  - {id: nodate, title: A reference page, publisher: Encyclopedia, tier: aggregator}
entities:
  - {id: acme, name: Acme, kind: Company}
  - {id: bolt, name: Bolt, kind: Company}
  - {id: fund, name: Fund, kind: Company}
  - {id: chip, name: Chip, kind: Chip}
"""


def dataset(tmp_path, claims: str, name: str = "d.yaml"):
    path = tmp_path / name
    path.write_text(SOURCES + "claims:\n" + textwrap.indent(textwrap.dedent(claims), "  "), encoding="utf-8")
    return path


def quiet(fn, *args, **kw):
    """Call ``fn`` and return (result, the ViewNotice texts it gave)."""
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        out = fn(*args, **kw)
    return out, [str(w.message) for w in got if issubclass(w.category, ViewNotice)]


def cli(*args: str):
    res = CliRunner().invoke(main, list(args))
    return res


# -- valid time: a missing start never means "since always" ------------------------------------------
def test_a_claim_without_valid_from_holds_from_when_it_was_said_or_sourced(tmp_path):
    land = load(dataset(tmp_path, """\
        - {id: stated, subject: acme, predicate: COMPETES_WITH, object: bolt, stated_on: 2019-03,
           status: reported, evidence: [{source: s2019}]}
        - {id: sourced, subject: acme, predicate: PARTNERS_WITH, object: bolt,
           status: reported, evidence: [{source: s2025}, {source: s2019}]}
        - {id: dated, subject: bolt, predicate: SUPPLIES, object: acme, valid_from: 2010,
           status: reported, evidence: [{source: s2016}]}
    """))
    in_2018 = set(land.as_of("2018-06-30").claims)
    assert in_2018 == {"dated"}  # stated in March 2019, first reported in March 2019
    assert set(land.as_of("2019-03-01").claims) == {"dated", "stated"}  # a month covers its days
    assert set(land.as_of("2019-03-02").claims) == {"dated", "stated", "sourced"}


def test_undated_claims_are_left_out_with_a_notice_and_kept_on_request(tmp_path):
    path = dataset(tmp_path, """\
        - {id: undated, subject: acme, predicate: PARTNERS_WITH, object: bolt,
           status: claimed, evidence: [{source: nodate}]}
        - {id: only-contradicted, subject: acme, predicate: COMPETES_WITH, object: bolt,
           status: refuted, evidence: [{source: s2019, effect: contradicts}]}
        - {id: dated, subject: bolt, predicate: SUPPLIES, object: acme, valid_from: 2010,
           status: reported, evidence: [{source: s2016}]}
    """)
    land = load(path)
    view, notes = quiet(land.as_of, "2020-01-01")
    assert set(view.claims) == {"dated"}
    assert notes == [view.view_notices[0]] and "2 undated claims left out" in notes[0]
    kept, notes = quiet(land.as_of, "2020-01-01", include_undated=True)
    assert set(kept.claims) == {"dated", "undated", "only-contradicted"} and notes == []
    # the CLI: a note on stderr (stdout stays JSON), --include-undated keeps them
    res = cli("show", "acme", str(path), "--as-of", "2020-01-01", "--format", "json")
    assert res.exit_code == 0 and "note: as of 2020-01-01: 2 undated claims" in res.stderr
    assert [c["id"] for c in json.loads(res.stdout)["claims"]] == ["dated"]
    res = cli("show", "acme", str(path), "--as-of", "2020-01-01", "--include-undated", "--format", "json")
    assert sorted(c["id"] for c in json.loads(res.stdout)["claims"]) == ["dated", "only-contradicted", "undated"]


def test_an_event_happens_on_its_date_and_has_happened_after(tmp_path):
    land = load(dataset(tmp_path, """\
        - {id: paid, subject: acme, predicate: INVESTS_IN, object: bolt, on: 2019-03-02,
           qualifiers: {amount: USD 5M}, status: reported, evidence: [{source: s2019}]}
    """))
    assert land.claims["paid"].is_event
    assert not land.as_of("2019-03-01").claims
    assert set(land.as_of("2019-03-02").claims) == set(land.as_of("2024-01-01").claims) == {"paid"}


# -- events and money ------------------------------------------------------------------------------
DONATIONS = "".join(
    f"- {{id: gift-{y}, subject: acme, predicate: INVESTS_IN, object: fund, {{when}}: {y},\n"
    f"   qualifiers: {{amount: USD 1M}}, status: reported, evidence: [{{source: s2016}}]}}\n"
    for y in range(2016, 2023))


def test_seven_yearly_donations_are_seven_deals_that_add_up(tmp_path):
    events = load(dataset(tmp_path, DONATIONS.replace("{when}", "on"), "events.yaml"))
    [row] = run_query(events, "money")
    assert len(row.deals) == 7 and row.usd_total == 7_000_000
    # dated by valid_from alone they were open-ended states: one deal, USD 1M
    states = load(dataset(tmp_path, DONATIONS.replace("{when}", "valid_from"), "states.yaml"))
    [row] = run_query(states, "money")
    assert len(row.deals) == 1 and row.usd_total == 1_000_000
    # as of mid-2019 the first four had been paid
    [row] = run_query(events, "money", as_of="2019-06-30")
    assert row.usd_total == 4_000_000


def test_numbers_of_events_on_different_dates_do_not_conflict(tmp_path):
    land = load(dataset(tmp_path, """\
        - {id: a, subject: acme, predicate: INVESTS_IN, object: bolt, on: 2019, qualifiers: {amount: USD 1M},
           status: reported, evidence: [{source: s2019}]}
        - {id: b, subject: acme, predicate: INVESTS_IN, object: bolt, on: 2020, qualifiers: {amount: USD 9M},
           status: reported, evidence: [{source: s2019}]}
        - {id: c, subject: acme, predicate: INVESTS_IN, object: bolt, on: 2020, qualifiers: {amount: USD 2M},
           status: reported, evidence: [{source: s2019}]}
    """))
    conflicts = [f.claim_ids for f in audit(land, ("numeric-conflict",))]
    assert conflicts == [["b", "c"]]  # 2019 and 2020 are two payments; two figures for 2020 clash


def test_an_event_cannot_also_have_a_validity_period(tmp_path):
    path = dataset(tmp_path, """\
        - {id: both, subject: acme, predicate: INVESTS_IN, object: bolt, valid_from: 2019, on: 2019,
           status: reported, evidence: [{source: s2019}]}
    """)
    res = cli("validate", str(path))
    assert res.exit_code == 2 and "Traceback" not in res.output
    [line] = res.stderr.strip().splitlines()
    first_claim_line = SOURCES.count("\n") + 2  # after the sources, entities and 'claims:'
    assert line.startswith(f"{path}:{first_claim_line}:") and "an event (on:) has one date" in line


# -- tense and the stale rule ------------------------------------------------------------------------
def test_hindsight_is_not_stale_but_a_present_tense_claim_after_its_end_is(tmp_path):
    land = load(dataset(tmp_path, """\
        - {id: hindsight, subject: acme, predicate: SUPPLIES, object: bolt, valid_from: 2019, valid_until: 2025-01,
           stated_on: 2025-10, status: confirmed, evidence: [{source: s2025}]}
        - {id: as-if-current, subject: acme, predicate: SUPPLIES, object: bolt, valid_from: 2019, valid_until: 2025-01,
           stated_on: 2025-10, tense: present, status: stale, evidence: [{source: s2025}]}
        - {id: after-the-event, subject: acme, predicate: INVESTS_IN, object: bolt, on: 2025-01, tense: future,
           stated_on: 2025-10, status: stale, evidence: [{source: s2025}]}
        - {id: said-while-true, subject: acme, predicate: PARTNERS_WITH, object: bolt, valid_from: 2019, valid_until: 2025-12,
           stated_on: 2025-10, tense: present, status: reported, evidence: [{source: s2025}]}
    """))
    assert land.claims["hindsight"].effective_tense is Tense.PAST
    assert land.claims["said-while-true"].effective_tense is Tense.PRESENT
    stale = [f.claim_ids[0] for f in audit(land, ("stale-when-stated",))]
    assert stale == ["after-the-event", "as-if-current"]


def test_bundled_hw2_supply_told_in_2026_is_past_tense_and_not_stale(bundled):
    article = bundled.claims["nvidia-supplies-tesla-article"]
    assert article.effective_tense is Tense.PAST and article.stated_on.year == 2026
    stale = {c for f in audit(bundled, ("stale-when-stated",)) for c in f.claim_ids}
    assert "nvidia-supplies-tesla-article" not in stale
    # the article's Dojo "attacking Nvidia" (Dojo was shut in August 2025) is still flagged: its
    # end is no longer typed in by the author, the audit infers it from the discontinuation
    overtaken = {c for f in audit(bundled, ("overtaken",)) for c in f.claim_ids}
    assert "dojo-competes-with-nvidia-article" in stale | overtaken


# -- status history ----------------------------------------------------------------------------------
HW3 = """\
- id: own-chip
  subject: acme
  predicate: DEVELOPS
  object: chip
  valid_from: 2016-05
  status: {status}
  evidence:
    - {{source: s2016}}
    - {{source: s2019}}
  history:
    - {{on: 2016-05, status: reported, sources: [s2016]}}
    - {{on: 2019-03-02, status: confirmed, sources: [s2019], note: shown in public}}
"""


def test_status_must_be_the_last_history_entry(tmp_path):
    path = dataset(tmp_path, HW3.format(status="reported"))
    res = cli("validate", str(path))
    assert res.exit_code == 2 and "Traceback" not in res.output
    [line] = res.stderr.strip().splitlines()
    assert line.startswith(f"{path}:") and "last history entry (2019-03-02) says 'confirmed'" in line
    assert load(dataset(tmp_path, HW3.format(status="confirmed"), "ok.yaml")).claims["own-chip"].history


@pytest.mark.parametrize("history, message", [
    ("[{on: 2019, status: claimed}, {on: 2016, status: reported, sources: [s2016]}]", "oldest first"),
    ("[{on: 2016-05, status: claimed}, {on: 2019-03-02, status: reported}]", "without a supporting source"),
    ("[{on: 2016-05, status: reported, sources: [s2025]}]", "not in the claim's evidence"),
    ("[{on: 2016-05, status: reported, sources: [s2019]}]", "published 2019-03-02, after the entry"),
    ("[{on: 2016-05, status: claimed}, {on: 2019-03-01, status: reported, sources: [s2019]}]", "after the entry"),
])
def test_bad_histories_are_located_problems(tmp_path, history, message):
    path = dataset(tmp_path, f"""\
        - {{id: h, subject: acme, predicate: DEVELOPS, object: chip, status: reported,
           evidence: [{{source: s2016}}, {{source: s2019}}], history: {history}}}
    """)
    with pytest.raises(DatasetError) as err:
        load(path)
    assert any(message in p.message and p.origin.file == str(path) and p.origin.line for p in err.value.problems), \
        [str(p) for p in err.value.problems]


# -- knowledge time ----------------------------------------------------------------------------------
def test_known_on_gives_the_status_of_that_day_and_only_the_sources_out_by_then(tmp_path):
    land = load(dataset(tmp_path, HW3.format(status="confirmed") + """\
- {id: later, subject: acme, predicate: COMPETES_WITH, object: bolt, stated_on: 2025-10,
   status: reported, evidence: [{source: s2025}, {source: s2016, effect: contradicts}]}
- {id: ref, subject: bolt, predicate: PARTNERS_WITH, object: acme, valid_from: 2010,
   status: claimed, evidence: [{source: nodate}]}
"""))
    then, notes = quiet(land.known_on, "2017-01-01")
    own = then.claims["own-chip"]
    assert own.status is Status.REPORTED and own.source_ids == ["s2016"] and len(own.history) == 1
    assert set(then.claims) == {"own-chip"}  # 'later' was stated in 2025; 'ref' rests on an undated page
    assert set(then.sources) == {"s2016"}
    assert notes and "2 claims not yet on the record" in notes[0]
    now = land.known_on("2019-03-02")
    assert now.claims["own-chip"].status is Status.CONFIRMED
    assert now.claims["own-chip"] is land.claims["own-chip"]  # nothing of it came later
    # --min-status reads the status of that day
    assert not land.restrict(known_on="2017-01-01", min_status="confirmed").claims
    assert set(land.restrict(known_on="2019-06-30", min_status="confirmed").claims) == {"own-chip"}
    # the original landscape is untouched
    assert land.claims["own-chip"].status is Status.CONFIRMED and len(land.claims["own-chip"].history) == 2


def test_known_on_and_as_of_combine(tmp_path):
    land = load(dataset(tmp_path, """\
        - {id: hindsight, subject: acme, predicate: SUPPLIES, object: bolt, valid_from: 2016-05, valid_until: 2017,
           stated_on: 2025-10, status: confirmed, evidence: [{source: s2025}]}
        - {id: then, subject: acme, predicate: SUPPLIES, object: bolt, valid_from: 2016-05, valid_until: 2017,
           status: reported, evidence: [{source: s2016}]}
    """))
    # what held in mid-2016 by today's record: both; by the record of 2020: only the 2016 report
    assert set(land.restrict(as_of="2016-06-30").claims) == {"hindsight", "then"}
    assert set(land.restrict(as_of="2016-06-30", known_on="2020-01-01").claims) == {"then"}
    assert not land.restrict(as_of="2018-06-30", known_on="2026-01-01").claims


def test_every_command_with_as_of_takes_known_on():
    for name in ("stats", "audit", "show", "export", "html", "report", "plot", "query"):
        command = main.get_command(None, name)
        options = {o for p in command.params for o in getattr(p, "opts", [])}
        assert {"--as-of", "--known-on", "--include-undated", "--min-status"} <= options, name


# -- the bundled landscape on 30 June 2025 -----------------------------------------------------------
# announced in Musk's post of 17 January 2026 or his posts of the following day
JANUARY_2026_ROADMAP = {"tesla-cadence-9-months", "tesla-cadence-9-months-article", "ai7-announced",
                        "ai8-announced", "ai9-announced", "tesla-develops-ai7", "tesla-develops-ai8",
                        "tesla-develops-ai9", "ai7-succeeds-ai6", "ai8-succeeds-ai7", "ai9-succeeds-ai8",
                        "ai5-design-complete-2026", "tesla-develops-dojo3", "dojo3-uses-ai7",
                        "ai7-targets-space-compute", "ai6-targets-data-centres", "tesla-volume-ambition"}
MID_2025 = dt.date(2025, 6, 30)


def test_bundled_known_on_mid_2025_has_no_january_2026_roadmap_and_no_later_source(bundled):
    assert JANUARY_2026_ROADMAP <= set(bundled.claims)
    view, _ = quiet(bundled.known_on, MID_2025)
    assert view.claims and not (JANUARY_2026_ROADMAP & set(view.claims))
    for c in view.claims.values():
        for sid in c.source_ids:
            src = view.sources[sid]
            assert src.published is not None and src.published.end() <= MID_2025, (c.id, sid)
    assert "netease-article" not in view.sources  # the article came out in January 2026
    # what was known: Nvidia's Series C money in xAI (December 2024), Tesla's HW3 (2019)
    assert {"nvidia-invests-in-xai-series-c", "hw3-announced-2019-04-22"} <= set(view.claims)


def test_cli_known_on_mid_2025_shows_no_roadmap_and_no_later_source(bundled):
    res = cli("show", "tesla", "--known-on", "2025-06-30", "--format", "json")
    assert res.exit_code == 0, res.output
    assert "note: known on 2025-06-30" in res.stderr
    shown = json.loads(res.stdout)["claims"]
    assert shown and not ({c["id"] for c in shown} & JANUARY_2026_ROADMAP)
    later = {s.id for s in bundled.sources.values() if s.published is None or s.published.end() > MID_2025}
    assert not {e["source"] for c in shown for e in c["evidence"]} & later
    res = cli("query", "claims", "--known-on", "2025-06-30", "--format", "json")
    rows = json.loads(res.stdout)
    assert rows and not ({r["claim_id"] for r in rows} & JANUARY_2026_ROADMAP)
    assert not {s for r in rows for s in r["source_ids"]} & later


def test_bundled_hw3_was_reported_in_2018_and_confirmed_in_2019(bundled):
    c = bundled.claims["tesla-develops-hw3"]
    assert c.status_on(dt.date(2018, 12, 31)) is Status.REPORTED
    assert c.status_on(dt.date(2019, 4, 22)) is Status.CONFIRMED
    late_2018, _ = quiet(bundled.known_on, "2018-12-31")
    assert late_2018.claims["tesla-develops-hw3"].status is Status.REPORTED
    assert late_2018.claims["tesla-develops-hw3"].source_ids == ["fortune-2018-08-06-tesla-dumps-nvidia"]


# -- diff prints the history entry to append ---------------------------------------------------------
def test_diff_prints_each_status_change_as_the_history_entry_to_append(tmp_path):
    old = dataset(tmp_path, """\
        - {id: chip, subject: acme, predicate: DEVELOPS, object: chip, valid_from: 2016-05,
           status: reported, evidence: [{source: s2016}]}
    """, "old.yaml")
    new = dataset(tmp_path, """\
        - {id: chip, subject: acme, predicate: DEVELOPS, object: chip, valid_from: 2016-05,
           status: confirmed, evidence: [{source: s2016}, {source: s2019}]}
    """, "new.yaml")
    res = cli("diff", str(old), str(new), "--format", "json")
    assert res.exit_code == 1
    [change] = json.loads(res.stdout)["status_changes"]
    assert change["history"] == [
        {"on": "2016-05-31", "status": "reported", "sources": ["s2016"]},
        {"on": "2019-03-02", "status": "confirmed", "note": "reported -> confirmed", "sources": ["s2019"]},
    ]
    res = cli("diff", str(old), str(new))
    assert "history entry to append" in res.stdout and "2019-03-02" in res.stdout
    # the entries make a valid history for the new claim
    text = new.read_text().replace("status: confirmed,", "status: confirmed, history: "
                                   + json.dumps(change["history"]) + ",")
    (tmp_path / "fixed.yaml").write_text(text, encoding="utf-8")
    fixed = load(tmp_path / "fixed.yaml")
    assert [h.status.value for h in fixed.claims["chip"].history] == ["reported", "confirmed"]
    # and once the new claim's history records the change, diff has nothing to add
    res = cli("diff", str(old), str(tmp_path / "fixed.yaml"), "--format", "json")
    assert json.loads(res.stdout)["status_changes"][0]["history"] == []


# -- docs/time.md: its examples run on the bundled landscape -----------------------------------------
DOC = (__import__("pathlib").Path(__file__).resolve().parent.parent / "docs" / "time.md").read_text(encoding="utf-8")


def doc_commands() -> list[list[str]]:
    import re
    import shlex

    out = []
    for block in re.findall(r"```bash\n(.*?)```", DOC, re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith("claimgraph ") and "--backend neo4j" not in line:
                out.append(shlex.split(line)[1:])
    return out


def test_the_commands_of_docs_time_run():
    commands = doc_commands()
    assert len(commands) >= 8
    for args in commands:
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 0, (args, res.output[-500:])
        assert "Traceback" not in res.output


def test_the_python_of_docs_time_runs():
    import re

    [code] = re.findall(r"```python\n(.*?)```", DOC, re.S)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ViewNotice)
        exec(compile(code, "docs/time.md", "exec"), {})  # its asserts are the facts it shows


def test_every_cypher_twin_filters_on_both_time_axes():
    import re

    from claimgraph.queries import QUERIES

    for q in QUERIES.values():
        text = q.cypher
        as_of = text.count("date($as_of)") // 2  # each as-of filter compares a start and an end
        assert as_of >= 1 and len(re.findall(r"coalesce\(\w+\.holds_from <= date\(\$as_of\), \$include_undated\)", text)) == as_of, q.name
        assert text.count("on_record_from <= date($known_on)") == as_of, q.name  # beside every $as_of
        assert not re.search(r"valid_from_start <= date\(\$as_of\)", text), q.name  # "since always" is gone
