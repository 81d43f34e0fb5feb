"""Merging datasets: one node per entity, one claim per identical claim, disagreements kept side by side."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from claimgraph import DatasetError, audit, load, load_dataset
from claimgraph.cli import main
from claimgraph.queries import run_query

A = """\
sources:
  - {id: wire-1, title: Deal reported, publisher: Wire, tier: wire, published: 2026-01}
entities:
  - {id: nvidia, name: Nvidia, kind: Company, aliases: [英偉達, 英伟达]}
  - {id: xai, name: xAI, kind: Company}
claims:
  - id: nvidia-in-xai
    subject: nvidia
    predicate: INVESTS_IN
    object: xai
    qualifiers: {stake: 7%}
    status: reported
    evidence: [{source: wire-1}]
  - id: nvidia-competes-xai
    subject: nvidia
    predicate: COMPETES_WITH
    object: xai
    status: claimed
    evidence: [{source: wire-1}]
"""

# a second dataset by another analyst: other ids, Nvidia named by its Chinese alias
B = """\
sources:
  - {id: paper-9, title: Filing read, publisher: Newspaper, tier: press}
entities:
  - {id: nv, name: 英伟达, kind: Company}
  - {id: x-ai, name: XAI, kind: Company}
claims:
  - id: my-1
    subject: x-ai
    predicate: COMPETES_WITH
    object: nv
    status: claimed
    evidence: [{source: paper-9}]
  - id: my-2
    subject: nv
    predicate: INVESTS_IN
    object: x-ai
    qualifiers: {stake: "~0.9%"}
    status: claimed
    evidence: [{source: paper-9}]
"""


def write(folder, name, text):
    p = folder / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_entities_named_by_alias_become_one_node_and_the_merge_is_reported(tmp_path):
    a, b = write(tmp_path, "a.yaml", A), write(tmp_path, "b.yaml", B)
    land = load([a, b])
    assert set(land.entities) == {"nvidia", "xai"}
    assert "nv" in land.entities["nvidia"].aliases and "x-ai" in land.entities["xai"].aliases
    assert land.entity("nv").id == "nvidia"  # the merged id still finds the node
    merged = [n for n in land.notices if "merged into 'nvidia'" in n]
    assert merged and str(b) in merged[0] and str(a) in merged[0]
    # the other dataset's claims now hang on the one node
    assert {c.id for c in land.claims_of("nvidia")} >= {"nvidia-in-xai", "my-2"}


def test_identical_claim_is_one_claim_with_the_evidence_of_both(tmp_path):
    land = load([write(tmp_path, "a.yaml", A), write(tmp_path, "b.yaml", B)])
    # my-1 says xai competes with nvidia: the symmetric twin of nvidia-competes-xai
    assert "my-1" not in land.claims
    c = land.claims["nvidia-competes-xai"]
    assert c.source_ids == ["wire-1", "paper-9"]
    assert any("'my-1'" in n and "identically" in n for n in land.notices)


def test_disagreeing_claims_both_stay_and_the_audit_shows_them_side_by_side(tmp_path):
    land = load([write(tmp_path, "a.yaml", A), write(tmp_path, "b.yaml", B)])
    assert land.claims["nvidia-in-xai"].qualifiers["stake"].value == 7
    assert land.claims["my-2"].qualifiers["stake"].value == 0.9
    (finding,) = audit(land, codes=("numeric-conflict",))
    assert finding.claim_ids == ["my-2", "nvidia-in-xai"]
    assert "7%" in finding.message and "~0.9%" in finding.message


def test_same_id_other_content_keeps_both_under_distinct_ids(tmp_path):
    a = write(tmp_path, "a.yaml", A)
    b = write(tmp_path, "b.yaml", A.replace("qualifiers: {stake: 7%}\n    status: reported", "qualifiers: {stake: 2%}\n    status: confirmed"))
    land = load([a, b])
    assert land.claims["nvidia-in-xai"].qualifiers["stake"].value == 7
    second = land.claims["nvidia-in-xai-2"]
    assert second.qualifiers["stake"].value == 2 and second.status.value == "confirmed"
    (note,) = [n for n in land.notices if "nvidia-in-xai-2" in n]
    assert "qualifiers.stake" in note and "status" in note
    # the claim both files make identically (same id, same content) is still one
    assert land.claims["nvidia-competes-xai"].source_ids == ["wire-1"]
    assert len(land.claims) == 3
    assert [f.claim_ids for f in audit(land, codes=("numeric-conflict",))] == [["nvidia-in-xai", "nvidia-in-xai-2"]]


def test_status_disagreement_is_reported(tmp_path):
    a = write(tmp_path, "a.yaml", A)
    b = write(tmp_path, "b.yaml", A.replace("status: claimed", "status: refuted").replace("wire-1", "wire-2")
              .replace("publisher: Wire, tier: wire", "publisher: Wire, tier: wire"))
    land = load([a, b])
    assert land.claims["nvidia-competes-xai"].status.value == "claimed"
    assert land.claims["nvidia-competes-xai-2"].status.value == "refuted"
    assert any("another status" in n for n in land.notices)


def test_same_id_of_another_kind_is_an_error_naming_both_files(tmp_path):
    a = write(tmp_path, "a.yaml", A)
    b = write(tmp_path, "b.yaml", "entities:\n  - {id: xai, name: xAI chip, kind: Chip}\n")
    with pytest.raises(DatasetError) as info:
        load_dataset([a, b])
    (msg,) = [str(p) for p in info.value.problems]
    assert msg.startswith(f"{b}:2:37: entity 'xai' is a Chip here but a Company at {a}:5:5")


def test_duplicate_ids_within_one_file_remain_errors(tmp_path):
    bad = A.replace("  - {id: xai, name: xAI, kind: Company}", "  - {id: xai, name: xAI, kind: Company}\n  - {id: xai, name: X, kind: Company}")
    p = write(tmp_path, "bad.yaml", bad)
    with pytest.raises(DatasetError) as info:
        load_dataset([p])
    assert any(str(x).startswith(f"{p}:6:10: duplicate entity id 'xai' (first defined at {p}:5:5)") for x in info.value.problems)


def test_source_with_another_tier_is_an_error(tmp_path):
    a = write(tmp_path, "a.yaml", A)
    b = write(tmp_path, "b.yaml", "sources:\n  - {id: wire-1, title: Deal reported, publisher: Wire, tier: self-media}\n")
    with pytest.raises(DatasetError, match="source 'wire-1' is self-media here but wire at"):
        load_dataset([a, b])


def test_reference_by_name_resolves_and_is_reported(tmp_path):
    a = write(tmp_path, "a.yaml", A)
    b = write(tmp_path, "b.yaml", """\
        sources:
          - {id: s2, title: T, publisher: P, tier: press}
        claims:
          - {id: q1, subject: 英偉達, predicate: PARTNERS_WITH, object: XAI, status: claimed, evidence: [{source: s2}]}
        """)
    land = load([a, b])
    c = land.claims["q1"]
    assert (c.subject, c.object) == ("nvidia", "xai")
    assert any("'英偉達' resolved to entity 'nvidia'" in n for n in land.notices)


def test_validate_prints_the_merges_as_notes(tmp_path):
    a, b = write(tmp_path, "a.yaml", A), write(tmp_path, "b.yaml", B)
    result = CliRunner().invoke(main, ["validate", str(a), str(b)])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if line.startswith("note: ")]
    assert any("merged into 'nvidia'" in n for n in notes)
    assert result.output.splitlines()[-1].startswith("ok: 2 entities, 3 claims, 2 sources")


MY_ENTITIES = """\
id,name,kind,aliases
nv-corp,NVIDIA Corporation,Company,
x-ai,X.AI,Company,
"""
MY_SOURCES = """\
id,title,publisher,tier,published
my-filing,Cap table extract,Analyst notes,primary,2026-02
"""
MY_CLAIMS = """\
id,subject,predicate,object,q_stake,valid_from,stated_on,status,supported_by,contradicted_by
my-stake,nv-corp,INVESTS_IN,x-ai,15%,2026-01,2026-02,reported,my-filing,
my-copy,nv-corp,INVESTS_IN,x-ai,7%,2026-01,2026-02,disputed,,my-filing
"""


def test_bundled_landscape_merged_with_a_contradicting_dataset_keeps_both_sides(tmp_path, bundled):
    mine = tmp_path / "mine"
    mine.mkdir()
    for name, text in (("entities.csv", MY_ENTITIES), ("sources.csv", MY_SOURCES), ("claims.csv", MY_CLAIMS)):
        (mine / name).write_text(text, encoding="utf-8")
    land = load(["ai-chips", mine])
    # one Nvidia node and one xAI node
    assert len(land.entities) == len(bundled.entities)
    assert land.entity("nv-corp").id == "nvidia" and land.entity("x-ai").id == "xai"
    # the 7% claim both make is one claim with the evidence of both
    assert "my-copy" not in land.claims
    seven = land.claims["nvidia-invests-in-xai-stake-7pct"]
    assert seven.source_ids[-1] == "my-filing" and len(seven.evidence) == len(bundled.claims[seven.id].evidence) + 1
    # the bundled data is untouched by the merge (the session fixture is another load)
    assert "my-filing" not in bundled.claims[seven.id].source_ids
    # the disagreeing 15% stays beside the bundled 7% and the Series E figures (up to USD 2B at
    # about USD 230B: under 1%), and the audit shows them side by side
    assert land.claims["my-stake"].qualifiers["stake"].value == 15
    assert len(land.claims) == len(bundled.claims) + 1
    pairs = {tuple(f.claim_ids) for f in audit(land, codes=("numeric-conflict",))}
    assert ("my-stake", "nvidia-invests-in-xai-stake-7pct") in pairs
    implied = {tuple(f.claim_ids) for f in audit(land, codes=("implied-stake",))}
    assert ("my-stake", "nvidia-invests-in-xai-series-e") in implied
    # the contradictions query lists the pair side by side too
    rows = [r for r in run_query(land, "contradictions") if r.kind == "numeric-conflict"]
    assert any((r.claim_a, r.claim_b) == ("my-stake", "nvidia-invests-in-xai-series-e") and r.statuses == ["reported", "reported"]
               for r in rows)
    # and so does the CLI, from the bundled name and the CSV folder
    result = CliRunner().invoke(main, ["audit", "ai-chips", str(mine), "--code", "implied-stake", "--format", "json"])
    assert result.exit_code == 0, result.output
    import json

    found = json.loads(result.output)
    assert any(f["claim_ids"] == ["my-stake", "nvidia-invests-in-xai-series-e"] and "15%" in f["message"] for f in found)


import json  # noqa: E402

from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), claims=st.integers(1, 150), cut=st.floats(0, 1))
def test_merging_a_landscape_with_itself_or_its_halves_gives_it_back(tmp_path_factory, seed, claims, cut):
    """A dataset merged with a copy of itself is itself; split claims merge back whole."""
    from claimgraph.io import write_dataset as write
    from claimgraph.io.json_io import to_data
    from claimgraph.landscape import Landscape
    from claimgraph.synth import MIN_ENTITIES, generate

    base = tmp_path_factory.mktemp("m")
    land = generate(MIN_ENTITIES + 10, claims, seed)
    want = to_data(land)
    one, two = write(land, base / "one"), write(land, base / "two", format="csv")
    assert to_data(load([one, two])) == want
    ids = sorted(land.claims)
    k = int(len(ids) * cut)
    halves = []
    for name, part in (("a", ids[:k]), ("b", ids[k:])):
        sub = Landscape(land.entities, land.sources, {i: land.claims[i] for i in part}, land.rates)
        halves.append(write(sub, base / name))
    # claims that happen to say the same thing in both halves merge (by design): leave those out
    def same(c):
        d = c.to_data()
        ends = sorted((c.subject, c.object or "")) if land.vocabulary.predicates[c.predicate].symmetric else [c.subject, c.object]
        return json.dumps([ends, c.predicate, d.get("value"), d.get("qualifiers"), d["status"],
                           d.get("valid_from"), d.get("valid_until")], sort_keys=True)

    assume(not ({same(land.claims[i]) for i in ids[:k]} & {same(land.claims[i]) for i in ids[k:]}))
    merged = load(halves)
    assert to_data(merged) == want
