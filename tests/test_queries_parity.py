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
              "claims": {"entity": "nvidia"}, "influence": {"limit": 0}}
    variants = [{}, {"min_status": "reported"}, {"as_of": "2025-06-30"}]
    with _connect(neo4j_server) as conn:
        neo4j_io.push(bundled, conn, replace=True)
        problems = _compare(bundled, conn, params, variants)
        # and the facts hold on Neo4j too
        rows = run_query(None, "circular-deals", backend="neo4j", conn=conn)
        assert any(r.investor == "nvidia" and r.recipient == "xai" for r in rows)
        path = run_query(None, "path", backend="neo4j", conn=conn, a="xai", b="samsung")
        assert path[0].links == ["<-[INVESTS_IN]-"] and path[0].to_id == "tesla"  # Tesla invests in xAI
        roadmap = run_query(None, "roadmap", backend="neo4j", conn=conn, entity="特斯拉")
        assert any(r.generation == "ai6" and r.milestone == "taped-out" and r.gap_vs_cadence is not None
                   for r in roadmap)
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


def test_cli_runs_every_query_on_neo4j(bundled, neo4j_server, neo4j_env):
    with _connect(neo4j_server) as conn:
        neo4j_io.push(bundled, conn, replace=True)
    runner = CliRunner()
    for args in (["frenemies"], ["circular-deals"], ["dependencies", "特斯拉"], ["money"],
                 ["roadmap", "Tesla"], ["claims", "xAI", "-p", "status=disputed,unsupported"],
                 ["contradictions"], ["influence"], ["path", "Musk", "英伟达"],
                 ["neighbourhood", "xai", "-p", "depth=2"]):
        emb = runner.invoke(main, ["query", *args, "--format", "json"])
        neo = runner.invoke(main, ["query", *args, "--format", "json", "--backend", "neo4j",
                                   "--min-status", "refuted"])
        assert emb.exit_code == 0 and neo.exit_code == 0, (args, emb.output[-300:], neo.output[-300:])
        assert json.loads(emb.output) == json.loads(neo.output), args
    res = runner.invoke(main, ["query", "money", "--backend", "neo4j", "claimgraph/data/ai-chips"])
    assert res.exit_code == 2 and "push" in res.output
