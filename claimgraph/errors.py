"""Errors a user can act on. The CLI prints them one per line and exits with status 2."""

from __future__ import annotations

from dataclasses import dataclass


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
        return f"{self.origin}: {self.message}" if self.origin else self.message


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
