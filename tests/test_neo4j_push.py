"""Push, pull, read-only Cypher and the Cypher script, against a real Neo4j server over Bolt."""

from __future__ import annotations

import io
import json
import re
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph import ClaimgraphError, Landscape, load
from claimgraph import neo4j as neo4j_io
from claimgraph.errors import DatasetError
from claimgraph.io.json_io import to_data
from claimgraph.model import Entity, Quantity, Status
from claimgraph.neo4j import pushing

pytestmark = pytest.mark.neo4j

DOCS = Path(__file__).resolve().parent.parent / "docs"

NASTY_YAML = r'''
sources:
  - id: s-quote
    title: "It's a \"quoted\" title with a back\\slash and ;\n MATCH (n) DETACH DELETE n //"
    publisher: O'Reilly ; DROP
    url: "https://example.com/a?b='c'&d=\\e"
    published: 2025-06
    tier: press
    language: ja
    notes: "line one\nline two\ttabbed \u2028 sep; and a NUL-free \U0001F600 emoji"
  - id: s-self
    title: 中生代大白 的帖子
    publisher: NetEase Hao
    published: 2026
    tier: self-media
    retrieved: 2026-02-03
entities:
  - id: acme
    name: "Acme \"Labs\" O'Neil \\ Co"
    kind: Company
    aliases: [アクメ, 에크메, "Ac'me"]
    attributes: {founded: 1999, public: true, share: 0.25, country: "US'"}
    notes: "`backticks` and }{ braces"
  - id: bolt-chip
    name: Bolt X1
    kind: Chip
  - id: bolt-chip-2
    name: Bolt X2
    kind: Chip
  - id: jane
    name: Jane Ö'Doe
    kind: Person
  - id: n3
    name: N3
    kind: ProcessNode
  - id: ai-market
    name: AI inference
    kind: Market
rates:
  - {currency: KRW, usd: 0.00072, on: 2025-06, source: s-quote}
  - {currency: EUR, usd: 1.08}
claims:
  - id: acme-makes-x1
    subject: acme
    predicate: MAKES
    object: bolt-chip
    qualifiers: {process_node: n3, period: "2025–2026 'H1'"}
    asserted_by: [acme, s-quote]
    stated_on: 2025-06-01
    valid_from: 2025
    valid_until: 2026-03
    status: confirmed
    evidence:
      - {source: s-quote, locator: "p. 3; fig. \"2\"", paraphrase: "says ';\n' MATCH (x) DELETE x"}
      - {source: s-self, effect: contradicts}
    notes: "multi\nline"
  - id: jane-leads-acme
    subject: jane
    predicate: LEADS
    object: acme
    qualifiers: {role: CEO}
    status: reported
    evidence: [{source: s-quote}]
  - id: x2-succeeds-x1
    subject: bolt-chip-2
    predicate: SUCCEEDS
    object: bolt-chip
    status: unsupported
    contradicts: [acme-makes-x1, x1-volume]
    evidence: [{source: s-self}]
  - id: acme-invests
    subject: jane
    predicate: INVESTS_IN
    object: acme
    qualifiers: {stake: "5-7%", amount: "~USD 2.5B", round: "Series \"C\""}
    status: disputed
    evidence: [{source: s-self}, {source: s-quote, effect: contradicts}]
  - id: x1-cadence
    subject: acme
    predicate: HAS_CADENCE
    value: 9 months
    status: claimed
    evidence: [{source: s-self}]
  - id: x1-volume
    subject: bolt-chip
    predicate: REACHES_MILESTONE
    value: 2026-01-17
    qualifiers: {milestone: volume}
    status: stale
    evidence: [{source: s-self}]
  - id: x1-text
    subject: bolt-chip
    predicate: HAS_ATTRIBUTE
    value: "the \"fastest\" chip; honestly \\ maybe"
    qualifiers: {metric: "speed 'claim'"}
    status: refuted
    evidence: [{source: s-self}]
  - id: x1-range
    subject: bolt-chip
    predicate: HAS_ATTRIBUTE
    value: "up to 1000 TOPS"
    qualifiers: {metric: throughput}
    status: claimed
    evidence: [{source: s-self}]
  - id: x1-targets
    subject: bolt-chip
    predicate: TARGETS
    object: ai-market
    status: confirmed
    evidence: [{source: s-quote}]
  - id: x1-competes
    subject: bolt-chip-2
    predicate: COMPETES_WITH
    object: bolt-chip
    status: reported
    evidence: [{source: s-quote}]
'''


def _empty(server) -> None:
    with server.driver() as driver, driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


@pytest.fixture
def conn(neo4j_server):
    """A connection to the test server's default database, emptied first (schema kept), and
    emptied after: other graphs and other applications' data must not meet the next module's
    `push --replace`, which replaces only its own graph."""
    _empty(neo4j_server)
    c = neo4j_io.connect(neo4j_server.uri, getattr(neo4j_server, "user", None) or "neo4j",
                         neo4j_server.password or None)
    try:
        yield c
    finally:
        c.close()
        _empty(neo4j_server)


@pytest.fixture(scope="module")
def nasty(tmp_path_factory) -> Landscape:
    path = tmp_path_factory.mktemp("nasty") / "nasty.yaml"
    path.write_text(NASTY_YAML, encoding="utf-8")
    return load([path])


def counts(conn) -> dict:
    """Nodes by label and relationships by type, as the server counts them (without the push
    lock and the graph records, claimgraph's bookkeeping)."""
    _, nodes = neo4j_io.run_cypher(conn, "MATCH (n) UNWIND labels(n) AS l WITH l WHERE NOT l STARTS WITH 'Claimgraph' "
                                         "RETURN l, count(*) ORDER BY l")
    _, rels = neo4j_io.run_cypher(conn, "MATCH ()-[r]->() RETURN type(r), count(*) ORDER BY type(r)")
    return {"nodes": dict(map(tuple, nodes)), "rels": dict(map(tuple, rels))}


def expected_counts(land: Landscape) -> dict:
    nodes = Counter({"Entity": len(land.entities), "Source": len(land.sources), "Rate": len(land.rates),
                     "Value": len(land.value_claims())})
    nodes.update(e.kind for e in land.entities.values())
    return {"nodes": {k: v for k, v in sorted(nodes.items()) if v},
            "rels": dict(sorted(Counter(c.predicate for c in land.claims.values()).items()))}


def generated(seed: int, entities: int = 40, claims: int = 160) -> Landscape:
    from claimgraph.synth import generate

    return generate(entities=entities, claims=claims, seed=seed)


# -- push is idempotent ------------------------------------------------------------------------
def test_push_twice_leaves_the_same_graph(conn, bundled):
    first = neo4j_io.push(bundled, conn)
    after_first = counts(conn)
    assert after_first == expected_counts(bundled)
    assert (first.claims, first.created, first.updated) == (len(bundled.claims), len(bundled.claims), 0)
    second = neo4j_io.push(bundled, conn)
    assert counts(conn) == after_first
    assert (second.claims, second.created, second.updated, second.moved) == (len(bundled.claims), 0, len(bundled.claims), 0)


@pytest.mark.parametrize("writers", [1, 3])
def test_small_batches_give_the_same_graph(conn, nasty, writers):
    """Batches of one row, written one after the other or by three writers at once."""
    neo4j_io.push(nasty, conn, batch_size=1, writers=writers)
    assert counts(conn) == expected_counts(nasty)
    assert to_data(neo4j_io.pull(conn)) == to_data(nasty)
    again = neo4j_io.push(nasty, conn, batch_size=2, writers=writers)
    assert (again.created, again.updated) == (0, len(nasty.claims))
    assert counts(conn) == expected_counts(nasty)


# -- push then pull gives the same landscape ---------------------------------------------------
def test_pull_gives_back_the_bundled_landscape(conn, bundled):
    neo4j_io.push(bundled, conn)
    back = neo4j_io.pull(conn)
    assert to_data(back) == to_data(bundled)
    # and the objects are typed as a loaded landscape's are (quantities, partial dates)
    for cid, c in bundled.claims.items():
        assert type(back.claims[cid].value) is type(c.value)
        assert {k: type(v) for k, v in back.claims[cid].qualifiers.items()} == {k: type(v) for k, v in c.qualifiers.items()}


def test_pull_gives_back_tricky_text_and_every_value_type(conn, nasty):
    neo4j_io.push(nasty, conn)
    back = neo4j_io.pull(conn)
    assert to_data(back) == to_data(nasty)
    assert back.entities["acme"].name == "Acme \"Labs\" O'Neil \\ Co"
    assert back.entities["acme"].attributes == {"founded": 1999, "public": True, "share": 0.25, "country": "US'"}
    assert str(back.claims["x1-volume"].value) == "2026-01-17"
    assert back.claims["x1-cadence"].value.unit == "months"
    assert back.claims["x2-succeeds-x1"].contradicts == ["acme-makes-x1", "x1-volume"]
    assert back.rates == nasty.rates


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_pull_gives_back_generated_landscapes(conn, seed, capsys):
    land = generated(seed, *((200, 2000) if seed == 4 else ()))
    result = neo4j_io.push(land, conn, progress=True, batch_size=700 if seed == 4 else 5000)
    assert result.claims == len(land.claims)
    assert to_data(neo4j_io.pull(conn)) == to_data(land)
    assert counts(conn) == expected_counts(land)


# -- changes between pushes ----------------------------------------------------------------------
def test_replace_removes_what_left_the_dataset(conn, nasty):
    neo4j_io.push(nasty, conn)
    drop_claims = {"x1-text", "jane-leads-acme", "acme-invests"}  # and so jane loses every claim
    smaller = Landscape(
        {k: e for k, e in nasty.entities.items() if k != "jane"},
        {k: s for k, s in nasty.sources.items()},
        {k: c for k, c in nasty.claims.items() if k not in drop_claims},
        nasty.rates[:1], nasty.vocabulary)

    kept = neo4j_io.push(smaller, conn)  # without --replace nothing is deleted
    assert kept.removed == {}
    assert to_data(neo4j_io.pull(conn)) == to_data(nasty)

    result = neo4j_io.push(smaller, conn, replace=True)
    assert result.removed == {"claims": 3, "entities": 1, "sources": 0, "rates": 1, "values": 0}
    assert to_data(neo4j_io.pull(conn)) == to_data(smaller)
    assert counts(conn) == expected_counts(smaller)


def test_claims_that_changed_ends_or_predicate_are_moved_not_duplicated(conn, nasty):
    neo4j_io.push(nasty, conn)
    changed = {k: c.model_copy(deep=True) for k, c in nasty.claims.items()}
    changed["x1-targets"].subject = "bolt-chip-2"  # another subject
    changed["x1-competes"].predicate = "OUTPERFORMS"  # another type
    changed["x1-competes"].qualifiers = {"factor": Quantity.parse("2x")}
    changed["x1-cadence"].predicate = "HAS_ATTRIBUTE"  # a value claim of another type
    changed["x1-cadence"].value = "every nine months, allegedly"
    changed["x1-cadence"].qualifiers = {"metric": "cadence"}
    changed["acme-makes-x1"].qualifiers = {"period": "later"}  # updated in place
    changed["acme-makes-x1"].status = Status.DISPUTED
    entities = dict(nasty.entities)
    entities["n3"] = nasty.entities["n3"].model_copy(update={"kind": "Platform"})  # a kind change
    land = Landscape(entities, nasty.sources, changed, nasty.rates, nasty.vocabulary)

    result = neo4j_io.push(land, conn)
    assert result.moved == 3 and result.created == 0
    assert to_data(neo4j_io.pull(conn)) == to_data(land)
    assert counts(conn) == expected_counts(land)
    _, rows = neo4j_io.run_cypher(conn, "MATCH ()-[r]->() RETURN r.claim_id, count(*) AS n ORDER BY n DESC LIMIT 1")
    assert rows[0][1] == 1
    _, rows = neo4j_io.run_cypher(conn, "MATCH (n:Entity {id: 'n3'}) RETURN labels(n)")
    assert sorted(rows[0][0]) == ["Entity", "Platform"]


# -- safety ----------------------------------------------------------------------------------
def test_labels_and_types_only_from_the_vocabulary(conn, nasty):
    evil = Entity.model_construct(id="evil", name="x", kind="Company) DETACH DELETE n //", aliases=[],
                                  attributes={}, notes=None)
    land = Landscape({**nasty.entities, "evil": evil}, nasty.sources, nasty.claims, nasty.rates, nasty.vocabulary)
    with pytest.raises(ClaimgraphError, match="not in the vocabulary"):
        neo4j_io.push(land, conn)
    assert counts(conn) == {"nodes": {}, "rels": {}}  # refused before writing anything
    with pytest.raises(ClaimgraphError, match="not in the vocabulary"):
        neo4j_io.write_cypher_script(land, io.StringIO())


PLAN_SCANS = {"AllNodesScan", "NodeByLabelScan", "DirectedAllRelationshipsScan", "UndirectedAllRelationshipsScan",
              "DirectedRelationshipTypeScan", "UndirectedRelationshipTypeScan"}


def _operators(plan: dict) -> set[str]:
    out = {plan["operatorType"].split("@")[0]}
    for child in plan.get("children", []):
        out |= _operators(child)
    return out


def test_push_queries_seek_by_index(conn, nasty):
    neo4j_io.push(nasty, conn)  # creates the schema
    queries = [pushing.Q_SOURCES, pushing.Q_RATES, pushing.Q_RELEASE_VALUES, pushing.Q_RELEASE_ENTITIES,
               pushing._fmt(pushing.Q_ENTITIES, label="`Company`", remove=" REMOVE n:`Chip`")]
    for q in (pushing.Q_CREATE_REL, pushing.Q_CREATE_VALUE, pushing.Q_UPDATE_REL, pushing.Q_UPDATE_VALUE,
              pushing.Q_DELETE_REL):
        queries.append(pushing._fmt(q, type="`INVESTS_IN`"))
    with conn.session() as session:
        for q in queries:
            plan = session.run("EXPLAIN " + q, rows=[], ids=[], graph="default", own=[], labels=[]).consume().plan
            ops = _operators(plan)
            assert not ops & PLAN_SCANS, (q, ops)
            assert any("Seek" in op or "Merge" in op for op in ops), (q, ops)


def test_read_mode_rejects_a_stray_create(conn, nasty):
    neo4j_io.push(nasty, conn)
    before = counts(conn)
    with pytest.raises(ClaimgraphError, match="READ mode"):
        neo4j_io.run_cypher(conn, "MATCH (e:Entity {id: 'acme'}) CREATE (e)-[:OWNS]->(:Thing {name: 'x'})")
    with pytest.raises(ClaimgraphError, match="READ mode"):
        neo4j_io.run_cypher(conn, "MATCH (n) DETACH DELETE n")
    assert counts(conn) == before
    cols, rows = neo4j_io.run_cypher(conn, "CREATE (t:Thing {name: $n}) RETURN t.name AS name", {"n": "ok"}, write=True)
    assert (cols, rows) == (["name"], [["ok"]])


def test_run_cypher_returns_plain_values(conn, nasty):
    neo4j_io.push(nasty, conn)
    cols, rows = neo4j_io.run_cypher(
        conn, "MATCH (e:Entity {id: $id})-[r:MAKES]->(c) RETURN e, r.stated_on_start AS d, c.name AS chip",
        {"id": "acme"})
    assert cols == ["e", "d", "chip"]
    (node, day, chip), = rows
    assert node["_labels"] == ["Company", "Entity"] and node["name"] == nasty.entities["acme"].name
    assert (day, chip) == ("2025-06-01", "Bolt X1")


# -- connection errors -----------------------------------------------------------------------
def test_bad_connection_settings_give_one_clear_line(neo4j_server):
    from neo4j_local import free_port

    user = getattr(neo4j_server, "user", None) or "neo4j"
    cases = [
        (dict(uri=f"bolt://127.0.0.1:{free_port()}", user=user, password="pw-unreach-1"), "cannot reach Neo4j"),
        (dict(uri=neo4j_server.uri, user=user, password="pw-WRONG-xyz"), "wrong user or password"),
        (dict(uri=neo4j_server.uri, user=user, password=neo4j_server.password, database="nosuchdb"),
         "has no database 'nosuchdb'"),
        (dict(uri="http://127.0.0.1:7474", user=user, password="pw-scheme-2"), "bad Neo4j URI"),
    ]
    if not neo4j_server.password:
        cases.pop(1)  # a server without auth accepts any password
    for kwargs, message in cases:
        with pytest.raises(ClaimgraphError) as info:
            neo4j_io.connect(**kwargs)
        text = str(info.value)
        assert message in text
        assert "\n" not in text
        assert kwargs["password"] not in text


# -- the Cypher script -----------------------------------------------------------------------
def run_script(conn, text: str) -> int:
    statements = [s for s in text.split(";\n") if s.strip()]
    with conn.session() as session:
        for statement in statements:
            session.run(statement).consume()
    return len(statements)


def _claim_props(conn, ids: list[str]) -> dict:
    _, rows = neo4j_io.run_cypher(
        conn, "MATCH (s:Entity)-[r]->(o) WHERE r.claim_id IN $ids "
              "RETURN r.claim_id, s.id, type(r), labels(o), properties(o), properties(r)", {"ids": ids})
    return {row[0]: row[1:] for row in rows}


@pytest.mark.parametrize("which", ["nasty", "bundled"])
def test_cypher_script_recreates_the_graph(conn, request, which):
    land = request.getfixturevalue(which)
    buf = io.StringIO()
    neo4j_io.write_cypher_script(land, buf)
    script = buf.getvalue()
    assert "DETACH DELETE n //" not in script.replace("DETACH DELETE n //'", "")  # only inside literals
    sample = sorted(land.claims)[:: max(1, len(land.claims) // 25)]

    neo4j_io.push(land, conn)
    pushed_counts, pushed = counts(conn), _claim_props(conn, sample)

    with conn.session() as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
    n = run_script(conn, script)
    assert n == len(land.entities) + len(land.sources) + len(land.claims) + len(land.rates) + len(
        neo4j_io.schema_statements(land.vocabulary))
    assert counts(conn) == pushed_counts
    assert _claim_props(conn, sample) == pushed
    assert to_data(neo4j_io.pull(conn)) == to_data(land)
    run_script(conn, script)  # running it again changes nothing
    assert counts(conn) == pushed_counts


def test_cypher_export_is_registered(tmp_path, nasty):
    from claimgraph.api import export_formats
    from tests.helpers import export
    EXPORTERS = export_formats()

    assert "cypher" in EXPORTERS
    path = export(nasty, "cypher", tmp_path / "land.cypher")
    assert path.read_text(encoding="utf-8").startswith("// claimgraph")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(min_size=1, max_size=6), st.one_of(st.integers(-2**63, 2**63 - 1), st.booleans(), st.none(),
                                                   st.floats(allow_nan=False, allow_infinity=False)), max_size=3),
))
def test_cypher_literals_read_back_exactly(neo4j_server, value):
    with neo4j_server.driver() as driver:
        records, _, _ = driver.execute_query(f"RETURN {neo4j_io.cypher_literal(value)} AS v")
    assert records[0]["v"] == value


# -- the examples of docs/neo4j-model.md -----------------------------------------------------
def doc_queries(name: str = "neo4j-model.md") -> list[str]:
    text = (DOCS / name).read_text(encoding="utf-8")
    return [textwrap.dedent(q).strip() for q in re.findall(r"```cypher\n(.*?)```", text, re.S)]


def test_doc_examples_answer_their_questions(conn, bundled):
    neo4j_io.push(bundled, conn)
    self_media, as_of = doc_queries()[:2]

    _, rows = neo4j_io.run_cypher(conn, self_media)
    weak = sorted(c.id for c in bundled.claims.values()
                  if all(bundled.sources[s].tier.value == "self-media" for s in c.source_ids))
    assert weak, "the bundled landscape has claims resting only on self-media"
    assert [r[0] for r in rows] == weak

    _, rows = neo4j_io.run_cypher(conn, as_of)
    view = bundled.as_of("2025-06-30")
    name = lambda c: bundled.entities[c.object].name if c.object else str(c.value)  # noqa: E731
    want = Counter((bundled.entities[c.subject].name, c.predicate, name(c), c.status.value)
                   for c in view.claims.values())
    assert Counter(tuple(r) for r in rows) == want
    assert 0 < len(view.claims) < len(bundled.claims)

    one_graph = [q for q in doc_queries() if "claimgraph_graph = 'default'" in q]
    assert len(one_graph) == 1 and one_graph[0].startswith("MATCH"), \
        "docs/neo4j-model.md: the 'one graph's claims' example is not a ```cypher block of its own (a fence missing?)"
    _, rows = neo4j_io.run_cypher(conn, one_graph[0])  # one graph's claims, by predicate
    assert dict(map(tuple, rows)) == dict(Counter(c.predicate for c in bundled.claims.values()))


def test_every_example_in_the_neo4j_guide_runs(conn, bundled):
    neo4j_io.push(bundled, conn)
    queries = doc_queries("neo4j.md")
    assert len(queries) >= 4
    assert queries[:2] == doc_queries()[:2]  # the guide repeats the model's examples
    for q in queries:
        _, rows = neo4j_io.run_cypher(conn, q)  # READ mode: none of them writes
        assert rows, q


# -- ownership: only the graph's own nodes and relationships are touched --------------------
FOREIGN = """
CREATE (c:Customer {id: 'c1', name: 'their customer'})-[:BOUGHT {claim_id: 'their-order', qty: 2}]->(:Product {sku: 'p1'}),
       (:Entity {id: 'their-entity', name: 'Theirs', kind: 'Company', crm: 1}),
       (:Entity:Company {name: 'an entity without id'}),
       (:Source {id: 'their-source', title: 'their doc'}),
       (:Value {claim_id: 'their-value', text: 'x'}),
       (:Rate {key: 'their-rate', usd: 1.0})
WITH c MATCH (j:Entity {id: 'jane'}) CREATE (c)-[:FOLLOWS {since: 2020}]->(j)
"""


def _foreign(conn) -> dict:
    """Everything that is not claimgraph's: nodes and relationships without its marks."""
    _, nodes = neo4j_io.run_cypher(conn, "MATCH (n) WHERE n.claimgraph_graphs IS NULL AND NOT any(l IN labels(n) "
                                         "WHERE l STARTS WITH 'Claimgraph') RETURN labels(n), properties(n)")
    _, rels = neo4j_io.run_cypher(conn, "MATCH (a)-[r]->(b) WHERE r.claimgraph_graph IS NULL "
                                        "RETURN coalesce(a.id, a.name), type(r), properties(r), coalesce(b.id, b.sku)")
    key = lambda row: json.dumps(row, sort_keys=True, default=str)  # noqa: E731
    return {"nodes": sorted(map(key, nodes)), "rels": sorted(map(key, rels))}


def test_replace_leaves_other_applications_data_alone(conn, nasty):
    """`push --replace` in a shared database once deleted other applications' :Entity,
    :Source, :Value and :Rate nodes (with their relationships) and ended in an internal error
    on an :Entity without id, after the claims were written. Now it touches only the graph's
    own nodes and relationships; an entity that left the dataset but that another
    application points at stays, unmarked, with its relationship."""
    neo4j_io.push(nasty, conn)
    neo4j_io.run_cypher(conn, FOREIGN, write=True)
    before = _foreign(conn)
    assert len(before["nodes"]) == 7 and len(before["rels"]) == 2

    neo4j_io.push(nasty, conn, replace=True)
    assert _foreign(conn) == before
    assert to_data(neo4j_io.pull(conn)) == to_data(nasty)

    smaller = Landscape({k: e for k, e in nasty.entities.items() if k != "jane"}, nasty.sources,
                        {k: c for k, c in nasty.claims.items() if nasty.claims[k].subject != "jane"},
                        nasty.rates, nasty.vocabulary)
    result = neo4j_io.push(smaller, conn, replace=True)
    assert result.removed["claims"] == 2 and result.removed["entities"] == 0  # jane is kept: FOLLOWS points at her
    assert to_data(neo4j_io.pull(conn)) == to_data(smaller)
    after = _foreign(conn)
    assert set(before["rels"]) <= set(after["rels"]) and set(before["nodes"]) < set(after["nodes"])
    _, rows = neo4j_io.run_cypher(conn, "MATCH (:Customer)-[:FOLLOWS]->(j:Entity {id: 'jane'}) "
                                        "RETURN j.name, j.claimgraph_graphs")
    assert rows == [[nasty.entities["jane"].name, None]]


def test_foreign_entity_with_a_colliding_id_keeps_its_properties(conn, nasty):
    """A plain push once replaced every property of an :Entity another application had made
    with the same id. Now claimgraph writes its own properties and leaves the others."""
    neo4j_io.run_cypher(conn, "CREATE (:Entity {id: 'acme', name: 'ACME (CRM)', crm_score: 7, owner: 'sales'}), "
                              "(:Source {id: 's-self', archived: true})", write=True)
    for _ in range(2):
        neo4j_io.push(nasty, conn)
        _, rows = neo4j_io.run_cypher(conn, "MATCH (e:Entity {id: 'acme'}) RETURN e.crm_score, e.owner, e.name, "
                                            "e.claimgraph_graphs")
        assert rows == [[7, "sales", nasty.entities["acme"].name, ["default"]]]
        _, rows = neo4j_io.run_cypher(conn, "MATCH (s:Source {id: 's-self'}) RETURN s.archived, s.title")
        assert rows == [[True, nasty.sources["s-self"].title]]
        assert to_data(neo4j_io.pull(conn)) == to_data(nasty)
    # an attribute removed from the dataset goes; the foreign properties stay
    entities = dict(nasty.entities)
    entities["acme"] = nasty.entities["acme"].model_copy(update={"notes": None, "attributes": {}})
    changed = Landscape(entities, nasty.sources, nasty.claims, nasty.rates, nasty.vocabulary)
    neo4j_io.push(changed, conn)
    _, rows = neo4j_io.run_cypher(conn, "MATCH (e:Entity {id: 'acme'}) RETURN e.notes, e.attributes_json, e.crm_score")
    assert rows == [[None, None, 7]]
    assert to_data(neo4j_io.pull(conn)) == to_data(changed)  # nothing of the old attributes is left


def test_two_graphs_in_one_database(conn, nasty):
    """Graphs share entity and source nodes, never claims: each pulls back as pushed, a
    replace of one leaves the other whole, and a claim id of one graph pushed into another is
    refused before anything is written."""
    other = generated(5, entities=30, claims=80)
    neo4j_io.push(nasty, conn, graph="nasty")
    neo4j_io.push(other, conn, graph="synthetic")
    assert to_data(neo4j_io.pull(conn, graph="nasty")) == to_data(nasty)
    assert to_data(neo4j_io.pull(conn, graph="synthetic")) == to_data(other)

    # a third landscape holds entity 'acme' too, and one more claim about it
    third = Landscape({"acme": nasty.entities["acme"], "jane": nasty.entities["jane"]},
                      {"s-quote": nasty.sources["s-quote"]}, {"jane-leads-acme": nasty.claims["jane-leads-acme"]},
                      [], nasty.vocabulary)
    with pytest.raises(ClaimgraphError, match="graph 'nasty' of this database holds a claim with this id") as err:
        neo4j_io.push(third, conn, graph="third")
    assert "jane-leads-acme" in str(err.value)
    _, rows = neo4j_io.run_cypher(conn, "MATCH (g:ClaimgraphGraph) RETURN g.name ORDER BY g.name")
    assert rows == [["nasty"], ["synthetic"]]  # nothing was written for 'third'
    renamed = {"jane-leads-acme-too": nasty.claims["jane-leads-acme"].model_copy(update={"id": "jane-leads-acme-too"})}
    third = Landscape(third.entities, third.sources, renamed, [], nasty.vocabulary)
    neo4j_io.push(third, conn, graph="third")

    # nasty is replaced by nothing but its sources: its claims and entities leave it; acme, jane
    # and s-quote stay for 'third', the synthetic graph is untouched
    empty = Landscape({}, nasty.sources, {}, [], nasty.vocabulary)
    result = neo4j_io.push(empty, conn, graph="nasty", replace=True)
    assert result.removed["claims"] == len(nasty.claims)
    assert result.removed["entities"] == len(nasty.entities) - 2
    assert to_data(neo4j_io.pull(conn, graph="nasty")) == to_data(empty)
    assert to_data(neo4j_io.pull(conn, graph="synthetic")) == to_data(other)
    assert to_data(neo4j_io.pull(conn, graph="third")) == to_data(third)
    _, rows = neo4j_io.run_cypher(conn, "MATCH (e:Entity {id: 'acme'}) RETURN e.claimgraph_graphs")
    assert rows == [[["third"]]]


def test_graph_names_are_checked(conn, nasty):
    for bad in ("", " x", "a b", "x" * 101, "-lead", "no'quote", "tab\t"):
        with pytest.raises(ClaimgraphError, match="bad graph name"):
            neo4j_io.push(nasty, conn, graph=bad)
        with pytest.raises(ClaimgraphError, match="bad graph name"):
            neo4j_io.pull(conn, graph=bad)
    assert counts(conn) == {"nodes": {}, "rels": {}}


# -- pull checks what it reads ---------------------------------------------------------------
HAND_EDITS = {
    "aliases-as-text": ("MATCH (e:Entity {id: 'acme'}) SET e.aliases = 'Acme Labs'",
                        "entity acme): aliases is text 'Acme Labs', not a list of texts"),
    "null-claim-id": ("MATCH ()-[r {claim_id: 'x2-succeeds-x1'}]->() REMOVE r.claim_id",
                      "the SUCCEEDS relationship from 'bolt-chip-2' to 'bolt-chip' has no claim_id"),
    "value-node-deleted": ("MATCH (v:Value {claim_id: 'x1-cadence'}) DETACH DELETE v",
                           "its last push left 1 HAS_CADENCE claims but 0 are there"),
    "value-node-unlabelled": ("MATCH (v:Value {claim_id: 'x1-volume'}) REMOVE v:Value",
                              "claim x1-volume): its object is neither an :Entity with an id nor the claim's :Value node"),
    "status-rank": ("MATCH ()-[r {claim_id: 'x1-targets'}]->() SET r.status_rank = 1",
                    "claim x1-targets): status_rank is 1 but the rest of it says 6"),
    "status-alone": ("MATCH ()-[r {claim_id: 'x1-targets'}]->() SET r.status = 'refuted'",
                     "claim x1-targets): status_rank is 6 but the rest of it says 0"),
    "stance": ("MATCH ()-[r {claim_id: 'acme-makes-x1'}]->() SET r.stance = 'competitive'",
               "claim acme-makes-x1): stance is 'competitive' but the rest of it says 'supply'"),
    "source-list": ("MATCH ()-[r {claim_id: 'acme-invests'}]->() SET r.source_ids = ['s-self']",
                    "claim acme-invests): source_ids is ['s-self'] but the rest of it says ['s-self', 's-quote']"),
    "qualifier-property": ("MATCH ()-[r {claim_id: 'acme-invests'}]->() SET r.q_stake = '99%'",
                           "claim acme-invests): q_stake is '99%' but the rest of it says '5%–7%'"),
    "date-start": ("MATCH ()-[r {claim_id: 'acme-makes-x1'}]->() SET r.valid_from_start = date('1999-01-01')",
                   "claim acme-makes-x1): valid_from_start is datetime.date(1999, 1, 1) but the rest of it says "
                   "datetime.date(2025, 1, 1)"),
    "kind-label": ("MATCH (e:Entity {id: 'acme'}) REMOVE e:Company SET e:Chip",
                   "entity acme): kind is 'Company' but the node's kind labels are ['Chip']"),
    "bad-json": ("MATCH ()-[r {claim_id: 'jane-leads-acme'}]->() SET r.evidence_json = '[{'",
                 "claim jane-leads-acme): evidence_json is not valid JSON"),
    "unmarked-entity": ("MATCH (e:Entity {id: 'n3'}) REMOVE e.claimgraph_graphs",
                        "its last push left 6 entities but 5 are there"),
    "value-text": ("MATCH (v:Value {claim_id: 'x1-cadence'}) SET v.num = 10",
                   "claim x1-cadence): its value node's text is '9 months' but the rest of it says '10 months'"),
}


@pytest.mark.parametrize("case", sorted(HAND_EDITS))
def test_pull_names_what_was_edited_by_hand(conn, nasty, neo4j_env, tmp_path, case):
    """`pull` of a hand-edited graph once accepted garbage: aliases as text came back split
    into characters, claims with a null claim_id or a deleted value node vanished, an edited
    status_rank made Neo4j's answers differ from the embedded ones. Now each bad node or
    relationship is named, exit 2, and no file is written."""
    from click.testing import CliRunner

    from claimgraph.cli import main

    neo4j_io.push(nasty, conn)
    edit, message = HAND_EDITS[case]
    neo4j_io.run_cypher(conn, edit, write=True)
    out = tmp_path / "pulled.json"
    result = CliRunner().invoke(main, ["neo4j", "pull", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 2, (case, result.stderr[-500:])
    assert "Traceback" not in result.stderr
    assert message in result.stderr, (case, result.stderr)
    assert all(line.startswith(f"neo4j {conn.where} graph 'default'") for line in result.stderr.splitlines())
    assert not out.exists()
    with pytest.raises(DatasetError):
        neo4j_io.pull(conn)


def test_pull_says_what_is_there_when_the_graph_is_not(conn, nasty):
    with pytest.raises(ClaimgraphError, match=r"graph 'default' holds nothing: push it first"):
        neo4j_io.pull(conn)
    neo4j_io.push(nasty, conn, graph="nasty")
    with pytest.raises(ClaimgraphError, match=r"holds nothing: push it first .*; graphs here: nasty"):
        neo4j_io.pull(conn)
    # a database written by a claimgraph that did not mark its data: say so, and a push adopts it
    neo4j_io.run_cypher(conn, "MATCH (n) DETACH DELETE n", write=True)
    script = io.StringIO()
    neo4j_io.write_cypher_script(nasty, script)
    legacy = re.sub(r", [nv]\.claimgraph_graphs = CASE .*? END", "", script.getvalue())
    legacy = re.sub(r", claimgraph_graph: 'default'", "", legacy)
    assert ".claimgraph_graphs =" not in legacy and "claimgraph_graph:" not in legacy
    run_script(conn, legacy)
    with pytest.raises(ClaimgraphError, match=r"6 :Entity nodes carry no graph"):
        neo4j_io.pull(conn)
    result = neo4j_io.push(nasty, conn)
    assert (result.created, result.updated) == (0, len(nasty.claims))  # adopted, not duplicated
    assert counts(conn) == expected_counts(nasty)
    assert to_data(neo4j_io.pull(conn)) == to_data(nasty)
