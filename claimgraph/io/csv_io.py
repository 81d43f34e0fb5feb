"""Spreadsheet CSV in and out: a folder (or a zip) of ``sources.csv``, ``entities.csv``,
``claims.csv`` and, optionally, ``evidence.csv`` and ``rates.csv``.

The layout is documented in ``docs/interchange.md``. In short: one record per row, the header
names the fields; empty cells are absent fields; lists (aliases, asserted_by, contradicts,
supported_by, contradicted_by) are ``;``-separated (or a JSON array); qualifiers are ``q_<name>`` columns (or a
``qualifiers`` column holding a JSON object); a quantity is short text (``USD 2B``, ``7%``,
``up to 5%``) or a JSON object (``{"value": 100, "unit": "TOPS"}``); dates are ISO or partial
(``2026``, ``2026-01``, ``2026-01-17``); an event's date is ``on``, ``tense`` is past, present or future, and a status
``history`` is a JSON array of ``{"on", "status", "note", "sources"}`` objects. Files are UTF-8,
with or without a byte-order mark.

Problems name the file, the row as a spreadsheet numbers it (the header is row 1) and the
column: ``claims.csv:7 (column q_stake): qualifier stake 107% is outside 0-100%``.

>>> import tempfile, pathlib, claimgraph
>>> from claimgraph.synth import generate
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = write_csv(generate(30, 50, seed=1), folder)
>>> sorted(p.name for p in folder.iterdir())
['claims.csv', 'entities.csv', 'evidence.csv', 'rates.csv', 'sources.csv']
>>> len(claimgraph.load([folder]).claims)
50
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..dataset import RecordIn, validate_record
from ..errors import DatasetError, Origin, Problem
from ..suggest import Suggester
from ..values import Quantity
from .files import (
    case_collisions,
    check_regular,
    folder_entries,
    max_input_bytes,
    max_zip_ratio,
    scan_text,
    size_text,
)

__all__ = ["csv_records", "csv_folder_records", "zip_records", "write_csv", "COLUMNS", "FILES"]

#: the columns each file may have (besides ``q_<qualifier>`` in claims.csv and
#: ``attr_<name>`` in entities.csv), in the order :func:`write_csv` writes them.
COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": ("id", "title", "publisher", "url", "published", "language", "tier", "retrieved", "notes"),
    "entities": ("id", "name", "kind", "aliases", "attributes", "notes"),
    "claims": ("id", "subject", "predicate", "object", "value", "qualifiers", "asserted_by", "contradicts",
               "stated_on", "valid_from", "valid_until", "on", "tense", "status", "supported_by", "contradicted_by",
               "history", "notes"),
    "evidence": ("claim", "source", "effect", "locator", "paraphrase"),
    "rates": ("currency", "usd", "on", "source", "notes"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "sources": ("id",), "entities": ("id",), "claims": ("id",), "evidence": ("claim", "source"),
    "rates": ("currency",),
}
#: file name -> section
FILES = {f"{sec}.csv": sec for sec in COLUMNS}
_LISTS = {"aliases", "asserted_by", "contradicts", "supported_by", "contradicted_by"}
_ORDER = ("sources", "entities", "claims", "rates", "evidence")


# -- reading ---------------------------------------------------------------------------------------
def _split_list(cell: str) -> list[str]:
    if cell.startswith("["):
        try:
            items = json.loads(cell)
        except (json.JSONDecodeError, RecursionError):
            items = None
        if isinstance(items, list) and all(isinstance(x, str) for x in items):
            return items
    return [x.strip() for x in cell.split(";") if x.strip()]


def _maybe_json(cell: str) -> Any:
    """A cell that holds a JSON object is a mapping (a quantity written exactly); else text."""
    if cell.startswith("{"):
        try:
            obj = json.loads(cell)
        except (json.JSONDecodeError, RecursionError):
            return cell
        if isinstance(obj, dict):
            return obj
    return cell


_NUMBER = re.compile(r"[-+]?\d+")
_FLOAT = re.compile(r"[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?")


def _attr_value(cell: str) -> Any:
    """An ``attr_<name>`` cell: true/false, a number written as a number is written (``1993``,
    ``-2.5``), else text. Text that only looks like a number keeps its characters: ``02139``
    (a postcode), ``+44``, ``1.50``, ``1e3`` stay as written."""
    low = cell.lower()
    if low in ("true", "false"):
        return low == "true"
    if _NUMBER.fullmatch(cell):
        n = int(cell)
        return n if str(n) == cell else cell
    if _FLOAT.fullmatch(cell):
        x = float(cell)
        return x if repr(x) == cell else cell
    return cell


class _Table:
    """One CSV file, read row by row (a million rows never sit in memory at once), with the
    problems met: ``problems`` (header and rows, in order) and ``cell_problems`` (cells that
    hold bad JSON, in row order). :meth:`rows` reads the rows once; :meth:`drain` reads what is
    left, so that every row's problems are reported."""

    def __init__(self, name: str, section: str, lines: Iterable[str]):
        self.name, self.section = name, section
        self.problems: list[Problem] = []
        self.cell_problems: list[Problem] = []
        self._reader = csv.reader(lines)
        self._done = False
        try:
            header = next(self._reader, None)
        except csv.Error as exc:
            raise DatasetError([Problem(Origin(name, 1), f"CSV error: {exc}")]) from None
        if header is None:
            self.header: list[str] = []
            self._done = True
            return
        self.header = [h.strip() for h in header]
        self.unknown: set[str] = set()
        self._check_header()

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(row number as a spreadsheet counts it, the row's non-empty cells stripped)."""
        if self._done:
            return
        self._done = True
        name, header = self.name, self.header
        row_no = 1
        try:
            for cells in self._reader:
                row_no += 1
                # speed: most cells are empty; strip each non-empty cell once. A cell of an unknown
                # column is not a field of the row: the header's problem says it once, and the
                # rest of the row is still checked
                unknown = self.unknown
                got = {h: v for h, c in zip(header, cells, strict=False)
                       if c and (v := c.strip()) and h and h not in unknown}
                if len(cells) > len(header):
                    extra = [c for c in cells[len(header):] if c.strip()]
                    if extra:
                        self.problems.append(Problem(Origin(name, row_no), f"{len(cells)} cells but {len(header)} columns in the header: quote cells that hold commas"))
                        continue
                if not got and not any(c.strip() for c in cells):
                    continue
                yield row_no, got
        except csv.Error as exc:
            self.problems.append(Problem(Origin(name, row_no + 1), f"CSV error: {exc}"))

    def drain(self) -> None:
        for _ in self.rows():
            pass

    def _check_header(self) -> None:
        import difflib

        known = COLUMNS[self.section]
        seen: set[str] = set()
        for h in self.header:
            if not h:
                continue
            if h in seen:
                self.problems.append(Problem(Origin(self.name, 1, column=h), f"column {h!r} appears twice: keep one"))
            seen.add(h)
            ok = h in known or (self.section == "claims" and h.startswith("q_") and len(h) > 2) or (
                self.section == "entities" and h.startswith("attr_") and len(h) > 5)
            if not ok:
                self.unknown.add(h)
                match = difflib.get_close_matches(h, known, n=1, cutoff=0.6)
                hint = f": did you mean {match[0]!r}?" if match else f" (columns: {', '.join(known)})"
                self.problems.append(Problem(Origin(self.name, 1, column=h), f"unknown column {h!r} in {self.section}.csv{hint}"))
        for need in REQUIRED[self.section]:
            if need not in seen:
                self.problems.append(Problem(Origin(self.name, 1), f"{self.section}.csv has no {need!r} column: add it to the header"))


def _origin(name: str, row: int, column: str | None = None) -> Origin:
    return Origin(name, line=row, column=column)


class _SimpleWhere:
    """Where a field of a source, entity or rate row came from (``RecordIn.where``)."""

    __slots__ = ("name", "section", "row", "cols")

    def __init__(self, name: str, section: str, row: int, cols: frozenset[str]):
        self.name, self.section, self.row, self.cols = name, section, row, cols

    @property
    def file(self) -> str:
        """The file, as ``self(()).file`` (without building an Origin)."""
        return self.name

    def __call__(self, path: tuple) -> Origin:
        name, row, cols = self.name, self.row, self.cols
        if not path:
            return _origin(name, row)
        head = str(path[0])
        if head == "attributes" and len(path) > 1 and f"attr_{path[1]}" in cols:
            return _origin(name, row, f"attr_{path[1]}")
        return _origin(name, row, head if head in cols or head in COLUMNS[self.section] else None)


class _ClaimWhere:
    """Where a field of a claim row came from. ``ev`` says where each piece of evidence came
    from: a column name of the claim's row (supported_by / contradicted_by), or a row number
    of ``ev_name`` (evidence.csv)."""

    __slots__ = ("name", "row", "cols", "ev_name", "ev")

    def __init__(self, name: str, row: int, cols: frozenset[str], ev_name: str | None, ev: tuple):
        self.name, self.row, self.cols, self.ev_name, self.ev = name, row, cols, ev_name, ev

    @property
    def file(self) -> str:
        """The file, as ``self(()).file`` (without building an Origin)."""
        return self.name

    def _ev_origin(self, i: int) -> Origin:
        spec = self.ev[i]
        return _origin(self.name, self.row, spec) if isinstance(spec, str) else _origin(self.ev_name, spec)

    def __call__(self, path: tuple) -> Origin:
        name, row, cols = self.name, self.row, self.cols
        if not path:
            return _origin(name, row)
        head = str(path[0])
        if head == "evidence":
            if len(path) > 1 and isinstance(path[1], int) and path[1] < len(self.ev):
                o = self._ev_origin(path[1])
                if o.file != name and len(path) > 2:
                    return Origin(o.file, o.line, column=str(path[2]))
                return o
            return _origin(name, row, "supported_by")
        if head == "qualifiers" and len(path) > 1:
            col = f"q_{path[1]}"
            return _origin(name, row, col if col in cols else "qualifiers")
        if head in cols or head in COLUMNS["claims"]:
            return _origin(name, row, head)
        return _origin(name, row)


class _Reading:
    """State shared by the records of one CSV dataset: one instance of each distinct set of
    column names, of repeated cells (sources, effects), and of identical evidence."""

    def __init__(self) -> None:
        self.colsets: dict[frozenset[str], frozenset[str]] = {}
        self.cells: dict[str, str] = {}
        self.share: dict = {}

    def cols(self, cells: dict[str, str]) -> frozenset[str]:
        key = frozenset(cells)
        return self.colsets.setdefault(key, key)

    def record(self, section: str, data: dict, where: Callable[[tuple], Origin]) -> RecordIn:
        """The record validated now (its raw cells are dropped; its problems are kept)."""
        rec = RecordIn(section, data, where)
        rec.validated = validate_record(rec, self.share)
        if not isinstance(rec.validated, list):  # a bad record keeps its data: its references are checked too
            rec.data = None
        return rec


def _row_data(table: _Table, row: int, cells: dict[str, str]) -> dict[str, Any]:
    name, section = table.name, table.section
    data: dict[str, Any] = {}
    for col, cell in cells.items():
        if col in _LISTS:
            data[col] = _split_list(cell)
        elif col.startswith("q_") and section == "claims":
            data.setdefault("qualifiers", {})[col[2:]] = _maybe_json(cell)
        elif col.startswith("attr_") and section == "entities":
            data.setdefault("attributes", {})[col[5:]] = _attr_value(cell)
        elif col in ("qualifiers", "attributes"):
            try:
                obj = json.loads(cell)
            except json.JSONDecodeError as exc:
                table.cell_problems.append(Problem(_origin(name, row, col), f"{col} must be a JSON object ({exc.msg}): e.g. {{\"stake\": \"7%\"}}"))
                obj = {}
            except RecursionError:
                table.cell_problems.append(Problem(_origin(name, row, col), f"{col}: JSON nested too deeply: use a flat object, e.g. {{\"stake\": \"7%\"}}"))
                obj = {}
            if not isinstance(obj, dict):
                table.cell_problems.append(Problem(_origin(name, row, col), f"{col} must be a JSON object, e.g. {{\"stake\": \"7%\"}}"))
                obj = {}
            for k, v in obj.items():
                if k in data.get(col, {}):
                    prefix = "q_" if col == "qualifiers" else "attr_"
                    table.cell_problems.append(Problem(_origin(name, row, col), f"{k!r} is given both in {col} and in column {prefix}{k}: keep one"))
                data.setdefault(col, {})[k] = v
        elif col == "value":
            data[col] = _maybe_json(cell)
        elif col == "history" and section == "claims":
            data[col] = _history_cell(table, row, cell)
        else:
            data[col] = cell
    return data


_HISTORY_HINT = '[{"on": "2025-10", "status": "reported", "sources": ["s1"]}]'


def _history_cell(table: _Table, row: int, cell: str) -> Any:
    """A status history: a JSON array of entries (a bad cell is a located problem)."""
    try:
        items = json.loads(cell)
    except (json.JSONDecodeError, RecursionError):
        items = None
    if not isinstance(items, list):
        table.cell_problems.append(Problem(_origin(table.name, row, "history"),
                                           f"history must be a JSON array of entries, e.g. {_HISTORY_HINT}"))
        return None
    return items


def _section_records(table: _Table, reading: _Reading) -> Iterator[RecordIn]:
    for row, cells in table.rows():
        data = _row_data(table, row, cells)
        yield reading.record(table.section, data, _SimpleWhere(table.name, table.section, row, reading.cols(cells)))


_EvRow = tuple  # (evidence.csv row number, the row's cells but the claim: ((column, cell), ...))


def _read_evidence(evidence: _Table, reading: _Reading) -> tuple[dict[str, list[_EvRow]], list[int]]:
    """evidence.csv read before the claims (a claim is validated with all its evidence):
    claim id -> its rows in order; and the rows with an empty claim cell."""
    pending: dict[str, list[_EvRow]] = {}
    no_claim: list[int] = []
    keep = reading.cells.setdefault
    for row, cells in evidence.rows():
        cid = cells.pop("claim", None)
        if cid is None:
            if "claim" in evidence.header:
                no_claim.append(row)
            continue
        item = tuple((k, keep(v, v) if k in ("source", "effect") else v) for k, v in cells.items())
        pending.setdefault(cid, []).append((row, item))
    return pending, no_claim


def _claim_records(claims: _Table, evidence: _Table | None, reading: _Reading, reopen: Callable[[], _Table]) -> Iterator[RecordIn]:
    """Claims with their evidence: supported_by / contradicted_by cells, then evidence.csv rows
    (given to the first claim of that id)."""
    pending, no_claim = _read_evidence(evidence, reading) if evidence is not None else ({}, [])
    ev_name = evidence.name if evidence is not None else None
    for row, cells in claims.rows():
        data = _row_data(claims, row, cells)
        evs: list[dict] = []
        where_ev: list[str | int] = []
        for col, effect in (("supported_by", "supports"), ("contradicted_by", "contradicts")):
            for src in data.pop(col, []):
                evs.append({"source": src, "effect": effect})
                where_ev.append(col)
        cid = data.get("id")
        if isinstance(cid, str) and pending:
            for ev_row, item in pending.pop(cid, ()):
                evs.append(dict(item))
                where_ev.append(ev_row)
        data["evidence"] = evs
        yield reading.record("claims", data, _ClaimWhere(claims.name, row, reading.cols(cells), ev_name, tuple(where_ev)))
    if evidence is None:
        return
    if pending:  # evidence for claims that claims.csv does not have
        ids = Suggester(cells["id"] for _, cells in reopen().rows() if "id" in cells)
        for row, cid in sorted((row, cid) for cid, rows in pending.items() for row, _ in rows):
            hint = ids.hint(cid)
            evidence.cell_problems.append(Problem(_origin(evidence.name, row, "claim"), f"unknown claim {cid!r}{hint} (evidence rows name a claim of claims.csv)"))
    for row in no_claim:
        evidence.cell_problems.append(Problem(_origin(evidence.name, row, "claim"), "empty claim cell: name the claim this evidence is for"))


#: a table's text: (display name, a function returning its lines; called again to reread)
_Text = tuple[str, Callable[[], Iterable[str]]]


def _text_lines(text: str) -> Callable[[], Iterable[str]]:
    return lambda: io.StringIO(text, newline="")


def _file_lines(path: Path, name: str) -> Callable[[], Iterable[str]]:
    """The lines of a CSV file, read as they are parsed; raises the located DatasetError of a
    file that is not UTF-8 text, not a regular file or has an endless line (checked in chunks
    first: the file is never held whole)."""
    _check_file(path, name)

    def lines() -> Iterator[str]:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            yield from fh

    return lines


def _check_file(path: Path, name: str) -> None:
    check_regular(path)
    with open(path, "rb") as fh:
        scan_text(fh.read, name)


def _records_from_texts(texts: dict[str, _Text]) -> Iterator[RecordIn | Problem]:
    """``texts``: section -> (display name, its lines). Records are validated as they are read;
    the problems met reading the files come last."""
    tables: dict[str, _Table] = {}
    problems: list[Problem] = []
    for section in _ORDER:
        if section in texts:
            name, lines = texts[section]
            try:
                tables[section] = _Table(name, section, lines())
            except DatasetError as exc:
                problems.extend(exc.problems)
    reading = _Reading()
    for section in ("sources", "entities", "rates"):
        if section in tables:
            yield from _section_records(tables[section], reading)
    if "claims" in tables:
        name, lines = texts["claims"]
        yield from _claim_records(tables["claims"], tables.get("evidence"), reading,
                                  lambda: _Table(name, "claims", lines()))
    elif "evidence" in tables:
        problems.append(Problem(Origin(tables["evidence"].name), "evidence.csv needs its claims.csv beside it"))
    for t in tables.values():
        t.drain()
        problems.extend(t.problems)
        problems.extend(t.cell_problems)
    yield from problems


def _sniff(lines: Iterable[str]) -> str | None:
    """The section a CSV file of another name holds, from its header's telling columns."""
    try:
        header = {h.strip() for h in next(csv.reader(lines), [])}
    except csv.Error:
        return None
    for section, telling in (("claims", {"predicate"}), ("evidence", {"claim", "source"}),
                             ("sources", {"tier"}), ("entities", {"kind"}), ("rates", {"currency", "usd"})):
        if telling <= header:
            return section
    return None


def csv_records(path: Path) -> Iterator[RecordIn | Problem]:
    """Records of one CSV file. Its section is known by its name (``claims.csv`` ...) or, for
    another name (``my-claims.csv``), by its header (a ``predicate`` column: claims; ``tier``:
    sources; ``kind``: entities; ``currency`` and ``usd``: rates). Evidence rows belong with
    their claims: give the folder that holds both."""
    lines = _file_lines(path, str(path))
    section = FILES.get(path.name.lower()) or _sniff(lines())
    if section is None:
        raise DatasetError([Problem(Origin(str(path), 1), f"cannot tell what {path.name!r} holds: name it {', '.join(FILES)}, or give it the columns of one (see docs/interchange.md)")])
    if section == "evidence":
        raise DatasetError([Problem(Origin(str(path)), "evidence rows need their claims.csv: give the folder that holds both")])
    yield from _records_from_texts({section: (str(path), lines)})


def is_csv_folder(path: Path) -> bool:
    return path.is_dir() and any((path / f).is_file() for f in FILES)


def csv_folder_records(path: Path) -> Iterator[RecordIn | Problem]:
    """Records of a CSV folder, and of any YAML, JSON or zip dataset files beside the CSV files
    (every other entry is a problem, see :func:`claimgraph.io.files.folder_entries`)."""
    from . import READERS, SIDE_FILES, reader

    texts: dict[str, _Text] = {}
    files, problems = folder_entries(path, READERS, SIDE_FILES)
    others = []
    for f in files:
        section = FILES.get(f.name.lower())
        if section is not None:
            if section in texts:  # two names for one file (case collisions are reported)
                continue
            try:
                texts[section] = (str(f), _file_lines(f, str(f)))
            except DatasetError as exc:
                problems.extend(exc.problems)
        elif f.suffix.lower() == ".csv":
            problems.append(Problem(Origin(str(f)), f"unknown CSV file {f.name!r} in a CSV dataset: use {', '.join(FILES)}"))
        else:
            others.append(f)
    yield from problems
    yield from _records_from_texts(texts)
    for f in others:
        try:
            yield from reader(READERS[f.suffix.lower()])(f)
        except DatasetError as exc:
            yield from exc.problems


#: what can go wrong reading a zip that is damaged, or made to hurt
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error, ValueError,
               NotImplementedError, RuntimeError, KeyError)


def _zip_reason(exc: BaseException) -> str:
    if isinstance(exc, NotImplementedError):
        return f"{exc}: zip it again with the usual (deflate) compression"
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc):
        return "it is encrypted: zip it without a password"
    return str(exc) or type(exc).__name__


def _zip_member_problem(info: zipfile.ZipInfo, member: str) -> Problem | None:
    """A member that is too big, inflates too much or is a link (checked before reading)."""
    limit = max_input_bytes()
    if (info.external_attr >> 16) & 0o170000 == 0o120000:
        return Problem(Origin(member), "is a symbolic link inside the zip: zip the file itself")
    if info.file_size > limit:
        return Problem(Origin(member), f"is {size_text(info.file_size)} unzipped, more than the limit of "
                                       f"{size_text(limit)}: unzip it and give the folder (or raise CLAIMGRAPH_MAX_INPUT_MB)")
    ratio = max_zip_ratio()
    if info.file_size > 1024 * 1024 and info.file_size > ratio * max(info.compress_size, 1):
        return Problem(Origin(member), f"inflates {info.file_size / max(info.compress_size, 1):,.0f} times "
                                       f"({size_text(info.compress_size)} to {size_text(info.file_size)}), more than "
                                       f"the limit of {ratio:g}: is it a zip bomb? (or raise CLAIMGRAPH_MAX_ZIP_RATIO)")
    return None


def _zip_lines(zf: zipfile.ZipFile, info: zipfile.ZipInfo, member: str) -> Callable[[], Iterable[str]]:
    """The lines of a zip member, unzipped as they are parsed (checked first: UTF-8, no endless
    line, and the whole member unzips)."""
    try:
        with zf.open(info) as fh:
            scan_text(fh.read, member)
    except _ZIP_ERRORS as exc:
        raise DatasetError([Problem(Origin(member), f"cannot read it from the zip: {_zip_reason(exc)}")]) from None

    def lines() -> Iterator[str]:
        try:
            with zf.open(info) as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as fh:
                yield from fh
        except _ZIP_ERRORS as exc:
            raise DatasetError([Problem(Origin(member), f"cannot read it from the zip: {_zip_reason(exc)}")]) from None

    return lines


def zip_records(path: Path) -> Iterator[RecordIn | Problem]:
    """Records of a zip holding the CSV files (at its top, or in one folder inside it). Every
    member is read or named in a problem; members are unzipped as they are read, within the
    limits of :mod:`claimgraph.io.files` (size, inflation)."""
    name = str(path)
    try:
        zf = zipfile.ZipFile(path)
    except _ZIP_ERRORS as exc:
        raise DatasetError([Problem(Origin(name), f"not a readable zip file: {_zip_reason(exc)}")]) from None
    texts: dict[str, _Text] = {}
    problems: list[Problem] = []
    with zf:
        members = [i for i in zf.infolist() if not i.is_dir() and not Path(i.filename).name.startswith(".")
                   and "__MACOSX" not in Path(i.filename).parts]
        problems += case_collisions([i.filename for i in members], name)
        found = []
        for i in members:
            section = FILES.get(Path(i.filename).name.lower())
            if section is None:
                problems.append(Problem(Origin(f"{name}/{i.filename}"), f"not a CSV dataset file: a zip holds {', '.join(FILES)} "
                                                                       "(take the others out)"))
            else:
                found.append((i, section))
        if not found:
            raise DatasetError(problems + [Problem(Origin(name), f"no CSV dataset files in this zip (looked for {', '.join(FILES)})")])
        folders = {str(Path(i.filename).parent) for i, _ in found}
        if len(folders) > 1:
            raise DatasetError([Problem(Origin(name), f"the zip holds CSV files in several folders ({', '.join(sorted(folders))}): zip one dataset")])
        for info, section in found:
            member = f"{name}/{info.filename}"
            bad = _zip_member_problem(info, member)
            if bad is not None:
                problems.append(bad)
                continue
            if section in texts:
                continue  # a second copy: reported above
            try:
                texts[section] = (member, _zip_lines(zf, info, member))
            except DatasetError as exc:
                problems.extend(exc.problems)
        yield from problems
        yield from _records_from_texts(texts)


# -- writing ---------------------------------------------------------------------------------------
def _list_cell(items: list[str]) -> str:
    if any(";" in x or not x.strip() or x != x.strip() or x.startswith("[") for x in items):
        return json.dumps(items, ensure_ascii=False)
    return "; ".join(items)


def _quantity_cell(data: dict) -> str:
    """Short text when it reads back exactly (``USD 2B``, ``7%``), else the JSON object."""
    exact = json.dumps(data, sort_keys=True)
    try:
        q = Quantity.model_validate(data)
        text = str(q)
        if json.dumps(Quantity.model_validate(text).to_data(), sort_keys=True) == exact:
            return text
    except ValueError:
        pass
    return json.dumps(data, ensure_ascii=False)


def _value_cell(v: Any) -> str:
    if isinstance(v, dict):
        return _quantity_cell(v)
    return "" if v is None else str(v)


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


class Writer:
    """``csv.writer(fh, lineterminator="\n")`` that also quotes a cell holding a bare carriage
    return. Python 3.11's writer quotes a cell only for the characters of its own line
    terminator, so ``a\rb`` was written bare and read back (newline="") as a row break. Only
    the cells that need it are quoted: an empty cell stays empty, not ``""`` (which neo4j-admin
    import reads as an empty string rather than a missing value)."""

    def __init__(self, fh) -> None:
        self._fh = fh
        self._plain = csv.writer(fh, lineterminator="\n")

    def writerow(self, row: list[str]) -> None:
        if "\r" not in "\x00".join(row):
            self._plain.writerow(row)
        elif len(row) == 1 and row[0] == "":
            self._fh.write('""\n')
        else:
            self._fh.write(",".join(_quoted(cell) for cell in row) + "\n")

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def _quoted(cell: str) -> str:
    if any(ch in cell for ch in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def write_csv(landscape, folder: str | Path) -> list[Path]:
    """Write ``landscape`` as CSV files into the existing ``folder``: ``sources.csv``,
    ``entities.csv``, ``claims.csv``, ``evidence.csv`` (every piece of evidence, in order) and
    ``rates.csv``. Reading the folder back gives the same landscape. Returns the files written.

    For a folder that appears whole or not at all use
    ``claimgraph.export(path, "csv")`` or :func:`claimgraph.io.write_dataset`.
    """
    data = lazy_data(landscape)  # record by record: a million claims never sit in memory twice
    folder = Path(folder)
    qual_names = [q for q in landscape.vocabulary.qualifiers]
    used = {k for c in landscape.claims.values() for k in c.qualifiers}
    qual_cols = [q for q in qual_names if q in used] + sorted(used - set(qual_names))
    written = []

    def table(fname: str, header: list[str], rows) -> None:
        path = folder / fname
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = Writer(fh)
            w.writerow(header)
            w.writerows(rows)
        written.append(path)

    table("sources.csv", list(COLUMNS["sources"]),
          ([_text(s.get(c)) for c in COLUMNS["sources"]] for s in data["sources"]()))

    def entity_row(e: dict) -> list[str]:
        row = []
        for c in COLUMNS["entities"]:
            v = e.get(c)
            if c == "aliases":
                row.append(_list_cell(v) if v else "")
            elif c == "attributes":
                row.append(json.dumps(v, ensure_ascii=False) if v else "")
            else:
                row.append(_text(v))
        return row

    table("entities.csv", list(COLUMNS["entities"]), (entity_row(e) for e in data["entities"]()))

    # the contradicts column only where a claim names others (older files stay as they were)
    linked = any(c.contradicts for c in landscape.claims.values())
    claim_cols = [c for c in COLUMNS["claims"] if c not in ("qualifiers", "supported_by", "contradicted_by")
                  and (linked or c != "contradicts")]
    vi = claim_cols.index("value") + 1
    header = claim_cols[:vi] + [f"q_{q}" for q in qual_cols] + claim_cols[vi:]

    def claim_row(c: dict) -> list[str]:
        row = []
        for col in claim_cols[:vi]:
            row.append(_value_cell(c.get(col)) if col == "value" else _text(c.get(col)))
        quals = c.get("qualifiers", {})
        for q in qual_cols:
            v = quals.get(q)
            row.append(_quantity_cell(v) if isinstance(v, dict) else _text(v))
        for col in claim_cols[vi:]:
            v = c.get(col)
            if col in ("asserted_by", "contradicts") and v:
                row.append(_list_cell(v))
            elif col == "history" and v:
                row.append(json.dumps(v, ensure_ascii=False))
            else:
                row.append(_text(v))
        return row

    # claims.csv and evidence.csv in one pass over the claims
    with open(folder / "claims.csv", "w", encoding="utf-8", newline="") as fc, \
            open(folder / "evidence.csv", "w", encoding="utf-8", newline="") as fe:
        wc, we = Writer(fc), Writer(fe)
        wc.writerow(header)
        we.writerow(list(COLUMNS["evidence"]))
        for c in data["claims"]():
            wc.writerow(claim_row(c))
            we.writerows([c["id"], e["source"], e.get("effect", "supports"), _text(e.get("locator")), _text(e.get("paraphrase"))]
                         for e in c["evidence"])
    written += [folder / "claims.csv", folder / "evidence.csv"]
    if landscape.rates:
        table("rates.csv", list(COLUMNS["rates"]), ([_text(r.get(c)) for c in COLUMNS["rates"]] for r in data["rates"]()))
    return written


def lazy_data(landscape) -> dict[str, Callable[[], Iterator[dict]]]:
    """The sections of :func:`claimgraph.io.json_io.to_data` as functions yielding the same
    records one by one (ids sorted), for writers of large landscapes."""
    from .json_io import _entity

    def by_id(x):
        return x.id

    return {
        "sources": lambda: (s.model_dump(mode="json", exclude_none=True) for s in sorted(landscape.sources.values(), key=by_id)),
        "entities": lambda: (_entity(e) for e in sorted(landscape.entities.values(), key=by_id)),
        "claims": lambda: (c.to_data() for c in sorted(landscape.claims.values(), key=by_id)),
        "rates": lambda: (r.model_dump(mode="json", exclude_none=True) for r in landscape.rates),
    }


# -- CSV folder ---------------------------------------------------------------------------------------
def write_csv_folder(landscape, path: str | Path) -> None:
    """The spreadsheet CSV layout (loads back), as a folder that appears whole."""
    from ..fileio import atomic_folder

    with atomic_folder(path) as tmp:
        write_csv(landscape, tmp)
