"""The command line: parse, call the :mod:`claimgraph.api` function of the same name, print.

Every command takes dataset PATHs (files or folders; none means the bundled landscape). Bad
input prints one line per problem (``file:line:col: message``) on stderr and exits with 2.

Commands live in modules of this package and are imported only when run (``claimgraph --help``
imports none of them): :data:`COMMANDS` names each command's module and its one-line help.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import sys
import warnings
from typing import Any

import click

from .. import __version__

#: command -> (module in this package, one-line help shown by ``claimgraph --help``)
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("core", "Check datasets: every problem is printed as file:line:col, exit 2 if any."),
    "stats": ("core", "Counts of entities, claims and sources, and claims by status, stance and predicate."),
    "audit": ("core", "The honesty lint: critical and warning findings grouped by claim (--all: info too)."),
    "show": ("core", "An entity (by id, name or alias, any script) and its claims, in and out."),
    "export": ("core", "Write the landscape in another format (json, yaml, csv, ...), atomically."),
    "query": ("query", "Run the canned query NAME: claimgraph query NAME [ARGS] [--param k=v ...] [PATH...]."),
    "html": ("viz", "Write the interactive landscape as one self-contained, offline HTML file."),
    "report": ("viz", "Write the shareable report: the graph, headline answers, claim ledger and sources."),
    "plot": ("viz", "Write a static picture of the landscape (PNG or SVG, by the file's suffix)."),
    "diff": ("interchange", "What changed from OLD to NEW: claims added, removed and changed, status changes."),
    "generate": ("interchange", "Write a synthetic landscape for tests and benchmarks."),
    "import": ("importing", "Import a CSV or JSON file with a mapping file or a known format (ftm, crunchbase-..., wikidata)."),
    "match": ("importing", "Propose which entities of two datasets are the same (a review file); merge the accepted ones."),
    "neo4j": ("neo4j", "Push the landscape into Neo4j, pull it back, run Cypher (see docs/neo4j.md)."),
}


class ClaimgraphGroup(click.Group):
    """Loads each command's module on first use, and turns library errors into one-line
    messages and exit status 2, never a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        spec = COMMANDS.get(name)
        if spec is None:
            return None
        module = importlib.import_module(f"{__name__}.{spec[0]}")
        return getattr(module, {"import": "import_"}.get(name, name).replace("-", "_"))

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name, cmd, rest = super().resolve_command(ctx, args)
        return name, (_with_force(cmd) if cmd is not None else None), rest

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        from ..errors import ClaimgraphError, DatasetError
        from ._terminal import safe

        try:
            with _notes_on_stderr():
                return super().invoke(ctx)
        except DatasetError as exc:  # file:line:col: message, one per problem
            for line in exc.lines():
                click.echo(safe(line), err=True)
            ctx.exit(exc.exit_code)
        except ClaimgraphError as exc:
            for line in exc.lines():
                click.echo(f"error: {safe(line)}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # `claimgraph ... | head`: the reader left; stop quietly like other tools
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
            ctx.exit(141)
        except OSError as exc:  # a file we could not read or write: the system's reason, one line
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {safe(where)}{exc.strerror or exc}", err=True)
            ctx.exit(2)
        except MemoryError:
            click.echo("error: not enough memory: give smaller inputs (split big files, or use CSV)", err=True)
            ctx.exit(2)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug of ours: still no traceback unless asked for
            if os.environ.get("CLAIMGRAPH_DEBUG"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc} (set CLAIMGRAPH_DEBUG=1 for the traceback)", err=True)
            ctx.exit(1)


FORCE_HELP = ("write even onto an input of this command, a folder claimgraph did not write, "
              "or into a device or FIFO")


def _with_force(cmd: click.Command) -> click.Command:
    """Give every writing command (one with an -o/--output option) ``--force``, and run it in
    a :func:`claimgraph.fileio.output_scope`: inputs it reads are not written onto unless
    forced (the guards themselves are in claimgraph/fileio.py)."""
    if isinstance(cmd, click.Group):
        for sub in cmd.commands.values():
            _with_force(sub)
        return cmd
    if getattr(cmd, "_claimgraph_force", False) or not any(p.name == "output" for p in cmd.params):
        return cmd
    cmd.params.append(click.Option(["--force"], is_flag=True, help=FORCE_HELP))
    callback = cmd.callback

    @functools.wraps(callback)
    def run(*args: Any, force: bool = False, **kwargs: Any) -> Any:
        from ..fileio import output_scope

        with output_scope(force=force):
            return callback(*args, **kwargs)

    cmd.callback = run
    cmd._claimgraph_force = True  # type: ignore[attr-defined]
    return cmd
@contextlib.contextmanager
def _notes_on_stderr():
    """What a time view left out (:class:`claimgraph.landscape.ViewNotice`) as ``note:`` lines
    on stderr, every time; other warnings as Python shows them."""
    with warnings.catch_warnings():
        warnings.filterwarnings("always", category=UserWarning, module=r"claimgraph(\.|$)")
        shown = warnings.showwarning

        def show(message, category, filename, lineno, file=None, line=None):
            if category.__name__ == "ViewNotice":
                click.echo(f"note: {message}", err=True)
            else:
                shown(message, category, filename, lineno, file, line)

        warnings.showwarning = show
        yield


@click.group(cls=ClaimgraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, package_name="claimgraph")  # the running code's, no metadata lookup
def main() -> None:
    """claimgraph: an honest knowledge graph of competitive landscapes.

    With no PATH, commands use the bundled AI-chip landscape (ai-chips).
    """


if __name__ == "__main__":
    main()
