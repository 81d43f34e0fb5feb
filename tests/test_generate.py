"""The synthetic landscape generator: reproducible, varied, and valid when written and reloaded."""

from __future__ import annotations

import statistics

import pytest

import claimgraph
from claimgraph.errors import ClaimgraphError
from claimgraph.fileio import MARKER
from claimgraph.honesty import audit
from claimgraph.io import write_dataset as write
from claimgraph.io.json_io import to_data
from claimgraph.model import STATUS_ORDER, Effect, Quantity
from claimgraph.synth import MIN_ENTITIES, generate
from claimgraph.vocabulary import default_vocabulary


@pytest.fixture(scope="module")
def land():
    return generate(entities=80, claims=1500, seed=11)


def test_same_seed_same_landscape_other_seed_other(land):
    assert to_data(generate(80, 1500, seed=11)) == to_data(land)
    assert to_data(generate(80, 1500, seed=12)) != to_data(land)


def test_covers_every_kind_predicate_and_status(land):
    vocab = default_vocabulary()
    assert {e.kind for e in land.entities.values()} == set(vocab.kinds)
    assert {c.predicate for c in land.claims.values()} == set(vocab.predicates)
    assert {c.status for c in land.claims.values()} == set(STATUS_ORDER)
    for c in land.claims.values():
        pred = vocab.predicates[c.predicate]
        assert land.entities[c.subject].kind in pred.subject
        if pred.takes_value:
            assert c.object is None and c.value is not None
        else:
            assert land.entities[c.object].kind in pred.object and c.object != c.subject
        assert set(c.qualifiers) <= set(pred.qualifiers)
        assert set(pred.required) <= set(c.qualifiers)


def test_realistic_shape(land):
    claims = list(land.claims.values())
    # several sources per claim, some contradicting evidence
    assert max(len(c.source_ids) for c in claims) >= 3
    assert statistics.mean(len(c.source_ids) for c in claims) > 1.5
    assert any(e.effect is Effect.CONTRADICTS for c in claims for e in c.evidence)
    # heavy-tailed degrees: the busiest entity has many times the median's claims
    degrees = sorted(dict(land.graph.degree()).values())
    assert degrees[-1] >= 5 * max(1, statistics.median(degrees))
    # partial dates, validity periods, non-Latin aliases, ranges
    assert {c.stated_on.precision for c in claims if c.stated_on} == {"year", "month", "day"}
    assert any(c.valid_from and c.valid_until for c in claims)
    assert any(any(ord(ch) > 0x2000 for a in e.aliases for ch in a) for e in land.entities.values())
    assert any(isinstance(v, Quantity) and v.is_range for c in claims for v in c.qualifiers.values())
    assert land.rates


def test_conflicts_are_found_by_the_audit(land):
    conflicts = [f for f in audit(land, ("numeric-conflict",))]
    assert len(conflicts) >= 10
    # a conflict pairs claims on the same subject, predicate and object
    a, b = (land.claims[i] for i in conflicts[0].claim_ids)
    assert (a.subject, a.predicate, a.object) == (b.subject, b.predicate, b.object) or \
        (a.subject, a.object) == (b.object, b.subject)


def test_written_yaml_reloads_through_full_validation(land, tmp_path):
    out = write(land, tmp_path / "gen")
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "claims.yaml", "entities.yaml", "sources.yaml"]
    again = claimgraph.load([out])
    assert to_data(again) == to_data(land)
    # the same seed writes the same bytes
    out2 = write(generate(80, 1500, seed=11), tmp_path / "gen2")
    for name in ("claims.yaml", "entities.yaml", "sources.yaml"):
        assert (out / name).read_bytes() == (out2 / name).read_bytes()


def test_write_replaces_its_own_output_but_not_other_folders(tmp_path):
    small = generate(MIN_ENTITIES, 30, seed=1)
    out = write(small, tmp_path / "g")
    write(generate(MIN_ENTITIES, 40, seed=1), out)  # an earlier output is replaced whole
    assert len(claimgraph.load([out]).claims) == 40
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_text("precious")
    with pytest.raises(ClaimgraphError, match="a folder claimgraph did not write"):
        write(small, tmp_path / "mine")
    assert (tmp_path / "mine" / "thesis.docx").read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g", "mine"]  # no temp folder left


def test_too_few_entities_is_a_clear_error():
    with pytest.raises(ClaimgraphError, match=f"at least {MIN_ENTITIES}"):
        generate(entities=5, claims=10)


def test_cli_generate_same_seed_same_files_in_both_formats(tmp_path):
    from click.testing import CliRunner

    from claimgraph.cli import main

    runner = CliRunner()
    outs = []
    for name, fmt in (("a", "yaml"), ("b", "yaml"), ("c", "csv")):
        result = runner.invoke(main, ["generate", "--entities", "40", "--claims", "120", "--seed", "9",
                                      "-o", str(tmp_path / name), "--format", fmt])
        assert result.exit_code == 0, result.output
        assert "40 entities, 120 claims" in result.output
        outs.append(tmp_path / name)
    a, b, c = outs
    assert {p.name: p.read_bytes() for p in a.iterdir()} == {p.name: p.read_bytes() for p in b.iterdir()}
    assert sorted(p.name for p in c.iterdir()) == [MARKER, "claims.csv", "entities.csv", "evidence.csv", "rates.csv", "sources.csv"]
    assert to_data(claimgraph.load([a])) == to_data(claimgraph.load([c])) == to_data(generate(40, 120, seed=9))
    bad = runner.invoke(main, ["generate", "--entities", "3", "--claims", "5", "-o", str(tmp_path / "d")])
    assert bad.exit_code == 2 and f"at least {MIN_ENTITIES}" in bad.output
    assert not (tmp_path / "d").exists()
