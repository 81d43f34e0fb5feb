"""Exports: a registry of formats, each writing a landscape to a file atomically.

>>> from claimgraph import load
>>> from claimgraph.loaders.export import EXPORTERS
>>> "json" in EXPORTERS
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ClaimgraphError
from ..fileio import atomic_write
from .json_io import write_json


@dataclass(frozen=True)
class Exporter:
    name: str
    write: Callable  # write(landscape, fh) for a file; write(landscape, path) for a folder
    mode: str = "w"  # "w" text, "wb" bytes, "dir" a folder written by the function itself
    suffix: str = ""
    doc: str = ""


EXPORTERS: dict[str, Exporter] = {}


def register(exporter: Exporter) -> None:
    EXPORTERS[exporter.name] = exporter


register(Exporter("json", write_json, "w", ".json", "canonical claimgraph JSON (loads back)"))


def export(landscape, format: str, path: str | Path) -> Path:
    """Write ``landscape`` to ``path`` in ``format`` (``json`` ...); the file appears whole or not
    at all. Returns the path written."""
    exp = EXPORTERS.get(format)
    if exp is None:
        raise ClaimgraphError(f"unknown export format {format!r}: use one of {', '.join(sorted(EXPORTERS))}")
    path = Path(path)
    if exp.mode == "dir":
        exp.write(landscape, path)
        return path
    with atomic_write(path, exp.mode) as fh:
        exp.write(landscape, fh)
    return path


def _load_plugins() -> None:
    """Modules that register more exporters when imported (each calls :func:`register`)."""
    from ..plugins import import_optional

    for module in ("claimgraph.loaders.neo4j_io", "claimgraph.loaders.interchange"):
        import_optional(module)


_load_plugins()
