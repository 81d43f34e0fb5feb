"""HTML generation and time-to-usable in headless Chromium: claimgraph vs pyvis defaults.

Same run, same landscape (``claimgraph.synth.generate(entities, claims, seed)``), two numbers:

1. generation: ``claimgraph.viz.html`` (layout in Python, O(n) data, one file) against pyvis
   ``Network(cdn_resources="in_line").from_nx(G)`` + ``write_html`` with pyvis defaults (which
   are undirected: its add_edge scans every edge, and drops parallel and reverse claims), and,
   for reference, with ``directed=True`` (keeps every edge, scans only the node list); the same
   graph (names as labels, the claim in words as edge titles, stance colours); best of
   ``--repeat`` runs each;
2. drawn and responsive: in headless Chromium from file:// with the network blocked, the time
   from navigation start until the graph is laid out and drawn (ours: first ``afterDrawing`` with
   physics off; pyvis: first ``afterDrawing`` after ``stabilizationIterationsDone``), plus the
   time until a real mouse click on the busiest node is answered (the node is selected). pyvis
   also reports when its physics says ``stabilized`` (the picture stops moving).

Run: ``python benchmarks/html.py [--entities 5000 --claims 15000 --seed 1 --timeout 300]``.
It prints a table and the ratios; the browser waits share one deadline, ``--timeout`` (then the
ratio is a lower bound, shown with ``>``). A pyvis page may overrun the deadline by one vis
stabilization batch, during which its page does not answer.
"""

from __future__ import annotations

import os
import sys

# this file is called html.py: keep its folder off sys.path so ``import html`` finds the stdlib
if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
    sys.path.pop(0)

import argparse  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import networkx as nx  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--no-first-run", "--disable-quic", "--disable-component-update", "--disable-sync",
]

# records vis events on whatever the page assigns to window.network (pyvis's global)
HOOK = """
(() => {
  window.__bench = {created: null, iterationsDone: null, drawnAfterLayout: null, stabilized: null};
  let net;
  Object.defineProperty(window, 'network', {configurable: true, get() { return net; }, set(v) {
    net = v; const b = window.__bench; b.created = performance.now();
    v.once('stabilizationIterationsDone', () => { b.iterationsDone = performance.now();
      v.once('afterDrawing', () => { b.drawnAfterLayout = performance.now(); }); });
    v.once('stabilized', () => { b.stabilized = performance.now(); });
  }});
})();
"""


def landscape(entities: int, claims: int, seed: int):
    try:
        from claimgraph.synth import generate
    except ImportError:  # pragma: no cover - the generator ships with claimgraph
        sys.exit("claimgraph.synth is missing")
    return generate(entities=entities, claims=claims, seed=seed)


def pyvis_graph(land) -> nx.MultiDiGraph:
    """The graph as a pyvis user would hand it over: plain attributes only."""
    from claimgraph.viz.data import short_label

    vocab = land.vocabulary
    g = nx.MultiDiGraph()
    for e in land.entities.values():
        g.add_node(e.id, label=e.name, title=e.name, color=vocab.kind_style(e.kind).color)
    preds = vocab.predicates
    for c in land.claims.values():
        if c.object is not None:
            g.add_edge(c.subject, c.object, key=c.id, title=land.describe(c),
                       color=vocab.stance_style(preds[c.predicate].stance).color, label=short_label(c))
    return g


def time_generation(land, folder: Path, repeat: int = 3) -> dict:
    """Best of ``repeat`` wall-clock runs for each side (the machine may be shared)."""
    from pyvis.network import Network

    from claimgraph.viz import html

    ours_path = folder / "claimgraph.html"
    runs = [_timed(lambda: html(ours_path, land, page="full")) for _ in range(repeat)]
    ours, ours_cpu = min(r[0] for r in runs), min(r[1] for r in runs)

    # the graph pyvis is given (names, claims in words, colours): timed on its own, so that the
    # ratio can be given both for pyvis alone and end to end (landscape in, page out, as ours)
    prep = [_timed(lambda: pyvis_graph(land)) for _ in range(repeat)]
    g = pyvis_graph(land)
    out = {"prep": min(r[0] for r in prep), "prep_cpu": min(r[1] for r in prep),
           "ours": ours, "ours_cpu": ours_cpu, "ours_path": ours_path, "ours_mb": ours_path.stat().st_size / 1e6}
    for name, kw in (("pyvis", {}), ("pyvis_directed", {"directed": True})):
        path = folder / f"{name}.html"
        nets = []

        def build(kw=kw, path=path, nets=nets):
            net = Network(cdn_resources="in_line", **kw)
            net.from_nx(g)
            net.write_html(str(path))
            nets.append(net)

        runs = [_timed(build) for _ in range(repeat)]
        out[name], out[f"{name}_cpu"] = min(r[0] for r in runs), min(r[1] for r in runs)
        out[f"{name}_path"] = path
        out[f"{name}_mb"] = path.stat().st_size / 1e6
        out[f"{name}_edges"] = len(nets[-1].edges)
        out[f"{name}_nodes"] = len(nets[-1].nodes)
    return out


def _timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process): CPU time is immune to other load."""
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def _click_busiest(page, node_id: str, answered_js: str, timeout_ms: int) -> float:
    x, y = page.evaluate(
        """id => { const n = window.network || claimgraph.network;
                   const p = n.canvasToDOM(n.getPositions([id])[id]);
                   const c = n.body.container.getBoundingClientRect();
                   return [c.left + p.x, c.top + p.y]; }""", node_id)
    t0 = time.perf_counter()
    page.mouse.click(x, y)
    page.wait_for_function(answered_js, arg=node_id, timeout=timeout_ms, polling="raf")
    return time.perf_counter() - t0


def _time_browser_inline(path: Path, kind: str, busiest: str, timeout_s: float) -> dict:
    """Open ``path`` and time it; every wait shares one deadline of ``timeout_s`` seconds."""
    from playwright.sync_api import Error as PWError
    from playwright.sync_api import sync_playwright

    out: dict = {"timed_out": False}
    deadline = time.perf_counter() + timeout_s

    def left_ms() -> int:
        return max(int((deadline - time.perf_counter()) * 1000), 1)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        blocked: list[str] = []
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:", "blob:", "about:"))
                   else (blocked.append(r.request.url), r.abort()))
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        if kind == "pyvis":
            page.add_init_script(HOOK)
        try:
            page.goto(path.resolve().as_uri(), timeout=left_ms(), wait_until="commit")
            if kind == "ours":
                page.wait_for_selector("body[data-ready='1']", timeout=left_ms())
                out["drawn_ms"] = page.evaluate("() => claimgraph.readyAt")
                answered = "id => document.body.getAttribute('data-selected') === id"
            else:
                page.wait_for_function("() => window.__bench && window.__bench.drawnAfterLayout !== null",
                                       timeout=left_ms(), polling=200)
                out["drawn_ms"] = page.evaluate("() => window.__bench.drawnAfterLayout")
                answered = "id => window.network.getSelectedNodes().includes(id)"
            out["click_s"] = _click_busiest(page, busiest, answered, left_ms())
            out["usable_s"] = out["drawn_ms"] / 1000 + out["click_s"]
            if kind == "pyvis":
                try:
                    page.wait_for_function("() => window.__bench.stabilized !== null", timeout=left_ms(), polling=500)
                    out["stabilized_s"] = page.evaluate("() => window.__bench.stabilized") / 1000
                except PWError:
                    out["stabilized_s"] = None
        except PWError:
            out["timed_out"] = True
            out["usable_s"] = timeout_s
            if kind == "pyvis":
                try:
                    out["iterations_at_cap"] = page.evaluate(
                        "() => window.network ? window.network.physics.stabilizationIterations : null")
                except PWError:
                    out["iterations_at_cap"] = None
        out["blocked"] = len(blocked)
        out["errors"] = errors[:3]
        browser.close()
    return out


def time_browser(path: Path, kind: str, busiest: str, timeout_s: float) -> dict:
    """:func:`_time_browser_inline` in a child process killed (with its browser) at the deadline.

    A page busy in a long synchronous task (a vis stabilization batch) does not answer the
    driver, so only a separate process group gives a hard bound.
    """
    import json
    import signal
    import subprocess

    cmd = [sys.executable, os.path.abspath(__file__), "--browser-run", kind, str(path), busiest, str(timeout_s)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout_s + 30)
        return json.loads(out.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the child, its driver and its browser
        proc.communicate()
        return {"timed_out": True, "usable_s": timeout_s, "iterations_at_cap": None,
                "blocked": None, "errors": ["page unresponsive at the deadline; killed"]}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entities", type=int, default=5000)
    ap.add_argument("--claims", type=int, default=15000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=300.0, help="cap on each pyvis wait, seconds")
    ap.add_argument("--repeat", type=int, default=3, help="generation runs per side (best is kept)")
    ap.add_argument("--keep", type=Path, help="keep the two HTML files in this folder")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    land = landscape(args.entities, args.claims, args.seed)
    print(f"landscape: {land!r}, {land.graph.number_of_edges()} relations "
          f"(generated in {time.perf_counter() - t0:.1f} s)")
    busiest = max(land.graph.degree, key=lambda kv: kv[1])[0]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="cg-bench-"))
    folder.mkdir(parents=True, exist_ok=True)

    gen = time_generation(land, folder, args.repeat)
    print(f"generation   claimgraph            {gen['ours']:7.2f} s wall {gen['ours_cpu']:7.2f} s CPU  "
          f"({gen['ours_mb']:.1f} MB, {land.graph.number_of_edges()} edges)")
    print(f"generation   pyvis (defaults)      {gen['pyvis']:7.2f} s wall {gen['pyvis_cpu']:7.2f} s CPU  "
          f"({gen['pyvis_mb']:.1f} MB, {gen['pyvis_edges']} edges: undirected, parallel and reverse claims dropped)")
    print(f"generation   pyvis (directed=True) {gen['pyvis_directed']:7.2f} s wall {gen['pyvis_directed_cpu']:7.2f} s CPU  "
          f"({gen['pyvis_directed_mb']:.1f} MB, {gen['pyvis_directed_edges']} edges)")
    print(f"             (preparing pyvis's graph from the landscape: {gen['prep']:.2f} s wall "
          f"{gen['prep_cpu']:.2f} s CPU, not included above)")
    gen_ratio = gen["pyvis"] / gen["ours"]
    print(f"generation ratio (pyvis defaults / claimgraph): {gen_ratio:.1f}x wall, "
          f"{gen['pyvis_cpu'] / gen['ours_cpu']:.1f}x CPU; (pyvis directed / claimgraph): "
          f"{gen['pyvis_directed'] / gen['ours']:.1f}x wall, {gen['pyvis_directed_cpu'] / gen['ours_cpu']:.1f}x CPU")

    print(f"end to end, landscape in and page out (pyvis defaults incl. preparing its graph / claimgraph): "
          f"{(gen['pyvis'] + gen['prep']) / gen['ours']:.1f}x wall, "
          f"{(gen['pyvis_cpu'] + gen['prep_cpu']) / gen['ours_cpu']:.1f}x CPU")

    ours = time_browser(gen["ours_path"], "ours", busiest, args.timeout)
    print(f"browser      claimgraph drawn {ours.get('drawn_ms', 0) / 1000:6.2f} s, click answered in "
          f"{ours.get('click_s', 0):.2f} s -> usable {ours['usable_s']:.2f} s  (blocked {ours['blocked']}, errors {ours['errors']})")
    pv = time_browser(gen["pyvis_path"], "pyvis", busiest, args.timeout)
    if pv["timed_out"]:
        print(f"browser      pyvis      not usable within {args.timeout:.0f} s (cap): stabilization at "
              f"iteration {pv.get('iterations_at_cap')} of 1000  (blocked {pv['blocked']} CDN requests; {pv['errors']})")
    else:
        stab = pv.get("stabilized_s")
        print(f"browser      pyvis      drawn {pv['drawn_ms'] / 1000:6.2f} s, click answered in {pv['click_s']:.2f} s "
              f"-> usable {pv['usable_s']:.2f} s; physics stabilized at "
              f"{f'{stab:.1f} s' if stab else 'not within the cap'}  (blocked {pv['blocked']} CDN requests, errors {pv['errors']})")
    ratio = pv["usable_s"] / ours["usable_s"]
    print(f"drawn-and-responsive ratio (pyvis / claimgraph): {'>' if pv['timed_out'] else ''}{ratio:.1f}x")
    return {"generation_ratio": gen_ratio, "browser_ratio": ratio, "gen": gen, "ours": ours, "pyvis": pv}


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--browser-run":
        import json

        _, _, kind_, path_, busiest_, timeout_ = sys.argv
        print(json.dumps(_time_browser_inline(Path(path_), kind_, busiest_, float(timeout_))))
    else:
        main()
