"""One self-contained HTML page: vis-network (from the pyvis package), our script, style and data.

Nothing in the page loads from the network: scripts and styles are inlined, the data sits in a
``<script type="application/json">`` element (escaped by :func:`~claimgraph.viz.data.script_json`)
and a Content-Security-Policy forbids any fetch. Dataset text reaches the DOM only as text.
"""

from __future__ import annotations

import html
import re
from functools import cache
from importlib import resources
from pathlib import Path

from ..errors import ClaimgraphError
from ..gcutil import gc_paused
from .data import page_data, script_json

_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")


@cache
def _asset(name: str) -> str:
    return resources.files("claimgraph.viz").joinpath(name).read_text(encoding="utf-8")


@cache
def vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS as shipped inside the pyvis package (no network needed).

    The files are found without importing pyvis (which imports IPython: 0.4 s, more than making
    a 5,000-entity page)."""
    from importlib.util import find_spec

    spec = find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise ClaimgraphError("pyvis is not installed: pip install pyvis (it ships vis-network)")
    lib = Path(next(iter(spec.submodule_search_locations))) / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    for text, end in ((js, "</script"), (css, "</style")):
        if end in text.lower() or "<!--" in text:
            raise RuntimeError(f"vis asset contains {end!r}; cannot inline it safely")
    return js, css


@cache
def _pieces(template: str) -> tuple[str, ...]:
    # literal, NAME, literal, NAME, ..., literal
    return tuple(_PLACEHOLDER.split(template))


def fill(template: str, parts: dict[str, str]) -> str:
    """Replace ``@@NAME@@`` placeholders in one pass (inserted text is never re-scanned).

    >>> fill("<b>@@X@@</b>", {"X": "@@X@@"})
    '<b>@@X@@</b>'
    """
    pieces = _pieces(template)
    return "".join(parts[p] if i % 2 else p for i, p in enumerate(pieces))


def render_page(data: dict, *, report_html: str = "", body_class: str = "cg-page") -> str:
    """The full page for :func:`~claimgraph.viz.data.page_data` output, plus optional report
    sections (already-escaped HTML made by :mod:`claimgraph.viz.reportpage`)."""
    vis_js, vis_css = vis_assets()
    meta = data["meta"]
    return fill(_asset("templates/page.html"), {
        "TITLE": html.escape(meta["title"]),
        "SUBTITLE": html.escape(meta.get("subtitle") or ""),
        "BODY_CLASS": body_class,
        "VIS_CSS": vis_css,
        "CSS": _asset("assets/landscape.css"),
        "VIS_JS": vis_js,
        "JS": _asset("assets/landscape.js"),
        "DATA": script_json(data),
        "REPORT": report_html,
    })


def subtitle_for(land, *, as_of=None, min_status=None, focus=None, depth=None, known_on=None) -> str:
    parts = [f"{len(land.entities)} entities", f"{len(land.claims)} claims", f"{len(land.sources)} sources"]
    if as_of:
        parts.append(f"as of {as_of}")
    if known_on:
        parts.append(f"as known on {known_on}")
    if min_status:
        parts.append(f"status ≥ {getattr(min_status, 'value', min_status)}")
    if focus:
        parts.append(f"opens around {focus} (depth {depth})")
    return " · ".join(parts)


def render_html(land, *, title: str = "claimgraph landscape", subtitle: str | None = None,
                layout: str = "auto", seed: int = 7, view: str = "", page: str = "auto") -> str:
    """The interactive landscape page for ``land`` as a string; ``view`` is the fragment
    (:func:`~claimgraph.viz.data.view_fragment`) it opens on when its URL has none; ``page``:
    ``"auto"``, ``"summary"`` or ``"full"`` (:func:`~claimgraph.viz.data.wants_summary`: a big
    landscape opens on its most influential entities, the rest reachable by search and
    expansion).

    >>> from claimgraph import load
    >>> page = render_html(load())
    >>> page.startswith("<!DOCTYPE html>") and '<script src=' not in page and '<link ' not in page
    True
    """
    with gc_paused():
        data = page_data(land, title=title, layout_mode=layout, seed=seed, view=view, page=page,
                         subtitle=subtitle if subtitle is not None else subtitle_for(land))
        out = render_page(data)
        del data  # freed while the collector still sleeps, so it never walks the page data
    return out
