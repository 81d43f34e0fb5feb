"""GEXF 1.2 export (Gephi): typed attributes, one edge per claim."""

from __future__ import annotations

from ._graph import _fmt, _xml_attr, graph_rows

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


