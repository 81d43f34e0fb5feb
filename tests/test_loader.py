"""Loading YAML datasets: every problem reported at once, each with file:line:col and a fix."""

import textwrap

import pytest

from claimgraph import DatasetError, load, load_dataset

GOOD = """\
sources:
  - {id: wire-1, title: Deal reported, publisher: Wire, tier: wire, published: 2026-01}
  - {id: blog-1, title: A blog post, publisher: Blog, tier: self-media}
entities:
  - {id: nvidia, name: Nvidia, kind: Company, aliases: [英偉達, 英伟达]}
  - {id: xai, name: xAI, kind: Company}
  - {id: tesla, name: Tesla, kind: Company, aliases: [特斯拉]}
claims:
  - id: nvidia-in-xai
    subject: nvidia
    predicate: INVESTS_IN
    object: xai
    qualifiers: {amount: up to USD 2B}
    status: reported
    evidence: [{source: wire-1}]
  - id: tesla-cadence
    subject: tesla
    predicate: HAS_CADENCE
    value: 9 months
    status: claimed
    evidence: [{source: blog-1}]
"""


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def problems(*paths):
    with pytest.raises(DatasetError) as info:
        load_dataset(paths)
    return [str(p) for p in info.value.problems]


def test_good_file_loads_with_typed_values(tmp_path):
    ds = load_dataset([write(tmp_path, "good.yaml", GOOD)])
    assert set(ds.entities) == {"nvidia", "xai", "tesla"}
    claim = ds.claims["nvidia-in-xai"]
    assert claim.qualifiers["amount"].max == 2_000_000_000
    assert str(ds.claims["tesla-cadence"].value) == "9 months"


def test_unknown_entity_names_line_column_and_suggests_the_fix(tmp_path):
    bad = GOOD.replace("    subject: nvidia\n", "    subject: nvdia\n")
    path = write(tmp_path, "bad.yaml", bad)
    assert problems(path) == [f"{path}:10:14: unknown entity 'nvdia': did you mean 'nvidia'?"]


def test_every_problem_is_reported_at_once(tmp_path):
    bad = (GOOD.replace("predicate: INVESTS_IN", "predicate: INVEST_IN")
               .replace("kind: Company, aliases: [特斯拉]", "kind: Compnay, aliases: [特斯拉]")
               .replace("[{source: blog-1}]", "[{source: blog-2}]"))
    path = write(tmp_path, "bad.yaml", bad)
    found = problems(path)
    assert f"{path}:7:36: unknown kind 'Compnay': did you mean 'Company'? (kinds: " in found[0]
    assert f"{path}:11:16: unknown predicate 'INVEST_IN': did you mean 'INVESTS_IN'?" in found
    assert f"{path}:21:25: unknown source 'blog-2': did you mean 'blog-1'?" in found
    assert len(found) == 3


def test_duplicate_keys_and_duplicate_ids_are_errors(tmp_path):
    bad = GOOD.replace("    object: xai\n", "    object: xai\n    object: tesla\n")
    bad = bad.replace("  - {id: xai, name: xAI, kind: Company}", "  - {id: xai, name: xAI, kind: Company}\n  - {id: xai, name: X, kind: Company}")
    path = write(tmp_path, "bad.yaml", bad)
    found = problems(path)
    assert f"{path}:14:5: duplicate key 'object' (first at line 13): keep one" in found
    assert any(p.startswith(f"{path}:7:10: duplicate entity id 'xai' (first defined at {path}:6:5)") for p in found)


def test_yaml_syntax_error_names_the_position(tmp_path):
    path = write(tmp_path, "broken.yaml", "entities:\n  - {id: a, name: [unclosed\n")
    (msg,) = problems(path)
    assert msg.startswith(f"{path}:3:1: YAML syntax error")


def test_qualifier_rules_come_from_the_vocabulary(tmp_path):
    bad = GOOD.replace("{amount: up to USD 2B}", "{stake: 107%, role: CEO}")
    path = write(tmp_path, "bad.yaml", bad)
    found = problems(path)
    assert f"{path}:13:25: qualifier stake 107% is outside 0-100%" in found
    assert any(p.startswith(f"{path}:13:37: INVESTS_IN does not take qualifier 'role'") for p in found)


def test_kinds_must_fit_the_predicate(tmp_path):
    bad = GOOD.replace("predicate: INVESTS_IN\n    object: xai\n    qualifiers: {amount: up to USD 2B}",
                       "predicate: LEADS\n    object: xai\n    qualifiers: {role: CEO}")
    path = write(tmp_path, "bad.yaml", bad)
    assert problems(path) == [f"{path}:10:14: subject 'nvidia' is a Company; LEADS takes Person"]


def test_confirmed_without_support_is_rejected_with_the_fix(tmp_path):
    bad = GOOD.replace("status: claimed\n    evidence: [{source: blog-1}]",
                       "status: confirmed\n    evidence: [{source: blog-1, effect: contradicts}]")
    path = write(tmp_path, "bad.yaml", bad)
    (msg,) = problems(path)
    assert msg.startswith(f"{path}:16:5: a confirmed claim needs at least one supporting source")


def test_unknown_and_missing_fields(tmp_path):
    bad = GOOD.replace("    status: reported\n", "    staus: reported\n")
    path = write(tmp_path, "bad.yaml", bad)
    found = problems(path)
    assert f"{path}:14:12: unknown field 'staus': did you mean 'status'?" in found
    assert f"{path}:9:5: missing field 'status': add it" in found


def test_problems_across_several_files_and_nothing_loaded(tmp_path):
    a = write(tmp_path, "a.yaml", GOOD)
    b = write(tmp_path, "b.yaml", "claims:\n  - {id: c2, subject: tesla, predicate: COMPETES_WITH, object: nvidia, status: maybe, evidence: [{source: wire-1}]}\n")
    c = write(tmp_path, "c.yaml", "entities: {oops: 1}\n")
    found = problems(a, b, c)
    assert any(p.startswith(f"{b}:2:80: status: unknown status 'maybe'") for p in found)
    assert f"{c}:1:11: entities must be a list of mappings (each item starting with '- ')" in found


def test_files_in_a_folder_merge(tmp_path):
    folder = tmp_path / "ds"
    folder.mkdir()
    head, claims = GOOD.split("claims:\n")
    write(folder, "1-base.yaml", head)
    write(folder, "2-claims.yaml", "claims:\n" + claims)
    land = load([folder])
    assert land.stats()["claims"] == 2


def test_bad_encoding_and_nul_bytes(tmp_path):
    p = tmp_path / "latin1.yaml"
    p.write_bytes("entities:\n  - {id: a, name: Société, kind: Company}\n".encode("latin-1"))
    (msg,) = problems(p)
    assert msg.startswith(f"{p}:2: not UTF-8 text")
    q = tmp_path / "nul.yaml"
    q.write_bytes(b"entities: []\x00\n")
    (msg,) = problems(q)
    assert "NUL bytes" in msg


def test_bom_is_accepted(tmp_path):
    p = tmp_path / "bom.yaml"
    p.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    assert len(load_dataset([p]).claims) == 2


def test_load_takes_one_path_as_well_as_a_list(tmp_path):
    """load("folder") and load(Path("file.yaml")) read that path, not its characters one by one."""
    import claimgraph
    from claimgraph.io import bundled_path

    folder = bundled_path()
    assert claimgraph.load(str(folder)).stats() == claimgraph.load([folder]).stats()
    assert claimgraph.load(folder).stats()["claims"] == claimgraph.load().stats()["claims"]
    f = tmp_path / "one.yaml"
    f.write_text(GOOD, encoding="utf-8")
    assert claimgraph.load_dataset(f).claims.keys() == claimgraph.load_dataset([f]).claims.keys()
