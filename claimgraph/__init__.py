"""claimgraph: an honest knowledge graph of competitive landscapes.

Every edge is a claim with its sources, who asserts it, when it was said, when it holds and a
status. Start with::

    >>> import claimgraph
    >>> land = claimgraph.load()            # the bundled ai-chips landscape
    >>> land.stats()["claims"] >= 50
    True

The names below are imported on first use, so ``import claimgraph`` (and the CLI) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: public name -> module that defines it
_EXPORTS = {
    **{name: "api" for name in ("load", "validate", "stats", "audit", "show", "query", "export", "html",
                                "report", "plot", "diff", "generate", "push", "pull", "cypher")},
    "load_dataset": "io",
    "Landscape": "landscape", "ViewNotice": "landscape",
    "ClaimgraphError": "errors", "DatasetError": "errors",
    **{name: "model" for name in ("Claim", "Entity", "Evidence", "Source", "Rate", "Status", "Tier", "Tense",
                                  "HistoryEntry")},
    "Quantity": "values", "PartialDate": "values",
    "Vocabulary": "vocabulary",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'claimgraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
