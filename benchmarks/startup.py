"""Start-up: the CPU seconds of ``claimgraph --help`` and ``claimgraph validate`` (the bundled
landscape) against ``python -c pass``, each a fresh child process, in the same run.

The commands run the way the console script runs them: a launcher that does what the entry
point of ``pyproject.toml`` (``claimgraph = "claimgraph.cli:main"``) does, from the checkout's
root so that its package is the one imported; nothing is installed. Each child's CPU (user +
system) comes from ``os.wait4``; the best of ``--repeat`` runs is kept, the
commands taking turns so that a burst of load on a shared machine hits them all alike.

Bytecode is cached as an installed package's is (pip compiles it at install): the children
write and read it under a temporary ``PYTHONPYCACHEPREFIX``, after one warm-up run of each
command that is not counted, whatever ``PYTHONDONTWRITEBYTECODE`` says. ``--no-bytecode-cache``
measures the other case: every module of the checkout compiled again at each start.

Targets: ``--help`` within 3x of bare Python; ``validate`` of the bundled landscape under 0.5 s.

Run: ``python -m benchmarks.startup [--repeat 10]`` (a table), or ``python -m benchmarks
--stages startup`` (rows of the suite's table).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

#: ``--help`` may cost at most this many times bare Python's CPU; ``validate`` at most this many CPU seconds
HELP_TARGET = 3.0
VALIDATE_TARGET = 0.5


def entry_point(script: str = "claimgraph") -> tuple[str, str]:
    """(module, function) of the console script, as ``pyproject.toml`` declares it."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    module, _, func = project["scripts"][script].partition(":")
    return module, func


def launcher(script: str = "claimgraph") -> list[str]:
    """A command that does what the installed console script does (pip's wrapper: import the
    entry point, fix ``argv[0]``, exit with its result), run from the checkout's root."""
    module, func = entry_point(script)
    code = (f"import re, sys; from {module} import {func}; "
            f"sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', {script!r}); sys.exit({func}())")
    return [sys.executable, "-c", code]


@dataclass
class Child:
    wall: float
    cpu: float       # user + system seconds of the child
    status: int
    stdout: str
    stderr: str


def child_env(pycache: str | None) -> dict[str, str]:
    """The children's environment: bytecode cached under ``pycache``, or never written (None)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONSTARTUP", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX",
                        "CLAIMGRAPH_DEBUG")}
    if pycache is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def run_child(cmd: list[str], env: dict[str, str] | None = None, cwd: Path = REPO) -> Child:
    """Run ``cmd`` to its end; its own CPU seconds from ``os.wait4``. (Not its peak memory:
    Linux counts the launching process's resident pages in a spawned child's ``ru_maxrss``.)"""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        return Child(wall, usage.ru_utime + usage.ru_stime, proc.returncode,
                     out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


#: name -> (arguments after the command, a check of a successful run's stdout)
CASES: dict[str, tuple[list[str], str]] = {
    "python -c pass": ([], ""),
    "claimgraph --help": (["--help"], "Commands:"),
    "claimgraph validate": (["validate"], "ok: "),
}


#: the other commands, measured with ``--all`` (no target; for the record)
MORE: dict[str, tuple[list[str], str]] = {
    "claimgraph --version": (["--version"], "version"),
    "claimgraph validate --help": (["validate", "--help"], "Usage:"),
    "claimgraph stats": (["stats"], "landscape"),
    "claimgraph audit": (["audit"], "findings"),
    "claimgraph show tesla": (["show", "tesla"], "Tesla"),
    "claimgraph query --list": (["query", "--list"], "path"),
    "claimgraph query path tesla nvidia": (["query", "path", "tesla", "nvidia"], "tesla"),
    "claimgraph export --list": (["export", "--list"], "json"),
}


def command(name: str) -> list[str]:
    if name == "python -c pass":
        return [sys.executable, "-c", "pass"]
    return launcher() + {**CASES, **MORE}[name][0]


def measure(repeat: int = 10, bytecode_cache: bool = True, more: bool = False) -> dict[str, Child]:
    """The best (least CPU) run of each case, the cases taking turns ``repeat`` times after one
    warm-up run each; with ``more``, the commands of :data:`MORE` too.

    Raises RuntimeError when a command fails or prints something unexpected."""
    cases = {**CASES, **(MORE if more else {})}
    with tempfile.TemporaryDirectory(prefix="claimgraph-bench-pycache-") as pycache:
        env = child_env(pycache if bytecode_cache else None)

        def run(name: str) -> Child:
            got = run_child(command(name), env)
            expect = cases[name][1]
            if got.status != 0 or expect not in got.stdout:
                raise RuntimeError(f"{name} failed (exit {got.status}): {(got.stderr or got.stdout)[-500:]}")
            return got

        for name in cases:  # warm-up: bytecode written, files in the page cache
            run(name)
        best: dict[str, Child] = {}
        for _ in range(max(1, repeat)):
            for name in cases:
                got = run(name)
                if name not in best or got.cpu < best[name].cpu:
                    best[name] = got
    return best


#: run in a fresh child (as ``validate`` would run): the CPU of each step of ``claimgraph validate``
_STEPS = r"""
import json, sys, time
cpu = time.process_time
steps = [("interpreter start (site, .pth files)", cpu())]

def step(name, fn):
    t = cpu(); out = fn(); steps.append((name, cpu() - t)); return out

step("import click, claimgraph.cli", lambda: __import__("claimgraph.cli"))
step("import pydantic, claimgraph.model", lambda: __import__("claimgraph.model"))
step("import PyYAML, claimgraph.vocabulary", lambda: __import__("claimgraph.vocabulary"))
step("import the rest (cli.core, api, io, yaml_io)",
     lambda: (__import__("claimgraph.cli.core"), __import__("claimgraph.io.yaml_io")))
from claimgraph.dataset import assemble
from claimgraph.io import iter_records
from claimgraph.landscape import Landscape
from claimgraph.vocabulary import default_vocabulary
step("read claimgraph/vocabulary.yaml", default_vocabulary)
records, problems = step("read the bundled YAML (line/column marks)", lambda: iter_records(None))
ds = step("check the records (models, references)", lambda: assemble(records))
step("count (Landscape.dataset_stats)", lambda: Landscape.dataset_stats(ds))
print(json.dumps(steps))
"""


def breakdown(bytecode_cache: bool = True, repeat: int = 5) -> list[tuple[str, float]]:
    """Where ``claimgraph validate``'s CPU goes: each step's least CPU over ``repeat`` fresh
    children (the first step, the interpreter's start, is the CPU before the script runs)."""
    import json

    with tempfile.TemporaryDirectory(prefix="claimgraph-bench-pycache-") as pycache:
        env = child_env(pycache if bytecode_cache else None)
        best: dict[str, float] = {}
        for i in range(max(1, repeat) + 1):
            got = run_child([sys.executable, "-c", _STEPS], env)
            if got.status != 0:
                raise RuntimeError(f"the breakdown failed: {got.stderr[-500:]}")
            if i == 0:
                continue  # warm-up
            for name, sec in json.loads(got.stdout):
                best[name] = min(sec, best.get(name, sec))
    return list(best.items())


def bundled_yaml_readers():
    """Two ways to read the bundled landscape's YAML files, as functions of no argument: with the
    line/column marks claimgraph keeps (:func:`claimgraph.io.yaml_io.yaml_records`), and plain
    ``yaml.load(..., CSafeLoader)`` of the same texts, which keeps none; and the records read."""
    import yaml

    from claimgraph.io import SIDE_FILES, bundled_path
    from claimgraph.io.yaml_io import read_text, yaml_records

    files = sorted(f for f in bundled_path().glob("*.yaml") if f.name.lower() not in SIDE_FILES)
    texts = {f: read_text(f) for f in files}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def ours():
        return [list(yaml_records(f, texts[f])) for f in files]

    def plain():
        return [yaml.load(texts[f], Loader=loader) for f in files]

    return ours, plain, sum(len(x) for x in ours())


def yaml_cost(repeat: int = 20) -> tuple[float, float, int]:
    """CPU seconds (the least of ``repeat`` runs, in this process) of the two readers of
    :func:`bundled_yaml_readers`, and the records read."""
    ours, plain, n = bundled_yaml_readers()

    def least(fn) -> float:
        runs = []
        for _ in range(max(1, repeat)):
            t = time.process_time()
            fn()
            runs.append(time.process_time() - t)
        return min(runs)

    return least(ours), least(plain), n


def verdicts(best: dict[str, Child]) -> dict[str, str]:
    """One line per command: its CPU against bare Python's, and whether its target is met."""
    base = best["python -c pass"].cpu
    help_x = best["claimgraph --help"].cpu / base if base else float("inf")
    val = best["claimgraph validate"].cpu
    return {
        "claimgraph --help": f"{help_x:.2f}x bare Python's CPU; target at most {HELP_TARGET:g}x: "
                             + ("met" if help_x <= HELP_TARGET else "MISSED"),
        "claimgraph validate": f"{val / base:.2f}x bare Python's CPU; target under {VALIDATE_TARGET:g} s CPU: "
                               + ("met" if val < VALIDATE_TARGET else "MISSED"),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.startup", description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=10, help="runs of each command (the least CPU is kept)")
    ap.add_argument("--no-bytecode-cache", action="store_true",
                    help="compile the checkout's modules at every start (PYTHONDONTWRITEBYTECODE=1)")
    ap.add_argument("--all", action="store_true", help="also the other commands (stats, audit, show, query, ...)")
    a = ap.parse_args(argv)
    best = measure(a.repeat, bytecode_cache=not a.no_bytecode_cache, more=a.all)
    notes = verdicts(best)
    print(f"best of {a.repeat}, CPU = user + system seconds of the child; python {sys.version.split()[0]}; "
          f"bytecode {'not cached' if a.no_bytecode_cache else 'cached'}")
    print(f"{'command':36} {'cpu':>8} {'wall':>8}  note")
    for name, c in best.items():
        note = notes.get(name) or ("the baseline" if name == "python -c pass"
                                   else f"{c.cpu / best['python -c pass'].cpu:.2f}x bare Python's CPU")
        print(f"{name:36} {c.cpu:7.3f}s {c.wall:7.3f}s  {note}")
    print("\nwhere claimgraph validate's CPU goes (each step's best over fresh children):")
    steps = breakdown(not a.no_bytecode_cache, max(3, a.repeat // 2))
    for name, sec in steps:
        print(f"  {name:48} {sec * 1000:6.1f} ms")
    print(f"  {'total':48} {sum(s for _, s in steps) * 1000:6.1f} ms")
    ours, plain, n = yaml_cost()
    print(f"\nthe bundled YAML ({n} records), in one warm process: {ours * 1000:.1f} ms with line/column marks, "
          f"{plain * 1000:.1f} ms for yaml.load(CSafeLoader) of the same texts ({ours / plain:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
