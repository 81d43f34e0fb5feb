"""Errors a user can act on. The CLI prints them one per line and exits with status 2."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: a problem's message is cut to this many characters when printed (a safety net: messages
#: quote values through :func:`short` already)
MAX_MESSAGE = 400


def short(value: Any, limit: int = 80) -> str:
    """The repr of a bad value for a message: at most ``limit`` characters, a prefix of long
    text and the first few items of big or deep lists and mappings. It never walks the whole
    value (a YAML alias bomb is a list of a billion items).

    >>> short("x" * 500)[:12], len(short("x" * 500)) <= 80
    ("'xxxxxxxxxxx", True)
    >>> short([[1, 2, 3, 4, 5, 6, 7], {"a": [[[[1]]]]}])
    "[[1, 2, 3, 4, 5, …], {'a': […]}]"
    """
    text = _short(value, 0, limit)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short(v: Any, depth: int, limit: int) -> str:
    if isinstance(v, str):
        return repr(v[:limit]) + ("…" if len(v) > limit else "")
    if isinstance(v, dict):
        if depth >= 2:
            return "{…}" if v else "{}"
        items = [f"{_short(k, depth + 1, 20)}: {_short(x, depth + 1, 40)}" for k, x in list(v.items())[:5]]
        return "{" + ", ".join(items + (["…"] if len(v) > 5 else [])) + "}"
    if isinstance(v, list | tuple):
        if depth >= 2:
            return "[…]" if v else "[]"
        items = [_short(x, depth + 1, 40) for x in v[:5]]
        return "[" + ", ".join(items + (["…"] if len(v) > 5 else [])) + "]"
    if isinstance(v, int) and not isinstance(v, bool) and v.bit_length() > 200:
        return f"<a number of about {int(v.bit_length() * 0.30103)} digits>"
    try:
        text = repr(v)
    except Exception:  # noqa: BLE001 - a value that cannot say what it is
        text = f"<{type(v).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record or value came from: a file and, where known, line and column (1-based),
    or a CSV row and column name. (Slots: a loaded dataset keeps one per record.)"""

    file: str
    line: int | None = None
    col: int | None = None
    column: str | None = None  # a CSV column name, for row/column origins

    def __str__(self) -> str:
        out = self.file
        if self.line is not None:
            out += f":{self.line}"
            if self.col is not None:
                out += f":{self.col}"
        if self.column:
            out += f" (column {self.column})"
        return out


@dataclass(frozen=True)
class Problem:
    origin: Origin | None
    message: str

    def __str__(self) -> str:
        msg = self.message
        if len(msg) > MAX_MESSAGE:
            msg = msg[: MAX_MESSAGE - 1] + "…"
        return f"{self.origin}: {msg}" if self.origin else msg


class ClaimgraphError(Exception):
    """A user-facing error: one line (or several problems), exit status 2, no traceback."""

    exit_code = 2

    def lines(self) -> list[str]:
        return [str(self)]


class DatasetError(ClaimgraphError):
    """Everything wrong with a dataset, reported at once; nothing was loaded."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(self._summary())

    def _summary(self) -> str:
        n = len(self.problems)
        first = str(self.problems[0]) if self.problems else "invalid dataset"
        return first if n == 1 else f"{first} (and {n - 1} more problems)"

    #: at most this many problems are printed (a broken 100 MB file can have millions)
    MAX_LINES = 200

    def lines(self) -> list[str]:
        out = [str(p) for p in self.problems[: self.MAX_LINES]]
        if len(self.problems) > self.MAX_LINES:
            first = self.problems[0].origin.file if self.problems[0].origin else "the dataset"
            out.append(f"{first}: {len(self.problems) - self.MAX_LINES} more problems not shown: fix these first")
        return out
