"""Every public function of the library's front modules has a docstring with a runnable example,
as networkx does: what it returns, then ``>>>`` lines (run by ``pytest --doctest-modules``).

The modules: claimgraph/api.py, the Landscape's methods (claimgraph/landscape.py),
claimgraph/algorithms.py, and claimgraph/queries/ (the package, its shared parts and every query
module the registry finds).
"""

from __future__ import annotations

import doctest
import importlib
import inspect

import pytest

from claimgraph.landscape import Landscape
from claimgraph.queries import QUERIES

MODULES = ["claimgraph.api", "claimgraph.algorithms", "claimgraph.queries", "claimgraph.queries._base",
           *sorted({q.module for q in QUERIES.values()})]


def public_functions(module_name: str):
    """(qualified name, function) of the functions a module defines and does not hide behind _."""
    mod = importlib.import_module(module_name)
    for name, obj in vars(mod).items():
        if not name.startswith("_") and inspect.isfunction(obj) and obj.__module__ == module_name:
            yield f"{module_name}.{name}", obj


def landscape_methods():
    for name, obj in vars(Landscape).items():
        func = obj.__func__ if isinstance(obj, classmethod | staticmethod) else obj
        if not name.startswith("_") and inspect.isfunction(func):
            yield f"claimgraph.landscape.Landscape.{name}", func


FUNCTIONS = [f for m in MODULES for f in public_functions(m)] + list(landscape_methods())


def examples(func) -> list[doctest.Example]:
    return doctest.DocTestParser().get_examples(inspect.getdoc(func) or "")


def test_the_checked_functions_are_the_ones_the_modules_define():
    names = {n for n, _ in FUNCTIONS}
    # a few by hand, so that an empty or wrong list cannot pass
    for expected in ("claimgraph.api.report", "claimgraph.api.push", "claimgraph.algorithms.pagerank",
                     "claimgraph.queries.run_query", "claimgraph.queries.money.embedded",
                     "claimgraph.queries.roadmap.neo4j", "claimgraph.landscape.Landscape.as_of",
                     "claimgraph.landscape.Landscape.from_dataset"):
        assert expected in names
    assert not any(n.rsplit(".", 1)[1].startswith("_") for n in names)


@pytest.mark.parametrize("name,func", FUNCTIONS, ids=[n for n, _ in FUNCTIONS])
def test_public_function_has_a_docstring_with_an_example(name, func):
    doc = inspect.getdoc(func)
    assert doc, f"{name} has no docstring: say what it returns and give a short >>> example"
    assert examples(func), f"{name}'s docstring has no >>> example: add a short runnable one"
    first = doc.split("\n\n")[0]
    assert len(first) > 20, f"{name}'s docstring should start by saying what it returns"
