"""Export entries and atomic writing, shared by :data:`claimgraph.io.WRITERS` and
:data:`claimgraph.neo4j.WRITERS`."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..fileio import atomic_write


@dataclass(frozen=True)
class Exporter:
    """One export format. ``write`` names ``"module:function"`` in its package: the function
    takes ``(landscape, fh)`` for a file, or ``(landscape, path)`` for a folder (``mode="dir"``)."""

    name: str
    write: str
    mode: str = "w"  # "w" text, "wb" bytes, "dir" a folder written by the function itself
    suffix: str = ""
    doc: str = ""


def resolve(package: str, ref: str) -> Callable:
    """The function ``ref`` (``"module:function"``) of ``package``, imported on first use."""
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(f"{package}.{module}"), attr)


def write_export(exp: Exporter, fn: Callable, landscape, path: str | Path) -> Path:
    """Run one exporter's function so that the output appears whole or not at all."""
    path = Path(path)
    if exp.mode == "dir":
        fn(landscape, path)
        return path
    with atomic_write(path, exp.mode) as fh:
        fn(landscape, fh)
    return path
