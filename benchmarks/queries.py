"""Time every embedded canned query, and the audit, on a generated landscape (default 100k claims).

    python -m benchmarks.queries [--claims 100000] [--entities 10000] [--seed 7] [--repeat 2]

Prints CPU and wall seconds per query (best of --repeat) and the ratio of the CPU time to a
baseline measured in the same process: one pass over every claim (``sum(c.status.rank ...)``),
i.e. how many full passes over the claims each query costs. Targets: under 5 s of CPU per query,
path and neighbourhood under 100 ms. CPU time is the figure to compare on a shared machine: wall
time also counts the time other processes hold the cores.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

# run as a script, this folder would shadow standard modules (benchmarks/html.py)
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from claimgraph.queries import QUERIES, run_query  # noqa: E402
from claimgraph.synth import generate  # noqa: E402


def best(fn, repeat: int) -> tuple[float, float, object]:
    """(best CPU seconds, best wall seconds, the last result) over ``repeat`` runs."""
    out, cpu_best, wall_best = None, float("inf"), float("inf")
    for _ in range(repeat):
        t, w = time.process_time(), time.perf_counter()
        out = fn()
        cpu_best = min(cpu_best, time.process_time() - t)
        wall_best = min(wall_best, time.perf_counter() - w)
    return cpu_best, wall_best, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--entities", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()

    t = time.perf_counter()
    land = generate(entities=args.entities, claims=args.claims, seed=args.seed)
    print(f"generated {land} in {time.perf_counter() - t:.1f}s")
    base, _, _ = best(lambda: sum(c.status.rank for c in land.claims.values()), 5)
    print(f"baseline (one pass over {len(land.claims)} claims): {base * 1000:.1f} ms CPU")

    deg = Counter(e for c in land.claims.values() if c.object for e in (c.subject, c.object))
    hub = deg.most_common(1)[0][0]
    tail = min(deg, key=lambda e: (deg[e], e))
    mid = sorted(deg, key=lambda e: (deg[e], e))[len(deg) // 2]
    dev = Counter(c.subject for c in land.claims.values() if c.predicate == "DEVELOPS").most_common(1)[0][0]
    params = {
        "dependencies": {"entity": dev, "depth": 3},
        "roadmap": {"entity": dev},
        "path": {"a": tail, "b": mid},
        "neighbourhood": {"entity": mid, "depth": 1},
        "claims": {"entity": hub},
    }
    print(f"{'query':16} {'params':44} {'rows':>7} {'cpu s':>9} {'wall s':>9} {'x baseline':>11}")
    for name in QUERIES:
        kw = params.get(name, {})
        secs, wall, rows = best(lambda name=name, kw=kw: run_query(land, name, **kw), args.repeat)
        print(f"{name:16} {str(kw):44} {len(rows):>7} {secs:>9.3f} {wall:>9.3f} {secs / base:>11.1f}")
    secs, wall, rows = best(lambda: run_query(land, "neighbourhood", entity=hub), args.repeat)
    print(f"{'neighbourhood':16} {'hub ' + hub:44} {len(rows):>7} {secs:>9.3f} {wall:>9.3f} {secs / base:>11.1f}")
    from claimgraph.honesty import audit  # the honesty lint: every rule over every claim

    secs, wall, found = best(lambda: audit(land), args.repeat)
    print(f"{'audit':16} {'(all codes)':44} {len(found):>7} {secs:>9.3f} {wall:>9.3f} {secs / base:>11.1f}")
    secs, _, _ = best(lambda: land.restrict(min_status="claimed"), 1)
    print(f"(--min-status view of the landscape: {secs:.2f}s, paid once before any query)")


if __name__ == "__main__":
    main()
