"""What every command shares: dataset paths, the view options, --vocabulary, --format, and printing.

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
    return Console(stderr=stderr, width=width, soft_wrap=False, highlight=False, emoji=False)


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
    """``--as-of DATE``, ``--known-on DATE``, ``--include-undated`` and ``--min-status S``,
    applied before the command runs (docs/time.md)."""
    f = click.option("--min-status", callback=_check_status, metavar="STATUS",
                     help=f"drop claims weaker than this ({' < '.join(s.value for s in STATUS_ORDER)}); "
                     "with --known-on, by the status each claim had that day")(f)
    f = click.option("--include-undated", is_flag=True,
                     help="with --as-of, keep claims that carry no date at all (left out by default, with a note)")(f)
    f = click.option("--known-on", callback=_check_date, metavar="DATE",
                     help="only what was on the record on this day: claims stated or sourced by then, each "
                     "with the status it had then, without sources published later (YYYY-MM-DD, or "
                     "YYYY-MM / YYYY: its first day)")(f)
    f = click.option("--as-of", callback=_check_date, metavar="DATE",
                     help="only claims that held on this day (YYYY-MM-DD, or YYYY-MM / YYYY: its first day)")(f)
    return f


def vocabulary_option(f: Callable) -> Callable:
    """``--vocabulary FILE``: a vocabulary extension for every command that loads data."""
    return click.option(
        "--vocabulary", "vocabulary", metavar="FILE", type=click.Path(dir_okay=False),
        help="extend the vocabulary with this YAML file (the format of claimgraph/vocabulary.yaml: "
             "predicates, kinds, stances, qualifiers, units); a dataset folder's vocabulary.yaml is read too")(f)


def format_option(*choices: str, default: str = "table") -> Callable:
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True)


def emit_json(data: Any) -> None:
    from ._terminal import safe_json

    click.echo(safe_json(json.dumps(data, ensure_ascii=False, indent=2, default=str)))


def print_table(title: str | None, columns: list[str], rows: list[list[Any]]) -> None:
    """Print a table on stdout: rich's layout, drawn by :func:`._table.render_table` (a
    45k-row table in about a second). Cells are data, never rich markup ("[depth=3]" prints as
    written, ":fire:" too) nor terminal controls."""
    from ._table import cells_of, render_table
    from ._terminal import safe

    render_table(_console(), None if title is None else safe(title), [safe(c) for c in columns],
                 [cells_of(row) for row in rows])
