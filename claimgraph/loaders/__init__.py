"""Loading datasets: YAML (and, by file type, the other readers registered in :data:`READERS`).

>>> from claimgraph.loaders import load_dataset
>>> ds = load_dataset()                   # no path: the bundled ai-chips landscape
>>> len(ds.claims) >= 50
True
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from pathlib import Path

from ..dataset import Dataset, RecordIn, assemble
from ..errors import ClaimgraphError, DatasetError, Origin, Problem
from ..vocabulary import Vocabulary
from .json_io import json_records
from .yaml_loader import yaml_records

BUNDLED = "ai-chips"

#: file suffix -> function(path) yielding records (and Problems for non-fatal issues, so that
#: every problem is reported at once). Other modules add their readers here.
READERS: dict[str, Callable[[Path], Iterator[RecordIn]]] = {
    ".yaml": yaml_records,
    ".yml": yaml_records,
    ".json": json_records,
}

#: folder readers: (predicate on a folder, reader) tried before a folder is scanned for files.
FOLDER_READERS: list[tuple[Callable[[Path], bool], Callable[[Path], Iterator[RecordIn]]]] = []


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
        if not path.exists():
            if str(p) in bundled_names():
                path = bundled_path(str(p))
            else:
                raise ClaimgraphError(f"{p}: no such file or folder (give a dataset file or folder, or a bundled name: {', '.join(bundled_names())})")
        out.append(path)
    return out


def _records_for(path: Path) -> Iterator[RecordIn]:
    if path.is_dir():
        for accepts, reader in FOLDER_READERS:
            if accepts(path):
                yield from reader(path)
                return
        files = sorted(f for f in path.iterdir() if f.is_file() and f.suffix.lower() in READERS)
        if not files:
            raise DatasetError([Problem(Origin(str(path)), f"no dataset files in this folder (looked for {', '.join(sorted(READERS))})")])
        for f in files:
            yield from READERS[f.suffix.lower()](f)
        return
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        for accepts, folder_reader in FOLDER_READERS:
            if accepts(path):
                yield from folder_reader(path)
                return
        raise DatasetError([Problem(Origin(str(path)), f"unknown file type {path.suffix or '(none)'}: use {', '.join(sorted(READERS))}")])
    yield from reader(path)


def iter_records(paths: Iterable[str | Path] | str | Path | None = None) -> tuple[list[RecordIn], list[Problem]]:
    """All records of all paths, and the file-level problems met on the way."""
    records: list[RecordIn] = []
    problems: list[Problem] = []
    for path in resolve_paths(paths):
        try:
            for item in _records_for(path):
                (problems if isinstance(item, Problem) else records).append(item)
        except DatasetError as exc:
            problems.extend(exc.problems)
        except OSError as exc:
            problems.append(Problem(Origin(str(path)), f"cannot read: {exc.strerror or exc}"))
    return records, problems


def load_dataset(paths: Iterable[str | Path] | str | Path | None = None, vocabulary: Vocabulary | None = None) -> Dataset:
    """Read and validate one or more dataset files or folders (none: the bundled landscape).

    Raises :class:`~claimgraph.errors.DatasetError` listing every problem; nothing is loaded
    if anything is wrong.
    """
    records, problems = iter_records(paths)
    try:
        ds = assemble(records, vocabulary)
    except DatasetError as exc:
        raise DatasetError(problems + exc.problems) from None
    if problems:
        raise DatasetError(problems)
    return ds


def load(paths: Iterable[str | Path] | str | Path | None = None, vocabulary: Vocabulary | None = None):
    """Load datasets into a :class:`~claimgraph.graph.Landscape`: one path, several, or none
    for the bundled landscape.

    >>> from claimgraph.loaders import load
    >>> land = load()
    >>> land.entity("英偉達").id
    'nvidia'
    >>> load("ai-chips").stats()["claims"] == land.stats()["claims"]
    True
    """
    from ..graph import Landscape

    return Landscape.from_dataset(load_dataset(paths, vocabulary), vocabulary)


def _load_plugins() -> None:
    """Modules that add readers to READERS / FOLDER_READERS when imported."""
    from ..plugins import import_optional

    import_optional("claimgraph.loaders.csv_io")


_load_plugins()
