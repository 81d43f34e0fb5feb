"""The import engine: rows of a file and a mapping in, a checked dataset (and the rows it could
not take, each with its reason) out.

1. Every row is read and mapped (:class:`_RowMapper`): the entities it names, the claims it
   makes, or the problems that keep it out (a missing name, a date that is no date...).
2. References by identifier (``ref``) are resolved over the whole file; identical claims from
   several rows become one claim citing each row.
3. The records are checked by :func:`claimgraph.dataset.assemble`, as ``claimgraph validate``
   checks a dataset, with the vocabulary plus what the file needs (new currencies, the
   mapping's own kinds and predicates). Each problem names the row it came from.
4. Without ``skip_invalid`` any problem stops the import (every problem is listed, nothing is
   written). With it, the rows at fault are set aside with their reasons and the rest checked
   again, until what is left is valid: the dataset and the rejects together hold every row.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import string
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..dataset import Dataset, RecordIn, assemble
from ..errors import DatasetError, Origin, Problem, short
from ..model import SLUG_RE, Claim, Status
from ..values import PartialDate
from ..vocabulary import Vocabulary, default_vocabulary
from .mapping import ClaimSpec, Condition, EntitySpec, Expr, Mapping, QuantitySpec, Ref, SourceSpec
from .names import short_hash, slug
from .readers import Row, read_rows

__all__ = ["ImportResult", "run_import", "event_fields"]

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_MAX_ROUNDS = 6


def event_fields(day: str) -> dict[str, str]:
    """The claim fields of a point-in-time event (a payment, an acquisition) on ``day``: ``on``
    where the claim model has it (docs/time.md), else a validity of that one date. The only
    place the importers write an event's date."""
    if "on" in Claim.model_fields:
        return {"on": day}
    return {"valid_from": day, "valid_until": day}


@dataclass(frozen=True, slots=True)
class _KeyedOrigin(Origin):
    """An origin that also names the record it belongs to, so that a problem assemble() finds
    leads back to the rows behind the record."""

    key: tuple = ()


class _RowProblem(Exception):
    def __init__(self, message: str, column: str | None = None):
        super().__init__(message)
        self.message, self.column = message, column


@dataclass
class _EntityDraft:
    id: str
    name: str
    kind: str
    aliases: list[str]
    attributes: dict[str, Any]
    notes: str | None
    row: int
    columns: dict[str, str]
    rows: set[int] = field(default_factory=set)


@dataclass
class _ClaimDraft:
    row: int
    data: dict[str, Any]  # subject/object/qualifier entity refs still unresolved: ("ref", value) or ("id", id)
    columns: dict[str, str]
    sources: list[dict[str, Any]]
    locator: str | None
    paraphrase: str | None


@dataclass
class ImportResult:
    """What an import made: the checked dataset, the vocabulary extension it needs, the rows it
    rejected (number -> reason) and counts for the report."""

    dataset: Dataset
    extension: dict[str, Any]
    vocabulary: Vocabulary
    rejects: dict[int, list[str]]
    rows: dict[int, Row]
    reader: str
    counts: dict[str, int]
    unmapped: dict[str, int]
    notes: list[str]


# -- expressions ---------------------------------------------------------------------------------
def _get(row: dict[str, Any], path: str, csv_column: bool) -> Any:
    if csv_column or path in row:
        return row.get(path)
    cur: Any = row
    for part in path.split("."):
        if isinstance(cur, dict):
            cur = cur.get(part)
        elif isinstance(cur, list) and part.lstrip("-").isdigit():
            i = int(part)
            cur = cur[i] if -len(cur) <= i < len(cur) else None
        else:
            return None
        if cur is None:
            return None
    return cur


def _empty(v: Any) -> bool:
    return v is None or v == "" or v == [] or v == {}


class _Evaluator:
    def __init__(self, row: dict[str, Any], is_csv: bool):
        self.row, self.is_csv = row, is_csv

    def cond(self, c: Condition | None) -> bool:
        if c is None:
            return True
        if c.all is not None:
            return all(self.cond(x) for x in c.all)
        if c.any is not None:
            return any(self.cond(x) for x in c.any)
        if c.not_ is not None:
            return not self.cond(c.not_)
        v = _get(self.row, c.column or c.field, bool(c.column))
        if isinstance(v, list) and len(v) == 1:
            v = v[0]
        if c.present is not None:
            return (not _empty(v)) == c.present
        if c.in_ is not None:
            if isinstance(v, list):
                return any(x in c.in_ for x in v)
            return v in c.in_
        return v == c.equals or (v is not None and str(v) == str(c.equals))

    def value(self, e: Expr | None, what: str) -> Any:
        if e is None:
            return None
        if not self.cond(e.when):
            return None
        col = e.column or e.field
        if e.column is not None or e.field is not None:
            v = _get(self.row, col, bool(e.column))
        elif e.template is not None:
            v = self._template(e.template)
        elif e.first_of is not None:
            v = None
            for sub in e.first_of:
                v = self.value(sub, what)
                if not _empty(v):
                    break
        else:
            v = e.const
        if not _empty(v):
            for step in e.steps:
                v = _apply(step, v, what, col)
                if _empty(v):
                    break
        if _empty(v):
            v = e.default
        if _empty(v) and e.required:
            where = f" (column {col} is empty)" if e.column else f" ({col} is missing)" if col else ""
            raise _RowProblem(f"{what} is required{where}", e.column)
        return None if _empty(v) else v

    def _template(self, text: str) -> str | None:
        out = []
        for literal, name, _, _ in string.Formatter().parse(text):
            out.append(literal)
            if name:
                v = _get(self.row, name, self.is_csv)
                if isinstance(v, list):
                    v = v[0] if v else None
                if _empty(v):
                    return None
                out.append(str(v))
        return "".join(out)


def _apply(step: str | dict, v: Any, what: str, col: str | None) -> Any:
    if isinstance(step, str):
        name, arg, other = step, None, None
    else:
        name = next(k for k in step if k != "else")
        arg, other = step[name], step.get("else", "error")
    if name == "first":
        return v[0] if isinstance(v, list) and v else v if not isinstance(v, list) else None
    if name == "last":
        return v[-1] if isinstance(v, list) and v else v if not isinstance(v, list) else None
    if name == "split":
        if isinstance(v, list):
            return [y for x in v for y in _apply(step, x, what, col)]
        return [x.strip() for x in str(v).split(arg) if x.strip()]
    if name == "join":
        return str(arg).join(str(x) for x in v) if isinstance(v, list) else v
    if isinstance(v, list):
        out = [_apply(step, x, what, col) for x in v]
        return [x for x in out if not _empty(x)]
    if name == "strip":
        return str(v).strip()
    if name == "lower":
        return str(v).lower()
    if name == "upper":
        return str(v).upper()
    if name == "title":
        return str(v).title()
    if name in ("number", "integer"):
        if isinstance(v, bool):
            raise _RowProblem(f"{what}: {v!r} is not a number", col)
        if isinstance(v, int | float):
            n = v
        else:
            text = str(v).strip().replace("\u00a0", "").replace(" ", "")
            try:
                n = float(text)
            except ValueError:
                raise _RowProblem(f"{what}: {str(v)[:40]!r} is not a number", col) from None
        if name == "integer" or float(n).is_integer():
            return int(n)
        return n
    if name == "date":
        return _date(v, arg, what, col)
    if name == "year":
        return str(_date(v, None, what, col))[:4]
    if name == "slug":
        return slug(str(v))
    if name == "lookup":
        key = v if v in arg else str(v)
        if key in arg:
            return arg[key]
        if other == "keep":
            return v
        if other == "drop":
            return None
        if other == "error":
            known = ", ".join(str(k) for k in list(arg)[:8])
            raise _RowProblem(f"{what}: {str(v)[:40]!r} is not in the mapping's lookup (known: {known}{', ...' if len(arg) > 8 else ''})", col)
        return other
    if name == "strip_prefix":
        return str(v)[len(arg):] if str(v).startswith(arg) else v
    if name == "strip_suffix":
        return str(v)[: -len(arg)] if arg and str(v).endswith(arg) else v
    if name == "prefix":
        return f"{arg}{v}"
    if name == "suffix":
        return f"{v}{arg}"
    if name == "regex":
        m = re.search(arg, str(v))
        if m is None:
            return None
        return m.group(1) if m.groups() else m.group(0)
    if name == "replace":
        old, new = arg
        return str(v).replace(str(old), str(new))
    raise _RowProblem(f"{what}: unknown step {name!r}", col)


def _date(v: Any, fmt: str | None, what: str, col: str | None) -> str:
    if isinstance(v, _dt.datetime):
        return v.date().isoformat()
    if isinstance(v, _dt.date):
        return v.isoformat()
    text = str(v).strip()
    if fmt:
        try:
            return _dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            raise _RowProblem(f"{what}: {text[:40]!r} is not a date of the form {fmt}", col) from None
    if isinstance(v, int | float) and not isinstance(v, bool):
        text = str(int(v))
    text = text.lstrip("+")
    if "T" in text:
        text = text.split("T", 1)[0]
    text = re.sub(r"(-00)+$", "", text)  # Wikidata writes a year as 2015-00-00
    try:
        return str(PartialDate.parse(text))
    except ValueError as exc:
        raise _RowProblem(f"{what}: {exc}", col) from None


# -- mapping rows ----------------------------------------------------------------------------------
class _RowMapper:
    """Maps rows to entity and claim drafts, keeping the entities of the whole file."""

    def __init__(self, mapping: Mapping, is_csv: bool, vocab: Vocabulary):
        self.m, self.is_csv, self.vocab = mapping, is_csv, vocab
        self.entities: dict[str, _EntityDraft] = {}
        self.refs: dict[str, str] = {}
        self.row_sources: dict[str, dict[str, Any]] = {}
        self.currencies: list[str] = []

    def map(self, row: Row) -> tuple[list[tuple[str, _EntityDraft]], list[_ClaimDraft]]:
        ev = _Evaluator(row.data, self.is_csv)
        problems: list[_RowProblem] = []
        here: dict[str, str] = {}  # entity key -> id, in this row
        made: list[tuple[str, _EntityDraft]] = []
        for spec in self.m.entities:
            try:
                draft = self._entity(spec, ev, row.number)
            except _RowProblem as p:
                problems.append(p)
                continue
            if draft is not None:
                here[spec.key] = draft.id
                made.append((spec.key, draft))
        claims = []
        for i, spec in enumerate(self.m.claims):
            try:
                c = self._claim(spec, i, ev, row.number, here)
            except _RowProblem as p:
                problems.append(p)
                continue
            if c is not None:
                claims.append(c)
        if problems:
            raise _Problems(problems)
        return made, claims

    def _entity(self, spec: EntitySpec, ev: _Evaluator, row_no: int) -> _EntityDraft | None:
        if not ev.cond(spec.when):
            return None
        name = ev.value(spec.name, f"{spec.key} name")
        if isinstance(name, list):
            names = [str(x) for x in name]
            name = names[0] if names else None
        else:
            names = [str(name)] if name is not None else []
        if name is None:
            return None
        name = str(name)
        kind = ev.value(spec.kind, f"{spec.key} kind")
        if kind is None:
            read = spec.kind.column or spec.kind.field
            seen = _get(ev.row, read, bool(spec.kind.column)) if read else None
            hint = f": the mapping's kind gives none for {read} {short(seen)} (add it to the lookup)" if read and seen else ""
            raise _RowProblem(f"{spec.key} {name!r} has no kind{hint}", spec.kind.column)
        kind = str(kind)
        ref = ev.value(spec.ref, f"{spec.key} identifier")
        raw_id = ev.value(spec.id, f"{spec.key} id")
        if spec.distinct and ref is not None:
            eid = f"{slug(name, 48)}-{short_hash(str(ref))}"
        elif raw_id is not None:
            eid = str(raw_id) if SLUG_RE.match(str(raw_id)) and len(str(raw_id)) <= 100 else slug(str(raw_id))
        else:
            eid = slug(name)
        aliases = [a for a in names[1:]]
        extra = ev.value(spec.aliases, f"{spec.key} aliases")
        if extra is not None:
            aliases += [str(a) for a in (extra if isinstance(extra, list) else [extra])]
        attrs = {}
        for k, e in spec.attributes.items():
            v = ev.value(e, f"{spec.key} attribute {k}")
            if v is None:
                continue
            if isinstance(v, list):
                v = "; ".join(str(x) for x in v)
            elif isinstance(v, dict):
                v = json.dumps(v, ensure_ascii=False, sort_keys=True)
            attrs[k] = v
        notes = ev.value(spec.notes, f"{spec.key} notes")
        columns = {"name": spec.name.column, "kind": spec.kind.column, "id": spec.id.column if spec.id else None}
        have = self.entities.get(eid)
        if have is not None and have.kind != kind:
            if raw_id is not None or (ref is not None and self.refs.get(str(ref)) == eid):
                raise _RowProblem(f"{spec.key} {eid!r} is a {kind} here but a {have.kind} in row {have.row}: one id names one thing",
                                  spec.kind.column)
            eid = f"{eid}-{slug(kind)}"  # two things of one name: told apart by their kinds
            have = self.entities.get(eid)
        if ref is not None:
            ref = str(ref)
            old = self.refs.get(ref)
            if old is not None and old != eid:
                raise _RowProblem(f"{spec.key} identifier {ref!r} names {old!r} already (another name or kind): one identifier, one entity",
                                  spec.ref.column)
            self.refs[ref] = eid
        if have is None:
            draft = _EntityDraft(eid, name, kind, [], {}, notes, row_no, columns)
            self.entities[eid] = draft
        else:
            draft = have
        known = {draft.name.casefold(), *(a.casefold() for a in draft.aliases)}
        for a in ([name] + aliases):
            if a.casefold() not in known and a.strip():
                draft.aliases.append(a)
                known.add(a.casefold())
        for k, v in attrs.items():
            draft.attributes.setdefault(k, v)
        draft.rows.add(row_no)
        return draft

    def _entity_ref(self, spec: str | Ref, role: str, ev: _Evaluator, here: dict[str, str]) -> tuple[str, str] | None:
        if isinstance(spec, str):
            if spec not in here:
                return None
            return ("id", here[spec])
        v = ev.value(spec.ref, role)
        if isinstance(v, list):
            v = v[0] if v else None
        return None if v is None else ("ref", str(v))

    def _claim(self, spec: ClaimSpec, i: int, ev: _Evaluator, row_no: int, here: dict[str, str]) -> _ClaimDraft | None:
        if not ev.cond(spec.when):
            return None
        cols: dict[str, str] = {}
        subj = self._entity_ref(spec.subject, "subject", ev, here)
        if subj is None:
            what = spec.subject if isinstance(spec.subject, str) else "subject"
            raise _RowProblem(f"claim {i + 1}: no {what} in this row (its name is empty)", _col(spec.subject, self.m))
        pred = ev.value(spec.predicate, "predicate")
        if pred is None:
            raise _RowProblem(f"claim {i + 1}: no predicate", spec.predicate.column)
        data: dict[str, Any] = {"subject": subj, "predicate": str(pred).upper()}
        cols["predicate"] = spec.predicate.column
        cols["subject"] = _col(spec.subject, self.m)
        if spec.object is not None:
            obj = self._entity_ref(spec.object, "object", ev, here)
            if obj is None:
                what = spec.object if isinstance(spec.object, str) else "object"
                raise _RowProblem(f"claim {i + 1}: no {what} in this row (its name is empty)", _col(spec.object, self.m))
            data["object"] = obj
            cols["object"] = _col(spec.object, self.m)
        else:
            v = self._quantity(spec.value, "value", ev) if isinstance(spec.value, QuantitySpec) else ev.value(spec.value, "value")
            if v is None:
                return None  # nothing to say: a row without the value makes no such claim
            data["value"] = v
            cols["value"] = _expr_col(spec.value)
        quals = {}
        for name, q in spec.qualifiers.items():
            if isinstance(q, QuantitySpec):
                v = self._quantity(q, f"qualifier {name}", ev)
            elif isinstance(q, str):
                v = ("id", here[q[1:]]) if q[1:] in here else None
            elif isinstance(q, Ref):
                v = self._entity_ref(q, f"qualifier {name}", ev, here)
            else:
                v = ev.value(q, f"qualifier {name}")
                if isinstance(v, list):
                    v = "; ".join(str(x) for x in v)
            if v is not None:
                quals[name] = v
                cols[f"qualifiers.{name}"] = _expr_col(q)
        if quals:
            data["qualifiers"] = quals
        status = ev.value(spec.status, "status") if spec.status else self.m.status
        try:
            data["status"] = Status.parse(status if status is not None else self.m.status).value
        except ValueError as exc:
            raise _RowProblem(str(exc), _expr_col(spec.status)) from None
        cols["status"] = _expr_col(spec.status)
        for f in ("stated_on", "valid_from", "valid_until", "on"):
            e = getattr(spec, f)
            v = ev.value(e, f)
            if v is None:
                continue
            day = _date(v, None, f, e.column if e else None)
            if f == "on":
                data.update(event_fields(day))
                for k in event_fields(day):
                    cols[k] = e.column
            else:
                data[f] = day
                cols[f] = e.column
        notes = ev.value(spec.notes, "notes")
        if notes is not None:
            data["notes"] = str(notes)
        sources = self._sources(ev.value(spec.sources, "sources"), row_no)
        locator = ev.value(spec.locator, "locator")
        paraphrase = ev.value(spec.paraphrase, "paraphrase")
        return _ClaimDraft(row_no, data, {k: v for k, v in cols.items() if v}, sources,
                           None if locator is None else str(locator), None if paraphrase is None else str(paraphrase))

    def _quantity(self, q: QuantitySpec, what: str, ev: _Evaluator) -> dict | None:
        amount = ev.value(q.amount, what)
        if amount is None:
            return None
        amount = _apply("number", amount, what, q.amount.column)
        unit = ev.value(q.currency if q.currency is not None else q.unit, f"{what} unit")
        col = (q.currency or q.unit).column
        if unit is None:
            raise _RowProblem(f"{what} {amount} has no {'currency' if q.currency is not None else 'unit'}", col)
        unit = str(unit).strip()
        if q.currency is not None:
            unit = unit.upper()
            if not _CURRENCY.match(unit):
                raise _RowProblem(f"{what}: currency {unit!r} is not a three-letter code (USD, GBP, CAD)", col)
            if self.vocab.dimension_of(unit) is None and unit not in self.currencies:
                self.currencies.append(unit)
        if amount < 0:
            raise _RowProblem(f"{what} {amount} is negative", q.amount.column)
        out = {"value": amount, "unit": unit}
        if q.approx is not None and ev.value(q.approx, f"{what} approx") in (True, "true", "yes", "1", 1):
            out["approx"] = True
        return out

    def _sources(self, v: Any, row_no: int) -> list[dict[str, Any]]:
        if v is None:
            return []
        items = v if isinstance(v, list) else [v]
        out = []
        for item in items:
            if isinstance(item, str):
                item = {"title": item}
            if not isinstance(item, dict):
                continue
            src = {k: item[k] for k in ("id", "title", "publisher", "url", "published", "retrieved", "language", "tier", "notes")
                   if not _empty(item.get(k))}
            if "title" not in src and "url" not in src and "id" not in src:
                continue
            sid = src.get("id") or (f"src-{short_hash(str(src['url']))}" if src.get("url") else slug(str(src["title"])))
            sid = sid if SLUG_RE.match(str(sid)) else slug(str(sid))
            src["id"] = sid
            src.setdefault("title", src.get("url") or sid)
            src.setdefault("publisher", "unknown")
            src.setdefault("tier", "aggregator")
            self.row_sources.setdefault(sid, src)
            out.append({"source": sid, "locator": item.get("locator"), "paraphrase": item.get("paraphrase"),
                        "effect": item.get("effect") or "supports"})
        return out


class _Problems(Exception):
    def __init__(self, problems: list[_RowProblem]):
        super().__init__(problems[0].message)
        self.problems = problems


def _col(spec: str | Ref, m: Mapping) -> str | None:
    if isinstance(spec, Ref):
        return spec.ref.column
    for e in m.entities:
        if e.key == spec:
            return e.name.column
    return None


def _expr_col(e: Any) -> str | None:
    if isinstance(e, Expr):
        return e.column
    if isinstance(e, QuantitySpec):
        return e.amount.column
    if isinstance(e, Ref):
        return e.ref.column
    return None


# -- the whole import ------------------------------------------------------------------------------
def _file_source(m: Mapping, path: Path) -> dict[str, Any]:
    spec: SourceSpec = m.source
    ev = _Evaluator({"file": path.name, "stem": path.stem}, True)
    out: dict[str, Any] = {}
    for f in ("id", "title", "publisher", "url", "published", "retrieved", "language", "tier", "notes"):
        v = ev.value(getattr(spec, f), f"source {f}")
        if v is not None:
            out[f] = str(v)
    out["id"] = out.get("id") or f"file-{slug(path.stem)}"
    if not SLUG_RE.match(out["id"]):
        out["id"] = slug(out["id"])
    out.setdefault("title", f"the imported file {path.name}")
    out.setdefault("publisher", "unknown (the imported file names none)")
    out.setdefault("tier", "aggregator")
    if "published" in out:
        out["published"] = _date(out["published"], None, "source published", None)
    return out


def _resolve(ref: tuple[str, str], refs: dict[str, str]) -> str | None:
    kind, v = ref
    return v if kind == "id" else refs.get(v)


def _claim_id(subject: str, predicate: str, obj: str | None, used: dict[str, int]) -> str:
    base = f"{subject[:40].rstrip('-')}-{predicate.lower().replace('_', '-')}-{(obj or 'value')[:40].rstrip('-')}"
    n = used.get(base, 0) + 1
    used[base] = n
    return base if n == 1 else f"{base}-{n}"


def _where(file: str, row: int, columns: dict[str, str], key: tuple) -> Callable[[tuple], Origin]:
    def where(path: tuple) -> Origin:
        col = None
        if path:
            name = str(path[0])
            if name == "qualifiers" and len(path) > 1:
                name = f"qualifiers.{path[1]}"
            col = columns.get(name)
        return _KeyedOrigin(file, row, None, col, key)

    return where


def run_import(path: str | Path, mapping: Mapping, *, skip_invalid: bool = False,
               vocabulary: Vocabulary | None = None, display: str | None = None) -> ImportResult:
    """Import ``path`` with ``mapping``. Raises :class:`DatasetError` with every problem (each
    naming the file, the row and the column) unless ``skip_invalid``; then the rows at fault
    are in :attr:`ImportResult.rejects`, and the dataset holds the rest."""
    path = Path(path)
    shown = display or str(path)
    vocab = vocabulary or default_vocabulary()
    if mapping.vocabulary:
        try:
            vocab = vocab.extend(_missing(mapping.vocabulary, vocab), where=f"{shown}: the mapping's vocabulary")
        except DatasetError:
            raise
    rows_iter = read_rows(path, mapping)
    rows: dict[int, Row] = {}
    problems: dict[int, list[Problem]] = defaultdict(list)
    from .readers import reader_for

    reader = reader_for(path, mapping.reader)
    is_csv = reader == "csv"
    mapper = _RowMapper(mapping, is_csv, vocab)
    drafts: dict[int, list[_ClaimDraft]] = {}
    entity_rows: dict[int, list[str]] = {}
    unmapped: dict[str, int] = defaultdict(int)
    checked_header = False
    for row in rows_iter:
        if is_csv and not checked_header and row.columns:
            checked_header = True
            _check_columns(mapping, row.columns, shown)
        rows[row.number] = row
        if row.problem:
            problems[row.number].append(_problem(shown, row, row.number, None, row.problem))
            continue
        try:
            made, claims = mapper.map(row)
        except _Problems as exc:
            problems[row.number] += [_problem(shown, row, row.number, p.column, p.message) for p in exc.problems]
            continue
        if not made and not claims:
            what = row.data.get("schema") or row.data.get("_kind") or "row"
            unmapped[str(what)] += 1
            continue
        drafts[row.number] = claims
        entity_rows[row.number] = [d.id for _, d in made]
    if is_csv and not checked_header and mapping.header is None and not rows:
        pass
    # references by identifier: resolved over the whole file
    for n, claims in list(drafts.items()):
        for c in claims:
            for role in ("subject", "object"):
                if role in c.data and isinstance(c.data[role], tuple) and _resolve(c.data[role], mapper.refs) is None:
                    problems[n].append(_problem(shown, rows[n], n, c.columns.get(role),
                                                f"{role} {c.data[role][1]!r} is no entity of this file (no row gives it)"))
            for q, v in c.data.get("qualifiers", {}).items():
                if isinstance(v, tuple) and _resolve(v, mapper.refs) is None:
                    problems[n].append(_problem(shown, rows[n], n, c.columns.get(f"qualifiers.{q}"),
                                                f"qualifier {q} {v[1]!r} is no entity of this file"))
    if mapper.currencies:
        vocab = vocab.extend({"dimensions": {"currency": mapper.currencies}}, where=f"{shown}: currencies")
    file_src = _file_source(mapping, path)
    notes: list[str] = []
    bad: set[int] = {n for n, ps in problems.items() if ps}
    for _ in range(_MAX_ROUNDS):
        records, owners = _records(shown, drafts, mapper, file_src, bad, entity_rows)
        try:
            ds = assemble(records, vocab)
            break
        except DatasetError as exc:
            new = _blame(exc.problems, owners, mapper, shown, rows)
            if None in new:
                raise DatasetError(new[None]) from None
            for n, ps in new.items():
                problems[n] += ps
            if not skip_invalid:
                raise DatasetError(_sorted(problems)) from None
            grown = set(new) - bad
            if not grown:
                raise DatasetError(_sorted(problems)) from None
            bad |= grown
    else:  # pragma: no cover - each round sets more rows aside; this is a safety net
        raise DatasetError(_sorted(problems))
    if problems and not skip_invalid:
        raise DatasetError(_sorted(problems))
    rejects = {n: [p.message if p.origin is None or not p.origin.column else f"{p.message} (column {p.origin.column})"
                   for p in problems[n]] for n in sorted(bad)}
    extension = vocab.extension_data(vocabulary or default_vocabulary())
    if mapper.currencies:
        notes.append(f"currencies added to the vocabulary: {', '.join(mapper.currencies)}")
    counts = {"rows": len(rows), "imported": len(rows) - len(bad) - sum(unmapped.values()), "rejected": len(bad),
              "unmapped": sum(unmapped.values()), "entities": len(ds.entities), "claims": len(ds.claims),
              "sources": len(ds.sources)}
    return ImportResult(ds, extension, vocab, rejects, rows, reader, counts, dict(unmapped), notes)


def _missing(ext: dict[str, Any], vocab: Vocabulary) -> dict[str, Any]:
    """The entries of a mapping's vocabulary that ``vocab`` lacks (the built-in one may have
    grown the same names since the mapping was written)."""
    out: dict[str, Any] = {}
    have = {"kinds": vocab.kinds, "qualifiers": vocab.qualifiers, "predicates": vocab.predicates,
            "dimensions": vocab.dimensions, "stances": getattr(vocab, "stances", {})}
    for section, entries in ext.items():
        if section == "version":
            continue
        if section == "dimensions":
            out[section] = {d: [u for u in units if vocab.dimension_of(u) is None] for d, units in entries.items()}
            continue
        out[section] = {k: v for k, v in (entries or {}).items() if k not in have.get(section, {})}
    return out


def _check_columns(m: Mapping, header: list[str], shown: str) -> None:
    import difflib

    missing = sorted(m.columns() - set(header) - {"file", "stem"})
    if missing:
        problems = []
        for c in missing:
            hint = difflib.get_close_matches(c, header, n=1, cutoff=0.6)
            problems.append(Problem(Origin(shown, 1), f"the mapping reads column {c!r}, which the header lacks"
                                    + (f": did you mean {hint[0]!r}?" if hint else f" (columns: {', '.join(header[:12])})")))
        raise DatasetError(problems)


def _records(shown: str, drafts: dict[int, list[_ClaimDraft]], mapper: _RowMapper, file_src: dict,
             bad: set[int], entity_rows: dict[int, list[str]]) -> tuple[list[RecordIn], dict[tuple, set[int]]]:
    """Records of the rows not set aside; ``owners``: record key -> the rows behind it."""
    owners: dict[tuple, set[int]] = {}
    records: list[RecordIn] = []
    fkey = ("source", file_src["id"])
    records.append(RecordIn("sources", dict(file_src), _where(shown, None, {}, fkey)))
    owners[fkey] = set()
    live_entities: dict[str, set[int]] = defaultdict(set)
    for n, ids in entity_rows.items():
        if n not in bad:
            for eid in ids:
                live_entities[eid].add(n)
    for eid, ent in mapper.entities.items():
        if eid not in live_entities:
            continue
        key = ("entity", eid)
        owners[key] = live_entities[eid]
        data = {"id": ent.id, "name": ent.name, "kind": ent.kind}
        if ent.aliases:
            data["aliases"] = list(ent.aliases)
        if ent.attributes:
            data["attributes"] = dict(ent.attributes)
        if ent.notes:
            data["notes"] = str(ent.notes)
        records.append(RecordIn("entities", data, _where(shown, min(live_entities[eid]), ent.columns, key)))
    used_sources: dict[str, set[int]] = defaultdict(set)
    merged: dict[str, tuple[dict, _ClaimDraft, list[dict], set[int]]] = {}
    refs = mapper.refs
    for n in sorted(drafts):
        if n in bad:
            continue
        for c in drafts[n]:
            data = dict(c.data)
            data["subject"] = _resolve(data["subject"], refs)
            if "object" in data:
                data["object"] = _resolve(data["object"], refs)
            if "qualifiers" in data:
                data["qualifiers"] = {k: (_resolve(v, refs) if isinstance(v, tuple) else v) for k, v in data["qualifiers"].items()}
            sig = json.dumps(data, sort_keys=True, default=str)
            loc = c.locator or f"{Path(shown).name} {'row' if mapper.is_csv else 'record'} {n}"
            ev = [{"source": file_src["id"], "locator": loc, **({"paraphrase": c.paraphrase} if c.paraphrase else {})}]
            ev += [{k: v for k, v in e.items() if v is not None} for e in c.sources]
            for e in c.sources:
                used_sources[e["source"]].add(n)
            if sig in merged:
                _, _, evs, rows_of = merged[sig]
                for e in ev:
                    if e not in evs:
                        evs.append(e)
                rows_of.add(n)
            else:
                merged[sig] = (data, c, ev, {n})
    used_ids: dict[str, int] = {}
    for data, c, ev, rows_of in merged.values():
        cid = _claim_id(data["subject"], data["predicate"], data.get("object"), used_ids)
        key = ("claim", cid)
        owners[key] = rows_of
        full = {"id": cid, **data, "asserted_by": [file_src["id"]], "evidence": ev}
        records.append(RecordIn("claims", full, _where(shown, min(rows_of), c.columns, key)))
    for sid, rows_of in used_sources.items():
        if sid == file_src["id"]:
            continue
        key = ("source", sid)
        owners[key] = rows_of
        src = dict(mapper.row_sources[sid])
        if "published" in src:
            try:
                src["published"] = _date(src["published"], None, "published", None)
            except _RowProblem:
                src.pop("published")
        if "retrieved" in src:
            try:
                src["retrieved"] = _date(src["retrieved"], None, "retrieved", None)
            except _RowProblem:
                src.pop("retrieved")
        records.append(RecordIn("sources", src, _where(shown, min(rows_of), {}, key)))
    return records, owners


def _blame(problems: Iterable[Problem], owners: dict[tuple, set[int]], mapper: _RowMapper,
           shown: str, rows: dict[int, Row] | None = None) -> dict[int | None, list[Problem]]:
    """Problems found by assemble(), by the rows behind the records at fault (None: a problem
    of the mapping itself, such as the file's source)."""
    out: dict[int | None, list[Problem]] = defaultdict(list)
    for p in problems:
        key = getattr(p.origin, "key", None)
        rows_of = owners.get(key) if key else None
        if key and key[0] == "source" and not rows_of:
            out[None].append(Problem(Origin(shown), f"the mapping's source: {p.message}"))
            continue
        if not rows_of:
            out[None].append(p)
            continue
        for n in sorted(rows_of):
            msg = p.message
            if key[0] == "entity" and n != min(rows_of):
                msg = f"entity {key[1]!r} (row {min(rows_of)}): {p.message}"
            out[n].append(_problem(shown, (rows or {}).get(n), n, p.origin.column if n == min(rows_of) else None, msg))
    return out


def _problem(shown: str, row: Row | None, n: int, column: str | None, message: str) -> Problem:
    """A problem of row ``n``: at its number (a CSV row, a JSON-lines line, a record), or, for a
    row with a label (a Wikidata statement), at the line it starts on, named by its label."""
    if row is not None and row.label:
        return Problem(Origin(shown, row.line, column=column), f"{row.label}: {message}")
    return Problem(Origin(shown, n, column=column), message)


def _sorted(problems: dict[int, list[Problem]]) -> list[Problem]:
    out = []
    for n in sorted(problems):
        out += problems[n]
    return out
