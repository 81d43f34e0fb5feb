"""Neo4j: push a landscape into a Neo4j database, pull it back, run Cypher, export a Cypher script.

The graph model is described in ``docs/neo4j-model.md``: each entity an ``:Entity`` node with a
second label for its kind, each source a ``:Source`` node, each claim one relationship typed by
its predicate (``claim_id``, ``status``, dates, qualifiers, evidence ...), value claims pointing
at a ``(:Value)`` node, exchange rates as ``(:Rate)`` nodes. Labels and relationship types come
only from the vocabulary; every value from the dataset travels as a query parameter (or, in the
Cypher script, as a safely escaped literal).

Connection settings come from the arguments (``connect("bolt://localhost:7687", "neo4j",
"secret")``), else from ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD`` and
``NEO4J_DATABASE``. The password is never printed or logged.

>>> from claimgraph import load
>>> from claimgraph.loaders.neo4j_io import connect, push, pull, run_cypher
>>> with connect() as conn:
...     result = push(load(), conn)
...     columns, rows = run_cypher(conn, "MATCH (e:Entity) RETURN count(e) AS n")
...     land = pull(conn)
>>> rows == [[len(load().entities)]], land.stats() == load().stats()
(True, True)
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from ..dataset import RecordIn, assemble
from ..errors import ClaimgraphError, Origin
from ..model import Effect, PartialDate, Quantity, Status, value_to_data
from ..vocabulary import Vocabulary, default_vocabulary
from .export import Exporter, register

__all__ = [
    "Connection",
    "PushResult",
    "connect",
    "push",
    "pull",
    "run_cypher",
    "write_cypher_script",
    "cypher_statements",
    "schema_statements",
    "cypher_literal",
    "to_plain",
    "DEFAULT_URI",
]

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
DEFAULT_BATCH_SIZE = 5000
#: claim batches written at the same time by push (each in its own session and transaction).
#: One: measured on a busy 2-core machine, two writers cost the server more CPU per claim (lock
#: waits and deadlocks on hub nodes, retried) and gained no wall time.
DEFAULT_WRITERS = 1
#: labels claimgraph itself uses; a vocabulary kind may not be called like one of these
RESERVED_LABELS = frozenset({"Entity", "Source", "Value", "Rate"})
_IDENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: pushes with at least this many records show a progress bar when progress=True
PROGRESS_MIN_ROWS = 2000


# ---------------------------------------------------------------------------------------------
# connection
# ---------------------------------------------------------------------------------------------
def _redact(uri: str) -> str:
    """The URI without any user:password@ part."""
    return re.sub(r"//[^/@]*@", "//", uri)


@dataclass
class Connection:
    """An open connection to one Neo4j database: a driver plus the database name (None: the
    server's default database). Use it as a context manager, or call :meth:`close`."""

    driver: Any
    uri: str
    user: str | None
    database: str | None = None

    def session(self, write: bool = True, **kwargs: Any):
        import neo4j

        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        return self.driver.session(database=self.database, default_access_mode=mode, **kwargs)

    @property
    def where(self) -> str:
        """Where this connection points, for messages: ``bolt://host:7687 database neo4j``."""
        return f"{_redact(self.uri)}" + (f" database {self.database!r}" if self.database else "")

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:  # never the password
        return f"<Connection {self.where} user={self.user!r}>"


def connect(uri: str | None = None, user: str | None = None, password: str | None = None,
            database: str | None = None, *, timeout: float = 10.0) -> Connection:
    """Open and check a connection to Neo4j; return a :class:`Connection`.

    Each setting comes from its argument, else from the environment (``NEO4J_URI``,
    ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``), else the default
    (``bolt://localhost:7687``, user ``neo4j``, no password, the server's default database).
    The connection is tried at once: an unreachable server, a wrong password or an unknown
    database raise :class:`~claimgraph.errors.ClaimgraphError` with one line that says what to
    do. The password never appears in a message.

    >>> conn = connect()                   # or connect("bolt://127.0.0.1:7687", "neo4j", "secret")
    >>> conn.close()
    """
    import neo4j
    from neo4j.exceptions import ConfigurationError

    uri = uri or os.environ.get("NEO4J_URI") or DEFAULT_URI
    user = user or os.environ.get("NEO4J_USERNAME") or os.environ.get("NEO4J_USER") or DEFAULT_USER
    if password is None:
        password = os.environ.get("NEO4J_PASSWORD") or None
    database = database or os.environ.get("NEO4J_DATABASE") or None
    auth = (user, password) if password else None
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in URI_SCHEMES:
        raise ClaimgraphError(
            f"bad Neo4j URI {_redact(uri)!r}: it must start with {', '.join(s + '://' for s in URI_SCHEMES)} "
            "(e.g. bolt://localhost:7687 or neo4j+s://xxxx.databases.neo4j.io)")
    try:
        driver = neo4j.GraphDatabase.driver(
            uri, auth=auth, connection_timeout=timeout, max_connection_pool_size=4,
            connection_acquisition_timeout=max(timeout, 60.0), user_agent="claimgraph",
        )
    except (ValueError, ConfigurationError) as exc:
        raise ClaimgraphError(
            f"bad Neo4j URI {_redact(uri)!r} ({_first_line(str(exc))}): "
            "write it like bolt://localhost:7687 or neo4j+s://xxxx.databases.neo4j.io"
        ) from None
    conn = Connection(driver, uri, user, database)
    try:
        with conn.session(write=False) as session:
            session.run("RETURN 1").consume()
    except Exception as exc:
        driver.close()
        raise _translate(exc, conn, password) from None
    return conn


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or [""])[0].strip()


def _translate(exc: BaseException, conn: Connection, password: str | None = None) -> Exception:
    """A driver exception as one clear ClaimgraphError line (never with the password)."""
    from neo4j.exceptions import (
        AuthError,
        ClientError,
        Neo4jError,
        ServiceUnavailable,
        SessionExpired,
    )

    code = getattr(exc, "code", None) or ""
    where = conn.where
    if isinstance(exc, AuthError) or "Security.Unauthorized" in code or "AuthenticationRateLimit" in code:
        if "RateLimit" in code:
            msg = (f"Neo4j at {where} refused user {conn.user!r}: too many failed logins; "
                   "wait a few seconds and check the password")
        else:
            msg = (f"Neo4j at {where} refused user {conn.user!r}: wrong user or password "
                   "(give --user/--password or set NEO4J_USERNAME/NEO4J_PASSWORD)")
    elif "DatabaseNotFound" in code or "Database.DatabaseNotFound" in str(exc):
        msg = (f"Neo4j at {_redact(conn.uri)} has no database {conn.database!r}: "
               "give an existing one with --database or NEO4J_DATABASE (SHOW DATABASES lists them)")
    elif isinstance(exc, ServiceUnavailable | SessionExpired | OSError):
        reason = re.sub(r"\s*\(resolved to .*", "", _first_line(str(exc))).rstrip(":") or type(exc).__name__
        msg = (f"cannot reach Neo4j at {_redact(conn.uri)} ({reason}): "
               "start it (scripts/neo4j-local/neo4j-local start, or docker compose up -d) "
               "or point --uri / NEO4J_URI at a running server")
    elif "Statement.AccessMode" in code:
        msg = ("the query writes to the database but ran in READ mode: "
               "add --write (run_cypher(..., write=True)) if you mean to change the graph")
    elif isinstance(exc, ClientError | Neo4jError):
        text = getattr(exc, "message", None) or str(exc)
        msg = f"Neo4j error {code or type(exc).__name__}: {_first_line(text)}"
    elif isinstance(exc, ClaimgraphError):
        return exc
    else:
        msg = f"Neo4j driver error: {type(exc).__name__}: {_first_line(str(exc))}"
    if password and password in msg:
        msg = msg.replace(password, "***")
    return ClaimgraphError(msg)


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
_json = _ENCODER.encode


def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


def _pd_text(v: PartialDate | None) -> str | None:
    return str(v) if v is not None else None


def entity_props(e) -> dict:
    """Properties of an entity's node."""
    return _drop_none({
        "id": e.id, "name": e.name, "kind": e.kind,
        "aliases": list(e.aliases) if e.aliases else None,
        "attributes_json": _json(e.attributes) if e.attributes else None,
        "notes": e.notes,
    })


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
#: qualifier properties (``q_<name>...``) travel beside them as a map
CLAIM_KEYS = (
    "claim_id", "status", "status_rank", "stance", "asserted_by", "stated_on", "stated_on_start",
    "valid_from", "valid_from_start", "valid_until", "valid_until_end", "source_ids",
    "supporting_source_ids", "contradicting_source_ids", "evidence_json", "qualifiers_json", "notes",
)


def _claim_fields(c, vocabulary: Vocabulary) -> tuple[list, dict]:
    """The values of :data:`CLAIM_KEYS` (None: absent) and the qualifier properties."""
    evidence, sources, supporting, contradicting = [], {}, {}, {}
    for e in c.evidence:
        evidence.append(_evidence_data(e))
        sources[e.source] = None
        (supporting if e.effect is Effect.SUPPORTS else contradicting)[e.source] = None
    so, vf, vu = c.stated_on, c.valid_from, c.valid_until
    quals: dict = {}
    if c.qualifiers:
        for name, v in c.qualifiers.items():
            quals.update(_qualifier_props(name, v))
    return [
        c.id, c.status.value, _RANK[c.status], vocabulary.predicates[c.predicate].stance,
        list(c.asserted_by),
        None if so is None else str(so), None if so is None else so.start(),
        None if vf is None else str(vf), None if vf is None else vf.start(),
        None if vu is None else str(vu), None if vu is None else vu.end(),
        list(sources), list(supporting), list(contradicting),
        _json(evidence),
        _json({k: _data(v) for k, v in c.qualifiers.items()}) if c.qualifiers else None,
        c.notes,
    ], quals


def claim_props(c, vocabulary: Vocabulary) -> dict:
    """Properties of a claim's relationship (absent values left out)."""
    fixed, quals = _claim_fields(c, vocabulary)
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
    ``Value.claim_id``, ``Rate.key`` and, per predicate, a unique ``claim_id`` on its
    relationships (each backed by an index)."""
    vocab = vocabulary or default_vocabulary()
    out = [
        "CREATE CONSTRAINT claimgraph_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT claimgraph_source_id IF NOT EXISTS FOR (n:Source) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT claimgraph_value_claim_id IF NOT EXISTS FOR (n:Value) REQUIRE n.claim_id IS UNIQUE",
        "CREATE CONSTRAINT claimgraph_rate_key IF NOT EXISTS FOR (n:Rate) REQUIRE n.key IS UNIQUE",
    ]
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


# ---------------------------------------------------------------------------------------------
# push
# ---------------------------------------------------------------------------------------------
@dataclass
class PushResult:
    """What :func:`push` did. ``created``/``updated``/``moved`` count claims (a moved claim
    changed predicate, subject or object and was recreated); ``removed`` counts what
    ``replace=True`` deleted, by kind of record."""

    database: str | None
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
        return {k: getattr(self, k) for k in ("database", "entities", "sources", "claims", "values", "rates",
                                              "created", "updated", "moved", "removed", "batches", "seconds")}

    def __str__(self) -> str:
        text = (f"pushed {self.entities} entities, {self.sources} sources, {self.claims} claims "
                f"({self.created} new, {self.updated} updated, {self.moved} moved), {self.rates} rates "
                f"in {self.seconds:.1f}s")
        gone = ", ".join(f"{n} {k}" for k, n in self.removed.items() if n)
        return text + (f"; removed {gone}" if gone else "")


# The queries push runs. Every MATCH/MERGE names a label (or a relationship type) and the
# indexed key, so each row is an index seek. {label}/{type} are backticked vocabulary names.
Q_SOURCES = "UNWIND $rows AS row MERGE (n:Source {id: row.id}) SET n = row RETURN count(*) AS n"
Q_ENTITIES = ("UNWIND $rows AS row MERGE (n:Entity {id: row.id}) SET n = row, n:{label}{remove} "
              "RETURN count(*) AS n")
Q_RATES = "UNWIND $rows AS row MERGE (n:Rate {key: row.key}) SET n = row RETURN count(*) AS n"
# A claim row is a list: [subject id, object id (or the value node's properties), the values of
# CLAIM_KEYS..., the qualifier properties]: lists pack and unpack faster than maps of names.
_N = len(CLAIM_KEYS)
_PROPS = "{" + ", ".join(f"{k}: row[{i + 2}]" for i, k in enumerate(CLAIM_KEYS)) + "}"
Q_CREATE_REL = ("UNWIND $rows AS row MATCH (s:Entity {id: row[0]}) MATCH (o:Entity {id: row[1]}) "
                f"CREATE (s)-[r:{{type}} {_PROPS}]->(o) SET r += row[{_N + 2}] RETURN count(*) AS n")
Q_CREATE_VALUE = ("UNWIND $rows AS row MATCH (s:Entity {id: row[0]}) MERGE (v:Value {claim_id: row[2]}) "
                  f"SET v = row[1] CREATE (s)-[r:{{type}} {_PROPS}]->(v) SET r += row[{_N + 2}] "
                  "RETURN count(*) AS n")
# When a CREATE batch meets a claim that another writer created since our read (two pushes of
# overlapping landscapes at once), the unique constraint rejects the whole batch; it is then
# written again with MERGE, which locks both ends and updates what is there.
Q_UPSERT_REL = ("UNWIND $rows AS row MATCH (s:Entity {id: row[0]}) MATCH (o:Entity {id: row[1]}) "
                f"MERGE (s)-[r:{{type}} {{claim_id: row[2]}}]->(o) SET r = {_PROPS} SET r += row[{_N + 2}] "
                "RETURN count(*) AS n")
Q_UPSERT_VALUE = ("UNWIND $rows AS row MATCH (s:Entity {id: row[0]}) MERGE (v:Value {claim_id: row[2]}) "
                  f"SET v = row[1] MERGE (s)-[r:{{type}} {{claim_id: row[2]}}]->(v) SET r = {_PROPS} "
                  f"SET r += row[{_N + 2}] RETURN count(*) AS n")
Q_UPDATE_REL = ("UNWIND $rows AS row MATCH (:Entity)-[r:{type} {claim_id: row[2]}]->(:Entity) "
                f"SET r = {_PROPS} SET r += row[{_N + 2}] RETURN count(*) AS n")
Q_UPDATE_VALUE = ("UNWIND $rows AS row MATCH (:Entity)-[r:{type} {claim_id: row[2]}]->(v:Value) "
                  f"SET r = {_PROPS} SET r += row[{_N + 2}], v = row[1] RETURN count(*) AS n")
Q_DELETE_REL = "UNWIND $ids AS id MATCH ()-[r:{type} {claim_id: id}]->() DELETE r RETURN count(*) AS n"
Q_DELETE_VALUES = "UNWIND $ids AS id MATCH (v:Value {claim_id: id}) DETACH DELETE v RETURN count(*) AS n"
Q_DELETE_ENTITIES = "UNWIND $ids AS id MATCH (n:Entity {id: id}) DETACH DELETE n RETURN count(*) AS n"
Q_DELETE_SOURCES = "UNWIND $ids AS id MATCH (n:Source {id: id}) DETACH DELETE n RETURN count(*) AS n"
Q_DELETE_RATES = "UNWIND $ids AS id MATCH (n:Rate {key: id}) DETACH DELETE n RETURN count(*) AS n"
Q_EXISTING_CLAIMS = ("MATCH (s:Entity)-[r]->(o) WHERE r.claim_id IS NOT NULL "
                     "RETURN r.claim_id AS id, type(r) AS t, s.id AS s, "
                     "CASE WHEN o:Value THEN null ELSE o.id END AS o")


def _fmt(query: str, **names: str) -> str:
    for k, v in names.items():
        query = query.replace("{" + k + "}", v)
    return query


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
                 writers: int = 1):
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

    def _session(self):
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self.conn.session(write=True)
            with self._lock:
                self._sessions.append(session)
        return session

    def _write(self, query: str, params: dict, fallback: str | None) -> int:
        return _write_batch(self._session(), query, params, fallback)

    def run(self, query: str, items: list, build: Callable[[Any], Any] | None = None, key: str = "rows",
            expect: bool = True, advance: bool = True, fallback: str | None = None,
            parallel: bool = False) -> list[int]:
        """Queue ``query`` over ``items`` in batches (rows made by ``build``); returns a one-item
        list that holds the number of rows written once :meth:`flush` has run. Batches of a
        ``parallel`` call may run beside each other (and beside the parallel batches queued
        just before); the others run one after the other."""
        total = [0]
        if self.pending and self.pending_parallel != parallel:
            self.flush()
        self.pending_parallel = parallel
        executor, depth = (self.pool, self.writers + 1) if parallel else (self.serial, 2)
        for chunk in _batches(items, self.batch_size):
            rows = [build(x) for x in chunk] if build is not None else chunk
            while len(self.pending) >= depth:
                self._settle(self.pending.pop(0))
            future = executor.submit(self._write, query, {key: rows}, fallback)
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
        return self.serial.submit(lambda: self._session().execute_read(_run_values, query, params)).result()

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
    with conn.session(write=True) as session:
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
         progress: bool = False, writers: int = DEFAULT_WRITERS) -> PushResult:
    """Write ``landscape`` into the Neo4j database of ``conn``; return a :class:`PushResult`.

    Constraints and indexes come first (unique ``Entity.id``, ``Source.id``,
    ``Value.claim_id``, and a unique ``claim_id`` per relationship type). Then sources,
    entities (grouped by kind), claims (grouped by predicate) and rates go in batches of
    ``batch_size`` rows, each batch one ``UNWIND $rows ... MERGE`` in a managed write
    transaction that the driver retries on transient errors. Pushing twice leaves the same
    graph: nodes are merged on their ids, and a claim already in the database is updated in
    place (or recreated if its predicate, subject or object changed). With ``replace=True``
    claims, entities, sources, value nodes and rates that are not in ``landscape`` are deleted,
    so the database holds exactly this landscape (nodes and relationships that claimgraph did
    not make are left alone, except relationships of deleted entities).

    New claims are written with ``CREATE`` (which claims exist was read first), existing ones
    updated through the ``claim_id`` index. ``writers`` claim batches (default 1) run at the
    same time, each in its own session (on a hub, two writers deadlock now and then: the
    driver retries, with a warning on stderr). Two
    pushes of overlapping landscapes may run at once: schema creation and deadlocks are
    retried, and a batch that meets a claim the other push has just created is written again
    with ``MERGE``, so both succeed and nothing is duplicated.

    ``progress=True`` shows a progress bar on stderr for large pushes.

    >>> from claimgraph import load
    >>> with connect() as conn:
    ...     print(push(load(), conn, replace=True))  # doctest: +ELLIPSIS
    pushed 54 entities, 44 sources, 188 claims (188 new, 0 updated, 0 moved), 1 rates in ...s
    """
    from neo4j.exceptions import DriverError, Neo4jError

    if batch_size < 1:
        raise ClaimgraphError(f"batch size must be at least 1, not {batch_size}")
    if writers < 1:
        raise ClaimgraphError(f"writers must be at least 1, not {writers}")
    t0 = time.perf_counter()
    vocab = landscape.vocabulary
    kinds, types = _check_names(landscape)
    all_kinds = {k: _label(k, vocab.kinds, "kind") for k in vocab.kinds
                 if _IDENT_RE.match(k) and k not in RESERVED_LABELS}
    result = PushResult(database=conn.database)
    bar = None
    try:
        ensure_schema(conn, vocab)
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
        w = _Writer(conn, batch_size, bar, task, writers=writers)
        try:
            _push(landscape, w, result, kinds, types, all_kinds, replace)
        finally:
            w.close()
            result.batches = w.batches
    except (Neo4jError, DriverError, OSError) as exc:
        raise _translate(exc, conn) from None
    finally:
        if bar is not None:
            bar.stop()
    result.seconds = round(time.perf_counter() - t0, 3)
    return result


def _push(landscape, w: _Writer, result: PushResult, kinds: dict, types: dict, all_kinds: dict,
          replace: bool) -> None:
    vocab = landscape.vocabulary
    # 1. sources and entities (merged on their ids); an entity whose kind changed loses its old label
    n_sources = w.run(Q_SOURCES, list(landscape.sources.values()), source_props)
    by_kind: dict[str, list] = defaultdict(list)
    for e in landscape.entities.values():
        by_kind[e.kind].append(e)
    n_entities = []
    for kind, items in by_kind.items():
        others = [lab for k, lab in all_kinds.items() if k != kind]
        remove = (" REMOVE n:" + ":".join(others)) if others else ""
        n_entities.append(w.run(_fmt(Q_ENTITIES, label=kinds[kind], remove=remove), items, entity_props))

    # 2. which claims are in the database already, and where
    existing: dict[str, list[tuple]] = defaultdict(list)
    for cid, t, s, o in w.read(Q_EXISTING_CLAIMS):
        existing[cid].append((t, s, o))
    fresh: dict[tuple[str, bool], list] = defaultdict(list)
    update: dict[tuple[str, bool], list] = defaultdict(list)
    delete: dict[str, list[str]] = defaultdict(list)  # old type -> claim ids
    delete_values: list[str] = []
    for c in landscape.claims.values():
        key = (c.predicate, c.object is None)
        here = existing.pop(c.id, None)
        if here is None:
            fresh[key].append(c)
        elif here == [(c.predicate, c.subject, c.object)]:
            update[key].append(c)
        else:  # predicate, subject or object changed (or duplicated by hand): recreate it
            for t, _s, _o in here:
                delete[t].append(c.id)
            delete_values.append(c.id)
            fresh[key].append(c)
            result.moved += 1
    gone_claims = 0
    if replace:
        for cid, here in existing.items():
            for t, _s, _o in here:
                delete[t].append(cid)
            delete_values.append(cid)
            gone_claims += 1

    def object_row(c) -> list:
        fixed, quals = _claim_fields(c, vocab)
        return [c.subject, c.object, *fixed, quals]

    def value_row(c) -> list:
        fixed, quals = _claim_fields(c, vocab)
        return [c.subject, value_props(c), *fixed, quals]

    # 3. deletions first (a moved claim keeps its id), then new claims, then updates
    for t, ids in delete.items():
        if _IDENT_RE.match(t):  # else not a type claimgraph writes
            w.run(_fmt(Q_DELETE_REL, type=f"`{t}`"), sorted(set(ids)), key="ids", expect=False, advance=False)
    if delete_values:
        w.run(Q_DELETE_VALUES, delete_values, key="ids", expect=False, advance=False)
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
    rates = rate_rows(landscape.rates)
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

    # 5. replace: what left the dataset
    if replace:
        removed = {"claims": gone_claims}
        for what, query, read, keep in (
            ("entities", Q_DELETE_ENTITIES, "MATCH (n:Entity) RETURN n.id", set(landscape.entities)),
            ("sources", Q_DELETE_SOURCES, "MATCH (n:Source) RETURN n.id", set(landscape.sources)),
            ("rates", Q_DELETE_RATES, "MATCH (n:Rate) RETURN n.key", {r["key"] for r in rates}),
            ("values", Q_DELETE_VALUES, "MATCH (v:Value) WHERE NOT EXISTS { (v)--() } RETURN v.claim_id", set()),
        ):
            have = {r[0] for r in w.read(read)}
            n = w.run(query, sorted(have - keep), key="ids", expect=False, advance=False)
            w.flush()
            removed[what] = n[0]
        result.removed = removed


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


def pull(conn: Connection, *, vocabulary: Vocabulary | None = None):
    """Read the landscape back from the database of ``conn``; return a
    :class:`~claimgraph.graph.Landscape`.

    Everything :func:`push` writes comes back: entities, sources, claims with every field
    (qualifiers, evidence, statuses, dates, notes), value claims and rates. The records are
    validated like any dataset, so a graph edited by hand into something invalid raises
    :class:`~claimgraph.errors.DatasetError` naming each bad record.

    >>> from claimgraph import load
    >>> with connect() as conn:
    ...     _ = push(load(), conn)
    ...     land = pull(conn)
    >>> land.entity("英偉達").name
    'Nvidia'
    """
    from neo4j.exceptions import DriverError, Neo4jError

    from ..graph import Landscape

    vocab = vocabulary or default_vocabulary()
    try:
        with conn.session(write=False) as session:
            entities = session.execute_read(_run_values, Q_PULL_ENTITIES, {})
            sources = session.execute_read(_run_values, Q_PULL_SOURCES, {})
            claims = session.execute_read(_run_values, Q_PULL_CLAIMS, {})
            rates = session.execute_read(_run_values, Q_PULL_RATES, {})
    except (Neo4jError, DriverError, OSError) as exc:
        raise _translate(exc, conn) from None

    _where = _where_factory(f"neo4j {conn.where}")
    records: list[RecordIn] = []
    for (p,) in sorted(sources, key=lambda r: str(r[0].get("id"))):
        data = {k: p.get(k) for k in ("id", "title", "publisher", "url", "published", "language", "tier",
                                      "retrieved", "notes")}
        records.append(RecordIn("sources", _drop_none(data), _where(f"source {p.get('id')}")))
    for (p,) in sorted(entities, key=lambda r: str(r[0].get("id"))):
        data = {"id": p.get("id"), "name": p.get("name"), "kind": p.get("kind"),
                "aliases": list(p.get("aliases") or []),
                "attributes": _loads(p.get("attributes_json"), f"entity {p.get('id')}", {}),
                "notes": p.get("notes")}
        records.append(RecordIn("entities", _drop_none(data), _where(f"entity {p.get('id')}")))
    for s, t, p, v, o in sorted(claims, key=lambda r: str(r[2].get("claim_id"))):
        cid = p.get("claim_id")
        data = {"id": cid, "subject": s, "predicate": t,
                "qualifiers": _loads(p.get("qualifiers_json"), f"claim {cid}", {}),
                "asserted_by": list(p.get("asserted_by") or []),
                "stated_on": p.get("stated_on"), "valid_from": p.get("valid_from"),
                "valid_until": p.get("valid_until"), "status": p.get("status"),
                "evidence": _loads(p.get("evidence_json"), f"claim {cid}", None),
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


# ---------------------------------------------------------------------------------------------
# ad-hoc Cypher
# ---------------------------------------------------------------------------------------------
def to_plain(value: Any) -> Any:
    """A driver value as plain JSON-ready data: a node as its properties plus ``_labels`` (and
    ``_id``), a relationship as its properties plus ``_type``, a path as its list of nodes and
    relationships, temporal values as ISO text."""
    from neo4j.graph import Node, Path, Relationship

    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Node):
        return {"_labels": sorted(value.labels), **{k: to_plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"_type": value.type, **{k: to_plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        out: list = [to_plain(value.start_node)]
        for rel in value.relationships:
            out += [to_plain(rel), to_plain(rel.end_node)]
        return out
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, _dt.date | _dt.datetime | _dt.time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return value.hex()
    return str(value)


def run_cypher(conn: Connection, query: str, params: dict[str, Any] | None = None, write: bool = False,
               *, raw: bool = False) -> tuple[list[str], list[list[Any]]]:
    """Run one Cypher query; return ``(columns, rows)``, each row a list of plain values
    (see :func:`to_plain`; ``raw=True`` keeps the driver's Node/Relationship objects).

    The query runs in READ access mode unless ``write=True``, so a stray ``CREATE`` or
    ``DELETE`` is rejected by the server (a :class:`~claimgraph.errors.ClaimgraphError`).

    >>> from claimgraph import load
    >>> with connect() as conn:
    ...     _ = push(load(), conn)
    ...     run_cypher(conn, "MATCH (e:Entity {id: $id}) RETURN e.name AS name", {"id": "nvidia"})
    (['name'], [['Nvidia']])
    """
    from neo4j.exceptions import DriverError, Neo4jError

    if not query or not query.strip():
        raise ClaimgraphError("empty Cypher query: give one, e.g. \"MATCH (e:Entity) RETURN e.name LIMIT 5\"")
    try:
        with conn.session(write=write) as session:
            result = session.run(query, params or {})
            records = list(result)
            columns = list(result.keys())
    except (Neo4jError, DriverError, OSError) as exc:
        raise _translate(exc, conn) from None
    rows = [list(r.values()) if raw else [to_plain(v) for v in r.values()] for r in records]
    return columns, rows


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
    constraints first, then sources, entities, claims and rates, one ``MERGE`` statement each,
    every value an escaped literal."""
    vocab = landscape.vocabulary
    kinds, types = _check_names(landscape)
    for i, statement in enumerate(schema_statements(vocab)):
        if i == 0:
            statement = (
                "// claimgraph: this landscape as a Neo4j graph (see docs/neo4j-model.md).\n"
                f"// {len(landscape.entities)} entities, {len(landscape.sources)} sources, "
                f"{len(landscape.claims)} claims, {len(landscape.rates)} rates.\n"
                "// Run with: cypher-shell -u neo4j -p PASSWORD -f FILE\n" + statement)
        yield statement
    for s in sorted(landscape.sources.values(), key=lambda s: s.id):
        props = source_props(s)
        yield f"MERGE (n:Source {{id: {cypher_literal(s.id)}}}) SET n = {cypher_literal(props)}"
    for e in sorted(landscape.entities.values(), key=lambda e: e.id):
        props = entity_props(e)
        yield f"MERGE (n:Entity {{id: {cypher_literal(e.id)}}}) SET n = {cypher_literal(props)}, n:{kinds[e.kind]}"
    for c in sorted(landscape.claims.values(), key=lambda c: c.id):
        p = cypher_literal(claim_props(c, vocab))
        cid = cypher_literal(c.id)
        t = types[c.predicate]
        if c.object is None:
            yield (f"MATCH (s:Entity {{id: {cypher_literal(c.subject)}}}) "
                   f"MERGE (v:Value {{claim_id: {cid}}}) SET v = {cypher_literal(value_props(c))} "
                   f"MERGE (s)-[r:{t} {{claim_id: {cid}}}]->(v) SET r = {p}")
        else:
            yield (f"MATCH (s:Entity {{id: {cypher_literal(c.subject)}}}) "
                   f"MATCH (o:Entity {{id: {cypher_literal(c.object)}}}) "
                   f"MERGE (s)-[r:{t} {{claim_id: {cid}}}]->(o) SET r = {p}")
    for row in rate_rows(landscape.rates):
        yield f"MERGE (n:Rate {{key: {cypher_literal(row['key'])}}}) SET n = {cypher_literal(row)}"


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


register(Exporter("cypher", write_cypher_script, "w", ".cypher",
                  "Cypher script that recreates the graph in Neo4j (cypher-shell -f FILE)"))
