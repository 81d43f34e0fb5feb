"""The library functions behind the CLI commands, one per command and of the same name.

The CLI only parses arguments, calls these and prints; the Python API and the CLI cannot drift.

>>> import claimgraph
>>> claimgraph.validate()["claims"] >= 50
True
>>> [c.id for c in claimgraph.show("英偉達")["claims"]][:1]  # doctest: +ELLIPSIS
[...]
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .graph import Landscape
from .graph.audit import Finding
from .graph.audit import audit as _audit
from .loaders import load
from .loaders.export import export as _export

Paths = Iterable[str | Path] | None


def _landscape(source: Landscape | Paths, as_of: Any = None, min_status: Any = None) -> Landscape:
    land = source if isinstance(source, Landscape) else load(source)
    return land.restrict(as_of=as_of, min_status=min_status)


def validate(paths: Paths = None) -> dict[str, Any]:
    """Load and check datasets; return their stats, or raise DatasetError with every problem."""
    land = load(paths)
    return land.stats() | {"notices": list(land.notices)}


def stats(source: Landscape | Paths = None, *, as_of: Any = None, min_status: Any = None) -> dict[str, Any]:
    """Counts of entities, claims and sources, and claims by status, stance, predicate."""
    return _landscape(source, as_of, min_status).stats()


def audit(source: Landscape | Paths = None, *, as_of: Any = None, min_status: Any = None,
          codes: tuple[str, ...] | None = None) -> list[Finding]:
    """The honesty lint (see :mod:`claimgraph.graph.audit`)."""
    return _audit(_landscape(source, as_of, min_status), codes)


def show(entity: str, source: Landscape | Paths = None, *, as_of: Any = None,
         min_status: Any = None) -> dict[str, Any]:
    """An entity and its claims, out and in: ``{"entity": Entity, "claims": [Claim, ...]}``."""
    land = _landscape(source, as_of, min_status)
    ent = land.entity(entity)
    return {"entity": ent, "claims": land.claims_of(ent.id), "landscape": land}


def export(path: str | Path, format: str = "json", source: Landscape | Paths = None, *,
           as_of: Any = None, min_status: Any = None) -> Path:
    """Write the landscape to ``path`` in ``format``, atomically."""
    return _export(_landscape(source, as_of, min_status), format, path)
