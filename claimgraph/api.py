"""The library functions behind the CLI commands, one per command and of the same name.

The CLI only parses arguments, calls these and prints, so the Python API and the CLI cannot
drift. Each function takes a :class:`~claimgraph.landscape.Landscape` or dataset paths as
``source`` (none: the bundled landscape) and the view options every command has: ``as_of``
(claims valid on that day), ``min_status`` (drop weaker claims) and ``vocabulary`` (a
vocabulary extension file, see :mod:`claimgraph.vocabulary`).

The functions that write (``export``, ``html``, ``report``, ``plot``, ``generate``, ``pull``)
refuse to write onto their own inputs, onto a folder claimgraph did not write or onto a device
(see :mod:`claimgraph.fileio`) unless given ``force=True`` (the CLI's ``--force``).

>>> import claimgraph
>>> claimgraph.validate()["claims"] >= 50
True
>>> [c.id for c in claimgraph.show("英偉達")["claims"]][:1]  # doctest: +ELLIPSIS
[...]
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .landscape import Landscape

Paths = Iterable[str | Path] | str | Path | None
Source = Landscape | Paths

__all__ = ["load", "validate", "stats", "audit", "show", "query", "export", "html", "report", "plot",
           "diff", "generate", "push", "pull", "cypher", "export_formats"]


def _writes(fn: Callable) -> Callable:
    """A function that writes a file: it gets ``force=False`` and runs in an
    :func:`~claimgraph.fileio.output_scope`, so that it refuses to write onto its own inputs,
    onto a folder claimgraph did not write or onto a device, unless ``force=True`` (``--force``)."""

    @functools.wraps(fn)
    def run(*args: Any, force: bool = False, **kwargs: Any) -> Any:
        from .fileio import output_scope

        with output_scope(force=force):
            return fn(*args, **kwargs)

    return run


def load(paths: Paths = None, *, vocabulary: Any = None) -> Landscape:
    """Load dataset files or folders (several merge) into a Landscape; none: the bundled one.

    ``vocabulary`` is a :class:`~claimgraph.vocabulary.Vocabulary` or the path of a vocabulary
    extension file; a ``vocabulary.yaml`` inside a dataset folder extends the vocabulary too.

    >>> land = load()
    >>> land.entity("马斯克").name
    'Elon Musk'
    """
    from .io import load as _load

    return _load(paths, vocabulary)


def _landscape(source: Source, as_of: Any = None, min_status: Any = None, vocabulary: Any = None) -> Landscape:
    land = source if isinstance(source, Landscape) else load(source, vocabulary=vocabulary)
    return land.restrict(as_of=as_of, min_status=min_status)


def validate(paths: Paths = None, *, vocabulary: Any = None) -> dict[str, Any]:
    """Load and check datasets; return their stats and notices, or raise
    :class:`~claimgraph.errors.DatasetError` listing every problem.

    >>> validate()["entities"] > 0
    True
    """
    land = load(paths, vocabulary=vocabulary)
    return land.stats() | {"notices": list(land.notices)}


def stats(source: Source = None, *, as_of: Any = None, min_status: Any = None,
          vocabulary: Any = None) -> dict[str, Any]:
    """Counts of entities, claims and sources, and claims by status, stance, predicate.

    >>> stats(min_status="confirmed")["by_status"]["claimed"]
    0
    """
    return _landscape(source, as_of, min_status, vocabulary).stats()


def audit(source: Source = None, *, as_of: Any = None, min_status: Any = None,
          codes: tuple[str, ...] | None = None, vocabulary: Any = None) -> list:
    """The honesty lint: a list of :class:`~claimgraph.honesty.Finding` (see :mod:`claimgraph.honesty`).

    >>> all(f.code == "contested" for f in audit(codes=("contested",)))
    True
    """
    from .honesty import audit as _audit

    return _audit(_landscape(source, as_of, min_status, vocabulary), codes)


def show(entity: str, source: Source = None, *, as_of: Any = None, min_status: Any = None,
         vocabulary: Any = None) -> dict[str, Any]:
    """An entity (id, name or alias in any script) and its claims, out and in:
    ``{"entity": Entity, "claims": [Claim, ...], "landscape": Landscape}``.

    >>> show("Tesla")["entity"].id
    'tesla'
    """
    land = _landscape(source, as_of, min_status, vocabulary)
    ent = land.entity(entity)
    return {"entity": ent, "claims": land.claims_of(ent.id), "landscape": land}


def query(name: str, source: Source = None, *, backend: str = "embedded", conn: Any = None,
          min_status: Any = None, as_of: Any = None, vocabulary: Any = None, **params: Any) -> list:
    """Run the canned query ``name`` (see ``claimgraph query --list``); return its typed rows.

    With ``backend="neo4j"`` the query's Cypher twin runs against ``conn`` (by default
    :func:`claimgraph.neo4j.connect` from ``NEO4J_URI`` ...).

    >>> rows = query("path", a="tesla", b="nvidia")
    >>> rows[0].claim_ids != []
    True
    """
    from .queries import query as _query

    if backend != "neo4j" and not isinstance(source, Landscape):
        source = load(source, vocabulary=vocabulary)
    return _query(name, source, backend=backend, conn=conn, min_status=min_status, as_of=as_of, **params)


def export_formats() -> dict[str, Any]:
    """Every export format: :data:`claimgraph.io.WRITERS` and :data:`claimgraph.neo4j.WRITERS`.

    >>> sorted(export_formats())[:3]
    ['csv', 'cypher', 'gexf']
    """
    from . import neo4j
    from .io import WRITERS

    return {**WRITERS, **neo4j.WRITERS}


@_writes
def export(path: str | Path, format: str = "json", source: Source = None, *, as_of: Any = None,
           min_status: Any = None, vocabulary: Any = None) -> Path:
    """Write the landscape to ``path`` in ``format`` (see :func:`export_formats`), atomically.

    >>> import tempfile, pathlib
    >>> p = export(pathlib.Path(tempfile.mkdtemp()) / "land.yaml", "yaml")
    >>> load(p).stats() == load().stats()
    True
    """
    from . import neo4j
    from .errors import ClaimgraphError
    from .io import WRITERS
    from .io import write as _write
    from .io.writers import resolve, write_export

    land = _landscape(source, as_of, min_status, vocabulary)
    if format in WRITERS:
        return _write(land, format, path)
    exp = neo4j.WRITERS.get(format)
    if exp is None:
        raise ClaimgraphError(f"unknown export format {format!r}: use one of {', '.join(sorted(export_formats()))}")
    return write_export(exp, resolve(neo4j.__name__, exp.write), land, path)


@_writes
def html(path: str | Path, source: Source = None, *, as_of: Any = None, min_status: Any = None,
         focus_on: str | None = None, depth: int = 1, title: str | None = None, layout: str = "auto",
         vocabulary: Any = None) -> Path:
    """Write the interactive landscape as one self-contained, offline HTML file; return its path.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "land.html"
    >>> html(out, focus_on="Tesla") == out
    True
    """
    from .viz import html as _html

    return _html(path, _landscape(source, None, None, vocabulary), as_of=as_of, min_status=min_status,
                 focus_on=focus_on, depth=depth, title=title, layout=layout)


@_writes
def report(path: str | Path, source: Source = None, *, as_of: Any = None, min_status: Any = None,
           title: str | None = None, vocabulary: Any = None) -> Path:
    """Write the shareable report (graph, headline answers, claim ledger, sources); return its path.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.html"
    >>> report(out) == out
    True
    """
    from .viz import report as _report

    return _report(path, _landscape(source, None, None, vocabulary), as_of=as_of, min_status=min_status,
                   title=title)


@_writes
def plot(path: str | Path, source: Source = None, *, as_of: Any = None, min_status: Any = None,
         focus_on: str | None = None, depth: int = 1, title: str | None = None, vocabulary: Any = None) -> Path:
    """Write a static picture (PNG or SVG, by the file's suffix) with matplotlib; return its path.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "tesla.png"
    >>> plot(out, focus_on="Tesla") == out
    True
    """
    from .viz import plot as _plot

    return _plot(path, _landscape(source, None, None, vocabulary), as_of=as_of, min_status=min_status,
                 focus_on=focus_on, depth=depth, title=title)


def diff(old: Source, new: Source, *, vocabulary: Any = None):
    """What changed from ``old`` to ``new`` (Landscapes or dataset paths): a
    :class:`~claimgraph.changes.LandscapeDiff`.

    >>> diff(load(), load()).equal
    True
    """
    from .changes import diff as _diff

    def land(x):
        return x if isinstance(x, Landscape) else load(x, vocabulary=vocabulary)

    return _diff(land(old), land(new))


@_writes
def generate(entities: int = 200, claims: int = 1000, seed: int = 0, *, output: str | Path | None = None,
             format: str = "yaml") -> Landscape:
    """A synthetic landscape (every kind, predicate and status; heavy-tailed degrees; conflicting
    claims); with ``output``, also written there as a dataset folder (``yaml`` or ``csv``).

    >>> generate(30, 40, seed=1).stats()["claims"]
    40
    """
    from .synth import generate as _generate

    land = _generate(entities, claims, seed)
    if output is not None:
        from .io import write_dataset

        write_dataset(land, output, format)
    return land


def _connected(conn: Any, connection: dict[str, Any]):
    """``conn`` itself (not closed here), or a new connection from the settings (closed after)."""
    import contextlib

    if conn is not None:
        return contextlib.nullcontext(conn)
    from .neo4j import connect

    return connect(**{k: v for k, v in connection.items() if v is not None})


def push(source: Source = None, *, conn: Any = None, replace: bool = False, batch_size: int | None = None,
         progress: bool = False, vocabulary: Any = None, **connection: Any):
    """Write the landscape into Neo4j (idempotent); return a :class:`~claimgraph.neo4j.PushResult`.

    ``conn`` is a :func:`claimgraph.neo4j.connect` connection; without it one is opened from
    ``uri``, ``user``, ``password``, ``database`` or the ``NEO4J_*`` variables.
    """
    from .neo4j import push as _push
    from .neo4j.connection import DEFAULT_BATCH_SIZE

    land = _landscape(source, None, None, vocabulary)
    with _connected(conn, connection) as c:
        return _push(land, c, replace=replace, batch_size=batch_size or DEFAULT_BATCH_SIZE, progress=progress)


@_writes
def pull(output: str | Path | None = None, *, conn: Any = None, format: str | None = None,
         vocabulary: Any = None, **connection: Any) -> Landscape:
    """Read the landscape back from Neo4j; with ``output``, also write it as a dataset file
    (``json`` or ``yaml``, by ``format`` or the file's suffix)."""
    from .neo4j import pull as _pull

    with _connected(conn, connection) as c:
        land = _pull(c, vocabulary=vocabulary)
    if output is not None:
        fmt = format or ("yaml" if Path(output).suffix.lower() in (".yaml", ".yml") else "json")
        from .io import write as _write

        _write(land, fmt, output)
    return land


def cypher(text: str, params: dict[str, Any] | None = None, *, conn: Any = None, write: bool = False,
           **connection: Any) -> tuple[list[str], list[list[Any]]]:
    """Run Cypher (READ access mode unless ``write``); return ``(columns, rows)`` of plain values."""
    from .neo4j import run_cypher

    with _connected(conn, connection) as c:
        return run_cypher(c, text, params or {}, write=write)


def __getattr__(name: str) -> Any:
    if name == "EXPORT_FORMATS":
        return export_formats()
    raise AttributeError(name)
