"""Deterministic node positions computed in Python, so large pages need no physics in the browser.

Small graphs use networkx's Fruchterman-Reingold (``spring_layout``, dense numpy). Large graphs use
a Fruchterman-Reingold variant whose repulsion is computed on a grid with FFT convolution
(particle-mesh, O(n + e + g² log g) per iteration instead of O(n²)), so 5,000 nodes take well
under a second. Both are seeded: the same graph gives the same picture.

>>> pos = layout(4, [(0, 1), (1, 2), (2, 3)], seed=1)
>>> pos.shape
(4, 2)
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

#: below this many nodes, networkx's exact (dense) spring layout is used
DENSE_LIMIT = 400


def layout(n: int, edges: Iterable[tuple[int, int]], seed: int = 7,
           iterations: int | None = None) -> np.ndarray:
    """Positions for nodes ``0..n-1`` joined by ``edges``: an ``(n, 2)`` array.

    Most nodes fall within the unit circle (a few outliers may lie beyond it).

    >>> p = layout(3, [(0, 1)], seed=3)
    >>> bool(np.allclose(p, layout(3, [(0, 1)], seed=3)))
    True
    """
    pairs = np.array([(a, b) for a, b in edges if a != b], dtype=np.int64).reshape(-1, 2)
    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.zeros((1, 2))
    # nodes without relations go into a tidy block below the graph instead of a ring around it
    linked = np.zeros(n, dtype=bool)
    linked[pairs.ravel()] = True
    if linked.sum() < 2:
        return _normalise(_block(n, np.zeros((0, 2))))
    ids = np.flatnonzero(linked)
    remap = np.full(n, -1, dtype=np.int64)
    remap[ids] = np.arange(len(ids))
    sub = remap[pairs]
    if len(ids) < DENSE_LIMIT:
        core = _dense(len(ids), sub, seed, iterations or 80)
    else:
        core = _grid_fr(len(ids), sub, seed, iterations or 30)
    core = _normalise(core)
    pos = np.zeros((n, 2))
    pos[ids] = core
    lonely = np.flatnonzero(~linked)
    if len(lonely):
        pos[lonely] = _block(len(lonely), core)
    return pos


def _block(count: int, core: np.ndarray) -> np.ndarray:
    """``count`` points in rows under the bounding box of ``core``."""
    if len(core):
        lo, hi = core.min(axis=0), core.max(axis=0)
    else:
        lo, hi = np.array([-1.0, -1.0]), np.array([1.0, -1.0])
    width = max(float(hi[0] - lo[0]), 1.0)
    base = 1.2 / np.sqrt(max(len(core), count, 1))
    step = max(base, width / max(count, 1) * 0.9 if count < 12 else 0)  # a few: spread them out
    per_row = max(int(width / step), 1)
    i = np.arange(count)
    return np.stack([lo[0] + (i % per_row) * step, hi[1] + 2 * base + (i // per_row) * base], axis=1)


def _normalise(pos: np.ndarray) -> np.ndarray:
    pos = pos - np.median(pos, axis=0)
    radius = np.sqrt((pos * pos).sum(axis=1))
    span = float(np.percentile(radius, 98)) if len(pos) > 50 else float(radius.max())
    return pos / span if span > 0 else pos


def _dense(n: int, pairs: np.ndarray, seed: int, iterations: int) -> np.ndarray:
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(map(tuple, pairs.tolist()))
    pos = nx.spring_layout(g, seed=seed, iterations=iterations, k=1.6 / np.sqrt(n))
    return np.array([pos[i] for i in range(n)], dtype=float)


def _grid_fr(n: int, pairs: np.ndarray, seed: int, iterations: int) -> np.ndarray:
    """Fruchterman-Reingold with grid (FFT) repulsion, exact attraction, weak gravity."""
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    k = np.sqrt(1.0 / n)  # ideal edge length in a unit square
    grid = int(min(128, max(64, 2 ** np.ceil(np.log2(np.sqrt(n) * 2.5)))))
    if len(pairs):
        # distinct undirected pairs, in (low, high) order: one int64 key per pair sorts faster
        # than np.unique(axis=0) and gives the same rows in the same order
        pairs = np.sort(pairs, axis=1)
        keys = np.unique(pairs[:, 0] * n + pairs[:, 1])
        pairs = np.stack([keys // n, keys % n], axis=1)
    src, dst = (pairs[:, 0], pairs[:, 1]) if len(pairs) else (np.zeros(0, int), np.zeros(0, int))
    # offsets for the (2g x 2g) kernel, in cells, wrapped for FFT convolution
    off = np.fft.fftfreq(2 * grid, d=1.0 / (2 * grid))
    dx_cells, dy_cells = np.meshgrid(off, off, indexing="ij")
    r2_cells = dx_cells**2 + dy_cells**2
    r2_cells[0, 0] = np.inf  # no self force
    kx_hat = np.fft.rfft2((dx_cells / r2_cells).astype(np.float32))
    ky_hat = np.fft.rfft2((dy_cells / r2_cells).astype(np.float32))
    kxy_hat = np.stack([kx_hat, ky_hat])
    g2 = 2 * grid
    t = 0.1
    cool = t / (iterations + 1)
    for _ in range(iterations):
        lo = pos.min(axis=0)
        span = max(float((pos.max(axis=0) - lo).max()), 1e-9) * (1 + 1e-6)
        h = span / grid
        cell = np.minimum(((pos - lo) / h).astype(np.int64), grid - 1)
        cx, cy = cell[:, 0], cell[:, 1]
        dens = np.bincount(cx * grid + cy, minlength=grid * grid).reshape(grid, grid).astype(np.float32)
        # repulsion k²/r along the unit vector = k² * d / r²; d, r in real units (cells * h)
        scale = k * k / h
        # the mass fills only the first (g x g) quadrant of the zero-padded (2g x 2g) grid, and
        # only that quadrant of the result is read: transform the g nonzero rows, invert only
        # the g rows needed (the same numbers as full rfft2/irfft2, a third less work)
        fd = np.fft.fft(np.fft.rfft(dens, n=g2, axis=1), n=g2, axis=0)
        fxy = np.fft.irfft(np.fft.ifft(fd * kxy_hat, axis=1)[:, :grid], n=g2, axis=2)
        # force on a node at cell c from mass at c': sum dens[c'] * K(c - c')
        disp = np.stack([fxy[0][cx, cy] * scale, fxy[1][cx, cy] * scale], axis=1)
        if len(src):
            d = pos[dst] - pos[src]
            dist = np.sqrt((d * d).sum(axis=1)) + 1e-12
            f = d * (dist / k)[:, None]
            disp[:, 0] += np.bincount(src, f[:, 0], minlength=n) - np.bincount(dst, f[:, 0], minlength=n)
            disp[:, 1] += np.bincount(src, f[:, 1], minlength=n) - np.bincount(dst, f[:, 1], minlength=n)
        disp -= (pos - pos.mean(axis=0)) * (0.05 / k)  # gravity keeps small components near
        length = np.sqrt((disp * disp).sum(axis=1)) + 1e-12
        pos += disp * (np.minimum(length, t) / length)[:, None]
        t -= cool
    # separate nodes that landed on the same spot (deterministic tiny jitter)
    pos += rng.normal(scale=k * 0.05, size=pos.shape)
    return pos
