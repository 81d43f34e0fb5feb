"""Neo4j push throughput: claimgraph's batched push against a naive loop of one MERGE per claim.

Same run, same server, same constraints and indexes, landscapes from
``claimgraph.generate.generate(entities, claims, seed)``:

1. ours: :func:`claimgraph.loaders.neo4j_io.push` into an empty database (everything: schema
   check, sources, entities, claims, value nodes, rates), then once more (the idempotent update
   of a graph that is already there);
2. naive: each claim is one auto-commit ``MATCH (s) MATCH (o) MERGE (s)-[r:TYPE {claim_id}]->(o)
   SET r = $props`` (value claims also MERGE their value node), with every value a parameter and
   the same indexes. Only a sample of the 10k landscape's claims goes through it (it is slow);
   its nodes are put in by our push first and not timed, which favours the naive loop. Its rate
   is claims of the sample per second, and the ratio compares rates (an extrapolation to the
   full landscape that assumes the naive rate stays flat, which favours it again).

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

from claimgraph.generate import generate  # noqa: E402
from claimgraph.loaders import neo4j_io  # noqa: E402


def empty(conn) -> None:
    with conn.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def naive(land, conn, claim_ids: list[str]) -> float:
    """One auto-commit MERGE per claim; returns the seconds taken."""
    vocab = land.vocabulary
    t0 = time.perf_counter()
    with conn.session() as session:
        for cid in claim_ids:
            c = land.claims[cid]
            props = neo4j_io.claim_props(c, vocab)
            if c.object is None:
                session.run(
                    f"MATCH (s:Entity {{id: $s}}) MERGE (v:Value {{claim_id: $id}}) SET v = $v "
                    f"MERGE (s)-[r:`{c.predicate}` {{claim_id: $id}}]->(v) SET r = $p",
                    s=c.subject, id=c.id, v=neo4j_io.value_props(c), p=props).consume()
            else:
                session.run(
                    f"MATCH (s:Entity {{id: $s}}) MATCH (o:Entity {{id: $o}}) "
                    f"MERGE (s)-[r:`{c.predicate}` {{claim_id: $id}}]->(o) SET r = $p",
                    s=c.subject, o=c.object, id=c.id, p=props).consume()
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000", help="claims per landscape (entities: a tenth)")
    ap.add_argument("--naive-sample", type=int, default=2000, help="claims the naive loop writes (of the first size)")
    ap.add_argument("--batch-size", type=int, default=neo4j_io.DEFAULT_BATCH_SIZE)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--uri", default=None, help="use this server instead of a local one (its database is emptied!)")
    ap.add_argument("--pagecache", default="512m", help="page cache of the local server")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    info = None
    if args.uri:
        conn = neo4j_io.connect(args.uri)
    else:
        from claimgraph import neo4j_local

        home = tempfile.mkdtemp(prefix="claimgraph-bench-neo4j-")
        t0 = time.perf_counter()
        info = neo4j_local.start(home=home, password="bench", pagecache=args.pagecache, die_with_parent=True)
        print(f"local Neo4j {info.version} started in {time.perf_counter() - t0:.1f}s at {info.uri} "
              f"(heap {os.environ.get('CLAIMGRAPH_NEO4J_HEAP', neo4j_local.DEFAULT_HEAP)}, page cache {args.pagecache})")
        conn = neo4j_io.connect(info.uri, "neo4j", "bench")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    try:
        # warm-up (JIT, query plans), not timed
        empty(conn)
        neo4j_io.push(generate(entities=200, claims=2000, seed=args.seed + 1), conn, batch_size=args.batch_size)

        rows = []
        naive_rate = None
        for i, n in enumerate(sizes):
            t0 = time.perf_counter()
            land = generate(entities=max(n // 10, 60), claims=n, seed=args.seed)
            gen = time.perf_counter() - t0
            empty(conn)
            first = neo4j_io.push(land, conn, batch_size=args.batch_size)
            again = neo4j_io.push(land, conn, batch_size=args.batch_size)
            print(f"{n:>7} claims (generated in {gen:.1f}s): push {first.seconds:.2f}s "
                  f"= {first.claims_per_second:,.0f} claims/s; again (update) {again.seconds:.2f}s "
                  f"= {again.claims_per_second:,.0f} claims/s; {first.batches} batches")
            if i == 0 and args.naive_sample:
                sample = sorted(land.claims)[: args.naive_sample]
                with conn.session() as session:  # the sample's claims go; its nodes stay
                    session.run("MATCH ()-[r]->() WHERE r.claim_id IN $ids DELETE r", ids=sample).consume()
                    session.run("MATCH (v:Value) WHERE v.claim_id IN $ids DETACH DELETE v", ids=sample).consume()
                seconds = naive(land, conn, sample)
                naive_rate = len(sample) / seconds
                print(f"        naive: {len(sample)} of them one MERGE per claim in {seconds:.2f}s "
                      f"= {naive_rate:,.0f} claims/s (nodes already there)")
            rows.append((n, first, again))

        print()
        print(f"{'claims':>8} {'push s':>8} {'claims/s':>10} {'update s':>9} {'vs naive':>9}")
        for n, first, again in rows:
            ratio = f"{first.claims_per_second / naive_rate:,.0f}x" if naive_rate else "-"
            print(f"{n:>8} {first.seconds:>8.2f} {first.claims_per_second:>10,.0f} {again.seconds:>9.2f} {ratio:>9}")
        if naive_rate:
            print(f"naive loop: {naive_rate:,.0f} claims/s (sample of {args.naive_sample} claims; "
                  "ratios extrapolate it as flat)")
        print(f"load average at end: {os.getloadavg()[0]:.1f}")
    finally:
        conn.close()
        if info is not None:
            from claimgraph import neo4j_local

            neo4j_local.stop(info)
    return 0


if __name__ == "__main__":
    sys.exit(main())
