"""The benchmark suite's one entry point runs end to end on a tiny landscape: every stage
(load, build, queries, Neo4j push/naive/pull against the test server, HTML against pyvis)
produces its row with a baseline and a ratio. No timing is asserted: figures belong in
docs/benchmarks.md, not in tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from claimgraph.io import load_dataset

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.neo4j
def test_python_m_benchmarks_quick_prints_every_stage_with_its_baseline(tmp_path, clean_neo4j):
    out = tmp_path / "rows.json"
    server = clean_neo4j
    cmd = [sys.executable, "-m", "benchmarks", "--quick", "--data", str(tmp_path / "data"), "--json", str(out),
           "--uri", server.uri, "--user", getattr(server, "user", None) or "neo4j",
           "--password", server.password or ""]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    # the table is printed, with its header
    header = next(line for line in done.stdout.splitlines() if line.startswith("| stage"))
    assert [c.strip() for c in header.strip("|").split("|")][:9] == [
        "stage", "size", "time", "cpu", "peak mem", "baseline", "baseline time", "baseline cpu", "ratio"]
    data = json.loads(out.read_text())
    # the Neo4j stages carry "[no rust ext]" where the optional neo4j-rust-ext is not installed;
    # where it is, the first size also runs again without it (and without the naive loop): the
    # first row of each stage, the one with the naive baseline, is the one checked here
    rows = {}
    for r in data["rows"]:
        rows.setdefault((r["stage"].replace(" [no rust ext]", ""), r["size"]), r)
    assert data["machine"]["nproc"] >= 1 and data["machine"]["memory_gib"]

    def row(stage, size="300"):
        assert (stage, size) in rows, f"no row {stage!r} @ {size}: {sorted(rows)}"
        return rows[(stage, size)]

    for stage, baseline in [("load+validate CSV", "csv.reader"), ("load+validate YAML", "yaml.load"),
                            ("build Landscape", "MultiDiGraph.add_edges_from"),
                            ("neo4j push", "one MERGE per claim"), ("neo4j pull", "raw driver read")]:
        r = row(stage)
        assert r["baseline"].startswith(baseline)
        assert r["seconds"] > 0 and r["base_seconds"] > 0 and r["ratio"] > 0
        assert r["peak"] > 10  # MiB: a Python process with claimgraph loaded, not zero
    # start-up: each command against bare Python (tested on its own below)
    assert row("startup: claimgraph validate", "bundled")["baseline"] == "python -c pass"
    # every canned query ran on the embedded backend, path and neighbourhood against networkx
    from claimgraph.queries import QUERIES

    ran = {r["stage"].split()[1] for r in data["rows"] if r["stage"].startswith("query ")}
    assert ran == set(QUERIES)
    assert row("query path [median -> median]")["baseline"].startswith("nx.all_shortest_paths")
    assert row("query neighbourhood [entity=hub]")["baseline"].startswith("nx.ego_graph")
    # everything pushed comes back
    assert row("neo4j pull")["note"].startswith("300 claims back")
    # HTML against pyvis on the same landscape
    html = [r for r in data["rows"] if r["stage"] == "html"]
    assert {r["baseline"] for r in html} == {"pyvis from_nx+write_html (defaults)", "pyvis directed=True"}
    assert not [r for r in data["rows"] if "FAILED" in r["stage"]]


def test_startup_stage_compares_each_command_with_bare_python_in_the_same_run(tmp_path):
    """The start-up rows (no Neo4j needed): ``claimgraph --help`` and ``validate`` of the bundled
    landscape, each a fresh process, against ``python -c pass`` measured in the same run, as CPU
    seconds; and the bundled YAML read with its line/column marks against plain ``yaml.load``."""
    out = tmp_path / "rows.json"
    cmd = [sys.executable, "-m", "benchmarks", "--stages", "startup", "--quick", "--json", str(out)]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    rows = {(r["stage"], r["size"]): r for r in json.loads(out.read_text())["rows"]}
    assert set(rows) == {("startup: claimgraph --help", "-"), ("startup: claimgraph validate", "bundled"),
                         ("startup: read bundled YAML (line/column marks)", "bundled")}
    for stage, size in [("startup: claimgraph --help", "-"), ("startup: claimgraph validate", "bundled")]:
        r = rows[(stage, size)]
        assert r["baseline"] == "python -c pass"
        assert r["cpu"] > 0 and r["base_cpu"] > 0 and r["ratio"] == r["base_cpu"] / r["cpu"]
        assert "bare Python's CPU; target" in r["note"]
    y = rows[("startup: read bundled YAML (line/column marks)", "bundled")]
    assert y["baseline"].startswith("yaml.load") and y["cpu"] > 0 and y["base_cpu"] > 0
    ds = load_dataset()  # every record of the bundled files was read
    assert y["note"].startswith(f"{len(ds.sources) + len(ds.entities) + len(ds.claims) + len(ds.rates)} records")
    # the table is printed with these rows in it
    assert "| startup: claimgraph --help" in done.stdout


@pytest.mark.browser
def test_page_stage_opens_the_summary_and_the_full_report_in_chromium(tmp_path, browser):
    """The page rows: the summary report and the full one of the same landscape, written and
    opened in headless Chromium in the same run (no timing asserted)."""
    out = tmp_path / "rows.json"
    cmd = [sys.executable, "-m", "benchmarks", "--stages", "page", "--quick", "--json", str(out)]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    rows = {r["stage"]: r for r in json.loads(out.read_text())["rows"]}
    write = rows["report: write (summary page)"]
    assert write["baseline"] == "full page" and write["cpu"] > 0 and write["base_cpu"] > 0
    opened = rows["report: open in Chromium, drawn + click answered (summary)"]
    assert opened["baseline"] == "full page" and opened["seconds"] > 0 and opened["base_seconds"] > 0
    assert "errors []" in opened["note"] and "over the cap" not in opened["note"]
