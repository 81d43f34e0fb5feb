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
    "alias-bomb-value": ("26:250", "YAML aliases make this value of 597,871 items"),
    "unknown-section-case": ("14:1", "unknown section 'Claims' (did you mean 'claims'?)"),
    # generated at test time (big)
    "date-long-text": ("5:16", "not a date: 'xxxxxxxx"),
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
    "dup-key-del": ("14:21", "duplicate key 'name' (first at line 14)"),
    "dup-key-c1": ("14:21", "duplicate key 'name' (first at line 14)"),
    "unknown-section-del": ("23:2", "unknown section 'Claims' (did you mean 'claims'?)"),
    "unknown-section": ("23:2", "unknown section 'Claims' (did you mean 'claims'?)"),
    "lone-surrogate": ("14:12", "half of a surrogate pair"),
    # generated at test time (big)
    "dup-key-big": ("(column entities.0.name)", "duplicate key 'name'"),
    "unknown-section-big": ("(column Claims)", "unknown section 'Claims'"),
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
    targets["accepted/emoji"] = CORPUS / "emoji.json"
    entries = tmp_path_factory.mktemp("hostile-entries")
    for name, (build, _w, _f) in ENTRIES.items():
        targets[f"entries/{name}"] = build(entries / name)
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


def test_emoji_json_from_json_dumps_is_accepted(corpus_runs):
    """``json.dumps`` writes an emoji as a surrogate pair (``\ud83d\ude00``): valid JSON, which
    the YAML reader used for small files called a syntax error."""
    run = corpus_runs["accepted/emoji"]
    assert run.rc == 0, run.err
    assert "ok: 2 entities, 1 claims, 1 sources" in run.out
    from claimgraph import load

    assert load([CORPUS / "emoji.json"]).entities["acme"].name == "Acme \U0001F600"


# -- what a dataset folder or zip holds: every entry is read or named in a problem ----------------
def _base_folder(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "base.yaml").write_text(BASE, encoding="utf-8")
    return folder


def _csv_folder(folder: Path) -> Path:
    from claimgraph import load
    from claimgraph.io.csv_io import write_csv

    folder.mkdir(parents=True)
    write_csv(load([CORPUS / "base.yaml"]), folder)
    return folder


def _with(build, edit):
    def make(path: Path) -> Path:
        out = build(path)
        edit(out)
        return out
    return make


def _zip(members: list[tuple[str, bytes | str | None]], method: int = 8):
    """A zip of the base landscape's CSV files: each member's data is bytes, the name of a file
    of the CSV folder (a copy), or None (the file of the member's own name)."""
    def make(path: Path) -> Path:
        import warnings
        import zipfile

        src = _csv_folder(path.with_name(path.name + "-src"))
        files = {p.name: p.read_bytes() for p in src.iterdir()}
        out = path.with_suffix(".zip")
        with warnings.catch_warnings(), zipfile.ZipFile(out, "w", method) as zf:
            warnings.simplefilter("ignore")  # "Duplicate name": on purpose
            for name, data in members:
                zf.writestr(name, files[name] if data is None else files[data] if isinstance(data, str) else data)
        return out
    return make


_CSV_MEMBERS = [(n, None) for n in ("sources.csv", "entities.csv", "claims.csv", "evidence.csv")]


def _zip_bomb(path: Path) -> Path:
    """20 MB of CSV rows that deflate to about 20 KB (a ratio of 1000)."""
    row = b"e1,Acme,Company,,,\n"
    return _zip([("sources.csv", None), ("entities.csv", b"id,name,kind,aliases,attributes,notes\n" + row * (20 * 1024 * 1024 // len(row))),
                 ("claims.csv", None), ("evidence.csv", None)])(path)


def _zip_corrupt(path: Path) -> Path:
    """The deflate data of the first member garbled (headers intact): zlib.error, an internal
    error before."""
    import zipfile

    out = _zip(_CSV_MEMBERS)(path)
    with zipfile.ZipFile(out) as zf:
        info = zf.infolist()[0]
    start = info.header_offset + 30 + len(info.filename.encode())
    data = bytearray(out.read_bytes())
    for i in range(start + 2, start + info.compress_size - 2):
        data[i] ^= 0x5A
    out.write_bytes(bytes(data))
    return out


def _zip_truncated(path: Path) -> Path:
    out = _zip(_CSV_MEMBERS)(path)
    out.write_bytes(out.read_bytes()[: out.stat().st_size // 2])
    return out


def _zip_method(path: Path) -> Path:
    """A member stored with a compression method Python cannot read (97, WavPack)."""
    import struct

    out = _zip(_CSV_MEMBERS, method=0)(path)
    data = bytearray(out.read_bytes())
    for sig, at in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        i = data.find(sig)
        data[i + at:i + at + 2] = struct.pack("<H", 97)
    out.write_bytes(bytes(data))
    return out


def _zip_link(path: Path) -> Path:
    import zipfile

    out = _zip(_CSV_MEMBERS)(path)
    with zipfile.ZipFile(out, "a") as zf:
        info = zipfile.ZipInfo("rates.csv")
        info.external_attr = (0o120777 << 16)
        zf.writestr(info, "/etc/passwd")
    return out


def _link(name: str, target: str):
    return lambda folder: os.symlink(target, folder / name)


#: name -> (build(path) -> the PATH to validate, where (in the first line), message fragment):
#: entries that were dropped in silence (exit 0), or read but with one file of two kept
ENTRIES = {
    "dangling-link": (_with(_base_folder, _link("more.yaml", "/nonexistent/claims.yaml")), "more.yaml",
                      "broken symbolic link (to /nonexistent/claims.yaml)"),
    "link-loop": (_with(_base_folder, _link("loop.yaml", "loop.yaml")), "loop.yaml", "symbolic link loop"),
    "link-cycle": (_with(_with(_base_folder, _link("a.yaml", "b.yaml")), _link("b.yaml", "a.yaml")), "a.yaml",
                   "symbolic link loop"),
    "subfolder": (_with(_base_folder, lambda f: _base_folder(f / "more")), "more", "a folder inside a dataset folder"),
    "other-file": (_with(_base_folder, lambda f: (f / "claims.yaml.bak").write_text(BASE)), "claims.yaml.bak",
                   "not a dataset file"),
    "fifo": (_with(_base_folder, lambda f: os.mkfifo(f / "pipe.yaml")), "pipe.yaml", "is a FIFO"),
    "dev-zero-in-folder": (_with(_base_folder, _link("zero.yaml", "/dev/zero")), "zero.yaml", "is a character device"),
    "dev-zero-named-yaml": (lambda p: (p.parent.mkdir(exist_ok=True), os.symlink("/dev/zero", p.with_suffix(".yaml")),
                                       p.with_suffix(".yaml"))[-1], "", "is a character device"),
    "case-yaml": (_with(_base_folder, lambda f: (f / "BASE.yaml").write_text(BASE)), "",
                  "'BASE.yaml' and 'base.yaml' differ only in case"),
    "case-csv": (_with(_csv_folder, lambda f: (f / "CLAIMS.csv").write_text((f / "claims.csv").read_text())), "",
                 "'CLAIMS.csv' and 'claims.csv' differ only in case"),
    "csv-dangling-link": (_with(_csv_folder, _link("rates.csv", "/nonexistent/rates.csv")), "rates.csv",
                          "broken symbolic link"),
    "csv-other-file": (_with(_csv_folder, lambda f: (f / "notes.txt").write_text("x")), "notes.txt",
                       "not a dataset file"),
    "zip-case": (_zip([*_CSV_MEMBERS, ("CLAIMS.csv", "claims.csv")]), "", "'CLAIMS.csv' and 'claims.csv' differ only in case"),
    "zip-duplicate": (_zip([*_CSV_MEMBERS, ("claims.csv", "claims.csv")]), "", "'claims.csv' is in it 2 times"),
    "zip-other-member": (_zip([*_CSV_MEMBERS, ("notes.txt", b"x")]), "notes.txt", "not a CSV dataset file"),
    "zip-yaml-member": (_zip([*_CSV_MEMBERS, ("more.yaml", BASE.encode())]), "more.yaml", "not a CSV dataset file"),
    "zip-bomb": (_zip_bomb, "entities.csv", "inflates"),
    "zip-corrupt": (_zip_corrupt, "sources.csv", "cannot read it from the zip"),
    "zip-truncated": (_zip_truncated, "", "not a readable zip file"),
    "zip-unsupported-method": (_zip_method, "sources.csv", "compression method"),
    "zip-link-member": (_zip_link, "rates.csv", "is a symbolic link inside the zip"),
}


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_every_entry_is_read_or_named(corpus_runs, name):
    _build, where, fragment = ENTRIES[name]
    assert_clean_rejection(corpus_runs[f"entries/{name}"], where, fragment)


# -- limits, set small by their environment variables --------------------------------------------
def _alias_landscape(n_aliases: int) -> str:
    """A valid landscape whose claims share one list of 40 pieces of evidence through YAML
    aliases (the aliases add about ten times what the file holds)."""
    evidence = "".join(f"      - {{source: src-a, paraphrase: 'p{i}'}}\n" for i in range(40))
    lines = BASE.replace("    evidence:\n      - {source: src-a}\n", "    evidence: &ev\n" + evidence)
    extra = "".join(f"  - id: c{i}\n    subject: acme\n    predicate: HAS_CADENCE\n    value: '{i + 1} months'\n"
                    f"    status: reported\n    evidence: *ev\n" for i in range(n_aliases))
    return lines + extra


@pytest.mark.parametrize("case", ["yaml-over-size", "json-over-size", "csv-long-line", "zip-member-over-size",
                                  "alias-limit"])
def test_limits_are_clean_errors(tmp_path, case):
    """Each limit of claimgraph/io/files.py, set small: one clean line naming the file and the
    variable that raises it (a 1 GB line, a 600 MB zip member, an alias bomb, at full size)."""
    if case == "yaml-over-size":  # one line of 2 MB
        path = tmp_path / "line.yaml"
        path.write_text("sources: [" + "x, " * 700_000 + "]\n")
        env, where, fragment = {"CLAIMGRAPH_MAX_INPUT_MB": "1"}, "", "more than the limit of 1.0 MiB"
    elif case == "json-over-size":
        path = tmp_path / "line.json"
        path.write_text('{"sources": [' + "1, " * 700_000 + "1]}")
        env, where, fragment = {"CLAIMGRAPH_MAX_INPUT_MB": "1"}, "", "CLAIMGRAPH_MAX_INPUT_MB"
    elif case == "csv-long-line":
        path = _csv_folder(tmp_path / "csv")
        with (path / "entities.csv").open("a") as fh:
            fh.write("e9,Long," + "x" * 1_000_000 + "\n")
        env, where, fragment = {"CLAIMGRAPH_MAX_LINE_MB": "0.25"}, "entities.csv:4", "line 4 is longer than 256 KiB"
    elif case == "zip-member-over-size":
        import random

        rng = random.Random(1)
        rows = "".join(f"e{i},{rng.getrandbits(64):x},Company,,,\n" for i in range(80_000))
        path = _zip([("sources.csv", None), ("entities.csv", ("id,name,kind,aliases,attributes,notes\n" + rows).encode()),
                     ("claims.csv", None)])(tmp_path / "big")
        env, where, fragment = {"CLAIMGRAPH_MAX_INPUT_MB": "1"}, "entities.csv", "unzipped, more than the limit of 1.0 MiB"
    else:
        path = tmp_path / "aliases.yaml"
        path.write_text(_alias_landscape(60))
        ok = run_cli("validate", str(path))
        assert ok.rc == 0, ok.err  # the default allows ordinary aliases
        env, where, fragment = {"CLAIMGRAPH_MAX_ALIAS_EXPANSION": "20"}, "", "CLAIMGRAPH_MAX_ALIAS_EXPANSION"
    run = run_cli("validate", str(path), env=env)
    assert_clean_rejection(run, where, fragment)
    bad = run_cli("validate", str(path), env={k: "lots" for k in env})
    assert bad.rc == 2 and bad.err.count("\n") == 1 and "is not a number" in bad.err, bad.err


# -- dataset text on a terminal --------------------------------------------------------------------
TERMINAL_PAYLOADS = {
    "clipboard": "\x1b]52;c;cHduZWQ=\x07",  # OSC 52: set the clipboard
    "title": "\x1b]0;pwned\x07",            # OSC 0: the window title
    "clear": "\x1b[2J\x1b[H",                # clear the screen, cursor home
    "c1-csi": "\x9b31m",                     # an 8-bit CSI
    "del": "\x7f",
    "cr": "\roverwritten",
}
#: what is left of the output once rich's own styling (SGR sequences) is taken out must hold no
#: control character but the pty's line ends
_SGR = re.compile(r"\x1b\[[0-9;]*m")
_RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _terminal_dataset(folder: Path) -> Path:
    import yaml

    doc = yaml.safe_load(BASE)
    doc["entities"][0]["name"] = "Acme" + "".join(TERMINAL_PAYLOADS.values())
    doc["entities"][0]["aliases"] = list(TERMINAL_PAYLOADS.values())
    doc["claims"][0]["notes"] = "note" + TERMINAL_PAYLOADS["clear"]
    doc["sources"][0]["title"] = "A report" + TERMINAL_PAYLOADS["title"]
    path = folder / "terminal.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def run_on_terminal(*args: str) -> tuple[int, str]:
    """``claimgraph ARGS`` with stdout and stderr on a pseudo-terminal (as a user runs it)."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "claimgraph.cli", *args], stdin=slave, stdout=slave,
                            stderr=slave, env={**os.environ, "COLUMNS": "200"}, preexec_fn=_box)
    os.close(slave)
    out = b""
    deadline = time.monotonic() + TIME_BOX
    while time.monotonic() < deadline:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    proc.wait(timeout=30)
    return proc.returncode, out.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def terminal_dataset(tmp_path_factory) -> Path:
    return _terminal_dataset(tmp_path_factory.mktemp("terminal"))


@pytest.mark.parametrize("args", [
    ["show", "acme"], ["show", "acme", "--format", "json"], ["query", "claims", "acme"],
    ["query", "claims", "acme", "--format", "csv"], ["query", "claims", "acme", "--format", "json"],
], ids=lambda a: "-".join(a))
def test_control_characters_never_reach_the_terminal_raw(terminal_dataset, args):
    rc, out = run_on_terminal(*args, str(terminal_dataset))
    assert rc == 0, out[-2000:]
    shown = _SGR.sub("", out).replace("\r\n", "\n")
    assert not _RAW_CONTROL.findall(shown), [m for m in _RAW_CONTROL.findall(shown)][:5]
    if args[0] in ("show", "query") and "json" not in args:
        assert "\\x1b]52;c;cHduZWQ=\\x07" in shown  # shown, escaped
    if "json" in args:
        assert "\\u001b]52;c;cHduZWQ=\\u0007" in shown and "\\u009b31m" in shown


def test_a_file_name_with_control_characters_is_shown_escaped(tmp_path):
    bad = tmp_path / "evil\x1b]0;pwned\x07.yaml"
    bad.write_text(BASE.replace("object: beta", "object: gamma"), encoding="utf-8")
    rc, out = run_on_terminal("validate", str(bad))
    assert rc == 2
    shown = out.replace("\r\n", "\n")
    assert not _RAW_CONTROL.findall(shown), out
    assert "evil\\x1b]0;pwned\\x07.yaml:19:13: unknown entity 'gamma'" in shown


def test_csv_and_json_stay_exact_in_a_pipe(terminal_dataset):
    """Escaping is for terminals: piped, CSV cells and JSON strings are the dataset's text."""
    import csv
    import io
    import json

    name = "Acme" + "".join(TERMINAL_PAYLOADS.values())

    def piped(*args: str) -> str:  # bytes as written (text mode would turn the CR into a newline)
        done = subprocess.run([sys.executable, "-m", "claimgraph.cli", *args, str(terminal_dataset)],
                              capture_output=True, timeout=TIME_BOX, preexec_fn=_box)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout.decode("utf-8")

    rows = list(csv.DictReader(io.StringIO(piped("query", "claims", "acme", "--format", "csv"), newline="")))
    assert rows[0]["subject_name"] == name
    out = piped("show", "acme", "--format", "json")
    assert json.loads(out)["entity"]["name"] == name
    assert "\x7f" not in out and "\x9b" not in out  # written as \u escapes: the same JSON


# -- suggestions: an index, not a scan ------------------------------------------------------------
def test_suggestions_look_at_a_bounded_number_of_candidates(monkeypatch):
    """"Did you mean" compared every bad reference with every id (difflib): 20,000 claims
    naming renamed entities took 568 CPU s. The index scores a bounded number of candidates
    per word, whatever the number of ids (counted, not timed: times are for benchmarks/)."""
    from claimgraph import suggest

    calls = []
    real = suggest.SequenceMatcher

    def counting(*a, **kw):
        calls.append(1)
        return real(*a, **kw)

    monkeypatch.setattr(suggest, "SequenceMatcher", counting)
    ids = [f"entity-{i:05d}-renamed" for i in range(20_000)] + ["nvidia", "tesla", "samsung-foundry"]
    s = suggest.Suggester(ids)
    words = [f"entity-{i:05d}" for i in range(0, 20_000, 97)]
    hints = [s.best(w) for w in words]
    assert all(h == f"{w}-renamed" for h, w in zip(hints, words, strict=True))
    assert len(calls) <= len(words) * suggest._SCORED
    assert s.best("nvdia") == "nvidia" and s.best("samsung foundry") == "samsung-foundry"
    assert s.best("qualcomm") is None


# -- plot: dataset text is not mathtext ------------------------------------------------------------
def test_plot_draws_dollar_signs_as_text(tmp_path):
    """A name such as ``$\\frac{$ Inc`` (two dollars: mathtext) made matplotlib's parser raise
    (internal error)."""
    src = tmp_path / "dollars.yaml"
    src.write_text(BASE.replace("name: Acme", "name: '$\\frac{$ Inc'").replace("name: Beta Corp", "name: 'US$ 5 and $x^$'"),
                   encoding="utf-8")
    for out in (tmp_path / "d.png", tmp_path / "d.svg"):
        run = run_cli("plot", str(src), "-o", str(out), "--title", "USD $2B $\\frac{$")
        assert run.rc == 0 and "internal error" not in run.err, run.err
        assert out.stat().st_size > 1000


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
