"""A real, local Neo4j 5.26 server for development and tests, without Docker.

Neo4j community is fetched from Maven Central as jars (once, into a cache outside git) and
run embedded in a small Java launcher (``scripts/neo4j-local/.../LocalNeo4j.java``) that
opens Bolt on 127.0.0.1. Needs ``java``/``javac`` 17+ and ``mvn`` on PATH (the first run
only needs Maven), and the ``neo4j`` Python driver.

Python API::

    import neo4j_local
    info = neo4j_local.start(password="test", home=tmp_dir, die_with_parent=True)
    # info.uri == "bolt://127.0.0.1:<port>", info.user == "neo4j", info.password == "test"
    with info.driver() as driver:
        driver.execute_query("RETURN 1")
    neo4j_local.stop(info)

A pytest session fixture::

    @pytest.fixture(scope="session")
    def neo4j_server(tmp_path_factory):
        info = neo4j_local.start(password="test", home=tmp_path_factory.mktemp("neo4j"),
                                 die_with_parent=True)
        yield info
        neo4j_local.stop(info)

CLI (also ``scripts/neo4j-local/neo4j-local``)::

    python scripts/neo4j-local/neo4j_local.py start [--port N] [--password PW] [--home DIR]
    python scripts/neo4j-local/neo4j_local.py status [--home DIR]
    python scripts/neo4j-local/neo4j_local.py stop [--home DIR]
    python scripts/neo4j-local/neo4j_local.py jars

``start`` prints the bolt:// URI alone on stdout (so ``URI=$(... start)`` works).

Environment:
    CLAIMGRAPH_CACHE          cache root (default ~/.cache/claimgraph)
    CLAIMGRAPH_NEO4J_VERSION  Neo4j version to fetch (default 5.26.30)
    CLAIMGRAPH_NEO4J_HEAP     JVM -Xmx (default 1g)
    CLAIMGRAPH_NEO4J_LOCAL_DIR  where pom.xml and src/ are (default: scripts/neo4j-local
                              next to this package in the source tree)

Layout of the cache: ``<cache>/neo4j-<version>/lib/*.jar`` (from Maven),
``<cache>/neo4j-<version>/classes-<hash>/`` (compiled launcher), and the default home
``<cache>/run/default`` holding the database, ``neo4j-local.json`` (state: pid, uri, port,
whether auth is on, ...; never the password), ``neo4j-local.log`` (the JVM's output; Neo4j's
own logs are in ``<home>/logs``) and ``import/``, the only folder ``LOAD CSV FROM 'file:///...'``
reads from.

The password is given to the server on its standard input and written nowhere: ``start``
returns it to its caller (in the :class:`ServerInfo`), ``status`` never has it.

This file uses only the standard library plus the ``neo4j`` driver (imported lazily) and no
other claimgraph module, so it can also be run as a plain script.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_VERSION = "5.26.30"
DEFAULT_HEAP = "1g"
DEFAULT_PAGECACHE = "128m"
DEFAULT_USER = "neo4j"
STATE_FILE = "neo4j-local.json"
LOG_FILE = "neo4j-local.log"
MAIN_CLASS = "org.claimgraph.neo4jlocal.LocalNeo4j"
READY_MARK = "LOCALNEO4J READY"

JVM_OPENS = [
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
]

# Popen objects of servers started by this process, so that stop() can reap them.
_CHILDREN: dict[int, subprocess.Popen] = {}


class Neo4jLocalError(RuntimeError):
    """The local Neo4j server could not be fetched, built, started or stopped."""


@dataclass(frozen=True)
class ServerInfo:
    """A running local server. ``auth`` is None when it runs without a password, or when this
    info came from the state file (:func:`status`), which never holds the password:
    ``auth_enabled`` says whether the server wants one."""

    uri: str
    pid: int
    home: Path
    password: str | None
    port: int
    user: str = DEFAULT_USER
    log: Path | None = None
    version: str = DEFAULT_VERSION
    startup_seconds: float | None = None
    auth_enabled: bool = False

    @property
    def auth(self) -> tuple[str, str] | None:
        return (self.user, self.password) if self.password else None

    @property
    def state_file(self) -> Path:
        return Path(self.home) / STATE_FILE

    def driver(self, **kwargs: Any):
        """A ``neo4j.Driver`` for this server (close it, or use it as a context manager)."""
        from neo4j import GraphDatabase

        return GraphDatabase.driver(self.uri, auth=self.auth, **kwargs)

    def env(self) -> dict[str, str]:
        """NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD for this server."""
        return {
            "NEO4J_URI": self.uri,
            "NEO4J_USER": self.user,
            "NEO4J_PASSWORD": self.password or "",
        }

    def to_json(self) -> dict[str, Any]:
        """The state as JSON-ready data, without the password (what the state file and
        ``status`` hold)."""
        d = dataclasses.asdict(self)
        del d["password"]
        d["home"] = str(self.home)
        d["log"] = str(self.log) if self.log else None
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ServerInfo:
        names = {f.name for f in dataclasses.fields(cls)}
        d = {k: v for k, v in d.items() if k in names}
        # a state file of an older launcher held the password: never taken from a file
        d["auth_enabled"] = bool(d.get("auth_enabled") or d.get("password"))
        d["password"] = None
        d["home"] = Path(d["home"])
        d["log"] = Path(d["log"]) if d.get("log") else None
        return cls(**d)

    def __repr__(self) -> str:  # never the password
        return (f"ServerInfo(uri={self.uri!r}, pid={self.pid}, home={str(self.home)!r}, "
                f"auth_enabled={self.auth_enabled})")


# ---------------------------------------------------------------- paths and versions


def cache_dir() -> Path:
    return Path(os.environ.get("CLAIMGRAPH_CACHE") or Path.home() / ".cache" / "claimgraph")


def neo4j_version() -> str:
    return os.environ.get("CLAIMGRAPH_NEO4J_VERSION") or DEFAULT_VERSION


def default_home() -> Path:
    return cache_dir() / "run" / "default"


def project_dir() -> Path:
    """scripts/neo4j-local: the pom.xml and the Java launcher's source."""
    env = os.environ.get("CLAIMGRAPH_NEO4J_LOCAL_DIR")
    d = Path(env) if env else Path(__file__).resolve().parent
    if not (d / "pom.xml").is_file():
        raise Neo4jLocalError(
            f"{d}/pom.xml not found: run from a claimgraph source checkout or set "
            "CLAIMGRAPH_NEO4J_LOCAL_DIR to the scripts/neo4j-local folder"
        )
    return d


def _java_source() -> Path:
    return project_dir() / "src/main/java" / (MAIN_CLASS.replace(".", "/") + ".java")


def _tool(name: str) -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / name).is_file():
        return str(Path(java_home) / "bin" / name)
    found = shutil.which(name)
    if not found:
        raise Neo4jLocalError(
            f"`{name}` not found on PATH (needs a JDK 17+"
            + (" and Maven" if name == "mvn" else "")
            + ")"
        )
    return found


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Exclusive inter-process lock (for parallel test workers fetching jars at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# ---------------------------------------------------------------- jars and classes


def _run_captured(cmd: list[str]) -> subprocess.CompletedProcess:
    """Run a build tool (mvn, javac) with its output captured for error messages."""
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          stdin=subprocess.DEVNULL)


def ensure_jars(version: str | None = None, *, quiet: bool = True) -> Path:
    """Fetch Neo4j's jars with Maven into ``<cache>/neo4j-<version>/lib`` unless they are
    already there; returns that folder. Only the first call downloads (~125 MB)."""
    version = version or neo4j_version()
    base = cache_dir() / f"neo4j-{version}"
    lib = base / "lib"
    done = base / "lib.complete"
    if done.is_file() and lib.is_dir():
        return lib
    with _locked(base / ".lock"):
        if done.is_file() and lib.is_dir():
            return lib
        pom = project_dir() / "pom.xml"
        tmp = Path(tempfile.mkdtemp(prefix="lib.", dir=base))
        cmd = [
            _tool("mvn"),
            "-B",
            *(["-q"] if quiet else []),
            "-f",
            str(pom),
            "dependency:copy-dependencies",
            f"-Dneo4j.version={version}",
            f"-DoutputDirectory={tmp}",
            "-DincludeScope=runtime",
        ]
        print(
            f"neo4j-local: fetching Neo4j {version} jars with Maven into {lib} ...", file=sys.stderr
        )
        proc = _run_captured(cmd)
        # Maven leaves an empty target/ next to the pom; it's not ours to keep.
        with contextlib.suppress(OSError):
            (pom.parent / "target").rmdir()
        if proc.returncode != 0 or not any(tmp.glob(f"neo4j-{version}.jar")):
            shutil.rmtree(tmp, ignore_errors=True)
            raise Neo4jLocalError(
                f"Maven could not fetch Neo4j {version} (exit {proc.returncode}):\n"
                f"$ {' '.join(cmd)}\n{_tail(proc.stdout, 40)}"
            )
        if lib.exists():
            shutil.rmtree(lib)
        tmp.rename(lib)
        done.write_text(f"{version}\n")
    return lib


def ensure_classes(version: str | None = None) -> Path:
    """Compile the Java launcher (once per source version) into the cache."""
    version = version or neo4j_version()
    lib = ensure_jars(version)
    src = _java_source()
    digest = hashlib.sha256(src.read_bytes()).hexdigest()[:12]
    base = lib.parent
    classes = base / f"classes-{digest}"
    marker = classes / ".complete"
    if marker.is_file():
        return classes
    with _locked(base / ".lock"):
        if marker.is_file():
            return classes
        tmp = Path(tempfile.mkdtemp(prefix="classes.", dir=base))
        cmd = [
            _tool("javac"),
            "--release",
            "17",
            "-nowarn",
            "-d",
            str(tmp),
            "-cp",
            f"{lib}/*",
            str(src),
        ]
        proc = _run_captured(cmd)
        if proc.returncode != 0:
            shutil.rmtree(tmp, ignore_errors=True)
            raise Neo4jLocalError(f"javac failed:\n$ {' '.join(cmd)}\n{proc.stdout}")
        if classes.exists():
            shutil.rmtree(classes)
        tmp.rename(classes)
        marker.write_text(digest + "\n")
    return classes


def java_command(
    home: Path,
    port: int,
    *,
    version: str | None = None,
    heap: str | None = None,
    pagecache: str = DEFAULT_PAGECACHE,
    parent_pid: int | None = None,
) -> list[str]:
    """The exact java command line used to run the server."""
    classes = ensure_classes(version)
    lib = classes.parent / "lib"
    heap = heap or os.environ.get("CLAIMGRAPH_NEO4J_HEAP") or DEFAULT_HEAP
    cmd = [
        _tool("java"),
        f"-Xmx{heap}",
        "-XX:+ExitOnOutOfMemoryError",
        *JVM_OPENS,
        "-cp",
        f"{lib}/*{os.pathsep}{classes}",
        MAIN_CLASS,
        "--home",
        str(home),
        "--port",
        str(port),
        "--pagecache",
        pagecache,
    ]
    if parent_pid:
        cmd += ["--parent-pid", str(parent_pid)]
    return cmd


# ---------------------------------------------------------------- process helpers


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(pid: int) -> bool:
    """True if pid runs (not a zombie) and is our Java launcher."""
    child = _CHILDREN.get(pid)
    if child is not None and child.poll() is not None:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    state = stat.rsplit(")", 1)[1].split()[0]
    return state not in ("Z", "X") and MAIN_CLASS.encode() in cmdline


def _tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.splitlines()[-lines:])


def _log_tail(home: Path) -> str:
    """Neo4j's debug.log tail, then the launcher's own output (stack traces) last."""
    out = []
    for p, lines in ((home / "logs" / "debug.log", 15), (home / LOG_FILE, 40)):
        if p.is_file():
            text = p.read_text(errors="replace")
            out.append(f"--- last lines of {p} ---\n{_tail(text, lines)}")
    return "\n".join(out) or "(no log written)"


def _read_state(home: Path) -> ServerInfo | None:
    try:
        return ServerInfo.from_json(json.loads((home / STATE_FILE).read_text()))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_state(info: ServerInfo) -> None:
    path = info.state_file
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # never the password
    with os.fdopen(fd, "w") as fh:
        json.dump(info.to_json(), fh, indent=2)
    tmp.replace(path)


def _resolve_home(home_or_state: ServerInfo | str | os.PathLike | None) -> Path:
    if home_or_state is None:
        return default_home()
    if isinstance(home_or_state, ServerInfo):
        return Path(home_or_state.home)
    p = Path(home_or_state)
    return p.parent if p.name == STATE_FILE or p.suffix == ".json" else p


# ---------------------------------------------------------------- public API


def status(home: ServerInfo | str | os.PathLike | None = None) -> ServerInfo | None:
    """The running server of ``home`` (default home if None), or None if none runs; its
    ``password`` is None (the state file never holds it). Cleans up a stale state file."""
    h = _resolve_home(home)
    info = _read_state(h)
    if info is None:
        return None
    if not _alive(info.pid):
        with contextlib.suppress(OSError):
            (h / STATE_FILE).unlink()
        return None
    return info


def start(
    port: int | None = None,
    password: str | None = None,
    home: str | os.PathLike | None = None,
    *,
    heap: str | None = None,
    pagecache: str = DEFAULT_PAGECACHE,
    timeout: float = 120.0,
    die_with_parent: bool = False,
    version: str | None = None,
) -> ServerInfo:
    """Start a Neo4j server on 127.0.0.1 and wait until Bolt accepts a session.

    port:      None picks a free port.
    password:  None/"" runs without auth; otherwise user ``neo4j`` gets this password.
    home:      the DBMS folder (databases, logs, state); None = ``<cache>/run/default``.
               Pass an empty temporary folder for a throwaway database.
    die_with_parent: the server exits when this Python process is gone (for tests).

    If a server of this home already runs, it is returned (its own port), with ``password``
    as given here: the state file does not hold it.
    Raises Neo4jLocalError (with the log's tail) when it doesn't come up within timeout.
    """
    h = Path(home) if home is not None else default_home()
    h.mkdir(parents=True, exist_ok=True)
    h = h.resolve()
    running = status(h)
    if running is not None:
        return dataclasses.replace(running, password=(password or None) if running.auth_enabled else None)
    version = version or neo4j_version()
    ensure_classes(version)  # fetch/compile outside the startup timer

    attempts = 1 if port else 3
    last_error: Neo4jLocalError | None = None
    for _ in range(attempts):
        p = port or free_port()
        try:
            return _start_once(
                h,
                p,
                password or None,
                heap=heap,
                pagecache=pagecache,
                timeout=timeout,
                die_with_parent=die_with_parent,
                version=version,
            )
        except _PortTaken as e:
            last_error = e
    assert last_error is not None
    raise last_error


class _PortTaken(Neo4jLocalError):
    pass


def _start_once(
    home: Path,
    port: int,
    password: str | None,
    *,
    heap: str | None,
    pagecache: str,
    timeout: float,
    die_with_parent: bool,
    version: str,
) -> ServerInfo:
    cmd = java_command(
        home,
        port,
        version=version,
        heap=heap,
        pagecache=pagecache,
        parent_pid=os.getpid() if die_with_parent else None,
    )
    # the password goes on stdin: not in ps, not in /proc/PID/environ, not in any file
    cmd.append("--password-stdin")
    env = dict(os.environ)
    env.pop("NEO4J_LOCAL_PASSWORD", None)
    log_path = home / LOG_FILE
    t0 = time.monotonic()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=home,
            start_new_session=True,
        )  # own process group
    _CHILDREN[proc.pid] = proc
    try:
        proc.stdin.write((password or "").encode() + b"\n")
        proc.stdin.close()
    except OSError:
        pass  # it exited at once: reported below with its log
    uri = f"bolt://127.0.0.1:{port}"
    info = ServerInfo(
        uri=uri,
        pid=proc.pid,
        home=home,
        password=password,
        port=port,
        log=log_path,
        version=version,
        auth_enabled=bool(password),
    )
    _write_state(info)

    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError

    deadline = t0 + timeout
    last_exc: Exception | None = None
    while True:
        if proc.poll() is not None:
            with contextlib.suppress(OSError):
                info.state_file.unlink()
            tail = _log_tail(home)
            taken = "Address already in use" in tail
            cls = _PortTaken if taken else Neo4jLocalError
            raise cls(
                (f"port {port} is already in use on 127.0.0.1; " if taken else "")
                + f"Neo4j exited with code {proc.returncode} while starting "
                f"({' '.join(cmd)})\n{tail}"
            )
        if time.monotonic() > deadline:
            stop(info)
            raise Neo4jLocalError(
                f"Neo4j did not accept Bolt connections on {uri} within {timeout:.0f}s "
                f"({'last error: ' + repr(last_exc) if last_exc else 'the launcher never printed ' + READY_MARK})"
                f"\n{_log_tail(home)}"
            )
        ready = READY_MARK.encode() in log_path.read_bytes()
        if ready:
            try:
                with GraphDatabase.driver(uri, auth=info.auth, connection_timeout=5) as drv:
                    drv.verify_connectivity()
                break
            except AuthError:
                stop(info)
                raise
            except Exception as exc:  # noqa: BLE001 - not up yet; retry until deadline
                last_exc = exc
        time.sleep(0.25)
    info = dataclasses.replace(info, startup_seconds=round(time.monotonic() - t0, 2))
    _write_state(info)
    return info


def stop(
    home_or_state: ServerInfo | str | os.PathLike | None = None, timeout: float = 60.0
) -> bool:
    """Stop the server given by a ServerInfo, its home folder, its state file, or the default
    home (None). SIGTERM to its process group (clean Neo4j shutdown), SIGKILL after
    ``timeout`` s; waits until it is gone. Returns False if nothing was running."""
    h = _resolve_home(home_or_state)
    info = _read_state(h)
    pid = (
        home_or_state.pid if isinstance(home_or_state, ServerInfo) else (info.pid if info else None)
    )
    if pid is None:
        return False
    was_running = _alive(pid)
    if was_running:
        _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(pid):
            _signal_group(pid, signal.SIGKILL)
            while _alive(pid):
                time.sleep(0.1)
    child = _CHILDREN.pop(pid, None)
    if child is not None:
        child.wait()
    if info is not None and info.pid == pid:
        with contextlib.suppress(OSError):
            (h / STATE_FILE).unlink()
    return was_running


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)  # started with start_new_session: pgid == pid
    except ProcessLookupError:
        pass
    except PermissionError:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


# ---------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="neo4j-local", description="A local Neo4j server (no Docker) for claimgraph."
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    p_start = sub.add_parser("start", help="start (or find) the server; prints its bolt:// URI")
    p_start.add_argument("--port", type=int, default=None, help="default: a free port")
    p_start.add_argument(
        "--password",
        default=os.environ.get("NEO4J_LOCAL_PASSWORD"),
        help="enable auth for user neo4j (default: $NEO4J_LOCAL_PASSWORD, else no auth)",
    )
    p_start.add_argument("--heap", default=None, help=f"JVM -Xmx (default {DEFAULT_HEAP})")
    p_start.add_argument("--pagecache", default=DEFAULT_PAGECACHE)
    p_start.add_argument("--timeout", type=float, default=120.0)
    for p in (
        p_start,
        sub.add_parser("stop", help="stop the server"),
        sub.add_parser("status", help="print the server's state as JSON (never the password)"),
    ):
        p.add_argument("--home", default=None, help=f"DBMS folder (default {default_home()})")
    sub.add_parser("jars", help="fetch the jars and compile the launcher; print the lib folder")
    args = ap.parse_args(argv)

    try:
        if args.cmd == "jars":
            ensure_classes()
            print(ensure_jars())
            return 0
        if args.cmd == "start":
            before = status(args.home)
            info = start(
                port=args.port,
                password=args.password,
                home=args.home,
                heap=args.heap,
                pagecache=args.pagecache,
                timeout=args.timeout,
            )
            what = "already running" if before else f"started in {info.startup_seconds}s"
            print(
                f"neo4j-local: Neo4j {info.version} {what}, pid {info.pid}, home {info.home}, "
                f"auth {'on (user ' + info.user + ')' if info.auth_enabled else 'off'}",
                file=sys.stderr,
            )
            print(info.uri)
            return 0
        if args.cmd == "stop":
            stopped = stop(args.home)
            print(
                "neo4j-local: stopped" if stopped else "neo4j-local: not running", file=sys.stderr
            )
            return 0
        if args.cmd == "status":
            info = status(args.home)
            if info is None:
                print(json.dumps({"running": False, "home": str(_resolve_home(args.home))}))
                return 3
            print(json.dumps({"running": True, **info.to_json()}, indent=2))
            return 0
    except Neo4jLocalError as e:
        print(f"neo4j-local: error: {e}", file=sys.stderr)
        return 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
