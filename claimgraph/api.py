"""The library functions behind the CLI commands, one per command and of the same name.

The CLI only parses arguments, calls these and prints, so the Python API and the CLI cannot
drift. Each function takes a :class:`~claimgraph.landscape.Landscape` or dataset paths as
``source`` (none: the bundled landscape) and the view options every command has: ``as_of``
(claims that held on that day), ``known_on`` (claims on the record on that day, with the status
they had then), ``include_undated`` (keep claims with no date in ``as_of`` views),
``min_status`` (drop weaker claims) and ``vocabulary`` (a vocabulary extension file, see
:mod:`claimgraph.vocabulary`). docs/time.md explains the two time axes.

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
from typing import TYPE_CHECKING, Any

Paths = Iterable[str | Path] | str | Path | None

if TYPE_CHECKING:  # imported where used: `claimgraph validate` builds no Landscape (nor imports networkx)
    from .landscape import Landscape

    Source = Landscape | Paths

__all__ = ["load", "validate", "stats", "audit", "show", "query", "export", "html", "report", "plot",
           "diff", "generate", "push", "pull", "cypher", "export_formats", "import_file", "match"]


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


def load(paths: Paths = None, *, vocabulary: Any = None, cache: bool | None = None) -> Landscape:
    """Load dataset files or folders (several merge) into a Landscape; none: the bundled one.

    ``vocabulary`` is a :class:`~claimgraph.vocabulary.Vocabulary` or the path of a vocabulary
    extension file (the format of ``claimgraph/vocabulary.yaml``: it adds predicates, kinds,
    stances, qualifiers and units to the built-in vocabulary); a ``vocabulary.yaml`` inside a
    dataset folder extends the vocabulary too.
    ``cache=True`` keeps and reuses the checked dataset in the validated cache
    (:mod:`claimgraph.io.cache`); by default only the commands use it.

    >>> land = load()
    >>> land.entity("马斯克").name
    'Elon Musk'
    """
    from .io import load as _load

    return _load(paths, vocabulary, cache)


def _is_landscape(x: Any) -> bool:
    from .landscape import Landscape

    return isinstance(x, Landscape)


def _landscape(source: Source, as_of: Any = None, min_status: Any = None, vocabulary: Any = None,
               known_on: Any = None, include_undated: bool = False) -> Landscape:
    land = source if _is_landscape(source) else load(source, vocabulary=vocabulary)
    return land.restrict(as_of=as_of, min_status=min_status, known_on=known_on, include_undated=include_undated)


def validate(paths: Paths = None, *, vocabulary: Any = None) -> dict[str, Any]:
    """Load and check datasets; return their stats and notices, or raise
    :class:`~claimgraph.errors.DatasetError` listing every problem.

    The same figures as ``load(paths).stats()``, counted from the checked records: no graph is
    built for them.

    >>> validate()["entities"] > 0
    True
    """
    from .io import load_dataset
    from .landscape import Landscape

    ds = load_dataset(paths, vocabulary, cache=False)  # validate checks the files themselves
    return Landscape.dataset_stats(ds) | {"notices": list(ds.notices)}


def stats(source: Source = None, *, as_of: Any = None, min_status: Any = None,
          vocabulary: Any = None, known_on: Any = None, include_undated: bool = False) -> dict[str, Any]:
    """Counts of entities, claims and sources, and claims by status, stance, predicate.

    >>> stats(min_status="confirmed")["by_status"]["claimed"]
    0
    """
    return _landscape(source, as_of, min_status, vocabulary, known_on, include_undated).stats()


def audit(source: Source = None, *, as_of: Any = None, min_status: Any = None,
          codes: tuple[str, ...] | None = None, vocabulary: Any = None, known_on: Any = None,
          include_undated: bool = False) -> list:
    """The honesty lint: a list of :class:`~claimgraph.honesty.Finding` (see :mod:`claimgraph.honesty`).

    >>> all(f.code == "contested" for f in audit(codes=("contested",)))
    True
    """
    from .honesty import audit as _audit

    return _audit(_landscape(source, as_of, min_status, vocabulary, known_on, include_undated), codes)


def show(entity: str, source: Source = None, *, as_of: Any = None, min_status: Any = None,
         vocabulary: Any = None, known_on: Any = None, include_undated: bool = False) -> dict[str, Any]:
    """An entity (id, name or alias in any script) and its claims, out and in:
    ``{"entity": Entity, "claims": [Claim, ...], "landscape": Landscape}``.

    >>> show("Tesla")["entity"].id
    'tesla'
    """
    land = _landscape(source, as_of, min_status, vocabulary, known_on, include_undated)
    ent = land.entity(entity)
    return {"entity": ent, "claims": land.claims_of(ent.id), "landscape": land}


def query(name: str, source: Source = None, /, *, backend: str = "embedded", conn: Any = None,
          min_status: Any = None, as_of: Any = None, vocabulary: Any = None, known_on: Any = None,
          include_undated: bool = False, graph: str | None = None, **params: Any) -> list:
    """Run the canned query ``name`` (see ``claimgraph query --list``); return its typed rows.

    With ``backend="neo4j"`` the query's Cypher twin runs against ``conn`` (by default
    :func:`claimgraph.neo4j.connect` from ``NEO4J_URI`` ...), on the graph ``graph`` (the name
    given to ``neo4j push --graph``; default ``"default"``). ``name`` and ``source`` are
    positional only: a query parameter called ``source`` (claims' filter) goes to the query.

    >>> rows = query("path", a="tesla", b="nvidia")
    >>> rows[0].claim_ids != []
    True
    """
    from .queries import query as _query

    if backend != "neo4j" and not _is_landscape(source):
        source = load(source, vocabulary=vocabulary)
    return _query(name, source, backend=backend, conn=conn, min_status=min_status, as_of=as_of,
                  vocabulary=vocabulary, known_on=known_on, include_undated=include_undated, graph=graph,
                  **params)


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
           min_status: Any = None, vocabulary: Any = None, known_on: Any = None,
           include_undated: bool = False) -> Path:
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

    land = _landscape(source, as_of, min_status, vocabulary, known_on, include_undated)
    if format in WRITERS:
        return _write(land, format, path)
    exp = neo4j.WRITERS.get(format)
    if exp is None:
        raise ClaimgraphError(f"unknown export format {format!r}: use one of {', '.join(sorted(export_formats()))}")
    return write_export(exp, resolve(neo4j.__name__, exp.write), land, path)


@_writes
def html(path: str | Path, source: Source = None, *, as_of: Any = None, min_status: Any = None,
         focus_on: str | None = None, depth: int = 1, title: str | None = None, layout: str = "auto",
         vocabulary: Any = None, known_on: Any = None, include_undated: bool = False,
         page: str = "auto") -> Path:
    """Write the interactive landscape as one self-contained, offline HTML file; return its path.

    ``focus_on``/``depth``: the page opens on that entity's neighbourhood and expands from there.
    ``page``: ``"auto"`` (a summary page for a big landscape), ``"summary"`` or ``"full"``.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "land.html"
    >>> html(out, focus_on="Tesla") == out
    True
    """
    from .viz import html as _html

    return _html(path, _landscape(source, None, None, vocabulary), as_of=as_of, min_status=min_status,
                 focus_on=focus_on, depth=depth, title=title, layout=layout, known_on=known_on,
                 include_undated=include_undated, page=page)


@_writes
def report(path: str | Path, source: Source = None, *, as_of: Any = None, min_status: Any = None,
           title: str | None = None, focus: str | None = None, vocabulary: Any = None,
           known_on: Any = None, include_undated: bool = False, page: str = "auto") -> Path:
    """Write the shareable report (graph, headline answers, claim ledger, sources); return its path.

    The headline sections are those of the landscape's ``report.yaml`` (the bundled one has
    one), else defaults chosen from its data; ``focus`` (an entity id, name or alias) is the
    entity of every section that is about one. See :mod:`claimgraph.viz.reportspec`. ``page``:
    ``"auto"`` (a summary report for a big landscape), ``"summary"`` or ``"full"``.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.html"
    >>> report(out, focus="Nvidia") == out
    True
    >>> "Nvidia&#x27;s dependencies" in out.read_text(encoding="utf-8")
    True
    """
    from .viz import report as _report

    return _report(path, _landscape(source, None, None, vocabulary), as_of=as_of, min_status=min_status,
                   title=title, focus=focus, known_on=known_on, include_undated=include_undated, page=page)


@_writes
def plot(path: str | Path, source: Source = None, *, as_of: Any = None, min_status: Any = None,
         focus_on: str | None = None, depth: int = 1, title: str | None = None, vocabulary: Any = None,
         known_on: Any = None, include_undated: bool = False) -> Path:
    """Write a static picture (PNG or SVG, by the file's suffix) with matplotlib; return its path.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "tesla.png"
    >>> plot(out, focus_on="Tesla") == out
    True
    """
    from .viz import plot as _plot

    return _plot(path, _landscape(source, None, None, vocabulary), as_of=as_of, min_status=min_status,
                 focus_on=focus_on, depth=depth, title=title, known_on=known_on,
                 include_undated=include_undated)


def diff(old: Source, new: Source, *, vocabulary: Any = None):
    """What changed from ``old`` to ``new`` (Landscapes or dataset paths): a
    :class:`~claimgraph.changes.LandscapeDiff`.

    >>> diff(load(), load()).equal
    True
    """
    from .changes import diff as _diff

    def land(x):
        return x if _is_landscape(x) else load(x, vocabulary=vocabulary)

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


def import_file(path: str | Path, output: str | Path | None = None, *, mapping: str | Path | None = None,
                format: str | None = None, skip_invalid: bool = False, rejects: str | Path | None = None,
                out_format: str = "yaml", language: str | None = None) -> dict[str, Any]:
    """``claimgraph import``: read a CSV or JSON file with a mapping file (or a well-known
    ``format``: ftm, crunchbase-..., wikidata) into a dataset folder at ``output`` (``yaml`` or
    ``csv``) that ``validate`` accepts. ``language``: Wikidata entity names in this language. Every problem at once, nothing written, unless
    ``skip_invalid``: then the bad rows go to a rejects file beside the folder, each with its
    reason. Returns the report (counts, rejects, notes). (``import`` is a Python keyword.)

    >>> import tempfile, pathlib
    >>> csv_file = pathlib.Path(tempfile.mkdtemp()) / "deals.csv"
    >>> _ = csv_file.write_text("buyer,target,price,currency\\nNvidia,Mellanox,6900000000,USD\\n")
    >>> m = csv_file.with_name("deals.yaml")
    >>> _ = m.write_text('''
    ... entities:
    ...   - {key: buyer, name: {column: buyer}, kind: Company}
    ...   - {key: target, name: {column: target}, kind: Company}
    ... claims:
    ...   - {subject: buyer, predicate: ACQUIRES, object: target,
    ...      qualifiers: {amount: {amount: {column: price}, currency: {column: currency}}}}
    ... ''')
    >>> report = import_file(csv_file, csv_file.with_name("out"), mapping=m)
    >>> report["counts"]["claims"], validate([csv_file.with_name("out")])["claims"]
    (1, 1)
    """
    from .importers import import_file as _import

    return _import(path, output, mapping=mapping, format=format, skip_invalid=skip_invalid, rejects=rejects,
                   out_format=out_format, language=language)


def match(a: Source, b: Source, *, output: str | Path | None = None, apply: str | Path | None = None,
          threshold: float = 0.7, pending: str = "stop", out_format: str = "yaml",
          vocabulary: Any = None) -> dict[str, Any]:
    """``claimgraph match``: propose which entities of datasets ``a`` and ``b`` are the same
    (write the review file to ``output``), or, with ``apply`` (an edited review file), merge the
    two with the accepted pairs into the dataset folder ``output``. Returns
    ``{"matches": [...]}`` or ``{"report": MergeReport, "landscape": Landscape}``.

    >>> found = match(load(), load())["matches"]   # a landscape against itself: every entity
    >>> ("nvidia", "nvidia") in {(m.a, m.b) for m in found}
    True
    """
    from .importers import matching

    land_a = a if _is_landscape(a) else load(a, vocabulary=vocabulary)
    land_b = b if _is_landscape(b) else load(b, vocabulary=vocabulary)
    if apply is None:
        found = matching.propose(land_a.entities.values(), land_b.entities.values(), threshold=threshold)
        if output is not None:
            matching.write_review(found, output, _label(a), _label(b))
        return {"matches": found}
    land, report = matching.apply_review(land_a, land_b, matching.read_review(apply), pending=pending)
    if output is not None:
        from .fileio import OUTPUT_NAMES, atomic_folder
        from .importers import VOCABULARY_FILE, write_vocabulary

        with atomic_folder(output, OUTPUT_NAMES | {VOCABULARY_FILE}) as tmp:
            if out_format == "csv":
                from .io.csv_io import write_csv

                write_csv(land, tmp)
            else:
                from .io.yaml_io import write_yaml

                write_yaml(land, tmp)
            write_vocabulary(tmp, land.vocabulary.extension_data())
    return {"report": report, "landscape": land}


def _label(x: Any) -> str:
    if _is_landscape(x):
        return "landscape"
    if isinstance(x, str | Path):
        return str(x)
    return " ".join(str(p) for p in x)


def _connected(conn: Any, connection: dict[str, Any]):
    """``conn`` itself (not closed here), or a new connection from the settings (closed after)."""
    import contextlib

    if conn is not None:
        return contextlib.nullcontext(conn)
    from .neo4j import connect

    return connect(**{k: v for k, v in connection.items() if v is not None})


def push(source: Source = None, *, conn: Any = None, replace: bool = False, batch_size: int | None = None,
         progress: bool = False, vocabulary: Any = None, graph: str | None = None,
         lock_timeout: float | None = None, **connection: Any):
    """Write the landscape into Neo4j as graph ``graph`` (default ``"default"``; idempotent);
    return a :class:`~claimgraph.neo4j.PushResult`. A push running into the same database is
    waited for, ``lock_timeout`` seconds at most.

    ``conn`` is a :func:`claimgraph.neo4j.connect` connection; without it one is opened from
    ``uri``, ``user``, ``password``, ``database`` or the ``NEO4J_*`` variables.

    >>> result = push()                      # the bundled landscape, to the server of NEO4J_URI
    >>> result.claims == len(load().claims), push().created  # a second push creates nothing
    (True, 0)
    """
    from .neo4j import push as _push
    from .neo4j.connection import DEFAULT_BATCH_SIZE
    from .neo4j.ownership import DEFAULT_LOCK_TIMEOUT

    land = _landscape(source, None, None, vocabulary)
    with _connected(conn, connection) as c:
        return _push(land, c, replace=replace, batch_size=batch_size or DEFAULT_BATCH_SIZE, progress=progress,
                     graph=graph, lock_timeout=DEFAULT_LOCK_TIMEOUT if lock_timeout is None else lock_timeout)


@_writes
def pull(output: str | Path | None = None, *, conn: Any = None, format: str | None = None,
         vocabulary: Any = None, graph: str | None = None, lock_timeout: float | None = None,
         **connection: Any) -> Landscape:
    """Read graph ``graph`` (default ``"default"``) back from Neo4j, checked; with ``output``,
    also write it as a dataset file (``json`` or ``yaml``, by ``format`` or the file's suffix).
    A running push is waited for, ``lock_timeout`` seconds at most.

    The landscape's vocabulary is ``vocabulary`` (a Vocabulary or an extension file; default the
    built-in one) plus the extension the database holds. When it has an extension and ``output``
    is given, the extension is written as ``vocabulary.yaml`` beside ``output`` first, so that the
    folder loads back with it (an existing ``vocabulary.yaml`` there that says otherwise is an
    error, and nothing is written).

    >>> import tempfile, pathlib
    >>> _ = push()
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "pulled.yaml"
    >>> pull(out).stats() == load().stats() == load(out).stats()
    True
    """
    from .neo4j import pull as _pull
    from .neo4j.ownership import DEFAULT_LOCK_TIMEOUT

    with _connected(conn, connection) as c:
        land = _pull(c, vocabulary=vocabulary, graph=graph,
                     lock_timeout=DEFAULT_LOCK_TIMEOUT if lock_timeout is None else lock_timeout)
    if output is not None:
        fmt = format or ("yaml" if Path(output).suffix.lower() in (".yaml", ".yml") else "json")
        from .io import write as _write

        _write_extension_beside(land, Path(output))
        _write(land, fmt, output)
    return land


def _write_extension_beside(land: Landscape, output: Path) -> None:
    """The landscape's vocabulary extension as ``vocabulary.yaml`` in ``output``'s folder."""
    from .errors import ClaimgraphError
    from .fileio import write_text_atomic
    from .io import VOCABULARY_FILE
    from .vocabulary import vocabulary_from

    text = land.vocabulary.extension_yaml()
    if not text:
        return
    target = output.parent / VOCABULARY_FILE
    if output.name.lower() == VOCABULARY_FILE:
        raise ClaimgraphError(f"{output}: the database holds a vocabulary extension, which is written as "
                              f"{VOCABULARY_FILE} beside the dataset: give the dataset file another name")
    if target.exists():
        if vocabulary_from(target).extension_data() == land.vocabulary.extension_data():
            return  # the same extension is there already
        raise ClaimgraphError(f"{target} exists and differs from the database's vocabulary extension: "
                              "pull into another folder, or move it away")
    write_text_atomic(target, text)


def cypher(text: str, params: dict[str, Any] | None = None, *, conn: Any = None, write: bool = False,
           **connection: Any) -> tuple[list[str], list[list[Any]]]:
    """Run Cypher (READ access mode unless ``write``); return ``(columns, rows)`` of plain values.

    >>> _ = push()
    >>> cypher("MATCH (e:Entity {id: $id}) RETURN e.name AS name", {"id": "nvidia"})
    (['name'], [['Nvidia']])
    """
    from .neo4j import run_cypher

    with _connected(conn, connection) as c:
        return run_cypher(c, text, params or {}, write=write)


def __getattr__(name: str) -> Any:
    if name == "EXPORT_FORMATS":
        return export_formats()
    raise AttributeError(name)
