"""Neo4j: push a landscape into a Neo4j database, pull it back, run Cypher, export a Cypher script.

The graph model is described in ``docs/neo4j-model.md``: each entity an ``:Entity`` node with a
second label for its kind, each source a ``:Source`` node, each claim one relationship typed by
its predicate (``claim_id``, ``status``, dates, qualifiers, evidence ...), value claims pointing
at a ``(:Value)`` node, exchange rates as ``(:Rate)`` nodes. Labels and relationship types come
only from the vocabulary; every value from the dataset travels as a query parameter (or, in the
Cypher script, as a safely escaped literal).

Connection settings come from the arguments (``connect("bolt://localhost:7687", "neo4j",
"secret")``), else from ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD`` and
``NEO4J_DATABASE``. The password is never printed or logged.

>>> from claimgraph import load
>>> from claimgraph.neo4j import connect, push, pull, run_cypher
>>> with connect() as conn:
...     result = push(load(), conn)
...     columns, rows = run_cypher(conn, "MATCH (e:Entity) RETURN count(e) AS n")
...     land = pull(conn)
>>> rows == [[len(load().entities)]], land.stats() == load().stats()
(True, True)
"""

from ..io.writers import Exporter
from .connection import DEFAULT_URI, Connection, connect, run_cypher, to_plain
from .mapping import schema_statements
from .pulling import pull
from .pushing import PushResult, ensure_schema, push
from .script import cypher_literal, cypher_statements, write_cypher_script

__all__ = [
    "Connection", "PushResult", "connect", "push", "pull", "run_cypher", "write_cypher_script",
    "cypher_statements", "schema_statements", "cypher_literal", "to_plain", "ensure_schema",
    "DEFAULT_URI", "WRITERS",
]

#: export formats for Neo4j (beside :data:`claimgraph.io.WRITERS`); ``write`` names
#: ``"module:function"`` of this package.
WRITERS: dict[str, Exporter] = {
    "cypher": Exporter("cypher", "script:write_cypher_script", "w", ".cypher",
                       "Cypher script that recreates the graph in Neo4j (cypher-shell -f FILE)"),
    "neo4j-admin": Exporter("neo4j-admin", "admin:write_neo4j_admin", "dir", "",
                            "folder of neo4j-admin import files + import.sh"),
}
