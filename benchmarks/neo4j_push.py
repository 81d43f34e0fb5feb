"""Neo4j push throughput: claimgraph's batched push against a naive loop of one MERGE per claim.

Same run, same server, same constraints and indexes, landscapes from
``claimgraph.synth.generate(entities, claims, seed)``:

1. ours: :func:`claimgraph.neo4j.push` into an empty database (everything: schema
   check, sources, entities, claims, value nodes, rates), then once more (the idempotent update
   of a graph that is already there);
2. naive: each claim is one auto-commit ``MATCH (s) MATCH (o) MERGE (s)-[r:TYPE {claim_id}]->(o)
   SET r = $props`` (value claims also MERGE their value node), with every value a parameter and
   the same indexes. Only a sample of the 10k landscape's claims goes through it (it is slow);
   its nodes are put in by our push first and not timed, which favours the naive loop. Its rate
   is claims of the sample per second, and the ratio compares rates (an extrapolation to the
   full landscape that assumes the naive rate stays flat, which favours it again).

Both are measured after a warm-up (a landscape of another seed pushed twice, updated once, and
300 of its claims through the naive loop). Wall time depends on what else runs on the machine, so
the CPU seconds of the client and of the server are reported too, and rates per CPU-second of
the busier side.

A local server (scripts/neo4j-local) is started in a temporary home and stopped at the end;
``--uri`` uses another server instead, and EMPTIES ITS DATABASE.

Run: ``python benchmarks/neo4j_push.py [--sizes 10000,100000] [--naive-sample 2000]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

# benchmarks/html.py would shadow the standard library's html: keep this folder off sys.path
_here = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _here]
sys.path.insert(0, str(_here.parent))

from claimgraph import neo4j as neo4j_io  # noqa: E402
from claimgraph.neo4j import mapping, ownership  # noqa: E402
from claimgraph.synth import generate  # noqa: E402


def cpu_seconds(pid: int | None) -> float:
    """CPU time (user + system) a process has used so far: this one if pid is None."""
    if pid is None:
        t = os.times()
        return t.user + t.system
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Meter:
    """Wall time and the CPU time of this process and of the server (when it is ours)."""

    def __init__(self, server_pid: int | None):
        self.server_pid = server_pid

    def __enter__(self):
        self.t0, self.c0 = time.perf_counter(), cpu_seconds(None)
        self.s0 = cpu_seconds(self.server_pid) if self.server_pid else None
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.t0
        self.client = cpu_seconds(None) - self.c0
        self.server = cpu_seconds(self.server_pid) - self.s0 if self.server_pid else None

    def text(self, n: int) -> str:
        out = f"{self.wall:.2f}s wall = {n / self.wall:,.0f} claims/s; CPU: client {self.client:.2f}s"
        if self.server is not None:
            out += f", server {self.server:.2f}s ({n / max(self.server, self.client, 1e-9):,.0f} claims per CPU-second of the busier side)"
        return out


def empty(conn) -> None:
    with conn.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def naive(land, conn, claim_ids: list[str]) -> float:
    """One auto-commit MERGE per claim; returns the seconds taken. It writes what the graph
    model stores, the graph's marks included (so that a pull afterwards reads the claims)."""
    vocab = land.vocabulary
    times = mapping.claim_times(land)  # the time properties push writes (holds_from, ...)
    t0 = time.perf_counter()
    with conn.session() as session:
        for cid in claim_ids:
            c = land.claims[cid]
            props = mapping.claim_props(c, vocab, times) | {ownership.REL_MARK: ownership.DEFAULT_GRAPH}
            if c.object is None:
                session.run(
                    f"MATCH (s:Entity {{id: $s}}) MERGE (v:Value {{claim_id: $id}}) SET v = $v "
                    f"MERGE (s)-[r:`{c.predicate}` {{claim_id: $id}}]->(v) SET r = $p",
                    s=c.subject, id=c.id, p=props,
                    v=mapping.value_props(c) | {ownership.NODE_MARK: [ownership.DEFAULT_GRAPH]}).consume()
            else:
                session.run(
                    f"MATCH (s:Entity {{id: $s}}) MATCH (o:Entity {{id: $o}}) "
                    f"MERGE (s)-[r:`{c.predicate}` {{claim_id: $id}}]->(o) SET r = $p",
                    s=c.subject, o=c.object, id=c.id, p=props).consume()
    return time.perf_counter() - t0


def bare_rows(land) -> list[tuple[str, list]]:
    """The statements and rows push writes into an empty database, built ahead (not timed):
    ``[(query, rows), ...]`` in push's order (sources, entities by kind, claims by predicate,
    rates), rows made by the same mapping functions, each claim predicate's rows sorted by their
    ends as push sorts them."""
    from collections import defaultdict

    from claimgraph.neo4j import pushing

    vocab = land.vocabulary
    kinds, types = mapping._check_names(land)
    out: list[tuple[str, list]] = [(pushing.Q_SOURCES, [mapping.filled(mapping.source_props(s), mapping.SOURCE_KEYS)
                                                      for s in land.sources.values()])]
    all_kinds = {k: mapping._label(k, vocab.kinds, "kind") for k in vocab.kinds}
    by_kind: dict[str, list] = defaultdict(list)
    for e in land.entities.values():
        by_kind[e.kind].append(mapping.filled(mapping.entity_props(e), mapping.ENTITY_KEYS))
    for kind, rows in by_kind.items():
        others = [lab for k, lab in all_kinds.items() if k != kind]
        remove = (" REMOVE n:" + ":".join(others)) if others else ""
        out.append((pushing._fmt(pushing.Q_ENTITIES, label=kinds[kind], remove=remove), rows))
    times = mapping.claim_times(land)
    by_pred: dict[tuple[str, bool], list] = defaultdict(list)
    for c in sorted(land.claims.values(), key=lambda c: (c.subject, c.object or "")):
        by_pred[(c.predicate, c.object is None)].append(c)
    for (pred, is_value), claims in by_pred.items():
        rows = []
        for c in claims:
            fixed, quals = mapping._claim_fields(c, vocab, times)
            end = mapping.filled(mapping.value_props(c), mapping.VALUE_KEYS) if is_value else c.object
            rows.append([c.subject, end, *fixed, quals])
        q = pushing.Q_CREATE_VALUE if is_value else pushing.Q_CREATE_REL
        out.append((pushing._fmt(q, type=types[pred]), rows))
    out.append((pushing.Q_RATES, [mapping.filled(r, mapping.RATE_KEYS) for r in mapping.rate_rows(land.rates)]))
    return out


def bare(conn, statements: list[tuple[str, list]], batch_size: int = neo4j_io.connection.DEFAULT_BATCH_SIZE,
         graph: str = ownership.DEFAULT_GRAPH) -> int:
    """Send ``statements`` (from :func:`bare_rows`) as they are: each batch of ``batch_size``
    rows one managed write transaction in one session, one after the other; no schema check,
    no lock, no reading back, no graph record. Returns the rows written."""
    def write(tx, query, rows):
        return tx.run(query, rows=rows, graph=graph).single()["n"]

    n = 0
    with conn.session(write=True, quiet=True) as session:
        for query, rows in statements:
            for i in range(0, len(rows), batch_size):
                n += session.execute_write(write, query, rows[i:i + batch_size])
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000", help="claims per landscape (entities: a tenth)")
    ap.add_argument("--naive-sample", type=int, default=2000, help="claims the naive loop writes (of the first size)")
    ap.add_argument("--batch-size", type=int, default=neo4j_io.connection.DEFAULT_BATCH_SIZE)
    ap.add_argument("--writers", type=int, default=neo4j_io.connection.DEFAULT_WRITERS,
                    help="claim batches written at the same time (push's writers=)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--uri", default=None, help="use this server instead of a local one (its database is emptied!)")
    ap.add_argument("--password", default=os.environ.get("NEO4J_PASSWORD"), help="for --uri (default $NEO4J_PASSWORD)")
    ap.add_argument("--server-pid", type=int, default=None,
                    help="with --uri: the server's process id on this machine, to report its CPU time")
    ap.add_argument("--pagecache", default="512m", help="page cache of the local server")
    args = ap.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    info = None
    if args.uri:
        conn = neo4j_io.connect(args.uri, password=args.password)
    else:
        import neo4j_local

        home = tempfile.mkdtemp(prefix="claimgraph-bench-neo4j-")
        t0 = time.perf_counter()
        info = neo4j_local.start(home=home, password="bench", pagecache=args.pagecache, die_with_parent=True)
        print(f"local Neo4j {info.version} started in {time.perf_counter() - t0:.1f}s at {info.uri} "
              f"(heap {os.environ.get('CLAIMGRAPH_NEO4J_HEAP', neo4j_local.DEFAULT_HEAP)}, page cache {args.pagecache})")
        conn = neo4j_io.connect(info.uri, "neo4j", "bench")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start; "
          f"batch size {args.batch_size}, {args.writers} writer(s)")
    try:
        # warm-up, not timed: a fresh JVM spends most of its first pushes compiling (JIT) and
        # planning; push a landscape of another seed into the empty database twice, then update it
        warm = generate(entities=1000, claims=10000, seed=args.seed + 1)
        for _ in range(2):
            empty(conn)
            neo4j_io.push(warm, conn, batch_size=args.batch_size, writers=args.writers)
        neo4j_io.push(warm, conn, batch_size=args.batch_size, writers=args.writers)
        naive(warm, conn, sorted(warm.claims)[:300])

        rows = []
        naive_rate = naive_cpu_rate = None
        pid = info.pid if info is not None else args.server_pid
        for i, n in enumerate(sizes):
            t0 = time.perf_counter()
            land = generate(entities=max(n // 10, 60), claims=n, seed=args.seed)
            gen = time.perf_counter() - t0
            empty(conn)
            with Meter(pid) as m1:
                first = neo4j_io.push(land, conn, batch_size=args.batch_size, writers=args.writers)
            with Meter(pid) as m2:
                neo4j_io.push(land, conn, batch_size=args.batch_size, writers=args.writers)
            print(f"{n:>7} claims (generated in {gen:.1f}s, {first.batches} batches, load {os.getloadavg()[0]:.1f})")
            print(f"        push:   {m1.text(n)}")
            print(f"        again:  {m2.text(n)}")
            if i == 0 and args.naive_sample:
                sample = sorted(land.claims)[: args.naive_sample]
                with conn.session() as session:  # the sample's claims go; its nodes stay
                    session.run("MATCH ()-[r]->() WHERE r.claim_id IN $ids DELETE r", ids=sample).consume()
                    session.run("MATCH (v:Value) WHERE v.claim_id IN $ids DETACH DELETE v", ids=sample).consume()
                with Meter(pid) as mn:
                    naive(land, conn, sample)
                naive_rate = len(sample) / mn.wall
                if mn.server is not None:
                    naive_cpu_rate = len(sample) / max(mn.server, mn.client, 1e-9)
                print(f"        naive:  {len(sample)} of them, one MERGE per claim (nodes already there): {mn.text(len(sample))}")
            rows.append((n, m1, m2))

        print()
        print(f"{'claims':>8} {'push s':>8} {'claims/s':>10} {'update s':>9} {'vs naive':>9} {'per CPU-s':>10} {'vs naive':>9}")
        for n, m1, m2 in rows:
            rate = n / m1.wall
            ratio = f"{rate / naive_rate:,.0f}x" if naive_rate else "-"
            cpu_rate = n / max(m1.server, m1.client) if m1.server is not None else None
            cpu_ratio = f"{cpu_rate / naive_cpu_rate:,.0f}x" if cpu_rate and naive_cpu_rate else "-"
            print(f"{n:>8} {m1.wall:>8.2f} {rate:>10,.0f} {m2.wall:>9.2f} {ratio:>9} "
                  f"{(f'{cpu_rate:,.0f}' if cpu_rate else '-'):>10} {cpu_ratio:>9}")
        if naive_rate:
            print(f"naive loop: {naive_rate:,.0f} claims/s wall"
                  + (f", {naive_cpu_rate:,.0f} claims per CPU-second of the busier side" if naive_cpu_rate else "")
                  + f" (sample of {args.naive_sample} claims; the ratios extrapolate it as flat)")
        print("per CPU-s: claims per CPU-second of the busier of client and server, a measure that other "
              "processes on the machine disturb less than wall time")
        print(f"load average at end: {os.getloadavg()[0]:.1f}")
    finally:
        conn.close()
        if info is not None:
            import neo4j_local

            neo4j_local.stop(info)
    return 0


if __name__ == "__main__":
    sys.exit(main())
