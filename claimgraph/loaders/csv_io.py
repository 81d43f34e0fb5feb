"""Spreadsheet CSV in and out: a folder (or a zip) of ``sources.csv``, ``entities.csv``,
``claims.csv`` and, optionally, ``evidence.csv`` and ``rates.csv``.

The layout is documented in ``docs/interchange.md``. In short: one record per row, the header
names the fields; empty cells are absent fields; lists (aliases, asserted_by, supported_by,
contradicted_by) are ``;``-separated (or a JSON array); qualifiers are ``q_<name>`` columns (or a
``qualifiers`` column holding a JSON object); a quantity is short text (``USD 2B``, ``7%``,
``up to 5%``) or a JSON object (``{"value": 100, "unit": "TOPS"}``); dates are ISO or partial
(``2026``, ``2026-01``, ``2026-01-17``). Files are UTF-8, with or without a byte-order mark.

Problems name the file, the row as a spreadsheet numbers it (the header is row 1) and the
column: ``claims.csv:7 (column q_stake): qualifier stake 107% is outside 0-100%``.

>>> import tempfile, pathlib, claimgraph
>>> from claimgraph.generate import generate
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
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..dataset import RecordIn
from ..errors import DatasetError, Origin, Problem
from ..model import Quantity

__all__ = ["csv_records", "csv_folder_records", "zip_records", "write_csv", "COLUMNS", "FILES"]

#: the columns each file may have (besides ``q_<qualifier>`` in claims.csv and
#: ``attr_<name>`` in entities.csv), in the order :func:`write_csv` writes them.
COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": ("id", "title", "publisher", "url", "published", "language", "tier", "retrieved", "notes"),
    "entities": ("id", "name", "kind", "aliases", "attributes", "notes"),
    "claims": ("id", "subject", "predicate", "object", "value", "qualifiers", "asserted_by", "stated_on",
               "valid_from", "valid_until", "status", "supported_by", "contradicted_by", "notes"),
    "evidence": ("claim", "source", "effect", "locator", "paraphrase"),
    "rates": ("currency", "usd", "on", "source", "notes"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "sources": ("id",), "entities": ("id",), "claims": ("id",), "evidence": ("claim", "source"),
    "rates": ("currency",),
}
#: file name -> section
FILES = {f"{sec}.csv": sec for sec in COLUMNS}
_LISTS = {"aliases", "asserted_by", "supported_by", "contradicted_by"}
_ORDER = ("sources", "entities", "claims", "rates", "evidence")


# -- reading ---------------------------------------------------------------------------------------
def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DatasetError([Problem(Origin(name), "file is UTF-16 text (Excel's \"Unicode text\"): save it as CSV UTF-8")])
    if b"\x00" in data:
        raise DatasetError([Problem(Origin(name), "file contains NUL bytes: save it as CSV (UTF-8)")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DatasetError([Problem(Origin(name, line), f"not UTF-8 text (byte 0x{data[exc.start]:02x}): save the file as CSV UTF-8")]) from None


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
    low = cell.lower()
    if low in ("true", "false"):
        return low == "true"
    if _NUMBER.fullmatch(cell):
        return int(cell)
    if _FLOAT.fullmatch(cell):
        return float(cell)
    return cell


class _Table:
    """One CSV file read into rows, with the problems met."""

    def __init__(self, name: str, section: str, text: str):
        self.name, self.section = name, section
        self.problems: list[Problem] = []
        self.rows: list[tuple[int, dict[str, str]]] = []
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise DatasetError([Problem(Origin(name, 1), f"CSV error: {exc}")]) from None
        if header is None:
            self.header: list[str] = []
            return
        self.header = [h.strip() for h in header]
        self._check_header()
        row_no = 1
        try:
            for cells in reader:
                row_no += 1
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) > len(self.header):
                    extra = [c for c in cells[len(self.header):] if c.strip()]
                    if extra:
                        self.problems.append(Problem(Origin(name, row_no), f"{len(cells)} cells but {len(self.header)} columns in the header: quote cells that hold commas"))
                        continue
                self.rows.append((row_no, {h: c.strip() for h, c in zip(self.header, cells, strict=False) if h and c.strip()}))
        except csv.Error as exc:
            self.problems.append(Problem(Origin(name, row_no + 1), f"CSV error: {exc}"))

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
                match = difflib.get_close_matches(h, known, n=1, cutoff=0.6)
                hint = f": did you mean {match[0]!r}?" if match else f" (columns: {', '.join(known)})"
                self.problems.append(Problem(Origin(self.name, 1, column=h), f"unknown column {h!r} in {self.section}.csv{hint}"))
        for need in REQUIRED[self.section]:
            if need not in seen:
                self.problems.append(Problem(Origin(self.name, 1), f"{self.section}.csv has no {need!r} column: add it to the header"))


def _origin(name: str, row: int, column: str | None = None) -> Origin:
    return Origin(name, line=row, column=column)


def _simple_where(name: str, section: str, row: int, cols: dict[str, str]) -> Callable[[tuple], Origin]:
    def where(path: tuple) -> Origin:
        if not path:
            return _origin(name, row)
        head = str(path[0])
        if head == "attributes" and len(path) > 1 and f"attr_{path[1]}" in cols:
            return _origin(name, row, f"attr_{path[1]}")
        return _origin(name, row, head if head in cols or head in COLUMNS[section] else None)

    return where


def _section_records(table: _Table) -> Iterator[tuple[RecordIn, dict[str, str], int]]:
    name, section = table.name, table.section
    for row, cells in table.rows:
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
                    table.problems.append(Problem(_origin(name, row, col), f"{col} must be a JSON object ({exc.msg}): e.g. {{\"stake\": \"7%\"}}"))
                    obj = {}
                except RecursionError:
                    table.problems.append(Problem(_origin(name, row, col), f"{col}: JSON nested too deeply: use a flat object, e.g. {{\"stake\": \"7%\"}}"))
                    obj = {}
                if not isinstance(obj, dict):
                    table.problems.append(Problem(_origin(name, row, col), f"{col} must be a JSON object, e.g. {{\"stake\": \"7%\"}}"))
                    obj = {}
                for k, v in obj.items():
                    if k in data.get(col, {}):
                        prefix = "q_" if col == "qualifiers" else "attr_"
                        table.problems.append(Problem(_origin(name, row, col), f"{k!r} is given both in {col} and in column {prefix}{k}: keep one"))
                    data.setdefault(col, {})[k] = v
            elif col == "value":
                data[col] = _maybe_json(cell)
            else:
                data[col] = cell
        yield RecordIn(section, data, _simple_where(name, section, row, cells)), cells, row


def _claim_records(claims: _Table, evidence: _Table | None) -> Iterator[RecordIn]:
    """Claims with their evidence: supported_by / contradicted_by cells, then evidence.csv rows."""
    out: list[RecordIn] = []
    ev_where: dict[int, list[Origin]] = {}
    by_id: dict[str, int] = {}
    for rec, cells, row in _section_records(claims):
        data = rec.data
        evs: list[dict] = []
        where_ev: list[Origin] = []
        for col, effect in (("supported_by", "supports"), ("contradicted_by", "contradicts")):
            for src in data.pop(col, []):
                evs.append({"source": src, "effect": effect})
                where_ev.append(_origin(claims.name, row, col))
        data["evidence"] = evs
        idx = len(out)
        ev_where[idx] = where_ev
        if isinstance(data.get("id"), str):
            by_id.setdefault(data["id"], idx)
        out.append(RecordIn("claims", data, _claim_where(claims.name, row, cells, where_ev)))
    if evidence is not None:
        for row, cells in evidence.rows:
            cid = cells.get("claim")
            if cid is None:
                continue  # reported as a missing column or an empty cell below
            idx = by_id.get(cid)
            if idx is None:
                import difflib

                match = difflib.get_close_matches(cid, list(by_id), n=1, cutoff=0.6)
                hint = f": did you mean {match[0]!r}?" if match else ""
                evidence.problems.append(Problem(_origin(evidence.name, row, "claim"), f"unknown claim {cid!r}{hint} (evidence rows name a claim of claims.csv)"))
                continue
            item = {k: v for k, v in cells.items() if k != "claim"}
            out[idx].data["evidence"].append(item)
            ev_where[idx].append(_origin(evidence.name, row))
        for row, cells in evidence.rows:
            if "claim" not in cells and "claim" in evidence.header:
                evidence.problems.append(Problem(_origin(evidence.name, row, "claim"), "empty claim cell: name the claim this evidence is for"))
    yield from out


def _claim_where(name: str, row: int, cells: dict[str, str], where_ev: list[Origin]) -> Callable[[tuple], Origin]:
    def where(path: tuple) -> Origin:
        if not path:
            return _origin(name, row)
        head = str(path[0])
        if head == "evidence":
            if len(path) > 1 and isinstance(path[1], int) and path[1] < len(where_ev):
                o = where_ev[path[1]]
                if o.file != name and len(path) > 2:
                    return Origin(o.file, o.line, column=str(path[2]))
                return o
            return _origin(name, row, "supported_by")
        if head == "qualifiers" and len(path) > 1:
            col = f"q_{path[1]}"
            return _origin(name, row, col if col in cells else "qualifiers")
        if head in cells or head in COLUMNS["claims"]:
            return _origin(name, row, head)
        return _origin(name, row)

    return where


def _records_from_texts(texts: dict[str, tuple[str, str]]) -> Iterator[RecordIn | Problem]:
    """``texts``: section -> (display name, text)."""
    tables: dict[str, _Table] = {}
    problems: list[Problem] = []
    for section in _ORDER:
        if section in texts:
            name, text = texts[section]
            try:
                tables[section] = _Table(name, section, text)
            except DatasetError as exc:
                problems.extend(exc.problems)
    records: list[RecordIn] = []
    for section in ("sources", "entities", "rates"):
        if section in tables:
            records.extend(rec for rec, _, _ in _section_records(tables[section]))
    if "claims" in tables:
        records.extend(_claim_records(tables["claims"], tables.get("evidence")))
    elif "evidence" in tables:
        problems.append(Problem(Origin(tables["evidence"].name), "evidence.csv needs its claims.csv beside it"))
    for t in tables.values():
        problems.extend(t.problems)
    yield from problems
    yield from records


def _sniff(text: str) -> str | None:
    """The section a CSV file of another name holds, from its header's telling columns."""
    try:
        header = {h.strip() for h in next(csv.reader(io.StringIO(text, newline="")), [])}
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
    text = _decode(path.read_bytes(), str(path))
    section = FILES.get(path.name.lower()) or _sniff(text)
    if section is None:
        raise DatasetError([Problem(Origin(str(path), 1), f"cannot tell what {path.name!r} holds: name it {', '.join(FILES)}, or give it the columns of one (see docs/interchange.md)")])
    if section == "evidence":
        raise DatasetError([Problem(Origin(str(path)), "evidence rows need their claims.csv: give the folder that holds both")])
    yield from _records_from_texts({section: (str(path), text)})


def is_csv_folder(path: Path) -> bool:
    return path.is_dir() and any((path / f).is_file() for f in FILES)


def csv_folder_records(path: Path) -> Iterator[RecordIn | Problem]:
    """Records of a CSV folder, and of any YAML/JSON dataset files beside the CSV files."""
    from . import READERS

    texts: dict[str, tuple[str, str]] = {}
    problems: list[Problem] = []
    others = []
    for f in sorted(path.iterdir()):
        if not f.is_file():
            continue
        section = FILES.get(f.name.lower())
        if section is not None:
            try:
                texts[section] = (str(f), _decode(f.read_bytes(), str(f)))
            except DatasetError as exc:
                problems.extend(exc.problems)
        elif f.suffix.lower() == ".csv":
            problems.append(Problem(Origin(str(f)), f"unknown CSV file {f.name!r} in a CSV dataset: use {', '.join(FILES)}"))
        elif f.suffix.lower() in READERS and f.suffix.lower() not in (".csv", ".zip"):
            others.append(f)
    yield from problems
    yield from _records_from_texts(texts)
    for f in others:
        yield from READERS[f.suffix.lower()](f)


def zip_records(path: Path) -> Iterator[RecordIn | Problem]:
    """Records of a zip holding the CSV files (at its top, or in one folder inside it)."""
    name = str(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DatasetError([Problem(Origin(name), f"not a readable zip file: {exc}")]) from None
    texts: dict[str, tuple[str, str]] = {}
    problems: list[Problem] = []
    with zf:
        members = [i for i in zf.infolist() if not i.is_dir() and not Path(i.filename).name.startswith((".", "__MACOSX"))
                   and "__MACOSX" not in i.filename]
        found = [(i, FILES.get(Path(i.filename).name.lower())) for i in members]
        found = [(i, s) for i, s in found if s is not None]
        if not found:
            raise DatasetError([Problem(Origin(name), f"no CSV dataset files in this zip (looked for {', '.join(FILES)})")])
        folders = {str(Path(i.filename).parent) for i, _ in found}
        if len(folders) > 1:
            raise DatasetError([Problem(Origin(name), f"the zip holds CSV files in several folders ({', '.join(sorted(folders))}): zip one dataset")])
        for info, section in found:
            if info.file_size > 2 * 1024**3:
                problems.append(Problem(Origin(f"{name}/{info.filename}"), "file is larger than 2 GiB: unzip it and give the folder"))
                continue
            member = f"{name}/{info.filename}"
            try:
                texts[section] = (member, _decode(zf.read(info), member))
            except DatasetError as exc:
                problems.extend(exc.problems)
            except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
                problems.append(Problem(Origin(member), f"cannot read from the zip: {exc}"))
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


def write_csv(landscape, folder: str | Path) -> list[Path]:
    """Write ``landscape`` as CSV files into the existing ``folder``: ``sources.csv``,
    ``entities.csv``, ``claims.csv``, ``evidence.csv`` (every piece of evidence, in order) and
    ``rates.csv``. Reading the folder back gives the same landscape. Returns the files written.

    For a folder that appears whole or not at all use
    ``claimgraph.export(path, "csv")`` or :func:`claimgraph.generate.write`.
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
            w = csv.writer(fh, lineterminator="\n")
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

    claim_cols = [c for c in COLUMNS["claims"] if c not in ("qualifiers", "supported_by", "contradicted_by")]
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
            row.append(_list_cell(v) if col == "asserted_by" and v else _text(v))
        return row

    # claims.csv and evidence.csv in one pass over the claims
    with open(folder / "claims.csv", "w", encoding="utf-8", newline="") as fc, \
            open(folder / "evidence.csv", "w", encoding="utf-8", newline="") as fe:
        wc, we = csv.writer(fc, lineterminator="\n"), csv.writer(fe, lineterminator="\n")
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
    """The sections of :func:`claimgraph.loaders.json_io.to_data` as functions yielding the same
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


def _register() -> None:
    from . import FOLDER_READERS, READERS

    READERS[".csv"] = csv_records
    READERS[".zip"] = zip_records
    if not any(reader is csv_folder_records for _, reader in FOLDER_READERS):
        FOLDER_READERS.append((is_csv_folder, csv_folder_records))


_register()
