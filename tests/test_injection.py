"""Dataset text never becomes code.

Cypher: every value from the dataset reaches Neo4j only as a query parameter; labels and
relationship types come only from the vocabulary (a kind or predicate with backticks is
rejected by validation before any Cypher runs); payload ids, names and texts are stored
verbatim; ``claimgraph neo4j cypher`` without ``--write`` cannot write.

HTML: the same payloads in ``claimgraph html`` open in real Chromium without a dialog, a
script run or a request.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from neo4j import Session
from neo4j._sync.work.transaction import TransactionBase

from claimgraph import load
from claimgraph.io.json_io import to_data
from claimgraph.neo4j import connect, pull, push
from claimgraph.neo4j.connection import RESERVED_LABELS
from claimgraph.vocabulary import default_vocabulary

from .test_hostile_inputs import CORPUS, run_cli

PAYLOADS = CORPUS / "payloads.yaml"

#: fragments of the payloads that must never appear in a query text
MARKERS = ("DETACH DELETE n //", "alert(", "DROP TABLE", "Beta`", "{{7*7}}", "}]->() DELETE r", "\u202e",
           "javascript:", "<script>", "}) RETURN 1")


class CypherLog:
    """Records every query text and its parameters sent through the driver (then sends it)."""

    def __init__(self, monkeypatch):
        self.calls: list[tuple[str, dict]] = []
        real_tx, real_session = TransactionBase.run, Session.run
        log = self

        def tx_run(self, query, parameters=None, **kw):
            log.calls.append((str(query), dict(parameters or {}) | kw))
            return real_tx(self, query, parameters, **kw)

        def session_run(self, query, parameters=None, **kw):
            log.calls.append((str(query), dict(parameters or {}) | kw))
            return real_session(self, query, parameters, **kw)

        monkeypatch.setattr(TransactionBase, "run", tx_run)
        monkeypatch.setattr(Session, "run", session_run)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


LABEL_RE = re.compile(r"[(\[][a-z]*:`?([A-Za-z_][A-Za-z0-9_]*)`?|\bn:`?([A-Za-z_][A-Za-z0-9_]*)`?")


def empty_database(server) -> None:
    """Delete every node. (conftest's clean_neo4j runs CALL ... IN TRANSACTIONS through
    driver.execute_query, a managed transaction, which Neo4j refuses once the database has
    nodes; an auto-commit session.run is needed.)"""
    with server.driver() as driver, driver.session() as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


@pytest.fixture
def conn(neo4j_server):
    empty_database(neo4j_server)
    with connect(neo4j_server.uri, getattr(neo4j_server, "user", None) or "neo4j", neo4j_server.password) as c:
        yield c


def test_push_sends_dataset_text_only_as_parameters(conn, monkeypatch):
    land = load([PAYLOADS])
    log = CypherLog(monkeypatch)
    push(land, conn)
    assert log.calls, "nothing was sent"
    texts = [q for q, _ in log.calls]
    for q in texts:
        for m in MARKERS:
            assert m not in q, f"payload {m!r} inside a query: {q[:200]}"
        for name in re.findall(r"`([^`]*)`", q):  # every backticked name is a vocabulary name
            vocab = default_vocabulary()
            assert name in vocab.kinds or name in vocab.predicates or name in RESERVED_LABELS, name
        for a, b in LABEL_RE.findall(q):
            label = a or b
            vocab = default_vocabulary()
            assert label in vocab.kinds or label in vocab.predicates or label in RESERVED_LABELS, (label, q[:200])
    sent = [s for _, p in log.calls for s in _strings(p)]
    blob = "\n".join(sent)
    # ... while the payloads did travel, as parameters
    for text in ("Beta` }) DETACH DELETE n // {{7*7}} ${7*7}", "'; DROP TABLE claims; --",
                 "javascript:alert('url')", "\u202etfosorciM"):
        assert text in blob, text


def test_payloads_are_stored_verbatim_and_nothing_is_deleted(conn):
    land = load([PAYLOADS])
    with conn.session() as s:
        s.run("CREATE (:Canary {name: 'still here'})").consume()
    push(land, conn)
    push(land, conn)  # twice: the payloads in update paths too
    with conn.session() as s:
        assert s.run("MATCH (c:Canary) RETURN count(c)").single()[0] == 1
        names = dict(s.run("MATCH (e:Entity) RETURN e.id, e.name").values())
        aliases = dict(s.run("MATCH (e:Entity) RETURN e.id, e.aliases").values())
        url = s.run("MATCH (n:Source {id: 'src-js'}) RETURN n.url").single()[0]
        value = s.run("MATCH (:Entity {id: 'beta'})-[r:HAS_ATTRIBUTE]->(v:Value) RETURN v.text").single()[0]
        rels = s.run("MATCH ()-[r]->() WHERE r.claim_id IS NOT NULL RETURN count(r)").single()[0]
    assert names == {e.id: e.name for e in land.entities.values()}
    assert aliases["beta"] == land.entities["beta"].aliases
    assert url == "javascript:alert('url')"
    assert value == land.claims["beta-attr"].value
    assert rels == len(land.claims) == 3
    # and pulling gives back exactly what went in
    assert to_data(pull(conn)) == to_data(land)


@pytest.mark.parametrize("case", ["kind-backtick", "kind-cypher-keyword", "predicate-backtick", "id-backtick",
                                  "id-quote-brace"])
def test_bad_names_are_rejected_before_any_cypher(case, neo4j_env, conn):
    """A kind, predicate or id that would need escaping never reaches the server: validation
    fails first (exit 2), the database is untouched."""
    with conn.session() as s:
        s.run("CREATE (:Canary {name: 'still here'})").consume()
        before = s.run("MATCH (n) RETURN count(n)").single()[0]
    path = CORPUS / "yaml" / f"{case}.yaml"
    run = run_cli("neo4j", "push", str(path))
    assert run.rc == 2, run.err
    assert run.err.startswith(f"{path}:"), run.err
    with conn.session() as s:
        assert s.run("MATCH (n) RETURN count(n)").single()[0] == before


def test_custom_vocabulary_cannot_smuggle_a_label(conn):
    """Even a vocabulary (which is trusted config) with a kind that is no identifier cannot
    become a label: push refuses it with a clean error before writing."""
    from claimgraph.errors import ClaimgraphError
    from claimgraph.io import load_dataset
    from claimgraph.landscape import Landscape
    from claimgraph.vocabulary import Vocabulary

    data = json.loads(json.dumps({
        "kinds": {"Company`) DETACH DELETE n //": "evil"},
        "dimensions": {"percent": ["%"]},
        "qualifiers": {},
        "predicates": {},
    }))
    vocab = Vocabulary.from_data(data)
    path = Path(__file__).parent / "hostile" / "base.yaml"
    ds = load_dataset([path], vocabulary=default_vocabulary())
    land = Landscape.from_dataset(ds)
    land.vocabulary = vocab
    for e in land.entities.values():
        e.kind = "Company`) DETACH DELETE n //"
    land.claims.clear()
    with pytest.raises(ClaimgraphError, match="cannot be used as a Neo4j label"):
        push(land, conn)
    with conn.session() as s:
        assert s.run("MATCH (e:Entity) RETURN count(e)").single()[0] == 0


# -- neo4j cypher without --write -------------------------------------------------------------
WRITES = [
    "CREATE (:Evil {x: 1})",
    "MERGE (:Evil {x: 1})",
    "MATCH (c:Canary) SET c.name = 'changed'",
    "MATCH (c:Canary) DETACH DELETE c",
    "MATCH (c:Canary) REMOVE c:Canary",
    "MATCH (c:Canary) SET c:Evil",
    "CREATE INDEX evil_idx IF NOT EXISTS FOR (n:Evil) ON (n.x)",
    "CREATE CONSTRAINT evil_c IF NOT EXISTS FOR (n:Evil) REQUIRE n.x IS UNIQUE",
    "UNWIND [1] AS i CALL (i) { CREATE (:Evil {x: i}) } IN TRANSACTIONS",
    "CALL db.createLabel('Evil')",
    "MATCH (c:Canary) WITH c CALL (c) { DETACH DELETE c }",
    "CALL { MATCH (c:Canary) DELETE c } RETURN 1",
    "FOREACH (i IN [1] | CREATE (:Evil))",
    "MATCH (c:Canary) RETURN c // \n ; CREATE (:Evil)",
]


@pytest.fixture
def canary(neo4j_env, conn):
    with conn.session() as s:
        s.run("CREATE (:Canary {name: 'still here'})").consume()
    return conn


def _graph_state(conn) -> tuple:
    with conn.session() as s:
        nodes = sorted(json.dumps(r, sort_keys=True, default=str)
                       for r in s.run("MATCH (n) RETURN labels(n), properties(n)").values())
        labels = sorted(r[0] for r in s.run("CALL db.labels()").values())
        idx = sorted(r[0] for r in s.run("SHOW INDEXES YIELD name").values())
    return json.dumps(nodes, sort_keys=True, default=str), labels, idx


@pytest.mark.parametrize("query", WRITES)
def test_cypher_without_write_cannot_write(canary, query):
    before = _graph_state(canary)
    run = run_cli("neo4j", "cypher", query)
    assert run.rc == 2, (run.rc, run.out, run.err)
    assert "Traceback" not in run.err
    assert run.err.startswith("error: ") and len(run.err.strip().splitlines()) == 1, run.err
    assert _graph_state(canary) == before


def test_cypher_with_write_does_write(canary):
    """The same path with --write changes the graph, so the test above could fail."""
    run = run_cli("neo4j", "cypher", "--write", "CREATE (:Evil {x: 1}) RETURN 1 AS one")
    assert run.rc == 0, run.err
    with canary.session() as s:
        assert s.run("MATCH (e:Evil) RETURN count(e)").single()[0] == 1


def test_cypher_parameters_are_data(canary):
    """``-p`` values are parameters: a Cypher payload in one is a string, not code."""
    payload = "x'}) DETACH DELETE n //"
    run = run_cli("neo4j", "cypher", "--format", "json", "RETURN $p AS p", "-p", f"p={payload}")
    assert run.rc == 0, run.err
    assert json.loads(run.out) == [{"p": payload}]
    assert _graph_state(canary)[0].count("still here") == 1


# -- HTML ----------------------------------------------------------------------------------------
@pytest.mark.browser
@pytest.mark.parametrize("command", ["html", "report"])
def test_payloads_render_inert_in_chromium(page, tmp_path, command):
    """``claimgraph html`` / ``report`` of the payload landscape, opened in Chromium, every node
    clicked: no dialog, no script error, no request, no element made from dataset text."""
    out = tmp_path / f"payloads.{command}.html"
    run = run_cli(command, str(PAYLOADS), "-o", str(out))
    assert run.rc == 0, run.err
    scripts_before = out.read_text(encoding="utf-8").count("<script")
    page.goto(out.resolve().as_uri())
    page.wait_for_load_state("load")
    if command == "html":
        page.wait_for_selector("body[data-ready='1']", timeout=60_000)
        for node in ("acme", "beta", "gamma.x_1-2"):
            x, y = page.evaluate(
                """id => { const n = claimgraph.network; const p = n.canvasToDOM(n.getPositions([id])[id]);
                           const r = document.getElementById('cg-graph').getBoundingClientRect();
                           return [r.left + p.x, r.top + p.y]; }""", node)
            page.mouse.click(x, y)
            page.wait_for_selector(f"body[data-selected='{node}']", timeout=5_000)
            for more in page.locator("#cg-details .cg-more").all():
                more.click()
            page.hover("#cg-details")
    # printing draws the graph again, as SVG with the names as text: inert too
    page.pdf(path=str(tmp_path / f"payloads.{command}.pdf"), format="A4")
    labels = page.eval_on_selector_all("#cg-print text.cg-print-node-label", "ts => ts.map(t => t.textContent)")
    assert len(labels) == page.evaluate("() => claimgraph.data.nodes.length")
    text = page.inner_text("body")
    probe = page.probe
    assert probe.dialogs == [], probe.dialogs
    assert probe.blocked == [], probe.blocked[:3]
    assert probe.console_errors == [], probe.console_errors[:3]
    # the payloads are on the page as text...
    assert "'; DROP TABLE claims; --" in text or command == "report"
    # ... and none became an element, a handler or a link
    injected = page.evaluate(
        """() => [...document.querySelectorAll('*')].filter(el => [...el.attributes].some(
              a => a.name.startsWith('on') || (['href', 'src'].includes(a.name) && /^(javascript|data):/i.test(a.value))))
              .map(el => el.outerHTML.slice(0, 120))""")
    assert injected == []
    assert page.evaluate("() => document.querySelectorAll('script').length") <= scripts_before
