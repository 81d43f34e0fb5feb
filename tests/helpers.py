"""Small helpers shared by the tests."""

from __future__ import annotations

from claimgraph import api


def export(landscape, format: str, path):
    """``claimgraph.api.export`` with the landscape first, as the tests read best."""
    return api.export(path, format, landscape)
