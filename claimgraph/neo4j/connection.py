"""The Neo4j connection: settings, errors in words, ad-hoc Cypher."""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass
from typing import Any

from ..errors import ClaimgraphError

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
DEFAULT_BATCH_SIZE = 5000
#: claim batches written at the same time by push (each in its own session and transaction).
#: One: measured on a busy 2-core machine, two writers cost the server more CPU per claim (lock
#: waits and deadlocks on hub nodes, retried) and gained no wall time.
DEFAULT_WRITERS = 1
#: labels claimgraph itself uses; a vocabulary kind may not be called like one of these
#: (ClaimgraphLock and ClaimgraphGraph: the push lock and the graph records, see ownership.py;
#: Vocabulary: the stored vocabulary extension, see vocabstore.py)
RESERVED_LABELS = frozenset({"Entity", "Source", "Value", "Rate", "Vocabulary", "ClaimgraphLock", "ClaimgraphGraph"})
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

    def session(self, write: bool = True, *, quiet: bool = False, **kwargs: Any):
        """A session in WRITE (or READ) access mode. ``quiet``: no server notifications (for
        claimgraph's own queries, whose "property key does not exist" warnings on a new
        database say nothing to the user)."""
        import neo4j

        if quiet:
            kwargs.setdefault("notifications_min_severity", "OFF")
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
# ad-hoc Cypher
# ---------------------------------------------------------------------------------------------
#: first words of administration commands (users, roles, privileges, databases, servers,
#: other sessions' transactions); CREATE / DROP / ALTER count when one of ADMIN_OBJECTS follows
ADMIN_VERBS = frozenset({"GRANT", "DENY", "REVOKE", "TERMINATE", "START", "STOP", "ENABLE", "RENAME",
                         "DEALLOCATE", "REALLOCATE", "DRYRUN", "ALTER"})
ADMIN_OBJECTS = frozenset({"USER", "USERS", "ROLE", "ROLES", "DATABASE", "DATABASES", "ALIAS", "ALIASES",
                           "SERVER", "SERVERS"})
#: procedures that act on other sessions, users or the server's settings
ADMIN_PROCEDURES = ("dbms.kill", "dbms.security.", "dbms.setconfigvalue", "dbms.cluster.", "dbms.upgrade")
_TOKEN_RE = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>//[^\n\r]*|/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
  | (?P<quoted>`(?:[^`]|``)*(?:`|\Z))
  | (?P<param>\$(?:\w+|`(?:[^`]|``)*`?))
  | (?P<number>\d[\w.]*)
  | (?P<word>[^\W\d]\w*)
  | (?P<punct>.)
""", re.X | re.S)


def _tokens(query: str) -> list[tuple[str, str]]:
    """Cypher as (kind, text) tokens without white space and comments; strings, backticked
    names and parameters are single tokens, so nothing inside them reads as a keyword."""
    return [(m.lastgroup, m.group()) for m in _TOKEN_RE.finditer(query)
            if m.lastgroup not in ("space", "comment")]


def _statement_starts(toks: list[tuple[str, str]]) -> list[int]:
    """Where each statement's first clause is: after ``;``, ``EXPLAIN`` / ``PROFILE``,
    ``CYPHER`` options and a ``USE graph`` clause."""
    starts, i, n = [], 0, len(toks)
    while i < n:
        while i < n and toks[i] == ("punct", ";"):
            i += 1
        progressed = True
        while progressed and i < n:
            progressed = False
            word = toks[i][1].upper() if toks[i][0] == "word" else ""
            if word in ("EXPLAIN", "PROFILE"):
                i, progressed = i + 1, True
            elif word == "CYPHER":
                i, progressed = i + 1, True
                while i < n and (toks[i][0] == "number" or (i + 1 < n and toks[i + 1] == ("punct", "="))):
                    i += 1 if toks[i][0] == "number" else 3
            elif word == "USE":
                i, progressed = i + 1, True
                while i < n and toks[i][0] in ("word", "quoted"):
                    i += 1
                    if i < n and toks[i] == ("punct", "."):
                        i += 1
                        continue
                    if i < n and toks[i] == ("punct", "("):
                        depth = 0
                        while i < n:
                            depth += {"(": 1, ")": -1}.get(toks[i][1], 0) if toks[i][0] == "punct" else 0
                            i += 1
                            if depth == 0:
                                break
                    break
        if i < n:
            starts.append(i)
        while i < n and toks[i] != ("punct", ";"):
            i += 1
    return starts


def admin_command(query: str) -> str | None:
    """The administration command in ``query`` (``TERMINATE TRANSACTIONS``, ``STOP DATABASE``,
    ``CREATE USER``, ``GRANT ...``, ``CALL dbms.killQuery``...) as a short text, or None.

    Neo4j's READ access mode does not stop every one of them (``TERMINATE TRANSACTIONS``
    runs in it and ends other sessions' work), so :func:`run_cypher` refuses them unless
    ``write=True``.

    >>> admin_command("SHOW TRANSACTIONS YIELD transactionId AS t TERMINATE TRANSACTIONS t")
    'TERMINATE TRANSACTIONS'
    >>> admin_command("MATCH (n) WHERE n.name = 'STOP DATABASE neo4j' RETURN n") is None
    True
    """
    toks = _tokens(query)
    words = [t.upper() if k == "word" else None for k, t in toks]
    for i in range(len(toks) - 1):  # anywhere: SHOW TRANSACTIONS ... TERMINATE TRANSACTIONS
        if words[i] == "TERMINATE" and words[i + 1] in ("TRANSACTION", "TRANSACTIONS"):
            return f"TERMINATE {words[i + 1]}"
        if words[i] == "CALL":
            name, j = [], i + 1
            while j < len(toks) and toks[j][0] in ("word", "quoted"):
                name.append(toks[j][1].strip("`").lower())
                if j + 1 < len(toks) and toks[j + 1] == ("punct", "."):
                    j += 2
                else:
                    break
            proc = ".".join(name)
            if proc.startswith(ADMIN_PROCEDURES):
                return f"CALL {proc}"
    for i in _statement_starts(toks):
        first = words[i]
        if first in ADMIN_VERBS:
            return " ".join(w for w in words[i:i + (3 if words[i + 1:i + 2] == ["CURRENT"] else 2)] if w)
        if first in ("CREATE", "DROP"):
            j = i + 1
            while j < len(toks) and words[j] in ("OR", "REPLACE", "COMPOSITE"):
                j += 1
            if j < len(toks) and words[j] in ADMIN_OBJECTS:
                return f"{first} {words[j]}"
    return None


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
    ``DELETE`` is rejected by the server (a :class:`~claimgraph.errors.ClaimgraphError`), and
    administration commands (:func:`admin_command`: ``TERMINATE TRANSACTIONS``, ``STOP
    DATABASE``, ``CREATE USER`` ...), some of which READ mode lets through, are refused
    before anything is sent.

    >>> from claimgraph import load
    >>> from claimgraph.neo4j import push
    >>> with connect() as conn:
    ...     _ = push(load(), conn)
    ...     run_cypher(conn, "MATCH (e:Entity {id: $id}) RETURN e.name AS name", {"id": "nvidia"})
    (['name'], [['Nvidia']])
    """
    from neo4j.exceptions import DriverError, Neo4jError

    if not query or not query.strip():
        raise ClaimgraphError("empty Cypher query: give one, e.g. \"MATCH (e:Entity) RETURN e.name LIMIT 5\"")
    if not write:
        command = admin_command(query)
        if command is not None:
            raise ClaimgraphError(
                f"{command} is an administration command (it acts on other sessions, users, roles or "
                "databases) and the query runs read-only: add --write (run_cypher(..., write=True)) if you "
                "mean to run it")
    try:
        with conn.session(write=write) as session:
            result = session.run(query, params or {})
            records = list(result)
            columns = list(result.keys())
    except (Neo4jError, DriverError, OSError) as exc:
        raise _translate(exc, conn) from None
    rows = [list(r.values()) if raw else [to_plain(v) for v in r.values()] for r in records]
    return columns, rows


