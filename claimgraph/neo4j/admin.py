"""neo4j-admin import files: header and data CSVs plus an ``import.sh`` for a first bulk load."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..io import csv_io
from ..model import Entity

# -- neo4j-admin ----------------------------------------------------------------------------------------
NEO4J_FILES = frozenset({
    "entities.header.csv", "entities.csv", "sources.header.csv", "sources.csv",
    "values.header.csv", "values.csv", "rates.header.csv", "rates.csv",
    "claims.header.csv", "claims.csv", "value_claims.header.csv", "value_claims.csv",
    "import.sh", "README.txt",
})
_ARRAY_DELIMS = [";", "|", "\u00a6", "\u001f"]


def _neo4j_type(name: str, values: list[Any]) -> str:
    vs = [v for v in values if v is not None]
    if not vs:
        return ""
    if all(isinstance(v, list) for v in vs):
        return "string[]"
    if all(isinstance(v, bool) for v in vs):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in vs):
        return "long"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in vs):
        return "double"
    if all(hasattr(v, "isoformat") and not isinstance(v, str) for v in vs):
        return "date"
    return "string"


def _neo4j_cell(v: Any, typ: str, delim: str) -> str:
    if v is None:
        return ""
    if typ == "string[]":
        return delim.join(str(x) for x in v)
    if typ == "boolean":
        return "true" if v else "false"
    if typ == "date":
        return v.isoformat()
    if typ == "double":
        return repr(float(v))
    return str(v)


def _neo4j_table(folder: Path, name: str, rows: list[dict], fixed: list[tuple[str, str]], delim: str) -> None:
    """Write ``<name>.header.csv`` and ``<name>.csv``: the fixed columns (header text, row key),
    then one typed column per property found in the rows."""
    fixed_keys = {k for _, k in fixed}
    props: dict[str, list[Any]] = {}
    for r in rows:
        for k, v in r.items():
            if k not in fixed_keys:
                props.setdefault(k, []).append(v)
    columns = [(h, k, "") for h, k in fixed]
    for k in sorted(props):
        typ = _neo4j_type(k, props[k])
        columns.append((f"{k}:{typ}" if typ and typ != "string" else k, k, typ or "string"))
    with open(folder / f"{name}.header.csv", "w", encoding="utf-8", newline="") as fh:
        csv_io.Writer(fh).writerow([h for h, _, _ in columns])
    with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv_io.Writer(fh)  # quotes bare CRs: --multiline-fields reads them back
        for r in rows:
            w.writerow([_neo4j_cell(r.get(k), typ, delim) if typ else ("" if r.get(k) is None else str(r.get(k)))
                        for _, k, typ in columns])


def _array_delimiter(landscape) -> str:
    """';' (neo4j-admin's default) unless some list item holds one; then a rarer character."""
    def items() -> Iterator[str]:
        for e in landscape.entities.values():
            yield from e.aliases
        for c in landscape.claims.values():
            yield from c.asserted_by
            yield from c.source_ids

    texts = list(items())
    for d in _ARRAY_DELIMS:
        if not any(d in t for t in texts):
            return d
    from ..errors import ClaimgraphError

    raise ClaimgraphError("every array delimiter neo4j-admin could use appears in the aliases: export to Neo4j with 'claimgraph neo4j push' instead")


def _delim_arg(d: str) -> str:
    return d if d in (";", "|") else f"U+{ord(d):04X}"


def neo4j_admin_command(folder: str | Path = "DIR", database: str = "neo4j", array_delimiter: str = ";",
                        with_rates: bool = True, with_values: bool = True) -> str:
    """The ``neo4j-admin database import full`` command for a folder this module wrote."""
    d = str(folder).rstrip("/")
    parts = [
        "neo4j-admin database import full",
        f'--nodes="{d}/entities.header.csv,{d}/entities.csv"',
        f'--nodes=Source="{d}/sources.header.csv,{d}/sources.csv"',
    ]
    if with_values:
        parts.append(f'--nodes=Value="{d}/values.header.csv,{d}/values.csv"')
    if with_rates:
        parts.append(f'--nodes=Rate="{d}/rates.header.csv,{d}/rates.csv"')
    parts.append(f'--relationships="{d}/claims.header.csv,{d}/claims.csv"')
    if with_values:
        parts.append(f'--relationships="{d}/value_claims.header.csv,{d}/value_claims.csv"')
    parts += [f'--array-delimiter="{_delim_arg(array_delimiter)}"', "--multiline-fields=true",
              "--overwrite-destination=true", database]
    return " \\\n  ".join(parts)


def write_neo4j_admin(landscape, path: str | Path) -> None:
    """A folder of neo4j-admin import files (header file + data file per node or relationship
    set, properties typed in the header, as in ``docs/neo4j-model.md``), and ``import.sh`` with
    the exact ``neo4j-admin database import full`` command."""
    from ..fileio import atomic_folder
    from .mapping import (
        claim_props,
        claim_times,
        entity_props,
        rate_rows,
        source_props,
        value_props,
    )
    from .ownership import DEFAULT_GRAPH, NODE_MARK, REL_MARK

    # what the import loads belongs to the graph "default", as a push's does
    mark, rel_mark = {NODE_MARK: [DEFAULT_GRAPH]}, {REL_MARK: DEFAULT_GRAPH}

    vocab = landscape.vocabulary
    delim = _array_delimiter(landscape)
    # labels and types only from the vocabulary (neo4j_io checks the same names)
    for k in {e.kind for e in landscape.entities.values()}:
        if k not in vocab.kinds or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", k):
            from ..errors import ClaimgraphError

            raise ClaimgraphError(f"kind {k!r} cannot become a Neo4j label")
    with atomic_folder(path, NEO4J_FILES) as tmp:
        # neo4j-admin splits :LABEL on the array delimiter too
        ents = [entity_props(e, typed=False) | mark | {":LABEL": f"Entity{delim}{e.kind}"}
                for e in sorted(landscape.entities.values(), key=_by_id)]
        _neo4j_table(tmp, "entities", ents, [("id:ID(Entity)", "id"), (":LABEL", ":LABEL")], delim)
        srcs = [source_props(s) | mark for s in sorted(landscape.sources.values(), key=_by_id)]
        _neo4j_table(tmp, "sources", srcs, [("id:ID(Source)", "id")], delim)
        rates = [r | mark for r in rate_rows(landscape.rates)]
        _neo4j_table(tmp, "rates", rates, [("key:ID(Rate)", "key")], delim)
        rels, vrels, values = [], [], []
        times = claim_times(landscape)
        for c in sorted(landscape.claims.values(), key=_by_id):
            p = claim_props(c, vocab, times) | rel_mark | {":START_ID(Entity)": c.subject, ":TYPE": c.predicate}
            if c.object is not None:
                rels.append(p | {":END_ID(Entity)": c.object})
            else:
                vrels.append(p | {":END_ID(Value)": c.id})
                values.append(value_props(c) | mark)
        start = [(":START_ID(Entity)", ":START_ID(Entity)")]
        _neo4j_table(tmp, "claims", rels, start + [(":END_ID(Entity)", ":END_ID(Entity)"), (":TYPE", ":TYPE")], delim)
        _neo4j_table(tmp, "values", values, [("claim_id:ID(Value)", "claim_id")], delim)
        _neo4j_table(tmp, "value_claims", vrels, start + [(":END_ID(Value)", ":END_ID(Value)"), (":TYPE", ":TYPE")], delim)
        cmd = neo4j_admin_command("$(dirname \"$0\")", array_delimiter=delim)
        (tmp / "import.sh").write_text(
            "#!/bin/sh\n# Load these files into an empty Neo4j database (stop the database first).\n"
            "# Usage: sh import.sh   (neo4j-admin on PATH; NEO4J_HOME set as for neo4j-admin)\n"
            f"exec {cmd}\n", encoding="utf-8")


def _by_id(x: Entity) -> str:
    return x.id

