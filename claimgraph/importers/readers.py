"""Rows of an input file, one dict each, with the number a person would look for: the row as a
spreadsheet numbers it (the header is row 1), the line of a JSON-lines file, the position of a
record in a JSON file.

Readers never stop at a bad row: a row that cannot be read is yielded with its ``problem`` (and
its raw text), so that it lands in the rejects file and every problem is reported at once.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DatasetError, Origin, Problem

__all__ = ["Row", "read_rows", "READERS", "reader_for"]


@dataclass(slots=True)
class Row:
    number: int
    data: dict[str, Any]
    raw: Any = None  # what the rejects file writes back: the CSV cells, or the JSON record
    problem: str | None = None
    columns: list[str] = field(default_factory=list)
    #: what a person looks for when the number is no line of the file (a Wikidata statement id)
    label: str | None = None
    #: the line of the file it starts on, where known and not the number itself
    line: int | None = None


def _check_text(path: Path) -> None:
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DatasetError([Problem(Origin(str(path)), "file is UTF-16 text (Excel's \"Unicode text\"): save it as UTF-8 (CSV UTF-8)")])


def csv_rows(path: Path, header: list[str] | None = None, delimiter: str = ",") -> Iterator[Row]:
    """Rows of a CSV file (UTF-8, with or without a byte-order mark). ``header``: the column
    names of a file that has no header row."""
    _check_text(path)
    name = str(path)
    try:
        fh = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise DatasetError([Problem(Origin(name), f"cannot read: {exc.strerror or exc}")]) from None
    with fh:
        reader = csv.reader(fh, delimiter=delimiter, strict=True)
        row_no = 0
        cols = list(header) if header else None
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                raise DatasetError([Problem(Origin(name, row_no + 1), f"not UTF-8 text ({exc.reason}): save the file as CSV UTF-8")]) from None
            except csv.Error as exc:
                row_no = reader.line_num
                yield Row(row_no, {}, raw=None, problem=f"CSV error: {exc} (a quote left open?)")
                continue
            row_no += 1
            if cols is None:
                cols = [c.strip() for c in cells]
                dup = sorted({c for c in cols if c and cols.count(c) > 1})
                if dup:
                    raise DatasetError([Problem(Origin(name, 1), f"columns {', '.join(dup)} appear twice in the header: rename one")])
                continue
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(cols) and any(c.strip() for c in cells[len(cols):]):
                yield Row(row_no, {}, raw=cells, columns=cols,
                          problem=f"{len(cells)} cells but {len(cols)} columns in the header: quote cells that hold the delimiter")
                continue
            data = {c: (v.strip() or None) for c, v in zip(cols, cells, strict=False) if c}
            yield Row(row_no, data, raw=cells, columns=cols)


def jsonl_rows(path: Path) -> Iterator[Row]:
    """One JSON object per line (FollowTheMoney entity streams, ``.jsonl``/``.ijson``/``.ftm.json``)."""
    _check_text(path)
    try:
        fh = open(path, encoding="utf-8-sig")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise DatasetError([Problem(Origin(str(path)), f"cannot read: {exc.strerror or exc}")]) from None
    with fh:
        for i, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except (json.JSONDecodeError, RecursionError) as exc:
                yield Row(i, {}, raw=line.rstrip("\n"), problem=f"not JSON ({getattr(exc, 'msg', exc)}): one object per line")
                continue
            if not isinstance(obj, dict):
                yield Row(i, {}, raw=obj, problem="each line must be a JSON object")
                continue
            yield Row(i, obj, raw=obj)


def _load_json(path: Path) -> Any:
    _check_text(path)
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise DatasetError([Problem(Origin(str(path)), f"cannot read: {exc.strerror or exc}")]) from None
    except json.JSONDecodeError as exc:
        raise DatasetError([Problem(Origin(str(path), exc.lineno, exc.colno), f"not JSON: {exc.msg}")]) from None


def json_rows(path: Path, records: str | None = None) -> Iterator[Row]:
    """The records of a JSON file: a list of objects, or the list (or the values of the mapping)
    at the dotted path ``records``."""
    data = _load_json(path)
    where = "the file"
    if records:
        for part in records.split("."):
            if isinstance(data, dict) and part in data:
                data = data[part]
            else:
                raise DatasetError([Problem(Origin(str(path)), f"no {records!r} in this JSON file (the mapping's records: path)")])
        where = repr(records)
    if isinstance(data, dict):
        data = list(data.values())
    if not isinstance(data, list):
        raise DatasetError([Problem(Origin(str(path)), f"{where} must be a list of objects (or set records: to the path of one)")])
    for i, obj in enumerate(data, 1):
        if not isinstance(obj, dict):
            yield Row(i, {}, raw=obj, problem=f"record {i} is not an object")
        else:
            yield Row(i, obj, raw=obj)


def _wikidata_rows(path: Path, mapping=None) -> Iterator[Row]:
    from .wikidata import wikidata_rows

    return wikidata_rows(path, getattr(mapping, "wikidata", None))


#: reader name -> function; a file's suffix picks one unless the mapping names it
READERS = {"csv": csv_rows, "jsonl": jsonl_rows, "json": json_rows, "wikidata": _wikidata_rows}
_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ijson": "jsonl", ".ndjson": "jsonl", ".json": "json"}


def reader_for(path: Path, named: str | None) -> str:
    if named:
        return named
    name = path.name.lower()
    if name.endswith(".ftm.json"):
        return "jsonl"
    reader = _SUFFIXES.get(path.suffix.lower())
    if reader is None:
        raise DatasetError([Problem(Origin(str(path)), f"cannot tell how to read {path.suffix or 'a file without a suffix'}: "
                                                       "name the reader in the mapping (reader: csv | json | jsonl)")])
    return reader


def read_rows(path: Path, mapping) -> Iterator[Row]:
    kind = reader_for(path, mapping.reader)
    if kind == "csv":
        delim = "\t" if path.suffix.lower() == ".tsv" and mapping.delimiter == "," else mapping.delimiter
        return csv_rows(path, mapping.header, delim)
    if kind == "json":
        return json_rows(path, mapping.records)
    if kind == "wikidata":
        return _wikidata_rows(path, mapping)
    return jsonl_rows(path)
