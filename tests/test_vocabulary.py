"""The vocabulary is data: a predicate, kind, stance or currency added in a vocabulary file is
picked up by every query, the page, the CLI and Neo4j, and a bad file is one located line.

The extension used here copies the built-in MANUFACTURES_FOR entry (money, purchase,
dependency and maker roles) under the name FABRICATES_FOR, as a user would, into a dataset
folder's vocabulary.yaml; the facts checked are worked out by hand from the dataset below.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import claimgraph
from claimgraph import neo4j as neo4j_io
from claimgraph.cli import main
from claimgraph.errors import DatasetError
from claimgraph.queries import run_query
from claimgraph.viz.data import page_data
from claimgraph.vocabulary import SHAPES, Vocabulary, default_vocabulary
from tests.test_viz import embedded_data

# Foundry Co invests USD 1B in Buyer Inc and fabricates Buyer Inc's chip for GBP 400M
# (= USD 500M at the stated 1.25): money both ways, a circular deal, a single-source chip.
DATA = """\
sources:
  - {id: s1, title: Foundry deal, publisher: Wire, published: 2025-03, tier: wire, url: "https://example.com/a"}
entities:
  - {id: foundry, name: Foundry Co, kind: Company}
  - {id: buyer, name: Buyer Inc, kind: Company}
  - {id: chip, name: Buyer Chip, kind: Chip}
claims:
  - id: foundry-invests
    subject: foundry
    predicate: INVESTS_IN
    object: buyer
    qualifiers: {amount: USD 1B}
    status: reported
    evidence: [{source: s1}]
  - id: foundry-fabricates
    subject: foundry
    predicate: FABRICATES_FOR
    object: buyer
    qualifiers: {product: chip, amount: GBP 400M}
    status: reported
    evidence: [{source: s1}]
  - id: buyer-develops
    subject: buyer
    predicate: DEVELOPS
    object: chip
    status: claimed
    evidence: [{source: s1}]
rates:
  - {currency: GBP, usd: 1.25, on: 2025-03, source: s1}
"""


def builtin_entry(name: str) -> dict:
    text = resources.files("claimgraph").joinpath("vocabulary.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["predicates"][name]


def extension() -> dict:
    """MANUFACTURES_FOR copied under a new name, and GBP added to the currencies."""
    entry = builtin_entry("MANUFACTURES_FOR")
    assert "money" in entry["roles"] and "maker" in entry["roles"]  # a money-and-supply entry
    return {"dimensions": {"currency": ["GBP"]}, "predicates": {"FABRICATES_FOR": entry}}


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "deal"
    d.mkdir()
    (d / "data.yaml").write_text(DATA, encoding="utf-8")
    (d / "vocabulary.yaml").write_text(yaml.safe_dump(extension(), sort_keys=False), encoding="utf-8")
    return d


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def check_rows(money, deps, circular) -> None:
    """The facts of DATA, whichever backend or entry point produced the rows."""
    pay = {(r.payer, r.payee): r for r in money}
    assert set(pay) == {("foundry", "buyer"), ("buyer", "foundry")}
    fab = pay[("buyer", "foundry")]  # the customer pays the fabricator, as for MANUFACTURES_FOR
    assert fab.predicates == ["FABRICATES_FOR"]
    assert fab.usd_total == fab.usd_reported_or_better == 500_000_000
    assert [f.amount for f in fab.flows] == ["GBP 400M"] and fab.unconverted == []
    assert pay[("foundry", "buyer")].usd_total == 1_000_000_000
    by = {(r.dependent, r.dependency): r for r in deps}
    assert by[("buyer", "foundry")].relation == "manufactured by"
    assert by[("buyer", "foundry")].predicate == "FABRICATES_FOR"
    chip = by[("buyer", "chip")]
    assert chip.makers == ["foundry"] and chip.single_source  # the product qualifier names the maker
    assert chip.claim_ids == ["buyer-develops", "foundry-fabricates"]
    (row,) = circular
    assert (row.investor, row.recipient) == ("foundry", "buyer")
    assert {(g.role, g.claim_id) for g in row.legs} == {("money", "foundry-invests"), ("purchase", "foundry-fabricates")}


# -- the Python API ------------------------------------------------------------------------------

def test_a_copied_predicate_in_a_folder_vocabulary_reaches_every_query(folder):
    land = claimgraph.load([folder])
    assert land.vocabulary.role("money")["FABRICATES_FOR"] == {"payer": "object", "amount": "amount"}
    check_rows(run_query(land, "money"), run_query(land, "dependencies", entity="buyer"),
               run_query(land, "circular-deals"))
    # and the page shows it, coloured by its stance
    data = page_data(land)
    assert {"name": "FABRICATES_FOR", "stance": "supply", "sym": False} in data["predicates"]
    claim = next(c for c in data["claims"] if c["id"] == "foundry-fabricates")
    assert claim["p"] == "FABRICATES_FOR" and claim["t"] == "Foundry Co manufactures for Buyer Inc (product Buyer Chip, amount GBP 400M)"
    assert {"name": "supply", "label": "supply", "color": "#1565c0"} in data["stances"]


def test_without_the_extension_the_same_data_is_rejected(folder, tmp_path):
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "data.yaml").write_text(DATA, encoding="utf-8")
    with pytest.raises(DatasetError) as err:
        claimgraph.load([bare])
    assert err.value.lines() == [f"{bare / 'data.yaml'}:17:16: unknown predicate 'FABRICATES_FOR': "
                                 "did you mean 'MANUFACTURES_FOR'?"]
    # a vocabulary given by path, or as a Vocabulary, does the same as the folder's file
    for vocab in (folder / "vocabulary.yaml", default_vocabulary().extend(extension())):
        land = claimgraph.load([bare / "data.yaml"], vocabulary=vocab)
        assert land.claims["foundry-fabricates"].predicate == "FABRICATES_FOR"


def test_currencies_are_extendable(tmp_path):
    data = DATA.replace("predicate: FABRICATES_FOR", "predicate: MANUFACTURES_FOR")
    (tmp_path / "d.yaml").write_text(data, encoding="utf-8")
    with pytest.raises(DatasetError, match=r"qualifier amount is in 'GBP'; it needs a currency unit \(USD, KRW"):
        claimgraph.load([tmp_path / "d.yaml"])
    ext = tmp_path / "gbp.yaml"
    ext.write_text("dimensions:\n  currency: [GBP, CHF]\n", encoding="utf-8")
    land = claimgraph.load([tmp_path / "d.yaml"], vocabulary=ext)
    assert land.vocabulary.dimensions["currency"][-2:] == ("GBP", "CHF")
    (row,) = [r for r in run_query(land, "money") if r.payer == "buyer"]
    assert row.usd_total == 500_000_000  # GBP 400M at the dataset's rate of 1.25


PARTY_VOCABULARY = """\
stances:
  philanthropy: {label: giving, color: "#ff00aa", doc: gifts and donations}
kinds:
  Party: {label: Political party, color: "#123456", shape: star}
dimensions:
  currency: [GBP]
predicates:
  DONATES_TO:
    stance: philanthropy
    direction: directed
    subject: [Person, Company]
    object: [Party]
    qualifiers: [amount, period]
    label: "{subject} donates to {object}"
    roles:
      money: {payer: subject, amount: amount}
"""
PARTY_DATA = """\
sources: [{id: s, title: Filing, publisher: Register, tier: primary}]
entities:
  - {id: donor, name: Donor Ltd, kind: Company}
  - {id: party, name: Some Party, kind: Party}
  - {id: other, name: Other Ltd, kind: Company}
claims:
  - {id: gift, subject: donor, predicate: DONATES_TO, object: party, qualifiers: {amount: GBP 2M},
     status: confirmed, evidence: [{source: s}]}
  - {id: rivals, subject: donor, predicate: COMPETES_WITH, object: other, status: claimed, evidence: [{source: s}]}
"""


@pytest.fixture
def party(tmp_path) -> Path:
    """A new stance (philanthropy, labelled giving), a new kind (Party) and a DONATES_TO predicate."""
    d = tmp_path / "party"
    d.mkdir()
    (d / "vocabulary.yaml").write_text(PARTY_VOCABULARY, encoding="utf-8")
    (d / "data.yaml").write_text(PARTY_DATA, encoding="utf-8")
    return d


def test_a_new_kind_and_stance_get_their_styles_on_the_page_and_the_plot(party, tmp_path):
    land = claimgraph.load([party])
    data = page_data(land)
    assert {"name": "philanthropy", "label": "giving", "color": "#ff00aa"} in data["stances"]
    assert data["kinds"] == [{"name": "Company", "label": "Company", "color": "#4e79a7", "shape": "dot"},
                             {"name": "Party", "label": "Political party", "color": "#123456", "shape": "star"}]
    (row,) = run_query(land, "money")
    assert (row.payer, row.payee, row.unconverted) == ("donor", "party", ["GBP 2M"])  # no GBP rate stated
    assert run_query(land, "frenemies") == []  # philanthropy has no tie role: no frenemies
    out = tmp_path / "party.svg"
    claimgraph.plot(out, land)
    svg = out.read_text(encoding="utf-8")
    assert "Political party" in svg and "giving" in svg  # the legends use the vocabulary's labels


GIFTS = """\
sources: [{id: s, title: Filing, publisher: Register, tier: primary}]
entities:
  - {id: donor, name: Donor Ltd, kind: Company}
  - {id: party, name: Some Party, kind: Party}
claims:
  - {id: spring, subject: donor, predicate: DONATES_TO, object: party, valid_from: 2024,
     qualifiers: {amount: GBP 2M, deal: spring gift}, status: confirmed, evidence: [{source: s}]}
  - {id: autumn, subject: donor, predicate: DONATES_TO, object: party, valid_from: 2024,
     qualifiers: {amount: GBP 1M, deal: autumn gift}, status: confirmed, evidence: [{source: s}]}
  - {id: year, subject: donor, predicate: DONATES_TO, object: party, valid_from: 2024,
     qualifiers: {amount: GBP 3M, cumulative: all gifts of 2024}, status: reported, evidence: [{source: s}]}
rates:
  - {currency: GBP, usd: 1.25, on: 2024, source: s}
"""


def test_a_money_predicate_of_an_extension_takes_deal_names_and_running_totals(party):
    # DONATES_TO lists only amount and period: as a money predicate it still takes deal and
    # cumulative, so two gifts in one year are two deals and the year's total is not a third
    (party / "data.yaml").write_text(GIFTS, encoding="utf-8")
    land = claimgraph.load([party])
    (row,) = run_query(land, "money")
    assert [d.claim_ids for d in row.deals] == [["autumn"], ["spring"]]
    assert row.usd_total == row.usd_total_high == 3_750_000  # GBP 3M at 1.25, not GBP 6M
    assert [(t.claim_id, t.covers, t.usd) for t in row.totals] == [("year", "all gifts of 2024", 3_750_000)]
    # without the deal names the two gifts read as two reports of one gift: GBP 1M..2M
    plain = GIFTS.replace(", deal: spring gift", "").replace(", deal: autumn gift", "")
    (party / "data.yaml").write_text(plain, encoding="utf-8")
    (row,) = run_query(claimgraph.load([party]), "money")
    assert (row.usd_total, row.usd_total_high) == (1_250_000, 2_500_000)
    # a predicate without the money role does not take them (SUPPLIES takes an amount, no deal)
    (party / "data.yaml").write_text(GIFTS.replace("predicate: DONATES_TO", "predicate: SUPPLIES")
                                     .replace("kind: Party", "kind: Company"), encoding="utf-8")
    with pytest.raises(DatasetError) as err:
        claimgraph.load([party])
    assert [line.split(": ", 1)[1] for line in err.value.lines()] == [
        "SUPPLIES does not take qualifier 'deal' (allowed: product, period, amount, count)"] * 2 + [
        "SUPPLIES does not take qualifier 'cumulative' (allowed: product, period, amount, count)"]


def test_every_shape_the_vocabulary_allows_is_drawn_by_the_plot():
    from claimgraph.viz.staticplot import _MARKERS

    assert set(SHAPES) <= set(_MARKERS)
    assert {k.shape for k in default_vocabulary().kinds.values()} <= set(SHAPES)


@pytest.mark.browser
def test_the_page_gives_a_new_stance_its_own_filter(page, tmp_path):
    from tests.test_browser_viz import assert_clean, open_page, visible_edges

    d = tmp_path / "endorse"
    d.mkdir()
    # the new stance's predicate moves no money (the page may count money claims as financial too)
    (d / "vocabulary.yaml").write_text(PARTY_VOCABULARY.replace("DONATES_TO", "ENDORSES").replace(
        "donates to", "endorses").replace("    roles:\n      money: {payer: subject, amount: amount}\n", ""),
        encoding="utf-8")
    (d / "data.yaml").write_text(PARTY_DATA.replace("DONATES_TO", "ENDORSES").replace(", qualifiers: {amount: GBP 2M}", ""),
                                 encoding="utf-8")
    assert "roles" not in (d / "vocabulary.yaml").read_text(encoding="utf-8")
    out = claimgraph.html(tmp_path / "endorse.html", [d])
    open_page(page, out)
    assert visible_edges(page) == 2
    box = page.locator("input[data-group='stances'][data-name='philanthropy']")
    assert box.is_checked()
    assert "giving" in page.locator("#cg-f-stance label", has=box).inner_text()
    assert "Political party" in page.inner_text("#cg-legend-kinds")
    box.click()
    assert visible_edges(page) == 1  # the endorsement is hidden, the rivalry stays
    box.click()
    assert visible_edges(page) == 2
    assert_clean(page)


# -- the CLI -------------------------------------------------------------------------------------

def test_the_cli_reads_the_folder_vocabulary_and_the_option(folder, tmp_path):
    from claimgraph.queries.circular_deals import CircularDealRow
    from claimgraph.queries.dependencies import DependencyRow
    from claimgraph.queries.money import MoneyRow

    rows = {}
    for name, extra, row in (("money", [], MoneyRow), ("dependencies", ["buyer"], DependencyRow),
                             ("circular-deals", [], CircularDealRow)):
        run = run_cli("query", name, *extra, str(folder), "--format", "json")
        assert run.exit_code == 0, run.output
        rows[name] = [row(**r) for r in json.loads(run.output)]
    check_rows(rows["money"], rows["dependencies"], rows["circular-deals"])
    # the data file alone needs --vocabulary, on every command that loads data
    data_file, vocab_file = str(folder / "data.yaml"), str(folder / "vocabulary.yaml")
    bare = run_cli("validate", data_file)
    assert bare.exit_code == 2 and "unknown predicate 'FABRICATES_FOR'" in bare.output
    out = tmp_path / "out"
    out.mkdir()
    for args in (["validate"], ["stats"], ["audit"], ["show", "buyer"], ["export", "-o", str(out / "x.json")],
                 ["query", "money"], ["html", "-o", str(out / "x.html")], ["report", "-o", str(out / "r.html")],
                 ["plot", "-o", str(out / "x.png")]):
        run = run_cli(*args, data_file, "--vocabulary", vocab_file)
        assert run.exit_code == 0, (args, run.output)
    run = run_cli("diff", data_file, data_file, "--vocabulary", vocab_file)
    assert run.exit_code == 0 and "no differences" in run.output
    # the page carries the new predicate and its claim
    data = embedded_data((out / "x.html").read_text(encoding="utf-8"))
    assert any(p["name"] == "FABRICATES_FOR" for p in data["predicates"])
    assert any(c["p"] == "FABRICATES_FOR" and c["o"] == "buyer" for c in data["claims"])


BAD = [
    ("predicates:\n  INVESTS_IN:\n    stance: supply\n    direction: directed\n    subject: [Company]\n    object: [Company]\n",
     ":2:3: predicate INVESTS_IN is already defined differently in claimgraph/vocabulary.yaml"),
    ("predicates:\n  DONATES_TO:\n    stance: financial\n    direction: directed\n    subject: [Company]\n"
     "    object: [Company]\n    qualifiers: [amount]\n    roles:\n      money: {payer: subjekt, amount: amount}\n",
     ":9:15: predicate DONATES_TO: role money: payer must be subject or object, not 'subjekt'"),
    ("predicates:\n  DONATES_TO:\n    stance: financial\n    direction: directed\n    subject: [Company]\n"
     "    object: [Company]\n    roles:\n      money: {payer: subject, amount: amount}\n",
     ":8:31: predicate DONATES_TO: role money: amount must be one of the predicate's qualifiers (it has none), not 'amount'"),
    ("kinds:\n  Party: {colour: red}\n", ":2:11: kind Party: unknown field 'colour': did you mean 'color'?"),
    ("kinds:\n  Party: {shape: blob}\n", ":2:11: kind Party: shape 'blob' is not one of dot, diamond"),
    ("dimensions:\n  currency: [GBP, pounds]\n", ":2:19: currency 'pounds' must be three capital letters"),
    ("predicates:\n  DONATES_TO:\n    stance: charity\n    direction: directed\n    subject: [Company]\n    object: [Company]\n",
     ":3:5: predicate DONATES_TO: stance must be one of cooperative, competitive"),
    ("kinds:\n  Party: {}\n  Party: {}\n", ":3:3: duplicate key 'Party' (first at line 2): keep one"),
]


@pytest.mark.parametrize("text, expected", BAD)
def test_a_bad_extension_is_one_located_line_and_exit_2(folder, text, expected):
    (folder / "vocabulary.yaml").write_text(text, encoding="utf-8")
    run = run_cli("stats", str(folder))
    assert run.exit_code == 2
    lines = run.output.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{folder / 'vocabulary.yaml'}{expected}"), lines[0]
    assert "Traceback" not in run.output


def test_a_missing_vocabulary_file_is_one_line(folder):
    run = run_cli("validate", str(folder / "data.yaml"), "--vocabulary", str(folder / "nope.yaml"))
    assert run.exit_code == 2
    assert run.output.strip() == f"{folder / 'nope.yaml'}: no such vocabulary file (give a YAML file in the format of claimgraph/vocabulary.yaml)"


# -- the vocabulary itself -----------------------------------------------------------------------

def test_an_identical_redefinition_is_fine_and_the_extension_is_what_differs():
    builtin = yaml.safe_load(resources.files("claimgraph").joinpath("vocabulary.yaml").read_text(encoding="utf-8"))
    again = default_vocabulary().extend(builtin, where="copy.yaml")  # the whole file again: nothing new
    assert again.extension_data() == {}
    ext = default_vocabulary().extend(extension())
    assert set(ext.extension_data()) == {"dimensions", "predicates"}
    assert ext.extension_data()["dimensions"] == {"currency": ["GBP"]}
    assert list(ext.extension_data()["predicates"]) == ["FABRICATES_FOR"]
    # the extension, applied to the built-in vocabulary, gives the same vocabulary back
    assert default_vocabulary().extend(ext.extension_data()).to_data() == ext.to_data()


def test_the_roles_become_cypher_parameters():
    p = default_vocabulary().extend(extension()).cypher_parameters
    assert p["money_predicates"] == ["INVESTS_IN", "COMMITS_TO_BUY", "MANUFACTURES_FOR", "ACQUIRES", "FABRICATES_FOR"]
    assert p["money_payer"]["FABRICATES_FOR"] == "object" and p["money_amount"]["FABRICATES_FOR"] == "amount"
    assert p["dependency_upstream"]["FABRICATES_FOR"] == "subject"
    assert p["dependency_relation"]["FABRICATES_FOR"] == "manufactured by"
    assert p["maker_product"] == {"MANUFACTURES_FOR": "product", "MAKES": "object", "FABRICATES_FOR": "product"}
    assert p["product_kinds"] == ["Chip", "Product"] and p["generation_kinds"] == ["Chip"]
    assert p["tie_stances"] == ["cooperative", "financial", "supply"] and p["rivalry_stances"] == ["competitive"]
    assert p["measure_qualifiers"] == ["metric", "milestone"]


def test_vendor_equity_is_a_role_with_its_instrument():
    vocab = default_vocabulary()
    assert vocab.role("vendor_equity") == {"GRANTS_EQUITY_TO": {"vendor": "subject", "instrument": "instrument"}}
    assert "warrants" in vocab.qualifiers["instrument"].values


def test_a_role_that_does_not_fit_its_predicate_is_refused():
    data = {"predicates": {"X_CADENCE": {"stance": "attribute", "direction": "directed", "subject": ["Company"],
                                          "value": "date", "roles": {"cadence": {}}}}}
    with pytest.raises(DatasetError, match="role cadence needs a value claim of type quantity with dimension duration"):
        default_vocabulary().extend(data)
    data = {"predicates": {"RIVALS": {"stance": "competitive", "direction": "symmetric", "subject": ["Company"],
                                      "object": ["Company"], "roles": {"purchase": {"buyer": "subject"}}}}}
    with pytest.raises(DatasetError, match="role purchase needs a directed predicate"):
        default_vocabulary().extend(data)
    assert isinstance(Vocabulary.from_data(default_vocabulary().to_data()), Vocabulary)


# -- pyvis ---------------------------------------------------------------------------------------

def test_to_pyvis_styles_the_bundled_landscape_from_the_vocabulary(bundled):
    from pyvis.network import Network

    net = bundled.to_pyvis()
    assert isinstance(net, Network) and net.directed
    nodes = {n["id"]: n for n in net.nodes}
    assert len(nodes) == len(bundled.entities)
    assert (nodes["nvidia"]["color"], nodes["nvidia"]["shape"]) == ("#4e79a7", "dot")  # Company
    assert (nodes["elon-musk"]["color"], nodes["elon-musk"]["shape"]) == ("#e377c2", "diamond")  # Person
    assert nodes["nvidia"]["title"].startswith("Nvidia (Company)<br>also: ")
    edges = {e["id"]: e for e in net.edges}
    assert len(edges) == bundled.graph.number_of_edges()  # parallel claims are all there
    invest = edges["nvidia-invests-in-xai-series-e"]
    assert (invest["from"], invest["to"], invest["color"]) == ("nvidia", "xai", "#e0a100")  # financial
    assert invest["title"].startswith("Nvidia invests in xAI")
    competes = next(e for e in net.edges if bundled.claims[e["id"]].predicate == "COMPETES_WITH")
    assert competes["color"] == "#d32f2f" and competes["arrows"] == ""  # symmetric: no arrow head


def test_to_pyvis_titles_are_escaped(tmp_path):
    (tmp_path / "x.yaml").write_text("""\
sources: [{id: s, title: "<script>alert(1)</script>", publisher: "<b>Pub</b> & co", tier: press}]
entities:
  - {id: a, name: "<img src=x onerror=alert(1)>", kind: Company}
  - {id: b, name: B & Sons, kind: Company}
claims:
  - {id: c1, subject: a, predicate: PARTNERS_WITH, object: b, status: claimed, evidence: [{source: s}]}
""", encoding="utf-8")
    net = claimgraph.load([tmp_path / "x.yaml"]).to_pyvis()
    a = next(n for n in net.nodes if n["id"] == "a")
    assert a["label"] == "<img src=x onerror=alert(1)>"  # drawn on the canvas as text
    assert a["title"] == "&lt;img src=x onerror=alert(1)&gt; (Company)"
    (edge,) = net.edges
    assert "<b>" not in edge["title"] and "&lt;b&gt;Pub&lt;/b&gt; &amp; co" in edge["title"]
    assert "B &amp; Sons" in edge["title"]


# -- Neo4j ---------------------------------------------------------------------------------------

@pytest.mark.neo4j
def test_the_extension_round_trips_through_neo4j_from_the_cli(folder, tmp_path, clean_neo4j, neo4j_env):
    run = run_cli("neo4j", "push", str(folder))
    assert run.exit_code == 0, run.output
    # the database holds the extension, as one node
    with neo4j_io.connect() as conn:
        _, rows = neo4j_io.run_cypher(conn, "MATCH (v:Vocabulary) RETURN v.key, v.json", {})
    assert [r[0] for r in rows] == ["extension"]
    assert json.loads(rows[0][1])["predicates"]["FABRICATES_FOR"]["roles"]["money"] == {"payer": "object", "amount": "amount"}
    # queries on Neo4j without any local data know the new predicate
    run = run_cli("query", "money", "--backend", "neo4j", "--format", "json")
    assert run.exit_code == 0, run.output
    assert {tuple(r["predicates"]) for r in json.loads(run.output)} == {("INVESTS_IN",), ("FABRICATES_FOR",)}
    # pull writes the dataset and the extension beside it; the folder equals what was pushed
    out = tmp_path / "pulled"
    out.mkdir()
    run = run_cli("neo4j", "pull", "-o", str(out / "landscape.json"))
    assert run.exit_code == 0, run.output
    assert sorted(p.name for p in out.iterdir()) == ["landscape.json", "vocabulary.yaml"]
    run = run_cli("diff", str(folder), str(out))
    assert run.exit_code == 0 and "no differences" in run.output, run.output
    pushed, pulled = claimgraph.load([folder]), claimgraph.load([out])
    assert pulled.vocabulary.extension_data() == pushed.vocabulary.extension_data()
    # a vocabulary.yaml there that says something else is refused, and nothing is written
    (out / "vocabulary.yaml").write_text("dimensions:\n  currency: [CHF]\n", encoding="utf-8")
    (out / "landscape.json").unlink()
    run = run_cli("neo4j", "pull", "-o", str(out / "landscape.json"))
    assert run.exit_code == 2 and "exists and differs from the database's vocabulary extension" in run.output
    assert not (out / "landscape.json").exists()


@pytest.mark.neo4j
def test_the_extension_parity_and_replace_on_neo4j(folder, clean_neo4j, neo4j_env):
    land = claimgraph.load([folder])
    with neo4j_io.connect() as conn:
        neo4j_io.push(land, conn, replace=True)
        for name, kw in (("money", {}), ("dependencies", {"entity": "buyer"}), ("circular-deals", {}),
                         ("dependencies", {"entity": "buyer", "depth": 1})):
            emb = [r.to_dict() for r in run_query(land, name, **kw)]
            neo = [r.to_dict() for r in run_query(None, name, backend="neo4j", conn=conn, **kw)]
            assert emb == neo, name
        check_rows(run_query(None, "money", backend="neo4j", conn=conn),
                   run_query(None, "dependencies", backend="neo4j", conn=conn, entity="buyer"),
                   run_query(None, "circular-deals", backend="neo4j", conn=conn))
        assert neo4j_io.pull(conn).vocabulary.extension_data() == land.vocabulary.extension_data()
        # replacing with the bundled landscape (no extension) removes the stored extension
        neo4j_io.push(claimgraph.load(), conn, replace=True)
        _, rows = neo4j_io.run_cypher(conn, "MATCH (v:Vocabulary) RETURN count(v)", {})
        assert rows == [[0]]


@pytest.mark.neo4j
def test_the_cypher_script_carries_the_extension(folder, tmp_path, clean_neo4j, neo4j_env):
    land = claimgraph.load([folder])
    statements = list(neo4j_io.cypher_statements(land))
    assert sum(s.startswith("MERGE (v:Vocabulary") for s in statements) == 1
    assert not any(s.startswith("MERGE (v:Vocabulary") for s in neo4j_io.cypher_statements(claimgraph.load()))
    with neo4j_io.connect() as conn:
        for s in statements:
            neo4j_io.run_cypher(conn, s, {}, write=True)
        back = neo4j_io.pull(conn)  # valid only with the extension the script recorded
    assert back.claims["foundry-fabricates"].predicate == "FABRICATES_FOR"
    assert back.vocabulary.extension_data() == land.vocabulary.extension_data()

