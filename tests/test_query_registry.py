"""A canned query is one .py and one .cypher file: the registry finds it, nothing counts them.

The package is copied into a temporary folder, a query is added there (a module with
``QUERY = Query(...)`` and its Cypher twin), and the copy is run in a fresh interpreter
(``PYTHONPATH`` at the copy, from another working directory): ``query --list`` shows it, the CLI
runs it embedded, and its Cypher twin is the text of the file beside it.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import claimgraph

QUERY_PY = '''
"""investors-of ENTITY: who invests in ENTITY, one row per investor (a query added in a test)."""

from __future__ import annotations

from dataclasses import dataclass

from ._base import Param, Query, Row


@dataclass(kw_only=True)
class InvestorRow(Row):
    investor: str
    investor_name: str
    claims: int


def embedded(land, entity: str) -> list[InvestorRow]:
    by: dict[str, list] = {}
    for c in land.claims.values():
        if c.predicate == "INVESTS_IN" and c.object == entity:
            by.setdefault(c.subject, []).append(c)
    return [InvestorRow(investor=s, investor_name=land.entities[s].name, claims=len(cs),
                        claim_ids=[c.id for c in cs], source_ids=[x for c in cs for x in c.source_ids])
            for s, cs in sorted(by.items())]


QUERY = Query(
    name="investors-of",
    description="Who invests in ENTITY. One row per investor, ordered by investor id.",
    params=(Param("entity", "entity", required=True, positional=True, help="who is invested in"),),
    row=InvestorRow,
    embedded=embedded,
)
'''

QUERY_CYPHER = """// investors-of: who invests in $entity (a query added in a test)
MATCH (i:Entity)-[r:INVESTS_IN]->(e:Entity {id: $entity})
WHERE ($min_status_rank IS NULL OR r.status_rank >= $min_status_rank)
  AND ($as_of IS NULL OR r.valid_from_start IS NULL OR r.valid_from_start <= date($as_of))
RETURN i.id AS investor, i.name AS investor_name, count(r) AS claims,
       collect(r.id) AS claim_ids, [] AS source_ids
ORDER BY investor
"""

# by hand: two investors in Acme, one of them through two claims; Bolt's own claim is about Acme
DATASET = """
sources:
  - {id: s1, title: One, publisher: Wire One, tier: wire}
  - {id: s2, title: Two, publisher: Paper Two, tier: press}
entities:
  - {id: acme, name: Acme Chips, kind: Company}
  - {id: bolt, name: Bolt Capital, kind: Company}
  - {id: cora, name: Cora Ventures, kind: Company}
claims:
  - {id: bolt-acme-a, subject: bolt, predicate: INVESTS_IN, object: acme, status: reported,
     evidence: [{source: s1}]}
  - {id: bolt-acme-b, subject: bolt, predicate: INVESTS_IN, object: acme, status: claimed,
     evidence: [{source: s2}]}
  - {id: cora-acme, subject: cora, predicate: INVESTS_IN, object: acme, status: reported,
     evidence: [{source: s2}]}
  - {id: acme-bolt, subject: acme, predicate: COMPETES_WITH, object: cora, status: claimed,
     evidence: [{source: s1}]}
"""


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    """A copy of the package with one more query, and a dataset, in a temporary folder."""
    root = tmp_path_factory.mktemp("copy")
    pkg = Path(claimgraph.__file__).resolve().parent
    shutil.copytree(pkg, root / "claimgraph", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "claimgraph" / "queries" / "investors_of.py").write_text(QUERY_PY, encoding="utf-8")
    (root / "claimgraph" / "queries" / "investors-of.cypher").write_text(QUERY_CYPHER, encoding="utf-8")
    (root / "data.yaml").write_text(textwrap.dedent(DATASET), encoding="utf-8")
    return root


def run(copy: Path, *args: str) -> subprocess.CompletedProcess:
    elsewhere = copy / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(copy), "COLUMNS": "200"}
    return subprocess.run([sys.executable, *args], cwd=elsewhere, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_copy_is_what_runs(copy):
    r = run(copy, "-c", "import claimgraph; print(claimgraph.__file__)")
    assert r.returncode == 0, r.stderr
    assert Path(r.stdout.strip()) == copy / "claimgraph" / "__init__.py"


def test_an_added_query_is_listed(copy):
    r = run(copy, "-m", "claimgraph", "query", "--list")
    assert r.returncode == 0, r.stderr
    assert "investors-of" in r.stdout and "ENTITY" in r.stdout
    assert "Who invests in ENTITY" in r.stdout
    # the ones that ship are still there beside it
    assert "frenemies" in r.stdout and "roadmap" in r.stdout


def test_an_added_query_runs_embedded_through_the_cli(copy):
    r = run(copy, "-m", "claimgraph", "query", "investors-of", "Acme Chips", str(copy / "data.yaml"),
            "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [(x["investor"], x["claims"]) for x in rows] == [("bolt", 2), ("cora", 1)]
    assert rows[0]["claim_ids"] == ["bolt-acme-a", "bolt-acme-b"]
    assert rows[0]["source_ids"] == ["s1", "s2"]
    # a wrong parameter is one clear line, exit 2, as for the queries that ship
    bad = run(copy, "-m", "claimgraph", "query", "investors-of", str(copy / "data.yaml"), "-p", "depth=2")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "investors-of has no parameter 'depth'" in bad.stderr


def test_an_added_query_has_its_cypher_twin(copy):
    r = run(copy, "-c", "from claimgraph.queries import get_query; print(get_query('investors-of').cypher, end='')")
    assert r.returncode == 0, r.stderr
    assert r.stdout == QUERY_CYPHER


def _literal_lists(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            yield node.lineno, node.elts
        elif isinstance(node, ast.Dict):
            yield node.lineno, [k for k in node.keys if k is not None]


def test_the_registry_is_not_counted_or_listed_by_hand():
    """No count of the queries, and no hand-written list of three or more query names, in the
    package's code (outside the query modules) or its docs: they come from the registry."""
    from claimgraph.queries import QUERIES

    root = Path(claimgraph.__file__).resolve().parent
    for path in [*root.rglob("*.py"), *root.parent.glob("docs/*.md"), root.parent / "README.md"]:
        text = path.read_text(encoding="utf-8")
        assert "len(QUERIES)" not in text, f"{path} counts the queries"
        assert "ten named" not in text.lower() and "ten queries" not in text.lower(), path
        if path.suffix != ".py" or path.parent == root / "queries":
            continue
        for line, elts in _literal_lists(ast.parse(text)):
            named = [e.value for e in elts if isinstance(e, ast.Constant) and e.value in QUERIES]
            assert len(named) < 3, f"{path}:{line} lists queries {named} by hand: take them from the registry"
