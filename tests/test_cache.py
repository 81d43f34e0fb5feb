"""The validated cache: a second command on unchanged files reads the checked dataset back
instead of the files; an edit, another vocabulary or a damaged cache file means the files are
read again; and the answers are the same with and without it."""

from __future__ import annotations

import json
import logging

import pytest
from click.testing import CliRunner

from claimgraph.cli import main
from claimgraph.io import cache, load, load_dataset, write_dataset
from claimgraph.synth import generate
from claimgraph.vocabulary import default_vocabulary


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("CLAIMGRAPH_CACHE", str(d))
    monkeypatch.delenv("CLAIMGRAPH_NO_CACHE", raising=False)
    for k in cache.STATS:
        monkeypatch.setitem(cache.STATS, k, 0)
    return d


@pytest.fixture
def folder(tmp_path):
    return write_dataset(generate(40, 120, seed=3), tmp_path / "land", format="csv")


def run(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_second_command_on_unchanged_files_hits_the_cache(cache_dir, folder):
    first = run("query", "money", str(folder), "--format", "json")
    assert cache.STATS == {"hits": 0, "misses": 1, "writes": 1, "rejected": 0}
    assert len(list(cache_dir.iterdir())) == 1
    second = run("query", "money", str(folder), "--format", "json")
    assert cache.STATS["hits"] == 1 and cache.STATS["writes"] == 1
    assert second == first


def test_results_are_the_same_with_and_without_the_cache(cache_dir, folder):
    run("stats", str(folder))  # fills the cache
    for args in (("stats", "--format", "json"), ("audit", "--format", "json"),
                 ("show", next(iter(load(folder).entities)), "--format", "json"),
                 ("query", "contradictions", "--format", "json")):
        hits = cache.STATS["hits"]
        cached = run(*args, str(folder))
        assert cache.STATS["hits"] == hits + 1, args
        plain = run(*args, str(folder), "--no-cache")
        assert cache.STATS["hits"] == hits + 1, args  # --no-cache neither reads nor writes it
        assert cached == plain, args
    a, b = folder.parent / "a.json", folder.parent / "b.json"
    run("export", "--format", "json", "-o", str(a), str(folder))
    run("export", "--format", "json", "-o", str(b), str(folder), "--no-cache")
    assert a.read_bytes() == b.read_bytes()


def test_the_cached_dataset_equals_a_fresh_load(cache_dir, folder):
    fresh = load_dataset(folder)
    load_dataset(folder, cache=True)
    back = load_dataset(folder, cache=True)
    assert cache.STATS["hits"] == 1
    assert back.notices == fresh.notices and back.origins == fresh.origins and back.rates == fresh.rates
    for section in ("sources", "entities", "claims"):
        a, b = getattr(fresh, section), getattr(back, section)
        assert list(a) == list(b)
        for k in a:
            assert a[k] == b[k] and a[k].model_fields_set == b[k].model_fields_set, (section, k)
    # evidence given identically is one object, as a load shares it (memory)
    assert len({id(e) for c in back.claims.values() for e in c.evidence}) == \
        len({id(e) for c in fresh.claims.values() for e in c.evidence})


def test_an_edited_file_misses(cache_dir, folder):
    run("stats", str(folder))
    claims = folder / "claims.csv"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace(",confirmed,", ",claimed,", 1), encoding="utf-8")
    out = json.loads(run("stats", str(folder), "--format", "json"))
    assert cache.STATS["hits"] == 0 and cache.STATS["misses"] == 2
    assert out == load(folder).stats()


def test_a_bad_edit_is_reported_not_hidden_by_the_cache(cache_dir, folder):
    run("stats", str(folder))
    claims = folder / "claims.csv"
    lines = claims.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(lines[1].split(",")[2], "NO_SUCH_PREDICATE", 1)
    claims.write_text("".join(lines), encoding="utf-8")
    result = CliRunner().invoke(main, ["stats", str(folder)])
    assert result.exit_code == 2
    assert "claims.csv:2 (column predicate): unknown predicate 'NO_SUCH_PREDICATE'" in result.output


def test_another_vocabulary_misses(cache_dir, folder):
    vocab = default_vocabulary()
    load_dataset(folder, cache=True)
    other = type(vocab)(kinds={**vocab.kinds, "Lab": "a research lab"}, dimensions=vocab.dimensions,
                        qualifiers=vocab.qualifiers, predicates=vocab.predicates, version=vocab.version)
    load_dataset(folder, other, cache=True)
    assert cache.STATS["hits"] == 0 and cache.STATS["writes"] == 2
    load_dataset(folder, other, cache=True)
    assert cache.STATS["hits"] == 1


@pytest.mark.parametrize("damage", ["truncate", "flip", "header", "empty"])
def test_a_corrupt_cache_is_rebuilt_with_a_notice(cache_dir, folder, damage, caplog):
    expected = run("stats", str(folder), "--format", "json")
    (path,) = cache_dir.iterdir()
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        i = len(data) - 100
        path.write_bytes(data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:])
    elif damage == "header":
        path.write_bytes(b'{"format": "claimgraph-dataset-cache", "version": 999}\n' + data.split(b"\n", 1)[1])
    else:
        path.write_bytes(b"")
    with caplog.at_level(logging.WARNING, logger="claimgraph.cache"):
        out = run("stats", str(folder), "--format", "json")
    assert out == expected
    assert cache.STATS["rejected"] == 1 and cache.STATS["hits"] == 0
    assert any("ignored the cache" in r.getMessage() and "rebuilt" in r.getMessage() for r in caplog.records)
    run("stats", str(folder), "--format", "json")  # rebuilt: the next command hits it
    assert cache.STATS["hits"] == 1


def test_a_well_formed_cache_of_other_fields_is_not_trusted(cache_dir, folder):
    """A body that passes its hash but does not hold the models' fields is rebuilt, not used."""
    import hashlib

    run("stats", str(folder))
    (path,) = cache_dir.iterdir()
    head, body = path.read_bytes().split(b"\n", 1)
    doc = json.loads(body)
    doc["claims"][0][0]["surprise"] = 1
    body = json.dumps(doc).encode()
    h = json.loads(head) | {"length": len(body), "sha256": hashlib.sha256(body).hexdigest()}
    path.write_bytes(json.dumps(h).encode() + b"\n" + body)
    run("stats", str(folder))
    assert cache.STATS["rejected"] == 1 and cache.STATS["hits"] == 0


def test_no_cache_environment_turns_it_off(cache_dir, folder, monkeypatch):
    monkeypatch.setenv("CLAIMGRAPH_NO_CACHE", "1")
    run("stats", str(folder))
    run("stats", str(folder))
    assert cache.STATS == {"hits": 0, "misses": 0, "writes": 0, "rejected": 0}
    assert not cache_dir.exists()


def test_the_bundled_landscape_is_cached_in_the_cache_folder_not_the_package(cache_dir):
    import claimgraph

    run("stats")
    run("stats")
    assert cache.STATS["hits"] == 1
    (path,) = cache_dir.iterdir()
    assert path.suffix == ".json"
    from pathlib import Path

    pkg = Path(claimgraph.__file__).parent
    assert not any(p.suffix == ".json" and len(p.stem) == 64 for p in pkg.rglob("*.json"))


def test_the_library_does_not_cache_unless_asked(cache_dir, folder):
    load(folder)
    load_dataset(folder)
    assert cache.STATS["writes"] == 0 and not cache_dir.exists()
