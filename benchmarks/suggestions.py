"""How long "did you mean" takes when every reference is bad: ``python -m benchmarks.suggestions``.

A generated landscape (``--entities``, ``--claims``) is written as YAML, then every entity id in
``entities.yaml`` is renamed (``e000123`` -> ``e000123-renamed``), so every subject, object and
entity qualifier of every claim names an entity that no longer exists and each gets a
suggestion. ``claimgraph validate`` runs on it in a child process; the table gives its wall and
CPU seconds and how many problems it printed.

The suggestions used to be a :func:`difflib.get_close_matches` scan over every id per bad
reference (quadratic); they now come from :class:`claimgraph.suggest.Suggester`.
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def renamed_landscape(folder: Path, entities: int, claims: int, seed: int = 1) -> Path:
    from claimgraph.io import write_dataset
    from claimgraph.synth import generate

    out = folder / f"renamed-{entities}-{claims}"
    write_dataset(generate(entities, claims, seed=seed), out, "yaml")
    ents = out / "entities.yaml"
    text = ents.read_text(encoding="utf-8")
    ents.write_text(re.sub(r"^(- id: )(\S+)$", r"\1\2-renamed", text, flags=re.M), encoding="utf-8")
    return out


def run(folder: Path) -> tuple[float, float, int, int]:
    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-m", "claimgraph", "validate", str(folder)], cwd=REPO,
                          capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - t0, cpu, done.returncode, len(done.stderr.splitlines())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entities", type=int, default=4000)
    ap.add_argument("--claims", default="5000,20000", help="comma-separated claim counts")
    args = ap.parse_args(argv)
    print("| claims | entities | wall s | cpu s | exit | lines printed |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.claims.split(",")):
            folder = renamed_landscape(Path(tmp), args.entities, n)
            wall, cpu, rc, lines = run(folder)
            print(f"| {n} | {args.entities} | {wall:.1f} | {cpu:.1f} | {rc} | {lines} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
