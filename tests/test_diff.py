"""``claimgraph diff``: claims added, removed, changed, status upgrades/downgrades, sources added."""

from __future__ import annotations

import json
import textwrap

from click.testing import CliRunner

from claimgraph.changes import diff
from claimgraph.cli import main
from claimgraph.io import write_dataset as write
from tests.helpers import export

OLD = """\
sources:
  - {id: wire-1, title: Deal reported, publisher: Wire, tier: wire}
entities:
  - {id: nvidia, name: Nvidia, kind: Company}
  - {id: xai, name: xAI, kind: Company}
  - {id: tesla, name: Tesla, kind: Company}
claims:
  - {id: nv-xai, subject: nvidia, predicate: INVESTS_IN, object: xai, qualifiers: {stake: 7%}, status: reported, evidence: [{source: wire-1}]}
  - {id: nv-tesla, subject: nvidia, predicate: SUPPLIES, object: tesla, status: claimed, evidence: [{source: wire-1}]}
  - {id: gone, subject: tesla, predicate: COMPETES_WITH, object: nvidia, status: claimed, evidence: [{source: wire-1}]}
"""

NEW = """\
sources:
  - {id: wire-1, title: Deal reported, publisher: Wire, tier: wire}
  - {id: filing-1, title: Annual report, publisher: Nvidia, tier: primary}
entities:
  - {id: nvidia, name: Nvidia, kind: Company}
  - {id: xai, name: xAI, kind: Company}
  - {id: tesla, name: Tesla, kind: Company}
claims:
  - {id: nv-xai, subject: nvidia, predicate: INVESTS_IN, object: xai, qualifiers: {stake: "0.9%"}, status: disputed, evidence: [{source: wire-1}]}
  - {id: nv-tesla, subject: nvidia, predicate: SUPPLIES, object: tesla, status: confirmed, evidence: [{source: wire-1}, {source: filing-1}]}
  - {id: new-one, subject: tesla, predicate: PARTNERS_WITH, object: xai, status: reported, evidence: [{source: filing-1}]}
"""


def files(tmp_path):
    a, b = tmp_path / "old.yaml", tmp_path / "new.yaml"
    a.write_text(textwrap.dedent(OLD), encoding="utf-8")
    b.write_text(textwrap.dedent(NEW), encoding="utf-8")
    return a, b


def test_diff_reports_each_kind_of_change(tmp_path):
    a, b = files(tmp_path)
    d = diff(a, b)
    assert not d.equal
    assert d.claims_added == ["new-one"] and d.claims_removed == ["gone"]
    assert {c.id: c.fields for c in d.claims_changed} == {
        "nv-tesla": ["evidence", "status"], "nv-xai": ["qualifiers.stake", "status"]}
    assert [(s.id, s.old, s.new, s.direction) for s in d.status_changes] == [
        ("nv-tesla", "claimed", "confirmed", "upgrade"), ("nv-xai", "reported", "disputed", "downgrade")]
    assert d.sources_added == ["filing-1"]
    assert diff(a, a).equal


def test_cli_diff_exit_codes_and_json(tmp_path):
    a, b = files(tmp_path)
    runner = CliRunner()
    same = runner.invoke(main, ["diff", str(a), str(a)])
    assert same.exit_code == 0 and "no differences" in same.output
    table = runner.invoke(main, ["diff", str(a), str(b)], env={"COLUMNS": "200"})
    assert table.exit_code == 1
    assert "1 status upgrades, 1 status downgrades" in table.output
    assert "claimed -> confirmed" in table.output and "reported -> disputed" in table.output
    out = runner.invoke(main, ["diff", str(a), str(b), "--format", "json"])
    assert out.exit_code == 1
    data = json.loads(out.output)
    assert data["equal"] is False and data["sources_added"] == ["filing-1"]
    assert data["summary"]["status_upgrades"] == 1 and data["claims_added"] == ["new-one"]
    assert {c["id"]: c["new"] for c in data["status_changes"]} == {"nv-tesla": "confirmed", "nv-xai": "disputed"}


def test_same_landscape_in_other_formats_is_equal_and_a_bad_path_exits_2(tmp_path, bundled):
    csv_dir = export(bundled, "csv", tmp_path / "csv")
    yaml_dir = write(bundled, tmp_path / "yaml")
    js = export(bundled, "json", tmp_path / "b.json")
    runner = CliRunner()
    for a, b in ((csv_dir, yaml_dir), ("ai-chips", js)):
        result = runner.invoke(main, ["diff", str(a), str(b)])
        assert result.exit_code == 0, result.output
    bad = runner.invoke(main, ["diff", str(tmp_path / "nope"), str(js)])
    assert bad.exit_code == 2 and "no such file or folder" in bad.output


def test_renamed_claim_is_not_reported_as_removed_and_added(tmp_path):
    a, b = files(tmp_path)
    b.write_text(textwrap.dedent(OLD).replace("id: gone", "id: still-here"), encoding="utf-8")
    d = diff(a, b)
    assert d.claims_renamed == [("gone", "still-here")]
    assert d.claims_added == [] and d.claims_removed == []
