"""The ``claimgraph import`` and ``claimgraph match`` commands."""

from __future__ import annotations

import click

from .. import api
from ._common import emit_json, print_table


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False), required=False)
@click.option("--map", "mapping", type=click.Path(dir_okay=False), help="the mapping file (YAML; see docs/import.md)")
@click.option("--format", "fmt", metavar="NAME", help="a well-known format instead of --map (see --list)")
@click.option("-o", "--output", type=click.Path(), help="the dataset folder to write")
@click.option("--skip-invalid", is_flag=True, help="write the valid rows; the others go to the rejects file with their reasons")
@click.option("--rejects", type=click.Path(dir_okay=False), help="the rejects file (default: beside the folder, OUT.rejects.csv or .jsonl)")
@click.option("--as", "out_format", type=click.Choice(["yaml", "csv"]), default="yaml", show_default=True,
              help="the dataset's format")
@click.option("--language", metavar="CODE", help="Wikidata entity JSON: the language of entity names (default en); "
              "the other labels become aliases")
@click.option("--list", "list_formats", is_flag=True, help="list the well-known formats")
@click.option("--show-map", is_flag=True, help="print the mapping file of --format NAME (to copy and adapt)")
@click.option("--json", "as_json", is_flag=True, help="print the report as JSON")
def import_(file, mapping, fmt, output, skip_invalid, rejects, out_format, language, list_formats, show_map, as_json) -> None:
    """Import FILE (CSV, JSON or JSON lines) with a mapping file or a well-known format into a
    dataset folder that claimgraph validate accepts. Bad rows: every problem is printed and
    nothing is written (exit 2), or with --skip-invalid they go to a rejects file."""
    from ..importers import FORMATS, mapping_text

    if list_formats:
        for name, (_, doc) in sorted(FORMATS.items()):
            click.echo(f"{name:26} {doc}")
        return
    if show_map:
        if not fmt:
            raise click.UsageError("--show-map prints the mapping of --format NAME")
        click.echo(mapping_text(fmt), nl=False)
        return
    if not file:
        raise click.UsageError("give the FILE to import")
    if not output:
        raise click.UsageError("give the dataset folder to write with -o DIR")
    report = api.import_file(file, output, mapping=mapping, format=fmt, skip_invalid=skip_invalid,
                             rejects=rejects, out_format=out_format, language=language)
    c = report["counts"]
    if as_json:
        emit_json({k: v for k, v in report.items() if k != "result"})
        return
    for note in report["notes"]:
        click.echo(f"note: {note}")
    for what, n in sorted(report["unmapped"].items()):
        click.echo(f"note: {n} rows of {what} matched no rule of the mapping (left out)")
    click.echo(f"imported {c['imported']} of {c['rows']} rows: {c['entities']} entities, {c['claims']} claims, "
               f"{c['sources']} sources -> {report['output']}")
    if report["rejects_file"]:
        click.echo(f"rejected {c['rejected']} rows, each with its reason -> {report['rejects_file']}", err=True)


@click.command()
@click.argument("a", type=click.Path(dir_okay=True))
@click.argument("b", type=click.Path(dir_okay=True))
@click.option("-o", "--output", type=click.Path(), help="the review file to write (or, with --apply, the merged dataset folder)")
@click.option("--apply", "apply", type=click.Path(dir_okay=False), help="an edited review file: merge the accepted pairs")
@click.option("--threshold", type=float, default=0.7, show_default=True, help="the lowest score proposed")
@click.option("--pending", type=click.Choice(["stop", "skip"]), default="stop", show_default=True,
              help="pairs still at review: stop the merge, or keep them apart")
@click.option("--as", "out_format", type=click.Choice(["yaml", "csv"]), default="yaml", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def match(a, b, output, apply, threshold, pending, out_format, fmt) -> None:
    """Propose which entities of datasets A and B are the same, scored, into a review file you
    edit (accept or reject each pair); with --apply REVIEW, merge A and B by the accepted pairs
    into the folder -o, and report what was matched. Nothing is merged on a guess."""
    result = api.match(a, b, output=output, apply=apply, threshold=threshold, pending=pending, out_format=out_format)
    if apply is None:
        found = result["matches"]
        if fmt == "json":
            emit_json([m.to_data() for m in found])
        else:
            print_table(f"{len(found)} proposed matches", ["A", "B", "score", "why"],
                        [[f"{m.a} ({m.a_name})", f"{m.b} ({m.b_name})", f"{m.score:.2f}", m.reason] for m in found])
        if output:
            click.echo(f"wrote {output}: set each decision to accept or reject, then run "
                       f"claimgraph match {a} {b} --apply {output} -o MERGED", err=True)
        return
    report = result["report"]
    if fmt == "json":
        emit_json(report.to_data())
    else:
        print_table(f"{len(report.merged)} entities merged", ["A", "B merged into it", "score", "why"],
                    [[f"{m.a} ({m.a_name})", f"{m.b} ({m.b_name})", f"{m.score:.2f}", m.reason] for m in report.merged])
        click.echo(f"kept apart: {len(report.rejected)} rejected, {len(report.pending)} still at review")
    if output:
        land = result["landscape"]
        click.echo(f"wrote {output}: {len(land.entities)} entities, {len(land.claims)} claims", err=True)
