"""A static picture of a landscape with matplotlib (Agg backend): PNG or SVG for slides and READMEs.

Same visual language as the HTML page: node colour and marker by kind, size by influence, edge
colour by stance (colours, markers and legend labels from the vocabulary), solid lines for confirmed/reported claims, dashed for claimed, dotted and faded
for stale, disputed, unsupported and refuted ones.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import ClaimgraphError
from ..fileio import atomic_write
from .data import STATUS_STYLE, influence, kind_styles, stance_styles
from .layout import layout

_MARKERS = {"dot": "o", "diamond": "D", "square": "s", "triangle": "^", "triangleDown": "v",
            "hexagon": "h", "star": "*"}
_LINESTYLE = {"solid": "-", "dashed": (0, (5, 3)), "dotted, faded": (0, (1, 2)),
              "dotted, very faded": (0, (1, 3))}
#: at most this many node labels (the most influential), so big pictures stay legible
MAX_LABELS = 80


def plot_landscape(land, path: str | Path, *, title: str | None = None, seed: int = 7,
                   size: tuple[float, float] = (16, 11), dpi: int = 150) -> Path:
    """Draw ``land`` into ``path`` (``.png`` or ``.svg``), atomically; return the path.

    >>> import tempfile, pathlib
    >>> from claimgraph import load
    >>> out = plot_landscape(load(), pathlib.Path(tempfile.mkdtemp()) / "l.svg")
    >>> out.read_text().lstrip().startswith("<?xml")
    True
    """
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    from matplotlib import patheffects
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise ClaimgraphError(f"{path}: give a file ending in .png or .svg")
    # dataset text is text: "$5B" or "A$" would otherwise be parsed as matplotlib mathtext
    # (a ValueError for an unbalanced "$", and "$x$" drawn as maths)
    with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False}):
        return _draw(plt, patheffects, LineCollection, Line2D, land, path, fmt, title, seed, size, dpi)


def _draw(plt, patheffects, LineCollection, Line2D, land, path: Path, fmt: str, title, seed, size, dpi) -> Path:
    ents = list(land.entities.values())
    index = {e.id: i for i, e in enumerate(ents)}
    vocab = land.vocabulary
    preds = vocab.predicates
    rel = [c for c in sorted(land.claims.values(), key=lambda c: c.id)
           if c.object is not None and c.subject in index and c.object in index]
    pairs = [(index[c.subject], index[c.object]) for c in rel]
    pos = layout(len(ents), pairs, seed=seed)
    pos[:, 1] *= -1  # the same orientation as the HTML page (y grows downwards there)
    rank = influence(len(ents), pairs)
    top = float(rank.max()) if len(rank) else 1.0

    fig, ax = plt.subplots(figsize=size)
    ax.set_axis_off()
    # edges: one collection per (stance, status) so each gets its colour, pattern and alpha
    groups: dict[tuple[str, str], list] = {}
    # parallel claims between the same pair are drawn side by side, not on top of each other
    count: dict[tuple[int, int], int] = {}
    for a, b in pairs:
        key = (min(a, b), max(a, b))
        count[key] = count.get(key, 0) + 1
    seen: dict[tuple[int, int], int] = {}
    gap = 0.012
    for c, (a, b) in zip(rel, pairs, strict=True):
        key = (min(a, b), max(a, b))
        k = seen.get(key, 0)
        seen[key] = k + 1
        p, q = pos[key[0]], pos[key[1]]
        d = q - p
        norm = float(np.hypot(*d)) or 1.0
        shift = np.array([-d[1], d[0]]) / norm * gap * (k - (count[key] - 1) / 2)
        groups.setdefault((preds[c.predicate].stance, c.status.value), []).append((p + shift, q + shift))
    scale = 1.0 if len(ents) < 300 else 0.4
    for (stance, status), segs in groups.items():
        st = STATUS_STYLE[status]
        ax.add_collection(LineCollection(
            segs, colors=vocab.stance_style(stance).color, linewidths=st["width"] * 0.6 * scale,
            linestyles=_LINESTYLE[st["pattern"]], alpha=max(st["opacity"], 0.2) * (0.85 if scale == 1 else 0.35),
            zorder=1))
    # nodes by kind
    sizes = [(8 + 32 * (float(rank[i]) / top) ** 0.5) ** 2 * (0.35 if scale == 1 else 0.08) for i in range(len(ents))]
    kinds = kind_styles(vocab, {e.kind for e in ents})
    for ks in kinds:
        idx = [i for i, e in enumerate(ents) if e.kind == ks["name"]]
        ax.scatter(pos[idx, 0], pos[idx, 1], s=[sizes[i] for i in idx], c=ks["color"], marker=_MARKERS.get(ks["shape"], "o"),
                   edgecolors="#333333", linewidths=0.6, zorder=2)
    # labels for the most influential nodes
    order = sorted(range(len(ents)), key=lambda i: -rank[i])[:MAX_LABELS]
    stroke = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    for i in order:
        ax.annotate(ents[i].name, pos[i], xytext=(0, -9 - sizes[i] ** 0.5 / 2.5), textcoords="offset points",
                    ha="center", va="top", fontsize=8 if scale == 1 else 6, zorder=3, path_effects=stroke)
    # legends: stances (colour), statuses (line), kinds (marker)
    stance_handles = [Line2D([], [], color=s["color"], lw=2.5, label=s["label"])
                      for s in stance_styles(vocab, {s for s, _ in groups})]
    status_handles = [Line2D([], [], color="#444444", lw=STATUS_STYLE[s]["width"] * 0.8,
                             linestyle=_LINESTYLE[STATUS_STYLE[s]["pattern"]],
                             alpha=max(STATUS_STYLE[s]["opacity"], 0.3), label=s)
                      for s in STATUS_STYLE if any(st == s for _, st in groups)]
    kind_handles = [Line2D([], [], marker=_MARKERS.get(k["shape"], "o"), linestyle="",
                           markerfacecolor=k["color"], markeredgecolor="#333333",
                           markersize=8, label=k["label"]) for k in kinds]
    leg1 = ax.legend(handles=stance_handles, title="stance (colour)", loc="upper left", fontsize=8,
                     title_fontsize=9, frameon=True, bbox_to_anchor=(1.0, 1.0))
    ax.add_artist(leg1)
    leg2 = ax.legend(handles=status_handles, title="status (line)", loc="upper left", fontsize=8,
                     title_fontsize=9, frameon=True, bbox_to_anchor=(1.0, 0.62))
    ax.add_artist(leg2)
    ax.legend(handles=kind_handles, title="entity kind", loc="upper left", fontsize=8, title_fontsize=9,
              frameon=True, bbox_to_anchor=(1.0, 0.30))
    s = land.stats()
    ax.set_title(title or f"claimgraph landscape: {s['entities']} entities, {s['relations']} relations, "
                 f"{s['sources']} sources (node size: influence)", fontsize=12)
    ax.autoscale_view()
    ax.margins(0.04)
    fig.tight_layout()
    try:
        with atomic_write(path, "wb") as fh:
            fig.savefig(fh, format=fmt, dpi=dpi, bbox_inches="tight")
    finally:
        plt.close(fig)
    return path
