"""Dataset text on a terminal: control characters are shown, never sent.

A name or note holding ``ESC ] 52`` (set the clipboard), ``ESC ] 0`` (the window title),
``ESC [ 2J`` (clear the screen), a carriage return (overwrite the line) or a newline (a fake
line of output) would act on the user's terminal if printed raw. :func:`safe` writes every C0
and C1 control character and DEL as a visible escape (``\\x1b``, ``\\n``); tables, plain
output and error messages go through it. JSON is written with DEL and C1 characters as
``\\u`` escapes (the same JSON data, exact in a file or a pipe); CSV is exact in a file or a
pipe, and escaped on a terminal.

>>> safe("Acme\\x1b]52;c;aGk=\\x07 Corp\\nok")
'Acme\\\\x1b]52;c;aGk=\\\\x07 Corp\\\\nok'
"""

from __future__ import annotations

import re
import sys
from typing import Any

__all__ = ["safe", "safe_json", "csv_writer"]

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_JSON_CONTROL = re.compile("[\x7f-\x9f]")  # json.dumps escapes the C0 ones itself
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match) -> str:
    ch = m.group()
    return _NAMED.get(ch) or f"\\x{ord(ch):02x}"


def safe(text: Any) -> str:
    """``text`` with its control characters written as visible escapes."""
    text = str(text)
    return _CONTROL.sub(_escape, text) if _CONTROL.search(text) else text


def safe_json(text: str) -> str:
    """JSON text (from ``json.dumps(ensure_ascii=False)``) with DEL and C1 characters as ``\\u``
    escapes: inside JSON they only occur in strings, so the data read back is the same."""
    return _JSON_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class _EscapingWriter:
    def __init__(self, writer) -> None:
        self._w = writer

    def writerow(self, row) -> None:
        self._w.writerow([safe(c) for c in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream=None):
    """A CSV writer on ``stream`` (stdout): exact cells in a file or pipe, escaped ones on a
    terminal."""
    from ..io.csv_io import Writer

    stream = stream or sys.stdout
    w = Writer(stream)  # a bare CR in a cell stays inside its quoted cell
    return _EscapingWriter(w) if stream.isatty() else w
