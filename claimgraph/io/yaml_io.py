"""Read YAML datasets into records that remember the line and column of every value.

Duplicate keys are problems (PyYAML keeps the last one silently; we do not). A syntax error is
reported with its position.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from ..dataset import SECTIONS, RecordIn
from ..errors import DatasetError, Origin, Problem, short
from .files import max_alias_expansion, read_bytes_limited

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LocDict(dict):
    """A mapping that remembers where it, each key and each value started."""

    __slots__ = ("mark", "key_marks", "marks")


class LocList(list):
    __slots__ = ("mark", "marks")


class _Loader(_Base):
    def __init__(self, stream, filename: str):
        super().__init__(stream)
        self.filename = filename
        self.problems: list[Problem] = []

    def origin(self, mark) -> Origin:
        return Origin(self.filename, mark.line + 1, mark.column + 1)


def _construct_mapping(loader: _Loader, node, deep: bool = False):
    loader.flatten_mapping(node)
    out = LocDict()
    out.mark, out.key_marks, out.marks = node.start_mark, {}, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            loader.problems.append(Problem(loader.origin(key_node.start_mark), "a mapping key must be plain text"))
            continue
        if key in out:
            first = out.key_marks[key]
            loader.problems.append(Problem(
                loader.origin(key_node.start_mark),
                f"duplicate key {key!r} (first at line {first.line + 1}): keep one",
            ))
            continue
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_marks[key] = key_node.start_mark
        out.marks[key] = value_node.start_mark
    return out


def _construct_sequence(loader: _Loader, node, deep: bool = False):
    out = LocList(loader.construct_object(child, deep=True) for child in node.value)
    out.mark = node.start_mark
    out.marks = [child.start_mark for child in node.value]
    return out


# YAML 1.1 reads on/off/yes/no as booleans (so a key `on:` became True); like YAML 1.2 we
# read only true/false as booleans and leave the rest as text.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _construct_timestamp(loader: _Loader, node):
    # An impossible date such as 2026-02-30 matches YAML's timestamp pattern and made PyYAML
    # raise a bare ValueError (an internal error, exit 1). Keep it as text: the model then
    # reports "impossible date '2026-02-30'" at its line and column.
    try:
        return _Base.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


def _construct_int(loader: _Loader, node):
    # Python refuses to convert integers of more than 4300 digits (a bare ValueError): report it
    # where it is instead of crashing.
    try:
        return _Base.construct_yaml_int(loader, node)
    except ValueError:
        text = loader.construct_scalar(node)
        loader.problems.append(Problem(loader.origin(node.start_mark), f"number with {len(text)} digits is too large"))
        return None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def unknown_section(key: Any) -> str:
    from ..suggest import Suggester

    hint = Suggester(SECTIONS).best(key) if isinstance(key, str) else None
    return f"unknown section {short(key)}{f' (did you mean {hint!r}?)' if hint else ''}: use sources, entities, claims or rates"


def _check_aliases(loader: _Loader, node) -> None:
    """Refuse a document whose aliases expand it far beyond its own size (a "billion laughs"
    of 900 bytes is a value of 10^9 items that validation would walk, and an error message
    print): at most :func:`~claimgraph.io.files.max_alias_expansion` values more than the
    document has, or as many as it has."""
    sizes: dict[int, int] = {}
    cap = 1 << 62
    over = None
    stack = [(node, False)]
    while stack:
        n, done = stack.pop()
        key = id(n)
        if done:
            if isinstance(n, yaml.SequenceNode):
                total = 1 + sum(sizes.get(id(c), 1) for c in n.value)
            else:
                total = 1 + sum(sizes.get(id(k), 1) + sizes.get(id(v), 1) for k, v in n.value)
            sizes[key] = min(total, cap)
            continue
        if key in sizes:
            continue
        if isinstance(n, yaml.ScalarNode):
            sizes[key] = 1
            continue
        sizes[key] = 1  # in progress (a recursive alias counts once)
        stack.append((n, True))
        children = n.value if isinstance(n, yaml.SequenceNode) else [x for kv in n.value for x in kv]
        stack.extend((c, False) for c in children if id(c) not in sizes)
    unique = len(sizes)
    allowed = max(max_alias_expansion(), unique)
    if sizes[id(node)] - unique <= allowed:
        return
    # the first (smallest) collection that is too big on its own, else the whole document
    for n in _walk(node):
        if not isinstance(n, yaml.ScalarNode) and sizes.get(id(n), 1) > allowed:
            over = n
            break
    over = over or node
    raise DatasetError([Problem(loader.origin(over.start_mark),
                                f"YAML aliases make this value of {sizes[id(over)]:,} items (the file has {unique:,}): "
                                "write the data out, or raise CLAIMGRAPH_MAX_ALIAS_EXPANSION")])


def _walk(node):
    """Collections in post-order (children first), each once."""
    seen: set[int] = set()
    stack = [(node, False)]
    while stack:
        n, done = stack.pop()
        if done:
            yield n
            continue
        if id(n) in seen or isinstance(n, yaml.ScalarNode):
            continue
        seen.add(id(n))
        stack.append((n, True))
        children = n.value if isinstance(n, yaml.SequenceNode) else [x for kv in n.value for x in kv]
        stack.extend((c, False) for c in reversed(children))


def _where_factory(loader: _Loader, record, fallback_mark):
    def where(path: tuple) -> Origin:
        obj, mark = record, getattr(record, "mark", fallback_mark)
        for part in path:
            if isinstance(obj, LocDict) and part in obj:
                mark = obj.marks[part]
                obj = obj[part]
            elif isinstance(obj, LocList) and isinstance(part, int) and 0 <= part < len(obj):
                mark = obj.marks[part]
                obj = obj[part]
            else:
                break
        return loader.origin(mark)

    return where


def read_text(path: Path) -> str:
    """Read a dataset file as UTF-8 (a BOM is allowed); a bad encoding, a file that is not a
    regular file and one over the size limit (:mod:`claimgraph.io.files`) are clean errors."""
    data = read_bytes_limited(path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DatasetError([Problem(Origin(str(path), 1), "file is UTF-16 text: save it as UTF-8")])
    if b"\x00" in data:
        raise DatasetError([Problem(Origin(str(path)), "file contains NUL bytes: is it a binary file? save it as UTF-8 text")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DatasetError([Problem(Origin(str(path), line), f"not UTF-8 text (byte 0x{data[exc.start]:02x}): save the file as UTF-8")]) from None


def _parse(name: str, text: str) -> tuple[_Loader, Any]:
    """The document of one YAML text (LocDict / LocList) and its loader (which holds the
    problems met, such as duplicate keys); raise DatasetError on a syntax error."""
    loader = _Loader(text, name)
    try:
        node = loader.get_single_node()
        if node is not None and "&" in text and "*" in text:  # no anchor or no alias: nothing expands
            _check_aliases(loader, node)
        doc = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Origin(name, mark.line + 1, mark.column + 1) if mark else Origin(name)
        what = (exc.problem or str(exc)).strip()
        if "nesting depth" in what:  # newer libyaml stops deep nesting itself
            raise DatasetError([Problem(where, "YAML nesting is too deep")]) from None
        raise DatasetError([Problem(where, f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as exc:
        raise DatasetError([Problem(Origin(name), f"YAML error: {exc}")]) from None
    except RecursionError:
        raise DatasetError([Problem(Origin(name), "YAML nesting is too deep")]) from None
    finally:
        loader.dispose()
    return loader, doc


def read_located(path: str | Path) -> tuple[Any, Callable[[tuple], Origin], list[Problem]]:
    r"""A YAML file that is not a dataset file (a report spec, say): its document, a function
    that says where a value is (``where(("sections", 0, "query"))`` is an :class:`Origin` with
    line and column) and the problems met while reading (duplicate keys). Raises DatasetError
    when the file cannot be read or parsed.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "report.yaml"
    >>> _ = p.write_text("sections:\n  - query: money\n", encoding="utf-8")
    >>> doc, where, problems = read_located(p)
    >>> doc["sections"][0]["query"], where(("sections", 0, "query")).line, problems
    ('money', 2, [])
    """
    path = Path(path)
    try:
        text = read_text(path)
    except OSError as exc:
        raise DatasetError([Problem(Origin(str(path)), f"cannot read: {exc.strerror or exc}")]) from None
    loader, doc = _parse(str(path), text)
    start = yaml.Mark(str(path), 0, 0, 0, None, None)
    return doc, _where_factory(loader, doc, start), list(loader.problems)


def yaml_records(path: Path, text: str | None = None) -> Iterator[RecordIn | Problem]:
    """Yield the records of one YAML file, and a Problem for each duplicate key or unknown
    section; raise DatasetError when the file cannot be read at all (syntax, structure)."""
    name = str(path)
    if text is None:
        text = read_text(path)
    loader, doc = _parse(name, text)
    problems = list(loader.problems)
    if doc is None:
        doc = LocDict()
        doc.mark, doc.key_marks, doc.marks = None, {}, {}
    if not isinstance(doc, LocDict):
        raise DatasetError(problems + [Problem(Origin(name, 1, 1), "a dataset file is a mapping with sources:, entities:, claims: and/or rates: lists")])
    records: list[RecordIn] = []
    for key, items in doc.items():
        kmark = doc.key_marks[key]
        if key not in SECTIONS and key not in ("name", "description", "version", "format"):
            problems.append(Problem(loader.origin(kmark), unknown_section(key)))
            continue
        if key not in SECTIONS:
            continue
        if items is None:
            continue
        if not isinstance(items, LocList):
            problems.append(Problem(loader.origin(doc.marks[key]), f"{key} must be a list of mappings (each item starting with '- ')"))
            continue
        for i, item in enumerate(items):
            records.append(RecordIn(key, item, _where_factory(loader, item, items.marks[i])))
    # non-fatal problems are yielded beside the records, so that every problem is reported
    yield from problems
    yield from records


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    pass


_RISKY = ("\x85", "\u2028", "\u2029", "\ufeff", "\r")


def _represent_str(dumper, text: str):
    # YAML reads a raw NEL or line/paragraph separator inside a plain or single-quoted scalar as
    # a line break (folded to a space); double quotes escape them, so the text comes back exactly
    style = '"' if any(ch in text for ch in _RISKY) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data, fh) -> None:
    """Write plain data as YAML that this module reads back exactly (any Unicode text)."""
    yaml.dump(data, fh, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


# -- writing a dataset as YAML files --------------------------------------------------------------
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_.\-/ ]*[A-Za-z0-9_.\-/]|[A-Za-z]")
_YAML_WORDS = frozenset({"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"})
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _yaml_scalar(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        r = repr(v)
        if "e" in r:
            mant, exp = r.split("e")
            if "." not in mant:
                mant += ".0"
            if exp[0] not in "+-":
                exp = "+" + exp
            r = f"{mant}e{exp}"
        return r
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_yaml_scalar(str(k))}: {_yaml_scalar(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_yaml_scalar(x) for x in v) + "]"
    s = str(v)
    if _PLAIN.fullmatch(s) and s.lower() not in _YAML_WORDS:
        return s
    out = json.dumps(s, ensure_ascii=False)
    return _NON_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)


def _yaml_items(items: Iterable[dict], fh) -> None:
    for item in items:
        first = True
        for key, val in item.items():
            lead = "- " if first else "  "
            first = False
            key = _yaml_scalar(key)
            if key in ("evidence", "history") and isinstance(val, list) and val:
                fh.write(f"{lead}{key}:\n")
                for ev in val:
                    fh.write(f"  - {_yaml_scalar(ev)}\n")
            else:
                fh.write(f"{lead}{key}: {_yaml_scalar(val)}\n")


def write_yaml(landscape, folder: Path) -> list[Path]:
    """Write ``landscape`` as YAML files in ``folder`` (which exists): ``sources.yaml``
    (with the rates), ``entities.yaml`` and ``claims.yaml``. Returns the files written."""
    from .csv_io import lazy_data

    data = lazy_data(landscape)
    folder = Path(folder)
    out = []
    for name, sections in (("sources.yaml", ("sources", "rates")), ("entities.yaml", ("entities",)), ("claims.yaml", ("claims",))):
        path = folder / name
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write("# generated by claimgraph\n")
            for sec in sections:
                if not (landscape.rates if sec == "rates" else getattr(landscape, sec)):
                    continue
                fh.write(f"{sec}:\n")
                _yaml_items(data[sec](), fh)
        out.append(path)
    return out


def write_yaml_file(landscape, fh) -> None:
    """Write ``landscape`` as one YAML dataset file (sources, entities, claims, rates) that
    loads back equal: the ``yaml`` export format, and what ``neo4j pull -o FILE.yaml`` writes."""
    from .json_io import to_data

    dump_yaml(to_data(landscape), fh)
