"""What the readers may read: the entries of a dataset folder, and the limits on input size.

Every entry of a dataset folder is read or named in a problem: a broken symbolic link, a link
loop, a subfolder, a FIFO or device, a file of another type and two names that differ only in
case (one file on macOS and Windows) are problems, never skipped in silence. Hidden entries
(``.name``: editor and system files, claimgraph's own temporaries and output marker) and the
side files (:data:`claimgraph.io.SIDE_FILES`) are not dataset files.

Limits, each an environment variable so that tests (and users with big data) can set them:

``CLAIMGRAPH_MAX_INPUT_MB`` (default 512)
    the largest YAML or JSON file read (they are parsed whole), and the largest file read out
    of a zip; CSV files on disk are read as a stream and have no size limit, but a line longer
    than ``CLAIMGRAPH_MAX_LINE_MB`` (default 16; the longest CSV field is 128 KiB) is refused.
``CLAIMGRAPH_MAX_ZIP_RATIO`` (default 100)
    how many times a member of a zip may inflate (CSV text compresses 5 to 20 times).
``CLAIMGRAPH_MAX_ALIAS_EXPANSION`` (default 100000)
    how many values YAML aliases may add to a file beyond its own (or as many as it has).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import ClaimgraphError, DatasetError, Origin, Problem

__all__ = ["max_input_bytes", "max_line_bytes", "max_zip_ratio", "max_alias_expansion", "folder_entries",
           "check_regular", "link_problem", "read_bytes_limited", "case_collisions", "size_text", "scan_text"]

MIB = 1024 * 1024


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ClaimgraphError(f"{name}={raw!r} is not a number: unset it or give e.g. {name}={default:g}") from None
    if not value > 0:
        raise ClaimgraphError(f"{name}={raw!r} must be more than 0")
    return value


def max_input_bytes() -> int:
    return int(_env_number("CLAIMGRAPH_MAX_INPUT_MB", 512) * MIB)


def max_line_bytes() -> int:
    return int(_env_number("CLAIMGRAPH_MAX_LINE_MB", 16) * MIB)


def max_zip_ratio() -> float:
    return _env_number("CLAIMGRAPH_MAX_ZIP_RATIO", 100)


def max_alias_expansion() -> int:
    return int(_env_number("CLAIMGRAPH_MAX_ALIAS_EXPANSION", 100_000))


def size_text(n: float) -> str:
    """``1.5 GiB``, ``600 MiB``, ``12 KiB``, ``80 bytes``."""
    for unit, size in (("GiB", 1024 * MIB), ("MiB", MIB), ("KiB", 1024)):
        if n >= size:
            v = n / size
            return f"{v:.1f} {unit}" if v < 10 else f"{v:.0f} {unit}"
    return f"{int(n)} bytes"


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def _kind(mode: int) -> str:
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def _link_problem(path: Path, exc: OSError) -> Problem:
    if exc.errno == errno.ELOOP:
        return Problem(Origin(str(path)), "symbolic link loop: fix or remove the link")
    if exc.errno == errno.ENOENT:
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return Problem(Origin(str(path)), f"broken symbolic link (to {target}): fix or remove the link")
    return Problem(Origin(str(path)), f"cannot read: {exc.strerror or exc}")


def link_problem(path: Path) -> Problem:
    """The problem of a link that leads nowhere (broken, or a loop)."""
    try:
        path.stat()
    except OSError as exc:
        return _link_problem(path, exc)
    return Problem(Origin(str(path)), "cannot read")


def check_regular(path: Path) -> os.stat_result:
    """The file's status (links followed); a DatasetError for a broken link, a link loop, a
    folder, a FIFO or a device (reading ``/dev/zero`` named ``x.yaml`` never ends)."""
    try:
        st = path.stat()
    except OSError as exc:
        raise DatasetError([_link_problem(path, exc)]) from None
    if not stat.S_ISREG(st.st_mode):
        raise DatasetError([Problem(Origin(str(path)), f"is {_kind(st.st_mode)}, not a dataset file: give a regular file")])
    return st


def read_bytes_limited(path: Path, limit: int | None = None, what: str = "YAML and JSON files are read whole") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (:func:`max_input_bytes`)."""
    limit = max_input_bytes() if limit is None else limit
    st = check_regular(path)
    if st.st_size > limit:
        raise DatasetError([_too_big(path, st.st_size, limit, what)])
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)  # a file that grows (or lies about its size) is still bounded
    if len(data) > limit:
        raise DatasetError([_too_big(path, len(data), limit, what)])
    return data


def _too_big(path: Path, size: int, limit: int, what: str) -> Problem:
    return Problem(Origin(str(path)), f"file is {size_text(size)}, more than the limit of {size_text(limit)} ({what}): "
                                      "split it into several files of a folder, use CSV, or raise CLAIMGRAPH_MAX_INPUT_MB")


def case_collisions(names: Iterable[str], where: str) -> list[Problem]:
    """A problem for each group of names that differ only in case (or are equal)."""
    groups: dict[str, list[str]] = {}
    for n in names:
        groups.setdefault(n.casefold(), []).append(n)
    out = []
    for group in groups.values():
        if len(group) > 1:
            if len(set(group)) == 1:
                msg = f"{group[0]!r} is in it {len(group)} times: keep one"
            else:
                msg = f"{' and '.join(repr(n) for n in sorted(group))} differ only in case (one file on macOS and Windows): keep one"
            out.append(Problem(Origin(where), msg))
    return out


def folder_entries(folder: Path, suffixes: Iterable[str], side_files: Iterable[str]) -> tuple[list[Path], list[Problem]]:
    """The dataset files of ``folder`` (sorted; regular files with one of ``suffixes``, side
    files and hidden entries left out) and a problem for every other entry."""
    suffixes = {s.lower() for s in suffixes}
    side = {s.lower() for s in side_files}
    files: list[Path] = []
    problems: list[Problem] = []
    entries = sorted(folder.iterdir())
    visible = [p for p in entries if not p.name.startswith(".")]
    problems += case_collisions([p.name for p in visible], str(folder))
    for p in visible:
        if p.name.lower() in side:
            continue
        try:
            st = p.stat()
        except OSError as exc:
            problems.append(_link_problem(p, exc))
            continue
        if stat.S_ISDIR(st.st_mode):
            problems.append(Problem(Origin(str(p)), "a folder inside a dataset folder is not read: give it as a PATH "
                                                    "of its own, or move it out"))
        elif not stat.S_ISREG(st.st_mode):
            problems.append(Problem(Origin(str(p)), f"is {_kind(st.st_mode)}, not a dataset file: remove it from the dataset folder"))
        elif p.suffix.lower() not in suffixes:
            problems.append(Problem(Origin(str(p)), f"not a dataset file (those end in {', '.join(sorted(suffixes))}): "
                                                    "move it out of the dataset folder, or hide it (a name starting with '.')"))
        else:
            files.append(p)
    return files, problems


def scan_text(read: Callable[[int], bytes], name: str, max_line: int | None = None) -> None:
    """Check a stream of bytes (``read(n)`` gives the next at most n) as a dataset text without
    holding it: UTF-8 (a BOM allowed), no UTF-16, no NUL byte, no line longer than ``max_line``
    (:func:`max_line_bytes`). Raises the located DatasetError."""
    import codecs

    max_line = max_line_bytes() if max_line is None else max_line
    # a line inside one chunk is never longer than a chunk: only lines across chunks are measured
    size = max(1, min(1 << 22, max_line))
    chunks = iter(lambda: read(size), b"")
    dec = codecs.getincrementaldecoder("utf-8-sig")()
    lines = 0  # newlines before the current chunk
    since = 0  # bytes since the last newline
    first = True
    for chunk in chunks:
        if first and chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise DatasetError([Problem(Origin(name), "file is UTF-16 text (Excel's \"Unicode text\"): save it as UTF-8")])
        first = False
        if b"\x00" in chunk:
            raise DatasetError([Problem(Origin(name), "file contains NUL bytes: is it a binary file? save it as UTF-8 text")])
        try:
            dec.decode(chunk)
        except UnicodeDecodeError as exc:
            line = lines + exc.object[: exc.start].count(b"\n") + 1
            raise DatasetError([Problem(Origin(name, line), f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x}): save the file as UTF-8")]) from None
        end = chunk.find(b"\n")
        if end < 0:
            since += len(chunk)
        else:
            if since + end > max_line:
                break
            since = len(chunk) - chunk.rfind(b"\n") - 1
        if since > max_line:
            break
        lines += chunk.count(b"\n")
    else:
        try:
            dec.decode(b"", final=True)
        except UnicodeDecodeError:
            raise DatasetError([Problem(Origin(name, lines + 1), "not UTF-8 text (it ends inside a character): save the file as UTF-8")]) from None
        return
    raise DatasetError([Problem(Origin(name, lines + 1), f"line {lines + 1} is longer than {size_text(max_line)}: is it a "
                                                         "dataset file? (or raise CLAIMGRAPH_MAX_LINE_MB)")])
