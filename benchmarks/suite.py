"""The benchmark suite: every stage of claimgraph on generated landscapes, each against its
natural baseline run in the same process, printed as one table.

Stages (``--stages``, comma-separated; default all):

``startup``   ``claimgraph --help`` and ``claimgraph validate`` (the bundled landscape), each a
              fresh process started as the console script starts, against ``python -c pass``:
              CPU seconds of the children, best of ``--startup-repeat`` (``benchmarks/startup.py``);
              reading the bundled YAML with line/column marks against ``yaml.load(..., CSafeLoader)``.
``load``      load + validate the CSV folder (``claimgraph.io.load_dataset``) against
              ``csv.reader`` over the same files; the YAML folder (sizes in ``--yaml-sizes``)
              against ``yaml.load(..., CSafeLoader)`` of the same files; the validated cache:
              writing it, reading it back (against ``csv.reader``), and a second command's
              load + build + query against the query on a Landscape already loaded.
``build``     ``Landscape`` from the parsed records against ``MultiDiGraph.add_nodes_from`` +
              ``add_edges_from`` of the same (subject, object, id, data) tuples.
``queries``   every canned query on the embedded backend (sizes up to ``--query-max``); path
              against ``nx.all_shortest_paths``, neighbourhood against ``nx.ego_graph``,
              influence against ``nx.pagerank``; then the audit (every honesty rule).
``neo4j``     push into a local server (started here, in a temporary home) against the naive
              one-MERGE-per-claim loop of ``benchmarks/neo4j_push.py`` (first size only, on a
              sample); the update push; pull against a raw driver read of the same graph;
              push and pull again with the pure-Python packstream (``neo4j-rust-ext`` off);
              ``neo4j-admin database import`` of the exported files (``--admin-sizes``).
``html``      ``claimgraph.viz.html`` against pyvis ``from_nx`` + ``write_html``
              (``benchmarks/html.py``), at ``--html-entities`` entities and three claims each.
``page``      the report of a big landscape (``--page-sizes`` claims, a third as many entities):
              written and opened in headless Chromium as the summary page
              (``page="summary"``) against the full page (``page="full"``, every node and the
              whole ledger, as before) of the same landscape, same run: generation CPU, file
              size, and wall time from navigation until the graph is drawn and a click on the
              busiest entity is answered (``benchmarks/html.py``'s browser timing, capped at
              ``--page-timeout`` seconds).

Every stage runs in a child process (``python -m benchmarks.suite --worker ...``): its peak
memory is the child's high-water RSS (``VmHWM``, reset between phases through
``/proc/self/clear_refs``; ``ru_maxrss`` where that is not possible). Generated data are cached
under ``--data`` (keyed by size, seed and a hash of the generator) so reruns skip generation.

Times are wall seconds and CPU seconds of the process (CPU time is less disturbed by other
load on a shared machine); ratio = baseline time / our time, so above 1 means claimgraph is
faster (the build target "at most 2x add_edges_from" is a ratio of at least 0.5).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STAGES = ("startup", "load", "build", "queries", "neo4j", "html", "page")
MIB = 1024 * 1024


# ------------------------------------------------------------------------------- measuring
def _hwm_reset() -> bool:
    """Reset this process's peak RSS (Linux >= 4.0); False when it cannot be reset."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _status_kib(key: str) -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def rss_mib() -> float:
    kib = _status_kib("VmRSS")
    return kib / 1024 if kib is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_mib() -> float:
    kib = _status_kib("VmHWM")
    return kib / 1024 if kib is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Measure:
    seconds: float = 0.0
    cpu: float = 0.0
    peak: float = 0.0       # MiB, the process's high-water RSS during the phase
    grew: float = 0.0       # MiB, that peak minus the RSS when the phase started


@contextmanager
def measured():
    """``with measured() as m:`` times the block and records its peak memory.

    What exists before the block is collected and then frozen (``gc.freeze``): a collection in
    the block only scans the block's own objects, as in a process that holds nothing else, and
    the next ``gc.collect`` stays cheap however big the landscape already in memory is."""
    gc.collect()
    gc.freeze()
    _hwm_reset()
    m = Measure()
    start_rss = rss_mib()
    t0, c0 = time.perf_counter(), time.process_time()
    yield m
    m.seconds, m.cpu = time.perf_counter() - t0, time.process_time() - c0
    m.peak = peak_mib()
    m.grew = max(0.0, m.peak - start_rss)


def best(fn, repeat: int) -> Measure:
    """The fastest of ``repeat`` runs (peak: the largest)."""
    runs = []
    for _ in range(max(1, repeat)):
        with measured() as m:
            fn()
        runs.append(m)
    fastest = min(runs, key=lambda r: r.seconds)
    fastest.peak, fastest.grew = max(r.peak for r in runs), max(r.grew for r in runs)
    return fastest


@dataclass
class Row:
    stage: str
    size: str
    seconds: float | None
    cpu: float | None = None
    peak: float | None = None
    grew: float | None = None
    baseline: str = ""
    base_seconds: float | None = None
    base_cpu: float | None = None
    base_peak: float | None = None
    note: str = ""
    load: float = field(default_factory=lambda: os.getloadavg()[0])
    wall_ratio: bool = False   # the work is partly outside this process (Neo4j): compare wall time

    @property
    def ratio(self) -> float | None:
        """baseline / ours: above 1, claimgraph is faster. CPU seconds when both sides run in
        this process (steadier on a shared machine), else wall seconds."""
        if not self.wall_ratio and self.cpu and self.base_cpu:
            return self.base_cpu / self.cpu
        if self.seconds and self.base_seconds:
            return self.base_seconds / self.seconds
        return None


def emit(row: Row) -> None:
    print("ROW " + json.dumps(asdict(row)), flush=True)
    print(f"  {row.stage} @ {row.size}: {_s(row.seconds)}"
          + (f" vs {row.baseline} {_s(row.base_seconds)}" if row.baseline else ""), file=sys.stderr, flush=True)


def ours_and(stage: str, size: str, m: Measure, baseline: str = "", b: Measure | None = None, note: str = "",
             wall_ratio: bool = False) -> Row:
    return Row(stage, size, m.seconds, m.cpu, m.peak, m.grew, baseline,
               b.seconds if b else None, b.cpu if b else None, b.peak if b else None, note, wall_ratio=wall_ratio)


# ------------------------------------------------------------------------------- sizes, data
def parse_size(text: str) -> int:
    t = text.strip().lower().replace("_", "")
    mult = 1
    if t.endswith("k"):
        t, mult = t[:-1], 1000
    elif t.endswith("m"):
        t, mult = t[:-1], 1_000_000
    return int(float(t) * mult)


def size_label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def entities_for(claims: int) -> int:
    from claimgraph.synth import MIN_ENTITIES

    return max(claims // 10, MIN_ENTITIES * 3)


def _generator_hash() -> str:
    h = hashlib.sha256()
    for name in ("synth.py", "io/csv_io.py", "model.py", "vocabulary.yaml"):
        h.update((REPO / "claimgraph" / name).read_bytes())
    return h.hexdigest()[:10]


def data_dir(root: Path, n: int, seed: int) -> Path:
    """The cache folder of one generated landscape (a ``generator`` file records which
    generator wrote it; ``--fresh`` regenerates)."""
    return root / f"{size_label(n)}-s{seed}"


# ------------------------------------------------------------------------------- workers
def w_prepare(a) -> None:
    """Generate the landscape and write CSV (and YAML) into the cache folder."""
    from claimgraph.io import write_dataset as write
    from claimgraph.synth import generate

    d = Path(a.dir)
    stamp = d / "generator"
    if a.fresh and d.is_dir():
        shutil.rmtree(d)
    want = ["csv"] + (["yaml"] if a.yaml else [])
    missing = [f for f in want if not (d / f).is_dir()]
    if not missing:
        if stamp.is_file() and stamp.read_text().strip() != _generator_hash():
            print(f"note: {d} was written by another version of the generator (--fresh regenerates)",
                  file=sys.stderr)
        return
    d.mkdir(parents=True, exist_ok=True)
    stamp.write_text(_generator_hash() + "\n")
    with measured() as m:
        land = generate(entities=entities_for(a.size), claims=a.size, seed=a.seed)
    emit(ours_and("generate (not a claimgraph stage)", size_label(a.size), m,
                  note=f"{len(land.entities)} entities, {len(land.sources)} sources"))
    for fmt in missing:
        with measured() as m:
            write(land, d / fmt, format=fmt)
        mb = sum(p.stat().st_size for p in (d / fmt).iterdir()) / 1e6
        emit(ours_and(f"write {fmt}", size_label(a.size), m, note=f"{mb:.0f} MB"))


def _parse_csv_plain(folder: Path) -> int:
    import csv

    rows = 0
    kept = []
    for f in sorted(folder.glob("*.csv")):
        with open(f, newline="", encoding="utf-8") as fh:
            table = list(csv.reader(fh))
        kept.append(table)
        rows += len(table)
    return rows


def _parse_yaml_plain(folder: Path) -> int:
    import yaml

    kept = []
    for f in sorted(folder.glob("*.yaml")):
        with open(f, encoding="utf-8") as fh:
            kept.append(yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    return len(kept)


def _graph_tuples(ds, vocab):
    nodes = [(e.id, {"name": e.name, "kind": e.kind}) for e in ds.entities.values()]
    edges = [(c.subject, c.object, c.id, c.__dict__) for c in ds.claims.values() if c.object is not None]
    return nodes, edges


def w_csv(a) -> None:
    """CSV load (+ build, + queries) of one size; the baselines run after ours, in this process."""
    import networkx as nx

    from claimgraph.io import load_dataset
    from claimgraph.landscape import Landscape
    from claimgraph.vocabulary import default_vocabulary

    size = size_label(a.size)
    folder = Path(a.dir) / "csv"
    stages = set(a.stages.split(","))
    vocab = default_vocabulary()
    with measured() as m_load:
        ds = load_dataset([folder])
    repeat = 1 if a.size >= 1_000_000 else a.repeat
    with measured() as m_build:
        land = Landscape.from_dataset(ds)
    if repeat > 1 and "build" in stages:
        m_more = best(lambda: Landscape.from_dataset(ds), repeat - 1)
        if m_more.seconds < m_build.seconds:
            m_build.seconds, m_build.cpu = m_more.seconds, m_more.cpu
    total_peak = max(m_load.peak, m_build.peak)
    if "load" in stages:
        b = best(lambda: _parse_csv_plain(folder), 1)
        emit(ours_and("load+validate CSV", size, m_load, "csv.reader", b,
                      note=f"{len(ds.claims)} claims; baseline after ours (its peak includes our landscape)"))
    if "build" in stages:
        nodes, edges = _graph_tuples(ds, vocab)

        def baseline():
            g = nx.MultiDiGraph()
            g.add_nodes_from(nodes)
            g.add_edges_from(edges)
            return g

        b = best(baseline, repeat)
        emit(ours_and("build Landscape", size, m_build, "MultiDiGraph.add_edges_from", b,
                      note=f"{land.graph.number_of_edges()} edges, best of {repeat}"))
        del nodes, edges, baseline
    emit(Row("load CSV + build: process peak", size, m_load.seconds + m_build.seconds,
             m_load.cpu + m_build.cpu, total_peak, None,
             note=f"whole process high-water mark, before any baseline ({total_peak / 1024:.2f} GiB)"))
    if "load" in stages:
        run_cached(folder, land, size, repeat)
    if "queries" in stages and a.size <= a.query_max:
        run_queries(land, size, a.repeat)


#: the queries timed as a second command (read back from the validated cache)
CACHED_QUERIES = ("money", "contradictions")


def run_cached(folder: Path, land, size: str, repeat: int) -> None:
    """The validated cache: what the first command adds to write it, what reading it back
    costs, and a second command's load + build + query against the same query on the
    Landscape already in memory (the floor a cache can reach)."""
    from claimgraph.io import cache, load, load_dataset
    from claimgraph.queries import run_query

    tmp = tempfile.mkdtemp(prefix="claimgraph-bench-cache-")
    old = os.environ.get("CLAIMGRAPH_CACHE")
    os.environ["CLAIMGRAPH_CACHE"] = tmp
    try:
        key = cache.cache_key([folder], None)
        with measured() as m_write:
            ds = load_dataset([folder], cache=True)  # a miss: reads the files, writes the cache
        del ds
        mb = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
        with measured() as m_key:
            cache.cache_key([folder], None)
        emit(ours_and("cache: first command (load + write)", size, m_write,
                      note=f"{mb:.0f} MB cache; content hash of the files alone {m_key.cpu:.2f} s CPU"))
        hits = cache.STATS["hits"]
        m_read = best(lambda: load_dataset([folder], cache=True), repeat)
        assert cache.STATS["hits"] > hits and key
        b = best(lambda: _parse_csv_plain(folder), 1)
        emit(ours_and("cache: read validated dataset", size, m_read, "csv.reader", b,
                      note=f"a hit, best of {repeat}; the baseline parses the CSV, validates nothing"))
        for name in CACHED_QUERIES:
            m = best(lambda name=name: run_query(load([folder], cache=True), name), repeat)
            b = best(lambda name=name: run_query(land, name), repeat)
            emit(ours_and(f"cache: second command, query {name}", size, m, "the query on a loaded Landscape", b,
                          note=f"load from the cache + build + query, best of {repeat}"))
    finally:
        if old is None:
            os.environ.pop("CLAIMGRAPH_CACHE", None)
        else:
            os.environ["CLAIMGRAPH_CACHE"] = old
        shutil.rmtree(tmp, ignore_errors=True)


def _pick_entities(land):
    from collections import Counter

    g = land.graph
    deg = sorted(((d, n) for n, d in g.degree if d > 0), reverse=True)
    hub = deg[0][1]
    mid = deg[len(deg) // 2][1]
    other = deg[len(deg) // 2 + 1][1]
    companies = [n for d, n in deg if land.entities[n].kind == "Company"]
    ents = land.entities
    develops = Counter(c.subject for c in land.claims.values()
                       if c.predicate == "DEVELOPS" and c.object is not None and ents[c.object].kind == "Chip")
    roadmap = develops.most_common(1)[0][0] if develops else companies[0]
    return hub, mid, other, companies[0], roadmap


def run_queries(land, size: str, repeat: int) -> None:
    import itertools

    import networkx as nx

    from claimgraph.queries import QUERIES, run_query

    hub, mid, other, company, roadmap = _pick_entities(land)
    g = land.graph
    cases = {
        "claims": [("entity=median", {"entity": mid})],
        "dependencies": [("entity=top company", {"entity": company})],
        "neighbourhood": [("entity=median", {"entity": mid}), ("entity=hub", {"entity": hub})],
        "path": [("median -> median", {"a": mid, "b": other}), ("hub -> median", {"a": hub, "b": mid})],
        "roadmap": [("entity=top chip developer", {"entity": roadmap})],
    }
    und = g.to_undirected(as_view=True)
    baselines = {
        "neighbourhood": ("nx.ego_graph(undirected=True)", lambda p: nx.ego_graph(g, p["entity"], radius=1, undirected=True)),
        "path": ("nx.all_shortest_paths (10)", lambda p: list(itertools.islice(nx.all_shortest_paths(und, p["a"], p["b"]), 10))),
        "influence": ("networkx pagerank (pure Python)", lambda p: _nx_pagerank(g)),
    }
    for name in QUERIES:
        for label, params in cases.get(name, [("", {})]):
            fast = name in ("path", "neighbourhood")
            rows: list = []
            m = best(lambda name=name, params=params, rows=rows: rows.append(run_query(land, name, **params)),
                     repeat if fast else 1)
            base_name, b = "", None
            if name in baselines:
                base_name, fn = baselines[name]
                b = best(lambda fn=fn, params=params: fn(params), repeat if fast else 1)
            deg = f" (degree {g.degree(params['entity'])})" if "entity" in params else ""
            emit(ours_and(f"query {name}" + (f" [{label}]" if label else ""), size, m, base_name, b,
                          note=f"{len(rows[-1])} rows{deg}" + (f", best of {repeat}" if fast else "")))
    # the audit: every honesty rule over every claim (grouped, sorted, swept: no pairwise scan)
    from claimgraph.honesty import audit

    found: list = []
    m = best(lambda: found.append(audit(land)), 1)
    sev = {s: sum(1 for f in found[-1] if f.severity == s) for s in ("critical", "warning", "info")}
    emit(ours_and("audit", size, m, note=f"{len(found[-1])} findings ({', '.join(f'{k} {v}' for k, v in sev.items())})"))


def _nx_pagerank(g):
    """networkx's pagerank: scipy's when installed, else its pure-Python power iteration."""
    import networkx as nx

    try:
        import scipy  # noqa: F401
    except ImportError:
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

        return _pagerank_python(g)
    return nx.pagerank(g)


def w_yaml(a) -> None:
    from claimgraph.io import load_dataset

    folder = Path(a.dir) / "yaml"
    size = size_label(a.size)
    with measured() as m:
        ds = load_dataset([folder])
    n = len(ds.claims)
    del ds
    b = best(lambda: _parse_yaml_plain(folder), 1)
    emit(ours_and("load+validate YAML", size, m, "yaml.load (CSafeLoader)", b, note=f"{n} claims"))


def _connect(a):
    from claimgraph import neo4j as neo4j_io

    return neo4j_io.connect(a.uri, a.user, a.password or None)


def _rust_active() -> bool:
    try:
        from neo4j._codec.packstream import v1

        return v1._rust_pack is not None
    except Exception:  # noqa: BLE001 - private module moved: report "unknown" as off
        return False


def w_neo4j(a) -> None:
    if a.no_rust:
        sys.modules["neo4j._rust"] = None  # the driver falls back to its pure-Python packstream
    from benchmarks import neo4j_push
    from claimgraph import neo4j as neo4j_io

    size = size_label(a.size)
    rust = _rust_active()
    tag = "" if rust else " [no rust ext]"
    land = _land_from_csv(Path(a.dir) / "csv")
    conn = _connect(a)
    try:
        neo4j_push.empty(conn)
        if a.warmup:
            from claimgraph.synth import generate

            neo4j_io.push(generate(entities=200, claims=min(2000, a.size), seed=a.seed + 1), conn)
            neo4j_push.empty(conn)
        with measured() as m:
            first = neo4j_io.push(land, conn)
        with measured() as m2:
            again = neo4j_io.push(land, conn)
        naive_note = ""
        b = None
        if a.naive:
            sample = sorted(land.claims)[: min(a.naive, len(land.claims))]
            with conn.session() as session:  # the sample's claims go; their nodes stay
                session.run("MATCH ()-[r]->() WHERE r.claim_id IN $ids DELETE r", ids=sample).consume()
                session.run("MATCH (v:Value) WHERE v.claim_id IN $ids DETACH DELETE v", ids=sample).consume()
            with measured() as b:
                seconds = neo4j_push.naive(land, conn, sample)
            # extrapolate the naive rate to the whole landscape (flat rate: favours the naive loop)
            rate = len(sample) / seconds
            b.seconds = len(land.claims) / rate
            b.cpu = b.cpu * len(land.claims) / len(sample)
            naive_note = f"; naive: {len(sample)} claims at {rate:,.0f}/s, extrapolated"
        emit(ours_and("neo4j push" + tag, size, m, "one MERGE per claim" if b else "", b,
                      note=f"{first.claims_per_second:,.0f} claims/s, {first.batches} batches{naive_note}",
                      wall_ratio=True))
        emit(ours_and("neo4j push again (update)" + tag, size, m2,
                      note=f"{again.claims_per_second:,.0f} claims/s"))

        def raw_read():
            with conn.session(write=False) as s:
                nodes = list(s.run("MATCH (n) RETURN n"))
                rels = list(s.run("MATCH (a)-[r]->(b) RETURN a.id, r, b.id"))
            return len(nodes) + len(rels)

        with measured() as m3:
            back = neo4j_io.pull(conn)
        b3 = best(raw_read, 1)
        ok = len(back.claims) == len(land.claims)
        emit(ours_and("neo4j pull" + tag, size, m3, "raw driver read of all nodes+rels", b3,
                      note=f"{len(back.claims)} claims back{'' if ok else ' (MISMATCH)'}", wall_ratio=True))
        if a.admin and not a.no_rust:
            _admin_import(land, size, m.seconds)
    finally:
        conn.close()


def _land_from_csv(folder: Path):
    from claimgraph.io import load_dataset
    from claimgraph.landscape import Landscape

    return Landscape.from_dataset(load_dataset([folder]))


def _admin_import(land, size: str, push_seconds: float) -> None:
    """Export the neo4j-admin files and run the real import tool (Neo4j's jars) into a fresh
    home, as tests/test_interchange_neo4j.py does."""
    import neo4j_local

    from claimgraph.api import export

    java = shutil.which("java")
    try:
        lib = neo4j_local.ensure_jars()
    except Exception as exc:  # noqa: BLE001 - reported in the table, not fatal to the suite
        emit(Row("neo4j-admin import", size, None, note=f"not run: {exc}"))
        return
    if not java:
        emit(Row("neo4j-admin import", size, None, note="not run: java is not on PATH"))
        return
    tmp = Path(tempfile.mkdtemp(prefix="claimgraph-bench-admin-"))
    try:
        with measured() as m_exp:
            out = export(tmp / "admin", "neo4j-admin", land)
        bin_dir = tmp / "bin"
        bin_dir.mkdir()
        shim = bin_dir / "neo4j-admin"
        heap = os.environ.get("CLAIMGRAPH_NEO4J_HEAP", "2g")
        shim.write_text(f'#!/bin/sh\nexec "{java}" -Xmx{heap} -cp "{lib}/*" org.neo4j.cli.AdminTool "$@"\n')
        shim.chmod(0o755)
        home = tmp / "home"
        (home / "conf").mkdir(parents=True)
        (home / "conf" / "neo4j.conf").write_text("")
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
               "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
        t0 = time.perf_counter()
        done = subprocess.run(["sh", str(out / "import.sh")], env=env, capture_output=True, text=True, timeout=900)
        seconds = time.perf_counter() - t0
        if done.returncode != 0 or "IMPORT DONE" not in done.stdout + done.stderr:
            emit(Row("neo4j-admin import", size, None, note="failed: " + (done.stdout + done.stderr)[-300:].replace("\n", " ")))
            return
        emit(ours_and("export neo4j-admin files", size, m_exp))
        emit(Row("neo4j-admin import (files -> store)", size, seconds, None, None, None,
                 "claimgraph push (same size)", push_seconds,
                 note="JVM tool, offline, empty database only; memory is the JVM's (not measured)", wall_ratio=True))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def w_html(a) -> None:
    from benchmarks import html as bench_html
    from claimgraph.synth import generate
    from claimgraph.viz import html

    ents = a.size
    claims = ents * 3
    label = f"{size_label(ents)} entities"
    land = generate(entities=ents, claims=claims, seed=a.seed)
    folder = Path(tempfile.mkdtemp(prefix="claimgraph-bench-html-"))
    try:
        with measured() as m:
            html(folder / "ours.html", land, page="full")  # every node: the pyvis comparison
        if ents <= a.pyvis_max:
            gen = bench_html.time_generation(land, folder, repeat=1)
            m.seconds, m.cpu = min(m.seconds, gen["ours"]), min(m.cpu, gen["ours_cpu"])
            emit(ours_and("html", label, m, "pyvis from_nx+write_html (defaults)",
                          Measure(gen["pyvis"], gen["pyvis_cpu"]),
                          note=f"{claims} claims; {gen['ours_mb']:.1f} MB page; pyvis keeps {gen['pyvis_edges']} of "
                               f"{land.graph.number_of_edges()} edges (undirected)"))
            emit(ours_and("html", label, m, "pyvis directed=True", Measure(gen["pyvis_directed"], gen["pyvis_directed_cpu"]),
                          note=f"pyvis keeps {gen['pyvis_directed_edges']} edges"))
        else:
            from pyvis.network import Network

            g = bench_html.pyvis_graph(land)

            def pv():
                net = Network(cdn_resources="in_line", directed=True)
                net.from_nx(g)
                net.write_html(str(folder / "pyvis.html"))

            b = best(pv, 1)
            emit(ours_and("html", label, m, "pyvis directed=True", b,
                          note=f"{claims} claims; pyvis defaults (undirected) skipped: its add_edge scans every edge"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def w_page(a) -> None:
    from benchmarks import html as bench_html
    from claimgraph.synth import generate
    from claimgraph.viz import report

    claims = a.size
    ents = max(claims * 3 // 10, 60)
    land = generate(entities=ents, claims=claims, seed=a.seed)
    busiest = max(land.graph.degree, key=lambda kv: kv[1])[0]
    folder = Path(tempfile.mkdtemp(prefix="claimgraph-bench-page-"))
    try:
        made, opened = {}, {}
        for mode in ("summary", "full"):
            path = folder / f"{mode}.html"
            with measured() as m:
                report(path, land, page=mode)
            made[mode] = (m, path.stat().st_size / 1e6)
            opened[mode] = bench_html.time_browser(path, "ours", busiest, a.page_timeout)
        label = size_label(claims)
        (ms, mb_s), (mf, mb_f) = made["summary"], made["full"]
        emit(ours_and("report: write (summary page)", label, ms, "full page", mf,
                      note=f"{ents} entities; {mb_s:.1f} MB against {mb_f:.1f} MB"))
        o, f = opened["summary"], opened["full"]

        def when(r):
            return "over the cap" if r["timed_out"] else f"drawn {r['drawn_ms'] / 1000:.1f} s + click {r['click_s']:.2f} s"

        emit(Row("report: open in Chromium, drawn + click answered (summary)", label, o["usable_s"], None, None, None,
                 "full page" + (" (capped)" if f["timed_out"] else ""), f["usable_s"], wall_ratio=True,
                 note=f"summary {when(o)}; full {when(f)}; target under 15 s at 100k; errors {o['errors'] + f['errors']}"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def w_startup(a) -> None:
    from benchmarks import startup

    n = a.startup_repeat
    runs = startup.measure(n)
    notes = startup.verdicts(runs)
    base = runs["python -c pass"]
    for name, size in (("claimgraph --help", "-"), ("claimgraph validate", "bundled")):
        c = runs[name]
        emit(Row(f"startup: {name}", size, c.wall, c.cpu, None, None, "python -c pass", base.wall, base.cpu,
                 note=f"{notes[name]}; best of {n} fresh processes, bytecode cached"))
    ours, plain, records = startup.bundled_yaml_readers()
    m, b = best(ours, max(3, n)), best(plain, max(3, n))
    emit(ours_and("startup: read bundled YAML (line/column marks)", "bundled", m, "yaml.load CSafeLoader", b,
                  note=f"{records} records, 3 files, in one warm process; best of {max(3, n)}"))


WORKERS = {"startup": w_startup, "prepare": w_prepare, "csv": w_csv, "yaml": w_yaml, "neo4j": w_neo4j, "html": w_html,
           "page": w_page}


# ------------------------------------------------------------------------------- driver
def _fmt_s(v: float | None) -> str:
    if v is None:
        return "-"
    if v < 0.1:
        return f"{v * 1000:.1f} ms"
    return f"{v:.2f} s"


_s = _fmt_s


def _fmt_mib(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v / 1024:.2f} GiB" if v >= 1024 else f"{v:.0f} MiB"


def table(rows: list[Row]) -> str:
    head = ("stage", "size", "time", "cpu", "peak mem", "baseline", "baseline time", "baseline cpu", "ratio",
            "load", "note")
    body = []
    for r in rows:
        ratio = r.ratio
        body.append((r.stage, r.size, _fmt_s(r.seconds), _fmt_s(r.cpu), _fmt_mib(r.peak), r.baseline or "-",
                     _fmt_s(r.base_seconds), _fmt_s(r.base_cpu),
                     (f"{ratio:.2f}x" + (" (wall)" if r.wall_ratio or not (r.cpu and r.base_cpu) else "")) if ratio else "-",
                     f"{r.load:.1f}", r.note))
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)]
    lines = ["| " + " | ".join(str(h).ljust(w) for h, w in zip(head, widths, strict=True)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(str(c).ljust(w) for c, w in zip(b, widths, strict=True)) + " |" for b in body]
    return "\n".join(lines)


def run_worker(name: str, args: list[str], env: dict | None = None, timeout: float = 3600) -> list[Row]:
    cmd = [sys.executable, "-m", "benchmarks.suite", "--worker", name, *args]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, text=True, env=env, timeout=timeout)
    rows = [Row(**json.loads(line[4:])) for line in done.stdout.splitlines() if line.startswith("ROW ")]
    if done.returncode != 0:
        rows.append(Row(f"{name} worker FAILED", " ".join(args[:2]), None,
                        note=f"exit {done.returncode} after {time.perf_counter() - t0:.0f} s (see stderr)"))
    return rows


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = _status_mem()
    up = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip() if shutil.which("uptime") else ""
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gib": mem, "uptime": up,
            "python": sys.version.split()[0], "rust_ext": _rust_installed()}


def _status_mem() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _rust_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("neo4j._rust") is not None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10k,100k,1m", help="claims per landscape (entities: a tenth)")
    ap.add_argument("--stages", default=",".join(STAGES), help=f"comma-separated, of {', '.join(STAGES)}")
    ap.add_argument("--quick", action="store_true", help="tiny sizes, one repeat: proves the suite runs")
    ap.add_argument("--yaml-sizes", default="10k,100k", help="sizes (of --sizes) also loaded from YAML")
    ap.add_argument("--query-max", default="100k", help="largest size the canned queries run at")
    ap.add_argument("--neo4j-sizes", default="10k,100k", help="sizes (of --sizes) pushed to Neo4j")
    ap.add_argument("--admin-sizes", default="100k", help="sizes also imported with neo4j-admin")
    ap.add_argument("--naive-sample", type=int, default=2000, help="claims the naive MERGE loop writes (first Neo4j size)")
    ap.add_argument("--html-entities", default="1k,5k,20k", help="entity counts for the HTML stage (3 claims each)")
    ap.add_argument("--page-sizes", default="1k,10k,100k", help="claims of the landscapes the page stage reports on")
    ap.add_argument("--page-timeout", type=float, default=400.0, help="cap on opening one page in Chromium, seconds")
    ap.add_argument("--pyvis-max", default="5k", help="largest entity count pyvis defaults (quadratic) run at")
    ap.add_argument("--repeat", type=int, default=3, help="runs of the fast stages (best is kept)")
    ap.add_argument("--startup-repeat", type=int, default=10, help="runs of each start-up command (best is kept)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", default=os.path.join(tempfile.gettempdir(), "claimgraph-bench"),
                    help="cache folder for generated landscapes")
    ap.add_argument("--fresh", action="store_true", help="regenerate the cached landscapes")
    ap.add_argument("--uri", help="use this Neo4j server (ITS DATABASE IS EMPTIED) instead of a local one")
    ap.add_argument("--user", default="neo4j")
    ap.add_argument("--password", default=os.environ.get("NEO4J_PASSWORD", ""))
    ap.add_argument("--json", type=Path, help="also write the rows and the machine here")
    ap.add_argument("--table", type=Path, nargs="+", metavar="JSON",
                    help="print the table of earlier runs (their --json files) instead of running")
    # internal: one stage in a child process
    ap.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    ap.add_argument("--size", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--dir", help=argparse.SUPPRESS)
    ap.add_argument("--yaml", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--no-rust", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--naive", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--admin", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--warmup", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)

    if a.worker:
        if isinstance(a.query_max, str):
            a.query_max = parse_size(a.query_max)
        if isinstance(a.pyvis_max, str):
            a.pyvis_max = parse_size(a.pyvis_max)
        WORKERS[a.worker](a)
        return 0

    if a.table:
        rows = []
        for f in a.table:
            data = json.loads(f.read_text())
            print(f"{f}: {data['machine']}; end: {data.get('end_uptime', '')}")
            rows += [Row(**{k: v for k, v in r.items() if k != "ratio"}) for r in data["rows"]]
        print(table(rows))
        return 0
    if a.quick:
        a.sizes, a.yaml_sizes, a.neo4j_sizes, a.admin_sizes = "300", "300", "300", ""
        a.html_entities, a.query_max, a.repeat, a.naive_sample = "100", "300", 1, 50
        a.page_sizes = "300"
        a.startup_repeat = 2
    sizes = [parse_size(s) for s in a.sizes.split(",") if s.strip()]
    stages = [s.strip() for s in a.stages.split(",") if s.strip()]
    unknown = set(stages) - set(STAGES)
    if unknown:
        ap.error(f"unknown stage {sorted(unknown)[0]!r}: use {', '.join(STAGES)}")
    yaml_sizes = {parse_size(s) for s in a.yaml_sizes.split(",") if s.strip()}
    neo_sizes = [n for n in sizes if n in {parse_size(s) for s in a.neo4j_sizes.split(",") if s.strip()}]
    admin_sizes = {parse_size(s) for s in a.admin_sizes.split(",") if s.strip()}
    query_max = parse_size(a.query_max)
    data_root = Path(a.data)
    info = machine()
    print(f"machine: {info['nproc']} cores, {info['memory_gib']} GiB, {info['cpu']}; python {info['python']}; "
          f"neo4j-rust-ext {'installed' if info['rust_ext'] else 'not installed'}", flush=True)
    print(f"start: {info['uptime']}", flush=True)

    rows: list[Row] = []
    common = ["--seed", str(a.seed), "--repeat", str(a.repeat), "--stages", ",".join(stages), *(["--fresh"] if a.fresh else []),
              "--query-max", str(query_max), "--pyvis-max", str(parse_size(a.pyvis_max))]

    def add(new: list[Row]) -> None:
        rows.extend(new)
        if a.json:  # after every worker: an interrupted run keeps what it measured
            a.json.write_text(json.dumps({"machine": info, "partial": True,
                                          "rows": [asdict(r) | {"ratio": r.ratio} for r in rows]}, indent=1))

    t_suite = time.perf_counter()
    if "startup" in stages:  # first: small, and before the machine is warm with our own workers
        add(run_worker("startup", [*common, "--startup-repeat", str(a.startup_repeat)]))
    need_data = {"load", "build", "queries", "neo4j"} & set(stages)
    # folders fixed once: the generator's files may change while the suite runs
    dirs = {n: data_dir(data_root, n, a.seed) for n in sizes}
    for n in sizes if need_data else []:
        d = dirs[n]
        yaml = "load" in stages and n in yaml_sizes
        add(run_worker("prepare", ["--size", str(n), "--dir", str(d), *common] + (["--yaml"] if yaml else [])))
        if {"load", "build", "queries"} & set(stages):
            add(run_worker("csv", ["--size", str(n), "--dir", str(d), *common]))
        if yaml:
            add(run_worker("yaml", ["--size", str(n), "--dir", str(d), *common]))

    if "neo4j" in stages and neo_sizes:
        add(_neo4j_stage(a, neo_sizes, admin_sizes, dirs, common))

    if "html" in stages:
        for ents in [parse_size(s) for s in a.html_entities.split(",") if s.strip()]:
            add(run_worker("html", ["--size", str(ents), *common]))

    if "page" in stages:
        for n in [parse_size(s) for s in a.page_sizes.split(",") if s.strip()]:
            add(run_worker("page", ["--size", str(n), "--page-timeout", str(a.page_timeout), *common]))

    total = time.perf_counter() - t_suite
    print()
    print(table(rows))
    end_up = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip() if shutil.which("uptime") else ""
    print(f"\nsuite took {total:.0f} s; end: {end_up}")
    print("ratio = baseline / claimgraph (above 1: claimgraph faster), CPU seconds unless marked (wall); "
          "load = 1-minute load average when the row was measured")
    if a.json:
        a.json.write_text(json.dumps({"machine": info, "end_uptime": end_up, "seconds": total,
                                      "rows": [asdict(r) | {"ratio": r.ratio} for r in rows]}, indent=1))
    failed = [r for r in rows if r.stage.endswith("FAILED")]
    return 1 if failed else 0


def _neo4j_stage(a, sizes: list[int], admin_sizes: set[int], dirs: dict[int, Path], common: list[str]) -> list[Row]:
    import neo4j_local

    info = None
    env = dict(os.environ)
    env.setdefault("CLAIMGRAPH_NEO4J_HEAP", "2g")
    uri, user, password = a.uri, a.user, a.password
    rows: list[Row] = []
    if not uri:
        home = tempfile.mkdtemp(prefix="claimgraph-bench-neo4j-")
        old = os.environ.get("CLAIMGRAPH_NEO4J_HEAP")
        os.environ["CLAIMGRAPH_NEO4J_HEAP"] = env["CLAIMGRAPH_NEO4J_HEAP"]
        t0 = time.perf_counter()
        try:
            info = neo4j_local.start(home=home, password="bench", pagecache="512m", die_with_parent=True,
                                    timeout=600)  # a busy shared machine starts the JVM slowly
        except Exception as exc:  # noqa: BLE001 - the rest of the suite still runs
            return [Row("neo4j server FAILED", "-", None, note=f"could not start a local server: {exc}")]
        finally:
            if old is None:
                os.environ.pop("CLAIMGRAPH_NEO4J_HEAP", None)
            else:
                os.environ["CLAIMGRAPH_NEO4J_HEAP"] = old
        rows.append(Row("neo4j local server start", "-", time.perf_counter() - t0,
                        note=f"Neo4j {info.version}, heap {env['CLAIMGRAPH_NEO4J_HEAP']}, page cache 512m"))
        uri, user, password = info.uri, "neo4j", "bench"
    try:
        conn_args = ["--uri", uri, "--user", user, "--password", password or ""]
        for i, n in enumerate(sizes):
            d = dirs[n]
            extra = ["--warmup"] if i == 0 else []
            if i == 0 and a.naive_sample:
                extra += ["--naive", str(a.naive_sample)]
            if n in admin_sizes:
                extra.append("--admin")
            base = ["--size", str(n), "--dir", str(d), *common, *conn_args]
            rows += run_worker("neo4j", base + extra, env=env)
            if _rust_installed():
                rows += run_worker("neo4j", base + ["--no-rust"], env=env)
    finally:
        if info is not None:
            neo4j_local.stop(info)
    return rows


if __name__ == "__main__":
    sys.exit(main())
