"""``claimgraph html``, ``claimgraph report`` and ``claimgraph plot``."""

from __future__ import annotations

import click

from .. import api
from ._common import paths_argument, view_options, vocabulary_option


def _output(required_suffixes: tuple[str, ...] | None = None):
    # any path: what cannot be written onto (a folder, a device) is refused in one line by
    # claimgraph.fileio, as for every writing command
    return click.option("-o", "--output", "output", required=True, type=click.Path(),
                        help="file to write")


def _check_suffix(output: str, suffixes: tuple[str, ...]) -> None:
    if not output.lower().endswith(suffixes):
        raise click.BadParameter(f"{output}: give a file ending in {' or '.join(suffixes)}",
                                 param_hint="-o")


@click.command()
@paths_argument
@view_options
@vocabulary_option
@_output()
@click.option("--focus", "focus_on", metavar="ENTITY",
              help="open the page on this entity's neighbourhood (id, name or alias); the rest expands on click")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 20), help="how many relations away from --focus")
@click.option("--title", help="page title")
@click.option("--layout", type=click.Choice(["auto", "python", "physics"]), default="auto", show_default=True,
              help="positions from Python (fast, physics off) or from physics in the browser; auto chooses by size")
@click.option("--page", "page", type=click.Choice(["auto", "summary", "full"]), default="auto", show_default=True,
              help="summary: open on the most influential entities (the rest by search and expansion); "
                   "auto: a summary above 5,000 claims or 2,000 entities")
def html(paths, as_of, known_on, include_undated, min_status, vocabulary, output, focus_on, depth, title, layout,
         page) -> None:
    """Write the interactive landscape as one self-contained, offline HTML file."""
    path = api.html(output, paths, as_of=as_of, min_status=min_status, focus_on=focus_on,
                 depth=depth, title=title, layout=layout, known_on=known_on, include_undated=include_undated,
                    vocabulary=vocabulary, page=page)
    click.echo(f"wrote {path}", err=True)


@click.command()
@paths_argument
@view_options
@vocabulary_option
@_output()
@click.option("--title", help="report title")
@click.option("--focus", "focus", metavar="ENTITY",
              help="the entity the headline sections are about (id, name or alias); default: the "
                   "landscape's report.yaml, else chosen from the data")
@click.option("--page", "page", type=click.Choice(["auto", "summary", "full"]), default="auto", show_default=True,
              help="summary: open on the most influential entities (the rest by search and expansion); "
                   "auto: a summary above 5,000 claims or 2,000 entities")
def report(paths, as_of, known_on, include_undated, min_status, vocabulary, output, title, focus, page) -> None:
    """Write the shareable report: the graph, headline answers, claim ledger and sources.

    The headline sections come from the report.yaml beside the dataset files (the bundled
    landscape has one), else from defaults that choose their entities from the data.
    """
    path = api.report(output, paths, as_of=as_of, min_status=min_status, title=title, focus=focus,
                      vocabulary=vocabulary, known_on=known_on, include_undated=include_undated, page=page)
    click.echo(f"wrote {path}", err=True)


@click.command()
@paths_argument
@view_options
@vocabulary_option
@_output()
@click.option("--focus", "focus_on", metavar="ENTITY", help="only the neighbourhood of this entity")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 20))
@click.option("--title", help="picture title")
def plot(paths, as_of, known_on, include_undated, min_status, vocabulary, output, focus_on, depth, title) -> None:
    """Write a static picture of the landscape (PNG or SVG, by the file's suffix)."""
    _check_suffix(output, (".png", ".svg"))
    path = api.plot(output, paths, as_of=as_of, min_status=min_status, focus_on=focus_on,
                 depth=depth, title=title, known_on=known_on, include_undated=include_undated,
                    vocabulary=vocabulary)
    click.echo(f"wrote {path}", err=True)
