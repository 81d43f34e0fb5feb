"""Outputs: a file appears whole or not at all, and nothing of the user's is overwritten.

:func:`atomic_write` and :func:`atomic_folder` write through a temporary beside the output,
then rename it into place. Before anything is written they refuse (with one clear line, a
:class:`~claimgraph.errors.ClaimgraphError`) to write

- onto an input of the same command (``claimgraph html mine.yaml -o mine.yaml``), or a folder
  holding one: inputs are noted by the readers (:func:`note_input`) inside an
  :func:`output_scope`, which the CLI and the :mod:`claimgraph.api` functions open;
- onto an existing folder that claimgraph did not write: a folder claimgraph writes holds the
  hidden marker :data:`MARKER`, and is replaced only while it holds nothing but the marker and
  files of the names claimgraph writes there (an empty folder is filled);
- onto anything but a regular file or a new path (a folder where a file is asked for, a
  device, a FIFO); a symbolic link to a file is followed (the file it names is replaced, the
  link stays).

``output_scope(force=True)`` (``--force`` on the command line) lifts the first three guards: an
input or a foreign folder is replaced, a device or FIFO is written into. A folder never
becomes a file nor a file a folder.

Every OS error met while writing (a full disk, a file size limit, a read-only or forbidden
folder) is a ClaimgraphError naming the output; the old output stays as it was and the
temporary is removed.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .errors import ClaimgraphError

__all__ = ["atomic_write", "atomic_folder", "write_text_atomic", "output_scope", "note_input", "MARKER",
           "OUTPUT_NAMES", "os_error"]

#: the hidden file inside every folder claimgraph writes: such a folder may be replaced
MARKER = ".claimgraph-output"
_MARKER_TEXT = ("claimgraph wrote this folder and may replace it when asked to write here again.\n"
                "Delete this file to keep claimgraph from replacing the folder.\n")

#: files :func:`atomic_folder` may replace in an existing output folder (anything else: refuse).
OUTPUT_NAMES = frozenset({"sources.yaml", "entities.yaml", "claims.yaml", "sources.csv", "entities.csv",
                          "claims.csv", "evidence.csv", "rates.csv", "README.txt"})


# -- the scope of one command: its inputs and --force -------------------------------------------
@dataclass
class _Scope:
    force: bool = False
    inputs: list[tuple[str, tuple[int, int] | None]] = field(default_factory=list)


_SCOPE: contextvars.ContextVar[_Scope | None] = contextvars.ContextVar("claimgraph_output_scope", default=None)


@contextlib.contextmanager
def output_scope(force: bool | None = None) -> Iterator[_Scope]:
    """Inputs read inside the block (:func:`note_input`) are not written onto inside it; with
    ``force=True`` the guards are lifted. Nested scopes share the inputs of the outer one.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "mine.yaml"
    >>> _ = p.write_text("sources: []\\n")
    >>> with output_scope():
    ...     note_input(p)
    ...     write_text_atomic(p, "<html>")
    Traceback (most recent call last):
    claimgraph.errors.ClaimgraphError: ... is an input of this command: write the output somewhere else, or give --force to replace it
    >>> p.read_text()
    'sources: []\\n'
    """
    outer = _SCOPE.get()
    if outer is not None and not force:
        yield outer
        return
    scope = _Scope(force=bool(force) or (outer.force if outer else False),
                   inputs=outer.inputs if outer is not None else [])
    token = _SCOPE.set(scope)
    try:
        yield scope
    finally:
        _SCOPE.reset(token)


def note_input(path: str | Path) -> None:
    """Remember ``path`` (a file or folder being read) as an input of the current scope."""
    scope = _SCOPE.get()
    if scope is None:
        return
    try:
        st = os.stat(path)
        ids = (st.st_dev, st.st_ino)
    except OSError:
        ids = None
    scope.inputs.append((os.path.realpath(path), ids))


def _forced() -> bool:
    scope = _SCOPE.get()
    return scope is not None and scope.force


def _check_inputs(path: Path, real: str, st: os.stat_result | None, folder: bool) -> None:
    scope = _SCOPE.get()
    if scope is None or scope.force:
        return
    for inp, ids in scope.inputs:
        if (st is not None and ids is not None and (st.st_dev, st.st_ino) == ids) or real == inp:
            raise ClaimgraphError(f"{path} is an input of this command: write the output somewhere else, "
                                  "or give --force to replace it")
        if folder and os.path.commonpath([real, inp]) == real:
            raise ClaimgraphError(f"{path} holds an input of this command ({inp}): write the output somewhere else, "
                                  "or give --force to replace it")


# -- OS errors as one line -------------------------------------------------------------------------
_REASONS = {
    errno.ENOSPC: "no space left on the device: free some space or write elsewhere",
    errno.EDQUOT: "disk quota exceeded: free some space or write elsewhere",
    errno.EFBIG: "file too large (a file size limit: ulimit -f?)",
    errno.EROFS: "read-only file system: write elsewhere",
    errno.EACCES: "permission denied: write somewhere you may write",
    errno.EPERM: "operation not permitted: write somewhere you may write",
    errno.EISDIR: "is a folder: give a file name",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.ENAMETOOLONG: "the name is too long",
}


def os_error(path: str | Path, exc: OSError) -> ClaimgraphError:
    """``path: cannot write: <why and what to do>``."""
    reason = _REASONS.get(exc.errno) or (exc.strerror or str(exc))
    return ClaimgraphError(f"{path}: cannot write: {reason}")


def _ours(exc: OSError, *names: str | Path) -> bool:
    """The error is about the output (its temporary, the output or an unnamed file handle)."""
    if exc.filename is None:
        return True
    fname = str(exc.filename)
    return any(fname == str(n) or fname.startswith(str(n) + os.sep) for n in names)


def _kind(mode: int) -> str:
    for test, what in ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return what
    return "not a regular file"


def _target(path: Path) -> tuple[Path, str, os.stat_result | None]:
    """Where to write for ``path`` (a link is followed), its real path and its status."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise os_error(path, exc) from None
    return target, os.path.realpath(target), st


def _parent(path: Path, shown: Path) -> Path:
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        if parent.exists():
            raise ClaimgraphError(f"{shown}: {parent} is not a folder")
        raise ClaimgraphError(f"{shown}: folder {parent} does not exist: create it first")
    return parent


# -- one file --------------------------------------------------------------------------------------
@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Write to a temporary file beside ``path``, then rename it over ``path``.

    If the block raises (or the process is killed), ``path`` keeps its old content or stays
    absent; the temporary file is removed. See the module docstring for what is refused.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(p) as fh:
    ...     _ = fh.write("hello")
    >>> p.read_text()
    'hello'
    >>> with atomic_write(p.parent) as fh:
    ...     pass
    Traceback (most recent call last):
    claimgraph.errors.ClaimgraphError: ... is a folder: give a file name to write
    """
    path = Path(path)
    target, real, st = _target(path)
    if "b" in mode:
        encoding = None
    newline = "" if "b" not in mode else None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise ClaimgraphError(f"{path} is a folder: give a file name to write")
        if not stat.S_ISREG(st.st_mode):
            if not _forced():
                raise ClaimgraphError(f"{path} is {_kind(st.st_mode)}, not a regular file: give a file name, "
                                      "or --force to write into it")
            yield from _write_into(path, target, mode, encoding, newline)
            return
    _check_inputs(path, real, st, folder=False)
    parent = _parent(target, path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise os_error(path, exc) from None
    try:
        # mkstemp makes the file 0600; give it the mode a plain open() would (or the old file's)
        os.chmod(tmp, _mode_for(target))
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if _ours(exc, tmp, target, path):
            raise os_error(path, exc) from None
        raise
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_into(path: Path, target: Path, mode: str, encoding: str | None, newline: str | None) -> Iterator[IO]:
    """--force onto a device or FIFO: write into it (it is not replaced by a file)."""
    try:
        fh = open(target, mode, encoding=encoding, newline=newline)  # noqa: SIM115 - closed below
    except OSError as exc:
        raise os_error(path, exc) from None
    try:
        with fh:
            yield fh
    except OSError as exc:
        if _ours(exc, target, path):
            raise os_error(path, exc) from None
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


# -- a folder --------------------------------------------------------------------------------------
def _check_folder(folder: Path, replaceable: frozenset[str]) -> None:
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        raise os_error(folder, exc) from None
    if not names or _forced():
        return
    if MARKER not in names:
        raise ClaimgraphError(f"{folder} is a folder claimgraph did not write (it has no {MARKER}): choose a new "
                              "or empty folder, or give --force to replace it and everything in it")
    strangers = [n for n in names if n != MARKER and (n not in replaceable or not (folder / n).is_file()
                                                        or (folder / n).is_symlink())]
    if strangers:
        more = f" and {len(strangers) - 3} more" if len(strangers) > 3 else ""
        raise ClaimgraphError(f"{folder} holds files claimgraph did not write ({', '.join(strangers[:3])}{more}): "
                              "move them out, choose another folder, or give --force to replace them")


@contextlib.contextmanager
def atomic_folder(folder: str | Path, replaceable: frozenset[str] = OUTPUT_NAMES):
    """Yield a temporary folder beside ``folder``; on success it gets the :data:`MARKER` and is
    renamed to ``folder``.

    An existing ``folder`` is replaced only when it is empty, or claimgraph wrote it and it
    holds nothing but files named in ``replaceable``; otherwise (and onto an input or a file)
    :class:`ClaimgraphError` is raised before anything is written.
    """
    folder = Path(folder)
    target, real, st = _target(folder)
    if st is not None and not stat.S_ISDIR(st.st_mode):
        raise ClaimgraphError(f"{folder} is {'a file' if stat.S_ISREG(st.st_mode) else _kind(st.st_mode)}: "
                              "give a folder to write into")
    _check_inputs(folder, real, st, folder=True)
    if st is not None:
        _check_folder(target, replaceable)
    parent = _parent(target, folder)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise os_error(folder, exc) from None
    try:
        yield tmp
        (tmp / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        os.chmod(tmp, 0o755)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent))
            os.replace(target, old / "x")
            try:
                os.replace(tmp, target)
            except BaseException:
                os.replace(old / "x", target)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if _ours(exc, tmp, target, folder, parent):
            raise os_error(folder, exc) from None
        raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
