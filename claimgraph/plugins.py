"""Optional modules that extend the core when present (readers, exporters, CLI commands)."""

from __future__ import annotations

import importlib
from types import ModuleType


def import_optional(module: str) -> ModuleType | None:
    """Import ``module`` if it exists; None when it does not. An import error *inside* the
    module (a missing dependency of its own) is raised, not hidden."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        return None
