"""What in a Neo4j database is claimgraph's, and one push at a time.

**Ownership.** Every node claimgraph writes carries ``claimgraph_graphs``, the list of the
graphs (landscapes, ``--graph NAME``) it belongs to, and every claim relationship
``claimgraph_graph``, the one graph it belongs to. Push, replace and pull touch only what
carries the graph's name: another application's nodes, relationships and properties in the
same database are left alone, and an ``:Entity`` or ``:Source`` node that two graphs (or
another application) share keeps what the others wrote.

**The push lock.** A push holds a lease on one ``(:ClaimgraphLock {name: 'push'})`` node per
database: taken in a transaction that reads and writes the node (Neo4j's own write lock makes
the test-and-set atomic), renewed by a heartbeat, released at the end. A second push waits
for it (``lock_timeout`` seconds, then a clear error naming the holder); a push that died
without releasing it (killed, or its server stopped) holds it at most :data:`LEASE_SECONDS`.
Each acquisition counts up ``generation``, so a pull can tell that no push ran while it read.

**The graph record.** ``(:ClaimgraphGraph {name})`` says what the graph's last push left
(claims by type, value nodes, entities, sources, rates) and whether that push finished, so
that a pull notices what was deleted by hand or never written.

Labels and keys here are fixed names (in :data:`~claimgraph.neo4j.connection.RESERVED_LABELS`);
graph names, holders and counts travel as parameters.
"""

from __future__ import annotations

import json
import os
import random
import re
import socket
import threading
import time
import uuid
from typing import Any

from ..errors import ClaimgraphError
from .connection import Connection

#: the graph a push or pull uses when none is named
DEFAULT_GRAPH = "default"
#: the property of a node that lists its graphs; of a relationship that names its graph
NODE_MARK = "claimgraph_graphs"
REL_MARK = "claimgraph_graph"
LOCK_LABEL = "ClaimgraphLock"
GRAPH_LABEL = "ClaimgraphGraph"
_GRAPH_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")

#: a lock not renewed for this long is free (its push died)
LEASE_SECONDS = 30
#: how often a push renews its lock
HEARTBEAT_SECONDS = 5
#: how long a push waits for another push (and a pull for a running push) by default
DEFAULT_LOCK_TIMEOUT = 300.0



def add_mark(var: str = "n") -> str:
    """A ``SET`` item: ``var.claimgraph_graphs`` with ``$graph`` added once."""
    m = f"{var}.{NODE_MARK}"
    return f"{m} = CASE WHEN $graph IN coalesce({m}, []) THEN {m} ELSE coalesce({m}, []) + $graph END"


#: Let go of nodes (by key) that left graph ``$graph``: its name leaves their mark; a node
#: that no graph holds any more is deleted when nothing else has a hand in it (no
#: relationship left, no property and no label but claimgraph's: ``$own``, ``$labels``), else
#: it stays, unmarked, for whoever else uses it. ``{label}``/``{key}``: fixed names.
Q_RELEASE = (
    "UNWIND $ids AS id MATCH (n:{label} {{key}: id}) WHERE $graph IN n." + NODE_MARK + " "
    "SET n." + NODE_MARK + " = [x IN n." + NODE_MARK + " WHERE x <> $graph] "
    "WITH n, n." + NODE_MARK + " = [] AS last "
    "WITH n, last, last AND NOT EXISTS { (n)--() } AND all(k IN keys(n) WHERE k IN $own) "
    "AND all(l IN labels(n) WHERE l IN $labels) AS drop "
    "FOREACH (_ IN CASE WHEN last AND NOT drop THEN [1] ELSE [] END | REMOVE n." + NODE_MARK + ") "
    "WITH n, drop WHERE drop DELETE n RETURN count(*) AS n"
)


def check_graph(name: str | None) -> str:
    """The graph name, checked: 1-100 letters, digits, ``_``, ``.``, ``-`` (not first)."""
    if name is None:
        return DEFAULT_GRAPH
    if not isinstance(name, str) or not _GRAPH_RE.match(name):
        raise ClaimgraphError(
            f"bad graph name {name!r}: use 1-100 letters, digits, '_', '.' or '-', starting with a letter "
            f"or digit (e.g. --graph ai-chips; default {DEFAULT_GRAPH!r})")
    return name


def schema_statements() -> list[str]:
    """The constraints of the lock and graph-record nodes."""
    return [
        f"CREATE CONSTRAINT claimgraph_lock_name IF NOT EXISTS FOR (n:{LOCK_LABEL}) REQUIRE n.name IS UNIQUE",
        f"CREATE CONSTRAINT claimgraph_graph_name IF NOT EXISTS FOR (n:{GRAPH_LABEL}) REQUIRE n.name IS UNIQUE",
    ]


# ---------------------------------------------------------------------------------------------
# the push lock
# ---------------------------------------------------------------------------------------------
LOCK_NAME = "push"
# Each of these writes the node first (``SET l.checked``): that takes Neo4j's write lock on it
# before its properties are read, so two transactions can never both see it free (a read
# before the lock could see what another transaction is about to overwrite: a lost update).
Q_LOCK_TAKE = f"""
MERGE (l:{LOCK_LABEL} {{name: $name}})
SET l.checked = datetime.realtime()
WITH l, l.checked AS now
WITH l, now, (l.holder IS NULL OR l.expires IS NULL OR l.expires < now) AS free
SET l.holder = CASE WHEN free THEN $me ELSE l.holder END,
    l.expires = CASE WHEN free THEN now + duration({{seconds: $lease}}) ELSE l.expires END,
    l.since = CASE WHEN free THEN now ELSE l.since END,
    l.about = CASE WHEN free THEN $about ELSE l.about END,
    l.generation = CASE WHEN free THEN coalesce(l.generation, 0) + 1 ELSE l.generation END
RETURN free, l.about AS about, toString(l.since) AS since,
       duration.inSeconds(l.since, now).seconds AS held
"""
Q_LOCK_RENEW = (f"MATCH (l:{LOCK_LABEL} {{name: $name}}) SET l.checked = datetime.realtime() "
                "WITH l WHERE l.holder = $me "
                "SET l.expires = l.checked + duration({seconds: $lease}) RETURN count(l) AS n")
Q_LOCK_RELEASE = (f"MATCH (l:{LOCK_LABEL} {{name: $name}}) SET l.checked = datetime.realtime() "
                  "WITH l WHERE l.holder = $me "
                  "REMOVE l.holder, l.expires, l.about SET l.released = l.checked RETURN count(l) AS n")
Q_LOCK_STATE = (f"OPTIONAL MATCH (l:{LOCK_LABEL} {{name: $name}}) "
                "RETURN coalesce(l.holder IS NOT NULL AND l.expires >= datetime.realtime(), false) AS busy, "
                "coalesce(l.generation, 0) AS generation, l.about AS about, toString(l.since) AS since")


def _one(tx, query: str, params: dict) -> dict:
    record = tx.run(query, params).single()
    return dict(record) if record is not None else {}


def _once(session, query: str, params: dict) -> dict:
    """One explicit transaction, tried once: no retries of the driver (which, when the server
    is gone, would spend half a minute per call on what the push already reports)."""
    with session.begin_transaction() as tx:
        out = _one(tx, query, params)
        tx.commit()
    return out


class PushLock:
    """The lease on a database's push lock (see the module's docstring). Use as a context
    manager around a push; :meth:`check` raises if the lease was lost meanwhile."""

    def __init__(self, conn: Connection, *, graph: str, timeout: float = DEFAULT_LOCK_TIMEOUT,
                 what: str = "push"):
        self.conn, self.graph, self.timeout = conn, graph, timeout
        self.me = uuid.uuid4().hex
        self.about = f"{what} of graph {graph!r} by pid {os.getpid()} on {socket.gethostname()}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.lost: str | None = None

    def _params(self, **extra: Any) -> dict:
        return {"name": LOCK_NAME, "me": self.me, "lease": LEASE_SECONDS, **extra}

    def acquire(self) -> None:
        deadline = time.monotonic() + max(0.0, self.timeout)
        pause = 0.1
        with self.conn.session(write=True, quiet=True) as session:
            while True:
                got = session.execute_write(_one, Q_LOCK_TAKE, self._params(about=self.about))
                if got.get("free"):
                    break
                if time.monotonic() >= deadline:
                    raise ClaimgraphError(
                        f"another push is running on {self.conn.where} ({got.get('about') or 'unknown'}, "
                        f"for {got.get('held') or 0}s since {got.get('since')}): waited {self.timeout:.0f}s "
                        "for it; let it finish and push again, or wait longer with --lock-timeout SECONDS")
                time.sleep(min(pause, max(0.0, deadline - time.monotonic())) * random.uniform(0.7, 1.3))
                pause = min(pause * 1.5, 1.0)
        self._thread = threading.Thread(target=self._beat, name="claimgraph-neo4j-lock", daemon=True)
        self._thread.start()

    def _beat(self) -> None:
        from neo4j.exceptions import DriverError, Neo4jError

        with self.conn.session(write=True, quiet=True) as session:
            while not self._stop.wait(HEARTBEAT_SECONDS):
                try:
                    n = _once(session, Q_LOCK_RENEW, self._params()).get("n", 0)
                except (Neo4jError, DriverError, OSError):
                    continue  # the push itself will meet the same trouble and say so
                if n == 0:
                    self.lost = (f"this push lost the push lock of {self.conn.where}: it was not renewed for "
                                 f"{LEASE_SECONDS}s and another push took it; push again")
                    return

    def check(self) -> None:
        """Raise if the lease was lost (another push may be writing now)."""
        if self.lost:
            raise ClaimgraphError(self.lost)

    def release(self) -> None:
        from neo4j.exceptions import DriverError, Neo4jError

        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=HEARTBEAT_SECONDS)  # a daemon: one stuck on a dead server is left
        try:
            with self.conn.session(write=True, quiet=True) as session:
                _once(session, Q_LOCK_RELEASE, self._params())
        except (Neo4jError, DriverError, OSError):
            pass  # the server is gone: the lease runs out by itself

    def __enter__(self) -> PushLock:
        try:
            self.acquire()
        except BaseException:  # Ctrl-C just after the lock was taken: give it back
            self.release()
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release()


def lock_state(session) -> dict:
    """``busy`` (a push holds the lock now), ``generation``, ``about``, ``since``."""
    return session.execute_read(_one, Q_LOCK_STATE, {"name": LOCK_NAME})


# ---------------------------------------------------------------------------------------------
# the graph record
# ---------------------------------------------------------------------------------------------
Q_GRAPH_BEGIN = (f"MERGE (g:{GRAPH_LABEL} {{name: $graph}}) "
                 "SET g.complete = false, g.started = datetime.realtime() RETURN count(g) AS n")
Q_GRAPH_DONE = (f"MERGE (g:{GRAPH_LABEL} {{name: $graph}}) "
                "SET g += $counts, g.complete = true, g.pushed = datetime.realtime() RETURN count(g) AS n")
Q_GRAPH_READ = f"OPTIONAL MATCH (g:{GRAPH_LABEL} {{name: $graph}}) RETURN g {{.*}} AS g"
Q_GRAPH_NAMES = f"MATCH (g:{GRAPH_LABEL}) RETURN g.name AS name ORDER BY name"
Q_GRAPH_COUNT_NODES = (f"MATCH (n:{{label}}) WHERE $graph IN n.{NODE_MARK} RETURN count(n) AS n")


def graph_counts(*, claims_by_type: dict[str, int], values: int, entities: int, sources: int,
                 rates: int) -> dict[str, Any]:
    """The properties of a graph record that say what a push left."""
    return {"claims": sum(claims_by_type.values()),
            "claims_by_type_json": json.dumps(dict(sorted(claims_by_type.items())), separators=(",", ":")),
            "values": values, "entities": entities, "sources": sources, "rates": rates}


def expected_counts(record: dict) -> dict[str, Any] | None:
    """What the graph record says its last push left, or None when it says nothing usable."""
    try:
        by_type = json.loads(record["claims_by_type_json"])
        out = {k: int(record[k]) for k in ("values", "entities", "sources", "rates")}
    except (KeyError, TypeError, ValueError):
        return None
    if not isinstance(by_type, dict):
        return None
    out["claims_by_type"] = by_type
    return out
