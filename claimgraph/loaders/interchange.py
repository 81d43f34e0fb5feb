"""Exports for other tools: GraphML and GEXF (Gephi, yEd, networkx), node-link JSON (d3,
networkx), the spreadsheet CSV folder, and neo4j-admin import files.

Every export is registered in :data:`claimgraph.loaders.export.EXPORTERS` and written
atomically (a file, or a folder that appears whole). Layouts: ``docs/interchange.md``.

In the graph formats, entities are nodes and each claim with an object is an edge keyed by its
claim id; a claim with a value instead of an object (a chip's volume date, a cadence) points at
a node of kind ``Value`` whose id is ``value:<claim id>``, as in the Neo4j model. Attributes
are typed (``status_rank`` is an integer, ``weight`` and quantity numbers are doubles,
``symmetric`` is a boolean), so ``nx.read_graphml`` / ``nx.read_gexf`` give numbers back.

>>> import tempfile, pathlib, networkx as nx
>>> from claimgraph.generate import generate
>>> from claimgraph.loaders.export import export
>>> land = generate(30, 60, seed=1)
>>> p = export(land, "graphml", pathlib.Path(tempfile.mkdtemp()) / "g.graphml")
>>> g = nx.read_graphml(p)
>>> g.number_of_edges() == len(land.claims)
True
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ..model import Entity, PartialDate, Quantity
from . import csv_io
from .export import Exporter, register

__all__ = ["graph_rows", "write_graphml", "write_gexf", "write_nodelink", "write_csv_folder",
           "write_neo4j_admin", "neo4j_admin_command"]

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(v: Any) -> str:
    return escape(_XML_BAD.sub("\ufffd", str(v)))


def _xml_attr(v: Any) -> str:
    return quoteattr(_XML_BAD.sub("\ufffd", str(v)))


# -- the flat graph both XML formats write --------------------------------------------------------
# (name, type) of every attribute; types: string, int, double, boolean
NODE_ATTRS: list[tuple[str, str]] = [
    ("label", "string"), ("kind", "string"), ("type", "string"), ("aliases", "string"),
    ("notes", "string"), ("value_text", "string"), ("value_num", "double"), ("value_unit", "string"),
    ("value_date_start", "string"), ("value_date_end", "string"),
]
EDGE_ATTRS: list[tuple[str, str]] = [
    ("label", "string"), ("claim_id", "string"), ("predicate", "string"), ("stance", "string"),
    ("symmetric", "boolean"), ("status", "string"), ("status_rank", "int"), ("weight", "double"),
    ("sources", "string"), ("supporting_sources", "string"), ("contradicting_sources", "string"),
    ("n_sources", "int"), ("asserted_by", "string"), ("stated_on", "string"),
    ("valid_from", "string"), ("valid_until", "string"), ("value", "string"), ("notes", "string"),
]


def _attr_type(values: list[Any]) -> str:
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int" if all(-(2**31) <= v < 2**31 for v in values) else "long"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "double"
    return "string"


def _fmt(v: Any, typ: str) -> str:
    if typ == "boolean":
        return "true" if v else "false"
    if typ == "double":
        return repr(float(v))
    if typ in ("int", "long"):
        return str(int(v))
    return str(v)


def graph_rows(landscape) -> tuple[list[tuple[str, str]], list[tuple[str, str]],
                                   list[tuple[str, dict]], list[tuple[str, str, str, dict]]]:
    """The landscape as flat typed rows: ``(node_attrs, edge_attrs, nodes, edges)``.

    ``node_attrs``/``edge_attrs`` are ``(name, type)`` lists (types ``string``, ``int``,
    ``long``, ``double``, ``boolean``); ``nodes`` are ``(id, {attr: value})``; ``edges`` are
    ``(claim_id, source, target, {attr: value})``. Missing values are absent keys.
    """
    vocab = landscape.vocabulary
    entity_attr_values: dict[str, list[Any]] = {}
    for e in landscape.entities.values():
        for k, v in e.attributes.items():
            entity_attr_values.setdefault(k, []).append(v)
    attr_types = {k: _attr_type(vs) for k, vs in sorted(entity_attr_values.items())}
    node_attrs = NODE_ATTRS + [(f"attr_{k}", t) for k, t in attr_types.items()]

    nodes: list[tuple[str, dict]] = []
    for e in sorted(landscape.entities.values(), key=lambda e: e.id):
        d: dict[str, Any] = {"label": e.name, "kind": e.kind, "type": "entity"}
        if e.aliases:
            d["aliases"] = "; ".join(e.aliases)
        if e.notes:
            d["notes"] = e.notes
        for k, v in e.attributes.items():
            t = attr_types[k]
            d[f"attr_{k}"] = v if t != "string" else (("true" if v else "false") if isinstance(v, bool) else str(v))
        nodes.append((e.id, d))

    qual_quantity = sorted({k for c in landscape.claims.values() for k, v in c.qualifiers.items() if isinstance(v, Quantity)})
    qual_names = sorted({k for c in landscape.claims.values() for k in c.qualifiers})
    edge_attrs = list(EDGE_ATTRS) + [(f"q_{q}", "string") for q in qual_names] + [(f"q_{q}_num", "double") for q in qual_quantity]
    edges: list[tuple[str, str, str, dict]] = []
    for c in sorted(landscape.claims.values(), key=lambda c: c.id):
        pred = vocab.predicates[c.predicate]
        supp, contra = c.supporting_sources, c.contradicting_sources
        d = {
            "label": c.predicate, "claim_id": c.id, "predicate": c.predicate, "stance": pred.stance,
            "symmetric": pred.symmetric, "status": c.status.value, "status_rank": c.status.rank,
            "weight": float(max(1, len(supp))), "sources": "; ".join(c.source_ids),
            "n_sources": len(c.source_ids),
        }
        if supp:
            d["supporting_sources"] = "; ".join(supp)
        if contra:
            d["contradicting_sources"] = "; ".join(contra)
        if c.asserted_by:
            d["asserted_by"] = "; ".join(c.asserted_by)
        for f in ("stated_on", "valid_from", "valid_until"):
            v = getattr(c, f)
            if v is not None:
                d[f] = str(v)
        if c.notes:
            d["notes"] = c.notes
        for k, v in c.qualifiers.items():
            d[f"q_{k}"] = str(v)
            if isinstance(v, Quantity) and v.point is not None and math.isfinite(v.point):
                d[f"q_{k}_num"] = float(v.point)
        target = c.object
        if target is None:
            target = f"value:{c.id}"
            d["value"] = str(c.value)
            vd: dict[str, Any] = {"label": str(c.value), "kind": "Value", "type": "value", "value_text": str(c.value)}
            if isinstance(c.value, Quantity):
                vd["value_num"] = float(c.value.point)
                vd["value_unit"] = c.value.unit
            elif isinstance(c.value, PartialDate):
                vd["value_date_start"] = c.value.start().isoformat()
                vd["value_date_end"] = c.value.end().isoformat()
            nodes.append((target, vd))
        edges.append((c.id, c.subject, target, d))
    return node_attrs, edge_attrs, nodes, edges


# -- GraphML ----------------------------------------------------------------------------------------
_GRAPHML_TYPES = {"string": "string", "int": "int", "long": "long", "double": "double", "boolean": "boolean"}


def write_graphml(landscape, fh) -> None:
    """GraphML 1.0 with typed keys (``attr.type``); parallel claims are parallel edges."""
    node_attrs, edge_attrs, nodes, edges = graph_rows(landscape)
    w = fh.write
    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
      'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
      'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    nkeys = {name: (f"n{i}", typ) for i, (name, typ) in enumerate(node_attrs)}
    ekeys = {name: (f"e{i}", typ) for i, (name, typ) in enumerate(edge_attrs)}
    for where, keys in (("node", nkeys), ("edge", ekeys)):
        for name, (kid, typ) in keys.items():
            w(f'  <key id="{kid}" for="{where}" attr.name={_xml_attr(name)} attr.type="{_GRAPHML_TYPES[typ]}"/>\n')
    w('  <graph id="claimgraph" edgedefault="directed">\n')
    for nid, d in nodes:
        w(f"    <node id={_xml_attr(nid)}>")
        for name, v in d.items():
            kid, typ = nkeys[name]
            w(f'<data key="{kid}">{_xml_text(_fmt(v, typ))}</data>')
        w("</node>\n")
    for eid, s, t, d in edges:
        w(f"    <edge id={_xml_attr(eid)} source={_xml_attr(s)} target={_xml_attr(t)}>")
        for name, v in d.items():
            kid, typ = ekeys[name]
            w(f'<data key="{kid}">{_xml_text(_fmt(v, typ))}</data>')
        w("</edge>\n")
    w("  </graph>\n</graphml>\n")


# -- GEXF -------------------------------------------------------------------------------------------
_GEXF_TYPES = {"string": "string", "int": "integer", "long": "long", "double": "double", "boolean": "boolean"}


def write_gexf(landscape, fh) -> None:
    """GEXF 1.2 (what Gephi and ``nx.read_gexf`` read by default), typed attributes; the edge
    label is the predicate and the edge weight the number of supporting sources."""
    node_attrs, edge_attrs, nodes, edges = graph_rows(landscape)
    w = fh.write
    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w('<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
      'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n')
    w('  <meta><creator>claimgraph</creator><description>claims as edges, entities as nodes</description></meta>\n')
    w('  <graph defaultedgetype="directed" mode="static">\n')
    # label and weight are GEXF's own; everything else an attribute
    nattrs = [(n, t) for n, t in node_attrs if n != "label"]
    eattrs = [(n, t) for n, t in edge_attrs if n not in ("label", "weight")]
    nids = {name: (str(i), typ) for i, (name, typ) in enumerate(nattrs)}
    eids = {name: (str(i), typ) for i, (name, typ) in enumerate(eattrs)}
    for cls, ids in (("node", nids), ("edge", eids)):
        w(f'    <attributes class="{cls}">\n')
        for name, (aid, typ) in ids.items():
            w(f'      <attribute id="{aid}" title={_xml_attr(name)} type="{_GEXF_TYPES[typ]}"/>\n')
        w("    </attributes>\n")
    w("    <nodes>\n")
    for nid, d in nodes:
        w(f"      <node id={_xml_attr(nid)} label={_xml_attr(d.get('label', nid))}>")
        vals = [(nids[k], v) for k, v in d.items() if k != "label"]
        if vals:
            w("<attvalues>")
            for (aid, typ), v in vals:
                w(f'<attvalue for="{aid}" value={_xml_attr(_fmt(v, typ))}/>')
            w("</attvalues>")
        w("</node>\n")
    w("    </nodes>\n    <edges>\n")
    for eid, s, t, d in edges:
        w(f"      <edge id={_xml_attr(eid)} source={_xml_attr(s)} target={_xml_attr(t)} "
          f"label={_xml_attr(d['label'])} weight=\"{_fmt(d['weight'], 'double')}\">")
        vals = [(eids[k], v) for k, v in d.items() if k not in ("label", "weight")]
        if vals:
            w("<attvalues>")
            for (aid, typ), v in vals:
                w(f'<attvalue for="{aid}" value={_xml_attr(_fmt(v, typ))}/>')
            w("</attvalues>")
        w("</edge>\n")
    w("    </edges>\n  </graph>\n</gexf>\n")


# -- node-link JSON -----------------------------------------------------------------------------------
def write_nodelink(landscape, fh) -> None:
    """networkx's node-link form (``nx.node_link_graph(data, edges="links")`` reads it):
    ``nodes`` with the entity fields, ``links`` with every claim field (canonical JSON form)
    plus ``source``/``target``/``key``; ``sources`` lists the documents."""
    from .json_io import to_data

    data = to_data(landscape)
    vocab = landscape.vocabulary
    nodes = [{"id": e["id"], **_entity_fields(e)} for e in data["entities"]]
    links = []
    for c in data["claims"]:
        target = c.get("object") or f"value:{c['id']}"
        if "object" not in c:
            nodes.append({"id": target, "kind": "Value", "name": _value_text(c["value"]), "value": c["value"]})
        pred = vocab.predicates[c["predicate"]]
        links.append({"source": c["subject"], "target": target, "key": c["id"], "stance": pred.stance,
                      "symmetric": pred.symmetric, **c})
    out = {"directed": True, "multigraph": True, "graph": {"format": "claimgraph-nodelink", "version": 1,
                                                           "sources": data["sources"], "rates": data["rates"]},
           "nodes": nodes, "links": links}
    json.dump(out, fh, ensure_ascii=False, indent=1)
    fh.write("\n")


def _entity_fields(e: dict) -> dict:
    return {k: v for k, v in e.items() if k != "id"}


def _value_text(v: Any) -> str:
    if isinstance(v, dict):
        return str(Quantity.model_validate(v))
    return str(v)


# -- CSV folder ---------------------------------------------------------------------------------------
def write_csv_folder(landscape, path: str | Path) -> None:
    """The spreadsheet CSV layout (loads back), as a folder that appears whole."""
    from ..generate import atomic_folder
    from .csv_io import write_csv

    with atomic_folder(path) as tmp:
        write_csv(landscape, tmp)


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
    from ..generate import atomic_folder
    from .neo4j_io import claim_props, entity_props, rate_rows, source_props, value_props

    vocab = landscape.vocabulary
    delim = _array_delimiter(landscape)
    # labels and types only from the vocabulary (neo4j_io checks the same names)
    for k in {e.kind for e in landscape.entities.values()}:
        if k not in vocab.kinds or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", k):
            from ..errors import ClaimgraphError

            raise ClaimgraphError(f"kind {k!r} cannot become a Neo4j label")
    with atomic_folder(path, NEO4J_FILES) as tmp:
        # neo4j-admin splits :LABEL on the array delimiter too
        ents = [entity_props(e) | {":LABEL": f"Entity{delim}{e.kind}"} for e in sorted(landscape.entities.values(), key=_by_id)]
        _neo4j_table(tmp, "entities", ents, [("id:ID(Entity)", "id"), (":LABEL", ":LABEL")], delim)
        srcs = [source_props(s) for s in sorted(landscape.sources.values(), key=_by_id)]
        _neo4j_table(tmp, "sources", srcs, [("id:ID(Source)", "id")], delim)
        rates = rate_rows(landscape.rates)
        _neo4j_table(tmp, "rates", rates, [("key:ID(Rate)", "key")], delim)
        rels, vrels, values = [], [], []
        for c in sorted(landscape.claims.values(), key=_by_id):
            p = claim_props(c, vocab) | {":START_ID(Entity)": c.subject, ":TYPE": c.predicate}
            if c.object is not None:
                rels.append(p | {":END_ID(Entity)": c.object})
            else:
                vrels.append(p | {":END_ID(Value)": c.id})
                values.append(value_props(c))
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


register(Exporter("graphml", write_graphml, "w", ".graphml", "GraphML with typed attributes (Gephi, yEd, networkx)"))
register(Exporter("gexf", write_gexf, "w", ".gexf", "GEXF 1.2 with typed attributes (Gephi)"))
register(Exporter("nodelink", write_nodelink, "w", ".json", "node-link JSON (d3, networkx node_link_graph)"))
register(Exporter("csv", write_csv_folder, "dir", "", "folder of spreadsheet CSV files (loads back)"))
register(Exporter("neo4j-admin", write_neo4j_admin, "dir", "", "folder of neo4j-admin import files + import.sh"))
