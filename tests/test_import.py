"""claimgraph import on real public files (tests/fixtures/import/README.md names each one's
origin and licence): what a user would check by hand after importing them."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import claimgraph
from claimgraph import api
from claimgraph.errors import DatasetError

FIX = Path(__file__).parent / "fixtures" / "import"
ACQ = FIX / "crunchbase-acquisitions.csv"
TC = FIX / "techcrunch-investments.csv"
DON = FIX / "ftm-donations.ijson"
SANC = FIX / "ftm-sanctions.ftm.json"


def run(*args):
    return subprocess.run([sys.executable, "-m", "claimgraph.cli", *args], capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def acq(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("acq") / "acq"
    res = run("import", str(ACQ), "--format", "crunchbase-acquisitions", "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert "imported 30 of 30 rows" in res.stdout
    return out


def test_crunchbase_acquisitions_validate_with_their_own_currencies(acq):
    res = run("validate", str(acq))
    assert res.returncode == 0, res.stderr
    # AUD (iCar Asia) and CAD (information services corporation) are not built in; EUR is
    vocab = (acq / "vocabulary.yaml").read_text()
    assert "AUD" in vocab and "CAD" in vocab and "EUR" not in vocab
    land = claimgraph.load([acq])
    c = land.claims["icar-asia-acquires-one2car"]
    assert str(c.qualifiers["amount"]) == "AUD 16.7M"
    assert c.status.value == "reported"  # Crunchbase reports; the import never says more
    assert c.evidence[0].source == "crunchbase-export" and c.evidence[0].locator == "crunchbase-acquisitions.csv row 12"


def test_crunchbase_money_counts_prices_once_and_leaves_unconverted_currencies_apart(acq):
    rows = {(r.payer, r.payee): r for r in api.query("money", [acq])}
    assert rows[("vodafone", "ono")].usd_total == 10_000_000_000
    assert rows[("earthlink", "one-communications")].usd_total == 370_000_000
    # EarthLink bought two companies: two rows, not one sum
    assert rows[("earthlink", "one-main-com")].usd_total == 305_000_000
    # no rate is stated for AUD: shown, not converted
    assert rows[("icar-asia", "one2car")].unconverted


def test_crunchbase_attributes_keep_their_text(acq, tmp_path):
    land = claimgraph.load([acq])
    nordic = land.entity("One Nordic Furniture")
    assert nordic.attributes["state_code"] == "13" and nordic.attributes["country_code"] == "FIN"
    # the CSV layout too: a code of digits stays text
    out = tmp_path / "csv"
    res = run("import", str(ACQ), "--format", "crunchbase-acquisitions", "-o", str(out), "--as", "csv")
    assert res.returncode == 0, res.stderr
    again = claimgraph.load([out])
    assert again.entity("One Nordic Furniture").attributes["state_code"] == "13"


def test_a_mapping_file_imports_a_spreadsheet_without_code(tmp_path):
    mapping = tmp_path / "mine.yaml"
    mapping.write_text("""
source: {title: Crunchbase acquisitions sample, publisher: Crunchbase, tier: aggregator}
status: reported
entities:
  - {key: buyer, name: {column: acquirer_name}, kind: Company, attributes: {city: {column: acquirer_city}}}
  - {key: target, name: {column: company_name}, kind: Company}
claims:
  - subject: buyer
    predicate: ACQUIRES
    object: target
    on: {column: acquired_at}
    qualifiers: {amount: {amount: {column: price_amount}, currency: {column: price_currency_code}}}
""")
    res = run("import", str(ACQ), "--map", str(mapping), "-o", str(tmp_path / "out"))
    assert res.returncode == 0, res.stderr
    land = claimgraph.load([tmp_path / "out"])
    # ids slugged from the names, the names kept as written
    assert land.entities["information-services-corporation"].name == "information services corporation"
    assert land.entities["pinsight-media"].name == "Pinsight Media+"
    assert str(land.claims["cupid-plc-acquires-onlineliebe-gmbh"].qualifiers["amount"]) == "EUR 2.75M"


def test_round_sizes_are_the_rounds_never_an_investors_amount(tmp_path):
    out = tmp_path / "tc"
    res = run("import", str(TC), "--format", "techcrunch-investments", "-o", str(out))
    assert res.returncode == 0, res.stderr
    land = claimgraph.load([out])
    fb = [c for c in land.claims.values() if c.subject == "facebook" and c.predicate == "RAISES"]
    assert [str(c.value) for c in fb] == ["USD 12.7M"]
    accel_fb = [c for c in land.claims.values() if c.subject == "accel-partners" and c.object == "facebook"]
    assert len(accel_fb) == 1 and "amount" not in accel_fb[0].qualifiers
    # the money query adds no round size to Accel's flows: what Accel put in is unknown, not 0
    accel = [r for r in api.query("money", land) if r.payer == "accel-partners"]
    assert {r.payee for r in accel} >= {"facebook"}
    assert [(r.usd_total, r.usd_total_high, r.usd_total_up_to, r.usd_reported_or_better) for r in accel] == \
        [(None, None, None, None)] * len(accel)
    # Ubiquisys raised two unattributed rounds in 2010 (9M and 5M): two RAISES claims
    ub = sorted(c.value.value for c in land.claims.values() if c.subject == "ubiquisys" and c.predicate == "RAISES")
    assert ub == [5_000_000, 9_000_000]
    # GBP is added to the dataset's vocabulary (Autoquake's round)
    assert "GBP" in (out / "vocabulary.yaml").read_text()


def test_ftm_donations_are_payments_between_named_parties(tmp_path):
    out = tmp_path / "don"
    res = run("import", str(DON), "--format", "ftm", "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert "7 rows of Address matched no rule" in res.stdout
    land = claimgraph.load([out])
    pays = [c for c in land.claims.values() if c.predicate == "PAYS"]
    assert len(pays) == 12
    cdu = land.entity("CDU")
    gruene = land.entity("GRÜNE")
    assert gruene.name == "GRÜNE" and re.fullmatch(r"grune-[0-9a-f]{8}", gruene.id)
    into_cdu = sorted((land.entities[c.subject].name, c.qualifiers["amount"].value) for c in pays if c.object == cdu.id)
    assert into_cdu == [("Allianz SE", 50001), ("Daimler AG", 150000),
                        ("Verband der Metall- und Elektroindustrie Baden-Württemberg e.V.", 100000),
                        ("Verband der Metall- und Elektroindustrie Nordrhein-Westfalen e.V.", 60000)]
    ring = api.query("neighbourhood", land, entity="CDU")
    assert len([r for r in ring if r.ring == 1]) == 4
    top = api.query("influence", land)[0]
    assert top.name == "CDU"
    payment = next(c for c in pays if c.object == land.entity("MLPD").id and c.qualifiers["amount"].value == 113969.15)
    assert payment.evidence[0].locator == "FtM entity f4fc242b39db00c51a6149c017aef246786a8e07"
    report = tmp_path / "report.html"
    api.report(report, land)
    assert "Daimler AG" in report.read_text()


def test_ftm_payments_are_money(tmp_path):
    # PAYS is the FtM mapping's own predicate; its money role makes it a money flow
    out = tmp_path / "don"
    api.import_file(DON, out, format="ftm")
    land = claimgraph.load([out])
    assert land.vocabulary.role("money")["PAYS"] == {"payer": "subject", "amount": "amount"}
    rows = {r.payee_name: r for r in api.query("money", land) if r.payer_name == "Daimler AG"}
    assert set(rows) == {"SPD", "CDU"}
    # Daimler's EUR 150,000 to the CDU: the stream states no EUR rate, so it stays EUR, shown
    # and not converted, and the US-dollar total is unknown (None), not 0
    assert rows["CDU"].unconverted == ["EUR 150K"] and [f.amount for f in rows["CDU"].flows] == ["EUR 150K"]
    assert rows["CDU"].usd_total is None and rows["CDU"].usd_reported_or_better is None
    # and like every money predicate PAYS may name its deal or mark a running total
    assert {"deal", "cumulative"} <= set(land.vocabulary.predicates["PAYS"].qualifiers)


def test_ftm_names_in_every_script_become_aliases(tmp_path):
    out = tmp_path / "sanc"
    api.import_file(SANC, out, format="ftm")
    land = claimgraph.load([out])
    tobacco = land.entity("Общество с ограниченной ответственностью “Интер Тобако”")
    assert tobacco.name == "RAB „Inter Tobacco“" and tobacco.kind == "Organization"
    assert re.fullmatch(r"rab-inter-tobacco-[0-9a-f]{8}", tobacco.id)
    assert tobacco.attributes["registration_number"] == "808000714"
    assert tobacco.attributes["datasets"] == "eu_fsf"
    assert land.entity("Виктор Владимирович СОЙКО").attributes["birth_date"] == "1971-07-03"
    assert len(land.entities) == 6  # the Address matches no rule


def _bad_copy(tmp_path: Path) -> Path:
    """The real acquisitions sample plus rows as they go wrong in the full export (the first is
    a real row of it: 10stamps "acquires" itself), and typing mistakes."""
    text = ACQ.read_text()
    text += ("/organization/10stamps-contigua,10stamps,Big Data|Local Businesses|Mobile,DEU,2,Munich,Munich,"
             "/organization/10stamps-contigua,10stamps,Big Data|Local Businesses|Mobile,DEU,2,Munich,Munich,2015-11-23,2015-11,,USD\n")
    text += "/organization/x1,X One,,,,,,/organization/y1,Y One,,,,,,2015-13-01,2015-13,,USD\n"
    text += "/organization/x2,X Two,,,,,,/organization/y2,Y Two,,,,,,2014-01-01,2014-01,about 5M,USD\n"
    text += "/organization/x3,X Three,,,,,,/organization/y3,Y Three,,,,,,2014-01-01,2014-01,5000000,US$\n"
    text += "/organization/x4,X Four,,,,,,/organization/y4,,,,,,,2014-01-01,2014-01,,USD\n"
    text += "/organization/x5,X Five,,,,,,/organization/y5,Y Five,,,,,,2014-01-01,2014-01,,USD,extra,cells\n"
    p = tmp_path / "acquisitions-bad.csv"
    p.write_text(text)
    return p


def test_bad_rows_every_problem_in_one_run_and_nothing_written(tmp_path):
    bad = _bad_copy(tmp_path)
    res = run("import", str(bad), "--format", "crunchbase-acquisitions", "-o", str(tmp_path / "out"))
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    rows = sorted({int(m.group(1)) for line in lines if (m := re.search(r"acquisitions-bad\.csv:(\d+)", line))})
    assert rows == [32, 33, 34, 35, 36, 37]
    assert any("relates" in line and ":32" in line for line in lines)
    assert any(":33" in line and "month 13" in line for line in lines)
    assert any(":34" in line and "not a number" in line for line in lines)
    assert any(":35" in line and "three-letter" in line for line in lines)
    assert not (tmp_path / "out").exists()


def test_skip_invalid_writes_the_good_rows_and_rejects_the_rest_with_reasons(tmp_path):
    bad = _bad_copy(tmp_path)
    out = tmp_path / "out"
    res = run("import", str(bad), "--format", "crunchbase-acquisitions", "-o", str(out), "--skip-invalid")
    assert res.returncode == 0, res.stderr
    assert run("validate", str(out)).returncode == 0
    rejects = out.with_name("out.rejects.csv")
    with rejects.open() as fh:
        rejected = list(csv.DictReader(fh))
    assert [int(r["reject_row"]) for r in rejected] == [32, 33, 34, 35, 36, 37]
    assert all(r["reject_reason"] for r in rejected)
    assert rejected[1]["acquired_at"] == "2015-13-01"  # the row as it was
    land = claimgraph.load([out])
    cited = {int(m.group(1)) for c in land.claims.values() for e in c.evidence
             if e.locator and (m := re.search(r"row (\d+)$", e.locator))}
    n_rows = len(bad.read_text().splitlines())
    assert cited | {int(r["reject_row"]) for r in rejected} == set(range(2, n_rows + 1))
    assert not cited & {int(r["reject_row"]) for r in rejected}


def test_a_mapping_naming_a_missing_column_is_one_line_with_a_suggestion(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("""
entities:
  - {key: buyer, name: {column: acquirer_nam}, kind: Company}
claims: []
""")
    res = run("import", str(ACQ), "--map", str(mapping), "-o", str(tmp_path / "out"))
    assert res.returncode == 2
    assert "acquirer_nam" in res.stderr and "did you mean 'acquirer_name'" in res.stderr


def test_a_broken_mapping_names_the_place_in_it(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("entities:\n  - {key: a, name: {column: x}, kind: Company, colour: red}\n")
    with pytest.raises(DatasetError) as exc:
        api.import_file(ACQ, tmp_path / "out", mapping=mapping)
    assert "entities.0" in str(exc.value) and "colour" in str(exc.value)


def test_match_proposes_reviews_and_merges_only_what_was_accepted(tmp_path, acq):
    tc = tmp_path / "tc"
    api.import_file(TC, tc, format="techcrunch-investments")
    review = tmp_path / "review.yaml"
    res = run("match", str(acq), str(tc), "-o", str(review))
    assert res.returncode == 0, res.stderr
    text = review.read_text()
    assert "decision: review" in text and "onforce" in text
    # nothing is merged while a pair waits for review
    res = run("match", str(acq), str(tc), "--apply", str(review), "-o", str(tmp_path / "merged"))
    assert res.returncode == 2 and "still at review" in res.stderr
    review.write_text(text.replace("decision: review", "decision: accept", 1))
    res = run("match", str(acq), str(tc), "--apply", str(review), "-o", str(tmp_path / "merged"))
    assert res.returncode == 0, res.stderr
    assert "1 entities merged" in res.stdout
    land = claimgraph.load([tmp_path / "merged"])
    onforce = land.entities["onforce"]
    preds = sorted(c.predicate for c in land.claims_of(onforce.id))
    assert preds == ["ACQUIRES", "ACQUIRES", "INVESTS_IN", "RAISES"]  # Adecco and Beeline bought it; Accel invested


def test_match_keeps_rejected_pairs_apart(tmp_path, acq):
    tc = tmp_path / "tc"
    api.import_file(TC, tc, format="techcrunch-investments")
    review = tmp_path / "review.yaml"
    api.match([acq], [tc], output=review)
    review.write_text(review.read_text().replace("decision: review", "decision: reject"))
    result = api.match([acq], [tc], apply=review, output=tmp_path / "merged")
    land = result["landscape"]
    assert {"onforce", "onforce-2"} <= set(land.entities)
    assert not result["report"].merged


def test_import_leaves_nothing_half_written_when_the_output_is_foreign(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    res = run("import", str(ACQ), "--format", "crunchbase-acquisitions", "-o", str(out))
    assert res.returncode == 2
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    shutil.rmtree(out)


def test_every_format_ships_a_mapping_that_reads():
    from claimgraph.importers import FORMATS, mapping_for

    for name in FORMATS:
        m = mapping_for(format=name)
        assert m.entities, name
    assert json.dumps(sorted(FORMATS))
