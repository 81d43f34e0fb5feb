"""The import rule of docs/architecture.md, read from the source: every module of the package
imports only its own layer or lower ones (lazy imports inside functions included), and no two
parts of the package import each other in a circle."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "claimgraph"

#: part of the package -> layer; a module may import parts of its layer or lower.
LAYERS = {
    "cli": 5, "__main__": 5,
    "api": 4,
    "viz": 3, "queries": 3, "honesty": 3, "changes": 3, "synth": 3, "importers": 3,
    "neo4j": 2, "io": 2,
    "landscape": 1, "algorithms": 1, "dataset": 1, "vocabulary": 1, "model": 1, "values": 1,
    "errors": 1, "fileio": 1, "gcutil": 1, "plugins": 1, "suggest": 1,
}


def part_of(module: str) -> str:
    """``claimgraph.io.csv_io`` -> ``io``; the package's own ``__init__`` is the ``api`` facade."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "api"


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name: str) -> bool:
    """Whether ``claimgraph.x.y`` is a module or package of the package (else it is a name that
    ``claimgraph.x`` defines, such as ``claimgraph.__version__``)."""
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or path.is_dir()


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every claimgraph import in the file, wherever it stands."""
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "claimgraph"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "claimgraph":
                continue
            if node.module is None or target == "claimgraph":  # from . import x: x may be a submodule
                found += [(node.lineno, f"{target}.{a.name}" if is_module(f"{target}.{a.name}") else target)
                          for a in node.names]
            else:
                found.append((node.lineno, target))
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "data" not in p.relative_to(PACKAGE).parts[:1])


def test_every_part_has_a_layer():
    parts = {part_of(module_name(p)) for p in MODULES}
    assert parts <= set(LAYERS), f"give these a layer in LAYERS and docs/architecture.md: {parts - set(LAYERS)}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_no_import_of_a_higher_layer(path):
    me = part_of(module_name(path))
    if path == PACKAGE / "__init__.py":
        return  # the package facade: it names the api's functions and the types they return
    bad = [f"line {line}: {target}" for line, target in imports_of(path)
           if LAYERS[part_of(target)] > LAYERS[me]]
    assert not bad, f"{path.name} ({me}, layer {LAYERS[me]}) imports upward: {bad}"


def test_no_circles_between_parts():
    edges: dict[str, set[str]] = {}
    for path in MODULES:
        if path == PACKAGE / "__init__.py":
            continue
        me = part_of(module_name(path))
        for _, target in imports_of(path):
            other = part_of(target)
            if other != me:
                edges.setdefault(me, set()).add(other)

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in edges.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    circles = sorted(p for p in edges if p in reach(p))
    assert not circles, f"these parts import each other in a circle: {circles} ({ {p: sorted(edges[p]) for p in circles} })"


def test_the_rule_catches_an_upward_import(tmp_path, monkeypatch):
    """The reader of imports is itself checked: a lazy import of the CLI inside a core function
    counts as an upward import."""
    fake = PACKAGE / "landscape.py"
    src = fake.read_text(encoding="utf-8") + "\n\ndef _upward():\n    from .cli import main\n    return main\n"
    probe = tmp_path / "claimgraph" / "landscape.py"
    probe.parent.mkdir()
    probe.write_text(src, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "claimgraph")
    targets = [t for _, t in imports_of(probe)]
    assert "claimgraph.cli" in targets
    assert LAYERS[part_of("claimgraph.cli")] > LAYERS["landscape"]


def test_no_file_keeps_merge_conflict_markers():
    """A merge resolved by hand must not leave its markers behind (docs included: a user reads them)."""
    import subprocess

    root = Path(__file__).resolve().parents[1]
    files = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout.split()
    found = []
    for name in files:
        if not name.endswith((".py", ".md", ".yaml", ".yml", ".cypher", ".js", ".css", ".html", ".toml", ".csv")):
            continue
        try:
            text = (root / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        found += [f"{name}:{i}" for i, line in enumerate(text.splitlines(), 1)
                  if line.startswith(("<<<<<<< ", ">>>>>>> ")) or line == "======="]
    assert not found, found
