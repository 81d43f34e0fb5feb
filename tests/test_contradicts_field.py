"""The optional ``contradicts: [claim ids]`` link between claims: checked on the way in (the ids
exist, a claim does not name itself), and carried by every format the way other list fields are.

The Neo4j push, pull and Cypher script carry it too: tests/test_neo4j_push.py (the ``nasty``
landscape) and the generated landscapes of tests/test_properties.py and
tests/test_interchange_neo4j.py, a third of whose conflicting claims name the claim they contradict.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import networkx as nx
import pytest

from claimgraph import DatasetError, load, load_dataset
from claimgraph.io.json_io import to_data
from tests.helpers import export

REPO = Path(__file__).resolve().parent.parent

DATA = """\
sources:
  - {id: filing, title: Annual report, publisher: Acme, tier: primary, url: "https://example.org/10-k"}
  - {id: blog, title: A blog post, publisher: Blog, tier: self-media}
entities:
  - {id: acme, name: Acme, kind: Company}
  - {id: bolt, name: Bolt, kind: Company}
claims:
  - id: acme-report-names-bolt
    subject: acme
    predicate: COMPETES_WITH
    object: bolt
    qualifiers: {channel: Acme annual report}
    status: reported
    evidence: [{source: filing}]
  - id: bolt-report-names-acme
    subject: bolt
    predicate: COMPETES_WITH
    object: acme
    qualifiers: {channel: Bolt annual report}
    status: unsupported
    contradicts: [acme-report-names-bolt]
    evidence: [{source: blog}]
"""


def write(tmp_path, text, name="d.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_contradicts_loads_as_a_list_of_claim_ids(tmp_path):
    land = load([write(tmp_path, DATA)])
    assert land.claims["bolt-report-names-acme"].contradicts == ["acme-report-names-bolt"]
    assert land.claims["acme-report-names-bolt"].contradicts == []
    # one id may be written without brackets, as asserted_by may
    one = load([write(tmp_path, DATA.replace("[acme-report-names-bolt]", "acme-report-names-bolt"), "one.yaml")])
    assert one.claims["bolt-report-names-acme"].contradicts == ["acme-report-names-bolt"]


def test_an_unknown_id_is_one_located_line_with_a_suggestion(tmp_path):
    path = write(tmp_path, DATA.replace("contradicts: [acme-report-names-bolt]", "contradicts: [acme-report-names-blot]"))
    with pytest.raises(DatasetError) as info:
        load_dataset([path])
    assert [str(p) for p in info.value.problems] == [
        f"{path}:21:19: contradicts names unknown claim 'acme-report-names-blot': did you mean "
        "'acme-report-names-bolt'?: give the id of a claim in the dataset"]


def test_a_claim_cannot_contradict_itself(tmp_path):
    path = write(tmp_path, DATA.replace("contradicts: [acme-report-names-bolt]", "contradicts: [bolt-report-names-acme]"))
    with pytest.raises(DatasetError) as info:
        load_dataset([path])
    (problem,) = info.value.problems
    assert str(problem).startswith(f"{path}:21:18:")
    assert "a claim cannot contradict itself" in str(problem)


def test_the_cli_says_it_in_one_line_and_exits_2(tmp_path):
    path = write(tmp_path, DATA.replace("contradicts: [acme-report-names-bolt]", "contradicts: [nope]"))
    done = subprocess.run([sys.executable, "-m", "claimgraph", "validate", str(path)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"{path}:21:19: contradicts names unknown claim 'nope': give the id of a claim in the dataset"]
    assert "Traceback" not in done.stderr


def test_a_forward_reference_resolves(tmp_path):
    # the link may name a claim that comes later, or in another file of the dataset
    first, second = DATA.split("  - id: bolt-report-names-acme\n")
    other = write(tmp_path, "claims:\n  - id: bolt-report-names-acme\n" + second, "b.yaml")
    main = write(tmp_path, first, "a.yaml")
    land = load([other, main])
    assert land.claims["bolt-report-names-acme"].contradicts == ["acme-report-names-bolt"]


@pytest.mark.parametrize("fmt, name", [("json", "l.json"), ("yaml", "l.yaml"), ("csv", "csv")])
def test_the_link_survives_json_yaml_and_csv(tmp_path, fmt, name):
    land = load([write(tmp_path, DATA)])
    out = export(land, fmt, tmp_path / name)
    back = load([out])
    assert to_data(back) == to_data(land)
    assert back.claims["bolt-report-names-acme"].contradicts == ["acme-report-names-bolt"]


def test_csv_writes_the_column_only_where_a_claim_has_links(tmp_path):
    land = load([write(tmp_path, DATA)])
    out = export(land, "csv", tmp_path / "csv")
    rows = {r["id"]: r for r in csv.DictReader((out / "claims.csv").open(encoding="utf-8"))}
    assert rows["bolt-report-names-acme"]["contradicts"] == "acme-report-names-bolt"
    assert rows["acme-report-names-bolt"]["contradicts"] == ""
    plain = load([write(tmp_path, DATA.replace("    contradicts: [acme-report-names-bolt]\n", ""), "plain.yaml")])
    header = (export(plain, "csv", tmp_path / "plain") / "claims.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "contradicts" not in header.split(",")


def test_csv_reads_a_hand_written_semicolon_list(tmp_path):
    land = load([write(tmp_path, DATA)])
    out = export(land, "csv", tmp_path / "csv")
    rows = list(csv.DictReader((out / "claims.csv").open(encoding="utf-8")))
    for r in rows:
        if r["id"] == "acme-report-names-bolt":
            r["contradicts"] = "bolt-report-names-acme; "
    with (out / "claims.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    back = load([out])
    assert back.claims["acme-report-names-bolt"].contradicts == ["bolt-report-names-acme"]


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_formats_carry_the_link_as_an_edge_attribute(tmp_path, fmt, reader):
    land = load([write(tmp_path, DATA)])
    g = reader(export(land, fmt, tmp_path / f"l.{fmt}"))
    edges = {d.get("claim_id"): d for _, _, d in g.edges(data=True)}
    assert edges["bolt-report-names-acme"]["contradicts"] == "acme-report-names-bolt"
    assert "contradicts" not in edges["acme-report-names-bolt"]


def test_cypher_script_and_neo4j_admin_files_hold_the_list(tmp_path):
    land = load([write(tmp_path, DATA)])
    script = export(land, "cypher", tmp_path / "l.cypher").read_text(encoding="utf-8")
    assert "contradicts: ['acme-report-names-bolt']" in script
    admin = export(land, "neo4j-admin", tmp_path / "admin")
    header = (admin / "claims.header.csv").read_text(encoding="utf-8").strip().split(",")
    assert "contradicts:string[]" in header
    rows = list(csv.reader((admin / "claims.csv").open(encoding="utf-8")))
    col = header.index("contradicts:string[]")
    assert sorted(r[col] for r in rows) == ["", "acme-report-names-bolt"]


def test_json_export_writes_it_only_when_given(tmp_path):
    land = load([write(tmp_path, DATA)])
    data = json.loads(export(land, "json", tmp_path / "l.json").read_text(encoding="utf-8"))
    claims = {c["id"]: c for c in data["claims"]}
    assert claims["bolt-report-names-acme"]["contradicts"] == ["acme-report-names-bolt"]
    assert "contradicts" not in claims["acme-report-names-bolt"]
