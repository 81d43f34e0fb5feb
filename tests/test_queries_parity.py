"""Parity: every canned query gives the same rows embedded (networkx) and in a real Neo4j.

The landscape is pushed with ``neo4j_io.push(..., replace=True)`` into the test server (so the
database holds exactly that landscape), then every query runs with
its parameters (and with ``min_status`` / ``as_of``) on both backends; rows must be identical,
in the same order. Runs on the bundled landscape and on generated (seeded, random) ones.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from claimgraph import neo4j as neo4j_io
from claimgraph.cli import main
from claimgraph.errors import ClaimgraphError
from claimgraph.queries import QUERIES, run_query

pytestmark = pytest.mark.neo4j


def _connect(server):
    return neo4j_io.connect(server.uri, getattr(server, "user", None) or "neo4j", server.password)


def _params_for(land) -> dict[str, dict]:
    """Parameters that make each query say something on this landscape (deterministic)."""
    subj = Counter(c.subject for c in land.claims.values() if c.predicate in ("DEVELOPS", "USES", "MAKES"))
    dev = Counter(c.subject for c in land.claims.values() if c.predicate in ("DEVELOPS", "HAS_CADENCE"))
    deg = Counter(e for c in land.claims.values() if c.object for e in (c.subject, c.object))
    hub = min(deg, key=lambda e: (-deg[e], e))
    far = sorted(deg)[len(deg) // 2]
    if far == hub:
        far = sorted(deg)[0]
    return {
        "dependencies": {"entity": min(subj, key=lambda e: (-subj[e], e)), "depth": 3},
        "roadmap": {"entity": min(dev, key=lambda e: (-dev[e], e))},
        "path": {"a": hub, "b": far, "limit": 5},
        "neighbourhood": {"entity": far, "depth": 2},
        "claims": {"entity": hub},
        "influence": {"limit": 0},
    }


def _compare(land, conn, params: dict[str, dict], variants) -> list[str]:
    problems = []
    for name in QUERIES:
        for filters in variants:
            kw = {**params.get(name, {}), **filters}
            emb = [r.to_dict() for r in run_query(land, name, **kw)]
            neo = [r.to_dict() for r in run_query(land, name, backend="neo4j", conn=conn, **kw)]
            if emb != neo:
                first = next((i for i, (a, b) in enumerate(zip(emb, neo, strict=False)) if a != b), min(len(emb), len(neo)))
                problems.append(f"{name} {kw}: {len(emb)} embedded rows, {len(neo)} neo4j rows; first difference "
                                f"at row {first}: {json.dumps(emb[first:first + 1])[:300]} vs {json.dumps(neo[first:first + 1])[:300]}")
    return problems


def test_parity_on_the_bundled_landscape(bundled, neo4j_server):
    params = {"dependencies": {"entity": "tesla", "depth": 3}, "roadmap": {"entity": "tesla"},
              "path": {"a": "elon-musk", "b": "nvidia"}, "neighbourhood": {"entity": "xai", "depth": 2},
              "claims": {"entity": "nvidia"}, "influence": {"limit": 0}, "promises": {"entity": "elon-musk"}}
    variants = [{}, {"min_status": "reported"}, {"as_of": "2025-06-30"}, {"as_of": "2027-06-30"}]
    with _connect(neo4j_server) as conn:
        neo4j_io.push(bundled, conn, replace=True)
        problems = _compare(bundled, conn, params, variants)
        # and the facts hold on Neo4j too
        rows = run_query(None, "circular-deals", backend="neo4j", conn=conn)
        assert any(r.investor == "nvidia" and r.recipient == "xai" for r in rows)
        path = run_query(None, "path", backend="neo4j", conn=conn, a="xai", b="samsung")
        assert path[0].links == ["<-[INVESTS_IN]-"] and path[0].to_id == "tesla"  # Tesla invests in xAI
        roadmap = run_query(None, "roadmap", backend="neo4j", conn=conn, entity="特斯拉", as_of="2026-12-04")
        # HW3 (2019) to AI4 (January 2023) is the one measured gap; AI8 and AI9 came in AI7's post
        assert [r.generation for r in roadmap if r.milestone == "launched"] == ["hw3", "ai4"]
        assert [r.generation for r in roadmap if r.same_event] == ["ai8", "ai9"]
        verdict = roadmap[-1]
        assert (verdict.measured_gaps, verdict.gap_months_min, verdict.gap_months_max, verdict.cadence_months) == (
            1, 36.0, 49.0, 9.0)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("seed", [3, 11])
def test_parity_on_generated_landscapes(neo4j_server, seed):
    from claimgraph.synth import generate

    land = generate(entities=45, claims=320, seed=seed)
    variants = [{}, {"min_status": "claimed", "as_of": "2021-06-30"}]
    with _connect(neo4j_server) as conn:
        neo4j_io.push(land, conn, replace=True)
        problems = _compare(land, conn, _params_for(land), variants)
    assert not problems, "\n".join(problems)


def test_parity_of_money_and_dependencies_on_the_openai_compute_deals(neo4j_server):
    """Named deals, running totals, "up to" bounds and purchase commitments (tests/fixtures/
    openai-compute) read the same from Neo4j's properties as from the model."""
    from pathlib import Path

    from claimgraph import load

    land = load([Path(__file__).resolve().parent / "fixtures" / "openai-compute"])
    variants = [{}, {"as_of": "2025-06-30"}, {"min_status": "confirmed"}]
    with _connect(neo4j_server) as conn:
        neo4j_io.push(land, conn, replace=True)
        for name, kw in (("money", {}), ("dependencies", {"entity": "openai", "depth": 2})):
            for filters in variants:
                emb = [r.to_dict() for r in run_query(land, name, **kw, **filters)]
                assert emb == [r.to_dict() for r in run_query(land, name, backend="neo4j", conn=conn, **kw, **filters)]
        [row] = [r for r in run_query(None, "money", backend="neo4j", conn=conn) if r.payee == "coreweave"]
        # by mid-2025 only the March and May contracts held: up to 11.9B + 4B
        [mid] = [r for r in run_query(None, "money", backend="neo4j", conn=conn, as_of="2025-06-30")
                 if r.payee == "coreweave"]
    assert (row.usd_total, row.usd_total_up_to, [t.usd for t in row.totals]) == (4_000_000_000, 22_400_000_000, [22_400_000_000])
    assert (mid.usd_total, mid.usd_total_up_to, mid.totals) == (4_000_000_000, 15_900_000_000, [])


@pytest.fixture
def emptied_after(clean_neo4j):
    """The test server's database, emptied before and after the test (the other tests push into
    the default graph and must not meet this test's second graph)."""
    yield clean_neo4j
    with clean_neo4j.driver() as driver, driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def test_each_graph_in_one_database_answers_for_itself_alone(bundled, emptied_after, neo4j_env):
    """Two landscapes pushed into one database as two graphs: every query on either graph gives
    the rows the embedded backend gives for that landscape alone, nothing of the other mixed in."""
    from claimgraph.synth import generate

    other = generate(entities=30, claims=200, seed=5)
    assert not set(other.claims) & set(bundled.claims)  # two separate landscapes
    with _connect(emptied_after) as conn:
        neo4j_io.push(bundled, conn, replace=True)
        neo4j_io.push(other, conn, replace=True, graph="other-landscape")
        problems = []
        for land, graph in ((bundled, None), (other, "other-landscape")):
            for name in QUERIES:
                kw = _params_for(land).get(name, {})
                emb = [r.to_dict() for r in run_query(land, name, **kw)]
                neo = [r.to_dict() for r in run_query(land, name, backend="neo4j", conn=conn, graph=graph, **kw)]
                if emb != neo:
                    problems.append(f"{name} on graph {graph or 'default'}: {len(emb)} embedded rows, {len(neo)} neo4j")
        # an entity only the other graph has is unknown in the default one
        only_other = sorted(set(other.entities) - set(bundled.entities))[0]
        with pytest.raises(ClaimgraphError, match="unknown entity"):
            run_query(None, "claims", backend="neo4j", conn=conn, entity=only_other)
        assert run_query(None, "claims", backend="neo4j", conn=conn, graph="other-landscape", entity=only_other)
    assert not problems, "\n".join(problems)
    res = CliRunner().invoke(main, ["query", "claims", only_other, "--backend", "neo4j", "-g", "other-landscape",
                                    "--format", "json"])
    assert res.exit_code == 0 and {r["claim_id"] for r in json.loads(res.output)} <= set(other.claims)
    res = CliRunner().invoke(main, ["query", "money", "--graph", "other-landscape"])
    assert res.exit_code == 2 and "--backend neo4j" in res.output


def test_cli_runs_every_query_on_neo4j(bundled, neo4j_server, neo4j_env):
    with _connect(neo4j_server) as conn:
        neo4j_io.push(bundled, conn, replace=True)
    runner = CliRunner()
    for args in (["frenemies"], ["circular-deals"], ["dependencies", "特斯拉"], ["money"],
                 ["roadmap", "Tesla"], ["claims", "xAI", "-p", "status=disputed,unsupported"],
                 ["contradictions"], ["influence"], ["path", "Musk", "英伟达"],
                 ["neighbourhood", "xai", "-p", "depth=2"], ["promises", "Tesla"]):
        emb = runner.invoke(main, ["query", *args, "--format", "json"])
        neo = runner.invoke(main, ["query", *args, "--format", "json", "--backend", "neo4j",
                                   "--min-status", "refuted"])
        assert emb.exit_code == 0 and neo.exit_code == 0, (args, emb.output[-300:], neo.output[-300:])
        assert json.loads(emb.output) == json.loads(neo.output), args
    res = runner.invoke(main, ["query", "money", "--backend", "neo4j", "claimgraph/data/ai-chips"])
    assert res.exit_code == 2 and "push" in res.output


# -- time: --known-on and --include-undated on both backends (docs/time.md) -------------------------
def _changed_after(land, day) -> list[str]:
    """Claims on the record on ``day`` whose status then was not their status now (by hand: the
    last history entry dated by then)."""
    import datetime as dt

    d = dt.date.fromisoformat(day)
    out = []
    for c in land.claims.values():
        if c.on_record_from(land.sources) is None or c.on_record_from(land.sources) > d:
            continue
        then = [h.status for h in c.history or () if h.on.end() <= d]
        if then and then[-1] is not c.status:
            out.append(c.id)
    return sorted(out)


def test_parity_with_known_on_on_the_bundled_landscape(bundled, neo4j_server):
    params = {"dependencies": {"entity": "tesla", "depth": 3}, "roadmap": {"entity": "nvidia"},
              "path": {"a": "tesla", "b": "nvidia"}, "neighbourhood": {"entity": "nvidia", "depth": 2},
              "claims": {"entity": "tesla"}, "influence": {"limit": 0}}
    variants = [{"known_on": "2025-06-30"}, {"known_on": "2026-02-28", "min_status": "reported"},
                {"known_on": "2025-06-30", "as_of": "2017-06-30"}, {"as_of": "2019-06-30", "include_undated": True}]
    with _connect(neo4j_server) as conn:
        neo4j_io.push(bundled, conn, replace=True)
        problems = _compare(bundled, conn, params, variants)
        # no source published after the day in any row, on Neo4j either
        late = {s.id for s in bundled.sources.values() if s.published is None or s.published.end().isoformat() > "2025-06-30"}
        for name in QUERIES:
            rows = run_query(None, name, backend="neo4j", conn=conn, known_on="2025-06-30", **params.get(name, {}))
            assert not {s for r in rows for s in r.source_ids} & late, name
    assert not problems, "\n".join(problems)


def test_neo4j_refuses_a_known_on_day_when_a_status_was_another_then(bundled, neo4j_server, neo4j_env):
    # Tesla's own chip (HW3) was reported in August 2018 and confirmed in April 2019
    assert _changed_after(bundled, "2018-12-31") == ["tesla-develops-hw3"]
    with _connect(neo4j_server) as conn:
        neo4j_io.push(bundled, conn, replace=True)
        with pytest.raises(ClaimgraphError) as err:
            run_query(None, "claims", backend="neo4j", conn=conn, known_on="2018-12-31")
        assert "tesla-develops-hw3 (reported then, confirmed now)" in str(err.value)
    res = CliRunner().invoke(main, ["query", "claims", "--backend", "neo4j", "--known-on", "2018-12-31"])
    assert res.exit_code == 2 and "embedded backend" in res.output and "Traceback" not in res.output
    # the embedded backend answers for that day
    rows = {r.claim_id: r for r in run_query(bundled, "claims", known_on="2018-12-31")}
    assert rows["tesla-develops-hw3"].status == "reported"


@pytest.mark.parametrize("seed", [5])
def test_parity_with_events_tenses_histories_on_generated_landscapes(neo4j_server, seed):
    from claimgraph import load
    from claimgraph.synth import generate, with_time
    from tests.helpers import export

    land = with_time(generate(entities=45, claims=320, seed=seed), seed)
    assert sum(1 for c in land.claims.values() if c.history) > 10
    import tempfile
    from pathlib import Path

    tmp = Path(tempfile.mkdtemp())
    export(land, "json", tmp / "l.json")
    land = load(tmp / "l.json")
    last = max(h.on.end() for c in land.claims.values() for h in c.history or ())
    variants = [{"known_on": last.isoformat()}, {"known_on": last.isoformat(), "as_of": "2021-06-30", "min_status": "claimed"},
                {"as_of": "2021-06-30", "include_undated": True}]
    with _connect(neo4j_server) as conn:
        neo4j_io.push(land, conn, replace=True)
        problems = _compare(land, conn, _params_for(land), variants)
        # on a day some status differed, Neo4j refuses exactly then
        changed = _changed_after(land, "2020-06-30")
        assert changed
        with pytest.raises(ClaimgraphError) as err:
            run_query(land, "money", backend="neo4j", conn=conn, known_on="2020-06-30")
        assert changed[0] in str(err.value) and "embedded backend" in str(err.value)
    assert not problems, "\n".join(problems)


def test_cli_frenemies_known_on_on_neo4j(bundled, neo4j_server, neo4j_env):
    with _connect(neo4j_server) as conn:
        neo4j_io.push(bundled, conn, replace=True)
    runner = CliRunner()
    emb = runner.invoke(main, ["query", "frenemies", "--known-on", "2025-06-30", "--format", "json"])
    neo = runner.invoke(main, ["query", "frenemies", "--known-on", "2025-06-30", "--format", "json", "--backend", "neo4j"])
    assert emb.exit_code == neo.exit_code == 0, neo.output[-400:]
    assert json.loads(emb.stdout) == json.loads(neo.stdout)
    assert "note: known on 2025-06-30" in neo.stderr


def test_parity_of_the_claims_ledger_by_source_with_known_on(bundled, neo4j_server):
    # Nvidia's biography page carries no date: it counts on no day's record, although Huang's
    # role was on the record in mid-2025 through Business Insider (May 2024)
    kw = {"source": "nvidia-jensen-huang-profile"}
    with _connect(neo4j_server) as conn:
        neo4j_io.push(bundled, conn, replace=True)
        now = run_query(None, "claims", backend="neo4j", conn=conn, **kw)
        assert "jensen-huang-leads-nvidia" in {r.claim_id for r in now}
        emb = [r.to_dict() for r in run_query(bundled, "claims", known_on="2025-06-30", **kw)]
        neo = [r.to_dict() for r in run_query(None, "claims", backend="neo4j", conn=conn, known_on="2025-06-30", **kw)]
        assert emb == neo == []
        known = run_query(None, "claims", backend="neo4j", conn=conn, known_on="2025-06-30", entity="jensen-huang")
        assert [r.source_ids for r in known if r.claim_id == "jensen-huang-leads-nvidia"] == [
            ["businessinsider-2024-05-nvidia-yearly", "kitguru-2025-03-gtc-roadmap"]]
