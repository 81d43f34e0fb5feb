"""The flat graph GraphML and GEXF write: typed node and edge attribute rows."""

from __future__ import annotations

import json
import math
import re
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ..values import PartialDate, Quantity

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
    ("n_sources", "int"), ("asserted_by", "string"), ("contradicts", "string"), ("stated_on", "string"),
    ("valid_from", "string"), ("valid_until", "string"), ("on", "string"), ("tense", "string"),
    ("history", "string"), ("value", "string"), ("notes", "string"),
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
        if c.contradicts:
            d["contradicts"] = "; ".join(c.contradicts)
        for f in ("stated_on", "valid_from", "valid_until", "on"):
            v = getattr(c, f)
            if v is not None:
                d[f] = str(v)
        if c.tense is not None:
            d["tense"] = c.tense.value
        if c.history:  # a JSON array of {on, status, note, sources}: json.loads gives it back
            d["history"] = json.dumps([h.to_data() for h in c.history], ensure_ascii=False)
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


