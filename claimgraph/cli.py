"""The command line: parse, call the library function of the same name, print.

Every command takes dataset PATHs (files or folders; none means the bundled landscape). Bad
input prints one line per problem (``file:line:col: message``) on stderr and exits with 2.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import api
from .errors import ClaimgraphError, DatasetError
from .model import STATUS_ORDER, Status, as_date

EXIT_BAD_INPUT = 2


def _console(stderr: bool = False) -> Console:
    width = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "160"))
    return Console(stderr=stderr, width=width, soft_wrap=False, highlight=False)


class ClaimgraphGroup(click.Group):
    """Turns library errors into one-line messages and exit status 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
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
@click.version_option(package_name="claimgraph")
def main() -> None:
    """claimgraph: an honest knowledge graph of competitive landscapes.

    With no PATH, commands use the bundled AI-chip landscape (ai-chips).
    """


# -- shared options ----------------------------------------------------------------------------
def _check_date(ctx, param, value):
    if value is None:
        return None
    try:
        return as_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _check_status(ctx, param, value):
    if value is None:
        return None
    try:
        return Status.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def paths_argument(f: Callable) -> Callable:
    return click.argument("paths", nargs=-1, type=click.Path(dir_okay=True))(f)


def view_options(f: Callable) -> Callable:
    """``--as-of DATE`` and ``--min-status S``, applied before the command runs."""
    f = click.option("--min-status", callback=_check_status, metavar="STATUS",
                     help=f"drop claims weaker than this ({' < '.join(s.value for s in STATUS_ORDER)})")(f)
    f = click.option("--as-of", callback=_check_date, metavar="DATE",
                     help="only claims valid on this day (YYYY-MM-DD, or YYYY-MM / YYYY: its first day)")(f)
    return f


def format_option(*choices: str, default: str = "table") -> Callable:
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_table(title: str | None, columns: list[str], rows: list[list[Any]]) -> None:
    table = Table(title=title, show_lines=False, header_style="bold")
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        # cells are data, not rich markup: "[depth=3]" must print as written
        table.add_row(*("" if v is None else escape(str(v)) for v in row))
    _console().print(table)


# -- commands ----------------------------------------------------------------------------------
@main.command()
@paths_argument
@format_option("table", "json")
def validate(paths: tuple[str, ...], fmt: str) -> None:
    """Check datasets: every problem is printed as file:line:col, exit 2 if any."""
    result = api.validate(paths)
    if fmt == "json":
        emit_json({"valid": True} | result)
        return
    for notice in result.get("notices", []):
        click.echo(f"note: {notice}")
    click.echo(f"ok: {result['entities']} entities, {result['claims']} claims, {result['sources']} sources")


@main.command()
@paths_argument
@view_options
@format_option("table", "json")
def stats(paths, as_of, min_status, fmt) -> None:
    """Counts of entities, claims and sources, and claims by status, stance and predicate."""
    result = api.stats(paths, as_of=as_of, min_status=min_status)
    if fmt == "json":
        emit_json(result)
        return
    print_table("landscape", ["what", "count"],
                [[k, result[k]] for k in ("entities", "claims", "sources", "relations", "value_claims", "rates")])
    for key, title in (("by_status", "claims by status"), ("by_stance", "claims by stance"),
                       ("by_predicate", "claims by predicate"), ("by_kind", "entities by kind"),
                       ("by_tier", "sources by reliability")):
        print_table(title, [key.removeprefix("by_"), "count"], [[k, v] for k, v in result[key].items()])


@main.command()
@paths_argument
@view_options
@format_option("table", "json")
@click.option("--strict", is_flag=True, help="exit 1 when there are findings")
@click.option("--code", "codes", multiple=True, help="only these finding codes (repeatable)")
def audit(paths, as_of, min_status, fmt, strict, codes) -> None:
    """The honesty lint: weakly confirmed, contested, conflicting, stale and single-source claims."""
    from .graph.audit import CODES

    for code in codes:
        if code not in CODES:
            raise click.BadParameter(f"unknown code {code!r}: use {', '.join(CODES)}", param_hint="--code")
    findings = api.audit(paths, as_of=as_of, min_status=min_status, codes=tuple(codes) or None)
    if fmt == "json":
        emit_json([f.to_data() for f in findings])
    elif not findings:
        click.echo("no findings")
    else:
        print_table(f"{len(findings)} findings", ["code", "finding", "claims", "sources"],
                    [[f.code, f.message, ", ".join(f.claim_ids), ", ".join(f.source_ids)] for f in findings])
    if strict and findings:
        sys.exit(1)


@main.command()
@click.argument("entity")
@paths_argument
@view_options
@format_option("table", "json")
def show(entity, paths, as_of, min_status, fmt) -> None:
    """An entity (by id, name or alias, any script) and its claims, in and out."""
    result = api.show(entity, paths, as_of=as_of, min_status=min_status)
    ent, claims, land = result["entity"], result["claims"], result["landscape"]
    if fmt == "json":
        emit_json({"entity": ent.model_dump(mode="json", exclude_none=True),
                   "claims": [c.to_data() | {"text": land.describe(c)} for c in claims]})
        return
    click.echo(f"{ent.name} ({ent.kind}, id {ent.id})")
    if ent.aliases:
        click.echo(f"aliases: {', '.join(ent.aliases)}")
    rows = []
    for c in claims:
        srcs = "; ".join(f"{s.publisher} ({s.tier.value})" for s in land.sources_of(c))
        when = " / ".join(x for x in (str(c.stated_on or ""), _validity(c)) if x)
        rows.append([c.id, land.describe(c), c.status.value, when, srcs])
    print_table(f"{len(claims)} claims", ["claim", "says", "status", "stated / valid", "sources"], rows)


def _validity(c) -> str:
    if c.valid_from or c.valid_until:
        return f"{c.valid_from or '…'}–{c.valid_until or '…'}"
    return ""


@main.command()
@paths_argument
@view_options
@click.option("--format", "fmt", default="json", show_default=True, help="export format (see --list)")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=True), help="file (or folder) to write")
@click.option("--list", "list_formats", is_flag=True, help="list the export formats")
def export(paths, as_of, min_status, fmt, output, list_formats) -> None:
    """Write the landscape in another format (json, ...), atomically."""
    from .loaders.export import EXPORTERS

    if list_formats:
        for name, exp in sorted(EXPORTERS.items()):
            click.echo(f"{name:12} {exp.doc}")
        return
    if fmt not in EXPORTERS:
        raise click.BadParameter(f"unknown format {fmt!r}: use one of {', '.join(sorted(EXPORTERS))}", param_hint="--format")
    if not output:
        raise click.UsageError("give the output file with -o FILE")
    path = api.export(output, fmt, paths, as_of=as_of, min_status=min_status)
    click.echo(f"wrote {path}", err=True)


# -- commands from other modules ---------------------------------------------------------------
def _register_optional() -> None:
    """Commands whose modules live elsewhere; each module exposes a click command or group."""
    from .plugins import import_optional

    for module, attr in (
        ("claimgraph.queries.cli", "query"),
        ("claimgraph.loaders.neo4j_cli", "neo4j"),
        ("claimgraph.viz.cli", "html"),
        ("claimgraph.viz.cli", "report"),
        ("claimgraph.viz.cli", "plot"),
        ("claimgraph.loaders.interchange_cli", "diff"),
        ("claimgraph.loaders.interchange_cli", "generate"),
    ):
        mod = import_optional(module)
        cmd = getattr(mod, attr, None) if mod else None
        if cmd is not None:
            main.add_command(cmd)


_register_optional()


if __name__ == "__main__":
    main()
