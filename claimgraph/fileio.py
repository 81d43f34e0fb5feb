"""Atomic file output: a file appears whole or not at all."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import ClaimgraphError


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Write to a temporary file beside ``path``, then rename it over ``path``.

    If the block raises (or the process is killed), ``path`` keeps its old content or stays
    absent; the temporary file is removed.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(p) as fh:
    ...     _ = fh.write("hello")
    >>> p.read_text()
    'hello'
    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ClaimgraphError(f"{path}: folder {parent} does not exist: create it first")
    if "b" in mode:
        encoding = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise ClaimgraphError(f"{path}: cannot write here: {exc.strerror or exc}") from None
    try:
        # mkstemp makes the file 0600; give it the mode a plain open() would (or the old file's)
        os.chmod(tmp, _mode_for(path))
        with os.fdopen(fd, mode, encoding=encoding, newline="" if "b" not in mode else None) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 less the umask
    (mkstemp's temporary file is 0600, which would hide a shared report from its readers)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_text_atomic(path: str | Path, text: str) -> None:
    with atomic_write(path) as fh:
        fh.write(text)


#: files :func:`write` may replace in an existing output folder (anything else: refuse).
OUTPUT_NAMES = frozenset({"sources.yaml", "entities.yaml", "claims.yaml", "sources.csv", "entities.csv",
                          "claims.csv", "evidence.csv", "rates.csv", "README.txt"})


@contextlib.contextmanager
def atomic_folder(folder: str | Path, replaceable: frozenset[str] = OUTPUT_NAMES):
    """Yield a temporary folder beside ``folder``; on success it is renamed to ``folder``.

    An existing ``folder`` is replaced only when it is empty or holds nothing but files named
    in ``replaceable`` (an earlier output); otherwise :class:`ClaimgraphError` is raised before
    anything is written.
    """
    folder = Path(folder)
    parent = folder.parent if str(folder.parent) else Path(".")
    if not parent.is_dir():
        raise ClaimgraphError(f"{folder}: folder {parent} does not exist: create it first")
    if folder.exists():
        if not folder.is_dir():
            raise ClaimgraphError(f"{folder} is a file: give a folder to write into")
        strangers = sorted(p.name for p in folder.iterdir() if p.name not in replaceable or not p.is_file())
        if strangers:
            raise ClaimgraphError(f"{folder} already holds other files ({', '.join(strangers[:3])}): choose a new or empty folder")
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=parent))
    try:
        yield tmp
        os.chmod(tmp, 0o755)
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".old", dir=parent))
            os.replace(folder, old / "x")
            try:
                os.replace(tmp, folder)
            except BaseException:
                os.replace(old / "x", folder)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
