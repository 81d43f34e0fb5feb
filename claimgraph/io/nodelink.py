"""Node-link JSON export (d3; networkx ``node_link_graph(data, edges="links")``)."""

from __future__ import annotations

import json
from typing import Any

from ..values import Quantity


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


