"""Pull a landscape back out of Neo4j: one graph, read whole, checked before it is believed."""

from __future__ import annotations

import datetime as _dt
import json
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from ..dataset import RecordIn, assemble
from ..errors import ClaimgraphError, DatasetError, Origin, Problem
from ..values import PartialDate
from ..vocabulary import Vocabulary, vocabulary_from
from .connection import Connection, _translate
from .mapping import (
    ATTR_PREFIX,
    ENTITY_KEYS,
    SOURCE_KEYS,
    VALUE_KEYS,
    _drop_none,
    claim_props,
    claim_times,
    entity_props,
    filled,
    rate_rows,
    source_props,
    value_props,
)
from .ownership import (
    DEFAULT_LOCK_TIMEOUT,
    NODE_MARK,
    Q_GRAPH_NAMES,
    Q_GRAPH_READ,
    REL_MARK,
    check_graph,
    expected_counts,
    lock_state,
)
from .vocabstore import Q_READ_EXTENSION, with_extension

# ---------------------------------------------------------------------------------------------
# pull
# ---------------------------------------------------------------------------------------------
Q_PULL_ENTITIES = f"MATCH (n:Entity) WHERE $graph IN n.{NODE_MARK} RETURN n {{.*}} AS p, labels(n) AS labels"
Q_PULL_SOURCES = f"MATCH (n:Source) WHERE $graph IN n.{NODE_MARK} RETURN n {{.*}} AS p"
# every relationship of the graph, whatever it points at: a claim whose claim_id was removed,
# or whose object is no longer an entity or its value node, is reported, not skipped
Q_PULL_CLAIMS = (f"MATCH (s)-[r]->(o) WHERE r.{REL_MARK} = $graph "
                 "RETURN s.id AS s, s:Entity AS s_entity, type(r) AS t, r {.*} AS p, "
                 "CASE WHEN o:Value THEN o {.*} ELSE null END AS v, o:Entity AS o_entity, "
                 "o.id AS o, labels(o) AS o_labels")
Q_PULL_RATES = f"MATCH (n:Rate) WHERE $graph IN n.{NODE_MARK} RETURN n {{.*}} AS p ORDER BY n.seq, n.key"
Q_UNMARKED = f"MATCH (n:Entity) WHERE n.{NODE_MARK} IS NULL RETURN count(n) AS n"

#: how each property claimgraph writes must be typed (what a hand edit may break)
_TEXT, _TEXTS, _DATE, _INT, _NUMBER, _BOOL = "text", "list of texts", "date", "integer", "number", "true/false"
ENTITY_TYPES = {"id": _TEXT, "name": _TEXT, "kind": _TEXT, "aliases": _TEXTS, "attributes_json": _TEXT,
                "notes": _TEXT}
SOURCE_TYPES = {"id": _TEXT, "title": _TEXT, "publisher": _TEXT, "url": _TEXT, "published": _TEXT,
                "published_start": _DATE, "language": _TEXT, "tier": _TEXT, "retrieved": _TEXT, "notes": _TEXT}
CLAIM_TYPES = {"claim_id": _TEXT, "status": _TEXT, "status_rank": _INT, "stance": _TEXT, "asserted_by": _TEXTS,
               "stated_on": _TEXT, "stated_on_start": _DATE, "valid_from": _TEXT, "valid_from_start": _DATE,
               "valid_until": _TEXT, "valid_until_end": _DATE, "source_ids": _TEXTS,
               "supporting_source_ids": _TEXTS, "contradicting_source_ids": _TEXTS, "evidence_json": _TEXT,
               "qualifiers_json": _TEXT, "notes": _TEXT, "contradicts": _TEXTS, "on": _TEXT, "tense": _TEXT,
               "history_json": _TEXT, "holds_from": _DATE, "holds_until": _DATE, "on_record_from": _DATE}
VALUE_TYPES = {"claim_id": _TEXT, "type": _TEXT, "text": _TEXT, "num": _NUMBER, "min": _NUMBER, "max": _NUMBER,
               "unit": _TEXT, "approx": _BOOL, "date": _TEXT, "date_start": _DATE, "date_end": _DATE}
RATE_TYPES = {"key": _TEXT, "seq": _INT, "currency": _TEXT, "usd": _NUMBER, "on": _TEXT, "on_start": _DATE,
              "source": _TEXT, "notes": _TEXT}
_FIX = "push the dataset again (claimgraph neo4j push --replace), or repair it by hand"


def _is_date(v: Any) -> bool:
    v = _native(v)
    return isinstance(v, _dt.date) and not isinstance(v, _dt.datetime)


_TYPE_OK: dict[str, Callable[[Any], bool]] = {
    _TEXT: lambda v: isinstance(v, str),
    _TEXTS: lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    _DATE: _is_date,
    _INT: lambda v: isinstance(v, int) and not isinstance(v, bool),
    _NUMBER: lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    _BOOL: lambda v: isinstance(v, bool),
}


def _what(v: Any) -> str:
    if isinstance(v, str):
        return f"text {v[:40]!r}"
    if isinstance(v, list):
        return "a list" + ("" if all(isinstance(x, str) for x in v) else " holding non-text items")
    return f"{type(v).__name__} {v!r}"[:60]


def _native(v: Any) -> Any:
    return v.to_native() if hasattr(v, "to_native") else v


def _type_problems(p: dict, types: dict[str, str], required: tuple[str, ...] = ()) -> list[str]:
    out = []
    for k, typ in types.items():
        v = p.get(k)
        if v is None:
            if k in required:
                out.append(f"{k} is missing: {_FIX}")
        elif not _TYPE_OK[typ](v):
            out.append(f"{k} is {_what(v)}, not a {typ}: {_FIX}")
    return out


def _same(stored: Any, expected: Any, key: str) -> bool:
    stored, expected = _native(stored), _native(expected)
    if key.endswith("_json") and isinstance(stored, str) and isinstance(expected, str):
        try:
            return json.loads(stored) == json.loads(expected)
        except ValueError:
            return False
    if isinstance(stored, bool) or isinstance(expected, bool):
        return type(stored) is type(expected) and stored == expected
    return stored == expected


def _mismatches(stored: dict, expected: dict, keys) -> list[str]:
    """What ``stored`` says that does not follow from the record pulled (edited by hand)."""
    out = []
    for k in keys:
        s, e = stored.get(k), expected.get(k)
        if s is e or (s.__class__ is e.__class__ and s == e):
            continue  # the common case, first
        if (s is None or s == []) and (e is None or e == []):
            continue  # an empty list may be absent (neo4j-admin import writes no empty arrays)
        if not _same(s, e, k):
            shown = "absent" if s is None else repr(_native(s))
            want = "absent" if e is None else repr(_native(e))
            out.append(f"{k} is {shown[:80]} but the rest of it says {want[:80]}: {_FIX}")
    return out


def _loads(text: Any, default: Any, kind: type, key: str, problems: list[str]) -> Any:
    if text is None:
        return default
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        problems.append(f"{key} is not valid JSON: {_FIX}")
        return default
    if not isinstance(value, kind):
        problems.append(f"{key} holds {type(value).__name__}, not a JSON {'object' if kind is dict else 'list'}: {_FIX}")
        return default
    return value


def _pull_value(v: dict) -> Any:
    kind = v.get("type") or ("quantity" if v.get("unit") else "date" if v.get("date") else "text")
    if kind == "quantity":
        if v.get("min") is None and v.get("max") is None:
            q = {"value": v.get("num")}
        else:
            q = _drop_none({"min": v.get("min"), "max": v.get("max")})
        return q | {"unit": v.get("unit"), "approx": bool(v.get("approx"))}
    if kind == "date":
        try:
            return PartialDate.parse(v.get("date") or v.get("text"))
        except ValueError:
            return v.get("date") or v.get("text")
    return v.get("text")


def _read(tx, graph: str) -> dict[str, Any]:
    params = {"graph": graph}
    out = {name: tx.run(q, params).values() for name, q in (
        ("entities", Q_PULL_ENTITIES), ("sources", Q_PULL_SOURCES), ("claims", Q_PULL_CLAIMS),
        ("rates", Q_PULL_RATES))}
    out["extension"] = [r[0] for r in tx.run(Q_READ_EXTENSION).values()]
    record = tx.run(Q_GRAPH_READ, params).single()
    out["record"] = record["g"] if record is not None else None
    return out


def _read_quietly(conn: Connection, graph: str, lock_timeout: float) -> dict[str, Any]:
    """The graph's nodes and claims, read while no push runs: wait for a running push, and
    read again if one ran meanwhile (the push lock's generation moved)."""
    deadline = time.monotonic() + max(0.0, lock_timeout)
    with conn.session(write=False, quiet=True) as session:
        while True:
            before = lock_state(session)
            if not before.get("busy"):
                data = session.execute_read(_read, graph)
                after = lock_state(session)
                if not after.get("busy") and after.get("generation") == before.get("generation"):
                    return data
                before = after
            if time.monotonic() >= deadline:
                raise ClaimgraphError(
                    f"a push is running on {conn.where} ({before.get('about') or 'unknown'}, since "
                    f"{before.get('since')}): waited {lock_timeout:.0f}s for it; pull when it is done, or wait "
                    "longer with --lock-timeout SECONDS")
            time.sleep(0.25)


def pull(conn: Connection, *, vocabulary: Vocabulary | None = None, graph: str | None = None,
         lock_timeout: float = DEFAULT_LOCK_TIMEOUT):
    """Read graph ``graph`` (default ``"default"``) back from the database of ``conn``; return
    a :class:`~claimgraph.landscape.Landscape`.

    Everything :func:`push` writes comes back: entities, sources, claims with every field
    (qualifiers, evidence, statuses, dates, notes), value claims and rates; only what carries
    the graph's name is read. A running push is waited for (``lock_timeout`` seconds), and
    the read is done again if a push ran meanwhile.

    What is read is checked before it is believed, and a graph edited by hand into something
    wrong raises :class:`~claimgraph.errors.DatasetError` naming each bad node or
    relationship: properties of the wrong type (``aliases`` as text), a relationship without
    ``claim_id``, a claim whose object is neither an entity nor its value node, derived
    properties that disagree with the rest (``status_rank`` with ``status``, ``stance``,
    dates, source lists, qualifier properties, kind labels), the records validated like any
    dataset, and claims or nodes missing against what the graph's last push left (a value
    node deleted with ``DETACH DELETE`` takes its claim with it). Nothing is dropped or
    reshaped silently.

    >>> from claimgraph import load
    >>> from claimgraph.neo4j import connect, push, pull
    >>> with connect() as conn:
    ...     _ = push(load(), conn)
    ...     land = pull(conn)
    >>> land.entity("英偉達").name
    'Nvidia'
    """
    from neo4j.exceptions import DriverError, Neo4jError

    from ..landscape import Landscape

    graph = check_graph(graph)
    vocab = vocabulary_from(vocabulary)
    try:
        data = _read_quietly(conn, graph, lock_timeout)
        if data["record"] is None and not any(data[k] for k in ("entities", "sources", "claims", "rates")):
            with conn.session(write=False, quiet=True) as session:
                names = [r[0] for r in session.run(Q_GRAPH_NAMES).values()]
                unmarked = session.run(Q_UNMARKED).single()[0]
    except (Neo4jError, DriverError, OSError) as exc:
        raise _translate(exc, conn) from None
    origin = f"neo4j {conn.where} graph {graph!r}"
    vocab = with_extension(vocab, data["extension"], where=f"neo4j {conn.where}")
    if data["record"] is None and not any(data[k] for k in ("entities", "sources", "claims", "rates")):
        hint = f"; graphs here: {', '.join(names)}" if names else ""
        if unmarked:
            hint += (f"; {unmarked} :Entity nodes carry no graph (another application's, or pushed by a "
                     "claimgraph that did not mark its data: push that dataset again to mark it)")
        raise ClaimgraphError(f"{origin} holds nothing: push it first (claimgraph neo4j push --graph {graph}){hint}")
    return Landscape.from_dataset(_check(data, graph, vocab, origin), vocab)


def _check(data: dict[str, Any], graph: str, vocab: Vocabulary, origin: str):
    """The dataset the graph's records make, or DatasetError with every problem found."""
    problems: list[Problem] = []

    def flag(what: str, messages: list[str]) -> None:
        problems.extend(Problem(Origin(origin, column=what), m) for m in messages)

    def where_factory(what: str) -> Callable[[tuple], Origin]:
        # one "file" for the whole pull: the dataset merger only merges records of different files
        return lambda path: Origin(origin, column=" ".join([what, ".".join(str(x) for x in path)]).strip())

    records: list[RecordIn] = []
    stored: dict[tuple[str, str], dict] = {}  # (section, id) -> what the database holds

    # -- the graph's record: did its last push finish, and what did it leave?
    record = data["record"] or {}
    if record and record.get("complete") is not True:
        flag("record", [f"the last push into this graph did not finish (interrupted, or its server stopped): {_FIX}"])
    expected = expected_counts(record) if record.get("complete") is True else None

    for (p,) in sorted(data["sources"], key=lambda r: str(r[0].get("id"))):
        what = f"source {p.get('id')}"
        bad = _type_problems(p, SOURCE_TYPES, required=("id",))
        if bad:
            flag(what, bad)
            continue
        stored[("sources", p["id"])] = p
        fields = {k: p.get(k) for k in ("id", "title", "publisher", "url", "published", "language", "tier",
                                        "retrieved", "notes")}
        records.append(RecordIn("sources", _drop_none(fields), where_factory(what)))

    for p, labels in sorted(data["entities"], key=lambda r: str(r[0].get("id"))):
        what = f"entity {p.get('id')}"
        bad = _type_problems(p, ENTITY_TYPES, required=("id", "name", "kind"))
        attributes = _loads(p.get("attributes_json"), {}, dict, "attributes_json", bad)
        kind_labels = sorted(lab for lab in labels if lab in vocab.kinds)
        if isinstance(p.get("kind"), str) and kind_labels != [p["kind"]]:
            bad.append(f"kind is {p['kind']!r} but the node's kind labels are {kind_labels}: {_FIX}")
        if bad:
            flag(what, bad)
            continue
        stored[("entities", p["id"])] = p
        fields = {"id": p["id"], "name": p.get("name"), "kind": p.get("kind"), "aliases": p.get("aliases"),
                  "attributes": {k[len(ATTR_PREFIX):]: v for k, v in p.items() if k.startswith(ATTR_PREFIX)}
                  | attributes, "notes": p.get("notes")}
        records.append(RecordIn("entities", _drop_none(fields), where_factory(what)))

    seen: dict[str, str] = {}
    by_type: Counter = Counter()
    n_values = 0
    for s, s_entity, t, p, v, o_entity, o, o_labels in sorted(data["claims"], key=lambda r: str(r[3].get("claim_id"))):
        by_type[t] += 1
        n_values += v is not None
        cid = p.get("claim_id")
        ends = f"{t} relationship from {s!r} to {repr(o) if o is not None else 'a ' + ':'.join(o_labels or ['?']) + ' node'}"
        if not isinstance(cid, str) or not cid:
            flag(f"relationship {t}", [f"the {ends} has {'no' if cid is None else 'a non-text'} claim_id: {_FIX}"])
            continue
        what = f"claim {cid}"
        bad = _type_problems(p, CLAIM_TYPES, required=("status", "evidence_json"))
        if cid in seen:
            bad.append(f"two relationships hold this claim_id ({seen[cid]} and {t}): {_FIX}")
        seen.setdefault(cid, t)
        if not s_entity:
            bad.append(f"its subject is not an :Entity node (the {ends}): {_FIX}")
        if v is not None:
            bad += [f"its value node's {m}" for m in _type_problems(v, VALUE_TYPES)]
            if v.get("claim_id") != cid:
                bad.append(f"it points at the value node of claim {v.get('claim_id')!r}: {_FIX}")
            if graph not in (v.get(NODE_MARK) or []):
                bad.append(f"its value node does not carry the graph's name ({NODE_MARK}): {_FIX}")
        elif not o_entity or not isinstance(o, str):
            bad.append(f"its object is neither an :Entity with an id nor the claim's :Value node "
                       f"(a node labelled {o_labels or []}): {_FIX}")
        qualifiers = _loads(p.get("qualifiers_json"), {}, dict, "qualifiers_json", bad)
        evidence = _loads(p.get("evidence_json"), None, list, "evidence_json", bad)
        history = _loads(p.get("history_json"), None, list, "history_json", bad)
        if bad:
            flag(what, bad)
            continue
        stored[("claims", cid)] = p
        fields = {"id": cid, "subject": s, "predicate": t, "qualifiers": qualifiers,
                  "asserted_by": p.get("asserted_by") if p.get("asserted_by") is not None else [],
                  "stated_on": p.get("stated_on"), "valid_from": p.get("valid_from"),
                  "valid_until": p.get("valid_until"), "on": p.get("on"), "tense": p.get("tense"),
                  "contradicts": p.get("contradicts") if p.get("contradicts") is not None else [],
                  "status": p.get("status"), "evidence": evidence, "history": history,
                  "notes": p.get("notes")}
        if v is not None:
            stored[("values", cid)] = v
            fields["value"] = _pull_value(v)
        else:
            fields["object"] = o
        records.append(RecordIn("claims", _drop_none(fields), where_factory(what)))

    rate_keys: list[str] = []
    for (p,) in data["rates"]:
        what = f"rate {p.get('key')}"
        bad = _type_problems(p, RATE_TYPES, required=("key", "currency", "usd"))
        if bad:
            flag(what, bad)
            continue
        rate_keys.append(p["key"])
        stored[("rates", str(len(rate_keys) - 1))] = p
        fields = {k: p.get(k) for k in ("currency", "usd", "on", "source", "notes")}
        records.append(RecordIn("rates", _drop_none(fields), where_factory(what)))

    # -- what the last push left, against what is there
    if expected is not None:
        have = {"entities": len(data["entities"]), "sources": len(data["sources"]), "rates": len(data["rates"]),
                "values": n_values}
        for k in ("entities", "sources", "rates", "values"):
            if have[k] != expected[k]:
                flag("record", [f"its last push left {expected[k]} {k if k != 'values' else 'value nodes'} but "
                                f"{have[k]} are there ({'deleted, or stripped of the graph name, by hand' if have[k] < expected[k] else 'added by hand'}): {_FIX}"])
        for t in sorted(set(by_type) | set(expected["claims_by_type"])):
            want, got = int(expected["claims_by_type"].get(t, 0)), by_type.get(t, 0)
            if want != got:
                flag("record", [f"its last push left {want} {t} claims but {got} are there "
                                f"({'deleted by hand: deleting a value node with DETACH DELETE deletes its claim too' if got < want else 'added by hand'}): {_FIX}"])

    try:
        ds = assemble(records, vocab)
    except DatasetError as exc:
        raise DatasetError(problems + list(exc.problems)) from None

    # -- derived properties (the ones Cypher reads: status_rank, stance, dates, lists,
    # qualifier properties, ...) must follow from what they are derived from
    from ..landscape import Landscape

    times = claim_times(Landscape.from_dataset(ds, vocab))
    for cid, c in ds.claims.items():
        p = stored.get(("claims", cid))
        if p is None:
            continue
        want = claim_props(c, vocab, times) | {REL_MARK: graph}
        keys = [k for k in dict.fromkeys([*CLAIM_TYPES, *want, *(k for k in p if k.startswith("q_"))])]
        flag(f"claim {cid}", _mismatches(p, want, keys))
        v = stored.get(("values", cid))
        if v is not None:
            flag(f"claim {cid}", [f"its value node's {m}" for m in _mismatches(v, filled(value_props(c), VALUE_KEYS),
                                                                              VALUE_KEYS)])
    for eid, e in ds.entities.items():
        p = stored.get(("entities", eid))
        if p is not None:
            # a push writes typed attr_<name> properties; the neo4j-admin files keep every attribute
            # in attributes_json (their columns take one type each): either form is what claimgraph wrote
            typed = any(k.startswith(ATTR_PREFIX) for k in p) or not e.attributes
            flag(f"entity {eid}", _mismatches(p, filled(entity_props(e, typed=typed), ENTITY_KEYS), ENTITY_KEYS))
    for sid, src in ds.sources.items():
        p = stored.get(("sources", sid))
        if p is not None:
            flag(f"source {sid}", _mismatches(p, filled(source_props(src), SOURCE_KEYS), SOURCE_KEYS))
    for i, row in enumerate(rate_rows(ds.rates)):
        p = stored.get(("rates", str(i)))
        if p is not None:
            if p.get("key", "").split("#")[0] != row["key"].split("#")[0]:
                flag(f"rate {p.get('key')}", [f"key does not match its fields ({row['key']!r}): {_FIX}"])
            flag(f"rate {p.get('key')}", _mismatches(p, row, ("on_start",)))
    if problems:
        raise DatasetError(problems)
    return ds
