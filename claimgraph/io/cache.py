"""The validated cache: a dataset's checked form kept beside the user's other caches, so that a
second command on unchanged files skips reading and validating them.

One file per dataset under ``$CLAIMGRAPH_CACHE`` (default ``$XDG_CACHE_HOME/claimgraph/datasets``,
i.e. ``~/.cache/claimgraph/datasets``; never inside the package, so the bundled landscape is
cached there too). Its name is the key: a hash of the paths as given, the content hash of every
file under them, the package version, this format's version and the vocabulary in force. An
edited file, another vocabulary or another claimgraph version is another key: a miss.

The file is a one-line JSON header (format, version, key, the body's length and SHA-256) and a
JSON body (orjson) of the merged, checked records. JSON, not pickle: reading a cache can never
run code, whoever wrote it. A body whose length or hash differs from its header, a header of
another format or version, or a body that does not decode is ignored with a warning (logger
``claimgraph.cache``) and rebuilt from the files. Files are written atomically.

``CLAIMGRAPH_NO_CACHE=1`` (or the commands' ``--no-cache``) turns it off. The Python API does
not cache unless asked (``load(..., cache=True)``); the commands do.

>>> import os, tempfile, claimgraph.io as cio
>>> os.environ["CLAIMGRAPH_CACHE"] = tempfile.mkdtemp()
>>> a = cio.load_dataset(cache=True); b = cio.load_dataset(cache=True)
>>> STATS["hits"] >= 1 and sorted(a.claims) == sorted(b.claims)
True
>>> del os.environ["CLAIMGRAPH_CACHE"]
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from ..dataset import Dataset
from ..errors import Origin
from ..gcutil import gc_paused
from ..model import Claim, Effect, Entity, Evidence, HistoryEntry, Rate, Source, Status, Tense, Tier
from ..values import PartialDate, Quantity, _parse_date_text, _share_fields_set
from ..vocabulary import Vocabulary, default_vocabulary

__all__ = ["cache_dir", "enabled", "use_cache", "cache_key", "read", "write", "STATS", "FORMAT", "VERSION"]

FORMAT = "claimgraph-dataset-cache"
VERSION = 1

log = logging.getLogger("claimgraph.cache")

#: what this process did with the cache (tests and ``CLAIMGRAPH_DEBUG`` read it)
STATS: dict[str, int] = {"hits": 0, "misses": 0, "writes": 0, "rejected": 0}

#: set by the commands (``--no-cache`` off); the library's default is off
_USE: contextvars.ContextVar[bool] = contextvars.ContextVar("claimgraph_cache", default=False)


def use_cache(on: bool) -> contextvars.Token:
    """Turn the cache on or off for the calls that do not say (``cache=None``); returns the
    token to reset it with (``_USE.reset``)."""
    return _USE.set(on)


def reset(token: contextvars.Token) -> None:
    _USE.reset(token)


def enabled(cache: bool | None) -> bool:
    """Whether a load caches: ``cache`` when given, else what the command set; never when
    ``CLAIMGRAPH_NO_CACHE=1``."""
    if os.environ.get("CLAIMGRAPH_NO_CACHE", "") not in ("", "0"):
        return False
    return _USE.get() if cache is None else cache


def cache_dir() -> Path:
    env = os.environ.get("CLAIMGRAPH_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "claimgraph" / "datasets"


# -- the key -----------------------------------------------------------------------------------
def _files_under(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file())
    return [path]


def cache_key(paths: list[Path], vocabulary: Vocabulary | None) -> str | None:
    """The key of these paths' dataset, or None when it cannot be cached (an unreadable file)."""
    # the package's version; the package is imported already (this module is inside it), and
    # an import of the facade from here would point up the layers
    version = sys.modules[__name__.split(".")[0]].__version__
    vocab = vocabulary or default_vocabulary()
    if not isinstance(vocab, Vocabulary):
        return None
    h = hashlib.sha256()
    h.update(f"{FORMAT}/{VERSION}/{version}/{_schema()}\0".encode())
    text = json.dumps(vocab.to_data(), sort_keys=True, default=str) if hasattr(vocab, "to_data") else repr(vocab)
    h.update(hashlib.sha256(text.encode()).digest())
    try:
        for path in paths:
            h.update(b"\1" + str(path).encode("utf-8", "surrogateescape") + b"\0")
            for f in _files_under(path):
                h.update(b"\2" + str(f.relative_to(path) if f != path else "").encode("utf-8", "surrogateescape") + b"\0")
                with open(f, "rb") as fh:
                    h.update(hashlib.file_digest(fh, "sha256").digest())
    except OSError:
        return None
    return h.hexdigest()


# -- encoding ----------------------------------------------------------------------------------
# A record is its fields (``__dict__``, in the model's order) and the names it was given (fields
# set), each value tagged when JSON alone would lose its type: {"$d": date}, {"$q": quantity},
# {"$e": [enum, value]}, {"$m": mapping}. Evidence is stored once and named by its index (it is
# shared between claims, as a load shares it). Anything else is not cached (never cached wrong).
class _Unsupported(Exception):
    """A value this format does not know: the dataset is not cached."""


_ENUMS = {e.__name__: e for e in (Status, Tier, Effect, Tense)}
_QFIELDS = ("value", "min", "max", "unit", "approx")
_MODELS = {"sources": Source, "entities": Entity, "claims": Claim, "rates": Rate}


def _enc(v: Any) -> Any:
    t = type(v)
    if v is None or t is str or t is bool or t is int or t is float:
        return v
    if t is PartialDate:
        return {"$d": str(v)}
    if t is Quantity:
        d = v.__dict__
        return {"$q": [d["value"], d["min"], d["max"], d["unit"], d["approx"], sorted(v.__pydantic_fields_set__)]}
    if t in (Status, Tier, Effect, Tense):
        return {"$e": [t.__name__, v.value]}
    if t is HistoryEntry:
        return {"$h": [{k: _enc(x) for k, x in v.__dict__.items()}, sorted(v.__pydantic_fields_set__)]}
    if t is list:
        return [_enc(x) for x in v]
    if t is dict and all(type(k) is str for k in v):
        return {"$m": {k: _enc(x) for k, x in v.items()}}
    raise _Unsupported(t.__name__)


def _schema() -> str:
    """The models' fields: a cache written for other fields is another key."""
    return ";".join(f"{m.__name__}:{','.join(m.model_fields)}" for m in (*_MODELS.values(), Evidence, Quantity, HistoryEntry))


def encode(ds: Dataset) -> bytes:
    import orjson

    files: dict[str, int] = {}
    ev_index: dict[int, int] = {}
    evidence: list = []

    def ev(e: Any) -> int:
        if type(e) is not Evidence:
            raise _Unsupported(type(e).__name__)
        i = ev_index.get(id(e))
        if i is None:
            i = ev_index[id(e)] = len(evidence)
            evidence.append([{k: _enc(v) for k, v in e.__dict__.items()}, sorted(e.__pydantic_fields_set__)])
        return i

    def record(m: Any) -> list:
        d = {k: ([ev(e) for e in v] if k == "evidence" and type(m) is Claim else _enc(v)) for k, v in m.__dict__.items()}
        return [d, sorted(m.__pydantic_fields_set__)]

    body: dict[str, Any] = {
        "sources": [record(x) for x in ds.sources.values()],
        "entities": [record(x) for x in ds.entities.values()],
        "claims": [record(x) for x in ds.claims.values()],
        "rates": [record(x) for x in ds.rates],
        "evidence": evidence,
    }
    body["origins"] = [[sec, id_, files.setdefault(o.file, len(files)), o.line, o.col, o.column]
                       for (sec, id_), o in ds.origins.items()]
    body["files"] = list(files)
    body["notices"] = [str(n) for n in ds.notices]
    try:
        return orjson.dumps(body)
    except TypeError as exc:  # e.g. an integer beyond 64 bits
        raise _Unsupported(str(exc)) from None


_new = object.__new__
_set = object.__setattr__


def decode(raw: bytes) -> Dataset:
    """The dataset of a cache body; raises (ValueError, KeyError, ...) on anything unexpected."""
    import orjson

    body = orjson.loads(raw)
    quantities: dict[tuple, Quantity] = {}
    shared: dict[tuple, Any] = {}

    def make(model: type, d: dict, fs: list) -> Any:
        if d.keys() != model.model_fields.keys():
            raise ValueError(f"{model.__name__} fields differ")
        obj = _new(model)
        _set(obj, "__dict__", d)
        _set(obj, "__pydantic_extra__", None)
        _set(obj, "__pydantic_private__", None)
        key = (model, *fs)
        fset = shared.get(key)
        if fset is None:
            _set(obj, "__pydantic_fields_set__", set(fs))
            _share_fields_set(obj)  # one set for every record given the same fields (memory)
            fset = shared[key] = obj.__pydantic_fields_set__
        else:
            _set(obj, "__pydantic_fields_set__", fset)
        return obj

    def dec(v: Any) -> Any:
        t = type(v)
        if t is dict:
            if "$d" in v:
                return _parse_date_text(v["$d"])
            if "$q" in v:
                q = v["$q"]
                key = (type(q[0]), q[0], type(q[1]), q[1], type(q[2]), q[2], q[3], q[4])
                hit = quantities.get(key)
                if hit is None:
                    hit = quantities[key] = make(Quantity, dict(zip(_QFIELDS, q[:5], strict=True)), q[5])
                return hit
            if "$h" in v:
                d, fs = v["$h"]
                return make(HistoryEntry, {k: dec(x) for k, x in d.items()}, fs)
            if "$e" in v:
                name, value = v["$e"]
                return _ENUMS[name](value)
            return {k: dec(x) for k, x in v["$m"].items()}
        if t is list:
            return [dec(x) for x in v]
        return v

    def fields(d: dict) -> dict:
        for k, v in d.items():
            if type(v) is dict or type(v) is list:
                d[k] = dec(v)
        return d

    evidence = [make(Evidence, fields(d), fs) for d, fs in body["evidence"]]
    ds = Dataset()
    for d, fs in body["sources"]:
        ds.sources[d["id"]] = make(Source, fields(d), fs)
    for d, fs in body["entities"]:
        ds.entities[d["id"]] = make(Entity, fields(d), fs)
    for d, fs in body["claims"]:
        evs = d["evidence"]
        d["evidence"] = None  # not a tagged value: its indices are resolved below
        d = fields(d)
        d["evidence"] = [evidence[i] for i in evs]
        ds.claims[d["id"]] = make(Claim, d, fs)
    ds.rates = [make(Rate, fields(d), fs) for d, fs in body["rates"]]
    files = body["files"]
    ds.origins = {(sec, id_): Origin(files[f], line, col, column) for sec, id_, f, line, col, column in body["origins"]}
    ds.notices = list(body["notices"])
    return ds


# -- the file ----------------------------------------------------------------------------------
def _path(key: str) -> Path:
    return cache_dir() / f"{key}.json"


def read(key: str) -> Dataset | None:
    """The cached dataset of ``key``, or None (missing; or corrupt, truncated or of another
    version: then it is removed, with a warning, and the caller rebuilds it)."""
    import orjson

    path = _path(key)
    try:
        with open(path, "rb") as fh:
            head = fh.readline()
            body = fh.read()
    except FileNotFoundError:
        STATS["misses"] += 1
        return None
    except OSError as exc:
        STATS["misses"] += 1
        log.warning("claimgraph: cannot read the cache %s (%s): reading the files", path, exc)
        return None
    try:
        h = orjson.loads(head)
        if not isinstance(h, dict) or h.get("format") != FORMAT or h.get("version") != VERSION or h.get("key") != key:
            raise ValueError("another format or version")
        if h.get("length") != len(body) or h.get("sha256") != hashlib.sha256(body).hexdigest():
            raise ValueError("truncated or corrupt: its hash does not match")
        with gc_paused():
            ds = decode(body)
    except Exception as exc:  # noqa: BLE001 - anything wrong with a cache means: rebuild it
        STATS["rejected"] += 1
        STATS["misses"] += 1
        log.warning("claimgraph: ignored the cache %s (%s): rebuilt it from the files", path, exc)
        try:
            path.unlink()
        except OSError:
            pass
        return None
    STATS["hits"] += 1
    log.debug("claimgraph: cache hit %s", path)
    return ds


def write(key: str, ds: Dataset) -> Path | None:
    """Store ``ds`` under ``key`` (atomically); None when it cannot be cached."""
    import orjson

    from ..fileio import atomic_write

    try:
        with gc_paused():
            body = encode(ds)
    except _Unsupported as exc:
        log.debug("claimgraph: not cached (%s)", exc)
        return None
    head = orjson.dumps({"format": FORMAT, "version": VERSION, "key": key, "length": len(body),
                         "sha256": hashlib.sha256(body).hexdigest()})
    path = _path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path, "wb") as fh:
            fh.write(head + b"\n" + body)
    except OSError as exc:
        log.warning("claimgraph: cannot write the cache %s (%s)", path, exc)
        return None
    STATS["writes"] += 1
    return path
