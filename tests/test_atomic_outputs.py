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
import stat
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from claimgraph.fileio import MARKER
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
        if is_dir:  # an earlier output of claimgraph's (it carries the marker)
            out.mkdir()
            (out / "claims.csv").write_text(OLD)
            (out / MARKER).write_text(OLD)
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



# -- nothing of the user's is overwritten --------------------------------------------------------
BASE_YAML = Path(__file__).parent / "hostile" / "base.yaml"


def _tree(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder`` (hidden ones too): file bytes, or what else it is."""
    out: dict[str, bytes | str] = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        if p.is_symlink():
            out[rel] = f"link to {os.readlink(p)}"
        elif p.is_dir():
            out[rel] = "folder"
        elif p.is_file():
            out[rel] = p.read_bytes()
        else:
            out[rel] = f"mode {p.stat().st_mode:o}"
    return out


def one_line(run, fragment: str) -> None:
    """Exit 2 and exactly one ``error:`` line saying ``fragment``; no traceback, nothing on stdout."""
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err[-2000:]
    assert run.rc == 2, (run.rc, run.err[-2000:])
    lines = run.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), run.err[-2000:]
    assert fragment in lines[0], lines[0]
    assert run.out == ""


#: every writing command, as it writes one file: (arguments before the inputs, output suffix)
FILE_WRITERS = {
    "export-json": (["export", "--format", "json"], ".json"),
    "export-yaml": (["export", "--format", "yaml"], ".yaml"),
    "export-graphml": (["export", "--format", "graphml"], ".graphml"),
    "export-cypher": (["export", "--format", "cypher"], ".cypher"),
    "html": (["html"], ".html"),
    "report": (["report"], ".html"),
    "plot": (["plot"], ".png"),
}


@pytest.mark.parametrize("name", [n for n in FILE_WRITERS if n != "plot"])  # plot takes .png/.svg only
def test_never_writes_onto_its_own_input(tmp_path, name):
    """``claimgraph html mine.yaml -o mine.yaml`` replaced the dataset with a web page."""
    args, _suffix = FILE_WRITERS[name]
    src = tmp_path / "mine.yaml"
    src.write_text(BASE_YAML.read_text())
    os.link(src, tmp_path / "hardlink.yaml")
    os.symlink(src, tmp_path / "symlink.yaml")
    before = _tree(tmp_path)
    for target in ("mine.yaml", "hardlink.yaml", "symlink.yaml"):
        one_line(run_cli(*args, str(src), "-o", str(tmp_path / target)), "is an input of this command")
    assert _tree(tmp_path) == before


def test_force_writes_onto_an_input(tmp_path):
    """--force: the user means it (the input was read whole before the output is written)."""
    from claimgraph import load

    src = tmp_path / "mine.yaml"
    src.write_text(BASE_YAML.read_text())
    run = run_cli("export", "--format", "yaml", str(src), "-o", str(src), "--force")
    assert run.rc == 0, run.err
    assert load([src]).stats() == load([BASE_YAML]).stats() and src.read_text() != BASE_YAML.read_text()


def test_a_folder_is_never_exported_onto_itself(tmp_path):
    """A YAML folder exported as CSV onto itself was swapped for the CSV folder; a folder that
    holds an input is refused as well."""
    src = tmp_path / "land"
    src.mkdir()
    (src / "claims.yaml").write_text(BASE_YAML.read_text())
    before = _tree(tmp_path)
    one_line(run_cli("export", "--format", "csv", str(src), "-o", str(src)), "is an input of this command")
    one_line(run_cli("export", "--format", "csv", str(src / "claims.yaml"), "-o", str(src)),
             "holds an input of this command")
    one_line(run_cli("generate", "-o", str(src)), "a folder claimgraph did not write")
    assert _tree(tmp_path) == before
    # a folder claimgraph wrote, given as input: refused too
    gen = tmp_path / "gen"
    assert run_cli("generate", "--entities", "40", "--claims", "50", "-o", str(gen)).rc == 0
    before = _tree(gen)
    one_line(run_cli("export", "--format", "csv", str(gen), "-o", str(gen)), "is an input of this command")
    assert _tree(gen) == before


def test_generate_never_replaces_a_folder_it_did_not_write(tmp_path):
    """``generate -o my-landscape/`` deleted a hand-written folder (its files had the names
    claimgraph writes). Now: only a folder with claimgraph's marker and none of the user's files."""
    mine = tmp_path / "my-landscape"
    mine.mkdir()
    (mine / "claims.yaml").write_text("# my own claims\n")
    before = _tree(mine)
    one_line(run_cli("generate", "-o", str(mine)), "a folder claimgraph did not write")
    one_line(run_cli("export", "--format", "csv", "-o", str(mine)), "a folder claimgraph did not write")
    assert _tree(mine) == before
    # its own output is replaced whole, and carries the marker
    out = tmp_path / "gen"
    for seed in ("1", "2"):
        run = run_cli("generate", "--entities", "40", "--claims", "50", "--seed", seed, "-o", str(out))
        assert run.rc == 0, run.err
    assert (out / MARKER).is_file()
    # ... but not once the user has put a file of their own in it
    (out / "notes.txt").write_text("mine")
    before = _tree(out)
    one_line(run_cli("generate", "-o", str(out)), "holds files claimgraph did not write (notes.txt)")
    assert _tree(out) == before
    # --force: the user means it
    run = run_cli("generate", "--entities", "40", "--claims", "50", "-o", str(mine), "--force")
    assert run.rc == 0, run.err
    assert (mine / MARKER).is_file() and "# my own claims" not in (mine / "claims.yaml").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gen", "my-landscape"]  # no temporaries


@pytest.mark.parametrize("name", sorted(FILE_WRITERS))
def test_a_folder_is_not_a_file_name(tmp_path, name):
    """``-o`` onto a folder: one line (it was an internal error, IsADirectoryError)."""
    args, suffix = FILE_WRITERS[name]
    folder = tmp_path / f"out{suffix}"
    folder.mkdir()
    (folder / "keep.txt").write_text("keep")
    one_line(run_cli(*args, str(BASE_YAML), "-o", str(folder)), "is a folder: give a file name")
    assert _tree(tmp_path) == {f"out{suffix}": "folder", f"out{suffix}/keep.txt": b"keep"}
    file_out = tmp_path / "file"
    file_out.write_text("keep")
    for folder_cmd in (["generate"], ["export", "--format", "csv", str(BASE_YAML)]):
        one_line(run_cli(*folder_cmd, "-o", str(file_out)), "is a file: give a folder")
    assert file_out.read_text() == "keep"


def test_devices_and_fifos_are_not_replaced(tmp_path):
    """As root, ``export -o`` onto a device node replaced the node with a regular file."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    one_line(run_cli("export", "-o", str(fifo)), "is a FIFO (named pipe), not a regular file")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root: the FIFO above stands for it")
    dev = tmp_path / "null.json"
    os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # like /dev/null
    one_line(run_cli("export", "-o", str(dev)), "is a character device, not a regular file")
    assert stat.S_ISCHR(dev.lstat().st_mode)
    run = run_cli("export", "-o", str(dev), "--force")  # --force writes into it, never replaces it
    assert run.rc == 0, run.err
    assert stat.S_ISCHR(dev.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null.json", "pipe.json"]


def test_a_link_to_a_file_is_followed(tmp_path):
    """The file a link names is replaced; the link stays a link."""
    real = tmp_path / "real.json"
    real.write_text(OLD)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    run = run_cli("export", str(BASE_YAML), "-o", str(link))
    assert run.rc == 0, run.err
    assert link.is_symlink() and real.read_text().startswith("{")


def test_api_refuses_its_own_input_unless_forced(tmp_path):
    from claimgraph import api
    from claimgraph.errors import ClaimgraphError

    src = tmp_path / "mine.yaml"
    src.write_text(BASE_YAML.read_text())
    with pytest.raises(ClaimgraphError, match="is an input of this command"):
        api.html(src, src)
    assert src.read_text() == BASE_YAML.read_text()
    api.export(src, "yaml", src, force=True)
    assert api.load(src).stats() == api.load(BASE_YAML).stats()


# -- OS errors while writing: one line, the old output intact, no temporary left -----------------
def _run_limited(args: list[str], fsize: int | None = None):
    """``claimgraph ARGS`` with a file size limit (``ulimit -f``, bytes) in the child."""
    import resource

    from .test_hostile_inputs import Run, _box

    def limits():
        _box()
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    done = subprocess.run([sys.executable, "-m", "claimgraph.cli", *args], capture_output=True, text=True,
                          preexec_fn=limits, timeout=300, env={**os.environ, "COLUMNS": "200"})
    return Run(Path(args[-1]), done.returncode, done.stdout, done.stderr, 0.0, 0)


#: writing commands and the outputs they make, over an old output of each
OS_ERROR_WRITERS = {
    "export-json": (["export", "--format", "json"], "out.json", False),
    "html": (["html"], "out.html", False),
    "plot": (["plot"], "out.png", False),
    "export-csv": (["export", "--format", "csv"], "out", True),
    "generate": (["generate"], "gen", True),
}


def _old_outputs(folder: Path) -> None:
    for _args, out, is_dir in OS_ERROR_WRITERS.values():
        if is_dir:
            (folder / out).mkdir()
            (folder / out / "claims.csv").write_text(OLD)
            (folder / out / MARKER).write_text(OLD)
        else:
            (folder / out).write_text(OLD)


def _command(name: str, folder: Path) -> list[str]:
    args, out, _is_dir = OS_ERROR_WRITERS[name]
    # exports of the bundled landscape (no PATH): outputs larger than the limits
    return [*args, *([str(BASE_YAML)] if name in ("html", "plot") else []), "-o", str(folder / out)]


@pytest.mark.parametrize("name", sorted(OS_ERROR_WRITERS))
def test_file_size_limit_is_one_line(tmp_path, name):
    """``ulimit -f`` (EFBIG): was an internal error."""
    _old_outputs(tmp_path)
    before = _tree(tmp_path)
    one_line(_run_limited(_command(name, tmp_path), fsize=2048), "file too large")
    assert _tree(tmp_path) == before


@pytest.fixture
def full_disk(tmp_path):
    """A 96 KiB tmpfs with the old outputs on it (root only; else the test says why it skips)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(disk)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}): the disk-full case needs one; "
                    "test_file_size_limit_is_one_line covers EFBIG")
    try:
        _old_outputs(disk)
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=True)


@pytest.mark.parametrize("name", sorted(OS_ERROR_WRITERS))
def test_full_disk_is_one_line(full_disk, name):
    """ENOSPC on a real (tiny) file system: was an internal error."""
    before = _tree(full_disk)
    one_line(_run_limited(_command(name, full_disk)), "no space left on the device")
    assert _tree(full_disk) == before


@pytest.fixture(params=["read-only", "forbidden"])
def unwritable(request, tmp_path):
    """A folder that cannot be written: read-only (a read-only bind mount, EROFS) or forbidden
    (root: chattr +i, EPERM; anyone else: chmod 555, EACCES)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    _old_outputs(folder)
    undo: list[list[str]] = []
    if request.param == "read-only":
        for cmd in (["mount", "--bind", str(folder), str(folder)], ["mount", "-o", "remount,bind,ro", str(folder)]):
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode != 0:
                for u in undo:
                    subprocess.run(u)
                pytest.skip(f"cannot make a read-only bind mount here ({done.stderr.strip()}); the forbidden folder covers permissions")
            undo = [["umount", str(folder)]]
        fragment = "read-only file system"
    elif os.geteuid() == 0:
        done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"chattr +i failed ({done.stderr.strip()}): root ignores permissions, and this file system has no immutable flag")
        undo = [["chattr", "-i", str(folder)]]
        fragment = "operation not permitted"
    else:
        folder.chmod(0o555)
        undo = [["chmod", "755", str(folder)]]
        fragment = "permission denied"
    try:
        yield folder, fragment
    finally:
        for u in undo:
            subprocess.run(u, check=True)


@pytest.mark.parametrize("name", sorted(OS_ERROR_WRITERS))
def test_unwritable_folder_is_one_line(unwritable, name):
    folder, fragment = unwritable
    before = _tree(folder)
    one_line(_run_limited(_command(name, folder)), fragment)
    assert _tree(folder) == before
