"""``claimgraph neo4j push|pull|cypher`` and ``export --format cypher`` against a real server."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimgraph import load
from claimgraph.cli import main
from claimgraph.io.json_io import to_data

pytestmark = pytest.mark.neo4j


def _empty(server) -> None:
    with server.driver() as driver, driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


@pytest.fixture
def env(neo4j_env):
    """NEO4J_* point at the test server, whose database is emptied first, and after (another
    graph left behind would meet the next module's `push --replace`, which replaces only its own)."""
    _empty(neo4j_env)
    yield neo4j_env
    _empty(neo4j_env)


def run(*args: str, input: str | None = None):
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result


def test_push_pull_round_trip_through_files(env, tmp_path, bundled):
    result = run("neo4j", "push")
    assert result.exit_code == 0, result.stderr
    assert f"pushed {len(bundled.entities)} entities" in result.stdout
    again = run("neo4j", "push", "--format", "json")
    assert json.loads(again.stdout)["updated"] == len(bundled.claims)

    for name in ("back.json", "back.yaml"):
        out = tmp_path / name
        result = run("neo4j", "pull", "-o", str(out))
        assert result.exit_code == 0, result.stderr
        assert f"{len(bundled.claims)} claims" in result.stderr
        assert to_data(load([out])) == to_data(bundled)
    assert (tmp_path / "back.yaml").read_text(encoding="utf-8").lstrip().startswith("format: claimgraph")


def test_push_replace_from_a_dataset_file(env, tmp_path, bundled):
    full = tmp_path / "full.json"
    assert run("export", "-o", str(full)).exit_code == 0
    data = json.loads(full.read_text(encoding="utf-8"))
    gone = data["claims"].pop()["id"]
    smaller = tmp_path / "smaller.json"
    smaller.write_text(json.dumps(data), encoding="utf-8")

    assert run("neo4j", "push", str(full)).exit_code == 0
    result = run("neo4j", "push", str(smaller), "--replace", "--batch-size", "50")
    assert result.exit_code == 0, result.stderr
    assert "removed 1 claims" in result.stdout
    result = run("neo4j", "cypher", "MATCH ()-[r {claim_id: $id}]->() RETURN count(r) AS n", "-p", f"id={gone}",
                 "--format", "json")
    assert json.loads(result.stdout) == [{"n": 0}]
    result = run("neo4j", "cypher", "MATCH ()-[r]->() WHERE r.claim_id IS NOT NULL RETURN count(r) AS n",
                 "--format", "csv")
    assert list(csv.reader(io.StringIO(result.stdout))) == [["n"], [str(len(bundled.claims) - 1)]]


def test_cypher_formats_and_params(env, bundled):
    assert run("neo4j", "push").exit_code == 0
    some = sorted(bundled.entities)[0]
    q = "MATCH (e:Entity {id: $id}) RETURN e.id AS id, e.name AS name, $n + 1 AS n, e.aliases AS aliases"
    result = run("neo4j", "cypher", q, "-p", f"id={some}", "-p", "n=41", "--format", "json")
    assert result.exit_code == 0, result.stderr
    row = json.loads(result.stdout)[0]
    assert row["id"] == some and row["name"] == bundled.entities[some].name and row["n"] == 42
    result = run("neo4j", "cypher", q, "-p", f"id={some}", "-p", "n=1")
    assert bundled.entities[some].name in result.stdout and "1 rows" in result.stdout
    result = run("neo4j", "cypher", "-", "-p", f"id={some}", "-p", "n=1", "--format", "csv",
                 input=q)
    header, values = list(csv.reader(io.StringIO(result.stdout)))
    assert header == ["id", "name", "n", "aliases"] and values[:3] == [some, bundled.entities[some].name, "2"]
    bad = run("neo4j", "cypher", q, "-p", "novalue")
    assert bad.exit_code == 2 and "KEY=VALUE" in bad.stderr


def test_cypher_is_read_only_unless_write(env):
    result = run("neo4j", "cypher", "CREATE (n:Stray) RETURN n")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: the query writes to the database but ran in READ mode: "
        "add --write (run_cypher(..., write=True)) if you mean to change the graph"]
    count = run("neo4j", "cypher", "MATCH (n:Stray) RETURN count(n) AS n", "--format", "json")
    assert json.loads(count.stdout) == [{"n": 0}]
    result = run("neo4j", "cypher", "CREATE (n:Stray) RETURN count(n) AS n", "--write", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == [{"n": 1}]


def test_export_cypher_script(tmp_path):
    out = tmp_path / "land.cypher"
    result = run("export", "--format", "cypher", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.count("CREATE CONSTRAINT") >= 4 and text.endswith(";\n")
    assert text.count("MERGE (s)-[r:`") == len(load().claims)


def _cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from claimgraph.cli import main; main()", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_bad_connection_settings_exit_2_with_one_line(neo4j_server, tmp_path):
    from neo4j_local import free_port

    base = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    secret = "S3cr3t-pw-not-to-print"
    cases = [
        (["--uri", f"bolt://127.0.0.1:{free_port()}", "--password", secret], {}, "cannot reach Neo4j"),
        (["--uri", neo4j_server.uri, "--password", secret], {}, "wrong user or password"),
        (["--database", "nosuchdb"], {"NEO4J_URI": neo4j_server.uri, "NEO4J_PASSWORD": neo4j_server.password or ""},
         "has no database 'nosuchdb'"),
        ([], {"NEO4J_URI": neo4j_server.uri, "NEO4J_PASSWORD": secret}, "wrong user or password"),
    ]
    if not neo4j_server.password:
        cases = [c for c in cases if "wrong" not in c[2]]
    for command in (["neo4j", "cypher", "RETURN 1"], ["neo4j", "pull", "-o", str(tmp_path / "x.json")],
                    ["neo4j", "push"]):
        for flags, extra, message in cases:
            proc = _cli(*command, *flags, env=base | extra)
            assert proc.returncode == 2, (command, flags, proc.stderr)
            lines = proc.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], proc.stderr
            assert "Traceback" not in proc.stderr
            for text in (proc.stdout, proc.stderr):
                assert secret not in text
                if neo4j_server.password:
                    assert neo4j_server.password not in text
    assert not (tmp_path / "x.json").exists()


# -- the local development server (scripts/neo4j-local) -----------------------------------------
ROOT = Path(__file__).resolve().parent.parent


def _local_server(server):
    import neo4j_local

    if not isinstance(server, neo4j_local.ServerInfo):
        pytest.skip("NEO4J_URI points at another server: these tests are about scripts/neo4j-local")
    return server


def test_local_server_reads_files_only_from_its_import_folder(env):
    """LOAD CSV in a read-only `neo4j cypher` once read any file the server could: /etc/passwd,
    and its own state file (which held the password). Now file URLs resolve below HOME/import."""
    server = _local_server(env)
    home = Path(server.home)
    outside = ["file:///etc/passwd", "file:///proc/self/environ", f"file://{home}/neo4j-local.json",
               "file:///../neo4j-local.json", "file:///%2e%2e/neo4j-local.json", "file:///import/../../neo4j-local.json"]
    for url in outside:
        result = run("neo4j", "cypher", "LOAD CSV FROM $url AS row RETURN row", "-p", f"url={url}", "--format", "json")
        assert result.exit_code == 2, (url, result.stdout[:300])
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "ExternalResourceFailed" in lines[0], (url, result.stderr)
        assert result.stdout == ""
    (home / "import" / "probe.csv").write_text("a,b\n", encoding="utf-8")
    result = run("neo4j", "cypher", "LOAD CSV FROM 'file:///probe.csv' AS row RETURN row", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [{"row": ["a", "b"]}]


def test_local_server_keeps_its_password_out_of_files_status_and_environment(env):
    import neo4j_local

    server = _local_server(env)
    assert server.password, "the test server runs with a password"
    home = Path(server.home)
    state = (home / "neo4j-local.json").read_text(encoding="utf-8")
    assert server.password not in state and json.loads(state)["auth_enabled"] is True
    assert server.password not in (home / "neo4j-local.log").read_text(errors="replace")
    environ = Path(f"/proc/{server.pid}/environ").read_bytes()
    assert server.password.encode() not in environ
    assert server.password not in repr(server)

    status = subprocess.run([str(ROOT / "scripts" / "neo4j-local" / "neo4j-local"), "status", "--home", str(home)],
                            capture_output=True, text=True, timeout=60)
    assert status.returncode == 0, status.stderr
    assert server.password not in status.stdout + status.stderr
    shown = json.loads(status.stdout)
    assert shown["running"] is True and shown["auth_enabled"] is True and "password" not in shown
    assert neo4j_local.status(home).password is None

    # start() of a running home hands back the password it was given, once, to its caller
    again = neo4j_local.start(home=home, password=server.password)
    assert (again.pid, again.uri, again.password) == (server.pid, server.uri, server.password)
    with again.driver() as driver:
        driver.verify_connectivity()


ADMIN_COMMANDS = [
    "TERMINATE TRANSACTIONS $ids",
    "SHOW TRANSACTIONS YIELD transactionId AS t, currentQuery AS q WHERE q CONTAINS 'Bystander' "
    "TERMINATE TRANSACTIONS t YIELD transactionId RETURN transactionId",
    "/* a comment */ terminate\n  transaction $ids",
    "USE neo4j TERMINATE TRANSACTIONS $ids",
    "STOP DATABASE nosuchdb",
    "CYPHER 5 START DATABASE nosuchdb",
    "DROP DATABASE nosuchdb IF EXISTS",
    "CREATE USER mallory SET PASSWORD 'mallory-pw' CHANGE NOT REQUIRED",
    "CREATE OR REPLACE ROLE mallory",
    "ALTER CURRENT USER SET PASSWORD FROM 'x' TO 'mallory-pw'",
    "GRANT ROLE admin TO mallory",
    "RETURN 1; STOP DATABASE nosuchdb",
    "CALL dbms.killTransactions($ids)",
]


def test_read_only_cypher_refuses_administration_commands(env):
    """`TERMINATE TRANSACTIONS` runs in READ access mode: a read-only `neo4j cypher` could end
    another session's write. Administration commands are refused before anything is sent
    (exit 2, one line) unless --write; the other session's transaction commits."""
    with env.driver() as driver:
        with driver.session() as other:
            tx = other.begin_transaction()
            tx.run("CREATE (:Bystander {n: 1})").consume()
            records, _, _ = driver.execute_query("SHOW TRANSACTIONS YIELD transactionId AS t, currentQuery AS q "
                                                 "WHERE NOT q STARTS WITH 'SHOW' RETURN collect(t) AS ids")
            txids = records[0]["ids"]
            assert txids, "the open transaction is listed"
            for q in ADMIN_COMMANDS:
                result = run("neo4j", "cypher", q, "-p", f"ids={json.dumps(txids)}")
                assert result.exit_code == 2, (q, result.stdout)
                lines = result.stderr.strip().splitlines()
                assert len(lines) == 1 and "is an administration command" in lines[0] and "--write" in lines[0], (q, lines)
            tx.commit()  # still open: nothing ended it
        records, _, _ = driver.execute_query("MATCH (b:Bystander) RETURN count(b) AS n")
        assert records[0]["n"] == 1
        users, _, _ = driver.execute_query("SHOW USERS YIELD user RETURN collect(user) AS u", database_="system")
        assert "mallory" not in users[0]["u"]
    # admin words inside strings, comments, names and properties are data, not commands
    for q in ["MATCH (n) WHERE n.name = 'TERMINATE TRANSACTIONS' RETURN count(n) AS n",
              "// STOP DATABASE neo4j\nRETURN 'CREATE USER x' AS n",
              "MATCH (user:`STOP DATABASE`) RETURN count(user) AS n",
              "SHOW TRANSACTIONS YIELD transactionId RETURN count(*) AS n"]:
        result = run("neo4j", "cypher", q, "--format", "json")
        assert result.exit_code == 0, (q, result.stderr)
    # with --write the user means it
    result = run("neo4j", "cypher", "TERMINATE TRANSACTIONS 'neo4j-transaction-0'", "--write", "--format", "json")
    assert result.exit_code == 0, result.stderr


def test_push_and_pull_name_their_graph(env, tmp_path, bundled):
    result = run("neo4j", "push", "--graph", "chips")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith("graph 'chips'")
    out = tmp_path / "chips.json"
    result = run("neo4j", "pull", "-o", str(out), "--graph", "chips")
    assert result.exit_code == 0, result.stderr
    assert to_data(load([out])) == to_data(bundled)
    result = run("neo4j", "pull", "-o", str(tmp_path / "default.json"))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "graph 'default' holds nothing: push it first" in lines[0], lines
    assert lines[0].endswith("graphs here: chips")
    for args in (["push", "--graph", "a b"], ["pull", "-o", str(tmp_path / "x.json"), "--graph", "'; DROP"]):
        result = run("neo4j", *args)
        assert result.exit_code == 2, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: bad graph name"), lines
    assert not (tmp_path / "x.json").exists() and not (tmp_path / "default.json").exists()
