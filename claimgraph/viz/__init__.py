"""Pictures of a landscape: the interactive HTML page, the shareable report and static plots.

Library functions behind ``claimgraph html``, ``claimgraph report`` and ``claimgraph plot``; each
writes one file atomically and returns its path.

>>> import claimgraph, tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "land.html"
>>> html(out) == out
True
"""

from __future__ import annotations

import html as _html
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..algorithms import neighbourhood as focus
from ..fileio import atomic_write
from .page import render_html, subtitle_for

__all__ = ["html", "report", "plot", "notebook_html", "focus", "render_html", "render_report"]

Paths = Iterable[str | Path] | None


def _landscape(source, as_of=None, min_status=None, known_on=None, include_undated=False):
    from ..io import load
    from ..landscape import Landscape

    land = source if isinstance(source, Landscape) else load(source)
    return land.restrict(as_of=as_of, min_status=min_status, known_on=known_on, include_undated=include_undated)


def html(path: str | Path, source: Any = None, *, as_of: Any = None, min_status: Any = None,
         focus_on: str | None = None, depth: int = 1, title: str | None = None,
         layout: str = "auto", known_on: Any = None, include_undated: bool = False,
         page: str = "auto") -> Path:
    """Write the interactive landscape as one self-contained HTML file; return its path.

    ``source`` is a :class:`~claimgraph.landscape.Landscape` or dataset paths (none: the bundled
    landscape). ``focus_on``/``depth``: the page opens on the neighbourhood of one entity (within
    ``depth`` relations) and carries the rest of the landscape, so that its neighbours can be
    expanded one click at a time (cut the landscape first, with :func:`focus`, to share only a
    part of it). ``page``: ``"auto"`` (a summary above
    :data:`~claimgraph.viz.data.SUMMARY_LIMIT_CLAIMS` claims), ``"summary"`` or ``"full"``.
    """
    from .data import focus_view

    land = _landscape(source, as_of, min_status, known_on, include_undated)
    view = focus_view(land, focus_on, depth) if focus_on else ""
    sub = subtitle_for(land, as_of=as_of, min_status=min_status, known_on=known_on,
                       focus=land.entities[land.resolve(focus_on)].name if focus_on else None, depth=depth)
    text = render_html(land, title=title or "claimgraph landscape", subtitle=sub, layout=layout, view=view,
                       page=page)
    path = Path(path)
    with atomic_write(path) as fh:
        fh.write(text)
    return path


def render_report(land, **kw) -> str:
    """The report page for ``land`` as a string (see :func:`report`; ``title``, ``as_of``,
    ``min_status``, ``focus``, ``spec``)."""
    from .reportpage import render_report as _render

    return _render(land, **kw)


def report(path: str | Path, source: Any = None, *, as_of: Any = None, min_status: Any = None,
           title: str | None = None, focus: str | None = None, known_on: Any = None,
           include_undated: bool = False, page: str = "auto") -> Path:
    """Write the shareable report (graph, headline answers, claim ledger, sources); return its path.

    The headline sections are those of the landscape's ``report.yaml`` (beside its dataset
    files), else defaults chosen from its data (:mod:`claimgraph.viz.reportspec`); ``focus``
    (an entity id, name or alias) is the entity of every section that is about one. ``page``:
    ``"auto"``, ``"summary"`` or ``"full"``, as for :func:`html` (a summary report lists the
    claims its answers cite and builds the rest of the ledger on demand).
    """
    from .reportpage import render_report as _render

    land = _landscape(source, as_of, min_status, known_on, include_undated)
    text = _render(land, title=title, as_of=as_of, min_status=min_status, focus=focus, known_on=known_on,
                   page=page)
    path = Path(path)
    with atomic_write(path) as fh:
        fh.write(text)
    return path


def plot(path: str | Path, source: Any = None, *, as_of: Any = None, min_status: Any = None,
         focus_on: str | None = None, depth: int = 1, title: str | None = None, known_on: Any = None,
         include_undated: bool = False) -> Path:
    """Write a static picture (PNG or SVG by the file's suffix) with matplotlib; return its path."""
    from .staticplot import plot_landscape

    land = _landscape(source, as_of, min_status, known_on, include_undated)
    if focus_on:
        land = focus(land, focus_on, depth)
    return plot_landscape(land, path, title=title)


def notebook_html(landscape) -> str:
    """The interactive graph for Jupyter: an ``<iframe srcdoc>`` holding the whole page.

    The page keeps its own scripts and Content-Security-Policy inside the iframe, so it works
    in classic Notebook, JupyterLab and exported notebooks alike.
    """
    page = render_html(landscape, title="claimgraph landscape")
    return ('<iframe class="claimgraph" style="width:100%;height:640px;border:1px solid #ddd" '
            f'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" srcdoc="{_html.escape(page, quote=True)}"></iframe>')
