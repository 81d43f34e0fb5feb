"""Entity attributes in Neo4j are typed properties Cypher can filter on (attr_<name>), and come
back from a pull as they went in: text stays text ('13', not 13), numbers and booleans keep
their types, and only what Neo4j cannot hold (an integer past 64 bits) is kept as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import claimgraph
from claimgraph import api
from claimgraph import neo4j as neo4j_io

pytestmark = pytest.mark.neo4j

ACQ = Path(__file__).parent / "fixtures" / "import" / "crunchbase-acquisitions.csv"


def test_attributes_are_typed_properties_and_round_trip(clean_neo4j, tmp_path):
    api.import_file(ACQ, tmp_path / "acq", format="crunchbase-acquisitions")
    land = claimgraph.load([tmp_path / "acq"])
    land.entities["sony"] = land.entities["sony"].model_copy(
        update={"attributes": {**land.entities["sony"].attributes, "founded": 1946, "listed": True,
                               "ratio": 0.25, "huge": 2**70}})
    land = claimgraph.Landscape(land.entities, land.sources, land.claims, land.rates, land.vocabulary)
    conn = neo4j_io.connect(clean_neo4j.uri, getattr(clean_neo4j, "user", None) or "neo4j", clean_neo4j.password or None)
    with conn:
        neo4j_io.push(land, conn)
        _, rows = neo4j_io.run_cypher(conn, "MATCH (e:Entity) WHERE e.attr_country_code = 'FIN' RETURN e.name")
        assert rows == [["One Nordic Furniture"]]
        _, rows = neo4j_io.run_cypher(conn, "MATCH (e:Entity) WHERE e.attr_state_code = 13 RETURN e.name")
        assert rows == []  # a code is text: '13', not the number 13
        _, rows = neo4j_io.run_cypher(conn, "MATCH (e:Entity {id: 'sony'}) RETURN e.attr_founded + 1, e.attr_listed, "
                                            "e.attr_ratio * 4, e.attr_huge, e.attributes_json")
        assert rows[0][:4] == [1947, True, 1.0, None]
        assert json.loads(rows[0][4]) == {"huge": 2**70}  # the one value Neo4j cannot hold
        back = neo4j_io.pull(conn, vocabulary=land.vocabulary)
    assert back.entities["sony"].attributes == land.entities["sony"].attributes
    assert back.entities["one-nordic-furniture"].attributes["state_code"] == "13"
    assert {k: e.attributes for k, e in back.entities.items()} == {k: e.attributes for k, e in land.entities.items()}

