"""Hostile inputs through the real CLI: every file is rejected with exit 2 and one line per
problem that names where (``file:line:col`` or ``file.csv:row (column c)``), never a traceback;
or it is accepted (and rendered inert, see tests/test_injection_*.py).

The corpus lives in tests/hostile/ (small files, rebuilt by tests/hostile/make_corpus.py); files
that are big or not valid UTF-8 (deep nesting, latin-1, UTF-16, NUL bytes, 100 MB) are written
into a temporary folder here.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).parent
CORPUS = HERE / "hostile"
sys.path.insert(0, str(CORPUS))
import make_corpus  # noqa: E402

#: every CLI run is boxed: wall time and address space
TIME_BOX = 120.0
MEMORY_BOX = 3 * 1024**3

# case -> (where, in the first problem line, after the path; a fragment of its message)
# A "where" of "" means the problem is about the whole file (no line makes sense).
YAML = {
    "alias-bomb": ("6:5", "YAML aliases make this value of 597,871 items"),
    "attribute-nan": ("11:17", "finite number"),
    "attribute-nested": ("11:17", "must be text"),
    "bool-value": ("26:12", "cannot be true/false"),
    "complex-key": ("2:8", "mapping key must be plain text"),
    "confirmed-without-support": ("15:5", "confirmed claim needs at least one supporting source"),
    "date-impossible": ("5:16", "impossible date '2026-02-30'"),
    "date-inverted-validity": ("15:5", "valid_until 2026-04 is before valid_from 2026-05"),
    "date-month-13": ("5:16", "month 13 is not 1-12"),
    "date-words": ("5:16", "not a date: 'yesterday'"),
    "date-year-0": ("5:16", "year 0 is out of range"),
    "dup-id": ("11:9", "duplicate entity id 'acme'"),
    "dup-key": ("10:5", "duplicate key 'name'"),
    "huge-float": ("19:26", "not finite"),
    "huge-integer": ("19:34", "5000 digits is too large"),
    "id-backtick": ("11:9", "is not a slug"),
    "id-quote-brace": ("11:9", "is not a slug"),
    "id-rtl": ("11:9", "is not a slug"),
    "id-zero-width": ("11:9", "is not a slug"),
    "inf": ("19:26", "number inf is not finite"),
    "item-not-mapping": ("2:5", "must be a mapping"),
    "kind-backtick": ("10:11", "unknown kind 'Company`) DETACH DELETE n //'"),
    "kind-cypher-keyword": ("10:11", "unknown kind 'MATCH'"),
    "nan": ("19:26", "number nan is not finite"),
    "nan-bare-value": ("26:12", "has no unit"),
    "neg-inf-value": ("26:12", "number -inf is not finite"),
    "negative-amount": ("19:26", "is negative"),
    "negative-stake": ("19:25", "outside 0-100%"),
    "non-string-key": ("2:9", "Keys should be strings"),
    "predicate-backtick": ("17:16", "unknown predicate 'INVESTS_IN`]->() DETACH DELETE r //'"),
    "predicate-lowercase": ("17:16", "unknown predicate 'invests_in'"),
    "python-tag": ("1:10", "could not determine a constructor"),
    "section-not-list": ("1:10", "must be a list"),
    "self-reference": ("18:13", "relates 'acme' to itself"),
    "stake-over-100": ("19:25", "150% is outside 0-100%"),
    "stake-range-over-100": ("19:25", "outside 0-100%"),
    "status-upgrade-word": ("20:13", "unknown status"),
    "syntax-bad-indent": ("3:4", "YAML syntax error"),
    "syntax-tab": ("2:1", "YAML syntax error"),
    "syntax-unclosed-flow": ("3:1", "YAML syntax error"),
    "syntax-unclosed-quote": ("23:1", "YAML syntax error"),
    "too-large": ("19:26", "too large"),
    "top-level-list": ("1:1", "a dataset file is a mapping"),
    "top-level-scalar": ("1:1", "a dataset file is a mapping"),
    "unknown-ref": ("18:13", "unknown entity 'gamma'"),
    "unknown-section": ("23:1", "unknown section 'claimz'"),
    "url-with-space": ("6:10", "white space"),
    # generated at test time (big)
    "deep-flow-seq": ("", "nesting is too deep"),
    "deep-flow-map": ("", "nesting is too deep"),
    "deep-block": ("", "nesting is too deep"),
}
JSON = {
    "date-impossible": ("7:17", "impossible date"),
    "dup-key": ("14:20", "duplicate key 'name'"),
    "huge-exponent": ("30:14", "not finite"),
    "huge-integer": ("30:24", "5001 digits is too large"),
    "infinity-literal": ("30:14", "number inf is not finite"),
    "nan-literal": ("30:14", "number nan is not finite"),
    "stake-negative": ("30:14", "outside 0-100%"),
    "string-as-list": ("11:14", "entities must be a list"),
    "syntax-single-quotes": ("14:12", "JSON syntax error"),
    "syntax-trailing-comma": ("14:19", "JSON syntax error"),
    "syntax-truncated": ("20:4", "JSON syntax error"),
    "top-level-array": ("1:1", "a dataset file is a mapping"),
    "top-level-string": ("1:1", "a dataset file is a mapping"),
    # generated at test time (big)
    "deep-nesting": ("", "nesting is too deep"),
    "deep-objects": ("", "nesting is too deep"),
}
CSV = {
    "attributes-not-object": ("entities.csv:2 (column attributes)", "must be a JSON object"),
    "date-impossible": ("sources.csv:2 (column published)", "impossible date '2026-02-30'"),
    "date-partial-bad": ("sources.csv:2 (column published)", "month 0 is not 1-12"),
    "dup-header": ("entities.csv:1 (column name)", "appears twice"),
    "dup-id": ("entities.csv:3 (column id)", "duplicate entity id 'acme'"),
    "evidence-unknown-claim": ("evidence.csv:3 (column claim)", "unknown claim 'nope'"),
    "extra-cells": ("entities.csv:3", "8 cells but 6 columns"),
    "kind-backtick": ("entities.csv:2 (column kind)", "unknown kind"),
    "predicate-injection": ("claims.csv:2 (column predicate)", "unknown predicate"),
    "short-row": ("entities.csv:3", "missing field 'name'"),
    "stake-huge": ("claims.csv:2 (column q_stake)", "not finite"),
    "stake-json-nan": ("claims.csv:2 (column q_stake)", "number nan is not finite"),
    "stake-nan-text": ("claims.csv:2 (column q_stake)", "cannot read quantity 'nan%'"),
    "stake-negative": ("claims.csv:2 (column q_stake)", "-3% is outside 0-100%"),
    "stake-over-100": ("claims.csv:2 (column q_stake)", "101% is outside 0-100%"),
    "status-unknown": ("claims.csv:2 (column status)", "unknown status 'certain'"),
    "unclosed-quote": ("entities.csv:2", "missing field 'kind'"),
    "unknown-header": ("entities.csv:1 (column nots)", "did you mean 'notes'"),
    # generated at test time (big)
    "field-too-large": ("entities.csv:2", "field larger than field limit"),
    "attributes-deep-json": ("entities.csv:2 (column attributes)", ""),
}

BASE = (CORPUS / "base.yaml").read_text(encoding="utf-8")


def _encoded_cases() -> dict[str, tuple[str, bytes, str | None, str]]:
    """name -> (suffix, bytes, where or None when accepted, message fragment)."""
    import yaml

    latin = BASE.replace("Acme", "Acmé")
    doc = yaml.safe_load(BASE)
    doc["sources"][0]["published"] = "2026-01-05"
    import json

    js = json.dumps(doc, indent=1, ensure_ascii=False)
    return {
        "latin1.yaml": (".yaml", latin.encode("latin-1"), "10", "not UTF-8 text (byte 0xe9)"),
        "latin1.json": (".json", js.replace("Acme", "Acmé").encode("latin-1"), "14", "not UTF-8 text"),
        "utf16.yaml": (".yaml", BASE.encode("utf-16"), "1", "UTF-16"),
        "utf16-be-bom.json": (".json", js.encode("utf-16-be").join([b"\xfe\xff", b""]), "1", "UTF-16"),
        "nul.yaml": (".yaml", BASE.replace("Acme", "Ac\x00me").encode(), "", "NUL bytes"),
        "nul.json": (".json", js.replace("Acme", "Ac\\u0000me").encode().replace(b"\\u0000", b"\x00"), "", "NUL bytes"),
        "bad-utf8-sequence.yaml": (".yaml", BASE.encode().replace(b"Acme", b"Ac\xc3\x28me"), "10", "not UTF-8"),
        "bom.yaml": (".yaml", b"\xef\xbb\xbf" + BASE.encode(), None, "ok: 2 entities"),
        "bom.json": (".json", b"\xef\xbb\xbf" + js.encode(), None, "ok: 2 entities"),
    }


def _csv_encoded(root: Path) -> dict[str, tuple[Path, str | None, str]]:
    """CSV folders whose entities.csv is latin-1, UTF-16, has NUL bytes or a BOM."""
    from claimgraph import load
    from claimgraph.io.csv_io import write_csv

    out = {}
    for name, enc, where, frag in (
        ("latin1", "latin-1", "entities.csv:2", "not UTF-8"),
        ("utf16", "utf-16", "entities.csv", "UTF-8"),
        ("nul", "nul", "entities.csv", "NUL bytes"),
        ("bom", "utf-8-sig", None, "ok: 2 entities"),
    ):
        folder = root / f"csv-{name}"
        folder.mkdir()
        write_csv(load([CORPUS / "base.yaml"]), folder)
        ent = folder / "entities.csv"
        text = ent.read_text(encoding="utf-8").replace("Acme", "Acmé" if enc == "latin-1" else "Acme")
        if enc == "nul":
            ent.write_bytes(text.replace("Acme", "Ac\x00me").encode())
        else:
            ent.write_bytes(text.encode(enc))
        out[f"csv-{name}"] = (folder, where, frag)
    return out


@dataclass
class Run:
    path: Path
    rc: int
    out: str
    err: str
    seconds: float
    max_rss_kb: int


def _box() -> None:  # in the child: cap its address space
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BOX, MEMORY_BOX))


def run_cli(*args: str, timeout: float = TIME_BOX, cwd: Path | None = None, env: dict | None = None) -> Run:
    """``python -m claimgraph.cli ARGS`` in a boxed subprocess; its peak memory from wait4."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "claimgraph.cli", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, cwd=cwd, env={**os.environ, "COLUMNS": "200", **(env or {})}, preexec_fn=_box,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"claimgraph {' '.join(args)} did not finish within {timeout}s")
    rss = 0
    return Run(Path(args[-1]), proc.returncode, out, err, time.perf_counter() - t0, rss)


LINE_RE = re.compile(r"^(?P<path>.+?)(?::(?P<line>\d+)(?::(?P<col>\d+))?)?(?: \(column (?P<column>[^)]+)\))?: (?P<msg>.+)$")


def assert_clean_rejection(run: Run, where: str, fragment: str) -> None:
    """Exit 2, nothing on stdout, every stderr line ``path[:line[:col]][ (column c)]: message``
    naming this input, the first one at ``where`` and saying ``fragment``; no traceback."""
    path = str(run.path)
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err[-2000:]
    assert run.rc == 2, (run.rc, run.err[-2000:])
    assert run.out == ""
    lines = run.err.splitlines()
    assert 1 <= len(lines) <= 30, run.err[-2000:]
    for line in lines:
        m = LINE_RE.match(line)
        assert m and m["path"].startswith(path), f"not a located problem line: {line[:300]!r}"
        assert len(line) < 600, line[:300]
    first = lines[0]
    if not where:  # anywhere in the file (libyaml versions differ in whether they say where)
        expect = re.escape(path) + r"(:\d+(:\d+)?)?: "
    elif where[0].isdigit():
        expect = re.escape(f"{path}:{where}") + r"(:\d+)?(: | \()"
    elif where.startswith("("):  # a field path in a big JSON file
        expect = re.escape(f"{path} {where}: ")
    else:  # a file of a CSV folder
        expect = re.escape(f"{path}/{where}") + r"(: | \()"
    assert re.match(expect, first), f"expected {path} at {where!r}, got {first[:300]!r}"
    assert fragment in first, first[:300]


@pytest.fixture(scope="module")
def corpus_runs(tmp_path_factory) -> dict[str, Run]:
    """Every corpus case through ``claimgraph validate``, one per core at a time."""
    big = tmp_path_factory.mktemp("hostile-big")
    make_corpus.write_cases(big, big=True)
    enc = tmp_path_factory.mktemp("hostile-enc")
    targets: dict[str, Path] = {}
    for sub, ext, cases in (("yaml", ".yaml", YAML), ("json", ".json", JSON), ("csv", "", CSV)):
        for name in cases:
            committed = CORPUS / sub / f"{name}{ext}"
            targets[f"{sub}/{name}"] = committed if committed.exists() else big / sub / f"{name}{ext}"
    for name, (_suffix, data, _w, _f) in _encoded_cases().items():
        p = enc / name
        p.write_bytes(data)
        targets[f"enc/{name}"] = p
    for name, (folder, _w, _f) in _csv_encoded(enc).items():
        targets[f"enc/{name}"] = folder
    targets["accepted/payloads"] = CORPUS / "payloads.yaml"
    targets["accepted/base"] = CORPUS / "base.yaml"
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {key: pool.submit(run_cli, "validate", str(path)) for key, path in targets.items()}
        return {key: f.result() for key, f in futures.items()}


def test_corpus_is_complete():
    """Every committed case has an expectation (and the committed corpus is what make_corpus makes)."""
    committed = {f"yaml/{p.stem}" for p in (CORPUS / "yaml").iterdir()} | {
        f"json/{p.stem}" for p in (CORPUS / "json").iterdir()} | {f"csv/{p.name}" for p in (CORPUS / "csv").iterdir()}
    expected = {f"yaml/{k}" for k in YAML} | {f"json/{k}" for k in JSON} | {f"csv/{k}" for k in CSV}
    assert committed <= expected, committed - expected
    assert len(committed) >= 70
    for sub, ext in (("yaml", ".yaml"), ("json", ".json")):
        cases = make_corpus.yaml_cases() if sub == "yaml" else make_corpus.json_cases()
        for name, text in cases.items():
            p = CORPUS / sub / f"{name}{ext}"
            if p.exists():
                assert p.read_text(encoding="utf-8") == text, f"{p} is stale: run tests/hostile/make_corpus.py"


@pytest.mark.parametrize("name", sorted(YAML))
def test_hostile_yaml(corpus_runs, name):
    where, fragment = YAML[name]
    assert_clean_rejection(corpus_runs[f"yaml/{name}"], where, fragment)


@pytest.mark.parametrize("name", sorted(JSON))
def test_hostile_json(corpus_runs, name):
    where, fragment = JSON[name]
    assert_clean_rejection(corpus_runs[f"json/{name}"], where, fragment)


#: known bugs in files this suite does not own (reported; the test flips to a pass when fixed)
KNOWN_BUGS: dict[str, str] = {}


def _known(prefix: str, names) -> list:
    return [pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_BUGS[f"{prefix}/{n}"], strict=True))
            if f"{prefix}/{n}" in KNOWN_BUGS else n for n in sorted(names)]


@pytest.mark.parametrize("name", _known("csv", CSV))
def test_hostile_csv(corpus_runs, name):
    where, fragment = CSV[name]
    assert_clean_rejection(corpus_runs[f"csv/{name}"], where, fragment)


@pytest.mark.parametrize("name", sorted(_encoded_cases()))
def test_encodings(corpus_runs, name):
    _suffix, _data, where, fragment = _encoded_cases()[name]
    run = corpus_runs[f"enc/{name}"]
    if where is None:  # a UTF-8 byte-order mark is fine
        assert run.rc == 0, run.err
        assert fragment in run.out
    else:
        assert_clean_rejection(run, where, fragment)


@pytest.mark.parametrize("name,where,fragment", [
    ("csv-latin1", "entities.csv:2", "not UTF-8"),
    ("csv-utf16", "entities.csv", "UTF-8"),
    ("csv-nul", "entities.csv", "NUL bytes"),
    ("csv-bom", None, "ok: 2 entities"),
])
def test_csv_encodings(corpus_runs, name, where, fragment):
    run = corpus_runs[f"enc/{name}"]
    if where is None:
        assert run.rc == 0, run.err
        assert fragment in run.out
    else:
        assert_clean_rejection(run, where, fragment)


def test_payloads_are_accepted_verbatim(corpus_runs):
    """Names and texts full of markup, Cypher, quotes, right-to-left and zero-width characters
    are data, not errors: validate accepts them (the HTML and Cypher tests show them inert)."""
    run = corpus_runs["accepted/payloads"]
    assert run.rc == 0, run.err
    assert "ok: 3 entities, 3 claims, 2 sources" in run.out
    from claimgraph import load

    land = load([CORPUS / "payloads.yaml"])
    assert land.entities["beta"].name == "Beta` }) DETACH DELETE n // {{7*7}} ${7*7}"
    assert "\u202etfosorciM" in land.entities["beta"].aliases
    assert land.sources["src-js"].safe_url is None  # a javascript: url is never a link


# -- a 100 MB file ------------------------------------------------------------------------------
MB = 1024 * 1024


@pytest.mark.slow
def test_100mb_files(tmp_path):
    """100 MB inputs finish within the time box and under the memory box (3 GB address space)
    with a clean exit 2: a YAML landscape with a 100 MB text and one bad record after it
    (rejected at its line), 100 MB of one JSON array of 11M numbers (rejected; a few problems
    shown, not millions), and 100 MB of text with one NUL byte at the end (rejected at once)."""
    bad_yaml = tmp_path / "big.yaml"
    with bad_yaml.open("w", encoding="utf-8") as fh:
        fh.write("sources:\n  - {id: s, title: t, publisher: p, tier: wire}\n"
                 "entities:\n  - id: e1\n    name: E\n    kind: Company\n    notes: ")
        for _ in range(100):
            fh.write("a" * MB)
        fh.write("\n  - {id: bad, name: Bad, kind: Compan}\n")
    run = run_cli("validate", str(bad_yaml), timeout=240)
    assert_clean_rejection(run, "8:32", "unknown kind 'Compan'")

    numbers = tmp_path / "numbers.json"
    with numbers.open("w") as fh:
        fh.write('{"entities": [')
        row = ",".join(["12345678"] * 100_000)
        for _ in range(100 * MB // len(row)):
            fh.write(row + ",")
        fh.write("1]}")
    run = run_cli("validate", str(numbers), timeout=240)
    assert_clean_rejection(run, "(column entities.0)", "must be a mapping, not int")
    assert "more items under entities are not mappings" in run.err

    nul = tmp_path / "nul.yaml"
    with nul.open("wb") as fh:
        block = b"# comment line of a hundred bytes " + b"x" * 65 + b"\n"
        fh.write(block * (100 * MB // len(block)) + b"\x00")
    run = run_cli("validate", str(nul), timeout=60)
    assert_clean_rejection(run, "", "NUL bytes")
