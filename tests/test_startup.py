"""What a command imports before it answers: ``claimgraph --help`` none of the command modules
and none of the heavy libraries, ``claimgraph validate`` no graph and no output machinery, and
``validate`` still counts what a loaded landscape counts. Behaviour, not timing: the CPU
seconds are measured by ``python -m benchmarks --stages startup`` (docs/benchmarks.md)."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import claimgraph
from claimgraph import api
from claimgraph.io import write_dataset
from claimgraph.synth import generate

REPO = Path(__file__).resolve().parent.parent

#: libraries that only some commands need (tables, graphs, pictures, Neo4j, the model's validation)
HEAVY = ("networkx", "rich", "neo4j", "numpy", "matplotlib", "pyvis", "orjson", "scipy")
COMMAND_MODULES = ("claimgraph.cli.core", "claimgraph.cli.query", "claimgraph.cli.viz",
                   "claimgraph.cli.interchange", "claimgraph.cli.neo4j", "claimgraph.cli._common")


def run_entry_point(*args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run the console script's entry point the way the installed script does, in a fresh
    interpreter, from this checkout; return the process and the modules it had imported."""
    module, _, func = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]["claimgraph"].partition(":")
    code = (f"import json, sys\nfrom {module} import {func}\n"
            f"try:\n    {func}(args={list(args)!r}, prog_name='claimgraph')\n"
            "except SystemExit as exc:\n    code = exc.code\n"
            "print('\\nMODULES ' + json.dumps(sorted(sys.modules)))\nsys.exit(code)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    out, _, mods = done.stdout.rpartition("\nMODULES ")
    done.stdout = out
    return done, set(json.loads(mods)) if mods else set()


def tops(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_help_imports_no_command_module_and_no_heavy_library():
    done, modules = run_entry_point("--help")
    assert done.returncode == 0, done.stderr
    assert "validate" in done.stdout and "Commands:" in done.stdout  # every command listed all the same
    assert not modules & set(COMMAND_MODULES), sorted(modules & set(COMMAND_MODULES))
    assert "claimgraph.api" not in modules
    assert not tops(modules) & {*HEAVY, "pydantic", "pydantic_core", "yaml"}, sorted(tops(modules) & {*HEAVY, "pydantic", "yaml"})


def test_version_is_the_running_code_s_without_a_metadata_lookup():
    done, modules = run_entry_point("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"claimgraph, version {claimgraph.__version__}"
    assert "importlib.metadata" not in modules


def test_validate_builds_no_graph_and_loads_no_output_library():
    done, modules = run_entry_point("validate")
    assert done.returncode == 0, done.stderr
    stats = api.validate()
    assert done.stdout.strip() == f"ok: {stats['entities']} entities, {stats['claims']} claims, {stats['sources']} sources"
    assert not tops(modules) & set(HEAVY), sorted(tops(modules) & set(HEAVY))
    # only the command that ran was imported
    assert "claimgraph.cli.core" in modules
    assert not modules & {"claimgraph.cli.query", "claimgraph.cli.viz", "claimgraph.honesty", "claimgraph.queries"}


def test_bad_input_still_fails_validate_with_its_place(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("claims:\n  - {id: x, subject: nobody, predicate: INVESTS_IN, object: nobody2, status: claimed}\n")
    done, _ = run_entry_point("validate", str(bad))
    assert done.returncode == 2
    assert done.stderr.startswith(f"{bad}:2:") and "Traceback" not in done.stderr


EXTRA = """\
entities:
  - {id: startup-co, name: Startup Co, kind: Company}
claims:
  - id: startup-co-cadence
    subject: startup-co
    predicate: HAS_CADENCE
    value: 6 months
    asserted_by: [netease-article]
    status: claimed
    evidence: [{source: netease-article, paraphrase: a made-up cadence}]
  - id: startup-co-competes-nvidia
    subject: startup-co
    predicate: COMPETES_WITH
    object: nvidia
    asserted_by: [netease-article]
    status: claimed
    evidence: [{source: netease-article, paraphrase: a made-up rivalry}]
"""


@pytest.mark.parametrize("case", ["bundled", "generated", "bundled plus a file"])
def test_validate_counts_what_the_loaded_landscape_counts(tmp_path, case):
    """``validate`` counts the checked records without building the Landscape; its figures are
    those of ``load(...).stats()`` (relations, value claims, rates, every breakdown)."""
    if case == "bundled":
        paths = None
    elif case == "generated":
        paths = [write_dataset(generate(60, 150, seed=3), tmp_path / "gen")]
    else:
        (tmp_path / "extra.yaml").write_text(EXTRA, encoding="utf-8")
        paths = ["ai-chips", tmp_path / "extra.yaml"]
    land = api.load(paths)
    got = api.validate(paths)
    assert got == land.stats() | {"notices": list(land.notices)}
    assert got["relations"] == land.graph.number_of_edges() > 0
    assert got["value_claims"] == len(land.value_claims()) > 0
    if case != "bundled":
        assert got["claims"] != api.validate()["claims"]  # the extra records were counted
