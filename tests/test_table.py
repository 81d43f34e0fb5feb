"""Tables: the fast renderer draws what rich draws, and the audit's table says what its JSON says."""

import io
import json
import os
import random
import subprocess
import sys

import pytest
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from claimgraph.cli._table import render_table


def rich_output(width: int, title, columns, rows, terminal: bool = False) -> str:
    out = io.StringIO()
    table = Table(title=None if title is None else escape(title), show_lines=False, header_style="bold")
    for col in columns:
        table.add_column(escape(col), overflow="fold")
    for row in rows:
        table.add_row(*(escape(c) for c in row))
    Console(file=out, width=width, highlight=False, emoji=False, force_terminal=terminal,
            color_system="truecolor" if terminal else None).print(table)
    return out.getvalue()


def ours(width: int, title, columns, rows, terminal: bool = False) -> str:
    out = io.StringIO()
    render_table(Console(file=out, width=width, highlight=False, emoji=False, force_terminal=terminal,
                         color_system="truecolor" if terminal else None), title, columns, rows)
    return out.getvalue()


def test_a_narrow_table_wraps_words_and_folds_a_long_id_by_hand():
    got = ours(30, "findings", ["claim", "finding"],
               [["c1", "is confirmed, but its only support is self-media"],
                ["a-very-long-claim-identifier", "ok"]])
    lines = [line.rstrip() for line in got.splitlines()]
    assert lines == [
        "           findings",
        "┏━━━━━━━━━━━━━┳━━━━━━━━━━━━━━┓",
        "┃ claim       ┃ finding      ┃",
        "┡━━━━━━━━━━━━━╇━━━━━━━━━━━━━━┩",
        "│ c1          │ is           │",
        "│             │ confirmed,   │",
        "│             │ but its only │",
        "│             │ support is   │",
        "│             │ self-media   │",
        "│ a-very-long │ ok           │",
        "│ -claim-iden │              │",
        "│ tifier      │              │",
        "└─────────────┴──────────────┘",
    ]


WORDS = ["Acme", "supplies", "Bolt", "[bold]", "[/]", ":fire:", "—", "“quoted”", "株式会社", "テスト用の長い名前",
         "e\u0301", "🙂", "x" * 37, "src-000123,", "a  b", " lead", "trail ", "", "中", "Ωμέγα", "[link=x]y"]  # (rich.markup.escape loses the backslash of "\\[": not compared)


def random_text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 12)))


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_are_drawn_as_rich_draws_them(seed):
    rng = random.Random(seed)
    ncols = rng.randint(1, 6)
    columns = [rng.choice(["claim", "severity", "finding", "sources", "名前", "a b c"]) for _ in range(ncols)]
    rows = [[random_text(rng) for _ in range(ncols)] for _ in range(rng.randint(0, 25))]
    title = rng.choice([None, "3 findings", "テスト " * 8])
    for width in (12, 20, 41, 80, 160, 400):
        assert ours(width, title, columns, rows) == rich_output(width, title, columns, rows), (seed, width)


def test_on_a_terminal_the_header_keeps_rich_styles():
    columns, rows = ["claim", "finding"], [["c1", "is confirmed, but its only support is self-media"]] * 3
    got = ours(40, "3 findings", columns, rows, terminal=True)
    assert "\x1b[1m" in got  # the bold header, from rich
    assert got == rich_output(40, "3 findings", columns, rows, terminal=True)


def test_dataset_text_prints_as_written_not_as_markup_or_emoji():
    got = ours(120, None, ["note"], [["[bold]x[/] :fire: \\[y]"]])
    assert "[bold]x[/] :fire: \\[y]" in got


def test_audit_table_lists_every_finding_of_its_json(tmp_path):
    env = {**os.environ, "COLUMNS": "400", "CLAIMGRAPH_NO_CACHE": "1"}

    def run(*args):
        res = subprocess.run([sys.executable, "-m", "claimgraph.cli", "audit", *args], capture_output=True,
                             text=True, env=env, timeout=120)
        assert res.returncode == 0, res.stderr
        return res.stdout

    findings = json.loads(run("--format", "json"))
    table = run()
    assert f"{len(findings)} findings" in table
    # each finding's claim, code and sources on one line of a wide table
    lines = table.splitlines()
    for f in findings:
        assert any(f["code"] in line and ", ".join(f["source_ids"]) in line for line in lines), f
    severities = [line.split("│")[2].strip() for line in lines if line.startswith("│ ")]
    assert sum(1 for s in severities if s) == len(findings)
    assert [s for s in severities if s] == [f["severity"] for f in findings]
