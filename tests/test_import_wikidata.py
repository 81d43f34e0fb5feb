"""claimgraph import --format wikidata on real Wikidata entity JSON (tests/fixtures/import/README.md
names each sample's origin and licence): what a user checks by hand after importing them. The
expected facts are read off the samples: the statements' ranks, qualifiers and references."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import claimgraph
from claimgraph import api
from claimgraph.importers import mapping_text
from claimgraph.landscape import ViewNotice

FIX = Path(__file__).parent / "fixtures" / "import"
PUTIN = FIX / "wikidata-q7747.json"  # wbgetentities response, trimmed (see the README)
BOOK = FIX / "wikidata-q4132785.json"  # one entity object, old JSON (numeric-id), labels in 6 languages


def run(*args):
    return subprocess.run([sys.executable, "-m", "claimgraph.cli", *args], capture_output=True, text=True, timeout=180)


def lines(text: str) -> list[str]:
    return [x for x in text.splitlines() if x.strip()]


@pytest.fixture(scope="module")
def putin(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wd") / "putin"
    res = run("import", str(PUTIN), "--format", "wikidata", "-o", str(out))
    assert res.returncode == 0, res.stderr
    # 1 entity + 10 statements (P31 gives the kind and is no row); the "no value" party membership is left out
    assert "imported 10 of 11 rows" in res.stdout
    assert "1 rows of statement P102 (novalue) matched no rule" in res.stdout
    return out


def claims_of(land, predicate, obj=None):
    return [c for c in land.claims.values() if c.predicate == predicate and (obj is None or c.object == obj)]


def test_the_three_birthplaces_stay_side_by_side_each_with_its_rank_as_status(putin):
    assert run("validate", str(putin)).returncode == 0
    land = claimgraph.load([putin])
    born = {c.object: c for c in claims_of(land, "BORN_IN")}
    assert set(born) == {"q28133957", "q656", "q27899309"}
    # preferred and referenced (rosbalt.ru): confirmed
    pref = born["q28133957"]
    assert pref.status.value == "confirmed"
    urls = {land.sources[e.source].url for e in pref.evidence}
    assert "http://www.rosbalt.ru/piter/2014/08/22/1306942.html" in urls
    # normal, three references (thoughtco, premier.gov.ru, rosbalt): reported, each reference a source
    norm = born["q656"]
    assert norm.status.value == "reported"
    assert {land.sources[e.source].publisher for e in norm.evidence} >= {"www.thoughtco.com", "premier.gov.ru", "www.rosbalt.ru"}
    # deprecated with reason Q107278014 (not "incorrect value"): disputed, the reason in its notes
    dep = born["q27899309"]
    assert dep.status.value == "disputed"
    assert "deprecated" in dep.notes and "Q107278014" in dep.notes
    ref = next(land.sources[e.source] for e in dep.evidence if e.source != "file-wikidata-q7747")
    assert ref.title == "stated in Q23833686" and str(ref.retrieved) == "2024-04-21"
    # the claim says where in Wikidata it comes from
    assert dep.evidence[0].locator == "Wikidata statement Q7747$4B35F276-1A81-4B83-A20F-E4923E229EF9"


def test_preferred_without_a_reference_is_not_upgraded_and_qualifiers_give_the_period(putin):
    land = claimgraph.load([putin])
    president = sorted(claims_of(land, "HOLDS_POSITION", "q218295"), key=lambda c: str(c.valid_from))
    assert [(str(c.valid_from), str(c.valid_until) if c.valid_until else None) for c in president] == [
        ("2000-05-07", "2008-05-07"), ("2012-05-07", None)]
    # the 2012- statement is preferred but cites nothing: reported, and the note says why
    assert president[1].status.value == "reported"
    assert "no reference" in president[1].notes
    fsb = claims_of(land, "HOLDS_POSITION", "q4399975")[0]
    assert (str(fsb.valid_from), str(fsb.valid_until)) == ("1998-07-25", "1999-03-29")
    # year precision (9) is a year, though Wikidata writes +1975-01-01
    cpsu = claims_of(land, "MEMBER_OF", "q79854")[0]
    assert (str(cpsu.valid_from), str(cpsu.valid_until)) == ("1975", "1991")
    spouse = claims_of(land, "FAMILY_OF")[0]
    assert spouse.qualifiers["relationship"] == "spouse" and str(spouse.valid_until) == "2014-04-02"


def test_a_value_only_imported_from_wikipedia_is_a_weak_source(putin):
    land = claimgraph.load([putin])
    er = claims_of(land, "MEMBER_OF", "q151469")[0]  # United Russia, normal rank: P143 ruwiki + P4656 only
    assert er.status.value == "reported"
    src = next(land.sources[e.source] for e in er.evidence if e.source != "file-wikidata-q7747")
    assert src.tier.value == "self-media" and src.url == "https://ru.wikipedia.org/?oldid=97482654"


def test_entities_named_by_the_file_and_by_qid_when_it_does_not_hold_them(putin):
    land = claimgraph.load([putin])
    p = land.entities["vladimir-putin-q7747"]
    assert p.kind == "Person"  # instance of Q5
    assert p.aliases == ["Vladimir Vladimirovich Putin"]
    assert p.attributes["wikidata"] == "Q7747"
    pos = land.entities["q218295"]  # President of Russia, not in the file
    assert pos.kind == "Position" and pos.name == "Q218295" and "P39" in pos.notes


def test_canned_queries_filter_the_deprecated_statement_out_by_status(putin):
    rows = api.query("neighbourhood", [putin], entity="Vladimir Putin", min_status="reported")
    born = {r.object_name for r in rows if r.predicate == "BORN_IN"}
    assert born == {"Q28133957", "Q656"}  # the deprecated one is disputed: below reported
    # as of 2005: the presidency of 2000-2008 and the marriage; the undated birthplaces are left out, and said so
    with pytest.warns(ViewNotice, match="4 undated claims left out"):
        held_2005 = api.query("neighbourhood", [putin], entity="Vladimir Putin", as_of="2005-01-01")
    assert {(r.predicate, r.object_name) for r in held_2005} == {("HOLDS_POSITION", "Q218295"), ("FAMILY_OF", "Q233282")}


def test_the_mapping_decides_which_deprecation_reasons_refute(tmp_path):
    # the shipped mapping refutes only "incorrect value" (Q41755623); a user who also counts
    # Q107278014 as wrong says so in a copy of the mapping, and the deprecated birthplace is refuted
    text = mapping_text("wikidata")
    assert text.count("in: [Q41755623]") == 1
    m = tmp_path / "wd.yaml"
    m.write_text(text.replace("in: [Q41755623]", "in: [Q41755623, Q107278014]"), encoding="utf-8")
    out = tmp_path / "out"
    res = run("import", str(PUTIN), "--map", str(m), "-o", str(out))
    assert res.returncode == 0, res.stderr
    born = {c.object: c.status.value for c in claims_of(claimgraph.load([out]), "BORN_IN")}
    assert born == {"q28133957": "confirmed", "q656": "reported", "q27899309": "refuted"}


def test_labels_in_every_language_become_aliases_and_language_picks_the_name(tmp_path):
    en = tmp_path / "en"
    res = run("import", str(BOOK), "--format", "wikidata", "-o", str(en))
    assert res.returncode == 0, res.stderr
    land = claimgraph.load([en])
    book = land.entities["bring-the-jubilee-q4132785"]
    assert book.name == "Bring the Jubilee" and book.kind == "Product"  # instance of Q571 (book)
    # zh, es, zh-hans labels and the zh alias; zh-hk and zh-hant repeat zh
    assert book.aliases == ["把銀禧帶來", "Lo que el tiempo se llevó", "把银禧带来", "帶來銀禧"]
    # publisher (P123) in the old JSON form (numeric-id 744182): Q744182 publishes the book
    pub = claims_of(land, "PUBLISHES")[0]
    assert (pub.subject, pub.object, pub.status.value) == ("q744182", "bring-the-jubilee-q4132785", "reported")
    # its one reference is "imported from English Wikipedia" (Q328)
    assert {land.sources[e.source].tier.value for e in pub.evidence} == {"aggregator", "self-media"}
    es = tmp_path / "es"
    res = run("import", str(BOOK), "--format", "wikidata", "--language", "es", "-o", str(es))
    assert res.returncode == 0, res.stderr
    book = claimgraph.load([es]).entities["lo-que-el-tiempo-se-llevo-q4132785"]
    assert book.name == "Lo que el tiempo se llevó"
    assert "Bring the Jubilee" in book.aliases and "把銀禧帶來" in book.aliases


def test_a_dump_in_json_lines_reads_each_entity_and_names_a_bad_line(tmp_path):
    putin = json.loads(PUTIN.read_text())["entities"]["Q7747"]
    book = json.loads(BOOK.read_text())
    dump = tmp_path / "dump.json"  # the dump's layout: one entity a line, commas, [ and ]
    dump.write_text("[\n" + json.dumps(putin) + ",\n" + json.dumps(book, ensure_ascii=False) + "\n]\n", encoding="utf-8")
    out = tmp_path / "out"
    res = run("import", str(dump), "--format", "wikidata", "-o", str(out))
    assert res.returncode == 0, res.stderr
    land = claimgraph.load([out])
    assert {"vladimir-putin-q7747", "bring-the-jubilee-q4132785"} <= set(land.entities)
    assert len(land.claims) == 9 + 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(putin) + "\n{\"id\": \"Q4132785\", \"labels\": \n", encoding="utf-8")
    res = run("import", str(bad), "--format", "wikidata", "-o", str(tmp_path / "bad"))
    assert res.returncode == 2
    assert lines(res.stderr) == [f"{bad}:2: line 2: not JSON (Expecting value): one entity per line"]
    assert "Traceback" not in res.stderr


def test_bad_input_is_one_line_each_with_exit_2(tmp_path):
    notjson = tmp_path / "a.json"
    notjson.write_text('{"entities": {"Q1": {"id": "Q1",}}}', encoding="utf-8")
    res = run("import", str(notjson), "--format", "wikidata", "-o", str(tmp_path / "o1"))
    assert res.returncode == 2 and lines(res.stderr) == [f"{notjson}:1:33: not JSON: Expecting property name enclosed in double quotes"]
    other = tmp_path / "b.json"
    other.write_text('{"searchinfo": {"search": "x"}, "search": []}', encoding="utf-8")
    res = run("import", str(other), "--format", "wikidata", "-o", str(tmp_path / "o2"))
    assert res.returncode == 2 and len(lines(res.stderr)) == 1 and "not Wikidata entity JSON" in res.stderr
    err = tmp_path / "c.json"
    err.write_text('{"error": {"code": "no-such-entity", "info": "Could not find an entity with the ID \\"Q0\\"."}}', encoding="utf-8")
    res = run("import", str(err), "--format", "wikidata", "-o", str(tmp_path / "o3"))
    assert res.returncode == 2 and len(lines(res.stderr)) == 1 and "Wikidata API error" in res.stderr
    res = run("import", str(FIX / "ftm-donations.ijson"), "--format", "ftm", "--language", "de", "-o", str(tmp_path / "o4"))
    assert res.returncode == 2 and lines(res.stderr)[-1].endswith("--language is for Wikidata entity JSON "
                                                                  "(--format wikidata, or a mapping with reader: wikidata)")
    res = run("import", str(BOOK), "--format", "wikidata", "--language", "Spanish!", "-o", str(tmp_path / "o5"))
    assert res.returncode == 2 and "is not a language code" in res.stderr
    assert "Traceback" not in res.stderr
    # a mapping's wikidata: section belongs to the wikidata reader: said where, in one line
    m = tmp_path / "m.yaml"
    m.write_text("reader: csv\nwikidata: {language: de}\nentities: []\nclaims: []\n", encoding="utf-8")
    res = run("import", str(FIX / "crunchbase-acquisitions.csv"), "--map", str(m), "-o", str(tmp_path / "o6"))
    assert res.returncode == 2 and lines(res.stderr) == [f"{m}: a wikidata: section is for reader: wikidata"]


def test_an_item_of_an_unmapped_class_is_rejected_with_its_statements_and_nothing_is_lost(tmp_path):
    book = json.loads(BOOK.read_text())
    book["claims"]["P31"][0]["mainsnak"]["datavalue"]["value"]["numeric-id"] = 1616075  # not in the kinds
    f = tmp_path / "tv.json"
    f.write_text(json.dumps(book, ensure_ascii=False, indent=2), encoding="utf-8")
    res = run("import", str(f), "--format", "wikidata", "-o", str(tmp_path / "o"))
    assert res.returncode == 2
    first = lines(res.stderr)[0]
    assert first.startswith(f"{f}:") and "entity Q4132785: item 'Bring the Jubilee' has no kind" in first
    assert "instance_of ['Q1616075']" in first
    # its publisher statement (the book is its object) falls with it, named by its id, at its line
    text = f.read_text(encoding="utf-8")
    line = text[: text.index('"q4132785$BF8BA251')].count("\n") + 1
    assert (f"{f}:{line}: statement q4132785$BF8BA251-DCE7-4776-A164-D8211D57FD13 (Q4132785 P123): "
            "object 'Q4132785' is no entity of this file (no row gives it)") in lines(res.stderr)
    out = tmp_path / "kept"
    res = run("import", str(f), "--format", "wikidata", "--skip-invalid", "-o", str(out))
    assert res.returncode == 0, res.stderr
    rejects = [json.loads(x) for x in (tmp_path / "kept.rejects.jsonl").read_text().splitlines()]
    # the entity and its one mapped statement, each whole with its reason
    assert [r["record"].get("id") for r in rejects] == ["Q4132785", "q4132785$BF8BA251-DCE7-4776-A164-D8211D57FD13"]
    assert "has no kind" in rejects[0]["reason"]


def test_the_report_shows_the_deprecated_statement_with_its_reason(putin, tmp_path):
    out = tmp_path / "report.html"
    res = run("report", str(putin), "-o", str(out))
    assert res.returncode == 0, res.stderr
    html = out.read_text(encoding="utf-8")
    assert "Wikidata ranks this statement deprecated (reason for deprecated rank: Q107278014)" in html
    assert "Wikidata entity JSON: wikidata-q7747.json" in html  # the file's own source, named


@pytest.mark.neo4j
def test_in_neo4j_the_import_answers_as_embedded_and_is_found_by_its_qid(putin, clean_neo4j):
    from claimgraph import neo4j as neo4j_io
    from claimgraph.queries import run_query

    land = claimgraph.load([putin])
    conn = neo4j_io.connect(clean_neo4j.uri, getattr(clean_neo4j, "user", None) or "neo4j", clean_neo4j.password or None)
    with conn:
        neo4j_io.push(land, conn)
        _, rows = neo4j_io.run_cypher(conn, "MATCH (e:Entity) WHERE e.attr_wikidata = 'Q7747' RETURN e.name")
        assert rows == [["Vladimir Putin"]]
        for kw in ({"entity": "vladimir-putin-q7747"}, {"entity": "vladimir-putin-q7747", "min_status": "reported"},
                   {"entity": "vladimir-putin-q7747", "as_of": "2005-01-01", "include_undated": True}):
            emb = [r.to_dict() for r in run_query(land, "neighbourhood", **kw)]
            neo = [r.to_dict() for r in run_query(land, "neighbourhood", backend="neo4j", conn=conn, **kw)]
            assert emb == neo and emb, kw
        born = [r for r in run_query(land, "neighbourhood", backend="neo4j", conn=conn, entity="vladimir-putin-q7747",
                                     min_status="reported") if r.predicate == "BORN_IN"]
        assert sorted(r.status for r in born) == ["confirmed", "reported"]


def test_ftm_and_wikidata_imports_load_together(putin, tmp_path):
    # both mappings define Organization, OWNS, MEMBER_OF, FAMILY_OF... word for word: one landscape
    ftm = tmp_path / "sanctions"
    res = run("import", str(FIX / "ftm-sanctions.ftm.json"), "--format", "ftm", "-o", str(ftm))
    assert res.returncode == 0, res.stderr
    res = run("validate", str(ftm), str(putin))
    assert res.returncode == 0, res.stderr
    land = claimgraph.load([ftm, putin])
    assert "vladimir-putin-q7747" in land.entities
    assert land.vocabulary.predicates["MEMBER_OF"].object == claimgraph.load([ftm]).vocabulary.predicates["MEMBER_OF"].object
