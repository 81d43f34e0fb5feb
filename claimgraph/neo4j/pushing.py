"""Push a landscape into Neo4j: idempotent, batched, with ``replace``."""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import ClaimgraphError, DatasetError, Origin, Problem
from ..vocabulary import Vocabulary
from .connection import (
    _IDENT_RE,
    DEFAULT_BATCH_SIZE,
    DEFAULT_WRITERS,
    PROGRESS_MIN_ROWS,
    RESERVED_LABELS,
    Connection,
    _translate,
)
from .mapping import (
    CLAIM_KEYS,
    ENTITY_KEYS,
    RATE_KEYS,
    SOURCE_KEYS,
    VALUE_KEYS,
    _check_names,
    _claim_fields,
    _label,
    _rel_index_fallback,
    claim_times,
    entity_props,
    filled,
    rate_rows,
    schema_statements,
    source_props,
    value_props,
)
from .ownership import (
    DEFAULT_GRAPH,
    DEFAULT_LOCK_TIMEOUT,
    NODE_MARK,
    Q_GRAPH_BEGIN,
    Q_GRAPH_COUNT_NODES,
    Q_GRAPH_DONE,
    Q_RELEASE,
    REL_MARK,
    PushLock,
    add_mark,
    check_graph,
    graph_counts,
)
from .vocabstore import store_extension


# ---------------------------------------------------------------------------------------------
# push
# ---------------------------------------------------------------------------------------------
def _fmt(query: str, **names: str) -> str:
    """``query`` with ``{name}`` placeholders replaced by fixed (backticked vocabulary) names."""
    for k, v in names.items():
        query = query.replace("{" + k + "}", v)
    return query


@dataclass
class PushResult:
    """What :func:`push` did. ``created``/``updated``/``moved`` count claims (a moved claim
    changed predicate, subject or object and was recreated); ``removed`` counts what
    ``replace=True`` deleted, by kind of record."""

    database: str | None
    graph: str = DEFAULT_GRAPH
    entities: int = 0
    sources: int = 0
    claims: int = 0
    values: int = 0
    rates: int = 0
    created: int = 0
    updated: int = 0
    moved: int = 0
    removed: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    seconds: float = 0.0

    @property
    def claims_per_second(self) -> float:
        return self.claims / self.seconds if self.seconds > 0 else math.inf

    def to_data(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("database", "graph", "entities", "sources", "claims", "values", "rates",
                                              "created", "updated", "moved", "removed", "batches", "seconds")}

    def __str__(self) -> str:
        text = (f"pushed {self.entities} entities, {self.sources} sources, {self.claims} claims "
                f"({self.created} new, {self.updated} updated, {self.moved} moved), {self.rates} rates "
                f"in {self.seconds:.1f}s")
        gone = ", ".join(f"{n} {k}" for k, n in self.removed.items() if n)
        return text + (f"; removed {gone}" if gone else "")


# The queries push runs. Every MATCH/MERGE names a label (or a relationship type) and the
# indexed key, so each row is an index seek. {label}/{type} are backticked vocabulary names.
# Nodes are updated with ``SET n += row`` (a row holds every property claimgraph writes, null
# when absent), so another application's properties on a shared node stay; ``$graph`` joins
# the node's ``claimgraph_graphs`` (ownership.py).
Q_SOURCES = ("UNWIND $rows AS row MERGE (n:Source {id: row.id}) SET n += row, " + add_mark("n")
             + " RETURN count(*) AS n")
Q_ENTITIES = ("UNWIND $rows AS row MERGE (n:Entity {id: row.id}) SET n += row, " + add_mark("n")
              + ", n:{label}{remove} RETURN count(*) AS n")
Q_RATES = ("UNWIND $rows AS row MERGE (n:Rate {key: row.key}) SET n += row, " + add_mark("n")
           + " RETURN count(*) AS n")
# A claim row is a list: [subject id, object id (or the value node's properties), the values of
# CLAIM_KEYS..., the qualifier properties]: lists pack and unpack faster than maps of names.
# Absent values are nulls: ``SET r += {..., notes: null}`` removes an old note; the qualifier
# map of an update also nulls the q_ properties of qualifiers the claim no longer has.
_N = len(CLAIM_KEYS)
_PROPS = ("{" + ", ".join(f"{k}: row[{i + 2}]" for i, k in enumerate(CLAIM_KEYS))
          + f", {REL_MARK}: $graph" + "}")
Q_CREATE_REL = ("UNWIND $rows AS row MATCH (s:Entity {id: row[0]}) MATCH (o:Entity {id: row[1]}) "
                f"CREATE (s)-[r:{{type}} {_PROPS}]->(o) SET r += row[{_N + 2}] RETURN count(*) AS n")
Q_CREATE_VALUE = ("UNWIND $rows AS row MATCH (s:Entity {id: row[0]}) MERGE (v:Value {claim_id: row[2]}) "
                  f"SET v += row[1], {add_mark('v')} CREATE (s)-[r:{{type}} {_PROPS}]->(v) SET r += row[{_N + 2}] "
                  "RETURN count(*) AS n")
# When a CREATE batch meets a claim that is there already (a relationship claimgraph did not
# mark, e.g. pushed by an older claimgraph, between the same ends), the unique constraint
# rejects the whole batch; it is then written again with MERGE, which updates what is there.
Q_UPSERT_REL = ("UNWIND $rows AS row MATCH (s:Entity {id: row[0]}) MATCH (o:Entity {id: row[1]}) "
                f"MERGE (s)-[r:{{type}} {{claim_id: row[2]}}]->(o) SET r += {_PROPS} SET r += row[{_N + 2}] "
                "RETURN count(*) AS n")
Q_UPSERT_VALUE = ("UNWIND $rows AS row MATCH (s:Entity {id: row[0]}) MERGE (v:Value {claim_id: row[2]}) "
                  f"SET v += row[1], {add_mark('v')} MERGE (s)-[r:{{type}} {{claim_id: row[2]}}]->(v) "
                  f"SET r += {_PROPS} SET r += row[{_N + 2}] RETURN count(*) AS n")
Q_UPDATE_REL = ("UNWIND $rows AS row MATCH (:Entity)-[r:{type} {claim_id: row[2]}]->(:Entity) "
                f"SET r += {_PROPS} SET r += row[{_N + 2}] RETURN count(*) AS n")
Q_UPDATE_VALUE = ("UNWIND $rows AS row MATCH (:Entity)-[r:{type} {claim_id: row[2]}]->(v:Value) "
                  f"SET r += {_PROPS} SET r += row[{_N + 2}], v += row[1], {add_mark('v')} RETURN count(*) AS n")
Q_DELETE_REL = ("UNWIND $ids AS id MATCH ()-[r:{type} {claim_id: id}]->() "
                f"WHERE r.{REL_MARK} = $graph DELETE r RETURN count(*) AS n")
Q_RELEASE_VALUES = _fmt(Q_RELEASE, label="Value", key="claim_id")
Q_RELEASE_ENTITIES = _fmt(Q_RELEASE, label="Entity", key="id")
Q_RELEASE_SOURCES = _fmt(Q_RELEASE, label="Source", key="id")
Q_RELEASE_RATES = _fmt(Q_RELEASE, label="Rate", key="key")
# every claim relationship in the database, with its graph (and, for ours and unmarked ones,
# the names of its qualifier properties)
Q_EXISTING_CLAIMS = ("MATCH (s:Entity)-[r]->(o) WHERE r.claim_id IS NOT NULL "
                     "RETURN r.claim_id AS id, type(r) AS t, s.id AS s, "
                     f"CASE WHEN o:Value THEN null ELSE o.id END AS o, r.{REL_MARK} AS g, "
                     f"CASE WHEN r.{REL_MARK} IS NULL OR r.{REL_MARK} = $graph "
                     "THEN [k IN keys(r) WHERE k STARTS WITH 'q_'] ELSE [] END AS q")
Q_OURS = "MATCH (n:{label}) WHERE $graph IN n." + NODE_MARK + " AND n.{key} IS NOT NULL RETURN n.{key}"
Q_ORPHAN_VALUES = ("MATCH (v:Value) WHERE $graph IN v." + NODE_MARK + " AND NOT EXISTS { (v)--() } "
                   "AND v.claim_id IS NOT NULL RETURN v.claim_id")




def _batches(rows: list, size: int) -> Iterator[list]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


#: attempts of a batch whose CREATE met a claim another push created meanwhile (then MERGE)
CONFLICT_ATTEMPTS = 5


def _is_conflict(exc: BaseException) -> bool:
    return "ConstraintValidationFailed" in (getattr(exc, "code", None) or "")


def _write_batch(session, query: str, params: dict, fallback: str | None) -> int:
    """One batch in one managed write transaction (the driver retries transient errors such as
    DeadlockDetected). A unique-constraint conflict (another push created one of these claims
    after we read what exists) runs the batch again with ``fallback`` (MERGE instead of CREATE),
    a few times if the other push keeps racing us."""
    try:
        return session.execute_write(_run_count, query, params)
    except Exception as exc:
        if fallback is None or not _is_conflict(exc):
            raise
    for attempt in range(CONFLICT_ATTEMPTS):
        try:
            return session.execute_write(_run_count, fallback, params)
        except Exception as exc:
            if not _is_conflict(exc) or attempt == CONFLICT_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


class _Writer:
    """Sends batches, each one managed write transaction (the driver retries transient errors).

    ``writers`` worker threads, each with its own session, take the batches in the order they
    were given, while the caller builds the next batch's rows: Python and the server work at
    the same time, and with two writers the server uses two cores. A few batches
    are queued or running; :meth:`read` and :meth:`flush` wait for all of them. When
    interrupted, batches not started are cancelled and running ones finish: what is written is
    always whole batches, a prefix of those given.
    """

    def __init__(self, conn: Connection, batch_size: int, progress: Any = None, task: Any = None,
                 writers: int = 1, params: dict | None = None, guard: Callable[[], None] | None = None):
        import threading
        from concurrent.futures import ThreadPoolExecutor

        self.conn, self.batch_size, self.progress, self.task = conn, batch_size, progress, task
        self.batches = 0
        self.writers = max(1, writers)
        self._local = threading.local()
        self._sessions: list = []
        self._lock = threading.Lock()
        # one thread for the batches that go one after the other, `writers` for parallel ones
        self.serial = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimgraph-neo4j")
        self.pool = ThreadPoolExecutor(max_workers=self.writers, thread_name_prefix="claimgraph-neo4j-p")
        self.pending: list[tuple] = []  # (future, rows, expect, total, advance)
        self.pending_parallel = False
        #: parameters every query gets (``$graph``); ``guard()`` runs before each batch is sent
        self.params = dict(params or {})
        self.guard = guard

    def _session(self):
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self.conn.session(write=True, quiet=True)
            with self._lock:
                self._sessions.append(session)
        return session

    def _write(self, query: str, params: dict, fallback: str | None) -> int:
        return _write_batch(self._session(), query, params, fallback)

    def run(self, query: str, items: list, build: Callable[[Any], Any] | None = None, key: str = "rows",
            expect: bool = True, advance: bool = True, fallback: str | None = None,
            parallel: bool = False, params: dict | None = None) -> list[int]:
        """Queue ``query`` over ``items`` in batches (rows made by ``build``); returns a one-item
        list that holds the number of rows written once :meth:`flush` has run. Batches of a
        ``parallel`` call may run beside each other (and beside the parallel batches queued
        just before); the others run one after the other. ``params`` go to every batch."""
        total = [0]
        extra = params or {}
        executor, depth = (self.pool, self.writers + 1) if parallel else (self.serial, 2)
        for chunk in _batches(items, self.batch_size):
            rows = [build(x) for x in chunk] if build is not None else chunk
            if self.pending and self.pending_parallel != parallel:
                # the batches queued before run first; this one's rows were built meanwhile
                self.flush()
            self.pending_parallel = parallel
            while len(self.pending) >= depth:
                self._settle(self.pending.pop(0))
            if self.guard is not None:
                self.guard()
            future = executor.submit(self._write, query, {**self.params, **extra, key: rows}, fallback)
            self.pending.append((future, len(rows), expect, total, advance))
        return total

    def _settle(self, item: tuple) -> None:
        future, n_rows, expect, total, advance = item
        n = future.result()
        self.batches += 1
        if expect and n != n_rows:
            raise ClaimgraphError(
                f"Neo4j wrote {n} of {n_rows} rows of a batch: an entity or claim they need was not "
                "found (changed by another writer during the push, or missing from the landscape); "
                "push again")
        total[0] += n
        if self.progress is not None and advance:
            self.progress.advance(self.task, n_rows)

    def flush(self) -> None:
        while self.pending:
            self._settle(self.pending.pop(0))

    def read(self, query: str, **params: Any) -> list:
        self.flush()
        params = {**self.params, **params}
        return self.serial.submit(lambda: self._session().execute_read(_run_values, query, params)).result()

    def write_one(self, query: str, **params: Any) -> int:
        """One query in one write transaction, after every queued batch."""
        self.flush()
        params = {**self.params, **params}
        return self.serial.submit(lambda: self._session().execute_write(_run_count, query, params)).result()

    def close(self) -> None:
        try:
            for future, *_ in self.pending:
                future.cancel()
            self.serial.shutdown(wait=True)
            self.pool.shutdown(wait=True)
        finally:
            for session in self._sessions:
                session.close()


def _run_count(tx, query: str, params: dict) -> int:
    record = tx.run(query, params).single()
    return record["n"] if record is not None else 0


def _run_values(tx, query: str, params: dict) -> list:
    return tx.run(query, params).values()


def _run_schema(tx, statement: str) -> None:
    tx.run(statement).consume()


def _schema_names(tx) -> set[str]:
    have = {r[0] for r in tx.run("SHOW CONSTRAINTS YIELD name").values()}
    return have | {r[0] for r in tx.run("SHOW INDEXES YIELD name").values()}


#: how many times ensure_schema looks again after a transient error outlived the driver's retries
SCHEMA_ROUNDS = 5


def ensure_schema(conn: Connection, vocabulary: Vocabulary | None = None) -> None:
    """Create claimgraph's constraints (and their indexes) if missing; wait until online.

    Safe to run from several pushes at once: each ``CREATE ... IF NOT EXISTS`` is its own
    managed transaction, so a ``DeadlockDetected`` (two sessions creating schema at the same
    moment take the schema locks in different orders) is retried by the driver like any
    transient error, and whatever another session created meanwhile is skipped."""
    from neo4j.exceptions import ClientError, TransientError

    statements = schema_statements(vocabulary)
    with conn.session(write=True, quiet=True) as session:
        for round_ in range(SCHEMA_ROUNDS):
            have = session.execute_read(_schema_names)
            todo = [st for st in statements if not {st.split()[2], st.split()[2] + "_idx"} & have]
            if not todo:
                break
            try:
                for statement in todo:
                    try:
                        session.execute_write(_run_schema, statement)
                    except ClientError as exc:
                        code = exc.code or ""
                        if "AlreadyExists" in code or "already exists" in (exc.message or ""):
                            continue  # an equivalent index or constraint (of another name) is there
                        fallback = _rel_index_fallback(statement)
                        if fallback is None:
                            raise
                        session.execute_write(_run_schema, fallback)
            except TransientError:
                if round_ == SCHEMA_ROUNDS - 1:
                    raise
                time.sleep(0.2 * (round_ + 1))
        session.run("CALL db.awaitIndexes(300)").consume()


def push(landscape, conn: Connection, *, replace: bool = False, batch_size: int = DEFAULT_BATCH_SIZE,
         progress: bool = False, writers: int = DEFAULT_WRITERS, graph: str | None = None,
         lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> PushResult:
    """Write ``landscape`` into the Neo4j database of ``conn`` as graph ``graph`` (default
    ``"default"``); return a :class:`PushResult`.

    Constraints and indexes come first (unique ``Entity.id``, ``Source.id``,
    ``Value.claim_id``, and a unique ``claim_id`` per relationship type). Then the push takes
    the database's push lock (ownership.py: a second push waits up to ``lock_timeout``
    seconds, then fails with a clear error), and sources, entities (grouped by kind), claims
    (grouped by predicate) and rates go in batches of ``batch_size`` rows, each batch one
    ``UNWIND $rows ...`` in a managed write transaction that the driver retries on transient
    errors. Pushing twice leaves the same graph: nodes are merged on their ids, and a claim
    already in the database is updated in place (or recreated if its predicate, subject or
    object changed).

    Everything written carries the graph's name (``claimgraph_graphs`` on nodes,
    ``claimgraph_graph`` on claims), and push touches only what carries it: another
    application's nodes and relationships are never deleted, and its properties on a node
    whose id collides with one of ours (``SET n += row``) stay. With ``replace=True`` the
    graph's claims, entities, sources, value nodes and rates that are not in ``landscape``
    leave it (a node nothing else holds is deleted), so the graph holds exactly this
    landscape. Claim ids are unique in a database: a claim id another graph holds is an
    error, before anything is written.

    New claims are written with ``CREATE`` (which claims exist was read first), existing ones
    updated through the ``claim_id`` index. ``writers`` claim batches (default 1) run at the
    same time, each in its own session (on a hub, two writers deadlock now and then: the
    driver retries). At the end the graph's record (``:ClaimgraphGraph``) says what the graph
    holds, so that :func:`~claimgraph.neo4j.pull` notices what went missing.

    ``progress=True`` shows a progress bar on stderr for large pushes.

    >>> from claimgraph import load
    >>> from claimgraph.neo4j import connect
    >>> with connect() as conn:
    ...     print(push(load(), conn, replace=True))  # doctest: +ELLIPSIS
    pushed 54 entities, 44 sources, 190 claims (190 new, 0 updated, 0 moved), 1 rates in ...s
    """
    from neo4j.exceptions import DriverError, Neo4jError

    if batch_size < 1:
        raise ClaimgraphError(f"batch size must be at least 1, not {batch_size}")
    if writers < 1:
        raise ClaimgraphError(f"writers must be at least 1, not {writers}")
    graph = check_graph(graph)
    t0 = time.perf_counter()
    vocab = landscape.vocabulary
    kinds, types = _check_names(landscape)
    all_kinds = {k: _label(k, vocab.kinds, "kind") for k in vocab.kinds
                 if _IDENT_RE.match(k) and k not in RESERVED_LABELS}
    result = PushResult(database=conn.database, graph=graph)
    bar = None
    try:
        ensure_schema(conn, vocab)
        with PushLock(conn, graph=graph, timeout=lock_timeout) as lock:
            store_extension(conn, vocab, replace=replace)  # before the claims that may use it
            total = len(landscape.sources) + len(landscape.entities) + len(landscape.claims) + len(landscape.rates)
            if progress and total >= PROGRESS_MIN_ROWS:
                from rich.console import Console
                from rich.progress import (
                    BarColumn,
                    MofNCompleteColumn,
                    Progress,
                    TextColumn,
                    TimeRemainingColumn,
                )

                bar = Progress(TextColumn("neo4j push"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                               console=Console(stderr=True), transient=True)
                bar.start()
                task = bar.add_task("push", total=total)
            else:
                task = None
            w = _Writer(conn, batch_size, bar, task, writers=writers, params={"graph": graph}, guard=lock.check)
            try:
                _push(landscape, w, result, kinds, types, all_kinds, replace, conn)
            finally:
                w.close()
                result.batches = w.batches
            lock.check()
    except (Neo4jError, DriverError, OSError) as exc:
        raise _translate(exc, conn) from None
    finally:
        if bar is not None:
            bar.stop()
    result.seconds = round(time.perf_counter() - t0, 3)
    return result


def _classify(landscape, existing: list, graph: str, where: str):
    """Sort the landscape's claims into new, to update and moved, from what the database
    holds; raise :class:`DatasetError` for claim ids held by another graph or by a
    relationship claimgraph did not mark, before anything is written."""
    ours: dict[str, list[tuple]] = defaultdict(list)  # claim id -> [(type, subject, object)]
    qkeys: dict[str, set[str]] = defaultdict(set)
    unmarked: dict[str, list[tuple]] = defaultdict(list)
    others: dict[str, set[str]] = defaultdict(set)
    for cid, t, s, o, g, q in existing:
        if g == graph:
            ours[cid].append((t, s, o))
            qkeys[cid].update(q or ())
        elif g is None:
            unmarked[cid].append((t, s, o))
            qkeys[cid].update(q or ())
        else:
            others[cid].add(str(g))
    fresh: dict[tuple[str, bool], list] = defaultdict(list)
    update: dict[tuple[str, bool], list] = defaultdict(list)
    delete: dict[str, list[str]] = defaultdict(list)  # old type -> claim ids
    delete_values: list[str] = []
    stale: dict[str, list[str]] = {}
    moved = 0
    problems: list[Problem] = []
    origin = f"neo4j {where} graph {graph!r}"
    for c in landscape.claims.values():
        key = (c.predicate, c.object is None)
        end = (c.predicate, c.subject, c.object)
        if c.id in others:
            problems.append(Problem(Origin(origin, column=f"claim {c.id}"), (
                f"graph {', '.join(map(repr, sorted(others[c.id])))} of this database holds a claim with this id "
                "(claim ids are unique in a database): push it into that graph (--graph), another database "
                "(--database), or rename the claim")))
            continue
        here = ours.pop(c.id, None)
        if here is None:
            legacy = unmarked.get(c.id, [])
            if end in legacy:  # written before claimgraph marked its claims: adopted
                update[key].append(c)
                stale[c.id] = sorted(qkeys.get(c.id, ()))
            elif any(t == c.predicate for t, _s, _o in legacy):
                t, s, o = next(x for x in legacy if x[0] == c.predicate)
                problems.append(Problem(Origin(origin, column=f"claim {c.id}"), (
                    f"a {t} relationship from {s!r} to {o if o is not None else 'a value node'!r} that claimgraph "
                    "did not write holds this claim_id: remove it, or rename the claim")))
            else:
                fresh[key].append(c)
        elif here == [end]:
            update[key].append(c)
            stale[c.id] = sorted(qkeys.get(c.id, ()))
        else:  # predicate, subject or object changed (or duplicated by hand): recreate it
            for t, _s, _o in here:
                delete[t].append(c.id)
            delete_values.append(c.id)
            fresh[key].append(c)
            moved += 1
    if problems:
        raise DatasetError(problems)
    return fresh, update, delete, delete_values, stale, moved, ours


Q_ENTITY_ATTR_KEYS = (f"MATCH (n:Entity) WHERE $graph IN n.{NODE_MARK} UNWIND keys(n) AS k WITH DISTINCT k "
                      "WHERE k STARTS WITH 'attr_' RETURN k")


def _push(landscape, w: _Writer, result: PushResult, kinds: dict, types: dict, all_kinds: dict,
          replace: bool, conn: Connection) -> None:
    vocab = landscape.vocabulary
    graph = w.params["graph"]
    # 1. which claims the database holds, and whose: every conflict is reported before a write
    fresh, update, delete, delete_values, stale, moved, left = _classify(
        landscape, w.read(Q_EXISTING_CLAIMS), graph, conn.where)
    result.moved = moved
    gone_claims = 0
    if replace:
        for cid, here in left.items():
            for t, _s, _o in here:
                delete[t].append(cid)
            delete_values.append(cid)
            gone_claims += 1
    # the graph's record says a push is under way until the end (a pull then knows)
    w.write_one(Q_GRAPH_BEGIN)

    # 2. sources and entities (merged on their ids); an entity whose kind changed loses its old label
    n_sources = w.run(Q_SOURCES, list(landscape.sources.values()), lambda s: filled(source_props(s), SOURCE_KEYS))
    by_kind: dict[str, list] = defaultdict(list)
    for e in landscape.entities.values():
        by_kind[e.kind].append(e)
    # typed attribute properties (attr_<name>) an earlier push left and this one does not write are
    # set to null, as ENTITY_KEYS are: the attributes come back as this dataset states them
    old_attrs = [r[0] for r in w.read(Q_ENTITY_ATTR_KEYS)]
    entity_keys = ENTITY_KEYS + tuple(old_attrs)
    n_entities = []
    for kind, items in by_kind.items():
        others = [lab for k, lab in all_kinds.items() if k != kind]
        remove = (" REMOVE n:" + ":".join(others)) if others else ""
        n_entities.append(w.run(_fmt(Q_ENTITIES, label=kinds[kind], remove=remove), items,
                                lambda e: filled(entity_props(e), entity_keys)))

    def quals_of(c, quals: dict) -> dict:
        old = stale.get(c.id)
        if old:
            quals = {**{k: None for k in old if k not in quals}, **quals}
        return quals

    times = claim_times(landscape)

    def object_row(c) -> list:
        fixed, quals = _claim_fields(c, vocab, times)
        return [c.subject, c.object, *fixed, quals_of(c, quals)]

    def value_row(c) -> list:
        fixed, quals = _claim_fields(c, vocab, times)
        return [c.subject, filled(value_props(c), VALUE_KEYS), *fixed, quals_of(c, quals)]

    value_release = {"own": [*VALUE_KEYS, NODE_MARK], "labels": ["Value"]}
    # 3. deletions first (a moved claim keeps its id), then new claims, then updates
    for t, ids in delete.items():
        if _IDENT_RE.match(t):  # else not a type claimgraph writes
            w.run(_fmt(Q_DELETE_REL, type=f"`{t}`"), sorted(set(ids)), key="ids", expect=False, advance=False)
    if delete_values:
        w.run(Q_RELEASE_VALUES, delete_values, key="ids", expect=False, advance=False, params=value_release)
    # Claim batches may run side by side (``writers``); each predicate's claims are sorted by
    # their ends, so two batches running at once share few nodes (fewer lock waits/deadlocks).
    written: list[tuple[str, bool, list[int]]] = []
    for what, groups in (("created", fresh), ("updated", update)):
        for (pred, is_value), items in groups.items():
            items.sort(key=lambda c: (c.subject, c.object or ""))
            if what == "created":
                q, fallback = (Q_CREATE_VALUE, Q_UPSERT_VALUE) if is_value else (Q_CREATE_REL, Q_UPSERT_REL)
            else:
                q, fallback = (Q_UPDATE_VALUE, None) if is_value else (Q_UPDATE_REL, None)
            n = w.run(_fmt(q, type=types[pred]), items, value_row if is_value else object_row,
                      fallback=_fmt(fallback, type=types[pred]) if fallback else None, parallel=True)
            written.append((what, is_value, n))

    # 4. rates
    rates = [filled(r, RATE_KEYS) for r in rate_rows(landscape.rates)]
    n_rates = w.run(Q_RATES, rates)
    w.flush()
    result.sources = n_sources[0]
    result.entities = sum(n[0] for n in n_entities)
    result.rates = n_rates[0]
    for what, is_value, n in written:
        result.claims += n[0]
        result.values += n[0] if is_value else 0
        setattr(result, what, getattr(result, what) + n[0])
    result.created -= result.moved

    # 5. replace: what left the dataset leaves the graph
    if replace:
        removed = {"claims": gone_claims}
        entity_labels = ["Entity", *vocab.kinds]
        for what, label, key, own, labels, keep in (
            ("entities", "Entity", "id", ENTITY_KEYS, entity_labels, set(landscape.entities)),
            ("sources", "Source", "id", SOURCE_KEYS, ["Source"], set(landscape.sources)),
            ("rates", "Rate", "key", RATE_KEYS, ["Rate"], {r["key"] for r in rates}),
            ("values", "Value", "claim_id", VALUE_KEYS, ["Value"], set()),
        ):
            read = Q_ORPHAN_VALUES if what == "values" else _fmt(Q_OURS, label=label, key=key)
            have = {r[0] for r in w.read(read)}
            release = _fmt(Q_RELEASE, label=label, key=key)
            n = w.run(release, sorted(have - keep, key=str), key="ids", expect=False, advance=False,
                      params={"own": [*own, NODE_MARK], "labels": labels})
            w.flush()
            removed[what] = n[0]
        result.removed = removed

    # 6. the graph's record: what it holds now
    by_type = Counter(c.predicate for c in landscape.claims.values())
    values = sum(1 for c in landscape.claims.values() if c.object is None)
    if not replace:  # claims of the graph that this landscape does not hold stay
        for here in left.values():
            for t, _s, o in here:
                by_type[t] += 1
                values += o is None
    nodes = {what: w.read(_fmt(Q_GRAPH_COUNT_NODES, label=label))[0][0]
             for what, label in (("entities", "Entity"), ("sources", "Source"), ("rates", "Rate"))}
    w.write_one(Q_GRAPH_DONE, counts=graph_counts(claims_by_type=dict(by_type), values=values, **nodes))
