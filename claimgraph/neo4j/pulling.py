"""Pull a landscape back out of Neo4j."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..dataset import RecordIn, assemble
from ..errors import ClaimgraphError, Origin
from ..values import PartialDate
from ..vocabulary import Vocabulary, vocabulary_from
from .connection import Connection, _translate
from .mapping import _drop_none
from .pushing import _run_values
from .vocabstore import Q_READ_EXTENSION, with_extension

# ---------------------------------------------------------------------------------------------
# pull
# ---------------------------------------------------------------------------------------------
Q_PULL_ENTITIES = "MATCH (n:Entity) RETURN n {.*} AS p"
Q_PULL_SOURCES = "MATCH (n:Source) RETURN n {.*} AS p"
Q_PULL_CLAIMS = ("MATCH (s:Entity)-[r]->(o) WHERE r.claim_id IS NOT NULL "
                 "RETURN s.id AS s, type(r) AS t, r {.*} AS p, "
                 "CASE WHEN o:Value THEN o {.*} ELSE null END AS v, "
                 "CASE WHEN o:Value THEN null ELSE o.id END AS o")
Q_PULL_RATES = "MATCH (n:Rate) RETURN n {.*} AS p ORDER BY n.seq, n.key"


def _where_factory(origin: str) -> Callable[[str], Callable[[tuple], Origin]]:
    # One "file" for the whole pull: the dataset merger only merges records of different files.
    def factory(what: str) -> Callable[[tuple], Origin]:
        def where(path: tuple) -> Origin:
            return Origin(origin, column=" ".join([what, ".".join(str(x) for x in path)]).strip())
        return where
    return factory


def _loads(text: Any, what: str, default: Any) -> Any:
    if text is None:
        return default
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        raise ClaimgraphError(f"neo4j {what}: property is not valid JSON: fix it or push the dataset again") from None


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


def pull(conn: Connection, *, vocabulary: Vocabulary | str | None = None):
    """Read the landscape back from the database of ``conn``; return a
    :class:`~claimgraph.landscape.Landscape`.

    Everything :func:`push` writes comes back: entities, sources, claims with every field
    (qualifiers, evidence, statuses, dates, notes), value claims and rates, and the vocabulary
    extension push recorded (the landscape's vocabulary is ``vocabulary``, by default the
    built-in one, plus that extension). The records are
    validated like any dataset, so a graph edited by hand into something invalid raises
    :class:`~claimgraph.errors.DatasetError` naming each bad record.

    >>> from claimgraph import load
    >>> from claimgraph.neo4j import connect, push
    >>> with connect() as conn:
    ...     _ = push(load(), conn)
    ...     land = pull(conn)
    >>> land.entity("英偉達").name
    'Nvidia'
    """
    from neo4j.exceptions import DriverError, Neo4jError

    from ..landscape import Landscape

    vocab = vocabulary_from(vocabulary)
    try:
        with conn.session(write=False) as session:
            stored = session.execute_read(_run_values, Q_READ_EXTENSION, {})
            entities = session.execute_read(_run_values, Q_PULL_ENTITIES, {})
            sources = session.execute_read(_run_values, Q_PULL_SOURCES, {})
            claims = session.execute_read(_run_values, Q_PULL_CLAIMS, {})
            rates = session.execute_read(_run_values, Q_PULL_RATES, {})
    except (Neo4jError, DriverError, OSError) as exc:
        raise _translate(exc, conn) from None
    vocab = with_extension(vocab, [r[0] for r in stored], where=f"neo4j {conn.where}")

    _where = _where_factory(f"neo4j {conn.where}")
    records: list[RecordIn] = []
    for (p,) in sorted(sources, key=lambda r: str(r[0].get("id"))):
        data = {k: p.get(k) for k in ("id", "title", "publisher", "url", "published", "language", "tier",
                                      "retrieved", "notes")}
        records.append(RecordIn("sources", _drop_none(data), _where(f"source {p.get('id')}")))
    for (p,) in sorted(entities, key=lambda r: str(r[0].get("id"))):
        data = {"id": p.get("id"), "name": p.get("name"), "kind": p.get("kind"),
                "aliases": list(p.get("aliases") or []),
                "attributes": {k[5:]: v for k, v in p.items() if k.startswith("attr_")}
                | _loads(p.get("attributes_json"), f"entity {p.get('id')}", {}),
                "notes": p.get("notes")}
        records.append(RecordIn("entities", _drop_none(data), _where(f"entity {p.get('id')}")))
    for s, t, p, v, o in sorted(claims, key=lambda r: str(r[2].get("claim_id"))):
        cid = p.get("claim_id")
        data = {"id": cid, "subject": s, "predicate": t,
                "qualifiers": _loads(p.get("qualifiers_json"), f"claim {cid}", {}),
                "asserted_by": list(p.get("asserted_by") or []),
                "contradicts": list(p.get("contradicts") or []),
                "stated_on": p.get("stated_on"), "valid_from": p.get("valid_from"),
                "valid_until": p.get("valid_until"), "on": p.get("on"), "tense": p.get("tense"),
                "status": p.get("status"),
                "evidence": _loads(p.get("evidence_json"), f"claim {cid}", None),
                "history": _loads(p.get("history_json"), f"claim {cid}", None),
                "notes": p.get("notes")}
        if v is not None:
            data["value"] = _pull_value(v)
        else:
            data["object"] = o
        records.append(RecordIn("claims", _drop_none(data), _where(f"claim {cid}")))
    for (p,) in rates:
        data = {k: p.get(k) for k in ("currency", "usd", "on", "source", "notes")}
        records.append(RecordIn("rates", _drop_none(data), _where(f"rate {p.get('key')}")))
    return Landscape.from_dataset(assemble(records, vocab), vocab)


