"""The graph model: properties and rows for nodes and relationships, and the schema
(shared by push, pull and the Cypher script)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from ..errors import ClaimgraphError
from ..model import Effect, Status, value_to_data
from ..values import PartialDate, Quantity
from ..vocabulary import Vocabulary, default_vocabulary
from .connection import _IDENT_RE, RESERVED_LABELS
from .ownership import schema_statements as _bookkeeping_schema


# ---------------------------------------------------------------------------------------------
# the graph model: rows for nodes and relationships (shared by push and the Cypher script)
# ---------------------------------------------------------------------------------------------
def _label(name: str, allowed: Iterable[str], what: str) -> str:
    """A label or relationship type, checked against the vocabulary, in backticks."""
    if name not in allowed:
        raise ClaimgraphError(f"{what} {name!r} is not in the vocabulary: it cannot become a Neo4j {what} name")
    if not _IDENT_RE.match(name) or name in RESERVED_LABELS:
        raise ClaimgraphError(f"{what} {name!r} cannot be used as a Neo4j label or type: rename it in the vocabulary")
    return f"`{name}`"


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _json(data: Any) -> str:
    """Compact JSON text of ``data`` (the ``*_json`` properties): orjson's (a fifth of the
    standard library's time: JSON was a third of building a push's rows), the standard
    library's for what orjson refuses (integers past 64 bits, lone surrogates).

    >>> _json({"source": "a", "effect": "supports", "n": 2.5, "t": "Ωμέγα"})
    '{"source":"a","effect":"supports","n":2.5,"t":"Ωμέγα"}'
    """
    try:
        return _orjson_dumps(data).decode("utf-8")
    except TypeError:  # orjson.JSONEncodeError
        return _ENCODER.encode(data)


try:
    from orjson import dumps as _orjson_dumps
except ImportError:  # pragma: no cover - orjson is a dependency; a broken install still works
    _orjson_dumps = None
    _json = _ENCODER.encode  # noqa: F811


def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


def _pd_text(v: PartialDate | None) -> str | None:
    return str(v) if v is not None else None


#: every property entity_props, source_props, rate_rows and value_props may write: push sets
#: the absent ones to null (removing what an earlier push wrote) and leaves any other
#: property of the node alone (another application's)
ENTITY_KEYS = ("id", "name", "kind", "aliases", "attributes_json", "notes")
SOURCE_KEYS = ("id", "title", "publisher", "url", "published", "published_start", "language", "tier",
               "retrieved", "notes")
RATE_KEYS = ("key", "seq", "currency", "usd", "on", "on_start", "source", "notes")
VALUE_KEYS = ("claim_id", "type", "text", "num", "min", "max", "unit", "approx", "date", "date_start", "date_end")


def filled(props: dict, keys: tuple[str, ...]) -> dict:
    """``props`` with every one of ``keys`` it lacks set to None (``SET n += row`` removes them)."""
    return {**dict.fromkeys(keys), **props}


#: the prefix of an entity attribute's own, typed node property (``attr_country_code``)
ATTR_PREFIX = "attr_"
_INT64 = (-(2**63), 2**63 - 1)


def _holds(v: Any) -> bool:
    """Whether a Neo4j property holds ``v`` as it is (text, true/false, a 64-bit integer, a float)."""
    if isinstance(v, bool | str | float):
        return True
    return isinstance(v, int) and _INT64[0] <= v <= _INT64[1]


def entity_props(e, typed: bool = True) -> dict:
    """Properties of an entity's node. Each attribute is a typed property of its own,
    ``attr_<name>`` (so that Cypher can filter on it: ``WHERE e.attr_country_code = 'FIN'``);
    ``attributes_json`` holds only those Neo4j cannot hold as they are (integers past 64 bits).
    ``typed=False`` (the neo4j-admin files, whose columns take one type each) keeps every
    attribute in ``attributes_json``."""
    attrs = e.attributes or {}
    own = {f"{ATTR_PREFIX}{k}": v for k, v in attrs.items() if typed and _holds(v)}
    rest = {k: v for k, v in attrs.items() if f"{ATTR_PREFIX}{k}" not in own}
    return _drop_none({
        "id": e.id, "name": e.name, "kind": e.kind,
        "aliases": list(e.aliases) if e.aliases else None,
        "attributes_json": _json(rest) if rest else None,
        "notes": e.notes,
    }) | own


def source_props(s) -> dict:
    """Properties of a source's node."""
    return _drop_none({
        "id": s.id, "title": s.title, "publisher": s.publisher, "url": s.url,
        "published": _pd_text(s.published),
        "published_start": s.published.start() if s.published else None,
        "language": s.language, "tier": s.tier.value,
        "retrieved": _pd_text(s.retrieved), "notes": s.notes,
    })


def rate_rows(rates: Iterable) -> list[dict]:
    """Properties of the rate nodes; ``key`` identifies a rate, ``seq`` keeps the order."""
    out, seen = [], defaultdict(int)
    for i, r in enumerate(rates):
        data = r.model_dump(mode="json", exclude_none=True)
        key = _json(dict(sorted(data.items())))
        seen[key] += 1
        if seen[key] > 1:
            key += f"#{seen[key]}"
        out.append(_drop_none({
            "key": key, "seq": i, "currency": r.currency, "usd": r.usd,
            "on": _pd_text(r.on), "on_start": r.on.start() if r.on else None,
            "source": r.source, "notes": r.notes,
        }))
    return out


def _qualifier_props(name: str, v: Any) -> dict:
    if isinstance(v, Quantity):
        return _drop_none({f"q_{name}": str(v), f"q_{name}_value": v.value, f"q_{name}_min": v.min,
                           f"q_{name}_max": v.max, f"q_{name}_unit": v.unit})
    if isinstance(v, str | int | float | bool):
        return {f"q_{name}": v if isinstance(v, str) else str(v)}
    return {f"q_{name}": str(v)}


_RANK = {st: st.rank for st in Status}


def _evidence_data(e) -> dict:
    # what e.model_dump(exclude_none=True, mode="json") gives, without pydantic's cost
    d = {"source": e.source, "effect": e.effect.value}
    if e.locator is not None:
        d["locator"] = e.locator
    if e.paraphrase is not None:
        d["paraphrase"] = e.paraphrase
    return d


def _data(v: Any) -> Any:
    """:func:`claimgraph.model.value_to_data`, without pydantic's cost for quantities."""
    if isinstance(v, Quantity):
        d = {k: x for k, x in (("value", v.value), ("min", v.min), ("max", v.max)) if x is not None}
        d["unit"] = v.unit
        if v.approx:
            d["approx"] = True
        return d
    return value_to_data(v)


#: the claim properties every relationship may have, in the order of a push row; the
#: qualifier properties (``q_<name>...``) travel beside them as a map. Time (docs/time.md):
#: ``on`` (an event's date), ``tense``, ``history_json``, and the dates the time filters of the
#: Cypher twins read: ``holds_from``/``holds_until`` (the days the claim is known to hold;
#: ``holds_from`` null: undated) and ``on_record_from`` (the first day it is on the record).
#: ``valid_from_start``/``valid_until_end`` are an event's date for an event.
CLAIM_KEYS = (
    "claim_id", "status", "status_rank", "stance", "asserted_by", "stated_on", "stated_on_start",
    "valid_from", "valid_from_start", "valid_until", "valid_until_end", "source_ids",
    "supporting_source_ids", "contradicting_source_ids", "evidence_json", "qualifiers_json", "notes",
    "on", "tense", "history_json", "holds_from", "holds_until", "on_record_from",
    "contradicts",
)

#: ``(holds_from, holds_until, on_record_from)`` of a claim
Times = Callable[[Any], tuple]


def claim_times(landscape) -> Times:
    """The time properties of the landscape's claims: its :meth:`Landscape.time_bounds` and each
    claim's :meth:`Claim.on_record_from` with the landscape's sources."""
    sources = landscape.sources
    days = {sid: s.on_record for sid, s in sources.items()}
    bounds = landscape._all_bounds()
    fallback = landscape.time_bounds

    def times(c) -> tuple:
        got = bounds.get(c.id)
        start, end = got if got is not None else fallback(c)
        return start, end, c.on_record_from(sources, days)

    return times


def _no_sources(c) -> tuple:
    start, end = c.time_bounds(None)
    return start, end, None


def _claim_fields(c, vocabulary: Vocabulary, times: Times | None = None) -> tuple[list, dict]:
    """The values of :data:`CLAIM_KEYS` (None: absent) and the qualifier properties. ``times``
    (:func:`claim_times`) gives the time properties; without it, those that need the sources
    are left out."""
    evidence, sources, supporting, contradicting = [], {}, {}, {}
    for e in c.evidence:
        evidence.append(_evidence_data(e))
        sources[e.source] = None
        (supporting if e.effect is Effect.SUPPORTS else contradicting)[e.source] = None
    so, vf, vu, on = c.stated_on, c.valid_from, c.valid_until, c.on
    holds_from, holds_until, record_from = (times or _no_sources)(c)
    quals: dict = {}
    if c.qualifiers:
        for name, v in c.qualifiers.items():
            quals.update(_qualifier_props(name, v))
    return [
        c.id, c.status.value, _RANK[c.status], vocabulary.predicates[c.predicate].stance,
        list(c.asserted_by),
        None if so is None else str(so), None if so is None else so.start(),
        None if vf is None else str(vf), vf.start() if vf is not None else on.start() if on is not None else None,
        None if vu is None else str(vu), vu.end() if vu is not None else on.end() if on is not None else None,
        list(sources), list(supporting), list(contradicting),
        _json(evidence),
        _json({k: _data(v) for k, v in c.qualifiers.items()}) if c.qualifiers else None,
        c.notes,
        None if on is None else str(on), None if c.tense is None else c.tense.value,
        _json([h.to_data() for h in c.history]) if c.history else None,
        holds_from, holds_until, record_from,
        list(c.contradicts) if c.contradicts else None,
    ], quals


def claim_props(c, vocabulary: Vocabulary, times: Times | None = None) -> dict:
    """Properties of a claim's relationship (absent values left out)."""
    fixed, quals = _claim_fields(c, vocabulary, times)
    p = {k: v for k, v in zip(CLAIM_KEYS, fixed, strict=True) if v is not None}
    p.update(quals)
    return p


def value_props(c) -> dict:
    """Properties of the ``(:Value)`` node of a value claim."""
    v = c.value
    if isinstance(v, Quantity):
        return _drop_none({"claim_id": c.id, "type": "quantity", "text": str(v), "num": v.point,
                           "min": v.min, "max": v.max, "unit": v.unit, "approx": v.approx})
    if isinstance(v, PartialDate):
        return {"claim_id": c.id, "type": "date", "text": str(v), "date": str(v),
                "date_start": v.start(), "date_end": v.end()}
    return {"claim_id": c.id, "type": "text", "text": str(v)}


def _check_names(landscape) -> tuple[dict[str, str], dict[str, str]]:
    """Backticked labels for every kind and types for every predicate the landscape uses."""
    vocab = landscape.vocabulary
    kinds = {k: _label(k, vocab.kinds, "kind") for k in sorted({e.kind for e in landscape.entities.values()})}
    types = {p: _label(p, vocab.predicates, "predicate") for p in sorted({c.predicate for c in landscape.claims.values()})}
    return kinds, types


def schema_statements(vocabulary: Vocabulary | None = None) -> list[str]:
    """The constraints push creates first: unique ``Entity.id``, ``Source.id``,
    ``Value.claim_id``, ``Rate.key``, the names of the push lock and the graph records and,
    per predicate, a unique ``claim_id`` on its relationships (each backed by an index)."""
    vocab = vocabulary or default_vocabulary()
    out = [
        "CREATE CONSTRAINT claimgraph_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT claimgraph_source_id IF NOT EXISTS FOR (n:Source) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT claimgraph_value_claim_id IF NOT EXISTS FOR (n:Value) REQUIRE n.claim_id IS UNIQUE",
        "CREATE CONSTRAINT claimgraph_rate_key IF NOT EXISTS FOR (n:Rate) REQUIRE n.key IS UNIQUE",
    ]
    out += _bookkeeping_schema()
    for name in vocab.predicates:
        t = _label(name, vocab.predicates, "predicate")
        out.append(f"CREATE CONSTRAINT claimgraph_claim_{name.lower()} IF NOT EXISTS "
                   f"FOR ()-[r:{t}]-() REQUIRE r.claim_id IS UNIQUE")
    return out


def _rel_index_fallback(statement: str) -> str | None:
    """For servers without relationship uniqueness constraints (before 5.7): an index instead."""
    m = re.match(r"CREATE CONSTRAINT (\S+) IF NOT EXISTS FOR \(\)-\[r:(`\w+`)\]-\(\) REQUIRE r.claim_id IS UNIQUE", statement)
    if not m:
        return None
    return f"CREATE INDEX {m[1]}_idx IF NOT EXISTS FOR ()-[r:{m[2]}]-() ON (r.claim_id)"


