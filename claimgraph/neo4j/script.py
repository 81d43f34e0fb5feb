"""The Cypher script exporter: statements that recreate a landscape in Neo4j."""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterator
from typing import IO, Any

from ..errors import ClaimgraphError
from .connection import _IDENT_RE
from .mapping import (
    ENTITY_KEYS,
    RATE_KEYS,
    SOURCE_KEYS,
    VALUE_KEYS,
    _check_names,
    claim_props,
    claim_times,
    entity_props,
    filled,
    rate_rows,
    schema_statements,
    source_props,
    value_props,
)
from .ownership import DEFAULT_GRAPH, REL_MARK, add_mark
from .vocabstore import extension_text

# ---------------------------------------------------------------------------------------------
# the Cypher script exporter
# ---------------------------------------------------------------------------------------------
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _escape_char(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    o = ord(ch)
    if o < 0x20 or 0x7F <= o <= 0x9F or o in (0x2028, 0x2029, 0xFEFF):
        return f"\\u{o:04x}"
    return ch


_NEEDS_ESCAPE = re.compile("[\\\\'\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def cypher_literal(value: Any) -> str:
    """``value`` as a Cypher literal: strings single-quoted with backslashes, quotes and control
    characters escaped; numbers, booleans, null, lists, maps; dates as ``date('...')``.

    >>> cypher_literal("it's a \\\\ test")
    "'it\\\\'s a \\\\\\\\ test'"
    >>> cypher_literal({"a": [1, 2.5, True], "b-c": None})
    '{a: [1, 2.5, true], `b-c`: null}'
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not -(2**63) <= value < 2**63:
            raise ClaimgraphError(f"integer {value} does not fit a Neo4j integer")
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ClaimgraphError(f"number {value} is not finite: Cypher has no literal for it")
        return repr(value)
    if isinstance(value, str):
        return "'" + _NEEDS_ESCAPE.sub(lambda m: _escape_char(m.group()), value) + "'"
    if isinstance(value, _dt.datetime):
        raise ClaimgraphError("datetimes are not part of the claimgraph model")
    if isinstance(value, _dt.date):
        return f"date('{value.isoformat()}')"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_cypher_key(k)}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    raise ClaimgraphError(f"cannot write {type(value).__name__} as a Cypher literal")


def _cypher_key(key: str) -> str:
    if _IDENT_RE.match(key):
        return key
    return "`" + key.replace("`", "``") + "`"


def cypher_statements(landscape) -> Iterator[str]:
    """The statements of the Cypher script for ``landscape``, without the ``;`` separators:
    constraints first, then the vocabulary extension (when the landscape's vocabulary adds to the
    built-in one, as push records it), sources, entities, claims and rates, one ``MERGE``
    statement each, every value an escaped literal. What it writes belongs to the graph
    ``"default"``, as a push's does, and nodes keep the properties claimgraph does not write."""
    vocab = landscape.vocabulary
    kinds, types = _check_names(landscape)
    graph = cypher_literal(DEFAULT_GRAPH)

    def mark(var: str) -> str:
        return add_mark(var).replace("$graph", graph)

    for i, statement in enumerate(schema_statements(vocab)):
        if i == 0:
            statement = (
                "// claimgraph: this landscape as a Neo4j graph (see docs/neo4j-model.md).\n"
                f"// {len(landscape.entities)} entities, {len(landscape.sources)} sources, "
                f"{len(landscape.claims)} claims, {len(landscape.rates)} rates.\n"
                "// Run with: cypher-shell -u neo4j -p PASSWORD -f FILE\n" + statement)
        yield statement
    ext = extension_text(vocab)
    if ext is not None:
        yield f"MERGE (v:Vocabulary {{key: 'extension'}}) SET v.json = {cypher_literal(ext)}"
    for s in sorted(landscape.sources.values(), key=lambda s: s.id):
        props = filled(source_props(s), SOURCE_KEYS)
        yield f"MERGE (n:Source {{id: {cypher_literal(s.id)}}}) SET n += {cypher_literal(props)}, {mark('n')}"
    for e in sorted(landscape.entities.values(), key=lambda e: e.id):
        props = filled(entity_props(e), ENTITY_KEYS)
        yield (f"MERGE (n:Entity {{id: {cypher_literal(e.id)}}}) SET n += {cypher_literal(props)}, {mark('n')}, "
               f"n:{kinds[e.kind]}")
    times = claim_times(landscape)
    for c in sorted(landscape.claims.values(), key=lambda c: c.id):
        p = cypher_literal(claim_props(c, vocab, times) | {REL_MARK: DEFAULT_GRAPH})
        cid = cypher_literal(c.id)
        t = types[c.predicate]
        if c.object is None:
            yield (f"MATCH (s:Entity {{id: {cypher_literal(c.subject)}}}) "
                   f"MERGE (v:Value {{claim_id: {cid}}}) SET v += {cypher_literal(filled(value_props(c), VALUE_KEYS))}, "
                   f"{mark('v')} "
                   f"MERGE (s)-[r:{t} {{claim_id: {cid}}}]->(v) SET r = {p}")
        else:
            yield (f"MATCH (s:Entity {{id: {cypher_literal(c.subject)}}}) "
                   f"MATCH (o:Entity {{id: {cypher_literal(c.object)}}}) "
                   f"MERGE (s)-[r:{t} {{claim_id: {cid}}}]->(o) SET r = {p}")
    for row in rate_rows(landscape.rates):
        yield (f"MERGE (n:Rate {{key: {cypher_literal(row['key'])}}}) SET n += {cypher_literal(filled(row, RATE_KEYS))}, "
               f"{mark('n')}")


def write_cypher_script(landscape, fh: IO[str]) -> None:
    """Write a standalone Cypher script that recreates ``landscape`` in Neo4j: statements
    separated by ``;`` and a newline, for ``cypher-shell -f FILE`` or a driver loop.

    >>> from claimgraph import load
    >>> import io
    >>> buf = io.StringIO()
    >>> write_cypher_script(load(), buf)
    >>> print(buf.getvalue().splitlines()[3][:17])
    CREATE CONSTRAINT
    """
    for statement in cypher_statements(landscape):
        fh.write(statement)
        fh.write(";\n")
