"""Canned landscape queries: named, documented questions that cite their claims.

Each query is one module in this package (``QUERY = Query(...)``: metadata, parameters, a typed
row and the networkx implementation) plus its Cypher twin ``NAME.cypher``, which runs as-is in
Neo4j Browser. The registry finds the modules by itself: adding a query touches no other file.

Both backends give the same rows (the parity tests check it). ``min_status``, ``as_of`` (with
``include_undated``) and ``known_on`` drop claims before the query runs: embedded through
:meth:`Landscape.restrict`, in Cypher through the ``$min_status_rank``, ``$as_of``,
``$include_undated`` and ``$known_on`` parameters every ``.cypher`` file applies itself (on
the claim properties ``holds_from``, ``holds_until`` and ``on_record_from`` that push writes).
With ``known_on``, :class:`Neo4jContext` also leaves out of each row the sources published
after that day, as the embedded view does (see docs/time.md). Which
predicates, kinds, stances and qualifiers a query reads comes from the vocabulary's roles:
embedded from ``land.vocabulary``, in Cypher from the role parameters every twin gets
(:attr:`claimgraph.vocabulary.Vocabulary.cypher_parameters`: ``$money_predicates`` ...).

>>> from claimgraph import load
>>> from claimgraph.queries import QUERIES, run_query
>>> all(q.name == name and q.cypher.lstrip().startswith("//") for name, q in QUERIES.items())
True
>>> rows = run_query(load(), "path", a="tesla", b="nvidia")
>>> rows[0].claim_ids != []
True
"""

from __future__ import annotations

import datetime as _dt
import difflib
import importlib
import json
import pkgutil
import warnings
from functools import cached_property
from typing import Any

from ..dataset import normalize_name
from ..errors import ClaimgraphError
from ..gcutil import gc_paused
from ..model import Status
from ..values import PartialDate, as_date
from ._base import Param, Query, Row, cell_text

__all__ = ["QUERIES", "Query", "Param", "Row", "run_query", "query", "get_query", "Neo4jContext", "cell_text"]

BACKENDS = ("embedded", "neo4j")


def _discover() -> dict[str, Query]:
    found: dict[str, Query] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name == "cli":
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        q = getattr(mod, "QUERY", None)
        if isinstance(q, Query):
            if q.name in found:
                raise RuntimeError(f"two queries are named {q.name!r}")
            object.__setattr__(q, "module", mod.__name__)
            found[q.name] = q
    return dict(sorted(found.items()))


#: name -> :class:`Query`, every query module of this package.
QUERIES: dict[str, Query] = _discover()


def get_query(name: str) -> Query:
    """The :class:`Query` called ``name`` (``_`` may stand for ``-``); raises ClaimgraphError with
    a suggestion otherwise.

    >>> get_query("circular_deals").name
    'circular-deals'
    >>> get_query("frenemy")
    Traceback (most recent call last):
    ...
    claimgraph.errors.ClaimgraphError: unknown query 'frenemy': did you mean 'frenemies'?
    """
    q = QUERIES.get(name) or QUERIES.get(name.replace("_", "-"))
    if q is None:
        match = difflib.get_close_matches(name, list(QUERIES), n=1, cutoff=0.5)
        hint = f": did you mean {match[0]!r}?" if match else f" (queries: {', '.join(QUERIES)})"
        raise ClaimgraphError(f"unknown query {name!r}{hint}")
    return q


def _prepare(q: Query, params: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in params:
        if q.param(key) is None:
            names = [p.name for p in q.params]
            match = difflib.get_close_matches(key, names, n=1, cutoff=0.5)
            hint = f": did you mean {match[0]!r}?" if match else (f" (it takes {', '.join(names)})" if names else " (it takes none)")
            raise ClaimgraphError(f"query {q.name} has no parameter {key!r}{hint}")
    for p in q.params:
        raw = params.get(p.name)
        value = p.coerce(raw) if raw is not None else p.default
        if value is None and p.required:
            raise ClaimgraphError(f"query {q.name} needs parameter {p.name}: {p.help} (give it as --param {p.name}=...)")
        out[p.name] = value
    return out


def run_query(landscape, name: str, *, backend: str = "embedded", conn: Any = None,
              min_status: str | Status | None = None, as_of: str | _dt.date | None = None,
              known_on: str | _dt.date | None = None, include_undated: bool = False,
              vocabulary: Any = None, graph: str | None = None, **params: Any) -> list[Row]:
    """Run the canned query ``name``; return its typed rows.

    ``landscape`` is a :class:`~claimgraph.landscape.Landscape` (for the embedded backend; for
    ``backend="neo4j"`` it is optional and only lends its exchange rates when the database has
    none). ``conn`` is a Neo4j connection (``claimgraph.neo4j.connect()``) or driver.
    ``min_status`` drops weaker claims, ``as_of`` keeps claims that held on that day (undated
    ones only with ``include_undated``) and ``known_on`` what was on the record on that day, with
    the statuses claims had then, before the query runs. Entity parameters accept ids, names or
    aliases in any script. On Neo4j without
    a landscape, the vocabulary is ``vocabulary`` (a Vocabulary or an extension file; default
    the built-in one) plus the extension the database holds (recorded by ``neo4j push``).
    On Neo4j, ``graph`` names the graph read (``neo4j push --graph NAME``; default
    ``"default"``): claims other graphs pushed into the same database are never mixed in.

    >>> from claimgraph import load
    >>> rows = run_query(load(), "dependencies", entity="特斯拉")
    >>> any(r.dependency == "samsung" for r in rows)
    True
    """
    q = get_query(name)
    values = _prepare(q, params)
    status = Status.parse(min_status) if isinstance(min_status, str) else min_status
    day = as_date(as_of) if as_of else None
    known = as_date(known_on) if known_on else None
    if backend == "embedded":
        if graph is not None:
            raise ClaimgraphError(f"graph {graph!r} names a graph in Neo4j: use it with the neo4j backend")
        if landscape is None:
            raise ClaimgraphError("the embedded backend needs a landscape: load one with claimgraph.load(PATH)")
        land = landscape.restrict(as_of=day, min_status=status, known_on=known, include_undated=include_undated)
        for p in q.params:
            if p.type == "entity" and values[p.name] is not None:
                values[p.name] = land.resolve(values[p.name])
        if q.view_days:
            values.update(as_of=day, known_on=known)
        with gc_paused():
            return q.embedded(land, **values)
    if backend == "neo4j":
        if conn is None:
            raise ClaimgraphError("the neo4j backend needs a connection: pass conn=claimgraph.neo4j.connect()")
        ctx = Neo4jContext(conn, min_status=status, as_of=day, landscape=landscape, known_on=known,
                           include_undated=include_undated, vocabulary=vocabulary, graph=graph)
        for p in q.params:
            if p.type == "entity" and values[p.name] is not None:
                values[p.name] = ctx.resolve(values[p.name])
        ctx.check_view()
        if q.neo4j is not None:
            rows = q.neo4j(ctx, **values)
        else:
            rows = [q.row(**rec) for rec in ctx.run(q.cypher, **values)]
        return ctx.finish(rows)
    raise ClaimgraphError(f"unknown backend {backend!r}: use {' or '.join(BACKENDS)}")


def query(name: str, source: Any = None, /, *, backend: str = "embedded", conn: Any = None,
          min_status: str | Status | None = None, as_of: str | _dt.date | None = None,
          known_on: str | _dt.date | None = None, include_undated: bool = False,
          vocabulary: Any = None, graph: str | None = None, **params: Any) -> list[Row]:
    """The library side of ``claimgraph query``: run query ``name`` on a landscape, dataset
    paths (none: the bundled landscape) or, with ``backend="neo4j"``, the Neo4j database of
    ``conn`` (by default ``neo4j_io.connect()`` from ``NEO4J_URI`` ...). ``name`` and ``source``
    are positional only, so a query parameter may be called ``source`` (claims' source filter).

    >>> rows = query("frenemies", min_status="claimed")
    >>> ("nvidia", "tesla") in {(r.a, r.b) for r in rows}
    True
    >>> {r.claim_id for r in query("claims", source="netease-article")} >= {"nvidia-invests-in-xai-stake-7pct"}
    True
    """
    from ..landscape import Landscape

    view = {"min_status": min_status, "as_of": as_of, "known_on": known_on, "include_undated": include_undated}
    if backend == "neo4j":
        view["graph"] = graph
        land = source if isinstance(source, Landscape) else None
        if conn is not None:
            return run_query(land, name, backend=backend, conn=conn, **view, vocabulary=vocabulary, **params)
        from ..neo4j import connect

        with connect() as own:
            return run_query(land, name, backend=backend, conn=own, **view, vocabulary=vocabulary, **params)
    from ..io import load

    land = source if isinstance(source, Landscape) else load(source, vocabulary)
    return run_query(land, name, backend=backend, **view, graph=graph, **params)


class Neo4jContext:
    """What a query's Neo4j side needs: the connection, the filters and the vocabulary's roles as
    Cypher parameters, and entity lookup by id, name or alias (folded the same way as the
    embedded lookup).

    The vocabulary is the landscape's when one is given, else ``vocabulary`` (default: the
    built-in one) extended by the vocabulary extension stored in the database. Only what
    carries the name of ``graph`` (default ``"default"``) is read."""

    def __init__(self, conn: Any, *, min_status: Status | None = None, as_of: _dt.date | None = None,
                 landscape: Any = None, known_on: _dt.date | None = None, include_undated: bool = False,
                 vocabulary: Any = None, graph: str | None = None):
        from ..neo4j.ownership import check_graph

        self.conn = conn
        self.graph = check_graph(graph)
        self.landscape = landscape
        self._vocabulary = vocabulary
        self.as_of, self.known_on, self.include_undated = as_of, known_on, bool(include_undated)
        self.filters = {
            "min_status_rank": min_status.rank if min_status is not None else None,
            "as_of": as_of.isoformat() if as_of else None,
            "include_undated": bool(include_undated),
            "known_on": known_on.isoformat() if known_on else None,
            "graph": self.graph,
        }
        self._names: dict[str, set[str]] | None = None
        self._kept: set[str] | None = None  # with known_on: the sources out by then

    # -- the time views (docs/time.md) -------------------------------------------------------
    def check_view(self) -> None:
        """Before a query: the notices the embedded views give (undated claims left out, what
        was not yet on the record), and, with ``known_on``, a refusal when a claim on the record
        that day had another status than it has now: the Cypher twins read each claim's current
        status, so their rows would be wrong (the embedded backend gives them)."""
        from ..landscape import ViewNotice, known_on_notice, undated_notice

        if self.as_of is not None and not self.include_undated:
            [row] = run_cypher(self.conn, "MATCH ()-[r]->() WHERE r.claim_id IS NOT NULL AND r.holds_from IS NULL "
                                          "AND r.claimgraph_graph = $graph RETURN count(r) AS n", {"graph": self.graph})
            if row["n"]:
                warnings.warn(ViewNotice(undated_notice(self.as_of, row["n"])), stacklevel=3)
        if self.known_on is None:
            return
        day = self.known_on
        kept = self.kept_sources()
        changed = []
        rows = run_cypher(self.conn, "MATCH ()-[r]->() WHERE r.claim_id IS NOT NULL AND r.history_json IS NOT NULL "
                                     "AND r.claimgraph_graph = $graph AND r.on_record_from <= date($day) "
                                     "RETURN r.claim_id AS id, r.status AS status, r.history_json AS history ORDER BY id",
                           {"day": day.isoformat(), "graph": self.graph})
        for r in rows:
            then = None
            for h in json.loads(r["history"]):
                if PartialDate.parse(h["on"]).end() <= day:
                    then = h["status"]
            if then is not None and then != r["status"]:
                changed.append(f"{r['id']} ({then} then, {r['status']} now)")
        if changed:
            raise ClaimgraphError(
                f"--known-on {day} on the neo4j backend: {len(changed)} claim(s) had another status that day "
                f"than now ({', '.join(changed[:3])}{', ...' if len(changed) > 3 else ''}) and the Cypher twins "
                "read current statuses: run this query on the embedded backend")
        [row] = run_cypher(self.conn, "MATCH ()-[r]->() WHERE r.claim_id IS NOT NULL AND r.claimgraph_graph = $graph "
                                      "RETURN count(r) AS n, count(CASE WHEN r.on_record_from <= date($day) THEN 1 END) AS known",
                           {"day": day.isoformat(), "graph": self.graph})
        [srcs] = run_cypher(self.conn, "MATCH (s:Source) WHERE $graph IN s.claimgraph_graphs RETURN count(s) AS n",
                            {"graph": self.graph})
        if row["n"] - row["known"] or srcs["n"] - len(kept):
            warnings.warn(ViewNotice(known_on_notice(day, row["n"] - row["known"], srcs["n"] - len(kept))),
                          stacklevel=3)

    def kept_sources(self) -> set[str]:
        """With ``known_on``: the ids of the sources out by that day (:attr:`Source.on_record`)."""
        if self._kept is None:
            day = self.known_on
            kept = set()
            for r in run_cypher(self.conn, "MATCH (s:Source) WHERE $graph IN s.claimgraph_graphs RETURN s.id AS id, "
                                           "s.published AS published, s.retrieved AS retrieved",
                                 {"graph": self.graph}):
                d = r["published"] or r["retrieved"]
                try:
                    end = PartialDate.parse(d).end() if d else None
                except ValueError:
                    end = None
                if end is not None and day is not None and end <= day:
                    kept.add(r["id"])
            self._kept = kept
        return self._kept

    def finish(self, rows: list[Row]) -> list[Row]:
        """With ``known_on``, each row cites only the sources out by that day."""
        if self.known_on is None:
            return rows
        kept = self.kept_sources()
        for r in rows:
            r.source_ids = [s for s in r.source_ids if s in kept]
        return rows

    @cached_property
    def vocabulary(self):
        if self.landscape is not None:
            return self.landscape.vocabulary
        from ..neo4j.vocabstore import Q_READ_EXTENSION, with_extension
        from ..vocabulary import vocabulary_from

        rows = run_cypher(self.conn, Q_READ_EXTENSION, {})
        return with_extension(vocabulary_from(self._vocabulary), [r["json"] for r in rows])

    @cached_property
    def parameters(self) -> dict[str, Any]:
        """Every parameter a Cypher twin gets besides its own: the filters and the roles."""
        return {**self.vocabulary.cypher_parameters, **self.filters}

    def run(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        """Run Cypher (read-only) with the query's parameters plus the filter and role parameters; with
        ``known_on``, lists of source ids and evidence in the records keep only the sources out
        by that day."""
        records = run_cypher(self.conn, cypher, {**self.parameters, **params, **self.filters})
        if self.known_on is not None:
            kept = self.kept_sources()
            records = [_known_sources(r, kept) for r in records]
        return records

    def resolve(self, ref: str) -> str:
        if self._names is None:
            idx: dict[str, set[str]] = {}
            rows = run_cypher(self.conn, "MATCH (e:Entity) WHERE $graph IN e.claimgraph_graphs "
                                        "RETURN e.id AS id, e.name AS name, e.aliases AS aliases", {"graph": self.graph})
            for r in rows:
                for text in (r["id"], r["name"], *(r["aliases"] or [])):
                    if text:
                        idx.setdefault(normalize_name(text), set()).add(r["id"])
            self._names = idx
            self._ids = {r["id"] for r in rows}
        if ref in self._ids:
            return ref
        found = sorted(self._names.get(normalize_name(ref), ()))
        if len(found) == 1:
            return found[0]
        if found:
            raise ClaimgraphError(f"{ref!r} is ambiguous: it names {', '.join(found)}; use an id")
        match = difflib.get_close_matches(normalize_name(ref), list(self._names), n=1, cutoff=0.6)
        hint = f": did you mean {sorted(self._names[match[0]])[0]!r}?" if match else ""
        raise ClaimgraphError(f"unknown entity {ref!r} in the Neo4j graph {self.graph!r}{hint} "
                              "(push the landscape first: claimgraph neo4j push)")


_SOURCE_LISTS = frozenset({"source_ids", "sources", "supporting_source_ids", "contradicting_source_ids"})


def _known_sources(value: Any, kept: set[str], key: str | None = None) -> Any:
    """``value`` with the source ids not in ``kept`` left out of its source lists (and of its
    ``evidence_json``), at any depth."""
    if isinstance(value, dict):
        return {k: _known_sources(v, kept, k) for k, v in value.items()}
    if isinstance(value, list):
        if key in _SOURCE_LISTS and all(isinstance(x, str) for x in value):
            return [x for x in value if x in kept]
        return [_known_sources(x, kept) for x in value]
    if key == "evidence_json" and isinstance(value, str):
        return json.dumps([e for e in json.loads(value) if e.get("source") in kept], ensure_ascii=False)
    return value


def run_cypher(conn: Any, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Records as a list of dicts of plain values (read-only), through
    :func:`claimgraph.neo4j.run_cypher`; a bare ``neo4j`` driver works too.

    >>> from claimgraph import load
    >>> from claimgraph.neo4j import connect, push
    >>> with connect() as conn:
    ...     _ = push(load(), conn)
    ...     run_cypher(conn, "MATCH (e:Entity {id: $id}) RETURN e.name AS name", {"id": "xai"})
    [{'name': 'xAI'}]
    """
    if hasattr(conn, "execute_query"):  # a neo4j.Driver
        from ..neo4j import to_plain

        records = conn.execute_query(cypher, params, routing_="r").records
        return [{k: to_plain(v) for k, v in rec.items()} for rec in records]
    from ..neo4j import run_cypher as _run

    columns, rows = _run(conn, cypher, params)
    return [dict(zip(columns, row, strict=True)) for row in rows]
