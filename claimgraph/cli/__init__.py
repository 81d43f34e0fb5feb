"""The command line: parse, call the :mod:`claimgraph.api` function of the same name, print.

Every command takes dataset PATHs (files or folders; none means the bundled landscape). Bad
input prints one line per problem (``file:line:col: message``) on stderr and exits with 2.

Commands live in modules of this package and are imported only when run (``claimgraph --help``
imports none of them): :data:`COMMANDS` names each command's module and its one-line help.
"""

from __future__ import annotations

import importlib
import os
import sys
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
        return getattr(module, name.replace("-", "_"))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        from ..errors import ClaimgraphError, DatasetError

        try:
            return super().invoke(ctx)
        except DatasetError as exc:  # file:line:col: message, one per problem
            for line in exc.lines():
                click.echo(line, err=True)
            ctx.exit(exc.exit_code)
        except ClaimgraphError as exc:
            for line in exc.lines():
                click.echo(f"error: {line}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # `claimgraph ... | head`: the reader left; stop quietly like other tools
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
            ctx.exit(141)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug of ours: still no traceback unless asked for
            if os.environ.get("CLAIMGRAPH_DEBUG"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc} (set CLAIMGRAPH_DEBUG=1 for the traceback)", err=True)
            ctx.exit(1)


@click.group(cls=ClaimgraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, package_name="claimgraph")  # the running code's, no metadata lookup
def main() -> None:
    """claimgraph: an honest knowledge graph of competitive landscapes.

    With no PATH, commands use the bundled AI-chip landscape (ai-chips).
    """


if __name__ == "__main__":
    main()
