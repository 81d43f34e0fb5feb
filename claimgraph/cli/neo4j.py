"""``claimgraph neo4j push|pull|cypher``: thin wrappers over :mod:`claimgraph.neo4j`.

Connection settings: ``--uri``, ``--user``, ``--password``, ``--database``, else the variables
``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``. The password is
never printed.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from typing import Any

import click

from .. import api
from ..neo4j.connection import DEFAULT_BATCH_SIZE, DEFAULT_URI
from ..neo4j.ownership import DEFAULT_GRAPH, DEFAULT_LOCK_TIMEOUT
from ._common import emit_json, paths_argument, print_table, vocabulary_option

# The driver logs every retry as a warning; with no handler Python prints each one on stderr
# before our single clean error line. The CLI reports failures itself.
logging.getLogger("neo4j").addHandler(logging.NullHandler())
logging.getLogger("neo4j").propagate = False


def connection_options(f: Callable) -> Callable:
    f = click.option("--database", "-d", default=None, metavar="NAME",
                     help="database (default: $NEO4J_DATABASE, else the server's default)")(f)
    f = click.option("--password", default=None, metavar="PASSWORD",
                     help="password (default: $NEO4J_PASSWORD; prefer the variable: flags show up in ps)")(f)
    f = click.option("--user", "-u", default=None, metavar="USER",
                     help="user (default: $NEO4J_USERNAME, else neo4j)")(f)
    f = click.option("--uri", default=None, metavar="URI",
                     help=f"server (default: $NEO4J_URI, else {DEFAULT_URI})")(f)
    return f


def _connect(uri, user, password, database):
    from ..neo4j import connect

    return connect(uri=uri, user=user, password=password, database=database)


@click.group("neo4j")
def neo4j() -> None:
    """Push the landscape into Neo4j, pull it back, run Cypher (see docs/neo4j.md)."""


def graph_options(f: Callable) -> Callable:
    f = click.option("--lock-timeout", type=click.FloatRange(min=0), default=DEFAULT_LOCK_TIMEOUT,
                     show_default=True, metavar="SECONDS",
                     help="how long to wait for another push into the same database")(f)
    f = click.option("--graph", "-g", default=DEFAULT_GRAPH, show_default=True, metavar="NAME",
                     help="the graph (landscape) in the database: only what carries its name is touched")(f)
    return f


@neo4j.command()
@paths_argument
@vocabulary_option
@connection_options
@graph_options
@click.option("--replace", is_flag=True,
              help="also remove the graph's claims, entities, sources and rates that are not in the dataset")
@click.option("--batch-size", type=click.IntRange(min=1), default=DEFAULT_BATCH_SIZE,
              show_default=True, help="rows per transaction")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def push(paths, vocabulary, uri, user, password, database, graph, lock_timeout, replace, batch_size, fmt) -> None:
    """Write the landscape into Neo4j (idempotent: pushing twice changes nothing).

    A vocabulary extension (--vocabulary, or a dataset folder's vocabulary.yaml) is recorded
    in the database, so that pull and queries on Neo4j know it."""
    from ..neo4j.ownership import check_graph

    check_graph(graph)
    land = api.load(paths, vocabulary=vocabulary)  # bad input is reported before anything is sent
    with _connect(uri, user, password, database) as conn:
        result = api.push(land, conn=conn, replace=replace, batch_size=batch_size, progress=sys.stderr.isatty(),
                          graph=graph, lock_timeout=lock_timeout)
    if fmt == "json":
        emit_json(result.to_data())
    else:
        click.echo(f"{result} into {conn.where} graph {graph!r}")


@neo4j.command()
@connection_options
@vocabulary_option
@graph_options
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="dataset file to write (.json or .yaml)")
@click.option("--format", "fmt", type=click.Choice(["json", "yaml"]), default=None,
              help="default: from the file name, else json")
def pull(uri, user, password, database, vocabulary, graph, lock_timeout, output, fmt) -> None:
    """Read a graph back from Neo4j into a dataset file (checked: a graph edited by hand into
    something wrong is reported node by node, exit 2).

    When the database holds a vocabulary extension (pushed with the data), it is written as
    vocabulary.yaml beside the file, so that the folder loads back with it."""
    from ..neo4j.ownership import check_graph

    check_graph(graph)
    with _connect(uri, user, password, database) as conn:
        land = api.pull(output, conn=conn, format=fmt, vocabulary=vocabulary, graph=graph, lock_timeout=lock_timeout)
    click.echo(f"pulled {len(land.entities)} entities, {len(land.sources)} sources, {len(land.claims)} claims, "
               f"{len(land.rates)} rates from {conn.where} graph {graph!r} into {output}", err=True)
    if land.vocabulary.extension_data():
        from pathlib import Path

        from ..io import VOCABULARY_FILE

        click.echo(f"and the vocabulary extension the database holds into {Path(output).parent / VOCABULARY_FILE} "
                   "(load the folder, or give --vocabulary that file)", err=True)


def _param(text: str) -> tuple[str, Any]:
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise click.BadParameter(f"{text!r}: write KEY=VALUE", param_hint="--param")
    try:
        return key, json.loads(raw)
    except ValueError:
        return key, raw


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False)


@neo4j.command()
@click.argument("query")
@connection_options
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="query parameter $KEY (repeatable); VALUE is read as JSON when it parses "
                   "(5, true, [1,2], \"text\"), else as text")
@click.option("--write", is_flag=True, help="allow writes (default: READ access mode, writes are refused)")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def cypher(query, uri, user, password, database, params, write, fmt) -> None:
    """Run a Cypher QUERY (READ mode unless --write); '-' reads it from stdin.

    \b
    claimgraph neo4j cypher "MATCH (e:Entity {id: \\$id})-[r]->(o) RETURN type(r), o.name" -p id=nvidia
    """
    if query == "-":
        query = sys.stdin.read()
    values = dict(_param(p) for p in params)
    with _connect(uri, user, password, database) as conn:
        columns, rows = api.cypher(query, values, conn=conn, write=write)
    if fmt == "json":
        emit_json([dict(zip(columns, row, strict=True)) for row in rows])
    elif fmt == "csv":
        from ._terminal import csv_writer

        out = csv_writer()
        out.writerow(columns)
        for row in rows:
            out.writerow([_cell(v) for v in row])
    else:
        print_table(f"{len(rows)} rows", columns, [[_cell(v) for v in row] for row in rows])


__all__ = ["neo4j", "connection_options"]
