"""Spreadsheet CSV in and out: typed values, errors with file/row/column, zip, BOM, round trips."""

from __future__ import annotations

import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claimgraph
from claimgraph import DatasetError, load, load_dataset
from claimgraph.fileio import MARKER
from claimgraph.io.csv_io import write_csv
from claimgraph.io.json_io import to_data
from claimgraph.synth import MIN_ENTITIES, generate
from tests.helpers import export

SOURCES = """\
id,title,publisher,url,published,tier
wire-1,Deal reported,Wire,https://example.org/1,2026-01,wire
blog-1,"A post, with a comma",Blog,,2025,self-media
"""
ENTITIES = """\
id,name,kind,aliases,attr_founded,attr_public
nvidia,Nvidia,Company,英偉達; 英伟达 ;NVDA,1993,true
xai,xAI,Company,,,
tesla,Tesla,Company,特斯拉,2003,
"""
CLAIMS = """\
id,subject,predicate,object,value,q_amount,q_stake,asserted_by,stated_on,valid_from,status,supported_by,contradicted_by,notes
nvidia-in-xai,nvidia,INVESTS_IN,xai,,up to USD 2B,7%,nvidia;xai,2026-01-17,2025-12,reported,wire-1,blog-1,
tesla-cadence,tesla,HAS_CADENCE,,9 months,,,,2025,,claimed,blog-1,,"multi
line note"
"""
EVIDENCE = """\
claim,source,effect,locator,paraphrase
nvidia-in-xai,blog-1,supports,para 3,it says so
"""


def folder(tmp_path, name="ds", bom=False, **files):
    d = tmp_path / name
    d.mkdir()
    texts = {"sources.csv": SOURCES, "entities.csv": ENTITIES, "claims.csv": CLAIMS} | {
        k.replace("_", ".") if k.endswith("_csv") else k: v for k, v in files.items()}
    for fname, text in texts.items():
        if text is not None:
            (d / fname).write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return d


def problems(*paths):
    with pytest.raises(DatasetError) as info:
        load_dataset(paths)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("bom", [False, True])
def test_csv_folder_loads_with_typed_values(tmp_path, bom):
    land = load([folder(tmp_path, bom=bom, evidence_csv=EVIDENCE)])
    nv = land.entities["nvidia"]
    assert nv.aliases == ["英偉達", "英伟达", "NVDA"]
    assert nv.attributes == {"founded": 1993, "public": True}
    assert land.entity("英伟达").id == "nvidia"
    c = land.claims["nvidia-in-xai"]
    assert c.qualifiers["amount"].max == 2_000_000_000 and c.qualifiers["stake"].value == 7
    assert c.asserted_by == ["nvidia", "xai"]
    assert str(c.stated_on) == "2026-01-17" and str(c.valid_from) == "2025-12"
    # supported_by, contradicted_by, then evidence.csv rows, in that order
    assert [(e.source, e.effect.value, e.locator) for e in c.evidence] == [
        ("wire-1", "supports", None), ("blog-1", "contradicts", None), ("blog-1", "supports", "para 3")]
    t = land.claims["tesla-cadence"]
    assert str(t.value) == "9 months" and t.notes == "multi\nline note"
    assert land.sources["blog-1"].title == "A post, with a comma"


def test_errors_name_file_row_and_column(tmp_path):
    claims = CLAIMS.replace(",7%,", ",107%,").replace("tesla,HAS_CADENCE", "tesal,HAS_CADENCE")
    evidence = "claim,source,effect\nnvidia-in-xia,wire-1,supports\nnvidia-in-xai,wire-9,supports\n"
    d = folder(tmp_path, claims_csv=claims, evidence_csv=evidence)
    found = problems(d)
    c, e = d / "claims.csv", d / "evidence.csv"
    assert f"{c}:2 (column q_stake): qualifier stake 107% is outside 0-100%" in found
    assert f"{c}:3 (column subject): unknown entity 'tesal': did you mean 'tesla'?" in found
    assert f"{e}:2 (column claim): unknown claim 'nvidia-in-xia': did you mean 'nvidia-in-xai'? (evidence rows name a claim of claims.csv)" in found
    assert f"{e}:3 (column source): unknown source 'wire-9': did you mean 'wire-1'?" in found
    assert len(found) == 4


def test_bad_header_bad_dates_and_bad_json_are_reported(tmp_path):
    entities = ENTITIES.replace("aliases,", "alias,")
    claims = CLAIMS.replace(",2025,,claimed", ",2025-13-01,,claimed").replace("up to USD 2B", '"{""unit"": ""USD""}"')
    d = folder(tmp_path, entities_csv=entities, claims_csv=claims)
    found = problems(d)
    assert f"{d / 'entities.csv'}:1 (column alias): unknown column 'alias' in entities.csv: did you mean 'aliases'?" in found
    assert any(p.startswith(f"{d / 'claims.csv'}:3 (column stated_on): ") and "impossible date" in p for p in found)
    assert any(p.startswith(f"{d / 'claims.csv'}:2 (column q_amount): ") and "needs value, min or max" in p for p in found)


def test_missing_column_and_not_utf8(tmp_path):
    d = folder(tmp_path, sources_csv="title,publisher,tier\nT,P,wire\n")
    assert f"{d / 'sources.csv'}:1: sources.csv has no 'id' column: add it to the header" in problems(d)
    d2 = tmp_path / "latin"
    d2.mkdir()
    (d2 / "entities.csv").write_bytes("id,name,kind\nsoc,Société,Company\n".encode("latin-1"))
    (msg,) = problems(d2)
    assert msg.startswith(f"{d2 / 'entities.csv'}:2: not UTF-8 text")


def test_zip_of_a_csv_folder_loads(tmp_path):
    d = folder(tmp_path, evidence_csv=EVIDENCE)
    z = tmp_path / "ds.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for f in d.iterdir():
            zf.write(f, f"my-dataset/{f.name}")
    assert to_data(load([z])) == to_data(load([d]))
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK not really")
    (msg,) = problems(bad)
    assert msg.startswith(f"{bad}: not a readable zip file")


def test_single_csv_files_can_be_given_one_by_one(tmp_path):
    d = folder(tmp_path)
    land = load([d / "sources.csv", d / "entities.csv", d / "claims.csv"])
    assert len(land.claims) == 2


def test_csv_export_is_a_folder_that_loads_back(tmp_path):
    land = generate(MIN_ENTITIES * 2, 300, seed=5)
    out = export(land, "csv", tmp_path / "out")
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "claims.csv", "entities.csv", "evidence.csv", "rates.csv", "sources.csv"]
    assert to_data(load([out])) == to_data(land)


def test_quantities_that_short_text_cannot_carry_are_written_as_json(tmp_path):
    land = generate(MIN_ENTITIES, 200, seed=3)
    # 100 TOPS would read back as 100 T-multiplied "OPS": the writer must not write it as text
    c = next(c for c in land.claims.values() if c.predicate == "HAS_ATTRIBUTE")
    from claimgraph.model import Quantity

    c.value = Quantity(value=123.25, unit="TOPS")
    write_csv(land, tmp_path)
    assert to_data(load([tmp_path]))["claims"] == to_data(land)["claims"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), entities=st.integers(MIN_ENTITIES, 80), claims=st.integers(0, 250))
def test_round_trip_yaml_csv_json_and_back(tmp_path_factory, seed, entities, claims):
    """YAML -> CSV -> JSON -> YAML gives the same landscape, on randomized landscapes."""
    from claimgraph.io import write_dataset as write

    base = tmp_path_factory.mktemp("rt")
    original = generate(entities, claims, seed)
    y = write(original, base / "yaml")
    from_yaml = load([y])
    c = export(from_yaml, "csv", base / "csv")
    from_csv = load([c])
    j = claimgraph.export(base / "land.json", "json", from_csv)
    from_json = load([j])
    back = load([write(from_json, base / "yaml2")])
    want = to_data(original)
    for land in (from_yaml, from_csv, from_json, back):
        assert to_data(land) == want


def test_a_csv_file_of_another_name_is_known_by_its_header(tmp_path):
    """``claimgraph validate a.yaml my-claims.csv``: the bundled landscape plus a claims sheet."""
    from click.testing import CliRunner

    from claimgraph.cli import main

    mine = tmp_path / "my-claims.csv"
    mine.write_text("id,subject,predicate,object,q_stake,status,supported_by\n"
                    "mine-1,英伟达,INVESTS_IN,xAI,12%,claimed,netease-article\n", encoding="utf-8")
    land = load(["ai-chips", mine])
    c = land.claims["mine-1"]
    assert (c.subject, c.object, c.qualifiers["stake"].value) == ("nvidia", "xai", 12)
    result = CliRunner().invoke(main, ["validate", "ai-chips", str(mine)])
    assert result.exit_code == 0, result.output
    assert "note: " in result.output and "'英伟达' resolved to entity 'nvidia'" in result.output
    odd = tmp_path / "notes.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    (msg,) = problems(odd)
    assert msg.startswith(f"{odd}:1: cannot tell what 'notes.csv' holds")


def test_evidence_rows_in_any_order_join_their_claims(tmp_path):
    """evidence.csv rows may come in any order, before or after others; each joins the first
    claim of its id, in row order; rows for no claim and rows naming none are each reported."""
    ev = """\
claim,source,effect,locator,paraphrase
tesla-cadence,wire-1,supports,p. 9,
nvidia-in-xai,blog-1,supports,para 3,it says so
nvidia-in-xia,wire-1,supports,,
,wire-1,supports,,
tesla-cadence,blog-1,contradicts,,
"""
    found = problems(folder(tmp_path, evidence_csv=ev))
    e = tmp_path / "ds" / "evidence.csv"
    assert found == [
        f"{e}:4 (column claim): unknown claim 'nvidia-in-xia': did you mean 'nvidia-in-xai'? (evidence rows name a claim of claims.csv)",
        f"{e}:5 (column claim): empty claim cell: name the claim this evidence is for",
    ]
    good = ev.replace("nvidia-in-xia,wire-1,supports,,\n,wire-1,supports,,\n", "")
    ds = load_dataset([folder(tmp_path, "ok", evidence_csv=good)])
    assert [(x.source, x.effect.value, x.locator) for x in ds.claims["tesla-cadence"].evidence] == [
        ("blog-1", "supports", None), ("wire-1", "supports", "p. 9"), ("blog-1", "contradicts", None)]
    assert [x.source for x in ds.claims["nvidia-in-xai"].evidence] == ["wire-1", "blog-1", "blog-1"]


def test_a_bad_evidence_row_is_located_in_evidence_csv(tmp_path):
    ev = "claim,source,effect\ntesla-cadence,nope,supports\nnvidia-in-xai,wire-1,maybe\n"
    found = problems(folder(tmp_path, evidence_csv=ev))
    e = tmp_path / "ds" / "evidence.csv"
    assert any(p.startswith(f"{e}:3 (column effect): evidence.2.effect:") for p in found), found
    assert f"{e}:2 (column source): unknown source 'nope'" in " ".join(found), found


def test_editing_one_loaded_claim_leaves_the_others_alone(tmp_path):
    """Loaded records share memory where they are equal (evidence, the set of fields given);
    changing one claim's fields must not show in another claim."""
    land = generate(entities=MIN_ENTITIES * 3, claims=40, seed=2)
    write_csv(land, tmp_path)
    ds = load_dataset([tmp_path])
    a, b = [c for c in ds.claims.values() if c.notes is None and "notes" not in c.model_fields_set][:2]
    a.notes = "checked"
    a.asserted_by = [*a.asserted_by, a.subject]
    assert "notes" in a.model_fields_set and "notes" not in b.model_fields_set
    assert b.notes is None and a.subject not in b.asserted_by[len(b.asserted_by):]
    assert a.model_copy(update={"stated_on": None}).model_fields_set >= {"notes", "stated_on"}
    assert "stated_on" not in b.model_fields_set or b.stated_on is not None
