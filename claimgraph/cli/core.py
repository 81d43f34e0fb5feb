"""The core commands: validate, stats, audit, show and export."""

from __future__ import annotations

import sys

import click

from .. import api
from ._common import (
    emit_json,
    format_option,
    paths_argument,
    print_table,
    view_options,
    vocabulary_option,
)


@click.command()
@paths_argument
@vocabulary_option
@format_option("table", "json")
def validate(paths: tuple[str, ...], vocabulary, fmt: str) -> None:
    """Check datasets: every problem is printed as file:line:col, exit 2 if any."""
    result = api.validate(paths, vocabulary=vocabulary)
    if fmt == "json":
        emit_json({"valid": True} | result)
        return
    from ._terminal import safe

    for notice in result.get("notices", []):
        click.echo(f"note: {safe(notice)}")
    click.echo(f"ok: {result['entities']} entities, {result['claims']} claims, {result['sources']} sources")


@click.command()
@paths_argument
@view_options
@vocabulary_option
@format_option("table", "json")
def stats(paths, as_of, known_on, include_undated, min_status, vocabulary, fmt) -> None:
    """Counts of entities, claims and sources, and claims by status, stance and predicate."""
    result = api.stats(paths, as_of=as_of, min_status=min_status, known_on=known_on, include_undated=include_undated,
                       vocabulary=vocabulary)
    if fmt == "json":
        emit_json(result)
        return
    print_table("landscape", ["what", "count"],
                [[k, result[k]] for k in ("entities", "claims", "sources", "relations", "value_claims", "rates")])
    for key, title in (("by_status", "claims by status"), ("by_stance", "claims by stance"),
                       ("by_predicate", "claims by predicate"), ("by_kind", "entities by kind"),
                       ("by_tier", "sources by reliability")):
        print_table(title, [key.removeprefix("by_"), "count"], [[k, v] for k, v in result[key].items()])


@click.command()
@paths_argument
@view_options
@vocabulary_option
@format_option("table", "json")
@click.option("--all", "show_all", is_flag=True, help="show the info findings too (context the record already shows)")
@click.option("--strict", is_flag=True, help="exit 1 when there are critical or warning findings")
@click.option("--code", "codes", multiple=True, help="only these finding codes (repeatable)")
def audit(paths, as_of, known_on, include_undated, min_status, vocabulary, fmt, show_all, strict, codes) -> None:
    """The honesty lint: critical and warning findings grouped by claim (--all: info too)."""
    from ..honesty import CODES, SEVERITIES, summarize

    for code in codes:
        if code not in CODES:
            raise click.BadParameter(f"unknown code {code!r}: use {', '.join(CODES)}", param_hint="--code")
    findings = api.audit(paths, as_of=as_of, min_status=min_status, codes=tuple(codes) or None,
                         vocabulary=vocabulary, known_on=known_on, include_undated=include_undated)
    shown = findings if show_all else [f for f in findings if f.severity != "info"]
    counts = summarize(findings)
    if fmt == "json":
        emit_json([f.to_data() for f in shown])
    elif not findings:
        click.echo("no findings")
    else:
        if shown:
            hidden = len(findings) - len(shown)
            title = f"{len(shown)} findings" + (f" ({hidden} info hidden: --all shows them)" if hidden else "")
            print_table(title, ["claim", "severity", "code", "finding", "sources"], _by_claim(shown))
        else:
            click.echo("no critical or warning findings")
        parts = []
        for sev in SEVERITIES:
            by_code = counts.get(sev, {})
            n = sum(by_code.values())
            detail = ", ".join(f"{code} {k}" for code, k in by_code.items())
            parts.append(f"{sev} {n}" + (f" ({detail})" if detail else ""))
        click.echo("summary: " + "; ".join(parts))
    if strict and any(f.severity != "info" for f in findings):
        sys.exit(1)


def _by_claim(findings: list) -> list[list]:
    """Table rows: each claim's findings together, claims in order of their most severe finding
    (the findings come sorted by severity), the claim named on its first row only."""
    groups: dict[str, list] = {}
    for f in findings:
        groups.setdefault(f.claim_ids[0], []).append(f)
    rows = []
    for claim, items in groups.items():
        for i, f in enumerate(items):
            text = f.message.removeprefix(claim + " ")  # the claim has its own column
            rows.append([claim if i == 0 else "", f.severity, f.code, text, ", ".join(f.source_ids)])
    return rows


@click.command()
@click.argument("entity")
@paths_argument
@view_options
@vocabulary_option
@format_option("table", "json")
def show(entity, paths, as_of, known_on, include_undated, min_status, vocabulary, fmt) -> None:
    """An entity (by id, name or alias, any script) and its claims, in and out."""
    result = api.show(entity, paths, as_of=as_of, min_status=min_status, known_on=known_on,
                      include_undated=include_undated, vocabulary=vocabulary)
    ent, claims, land = result["entity"], result["claims"], result["landscape"]
    if fmt == "json":
        emit_json({"entity": ent.model_dump(mode="json", exclude_none=True),
                   "claims": [c.to_data() | {"text": land.describe(c)} for c in claims]})
        return
    from ._terminal import safe

    click.echo(safe(f"{ent.name} ({ent.kind}, id {ent.id})"))
    if ent.aliases:
        click.echo(safe(f"aliases: {', '.join(ent.aliases)}"))
    rows = []
    for c in claims:
        srcs = "; ".join(f"{s.publisher} ({s.tier.value})" for s in land.sources_of(c))
        when = " / ".join(x for x in (str(c.stated_on or ""), _validity(c)) if x)
        rows.append([c.id, land.describe(c), c.status.value, when, srcs])
    print_table(f"{len(claims)} claims", ["claim", "says", "status", "stated / valid", "sources"], rows)


def _validity(c) -> str:
    if c.on:
        return f"on {c.on}"
    if c.valid_from or c.valid_until:
        return f"{c.valid_from or '…'}–{c.valid_until or '…'}"
    return ""


@click.command()
@paths_argument
@view_options
@vocabulary_option
@click.option("--format", "fmt", default="json", show_default=True, help="export format (see --list)")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=True), help="file (or folder) to write")
@click.option("--list", "list_formats", is_flag=True, help="list the export formats")
def export(paths, as_of, known_on, include_undated, min_status, vocabulary, fmt, output, list_formats) -> None:
    """Write the landscape in another format (json, ...), atomically."""
    formats = api.export_formats()
    if list_formats:
        for name, exp in sorted(formats.items()):
            click.echo(f"{name:12} {exp.doc}")
        return
    if fmt not in formats:
        raise click.BadParameter(f"unknown format {fmt!r}: use one of {', '.join(sorted(formats))}", param_hint="--format")
    if not output:
        raise click.UsageError("give the output file with -o FILE")
    path = api.export(output, fmt, paths, as_of=as_of, min_status=min_status, known_on=known_on,
                      include_undated=include_undated, vocabulary=vocabulary)
    click.echo(f"wrote {path}", err=True)


