"""``claimgraph query``: run a canned query from the command line (see :mod:`claimgraph.queries`)."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api
from ..errors import ClaimgraphError
from ..queries import BACKENDS, QUERIES, cell_text, get_query
from ._common import cache_option, emit_json, print_table, view_options, vocabulary_option


def _split_params(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{pair!r}: write --param name=value", param_hint="--param")
        out[key.strip()] = value
    return out


def _is_path(arg: str) -> bool:
    from ..io import bundled_names

    return Path(arg).exists() or arg in bundled_names()


def _positionals(q, args: tuple[str, ...], params: dict) -> tuple[dict, list[str]]:
    """Fill the query's positional parameters from ARGS; what is left are dataset PATHs."""
    rest = list(args)
    for p in q.params:
        if not p.positional or p.name in params or not rest:
            continue
        if not p.required and _is_path(rest[0]):
            continue
        params[p.name] = rest.pop(0)
    return params, rest


def _print(q, rows, fmt: str) -> None:
    if fmt == "json":
        emit_json([r.to_dict() for r in rows])
        return
    if fmt == "csv":
        cols = q.row.columns()
        from ._terminal import csv_writer

        w = csv_writer()  # exact in a file or pipe, control characters escaped on a terminal
        w.writerow(cols)
        for r in rows:
            w.writerow([cell_text(getattr(r, c)) for c in cols])
        return
    cols = q.table_columns()
    print_table(f"{q.name}: {len(rows)} rows", cols,
                [[cell_text(getattr(r, c)) for c in cols] for r in rows])  # print_table escapes


@click.command(name="query", context_settings={"ignore_unknown_options": False})
@click.argument("name", required=False)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.option("--list", "list_queries", is_flag=True, help="list the queries and their parameters")
@click.option("--param", "-p", "pairs", multiple=True, metavar="NAME=VALUE", help="a query parameter (repeatable)")
@click.option("--backend", type=click.Choice(list(BACKENDS)), default="embedded", show_default=True,
              help="embedded (networkx, no server) or neo4j (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD)")
@click.option("--graph", "-g", default=None, metavar="NAME",
              help="with --backend neo4j: the graph to read (the name given to neo4j push --graph; default: default)")
@view_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@cache_option
@vocabulary_option
def query(name, args, list_queries, pairs, backend, graph, as_of, known_on, include_undated, min_status, fmt,
          vocabulary) -> None:
    """Run the canned query NAME: claimgraph query NAME [ARGS] [--param k=v ...] [PATH...].

    ARGS fill the query's positional parameters, in order (the upper-case ones that
    claimgraph query --list shows); entities are ids, names or aliases in any script.
    The remaining arguments are dataset PATHs (none: the bundled landscape). With
    --backend neo4j the query runs as Cypher against the database (push it first with
    claimgraph neo4j push).
    """
    if list_queries or not name:
        if not list_queries:
            raise click.UsageError("give a query NAME, or --list to see them")
        rows = []
        for q in QUERIES.values():
            params = " ".join(
                (p.name.upper() if p.positional and p.required else f"[{p.name.upper()}]") if p.positional
                else f"[{p.name}={p.default if p.default is not None else '…'}]" for p in q.params)
            rows.append([q.name, params, q.summary])
        print_table(f"{len(rows)} queries", ["query", "parameters", "question"], rows)
        return
    q = get_query(name)
    params, paths = _positionals(q, args, _split_params(pairs))
    if backend == "neo4j" and paths:
        raise ClaimgraphError(f"--backend neo4j queries the database, not files: push {paths[0]} first "
                              "with 'claimgraph neo4j push', then run the query without PATH")
    if graph is not None and backend != "neo4j":
        raise ClaimgraphError(f"--graph {graph} names a graph in Neo4j: add --backend neo4j")
    rows = api.query(q.name, paths or None, backend=backend, min_status=min_status, as_of=as_of,
                     known_on=known_on, include_undated=include_undated, vocabulary=vocabulary, graph=graph,
                     **params)
    _print(q, rows, fmt)
