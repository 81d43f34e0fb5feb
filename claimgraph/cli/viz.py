"""``claimgraph html``, ``claimgraph report`` and ``claimgraph plot``."""

from __future__ import annotations

import click

from .. import api
from ._common import paths_argument, view_options


def _output(required_suffixes: tuple[str, ...] | None = None):
    return click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
                        help="file to write")


def _check_suffix(output: str, suffixes: tuple[str, ...]) -> None:
    if not output.lower().endswith(suffixes):
        raise click.BadParameter(f"{output}: give a file ending in {' or '.join(suffixes)}",
                                 param_hint="-o")


@click.command()
@paths_argument
@view_options
@_output()
@click.option("--focus", "focus_on", metavar="ENTITY",
              help="open the page on this entity's neighbourhood (id, name or alias); the rest expands on click")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 20), help="how many relations away from --focus")
@click.option("--title", help="page title")
@click.option("--layout", type=click.Choice(["auto", "python", "physics"]), default="auto", show_default=True,
              help="positions from Python (fast, physics off) or from physics in the browser; auto chooses by size")
def html(paths, as_of, min_status, output, focus_on, depth, title, layout) -> None:
    """Write the interactive landscape as one self-contained, offline HTML file."""
    path = api.html(output, paths, as_of=as_of, min_status=min_status, focus_on=focus_on,
                 depth=depth, title=title, layout=layout)
    click.echo(f"wrote {path}", err=True)


@click.command()
@paths_argument
@view_options
@_output()
@click.option("--title", help="report title")
def report(paths, as_of, min_status, output, title) -> None:
    """Write the shareable report: the graph, headline answers, claim ledger and sources."""
    path = api.report(output, paths, as_of=as_of, min_status=min_status, title=title)
    click.echo(f"wrote {path}", err=True)


@click.command()
@paths_argument
@view_options
@_output()
@click.option("--focus", "focus_on", metavar="ENTITY", help="only the neighbourhood of this entity")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 20))
@click.option("--title", help="picture title")
def plot(paths, as_of, min_status, output, focus_on, depth, title) -> None:
    """Write a static picture of the landscape (PNG or SVG, by the file's suffix)."""
    _check_suffix(output, (".png", ".svg"))
    path = api.plot(output, paths, as_of=as_of, min_status=min_status, focus_on=focus_on,
                 depth=depth, title=title)
    click.echo(f"wrote {path}", err=True)
