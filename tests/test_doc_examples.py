"""Every documented example runs.

Each ``claimgraph ...`` command line of README.md and docs/*.md is one test (id ``FILE:LINE``):
the lines of fenced ``bash`` / ``sh`` / ``shell`` / ``console`` / unlabelled code blocks (a
``$ `` prompt is taken off; in ``console`` and ``text`` blocks only the ``$ `` lines are
commands, the rest is output) and inline code spans that start with ``claimgraph `` (an example
in the middle of a sentence counts). Each runs through the real CLI, ``python3 -m claimgraph``
of this checkout, in ``bash`` in a fresh temporary folder, and must exit 0 unless the docs say
otherwise. The rules a writer of docs needs (also in README.md, *Documented examples*):

- **Expected exit.** A fenced line whose comment *starts* with ``exit N`` (``claimgraph diff
  a/ b/   # exit 1: they differ``) must exit N, and so must an inline span with such a comment
  or an HTML comment right after it: ```claimgraph audit --strict`<!-- exit 1 -->``. Anything
  else must exit 0.
- **Synopses are checked, not run.** A line with placeholders (``FILE``, ``DIR``, ``[--all]``,
  ``PATH...``, ``table|json``, ``...``) or a ``|`` between subcommand names is a synopsis: its
  subcommands must exist and every ``--option`` it names must be one of that command's. So is
  a command only named in a sentence (```claimgraph audit` reads ...``: the command words and
  nothing else).
- **The working folder** holds tests/fixtures/doc-examples/ (the files the docs name as the
  reader's own: ``my-data/``, ``acquisitions.csv``, ...; its README.md says what each is), so
  every command writes there and nowhere else.
- **Blocks are sessions.** Before a fenced command, the lines above it in the same block that
  write something (``-o``/``--output``, ``neo4j push``) run first, and so does ``$EDITOR
  FILE``, which here accepts every proposed pair of a review file (a reader's edit).
- **Shell.** Line continuations, pipes into claimgraph (``echo ... | claimgraph neo4j cypher
  -``), environment prefixes and redirections run as bash runs them; a part of a line that is
  not claimgraph (``pip install . && ...``) is left out. Lines that do not start claimgraph
  (``scripts/neo4j-local/...``, ``cypher-shell``, ``neo4j-admin``) are not collected.
- **Neo4j.** A command with ``--backend neo4j`` or ``claimgraph neo4j ...`` runs against the
  test server (``NEO4J_URI`` etc. set), its database emptied and the bundled landscape pushed
  first: the state "push the landscape first" leaves.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import click
import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "doc-examples"
#: files of other fixtures that the working folder holds under the names the docs give them
#: (paths relative to tests/fixtures; see tests/fixtures/doc-examples/README.md)
COPIES = {
    "acquisitions.csv": "import/crunchbase-acquisitions.csv",
    "donations.ijson": "import/ftm-donations.ijson",
    "techcrunch-investments.csv": "import/techcrunch-investments.csv",
    "my-landscape": "openai-compute",
    "Q7747.json": "import/wikidata-q7747.json",
    "tests/fixtures/openai-compute": "openai-compute",   # examples run from a checkout
    "tests/fixtures/import": "import",
    "other-landscape": "doc-examples/my-data",
    "my-sheet.csv": "doc-examples/sheet.csv",
    "my-sheet.yaml": "doc-examples/sheet.yaml",
}


def doc_files() -> list[Path]:
    """README.md and docs/*.md, in that order."""
    return [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


# ---------------------------------------------------------------------------------- collection

#: fenced blocks whose lines are shell commands; in PROMPT_ONLY ones only ``$ `` lines are
SHELL_LANGS = {"", "bash", "sh", "shell", "console", "text"}
PROMPT_ONLY = {"console", "text"}
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)")
EXIT_COMMENT = re.compile(r"^exit (\d+)\b")
INLINE_EXIT = re.compile(r"\s*<!--\s*exit (\d+)\s*-->")
ENV_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
#: a token that stands for something the reader fills in: FILE, PATH..., [--all], ...
PLACEHOLDER = re.compile(r"\[.*|.*\]|.*\.\.\.|…|[A-Z][A-Z0-9_]*(\.\.\.)?")
#: programs a documented pipeline may put beside claimgraph (anything else makes a synopsis)
SHELL_TOOLS = {"echo", "printf", "cat", "head", "tail", "grep", "sort", "wc", "jq", "sed", "python3"}


@dataclass
class Example:
    """One documented command: where it is, the shell line, what exit it must give."""

    file: str
    line: int
    text: str                     # the command as documented (prompt and comment removed)
    expected_exit: int = 0
    synopsis: bool = False
    setup: list[str] = field(default_factory=list)   # earlier lines of its block that it needs
    nth: int = 1                  # the second example on one line is FILE:LINE#2

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line}" + (f"#{self.nth}" if self.nth > 1 else "")

    @property
    def needs_neo4j(self) -> bool:
        """It talks to Neo4j, or reads a file that a line above it pulled from Neo4j."""
        return _needs_neo4j(self.text) or any(
            _needs_neo4j(s) and _writes(claimgraph_stages(s), files_only=True) for s in self.setup)


def _needs_neo4j(code: str) -> bool:
    return any(words[1:2] == ["neo4j"] or "neo4j" in _option_values(words, "--backend")
               for words in claimgraph_stages(code))


def split_comment(line: str) -> tuple[str, str]:
    """``(code, comment)`` of a shell line: the comment starts at an unquoted ``#`` that begins
    a word.

    >>> split_comment('claimgraph neo4j cypher "MATCH (n) # not a comment"  # exit 2')
    ('claimgraph neo4j cypher "MATCH (n) # not a comment"', 'exit 2')
    """
    quote = None
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and quote != "'":
            i += 2
            continue
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip(), line[i + 1:].strip()
        i += 1
    return line.rstrip(), ""


def split_operators(code: str) -> list[str]:
    """A shell line cut at its unquoted ``&&``, ``||``, ``;`` and ``|``, the operators kept
    as items of their own.

    >>> split_operators('echo "a | b" | claimgraph neo4j cypher - && ls')
    ['echo "a | b"', '|', 'claimgraph neo4j cypher -', '&&', 'ls']
    """
    parts, start, quote, i = [], 0, None, 0
    while i < len(code):
        ch = code[i]
        if ch == "\\" and quote != "'":
            i += 2
            continue
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif code.startswith(("&&", "||"), i) or ch in ";|":
            op = code[i:i + 2] if code.startswith(("&&", "||"), i) else ch
            parts += [code[start:i].strip(), op]
            i += len(op)
            start = i
            continue
        i += 1
    parts.append(code[start:].strip())
    return [p for p in parts if p]


def _words(stage: str) -> list[str]:
    try:
        words = shlex.split(stage)
    except ValueError:
        words = stage.split()
    while words and ENV_ASSIGNMENT.match(words[0]):
        words.pop(0)
    return words


def _option_values(words: list[str], option: str) -> list[str]:
    values = [w.split("=", 1)[1] for w in words if w.startswith(option + "=")]
    values += [words[i + 1] for i, w in enumerate(words[:-1]) if w == option]
    return values


def claimgraph_stages(code: str) -> list[list[str]]:
    """The words of each part of a shell line that runs claimgraph (environment prefixes
    dropped).

    >>> claimgraph_stages("CLAIMGRAPH_NO_CACHE=1 claimgraph stats | head -3")
    [['claimgraph', 'stats']]
    """
    stages = [_words(p) for p in split_operators(code) if p not in ("&&", "||", ";", "|")]
    return [w for w in stages if w[:1] == ["claimgraph"]]


def is_synopsis(code: str) -> bool:
    """Whether a claimgraph line is a synopsis (placeholders, alternatives) rather than a
    command to run.

    >>> is_synopsis("claimgraph diff OLD NEW"), is_synopsis("claimgraph show tesla --as-of 2018")
    (True, False)
    >>> is_synopsis("claimgraph validate | stats | audit"), is_synopsis("echo x | claimgraph neo4j cypher -")
    (True, False)
    """
    parts = split_operators(code)
    for i, part in enumerate(parts):
        if part in ("&&", "||", ";", "|"):
            continue
        words = _words(part)
        if words[:1] == ["claimgraph"]:
            # shlex took quotes away: a quoted argument (a Cypher text) is never a placeholder
            raw = part.split()
            if any(PLACEHOLDER.fullmatch(w) for w in words[1:] if w in raw):
                return True
        elif i > 0 and parts[i - 1] == "|" and (not words or words[0] not in SHELL_TOOLS):
            return True    # claimgraph piped into a word that is no program: alternatives
    return False


def _fenced(lines: list[str], start: int, lang: str, file: str) -> list[Example]:
    """The commands of the block whose first line (after the fence) is ``lines[start]``."""
    examples: list[Example] = []
    steps: list[str] = []          # the block's earlier commands a later one may need
    i = start
    while i < len(lines):
        raw = lines[i]
        number = i + 1
        i += 1
        text = raw.strip()
        prompted = text.startswith("$ ")
        if prompted:
            text = text[2:]
        elif lang in PROMPT_ONLY:
            continue
        while text.endswith("\\") and i < len(lines):    # a line continuation
            text = text[:-1].rstrip() + " " + lines[i].strip()
            i += 1
        code, comment = split_comment(text)
        if not code:
            continue
        if code.startswith("$EDITOR "):
            steps.append(code)
            continue
        stages = claimgraph_stages(code)
        if not stages:
            continue
        synopsis = is_synopsis(code)
        if synopsis and lang in PROMPT_ONLY:     # a synopsis may go on, indented, on the next lines
            while i < len(lines) and re.match(r"^\s+\[", lines[i]):
                code += " " + split_comment(lines[i].strip())[0]
                i += 1
        # what runs: the parts of the line joined by && / ; that involve claimgraph
        pieces, piece = [], []
        for part in split_operators(code) + [";"]:
            if part in ("&&", "||", ";"):
                if any(_words(p)[:1] == ["claimgraph"] for p in piece if p != "|"):
                    pieces.append(" ".join(piece))
                piece = []
            else:
                piece.append(part)
        run = code if synopsis else " && ".join(pieces)
        match = EXIT_COMMENT.match(comment)
        examples.append(Example(file, number, run, int(match.group(1)) if match else 0,
                                synopsis, list(steps)))
        if not synopsis and _writes(stages):
            steps.append(run if not match else f"{run} || test $? -eq {match.group(1)}")
    return examples


def _writes(stages: list[list[str]], files_only: bool = False) -> bool:
    """Whether a line writes a file (``-o``) or, unless ``files_only``, into Neo4j (a push)."""
    return any("-o" in w or "--output" in w or any(x.startswith("--output=") for x in w)
               or (not files_only and w[1:3] == ["neo4j", "push"]) for w in stages)


def _inline(text: str, file: str) -> list[Example]:
    """The inline code spans of ``text`` (a document with its fenced blocks blanked out) that
    start with ``claimgraph ``, paragraph by paragraph (a span may go on to the next line)."""
    examples = []
    offset = 0
    for para in re.split(r"(\n[ \t]*\n)", text):
        for m in re.finditer(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", para, re.S):
            span = " ".join(m.group(2).split())
            if not re.match(r"claimgraph (-|[a-z])", span):
                continue
            line = text.count("\n", 0, offset + m.start()) + 1
            span, comment = split_comment(span)
            exit_ = EXIT_COMMENT.match(comment) or INLINE_EXIT.match(para, m.end())
            # a command named in a sentence (`claimgraph audit` reads ...) is checked as a name
            named = re.fullmatch(r"claimgraph( [a-z][a-z0-9-]*){1,2}", span) is not None
            examples.append(Example(file, line, span, int(exit_.group(1)) if exit_ else 0,
                                    named or is_synopsis(span)))
        offset += len(para)
    return examples


def collect(path: Path, name: str | None = None) -> list[Example]:
    """Every documented ``claimgraph`` command of the Markdown file ``path``, in order.

    >>> [e.text for e in collect(REPO / "README.md")][:2]
    ['claimgraph report -o report.html', 'claimgraph validate | stats | audit | show']
    """
    name = name or path.relative_to(REPO).as_posix()
    lines = path.read_text(encoding="utf-8").split("\n")
    examples: list[Example] = []
    prose = list(lines)
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        marker, lang = fence.group(2), fence.group(3).lower()
        end = i + 1
        while end < len(lines) and not re.match(rf"^\s*{marker[0]}{{{len(marker)},}}\s*$", lines[end]):
            end += 1
        if lang in SHELL_LANGS:
            examples += _fenced(lines[:end], i + 1, lang, name)
        for j in range(i, min(end + 1, len(lines))):
            prose[j] = ""
        i = end + 1
    examples += _inline("\n".join(prose), name)
    examples.sort(key=lambda e: e.line)
    seen: dict[int, int] = {}
    for e in examples:
        e.nth = seen[e.line] = seen.get(e.line, 0) + 1
    return examples


def _params():
    params = []
    for path in doc_files():
        for ex in collect(path):
            marks = [pytest.mark.neo4j] if ex.needs_neo4j and not ex.synopsis else []
            params.append(pytest.param(ex, id=ex.id, marks=marks))
    return params


# ----------------------------------------------------------------------------------- running

def check_synopsis(text: str) -> list[str]:
    """What is wrong with a synopsis: unknown subcommands, options the command lacks."""
    from claimgraph.cli import main

    problems = []
    alternatives = [a.strip() for a in re.split(r"\s\|\s", text)]
    path: list[str] = []
    for alt_index, alt in enumerate(alternatives):
        words = alt.split()[1:] if alt_index == 0 else path[:-1] + alt.split()
        cmd: click.Command = main
        ctx = click.Context(main, info_name="claimgraph")
        used: list[str] = []
        for w in words:
            if not isinstance(cmd, click.Group) or w.startswith("-") or PLACEHOLDER.fullmatch(w):
                break
            sub = cmd.resolve_command(ctx, [w])[1] if w in cmd.list_commands(ctx) else None
            if sub is None:
                problems.append(f"'{' '.join(['claimgraph', *used, w])}' is no command")
                break
            cmd, used = sub, used + [w]
            ctx = click.Context(cmd, parent=ctx, info_name=w)
        if alt_index == 0:
            path = used
        options = {o for p in cmd.params for o in (*p.opts, *p.secondary_opts)} | {"-h", "--help"}
        for opt in re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", alt):
            if opt not in options:
                problems.append(f"'claimgraph {' '.join(used)}' has no option {opt}")
    return problems


@pytest.fixture
def workdir(tmp_path):
    """A working folder holding the reader's files, with ``claimgraph`` (this checkout's) and
    ``$EDITOR`` (accepts every proposed pair) first on the PATH."""
    work = tmp_path / "work"
    shutil.copytree(FIXTURES, work)
    (work / "README.md").unlink()
    for name, origin in COPIES.items():
        origin_path = FIXTURES.parent / origin
        if origin_path.is_dir():
            shutil.copytree(origin_path, work / name)   # makes the parents of a/b/c
        else:
            shutil.copyfile(origin_path, work / name)
    with zipfile.ZipFile(work / "my-research.zip", "w") as z:    # a zip of a CSV folder
        for f in sorted((work / "my-research").iterdir()):
            z.write(f, f"my-research/{f.name}")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "claimgraph"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m claimgraph "$@"\n')
    editor = bin_dir / "accept-all"
    editor.write_text('#!/bin/sh\nsed -i "s/decision: review/decision: accept/" "$1"\n')
    for f in (shim, editor):
        f.chmod(0o755)
    env = dict(os.environ)
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", EDITOR=str(editor),
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
               COLUMNS="120")
    env.pop("CLAIMGRAPH_DEBUG", None)
    return work, env


#: a line bash must run: pipes, redirections, lists, expansions, quotes' escapes, env prefixes
_SHELL = re.compile(r"[|<>;&$`\\*?~(){}]|^\s*\w+=")


def run(line: str, work: Path, env: dict) -> subprocess.CompletedProcess:
    """Run ``line`` in ``work`` as bash would. A plain ``claimgraph ARGS`` line runs in this
    process through click's runner (the same ``main`` the shim execs, without a second
    interpreter's start-up and imports per example); anything else runs in bash."""
    if line.startswith("claimgraph ") and not _SHELL.search(line):
        return _run_in_process(shlex.split(line)[1:], work, env)
    return subprocess.run(["bash", "-c", "set -o pipefail\n" + line], cwd=work, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)


def _run_in_process(args: list[str], work: Path, env: dict) -> subprocess.CompletedProcess:
    import traceback

    from click.testing import CliRunner

    from claimgraph.cli import main

    keep = {k: env.get(k) for k in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "EDITOR", "COLUMNS")}
    here = os.getcwd()
    os.chdir(work)
    try:
        res = CliRunner().invoke(main, args, env=keep, catch_exceptions=True)
    finally:
        os.chdir(here)
    err = res.stderr
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        err += "".join(traceback.format_exception(res.exception))   # "Traceback" fails the test
    return subprocess.CompletedProcess(["claimgraph", *args], res.exit_code, res.stdout, err)


def _repo_files() -> set[str]:
    return {p.name for p in REPO.iterdir()} | {p.name for p in (REPO / "docs").iterdir()}


@pytest.mark.parametrize("example", _params())
def test_documented_example(example: Example, workdir, request):
    if example.synopsis:
        assert check_synopsis(example.text) == [], f"{example.id}: {example.text}"
        return
    work, env = workdir
    if example.needs_neo4j:
        request.getfixturevalue("clean_neo4j")
        request.getfixturevalue("neo4j_env")
        env.update({k: os.environ[k] for k in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD")
                    if k in os.environ})
        from claimgraph import api

        api.push()               # what "push the landscape first" leaves
    before = _repo_files()
    for step in example.setup:
        if _needs_neo4j(step) and not example.needs_neo4j:
            continue             # a push above a command that reads files only
        done = run(step, work, env)
        assert done.returncode == 0, (f"{example.id}: the line before it in its block, {step!r}, "
                                      f"exited {done.returncode}:\n{done.stderr[-2000:]}")
    done = run(example.text, work, env)
    assert done.returncode == example.expected_exit, (
        f"{example.id}: {example.text!r} exited {done.returncode}, the docs say "
        f"{example.expected_exit}\n--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}")
    assert "Traceback" not in done.stderr, f"{example.id}: {done.stderr[-3000:]}"
    assert _repo_files() == before, f"{example.id} wrote into the checkout, not its working folder"


# ------------------------------------------------------------------- the collector, by hand

SAMPLE = """\
Run `claimgraph stats --format json` or `claimgraph audit --strict`<!-- exit 1 --> here; see
`claimgraph/cli` and `claimgraph.load()`.

```bash
$ claimgraph export --format csv \\
    -o out/              # a folder
claimgraph validate out/ | head -3
pip install . && CLAIMGRAPH_NO_CACHE=1 claimgraph diff a/ b/   # exit 1: they differ
scripts/neo4j-local/neo4j-local start
```

```console
$ claimgraph audit [PATH...] [--all]
                   [--strict]
ok: 54 entities
```

```python
claimgraph query frenemies
```
"""


def test_collector_finds_what_a_reader_would_run(tmp_path):
    doc = tmp_path / "sample.md"
    doc.write_text(SAMPLE, encoding="utf-8")
    found = [(e.line, e.text, e.expected_exit, e.synopsis, e.setup)
             for e in collect(doc, "sample.md")]
    assert found == [
        (1, "claimgraph stats --format json", 0, False, []),
        (1, "claimgraph audit --strict", 1, False, []),
        (5, "claimgraph export --format csv -o out/", 0, False, []),
        (7, "claimgraph validate out/ | head -3", 0, False, ["claimgraph export --format csv -o out/"]),
        (8, "CLAIMGRAPH_NO_CACHE=1 claimgraph diff a/ b/", 1, False, ["claimgraph export --format csv -o out/"]),
        (13, "claimgraph audit [PATH...] [--all] [--strict]", 0, True, []),
    ]


def test_synopsis_check_names_what_the_cli_lacks():
    assert check_synopsis("claimgraph audit [PATH...] [--all] [--strict] [--format table|json]") == []
    assert check_synopsis("claimgraph validate | stats | audit | show") == []
    assert check_synopsis("claimgraph audit [--al]") == ["'claimgraph audit' has no option --al"]
    assert check_synopsis("claimgraph validate | stat") == ["'claimgraph stat' is no command"]
    assert check_synopsis("claimgraph neo4j push [--replac] DIR") == [
        "'claimgraph neo4j push' has no option --replac"]
