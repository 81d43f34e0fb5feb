"""The canonical JSON form of a landscape: top-level ``sources``, ``entities``, ``claims`` and
``rates`` lists. :func:`to_data` writes it; :func:`json_records` loads it back.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "x.json"
>>> _ = p.write_text('{"sources": [], "Claims": [], "entities": [{"id": "a", "id": "b"}]}')
>>> for x in json_records(p):
...     print(str(x).replace(str(p), "x.json") if isinstance(x, Problem) else x.data)
x.json:1:56: duplicate key 'id' (first at line 1): keep one
x.json:1:17: unknown section 'Claims' (did you mean 'claims'?): use sources, entities, claims or rates
{'id': 'a'}
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..dataset import SECTIONS, RecordIn
from ..errors import DatasetError, Origin, Problem, short
from .yaml_io import read_text, unknown_section

FORMAT_VERSION = 1


def to_data(landscape) -> dict[str, Any]:
    """The landscape as plain data, ids sorted, ready for ``json.dump``."""
    return {
        "format": "claimgraph",
        "version": FORMAT_VERSION,
        "sources": [s.model_dump(mode="json", exclude_none=True) for s in sorted(landscape.sources.values(), key=lambda s: s.id)],
        "entities": [_entity(e) for e in sorted(landscape.entities.values(), key=lambda e: e.id)],
        "claims": [c.to_data() for c in sorted(landscape.claims.values(), key=lambda c: c.id)],
        "rates": [r.model_dump(mode="json", exclude_none=True) for r in landscape.rates],
    }


def _entity(e) -> dict:
    d = e.model_dump(mode="json", exclude_none=True)
    if not d.get("aliases"):
        d.pop("aliases", None)
    if not d.get("attributes"):
        d.pop("attributes", None)
    return d


def write_json(landscape, fh) -> None:
    json.dump(to_data(landscape), fh, ensure_ascii=False, indent=1)
    fh.write("\n")


#: problems in files up to this size name line and column (found when the first problem is
#: met, by a second, position-keeping pass); in bigger files they name the field's path
_POSITIONS_LIMIT = 8 * 1024 * 1024
_MAX_BAD_ITEMS = 20
#: top-level keys that are not sections but may be there (``to_data`` writes format and version)
_META_KEYS = ("name", "description", "version", "format")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class _Dups(dict):
    """An object that had a key twice: the first value is kept, the repeated keys noted."""

    __slots__ = ("dups",)


class _BigInt:
    """An integer of more than 4000 digits (Python refuses to convert them: a bare ValueError)."""

    __slots__ = ("digits",)

    def __init__(self, digits: int):
        self.digits = digits


class _Parse:
    """The hooks of one :func:`json.loads`: they note what needs a second look."""

    def __init__(self) -> None:
        self.dups = False
        self.big = False

    def pairs(self, pairs: list) -> dict:
        d = dict(pairs)
        if len(d) != len(pairs):
            self.dups = True
            d = _Dups()
            d.dups = []
            for k, v in pairs:
                if k in d:
                    d.dups.append(k)
                else:
                    d[k] = v
        return d

    def int(self, text: str) -> int | _BigInt:
        if len(text) <= 4000:
            return int(text)
        self.big = True
        return _BigInt(len(text.lstrip("-")))


class _Obj:
    __slots__ = ("pairs", "first", "expect_key", "key")

    def __init__(self) -> None:
        self.pairs: list[tuple[str, int, int, Any]] = []  # (key, key offset, value offset, child)
        self.first: dict[str, int] = {}
        self.expect_key = True
        self.key: tuple[str, int] | None = None


class _Arr:
    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[tuple[int, Any]] = []  # (value offset, child)


_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],:]|[^\s{}\[\],:"]+', re.S)


class _Locator:
    """Line and column of a value given its path (``("claims", 3, "qualifiers", "stake")``),
    from a pass over the text made when the first problem is located; beyond
    :data:`_POSITIONS_LIMIT` the path itself (``file (column claims.3.qualifiers.stake)``)."""

    def __init__(self, text: str, name: str):
        self.text, self.name = text, name
        self.root: tuple[int, Any] | None = None
        self.lines: list[int] | None = None
        self.exact = len(text) <= _POSITIONS_LIMIT

    def _build(self) -> None:
        text = self.text
        stack: list[Any] = []
        root = None

        def attach(node: Any, off: int) -> None:
            nonlocal root
            if not stack:
                root = (off, node)
                return
            top = stack[-1]
            if isinstance(top, _Arr):
                top.items.append((off, node))
            else:
                key, koff = top.key
                top.first.setdefault(key, len(top.pairs))
                top.pairs.append((key, koff, off, node))

        for m in _TOKEN.finditer(text):
            tok = m.group()
            c = tok[0]
            if c == "{" or c == "[":
                node = _Obj() if c == "{" else _Arr()
                attach(node, m.start())
                stack.append(node)
            elif c == "}" or c == "]":
                stack.pop()
            elif c == ",":
                if isinstance(stack[-1], _Obj):
                    stack[-1].expect_key = True
            elif c == ":":
                pass
            elif stack and isinstance(stack[-1], _Obj) and stack[-1].expect_key:
                stack[-1].key = (json.loads(tok) if "\\" in tok else tok[1:-1], m.start())
                stack[-1].expect_key = False
            else:
                attach(None, m.start())
        self.root = root
        self.lines = [0] + [m.end() for m in re.finditer("\n", text)]

    def _origin(self, off: int) -> Origin:
        import bisect

        assert self.lines is not None
        i = bisect.bisect_right(self.lines, off) - 1
        return Origin(self.name, i + 1, off - self.lines[i] + 1)

    def node(self, path: tuple) -> tuple[int, Any]:
        if self.root is None:
            self._build()
        off, node = self.root if self.root is not None else (0, None)
        for part in path:
            if isinstance(node, _Obj) and isinstance(part, str) and part in node.first:
                _k, _ko, off, node = node.pairs[node.first[part]]
            elif isinstance(node, _Arr) and isinstance(part, int) and 0 <= part < len(node.items):
                off, node = node.items[part]
            else:
                break
        return off, node

    def __call__(self, path: tuple) -> Origin:
        if not self.exact:
            return Origin(self.name, column=".".join(str(x) for x in path)) if path else Origin(self.name)
        return self._origin(self.node(path)[0])

    def key(self, path: tuple, key: str, nth: int) -> tuple[Origin, int | None]:
        """Where the ``nth`` (0-based) occurrence of ``key`` in the object at ``path`` is, and
        the line of the first one."""
        if not self.exact:
            return Origin(self.name, column=".".join(str(x) for x in (*path, key))), None
        _off, node = self.node(path)
        if isinstance(node, _Obj):
            offs = [koff for k, koff, _v, _c in node.pairs if k == key]
            if len(offs) > nth:
                return self._origin(offs[nth]), self._origin(offs[0]).line
        return self(path), None


def _walk(doc: Any) -> Iterator[tuple[tuple, Any]]:
    """(path, value) of every value, depth first, without recursion."""
    stack: list[tuple[tuple, Any]] = [((), doc)]
    while stack:
        path, v = stack.pop()
        yield path, v
        if isinstance(v, dict):
            stack.extend(((*path, k), x) for k, x in v.items())
        elif isinstance(v, list):
            stack.extend(((*path, i), x) for i, x in enumerate(v))


def _second_look(doc: Any, parse: _Parse, text: str, locate: _Locator) -> list[Problem]:
    """Duplicate keys, integers too long to convert and lone surrogates (``"\\ud83d"`` without
    its other half: text that cannot be written as UTF-8), located; only when the parse saw
    any (each is rare)."""
    surrogates = _SURROGATE_ESCAPE.search(text) is not None
    if not (parse.dups or parse.big or surrogates):
        return []
    found: list[tuple[tuple, Problem]] = []

    def fix(container, k, x, path) -> None:
        if isinstance(x, _BigInt):
            found.append(((*path, k), Problem(locate((*path, k)), f"number with {x.digits} digits is too large")))
            container[k] = None
        elif surrogates and isinstance(x, str) and _LONE_SURROGATE.search(x):
            found.append(((*path, k), _surrogate(locate((*path, k)))))
            container[k] = _LONE_SURROGATE.sub("\ufffd", x)  # reported once, not again by every check

    for path, v in _walk(doc):
        if isinstance(v, _Dups):
            seen: dict[str, int] = {}
            for k in v.dups:
                seen[k] = seen.get(k, 0) + 1
                where, first = locate.key(path, k, seen[k])
                at = f" (first at line {first})" if first else ""
                found.append(((*path, k), Problem(where, f"duplicate key {short(k)}{at}: keep one")))
        if isinstance(v, dict):
            for k, x in list(v.items()):
                fix(v, k, x, path)
                if surrogates and _LONE_SURROGATE.search(k):
                    found.append(((*path, k), _surrogate(locate.key(path, k, 0)[0])))
        elif isinstance(v, list):
            for i, x in enumerate(v):
                fix(v, i, x, path)
        elif surrogates and isinstance(v, str) and _LONE_SURROGATE.search(v) and not path:
            found.append((path, _surrogate(locate(path))))
    found.sort(key=lambda item: (item[1].origin.line or 0, item[1].origin.col or 0) if item[1].origin else (0, 0))
    return [p for _, p in found]


def _surrogate(where: Origin) -> Problem:
    return Problem(where, "text holds half of a surrogate pair (a \\ud800-\\udfff escape without its other half): "
                          "write the character itself, or both halves")


def json_records(path: Path) -> Iterator[RecordIn | Problem]:
    """Records of a JSON dataset, the same way at every size: :mod:`json` reads it (JSON as
    written by any JSON writer: emoji as surrogate-pair escapes, DEL or ESC characters), a
    duplicate key, an unknown top-level section, a section that is no list and an item that is
    no object are problems. Problems name line and column (beyond 8 MB: the field's path)."""
    text = read_text(path)
    name = str(path)
    parse = _Parse()
    try:
        doc = json.loads(text, object_pairs_hook=parse.pairs, parse_int=parse.int)
    except json.JSONDecodeError as exc:
        raise DatasetError([Problem(Origin(name, exc.lineno, exc.colno), f"JSON syntax error: {exc.msg}")]) from None
    except RecursionError:
        raise DatasetError([Problem(Origin(name), "JSON nesting is too deep")]) from None
    locate = _Locator(text, name)
    try:
        problems = _second_look(doc, parse, text, locate)
    except RecursionError:  # a big object nested just under json's own limit
        raise DatasetError([Problem(Origin(name), "JSON nesting is too deep")]) from None
    if not isinstance(doc, dict):
        raise DatasetError(problems + [Problem(locate(()), "a dataset file is a mapping (a JSON object) with sources, "
                                                          "entities, claims and/or rates lists")])
    yield from problems
    for key, items in doc.items():
        if key not in SECTIONS:
            if key not in _META_KEYS:
                yield Problem(locate.key((), key, 0)[0], unknown_section(key))
            continue
        if items is None:
            continue
        if not isinstance(items, list):
            yield Problem(locate((key,)), f"{key} must be a list (of objects): [{{...}}, ...]")
            continue
        bad = 0
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                # a problem per item, but only the first few: a 100 MB array of numbers made
                # millions of records and problems (minutes, gigabytes) before this
                bad += 1
                if bad <= _MAX_BAD_ITEMS:
                    yield Problem(locate((key, i)), f"each item under {key} must be a mapping, not {type(item).__name__}")
                continue

            def where(p, _k=key, _i=i):
                return locate((_k, _i, *p))
            yield RecordIn(key, item, where)
        if bad > _MAX_BAD_ITEMS:
            yield Problem(locate((key,)), f"{bad - _MAX_BAD_ITEMS} more items under {key} are not mappings either")
