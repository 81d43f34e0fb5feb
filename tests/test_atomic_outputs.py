"""Every file the CLI writes appears whole or not at all.

A ``claimgraph export`` (each format), ``html`` and ``generate`` is SIGKILLed the moment its
temporary output appears. Afterwards the output is either the old content, byte for byte, or
the complete new output (when the rename won the race), never a torn file. What may be left
behind is one hidden temporary named after the output (``.out.json.XXXX.tmp``): a killed
process cannot clean up, and the dot keeps it out of the way of globbing and listings.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from claimgraph.io import write_dataset as write
from claimgraph.synth import generate

from .test_hostile_inputs import run_cli

#: command name -> (extra arguments, output is a folder)
WRITERS = {
    "json": (["export", "--format", "json"], False),
    "graphml": (["export", "--format", "graphml"], False),
    "gexf": (["export", "--format", "gexf"], False),
    "nodelink": (["export", "--format", "nodelink"], False),
    "cypher": (["export", "--format", "cypher"], False),
    "csv": (["export", "--format", "csv"], True),
    "html": (["html"], False),
}
OLD = "old content, must survive\n"


@pytest.fixture(scope="module")
def landscape_dir(tmp_path_factory) -> Path:
    """A landscape big enough that writing it takes a while (some MB of output)."""
    folder = tmp_path_factory.mktemp("atomic") / "land"
    write(generate(entities=1000, claims=6000, seed=11), folder, "yaml")
    return folder


def _entries(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def kill_when_output_starts(args: list[str], folder: Path, known: set[str], timeout: float = 300) -> tuple[bool, float]:
    """Start ``claimgraph ARGS``; SIGKILL it as soon as a new entry appears in ``folder``.
    Returns (killed before it finished, seconds)."""
    proc = subprocess.Popen([sys.executable, "-m", "claimgraph.cli", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t0 = time.monotonic()
    try:
        while proc.poll() is None:
            if _entries(folder) - known:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return True, time.monotonic() - t0
            if time.monotonic() - t0 > timeout:
                proc.kill()
                pytest.fail(f"claimgraph {' '.join(args)} did not finish in {timeout}s")
            time.sleep(0.002)
        return False, time.monotonic() - t0
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def _snapshot(path: Path) -> dict[str, bytes] | bytes | None:
    if not path.exists():
        return None
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())}
    return path.read_bytes()


def _reference(name: str, landscape_dir: Path, root: Path):
    """The complete output of an uninterrupted run."""
    args, is_dir = WRITERS[name]
    ref = root / f"ref-{name}"
    ref.mkdir()
    ref_out = ref / ("out" if is_dir else f"out.{name}")
    done = run_cli(*args, str(landscape_dir), "-o", str(ref_out))
    assert done.rc == 0, done.err
    return _snapshot(ref_out)


def _check_one(name: str, landscape_dir: Path, root: Path, with_old: bool, complete) -> dict:
    args, is_dir = WRITERS[name]
    work = root / f"{name}-{'old' if with_old else 'none'}"
    work.mkdir()
    out = work / ("out" if is_dir else f"out.{name}")
    if with_old:
        if is_dir:
            out.mkdir()
            (out / "claims.csv").write_text(OLD)
        else:
            out.write_text(OLD)
    old = _snapshot(out)
    known = _entries(work)
    killed, seconds = kill_when_output_starts([*args, str(landscape_dir), "-o", str(out)], work, known)
    after = _snapshot(out)
    strays = sorted(_entries(work) - {out.name})
    return {"name": name, "with_old": with_old, "killed": killed, "old": old, "after": after,
            "complete": complete, "strays": strays, "out": out.name, "seconds": seconds}


@pytest.fixture(scope="module")
def kills(landscape_dir, tmp_path_factory) -> list[dict]:
    root = tmp_path_factory.mktemp("kills")
    jobs = [(n, w) for n in WRITERS for w in (True, False)]
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        refs = dict(zip(WRITERS, pool.map(lambda n: _reference(n, landscape_dir, root), WRITERS), strict=True))
        return list(pool.map(lambda job: _check_one(job[0], landscape_dir, root, job[1], refs[job[0]]), jobs))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(WRITERS))
def test_kill_9_leaves_old_output_or_complete_new(kills, name):
    for r in (r for r in kills if r["name"] == name):
        if r["after"] == r["complete"]:
            continue  # the rename came first: the new output, whole
        if r["with_old"]:
            assert r["after"] == r["old"], f"{name}: torn output after kill -9"
        else:
            assert r["after"] is None, f"{name}: a partial output appeared after kill -9"
        for stray in r["strays"]:  # only our own hidden temporaries
            assert stray.startswith(f".{r['out']}.") and stray.endswith((".tmp", ".old")), stray


@pytest.mark.slow
def test_kills_landed_mid_write(kills):
    """The kills happened while writing (a temporary was there), so the test above tested
    something: most runs must leave the old output and a temporary behind."""
    mid = [r for r in kills if r["killed"] and r["after"] != r["complete"]]
    assert len(mid) >= len(kills) // 2, [(r["name"], r["killed"], r["strays"]) for r in kills]


def test_outputs_get_ordinary_permissions(tmp_path, landscape_dir):
    """An atomically written file is readable like any other file the user makes (umask),
    not 0600 as the temporary file it started as; a replaced file keeps its mode."""
    out = tmp_path / "out.json"
    old_umask = os.umask(0o022)
    try:
        run = run_cli("export", str(Path(__file__).parent / "hostile" / "base.yaml"), "-o", str(out))
        assert run.rc == 0, run.err
        assert out.stat().st_mode & 0o777 == 0o644
        out.chmod(0o640)
        run = run_cli("export", str(Path(__file__).parent / "hostile" / "base.yaml"), "-o", str(out))
        assert run.rc == 0, run.err
        assert out.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old_umask)


def test_failed_write_leaves_nothing(tmp_path):
    """An export that fails (bad input) neither creates the output nor leaves a temporary."""
    out = tmp_path / "out.json"
    run = run_cli("export", str(Path(__file__).parent / "hostile" / "yaml" / "nan.yaml"), "-o", str(out))
    assert run.rc == 2
    assert list(tmp_path.iterdir()) == []
    out.write_text(OLD)
    run = run_cli("export", "--format", "json", str(Path(__file__).parent / "hostile" / "yaml" / "nan.yaml"),
                  "-o", str(out))
    assert run.rc == 2
    assert out.read_text() == OLD and list(tmp_path.iterdir()) == [out]
