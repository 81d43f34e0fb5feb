"""The canonical JSON form of a landscape: top-level ``sources``, ``entities``, ``claims`` and
``rates`` lists. :func:`to_data` writes it; the JSON reader loads it back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
import yaml.reader

from ..dataset import SECTIONS, RecordIn
from ..errors import DatasetError, Origin, Problem
from .yaml_io import read_text, yaml_records

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


_POSITIONS_LIMIT = 8 * 1024 * 1024
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
_MAX_BAD_ITEMS = 20


def _parse_int(text: str) -> int | float:
    # int() refuses more than 4300 digits with a bare ValueError (an internal error, exit 1);
    # such a number becomes a float (inf), which validation rejects as not finite.
    return int(text) if len(text) <= 4000 else float(text)


def json_records(path: Path) -> Iterator[RecordIn]:
    """Records of a JSON dataset. Small files are read through the position-keeping YAML reader
    (JSON is YAML), so errors name line and column; large ones with :mod:`json`."""
    text = read_text(path)
    name = str(path)
    try:
        doc = json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise DatasetError([Problem(Origin(name, exc.lineno, exc.colno), f"JSON syntax error: {exc.msg}")]) from None
    except RecursionError:
        raise DatasetError([Problem(Origin(name), "JSON nesting is too deep")]) from None
    # JSON is YAML, except that YAML refuses control characters (\x7f, \x1b ...) that JSON
    # writes raw (ensure_ascii=False): such files are read with json, without line numbers.
    if len(text) <= _POSITIONS_LIMIT and not _NON_PRINTABLE.search(text):
        yield from yaml_records(path, text)
        return
    if not isinstance(doc, dict):
        raise DatasetError([Problem(Origin(name, 1, 1), "a JSON dataset is an object with sources, entities, claims and rates lists")])
    for key, items in doc.items():
        if key not in SECTIONS:
            continue
        if not isinstance(items, list):
            raise DatasetError([Problem(Origin(name), f"{key} must be a list")])
        bad = 0
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                # a problem per item, but only the first few: a 100 MB array of numbers made
                # millions of records and problems (minutes, gigabytes) before this
                bad += 1
                if bad <= _MAX_BAD_ITEMS:
                    yield Problem(Origin(name, column=f"{key}.{i}"), f"each item under {key} must be a mapping, not {type(item).__name__}")
                continue
            def where(p, _k=key, _i=i):
                path_text = ".".join(str(x) for x in (_k, _i, *p))
                return Origin(name, column=path_text)
            yield RecordIn(key, item, where)
        if bad > _MAX_BAD_ITEMS:
            yield Problem(Origin(name, column=key), f"{bad - _MAX_BAD_ITEMS} more items under {key} are not mappings either")
