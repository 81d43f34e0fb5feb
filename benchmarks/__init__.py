"""claimgraph's benchmark suite: ``python -m benchmarks`` (see :mod:`benchmarks.suite`)."""

import sys
from pathlib import Path

# the local Neo4j launcher (scripts/neo4j-local) is a development tool, not part of the package
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts" / "neo4j-local"))
