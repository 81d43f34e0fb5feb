"""claimgraph: an honest knowledge graph of competitive landscapes.

Every edge is a claim with its sources, who asserts it, when it was said, when it holds and a
status. Start with::

    >>> import claimgraph
    >>> land = claimgraph.load()            # the bundled ai-chips landscape
    >>> land.stats()["claims"] >= 50
    True
"""

from .api import audit, export, show, stats, validate
from .errors import ClaimgraphError, DatasetError
from .graph import Landscape
from .loaders import load, load_dataset
from .model import Claim, Entity, Evidence, PartialDate, Quantity, Rate, Source, Status, Tier

__version__ = "0.1.0"

__all__ = [
    "load", "load_dataset", "Landscape", "validate", "stats", "audit", "show", "export",
    "Claim", "Entity", "Evidence", "Source", "Rate", "Status", "Tier", "Quantity", "PartialDate",
    "ClaimgraphError", "DatasetError",
]
