"""What every command shares: dataset paths, the view options, --format, and printing.

Defined once here; each command module imports them.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from ..model import STATUS_ORDER, Status
from ..values import as_date


def _console(stderr: bool = False):
    from rich.console import Console

    width = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "160"))
    return Console(stderr=stderr, width=width, soft_wrap=False, highlight=False)


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


def _set_cache(ctx, param, value):
    from ..io import cache

    token = cache.use_cache(not value)  # CLAIMGRAPH_NO_CACHE=1 still wins (cache.enabled)
    ctx.call_on_close(lambda: cache.reset(token))
    return value


def cache_option(f: Callable) -> Callable:
    """``--no-cache``: read and check the files even when the validated cache holds them."""
    return click.option("--no-cache", is_flag=True, expose_value=False, callback=_set_cache,
                        help="read and check the files, neither using nor writing the validated cache "
                             "($CLAIMGRAPH_CACHE; CLAIMGRAPH_NO_CACHE=1 does the same)")(f)


def paths_argument(f: Callable) -> Callable:
    return cache_option(click.argument("paths", nargs=-1, type=click.Path(dir_okay=True))(f))


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
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold")
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        # cells are data, not rich markup: "[depth=3]" must print as written
        table.add_row(*("" if v is None else escape(str(v)) for v in row))
    _console().print(table)
