"""GraphML, GEXF and node-link exports: they parse with networkx's readers, keep every claim as
a typed edge, and pass a structure check.

The official GraphML and GEXF XSDs cannot be fetched at test time (no network) and none ships
offline, so the structure is checked with lxml against the small schemas below, written from
the GraphML 1.0 and GEXF 1.2 specifications for the subset claimgraph writes (element order,
required attributes, the allowed attribute types), plus reference checks the XSDs cannot say
(every data key declared, every edge end a node, typed values that parse).
"""

from __future__ import annotations

import json

import networkx as nx
import pytest
from lxml import etree

from claimgraph.model import Entity
from claimgraph.synth import generate
from tests.helpers import export

GRAPHML_XSD = """\
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://graphml.graphdrawing.org/xmlns"
           xmlns:g="http://graphml.graphdrawing.org/xmlns" elementFormDefault="qualified">
  <xs:element name="graphml">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="key" minOccurs="0" maxOccurs="unbounded">
          <xs:complexType>
            <xs:attribute name="id" type="xs:NMTOKEN" use="required"/>
            <xs:attribute name="for" use="required">
              <xs:simpleType><xs:restriction base="xs:NMTOKEN">
                <xs:enumeration value="all"/><xs:enumeration value="graph"/><xs:enumeration value="node"/>
                <xs:enumeration value="edge"/></xs:restriction></xs:simpleType>
            </xs:attribute>
            <xs:attribute name="attr.name" type="xs:string" use="required"/>
            <xs:attribute name="attr.type" use="required">
              <xs:simpleType><xs:restriction base="xs:NMTOKEN">
                <xs:enumeration value="boolean"/><xs:enumeration value="int"/><xs:enumeration value="long"/>
                <xs:enumeration value="float"/><xs:enumeration value="double"/><xs:enumeration value="string"/>
              </xs:restriction></xs:simpleType>
            </xs:attribute>
          </xs:complexType>
        </xs:element>
        <xs:element name="graph">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="node" minOccurs="0" maxOccurs="unbounded">
                <xs:complexType><xs:sequence><xs:element ref="g:data" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
                  <xs:attribute name="id" type="xs:string" use="required"/></xs:complexType>
              </xs:element>
              <xs:element name="edge" minOccurs="0" maxOccurs="unbounded">
                <xs:complexType><xs:sequence><xs:element ref="g:data" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
                  <xs:attribute name="id" type="xs:string"/>
                  <xs:attribute name="source" type="xs:string" use="required"/>
                  <xs:attribute name="target" type="xs:string" use="required"/></xs:complexType>
              </xs:element>
            </xs:sequence>
            <xs:attribute name="id" type="xs:string"/>
            <xs:attribute name="edgedefault" use="required">
              <xs:simpleType><xs:restriction base="xs:NMTOKEN"><xs:enumeration value="directed"/>
                <xs:enumeration value="undirected"/></xs:restriction></xs:simpleType>
            </xs:attribute>
          </xs:complexType>
        </xs:element>
      </xs:sequence>
      <xs:anyAttribute namespace="http://www.w3.org/2001/XMLSchema-instance" processContents="skip"/>
    </xs:complexType>
    <xs:unique name="nodeId"><xs:selector xpath="g:graph/g:node"/><xs:field xpath="@id"/></xs:unique>
    <xs:unique name="edgeId"><xs:selector xpath="g:graph/g:edge"/><xs:field xpath="@id"/></xs:unique>
    <xs:key name="keyId"><xs:selector xpath="g:key"/><xs:field xpath="@id"/></xs:key>
    <xs:keyref name="dataKey" refer="g:keyId"><xs:selector xpath="g:graph/*/g:data"/><xs:field xpath="@key"/></xs:keyref>
    <xs:key name="nodeKey"><xs:selector xpath="g:graph/g:node"/><xs:field xpath="@id"/></xs:key>
    <xs:keyref name="edgeSource" refer="g:nodeKey"><xs:selector xpath="g:graph/g:edge"/><xs:field xpath="@source"/></xs:keyref>
    <xs:keyref name="edgeTarget" refer="g:nodeKey"><xs:selector xpath="g:graph/g:edge"/><xs:field xpath="@target"/></xs:keyref>
  </xs:element>
  <xs:element name="data">
    <xs:complexType><xs:simpleContent><xs:extension base="xs:string">
      <xs:attribute name="key" type="xs:NMTOKEN" use="required"/></xs:extension></xs:simpleContent></xs:complexType>
  </xs:element>
</xs:schema>
"""

GEXF_XSD = """\
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.gexf.net/1.2draft"
           xmlns:g="http://www.gexf.net/1.2draft" elementFormDefault="qualified">
  <xs:simpleType name="attrtype"><xs:restriction base="xs:string">
    <xs:enumeration value="integer"/><xs:enumeration value="long"/><xs:enumeration value="double"/>
    <xs:enumeration value="float"/><xs:enumeration value="boolean"/><xs:enumeration value="liststring"/>
    <xs:enumeration value="string"/><xs:enumeration value="anyURI"/></xs:restriction></xs:simpleType>
  <xs:complexType name="attvalues"><xs:sequence>
    <xs:element name="attvalue" maxOccurs="unbounded"><xs:complexType>
      <xs:attribute name="for" type="xs:string" use="required"/>
      <xs:attribute name="value" type="xs:string" use="required"/></xs:complexType></xs:element>
  </xs:sequence></xs:complexType>
  <xs:element name="gexf">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="meta" minOccurs="0"><xs:complexType><xs:sequence>
          <xs:element name="creator" type="xs:string" minOccurs="0"/>
          <xs:element name="description" type="xs:string" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>
        <xs:element name="graph">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="attributes" minOccurs="0" maxOccurs="2">
                <xs:complexType><xs:sequence>
                  <xs:element name="attribute" minOccurs="0" maxOccurs="unbounded"><xs:complexType>
                    <xs:attribute name="id" type="xs:string" use="required"/>
                    <xs:attribute name="title" type="xs:string" use="required"/>
                    <xs:attribute name="type" type="g:attrtype" use="required"/></xs:complexType></xs:element>
                </xs:sequence>
                <xs:attribute name="class" use="required"><xs:simpleType><xs:restriction base="xs:string">
                  <xs:enumeration value="node"/><xs:enumeration value="edge"/></xs:restriction></xs:simpleType></xs:attribute>
                </xs:complexType>
              </xs:element>
              <xs:element name="nodes"><xs:complexType><xs:sequence>
                <xs:element name="node" minOccurs="0" maxOccurs="unbounded"><xs:complexType><xs:sequence>
                  <xs:element name="attvalues" type="g:attvalues" minOccurs="0"/></xs:sequence>
                  <xs:attribute name="id" type="xs:string" use="required"/>
                  <xs:attribute name="label" type="xs:string"/></xs:complexType></xs:element>
              </xs:sequence></xs:complexType></xs:element>
              <xs:element name="edges"><xs:complexType><xs:sequence>
                <xs:element name="edge" minOccurs="0" maxOccurs="unbounded"><xs:complexType><xs:sequence>
                  <xs:element name="attvalues" type="g:attvalues" minOccurs="0"/></xs:sequence>
                  <xs:attribute name="id" type="xs:string" use="required"/>
                  <xs:attribute name="source" type="xs:string" use="required"/>
                  <xs:attribute name="target" type="xs:string" use="required"/>
                  <xs:attribute name="label" type="xs:string"/>
                  <xs:attribute name="weight" type="xs:float"/></xs:complexType></xs:element>
              </xs:sequence></xs:complexType></xs:element>
            </xs:sequence>
            <xs:attribute name="defaultedgetype" use="required"><xs:simpleType><xs:restriction base="xs:string">
              <xs:enumeration value="directed"/><xs:enumeration value="undirected"/><xs:enumeration value="mutual"/>
            </xs:restriction></xs:simpleType></xs:attribute>
            <xs:attribute name="mode" type="xs:string"/>
          </xs:complexType>
          <xs:key name="nodeKey"><xs:selector xpath="g:nodes/g:node"/><xs:field xpath="@id"/></xs:key>
          <xs:unique name="edgeId"><xs:selector xpath="g:edges/g:edge"/><xs:field xpath="@id"/></xs:unique>
          <xs:keyref name="edgeSource" refer="g:nodeKey"><xs:selector xpath="g:edges/g:edge"/><xs:field xpath="@source"/></xs:keyref>
          <xs:keyref name="edgeTarget" refer="g:nodeKey"><xs:selector xpath="g:edges/g:edge"/><xs:field xpath="@target"/></xs:keyref>
        </xs:element>
      </xs:sequence>
      <xs:attribute name="version" type="xs:string" use="required"/>
      <xs:anyAttribute namespace="http://www.w3.org/2001/XMLSchema-instance" processContents="skip"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
"""


def _schema(text: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.fromstring(text.encode()))


@pytest.fixture(scope="module")
def land():
    land = generate(entities=60, claims=400, seed=21)
    # text no XML may carry raw, and markup, must survive escaped
    e = next(iter(land.entities.values()))
    land.entities[e.id] = Entity.model_construct(**(e.__dict__ | {"name": "A&B <Corp> \"q\" \x07bell", "notes": "]]> ok"}))
    return land


def _typed_ok(value: str, typ: str) -> bool:
    try:
        {"int": int, "integer": int, "long": int, "double": float, "float": float}.get(typ, str)(value)
    except ValueError:
        return False
    return typ != "boolean" or value in ("true", "false")


def test_graphml_parses_with_networkx_typed_and_passes_the_schema(land, tmp_path):
    p = export(land, "graphml", tmp_path / "g.graphml")
    doc = etree.parse(str(p))
    schema = _schema(GRAPHML_XSD)
    assert schema.validate(doc), schema.error_log
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    # the schema is not vacuous: a dangling edge end or an undeclared key fails it
    broken = etree.fromstring(etree.tostring(doc))
    broken.find(".//g:edge", ns).set("target", "no-such-node")
    assert not schema.validate(broken)
    broken = etree.fromstring(etree.tostring(doc))
    broken.find(".//g:data", ns).set("key", "n999")
    assert not schema.validate(broken)
    types = {k.get("id"): k.get("attr.type") for k in doc.findall("g:key", ns)}
    for data in doc.iterfind(".//g:data", ns):
        assert _typed_ok(data.text or "", types[data.get("key")])

    g = nx.read_graphml(p)
    assert isinstance(g, nx.MultiDiGraph)
    value_claims = [c for c in land.claims.values() if c.object is None]
    assert g.number_of_nodes() == len(land.entities) + len(value_claims)
    assert g.number_of_edges() == len(land.claims)
    edges = {k: (u, v, d) for u, v, k, d in g.edges(keys=True, data=True)}
    for c in land.claims.values():
        u, v, d = edges[c.id]
        assert u == c.subject and v == (c.object or f"value:{c.id}")
        assert d["status"] == c.status.value and d["status_rank"] == c.status.rank
        assert isinstance(d["status_rank"], int) and isinstance(d["weight"], float) and isinstance(d["symmetric"], bool)
        assert d["n_sources"] == len(c.source_ids)
    odd = next(n for n, d in g.nodes(data=True) if d.get("label", "").startswith("A&B"))
    assert g.nodes[odd]["label"] == "A&B <Corp> \"q\" \ufffdbell" and g.nodes[odd]["notes"] == "]]> ok"
    # entity attributes keep their types
    typed = [d for _, d in g.nodes(data=True) if "attr_founded" in d]
    assert typed and all(isinstance(d["attr_founded"], int) and isinstance(d["attr_public"], bool) for d in typed)


def test_gexf_parses_with_networkx_typed_and_passes_the_schema(land, tmp_path):
    p = export(land, "gexf", tmp_path / "g.gexf")
    doc = etree.parse(str(p))
    schema = _schema(GEXF_XSD)
    assert schema.validate(doc), schema.error_log
    broken = etree.fromstring(etree.tostring(doc))
    broken.find(".//{http://www.gexf.net/1.2draft}edge").set("source", "no-such-node")
    assert not schema.validate(broken)
    g = nx.read_gexf(p)
    assert g.number_of_edges() == len(land.claims)
    by_id = {d["id"]: d for _, _, d in g.edges(data=True)}
    for c in land.claims.values():
        d = by_id[c.id]
        assert d["label"] == c.predicate and d["status"] == c.status.value
        assert d["status_rank"] == c.status.rank and d["weight"] == float(max(1, len(c.supporting_sources)))
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    assert kinds >= {"Company", "Person", "Chip", "Value"}


def test_bundled_gephi_exports_parse(bundled, tmp_path):
    for fmt in ("graphml", "gexf"):
        p = export(bundled, fmt, tmp_path / f"b.{fmt}")
        g = getattr(nx, f"read_{fmt}")(p)
        assert g.number_of_edges() == len(bundled.claims)
        assert "英伟达" in g.nodes["nvidia"]["aliases"]


def test_nodelink_is_networkx_node_link_with_full_claims(land, tmp_path):
    p = export(land, "nodelink", tmp_path / "n.json")
    data = json.loads(p.read_text(encoding="utf-8"))
    g = nx.node_link_graph(data, edges="links")
    assert g.is_multigraph() and g.is_directed()
    assert g.number_of_edges() == len(land.claims)
    c = next(c for c in land.claims.values() if c.qualifiers and c.object)
    (d,) = [d for u, v, k, d in g.edges(keys=True, data=True) if k == c.id]
    assert d["evidence"] == c.to_data()["evidence"] and d["qualifiers"] == c.to_data()["qualifiers"]
    assert {s["id"] for s in data["graph"]["sources"]} == set(land.sources)
