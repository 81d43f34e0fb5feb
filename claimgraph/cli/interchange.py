"""The ``claimgraph diff`` and ``claimgraph generate`` commands."""

from __future__ import annotations

import sys

import click

from .. import api
from ._common import cache_option, emit_json, print_table, vocabulary_option


@click.command()
@click.argument("old", type=click.Path(dir_okay=True))
@click.argument("new", type=click.Path(dir_okay=True))
@vocabulary_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@cache_option
def diff(old: str, new: str, vocabulary, fmt: str) -> None:
    """What changed from OLD to NEW: claims added, removed and changed, status changes.

    OLD and NEW are dataset files or folders. Lists status upgrades and downgrades and the
    sources and entities added. Exit 0 when equal, 1 when not."""
    result = api.diff(old, new, vocabulary=vocabulary)
    if fmt == "json":
        emit_json(result.to_data())
    elif result.equal:
        click.echo("no differences")
    else:
        s = result.summary()
        click.echo(", ".join(f"{n} {k.replace('_', ' ')}" for k, n in s.items() if n))
        if result.claims_added or result.claims_removed or result.claims_renamed:
            rows = [["added", k] for k in result.claims_added] + [["removed", k] for k in result.claims_removed]
            rows += [["renamed", f"{a} -> {b}"] for a, b in result.claims_renamed]
            print_table("claims added / removed", ["change", "claim"], rows)
        if result.status_changes:
            print_table("status changes", ["claim", "status", "change", "claim says", "history entry to append"],
                        [[c.id, f"{c.old} -> {c.new}", c.direction, c.text,
                          c.history_text() or "(recorded in its history)"] for c in result.status_changes])
        if result.claims_changed:
            print_table("claims changed", ["claim", "fields"],
                        [[c.id, ", ".join(c.fields)] for c in result.claims_changed])
        rows = []
        for what in ("sources", "entities"):
            rows += [[what, "added", k] for k in getattr(result, f"{what}_added")]
            rows += [[what, "removed", k] for k in getattr(result, f"{what}_removed")]
            rows += [[what, "changed", f"{c.id} ({', '.join(c.fields)})"] for c in getattr(result, f"{what}_changed")]
        if result.rates_changed:
            rows.append(["rates", "changed", ""])
        if rows:
            print_table("sources and entities", ["what", "change", "id"], rows)
    sys.exit(0 if result.equal else 1)


@click.command()
@click.option("--entities", "n_entities", type=click.IntRange(min=1), default=200, show_default=True, help="number of entities")
@click.option("--claims", "n_claims", type=click.IntRange(min=0), default=1000, show_default=True, help="number of claims")
@click.option("--seed", type=int, default=0, show_default=True, help="same seed, same landscape")
@click.option("-o", "--output", required=True, type=click.Path(), help="folder to write (appears whole or not at all)")
@click.option("--format", "fmt", type=click.Choice(["yaml", "csv"]), default="yaml", show_default=True)
def generate(n_entities: int, n_claims: int, seed: int, output: str, fmt: str) -> None:
    """Write a synthetic landscape for tests and benchmarks.

    Every kind, predicate and status; heavy-tailed degrees; conflicting claims."""
    land = api.generate(n_entities, n_claims, seed, output=output, format=fmt)
    click.echo(f"wrote {output}: {len(land.entities)} entities, {len(land.claims)} claims, {len(land.sources)} sources ({fmt})", err=True)
