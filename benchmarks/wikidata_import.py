"""How fast ``claimgraph import --format wikidata`` is: ``python -m benchmarks.wikidata_import``.

A dump in Wikidata's JSON-lines layout is made from the real sample
``tests/fixtures/import/wikidata-q7747.json``: ``--entities`` copies of its entity, each with its
own QID, labels, alias and statement ids (11 statements each, 9 of them mapped), the objects and
references shared as in Wikidata (many people hold one office). Each size runs in this process:

- ours: ``claimgraph.api.import_file(dump, out, format="wikidata", out_format="csv")``: read,
  flatten, map, check, write;
- baseline ``json.loads``: parsing every line of the dump and nothing else (the floor);
- baseline ``load_dataset``: ``claimgraph.io.load_dataset`` of the folder the import wrote
  (what ``claimgraph validate`` does with it).

Ratio = baseline CPU / ours: the share of the import's time the baseline's work would take.
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "tests" / "fixtures" / "import" / "wikidata-q7747.json"


def make_dump(path: Path, entities: int) -> int:
    """Write ``entities`` copies of the sample entity as the dump's JSON lines; returns the
    number of statements."""
    base = json.loads(SAMPLE.read_text(encoding="utf-8"))["entities"]["Q7747"]
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("[\n")
        for i in range(entities):
            qid = f"Q{900000000 + i}"
            e = copy.deepcopy(base)
            e["id"] = e["title"] = qid
            e["labels"] = {"en": {"language": "en", "value": f"Person {i}"}, "de": {"language": "de", "value": f"Person Nr. {i}"}}
            # an alias of its own: one alias shared by every entity would measure the dataset's
            # name index (each entity compared with all others of that name), not the import
            e["aliases"] = {"en": [{"language": "en", "value": f"P. {i}"}]}
            for prop, sts in e["claims"].items():
                for j, st in enumerate(sts):
                    st["id"] = f"{qid}${prop}-{j}"
                    n += 1
            fh.write(json.dumps(e) + (",\n" if i < entities - 1 else "\n"))
        fh.write("]\n")
    return n


def timed(fn):
    gc.collect()
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - t0, time.process_time() - c0, out


def run(size: int, folder: Path) -> list[dict]:
    from claimgraph import api
    from claimgraph.io import load_dataset

    dump = folder / f"dump-{size}.json"
    statements = make_dump(dump, size)
    out = folder / f"out-{size}"
    wall, cpu, report = timed(lambda: api.import_file(dump, out, format="wikidata", out_format="csv"))
    c = report["counts"]

    def parse():
        for line in dump.read_text(encoding="utf-8").splitlines():
            s = line.strip().rstrip(",")
            if s not in ("[", "]", ""):
                json.loads(s)

    jw, jc, _ = timed(parse)
    lw, lc, ds = timed(lambda: load_dataset(out))
    note = f"{size} entities, {statements} statements -> {c['entities']} entities, {c['claims']} claims, {c['sources']} sources"
    return [{"stage": "import --format wikidata", "size": size, "wall": wall, "cpu": cpu, "baseline": "json.loads of every line",
             "baseline_wall": jw, "baseline_cpu": jc, "ratio": jc / cpu, "note": note},
            {"stage": "import --format wikidata", "size": size, "wall": wall, "cpu": cpu, "baseline": "load_dataset of the output",
             "baseline_wall": lw, "baseline_cpu": lc, "ratio": lc / cpu, "note": f"{len(ds.claims)} claims loaded back"}]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities", default="1000,10000", help="comma-separated sizes (entities in the dump)")
    ap.add_argument("--json", type=Path, help="also write the rows as JSON")
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="claimgraph-wd-bench-") as tmp:
        for size in [int(x) for x in args.entities.split(",") if x]:
            rows += run(size, Path(tmp))
    print("| stage | entities | time | cpu | baseline | baseline time | baseline cpu | ratio | note |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['stage']} | {r['size']} | {r['wall']:.2f} s | {r['cpu']:.2f} s | {r['baseline']} | {r['baseline_wall']:.2f} s "
              f"| {r['baseline_cpu']:.2f} s | {r['ratio']:.2f}x | {r['note']} |")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
