"""GraphML export, and the other exports for other tools: GraphML and GEXF (Gephi, yEd, networkx), node-link JSON (d3,
networkx), the spreadsheet CSV folder, and neo4j-admin import files.

Every export is registered in :data:`claimgraph.api.EXPORT_FORMATS` and written
atomically (a file, or a folder that appears whole). Layouts: ``docs/interchange.md``.

In the graph formats, entities are nodes and each claim with an object is an edge keyed by its
claim id; a claim with a value instead of an object (a chip's volume date, a cadence) points at
a node of kind ``Value`` whose id is ``value:<claim id>``, as in the Neo4j model. Attributes
are typed (``status_rank`` is an integer, ``weight`` and quantity numbers are doubles,
``symmetric`` is a boolean), so ``nx.read_graphml`` / ``nx.read_gexf`` give numbers back.

>>> import tempfile, pathlib, networkx as nx
>>> from claimgraph.synth import generate
>>> from claimgraph.io import write
>>> land = generate(30, 60, seed=1)
>>> p = write(land, "graphml", pathlib.Path(tempfile.mkdtemp()) / "g.graphml")
>>> g = nx.read_graphml(p)
>>> g.number_of_edges() == len(land.claims)
True
"""
from __future__ import annotations

from ._graph import _fmt, _xml_attr, _xml_text, graph_rows

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


