"""neo4j-admin import files: the exported folder's own ``import.sh`` runs the real import tool
(Neo4j's jars from Maven Central, the ones the local test server uses), a real server then opens
the database, and pulling the landscape back over Bolt gives the landscape that was exported."""

from __future__ import annotations

import os
import shutil
import subprocess

import neo4j_local
import pytest

from claimgraph.io.json_io import to_data
from claimgraph.model import Entity
from claimgraph.neo4j.admin import neo4j_admin_command
from claimgraph.synth import generate
from tests.helpers import export

pytestmark = pytest.mark.neo4j


def _admin_shim(tmp_path) -> dict[str, str]:
    """A ``neo4j-admin`` on PATH that runs Neo4j's admin tool from the cached jars."""
    try:
        lib = neo4j_local.ensure_jars()
        java = shutil.which("java")
        assert java, "java is not on PATH"
    except Exception as exc:  # noqa: BLE001 - a failure, never a silent skip in CI
        if os.environ.get("CI") or os.environ.get("CLAIMGRAPH_SKIP_NEO4J") != "1":
            pytest.fail(f"cannot run neo4j-admin from the Neo4j jars: {exc}")
        pytest.skip(str(exc))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "neo4j-admin"
    shim.write_text(f'#!/bin/sh\nexec "{java}" -Xmx512m -cp "{lib}/*" org.neo4j.cli.AdminTool "$@"\n')
    shim.chmod(0o755)
    home = tmp_path / "home"
    (home / "conf").mkdir(parents=True)
    (home / "conf" / "neo4j.conf").write_text("")
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}


def test_neo4j_admin_import_of_the_export_reads_back_the_same_landscape(tmp_path):
    land = generate(entities=60, claims=300, seed=8)
    # an alias holding ';' (neo4j-admin's default array delimiter) must not split
    e = next(e for e in land.entities.values() if e.aliases)
    land.entities[e.id] = Entity.model_construct(**(e.__dict__ | {"aliases": ["Semi; colon Inc", *e.aliases]}))
    # line breaks of every kind inside a value (a bare CR once split the row) come back as written
    c = next(iter(land.claims.values()))
    land.claims[c.id] = c.model_copy(update={"notes": "one\rtwo\r\nthree\nfour"})
    out = export(land, "neo4j-admin", tmp_path / "admin")
    script = (out / "import.sh").read_text()
    assert '--array-delimiter="|"' in script
    header = (out / "claims.header.csv").read_text().strip().split(",")
    assert header[:3] == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"]
    assert {"status_rank:long", "source_ids:string[]", "stated_on_start:date"} <= set(header)
    assert (out / "entities.header.csv").read_text().startswith("id:ID(Entity),:LABEL,aliases:string[]")

    env = _admin_shim(tmp_path)
    done = subprocess.run(["sh", str(out / "import.sh")], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "IMPORT DONE" in done.stdout + done.stderr

    info = neo4j_local.start(home=env["NEO4J_HOME"], password="admin-import-test", die_with_parent=True)
    try:
        from claimgraph.neo4j import connect, pull

        with connect(info.uri, info.user, info.password) as conn:
            back = pull(conn)
            with conn.session(write=False) as s:
                labels = s.run("MATCH (n:Entity {id: $id}) RETURN labels(n) AS l, n.aliases AS a", id=e.id).single()
        assert to_data(back) == to_data(land)
        assert set(labels["l"]) == {"Entity", land.entities[e.id].kind}
        assert labels["a"][0] == "Semi; colon Inc"
    finally:
        neo4j_local.stop(info)


def test_documented_command_names_every_file():
    cmd = neo4j_admin_command("/data/export")
    assert cmd.startswith("neo4j-admin database import full")
    for name in ("entities", "sources", "values", "rates", "claims", "value_claims"):
        assert f"/data/export/{name}.header.csv,/data/export/{name}.csv" in cmd
    assert cmd.rstrip().endswith("neo4j")
