"""Datasets in and out: one module per format, with its reader and writer side by side.

Two explicit tables name every format: :data:`READERS` (file suffix -> reader) with
:data:`FOLDER_READERS`, and :data:`WRITERS` (export format -> writer). Entries name their
module and function as text and are imported only when used, so a command pays for the formats
it touches. Neo4j's own exports (``cypher``, ``neo4j-admin``) are in :mod:`claimgraph.neo4j`.

>>> from claimgraph.io import load_dataset
>>> ds = load_dataset()                   # no path: the bundled ai-chips landscape
>>> len(ds.claims) >= 50
True
>>> sorted(WRITERS)
['csv', 'gexf', 'graphml', 'json', 'nodelink', 'yaml']
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from pathlib import Path

from ..dataset import Dataset, RecordIn, assemble
from ..errors import ClaimgraphError, DatasetError, Origin, Problem
from ..fileio import atomic_folder
from ..vocabulary import Vocabulary, vocabulary_from
from .writers import Exporter, resolve, write_export

__all__ = ["READERS", "FOLDER_READERS", "WRITERS", "load", "load_dataset", "write", "write_dataset",
           "bundled_path", "bundled_names", "resolve_paths", "iter_records", "Exporter", "SIDE_FILES",
           "vocabulary_for", "VOCABULARY_FILE"]

BUNDLED = "ai-chips"

#: file suffix -> ``"module:function"`` of this package; the function takes a path and yields
#: records (and Problems for non-fatal issues, so that every problem is reported at once).
READERS: dict[str, str] = {
    ".yaml": "yaml_io:yaml_records",
    ".yml": "yaml_io:yaml_records",
    ".json": "json_io:json_records",
    ".csv": "csv_io:csv_records",
    ".zip": "csv_io:zip_records",
}

#: folder readers: (``"module:accepts"``, ``"module:reader"``) tried before a folder is scanned
#: for files of the suffixes above.
FOLDER_READERS: list[tuple[str, str]] = [
    ("csv_io:is_csv_folder", "csv_io:csv_folder_records"),
]

#: files a dataset folder may hold beside its dataset files, which are not dataset files: the
#: folder's vocabulary extension and the report spec of a landscape.
SIDE_FILES = frozenset({"vocabulary.yaml", "report.yaml"})
#: the name of a dataset folder's vocabulary extension (see :func:`vocabulary_for`)
VOCABULARY_FILE = "vocabulary.yaml"

#: export format -> :class:`Exporter` (its ``write`` names ``"module:function"`` of this package).
WRITERS: dict[str, Exporter] = {
    "json": Exporter("json", "json_io:write_json", "w", ".json", "canonical claimgraph JSON (loads back)"),
    "yaml": Exporter("yaml", "yaml_io:write_yaml_file", "w", ".yaml", "one claimgraph YAML file (loads back)"),
    "csv": Exporter("csv", "csv_io:write_csv_folder", "dir", "", "folder of spreadsheet CSV files (loads back)"),
    "graphml": Exporter("graphml", "graphml:write_graphml", "w", ".graphml", "GraphML with typed attributes (Gephi, yEd, networkx)"),
    "gexf": Exporter("gexf", "gexf:write_gexf", "w", ".gexf", "GEXF 1.2 with typed attributes (Gephi)"),
    "nodelink": Exporter("nodelink", "nodelink:write_nodelink", "w", ".json", "node-link JSON (d3, networkx node_link_graph)"),
}


def reader(ref: str) -> Callable:
    """The function a table entry names (``"csv_io:csv_records"``)."""
    return resolve(__name__, ref)


def write(landscape, format: str, path: str | Path) -> Path:
    """Write ``landscape`` to ``path`` in one of :data:`WRITERS` (the file appears whole or not
    at all). Returns the path written.

    >>> import tempfile, pathlib
    >>> p = write(load(), "yaml", pathlib.Path(tempfile.mkdtemp()) / "land.yaml")
    >>> load(p).stats() == load().stats()
    True
    """
    exp = WRITERS.get(format)
    if exp is None:
        raise ClaimgraphError(f"unknown export format {format!r}: use one of {', '.join(sorted(WRITERS))}")
    return write_export(exp, resolve(__name__, exp.write), landscape, path)


def write_dataset(landscape, folder: str | Path, format: str = "yaml") -> Path:
    """Write ``landscape`` into ``folder`` as YAML (``sources.yaml``, ``entities.yaml``,
    ``claims.yaml``) or CSV (see :mod:`claimgraph.io.csv_io`), atomically: the folder appears
    whole or not at all. Returns the folder.

    >>> import tempfile, pathlib
    >>> from claimgraph.synth import generate
    >>> out = write_dataset(generate(30, 40, seed=2), pathlib.Path(tempfile.mkdtemp()) / "g")
    >>> load([out]).stats()["claims"]
    40
    """
    if format not in ("yaml", "csv"):
        raise ClaimgraphError(f"unknown format {format!r}: use yaml or csv")
    with atomic_folder(folder) as tmp:
        if format == "yaml":
            from .yaml_io import write_yaml

            write_yaml(landscape, tmp)
        else:
            from .csv_io import write_csv

            write_csv(landscape, tmp)
    return Path(folder)


def bundled_path(name: str = BUNDLED) -> Path:
    """The folder of a landscape that ships with claimgraph."""
    root = resources.files("claimgraph") / "data" / name
    path = Path(str(root))
    if not path.is_dir():
        raise ClaimgraphError(f"no bundled landscape named {name!r} (bundled: {', '.join(bundled_names())})")
    return path


def bundled_names() -> list[str]:
    root = Path(str(resources.files("claimgraph") / "data"))
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def resolve_paths(paths: Iterable[str | Path] | str | Path | None) -> list[Path]:
    """Paths as given (one path or several); no path means the bundled landscape; a bundled
    name stands for its folder."""
    paths = [paths] if isinstance(paths, str | os.PathLike) else list(paths or [])
    if not paths:
        return [bundled_path()]
    out = []
    for p in paths:
        path = Path(p)
        if path.is_symlink() and not path.exists():  # a broken link or a loop, given as a PATH
            from .files import link_problem

            raise DatasetError([link_problem(path)])
        if not path.exists():
            if str(p) in bundled_names():
                path = bundled_path(str(p))
            else:
                raise ClaimgraphError(f"{p}: no such file or folder (give a dataset file or folder, or a bundled name: {', '.join(bundled_names())})")
        out.append(path)
    return out


def _records_for(path: Path) -> Iterator[RecordIn]:
    from .files import check_regular, folder_entries

    if path.is_dir():
        for accepts, folder_reader in FOLDER_READERS:
            if reader(accepts)(path):
                yield from reader(folder_reader)(path)
                return
        files, problems = folder_entries(path, READERS, SIDE_FILES)
        yield from problems
        if not files and not problems:
            raise DatasetError([Problem(Origin(str(path)), f"no dataset files in this folder (looked for {', '.join(sorted(READERS))})")])
        for f in files:
            try:
                yield from reader(READERS[f.suffix.lower()])(f)
            except DatasetError as exc:  # one bad file does not hide the problems of the next
                yield from exc.problems
        return
    ref = READERS.get(path.suffix.lower())
    if ref is None:
        for accepts, folder_reader in FOLDER_READERS:
            if reader(accepts)(path):
                yield from reader(folder_reader)(path)
                return
        raise DatasetError([Problem(Origin(str(path)), f"unknown file type {path.suffix or '(none)'}: use {', '.join(sorted(READERS))}")])
    check_regular(path)
    yield from reader(ref)(path)


def iter_records(paths: Iterable[str | Path] | str | Path | None = None) -> tuple[list[RecordIn], list[Problem]]:
    """All records of all paths, and the file-level problems met on the way."""
    from ..fileio import note_input

    records: list[RecordIn] = []
    problems: list[Problem] = []
    for path in resolve_paths(paths):
        note_input(path)
        try:
            for item in _records_for(path):
                (problems if isinstance(item, Problem) else records).append(item)
        except DatasetError as exc:
            problems.extend(exc.problems)
        except OSError as exc:
            where = exc.filename if isinstance(exc.filename, str) else str(path)
            problems.append(Problem(Origin(where), f"cannot read: {exc.strerror or exc}"))
        except MemoryError:
            records.clear()
            problems.append(Problem(Origin(str(path)), "not enough memory to read it: split it into several files, "
                                                      "or use CSV (read as a stream)"))
    return records, problems


def vocabulary_for(paths: Iterable[str | Path] | str | Path | None = None,
                   vocabulary: Vocabulary | str | Path | None = None) -> Vocabulary:
    """The vocabulary datasets at ``paths`` are read with: ``vocabulary`` (a
    :class:`~claimgraph.vocabulary.Vocabulary`, the path of an extension file, or None for the
    built-in one) extended by the ``vocabulary.yaml`` of each dataset folder among ``paths``.

    >>> vocabulary_for().extension_data()
    {}
    """
    vocab = vocabulary_from(vocabulary)
    for path in resolve_paths(paths):
        if path.is_dir():
            for f in sorted(path.iterdir()):
                if f.name.lower() == VOCABULARY_FILE and f.is_file():
                    vocab = vocab.extend_file(f)
    return vocab


def load_dataset(paths: Iterable[str | Path] | str | Path | None = None,
                 vocabulary: Vocabulary | str | Path | None = None, cache: bool | None = None) -> Dataset:
    """Read and validate one or more dataset files or folders (none: the bundled landscape),
    with the vocabulary of :func:`vocabulary_for` (the built-in one, or ``vocabulary``, extended
    by each folder's ``vocabulary.yaml``).

    Raises :class:`~claimgraph.errors.DatasetError` listing every problem; nothing is loaded
    if anything is wrong. ``cache``: keep and reuse the checked dataset in the validated cache
    (:mod:`claimgraph.io.cache`); None: as the command set it (the library's default: off).
    """
    vocab = vocabulary_for(paths, vocabulary)
    from . import cache as _cache

    if not _cache.enabled(cache):
        return _load_dataset(paths, vocab)
    key = _cache.cache_key(resolve_paths(paths), vocab)
    ds = _cache.read(key) if key else None
    if ds is None:
        ds = _load_dataset(paths, vocab)
        if key:
            _cache.write(key, ds)
    ds.vocabulary = vocab
    return ds


def _load_dataset(paths, vocabulary: Vocabulary | None) -> Dataset:
    from ..gcutil import gc_paused

    # speed: a load allocates millions of objects and no cycles; every full collection they
    # trigger would walk all of them again (a quarter of the load's CPU at 100k claims)
    with gc_paused():
        records, problems = iter_records(paths)
        try:
            ds = assemble(records, vocabulary)
        except DatasetError as exc:
            raise DatasetError(problems + exc.problems) from None
    if problems:
        raise DatasetError(problems)
    return ds


def load(paths: Iterable[str | Path] | str | Path | None = None, vocabulary: Vocabulary | str | Path | None = None,
         cache: bool | None = None):
    """Load datasets into a :class:`~claimgraph.landscape.Landscape`: one path, several, or none
    for the bundled landscape. ``vocabulary`` is a Vocabulary or the path of a vocabulary
    extension file; a ``vocabulary.yaml`` in a dataset folder extends the vocabulary too.

    >>> from claimgraph.io import load
    >>> land = load()
    >>> land.entity("英偉達").id
    'nvidia'
    >>> load("ai-chips").stats()["claims"] == land.stats()["claims"]
    True
    """
    from ..landscape import Landscape

    ds = load_dataset(paths, vocabulary, cache)
    from ..gcutil import gc_paused

    with gc_paused():  # speed: building the graph makes no cycles either (3x less CPU at 100k)
        return Landscape.from_dataset(ds)
