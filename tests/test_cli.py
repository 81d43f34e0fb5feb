"""The CLI end to end, as a user runs it: the installed console script in a subprocess."""

import json
import os
import subprocess
import sys

import pytest

from tests.test_loader import GOOD


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "claimgraph.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_validate_bundled_landscape_exits_0():
    res = run("validate")
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("ok: ")


def test_stats_json_has_integer_counts_and_statuses():
    res = run("stats", "--format", "json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    for key in ("entities", "claims", "sources"):
        assert isinstance(data[key], int)
    assert data["entities"] >= 25 and data["claims"] >= 50 and data["sources"] >= 20
    assert set(data["by_status"]) == {"confirmed", "reported", "claimed", "disputed", "unsupported", "stale", "refuted"}
    assert sum(data["by_status"].values()) == data["claims"]


def test_bad_dataset_exits_2_with_one_line_per_problem_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("    subject: nvidia\n", "    subject: nvdia\n").replace("status: claimed", "status: sure"), encoding="utf-8")
    res = run("validate", str(bad))
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    assert lines == [
        f"{bad}:20:13: status: unknown status 'sure': use one of refuted, unsupported, disputed, stale, claimed, reported, confirmed",
        f"{bad}:10:14: unknown entity 'nvdia': did you mean 'nvidia'?",
    ]


def test_missing_file_and_bad_option_exit_2(tmp_path):
    res = run("stats", str(tmp_path / "nope.yaml"))
    assert res.returncode == 2 and "no such file or folder" in res.stderr and "Traceback" not in res.stderr
    res = run("stats", "--as-of", "2026-02-30")
    assert res.returncode == 2 and "impossible date" in res.stderr
    res = run("stats", "--min-status", "sure")
    assert res.returncode == 2 and "unknown status" in res.stderr


def test_show_finds_an_entity_by_chinese_alias():
    res = run("show", "英偉達", "--format", "json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["entity"]["id"] == "nvidia"
    ids = {c["id"] for c in data["claims"]}
    assert any(c["subject"] == "nvidia" and c["predicate"] == "INVESTS_IN" and c["object"] == "xai" for c in data["claims"])
    assert len(ids) == len(data["claims"])


def test_show_unknown_entity_suggests(tmp_path):
    res = run("show", "nvdia")
    assert res.returncode == 2
    assert "unknown entity 'nvdia': did you mean 'nvidia'?" in res.stderr


def test_audit_prints_findings_and_strict_exits_1():
    res = run("audit", "--format", "json")
    assert res.returncode == 0, res.stderr
    findings = json.loads(res.stdout)
    # the article's 7% against what Nvidia's money buys is a warning; the numeric conflicts of
    # the bundled landscape are ranked by their statuses already: info, shown with --all
    assert any(f["code"] == "implied-stake" and f["severity"] == "warning" for f in findings)
    assert not any(f["severity"] == "info" for f in findings)
    every = json.loads(run("audit", "--format", "json", "--all").stdout)
    assert any(f["code"] == "numeric-conflict" and f["severity"] == "info" for f in every)
    strict = run("audit", "--strict")
    assert strict.returncode == 1
    assert "implied-stake" in strict.stdout and "summary: critical 0; warning" in strict.stdout


def test_export_json_round_trips_and_is_atomic(tmp_path):
    out = tmp_path / "land.json"
    res = run("export", "--format", "json", "-o", str(out))
    assert res.returncode == 0, res.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"sources", "entities", "claims"} <= set(data)
    claim = data["claims"][0]
    assert {"id", "subject", "predicate", "status", "evidence"} <= set(claim)
    assert ("object" in claim) != ("value" in claim)
    again = run("stats", "--format", "json", str(out))
    assert json.loads(again.stdout)["claims"] == len(data["claims"])
    # a failed export leaves the old file untouched and no temp file behind
    before = out.read_bytes()
    res = run("export", "--format", "nope", "-o", str(out))
    assert res.returncode == 2
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["land.json"]


@pytest.mark.parametrize("cmd", [["stats"], ["audit"], ["show", "tesla"]])
def test_as_of_and_min_status_options_apply(cmd):
    full = json.loads(run(*cmd, "--format", "json").stdout)
    cut = json.loads(run(*cmd, "--format", "json", "--min-status", "confirmed", "--as-of", "2019-01-01").stdout)
    assert cut != full


def test_output_piped_into_head_stops_quietly(tmp_path):
    """`claimgraph query ... | head -1`: the reader leaves early; no 'internal error', no traceback."""
    from claimgraph.io import write_dataset as write
    from claimgraph.synth import generate

    write(generate(entities=300, claims=3000, seed=3), tmp_path / "big", "csv")  # far more than a pipe holds
    proc = subprocess.Popen([sys.executable, "-m", "claimgraph.cli", "query", "claims", str(tmp_path / "big"),
                             "--format", "csv"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()  # what head does after its line
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert first.startswith(b"claim_id,") or first.startswith(b"id,"), first
    assert err == ""
    assert proc.returncode == 141


def test_tables_show_brackets_as_written_not_escaped():
    """Cells are escaped once for rich: '[status=…]' prints as is, never as '\\[status=…]'."""
    listing = subprocess.run([sys.executable, "-m", "claimgraph.cli", "query", "--list"],
                             capture_output=True, text=True, env={**os.environ, "COLUMNS": "250"})
    assert listing.returncode == 0, listing.stderr
    assert "[status=" in listing.stdout and "\\[" not in listing.stdout
    money = subprocess.run([sys.executable, "-m", "claimgraph.cli", "query", "money"],
                           capture_output=True, text=True, env={**os.environ, "COLUMNS": "400"})
    assert "[tesla-invests-in-xai]" in money.stdout and "\\[" not in money.stdout
