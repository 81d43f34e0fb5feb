"""Wikidata entity JSON as rows for the import engine: one row per entity and one per statement.

Wikidata's JSON nests what a mapping file reads flat: an entity's labels and aliases in every
language, its statements per property, each statement's qualifiers, rank and references. This
reader flattens it, so that ``mappings/wikidata.yaml`` (plain data: which property is which
predicate, which class is which kind, which rank is which status) does the rest over the same
engine as every other format.

The shapes read: ``wbgetentities`` and ``Special:EntityData/Q42.json`` responses
(``{"entities": {...}}``), one bare entity object, a JSON list of entities (a dump), and JSON
lines (the dump's one entity a line, with or without the trailing commas and the ``[``/``]``
lines). Entity ids are read in both the current form (``{"id": "Q5"}``) and the old one
(``{"numeric-id": 5}``).

An **entity row** has ``qid``, ``name`` (the label in the chosen language, else ``mul``, else
English, else the first label), ``aliases`` (every other label and every alias, in all
languages), ``description``, ``instance_of`` (its P31 classes), ``entity_id`` (a slug of the name
and the QID: ``vladimir-putin-q7747``) and ``url``.

A **statement row** has ``subject`` (QID), ``property``, ``statement_id``, ``rank``, ``object``
(the QID of an item value; ``None`` for other values and for no/unknown value), ``object_name``,
``object_entity_id``, ``object_in_file``, ``value`` (other values as text), ``start``/``end``
(the start/end time qualifiers), ``point_in_time``, ``deprecation_reason`` (QIDs),
``references`` (each a source: url, title, publisher, retrieved, published, tier),
``referenced`` and ``rank_note``. Which qualifier and reference properties mean what is the
mapping's ``wikidata:`` section.

>>> rows = list(entity_rows([{"id": "Q1", "labels": {"de": {"language": "de", "value": "Universum"},
...     "en": {"language": "en", "value": "universe"}}, "claims": {}}], WikidataOptions()))
>>> rows[0].data["name"], rows[0].data["aliases"], rows[0].data["entity_id"]
('universe', ['Universum'], 'universe-q1')
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import DatasetError, Origin, Problem
from .names import short_hash, slug
from .readers import Row, _check_text

__all__ = ["WikidataOptions", "wikidata_rows", "entity_rows", "time_value"]

_QID = re.compile(r"^[QqPpLlMm][0-9]+$")


class WikidataOptions(BaseModel):
    """The mapping's ``wikidata:`` section: the name's language and what the qualifier and
    reference properties mean."""

    model_config = ConfigDict(extra="forbid")

    #: the language of entity names; the other labels become aliases
    language: str = "en"
    start: list[str] = Field(default_factory=lambda: ["P580"])
    end: list[str] = Field(default_factory=lambda: ["P582"])
    point_in_time: list[str] = Field(default_factory=lambda: ["P585"])
    deprecation_reason: list[str] = Field(default_factory=lambda: ["P2241"])
    #: reference snaks -> source fields
    reference_url: list[str] = Field(default_factory=lambda: ["P854", "P1065"])
    #: the URL of the Wikipedia revision a value was imported from (Wikimedia import URL)
    import_url: list[str] = Field(default_factory=lambda: ["P4656"])
    reference_title: list[str] = Field(default_factory=lambda: ["P1476"])
    stated_in: list[str] = Field(default_factory=lambda: ["P248"])
    imported_from: list[str] = Field(default_factory=lambda: ["P143"])
    retrieved: list[str] = Field(default_factory=lambda: ["P813"])
    published: list[str] = Field(default_factory=lambda: ["P577"])
    #: the tier of a reference's source (Wikidata does not grade its references)
    reference_tier: str = "aggregator"
    #: the tier of a reference that only says which Wikipedia the value was imported from
    imported_tier: str = "self-media"


# -- values -------------------------------------------------------------------------------------
def time_value(value: Any) -> str | None:
    """A Wikidata time value as a date of its precision: day (11), month (10) or year (9);
    ``None`` for coarser precisions (decade, century...) and years before 1.

    >>> time_value({"time": "+1975-01-01T00:00:00Z", "precision": 9})
    '1975'
    >>> time_value({"time": "+1995-05-01T00:00:00Z", "precision": 10}), time_value({"time": "+2012-05-07T00:00:00Z", "precision": 11})
    ('1995-05', '2012-05-07')
    >>> time_value({"time": "+1900-00-00T00:00:00Z", "precision": 7}) is None
    True
    """
    if not isinstance(value, dict) or not isinstance(value.get("time"), str):
        return None
    m = re.match(r"^([+-])(\d{1,16})-(\d\d)-(\d\d)T", value["time"])
    if m is None or m.group(1) == "-":
        return None
    year, month, day = int(m.group(2)), m.group(3), m.group(4)
    precision = value.get("precision", 11)
    if not isinstance(precision, int) or precision < 9 or year < 1 or year > 9999:
        return None
    if precision == 9 or month == "00":
        return f"{year:04d}"
    if precision == 10 or day == "00":
        return f"{year:04d}-{month}"
    return f"{year:04d}-{month}-{day}"


def _item_id(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("id"), str) and _QID.match(value["id"]):
        return value["id"].upper()
    n, kind = value.get("numeric-id"), value.get("entity-type", "item")
    if isinstance(n, int) and not isinstance(n, bool) and n > 0:
        return {"item": "Q", "property": "P", "lexeme": "L"}.get(kind, "Q") + str(n)
    return None


def _snak_value(snak: Any) -> tuple[str, Any]:
    """(kind, value) of a snak: ``item`` with a QID, ``time`` with a date, ``text`` with a
    string, ``none`` for no value / unknown value / anything unreadable."""
    if not isinstance(snak, dict) or snak.get("snaktype") != "value":
        return "none", snak.get("snaktype") if isinstance(snak, dict) else None
    dv = snak.get("datavalue")
    if not isinstance(dv, dict):
        return "none", None
    v, t = dv.get("value"), dv.get("type")
    if t == "wikibase-entityid":
        q = _item_id(v)
        return ("item", q) if q else ("none", None)
    if t == "time":
        return "time", time_value(v)
    if t == "monolingualtext" and isinstance(v, dict):
        return "text", v.get("text")
    if t == "quantity" and isinstance(v, dict):
        unit = v.get("unit", "1")
        unit = "" if unit == "1" else " " + str(unit).rsplit("/", 1)[-1]
        return "text", f"{v.get('amount', '')}{unit}".lstrip("+")
    if t == "string":
        return "text", v if isinstance(v, str) else None
    return "text", json.dumps(v, ensure_ascii=False, sort_keys=True) if v is not None else None


def _values(snaks: Any, props: list[str]) -> list[tuple[str, Any]]:
    out = []
    if not isinstance(snaks, dict):
        return out
    for p in props:
        for snak in snaks.get(p) or []:
            kind, v = _snak_value(snak)
            if kind != "none" and v not in (None, ""):
                out.append((kind, v))
    return out


def _first(snaks: Any, props: list[str], kind: str | None = None) -> Any:
    for k, v in _values(snaks, props):
        if kind is None or k == kind:
            return v
    return None


# -- labels ---------------------------------------------------------------------------------------
def _texts(section: Any) -> list[tuple[str, str]]:
    """(language, text) of a labels/descriptions section, or of an aliases section (lists)."""
    out: list[tuple[str, str]] = []
    if isinstance(section, dict):
        items = section.items()
    elif isinstance(section, list):  # an empty section is [] in the API's JSON
        items = [(None, x) for x in section]
    else:
        return out
    for lang, v in items:
        for x in v if isinstance(v, list) else [v]:
            if isinstance(x, dict) and isinstance(x.get("value"), str) and x["value"].strip():
                out.append((str(x.get("language") or lang or ""), x["value"].strip()))
    return out


def _pick(texts: list[tuple[str, str]], language: str) -> str | None:
    by_lang = {}
    for lang, text in texts:
        by_lang.setdefault(lang, text)
    for lang in (language, "mul", "en"):
        if lang in by_lang:
            return by_lang[lang]
    return texts[0][1] if texts else None


def _entity_id(name: str | None, qid: str) -> str:
    if not name or name.upper() == qid:
        return qid.lower()
    return f"{slug(name, 60)}-{qid.lower()}"


# -- the reader -----------------------------------------------------------------------------------
class _Entities:
    """What the file says of every entity in it: name, aliases, classes."""

    def __init__(self, entities: list[dict[str, Any]], options: WikidataOptions):
        self.options = options
        self.names: dict[str, str | None] = {}
        self.classes: dict[str, list[str]] = {}
        for e in entities:
            qid = e.get("id")
            if isinstance(qid, str) and _QID.match(qid) and "missing" not in e:
                qid = qid.upper()
                self.names[qid] = _pick(_texts(e.get("labels")), options.language)
                self.classes[qid] = _classes(e)

    def name(self, qid: str) -> str:
        return self.names.get(qid) or qid


def _reference(ref: Any, o: WikidataOptions, known: _Entities) -> dict[str, Any] | None:
    if not isinstance(ref, dict) or not isinstance(ref.get("snaks"), dict):
        return None
    snaks = ref["snaks"]
    url = _first(snaks, o.reference_url, "text")
    import_url = _first(snaks, o.import_url, "text")
    title = _first(snaks, o.reference_title, "text")
    stated_in = _first(snaks, o.stated_in, "item")
    imported = _first(snaks, o.imported_from, "item")
    retrieved = _first(snaks, o.retrieved, "time")
    published = _first(snaks, o.published, "time")
    known_props = set(o.reference_url + o.import_url + o.reference_title + o.stated_in + o.imported_from + o.retrieved
                      + o.published)
    others = [f"{p} {v}" for p in snaks if p not in known_props for k, v in _values(snaks, [p]) if k != "none"]
    #: a value copied from a Wikipedia, with nothing else behind it, is the weakest kind of reference
    imported_only = bool(imported or import_url) and not (stated_in or url or title)
    if not title:
        if stated_in:
            title = known.name(stated_in) if known.name(stated_in) != stated_in else f"stated in {stated_in}"
        elif url:
            title = url
        elif imported or import_url:
            title = f"imported from {known.name(imported) if imported else import_url} (a Wikimedia project)"
        elif others:
            title = "Wikidata reference: " + ", ".join(others[:3])
        else:
            return None
    if stated_in:
        publisher = known.name(stated_in)
    elif url:
        m = re.match(r"^[a-z]+://([^/?#]+)", str(url))
        publisher = m.group(1) if m else "unknown (the Wikidata reference names none)"
    elif imported:
        publisher = f"{known.name(imported)} (Wikimedia project)"
    else:
        publisher = "unknown (the Wikidata reference names none)"
    rid = ref.get("hash") if isinstance(ref.get("hash"), str) else short_hash(json.dumps(snaks, sort_keys=True))
    out: dict[str, Any] = {"id": f"wd-ref-{str(rid)[:12].lower()}", "title": str(title)[:300], "publisher": str(publisher)[:200],
                           "tier": o.imported_tier if imported_only else o.reference_tier, "imported_only": imported_only}
    url = url or import_url
    if url:
        out["url"] = str(url)
    if retrieved:
        out["retrieved"] = retrieved
    if published:
        out["published"] = published
    notes = []
    if imported:
        notes.append(f"imported from {known.name(imported)} ({imported})")
    if others:
        notes.append("identifiers: " + ", ".join(others[:5]))
    if notes:
        out["notes"] = "; ".join(notes)
    return out


def _statement(subject: str, prop: str, st: dict[str, Any], o: WikidataOptions, known: _Entities) -> dict[str, Any]:
    kind, value = _snak_value(st.get("mainsnak"))
    quals = st.get("qualifiers")
    rank = st.get("rank") if st.get("rank") in ("preferred", "normal", "deprecated") else "normal"
    refs = [r for r in (_reference(x, o, known) for x in st.get("references") or []) if r]
    for r in refs:  # the evidence's locator: which statement the reference backs
        r["locator"] = f"a reference of Wikidata statement {st.get('id')}"
    reasons = [v for k, v in _values(quals, o.deprecation_reason) if k == "item"]
    data: dict[str, Any] = {
        "_kind": f"statement {prop}" if kind != "none" else f"statement {prop} ({value or 'no value'})",
        "subject": subject, "property": prop, "statement_id": st.get("id"), "rank": rank,
        "object": value if kind == "item" else None, "value": value if kind in ("text", "time") else None,
        "start": _first(quals, o.start, "time"), "end": _first(quals, o.end, "time"),
        "point_in_time": _first(quals, o.point_in_time, "time"),
        "deprecation_reason": reasons, "references": refs,
        # a value only copied from a Wikipedia is not a reference that can confirm it
        "referenced": any(not r["imported_only"] for r in refs),
    }
    if kind == "item":
        data["object_name"] = known.name(value)
        data["object_entity_id"] = _entity_id(known.names.get(value), value)
        data["object_in_file"] = value in known.names
        data["object_instance_of"] = known.classes.get(value, [])
    reason = ", ".join(f"{known.name(r)} ({r})" if known.name(r) != r else r for r in reasons)
    if rank == "deprecated":
        data["rank_note"] = ("Wikidata ranks this statement deprecated"
                             + (f" (reason for deprecated rank: {reason})" if reason else " (no reason given)"))
    elif rank == "preferred" and not data["referenced"]:
        data["rank_note"] = ("preferred rank on Wikidata, but no reference"
                             + (" other than a Wikipedia it was imported from" if refs else "") + ": reported, not confirmed")
    elif rank == "preferred":
        data["rank_note"] = "preferred rank on Wikidata"
    return data


def _entity(e: dict[str, Any], o: WikidataOptions) -> dict[str, Any]:
    qid = e["id"].upper()
    labels = _texts(e.get("labels"))
    name = _pick(labels, o.language)
    seen = {name.casefold()} if name else set()
    aliases = []
    for _, text in labels + _texts(e.get("aliases")):
        if text.casefold() not in seen:
            seen.add(text.casefold())
            aliases.append(text)
    descriptions = _texts(e.get("descriptions"))
    return {"_kind": "entity", "qid": qid, "name": name or qid, "aliases": aliases, "entity_id": _entity_id(name, qid),
            "description": _pick(descriptions, o.language), "url": f"https://www.wikidata.org/wiki/{qid}",
            "instance_of": _classes(e)}


def _classes(e: dict[str, Any]) -> list[str]:
    """The entity's instance of (P31) classes, best rank first, deprecated ones left out."""
    claims = e.get("claims") or e.get("statements") or {}
    sts = [st for st in (claims.get("P31") or [] if isinstance(claims, dict) else []) if isinstance(st, dict)]
    sts.sort(key=lambda st: {"preferred": 0, "normal": 1}.get(st.get("rank"), 2))
    out = []
    for st in sts:
        kind, v = _snak_value(st.get("mainsnak"))
        if kind == "item" and st.get("rank") != "deprecated" and v not in out:
            out.append(v)
    return out


def entity_rows(entities: Iterable[dict[str, Any]], options: WikidataOptions, lines: dict[int, int] | None = None,
                text: str | None = None) -> Iterator[Row]:
    """Rows of parsed entities: each entity, then each of its statements. ``lines``: entity
    position -> line of the file (JSON lines); ``text``: the file, to find a statement's line."""
    entities = list(entities)
    at = _id_lines(text) if lines is None else {}
    known = _Entities([e for e in entities if isinstance(e, dict)], options)
    n = 0
    for i, e in enumerate(entities):
        line = (lines or {}).get(i)
        n += 1
        if not isinstance(e, dict):
            yield Row(n, {}, raw=e, problem="an entity must be a JSON object", label=f"entity {i + 1}", line=line)
            continue
        qid = e.get("id")
        if not isinstance(qid, str) or not _QID.match(qid):
            yield Row(n, {}, raw=_short(e), problem="an entity needs an id such as Q42 (is this Wikidata entity JSON?)",
                      label=f"entity {i + 1}", line=line)
            continue
        qid = qid.upper()
        if "missing" in e:
            yield Row(n, {"_kind": "missing entity"}, raw=e, label=f"entity {qid}", line=line)
            continue
        yield Row(n, _entity(e, options), raw=_short(e), label=f"entity {qid}", line=line or at.get(e["id"]))
        claims = e.get("claims") or e.get("statements") or {}
        if not isinstance(claims, dict):
            n += 1
            yield Row(n, {}, raw=claims, problem="claims must be an object of property -> statements", label=f"entity {qid}", line=line)
            continue
        for prop, statements in claims.items():
            if prop == "P31":
                continue  # instance of: the entity's kind (its row's instance_of), not a claim
            for st in statements if isinstance(statements, list) else [statements]:
                n += 1
                sid = st.get("id") if isinstance(st, dict) else None
                label = f"statement {sid or '?'} ({qid} {prop})"
                if not isinstance(st, dict) or not isinstance(st.get("mainsnak"), dict):
                    yield Row(n, {}, raw=st, problem="a statement needs a mainsnak", label=label, line=line)
                    continue
                yield Row(n, _statement(qid, str(prop), st, options, known), raw={"subject": qid, **st}, label=label,
                          line=line or (at.get(sid) if sid else None))


def _short(e: dict[str, Any]) -> dict[str, Any]:
    """An entity as the rejects file keeps it: without its statements (they are rows of their own)."""
    return {k: v for k, v in e.items() if k not in ("claims", "statements", "sitelinks")}


_ID_AT = re.compile(r'"id"\s*:\s*"([QqPpLlMm][0-9]+(?:\$[^"]*)?)"')


def _id_lines(text: str | None) -> dict[str, int]:
    """The line each entity and statement id first stands on, found in one pass over the file
    (a pretty-printed file has its statements on lines of their own; a one-line file, line 1)."""
    out: dict[str, int] = {}
    if not text:
        return out
    line, pos = 1, 0
    for m in _ID_AT.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        out.setdefault(m.group(1), line)
    return out


def _entities_of(data: Any, shown: str) -> list[Any]:
    if isinstance(data, dict) and isinstance(data.get("entities"), dict):
        return list(data["entities"].values())
    if isinstance(data, dict) and isinstance(data.get("error"), dict):
        info = data["error"].get("info") or data["error"].get("code")
        raise DatasetError([Problem(Origin(shown), f"the file is a Wikidata API error ({info}), not entities: fetch it again")])
    if isinstance(data, dict) and "id" in data:
        return [data]
    if isinstance(data, list):
        return data
    raise DatasetError([Problem(Origin(shown), "not Wikidata entity JSON: expected {\"entities\": {...}} (wbgetentities, "
                                               "Special:EntityData), one entity object, or a list of entities")])


def wikidata_rows(path: Path, options: WikidataOptions | None = None) -> Iterator[Row]:
    """Rows of a Wikidata entity JSON file (see the module's doc for the shapes): JSON lines
    when the suffix says so (``.jsonl``, ``.ndjson``) or the file is the dump's one entity a
    line, else one JSON document."""
    options = options or WikidataOptions()
    shown = str(path)
    _check_text(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DatasetError([Problem(Origin(shown), f"cannot read: {exc.strerror or exc}")]) from None
    except UnicodeDecodeError as exc:
        raise DatasetError([Problem(Origin(shown), f"not UTF-8 text ({exc.reason}): save the file as UTF-8")]) from None
    lines_mode = path.suffix.lower() in (".jsonl", ".ndjson")
    if not lines_mode:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            if exc.msg == "Extra data" and text.lstrip().startswith("{"):
                lines_mode = True  # one entity a line, saved as .json
            else:
                raise DatasetError([Problem(Origin(shown, exc.lineno, exc.colno), f"not JSON: {exc.msg}")]) from None
        except RecursionError:
            raise DatasetError([Problem(Origin(shown), "not JSON: nested too deeply")]) from None
    if not lines_mode:
        yield from entity_rows(_entities_of(data, shown), options, text=text)
        return
    entities: list[Any] = []
    where: dict[int, int] = {}
    bad: list[Row] = []
    for no, line in enumerate(text.splitlines(), 1):
        s = line.strip().rstrip(",")
        if s in ("", "[", "]"):
            continue
        try:
            obj = json.loads(s)
        except (json.JSONDecodeError, RecursionError) as exc:
            bad.append(Row(-no, {}, raw=line[:2000], problem=f"not JSON ({getattr(exc, 'msg', exc)}): one entity per line",
                           label=f"line {no}", line=no))
            continue
        where[len(entities)] = no
        entities.append(obj)
    rows = list(entity_rows(entities, options, lines=where))
    start = len(rows)
    for i, r in enumerate(bad, 1):  # numbered after the good rows: numbers stay unique
        r.number = start + i
    yield from sorted(rows + bad, key=lambda r: (r.line or 0, r.number))
