"""A validated dataset: sources, entities, claims and exchange rates, with where each came from.

Loaders (YAML, CSV, JSON) turn files into :class:`RecordIn` items; :func:`assemble` validates
every record and every reference at once and returns a :class:`Dataset`, or raises
:class:`~claimgraph.errors.DatasetError` listing every problem. Nothing is returned half-built.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from .errors import DatasetError, Origin, Problem, short
from .model import Claim, Entity, Rate, Source
from .suggest import Suggester
from .values import Quantity
from .vocabulary import Vocabulary, default_vocabulary

SECTIONS: dict[str, type] = {"sources": Source, "entities": Entity, "claims": Claim, "rates": Rate}
_SINGULAR = {"sources": "source", "entities": "entity", "claims": "claim", "rates": "rate"}


@dataclass(slots=True)
class RecordIn:
    """A raw record from a file: its section, its data, and a function that says where a field
    (given as a path such as ``("qualifiers", "stake")``) came from.

    A reader that validates as it reads (the CSV reader, so that a million raw rows never sit in
    memory at once) gives ``validated``: the model :func:`validate_record` returned, or the list
    of problems it found; ``data`` may then be None."""

    section: str
    data: Any
    where: Callable[[tuple], Origin]
    validated: Any = None


@dataclass
class Dataset:
    sources: dict[str, Source] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    rates: list[Rate] = field(default_factory=list)
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    #: the vocabulary the dataset was checked against (built-in or extended)
    vocabulary: Vocabulary | None = None


def normalize_name(text: str) -> str:
    """Fold a name or alias for lookup: NFKC, case-folded, inner white space collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


#: one index per set of choices asked while a dataset is assembled (the dataset's own dicts of
#: entities and sources): id -> (the choices, their number then, the index)
_SUGGESTERS: dict[int, tuple[Any, int, Suggester]] = {}


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``": did you mean 'x'?"`` or ``""``. The index of ``choices`` is made once and kept while
    the same object (grown or not) is asked again, so that each bad reference costs about the
    same however many ids there are (a difflib scan per reference was quadratic: 20,000 claims
    naming renamed entities took 568 CPU s)."""
    hit = _SUGGESTERS.get(id(choices))
    if hit is None or hit[0] is not choices or hit[1] != len(choices):  # type: ignore[arg-type]
        if len(_SUGGESTERS) > 64:
            _SUGGESTERS.clear()
        hit = _SUGGESTERS[id(choices)] = (choices, len(choices), Suggester(choices))  # type: ignore[arg-type]
    return hit[2].hint(word)


_MSG_PREFIXES = ("Value error, ", "Assertion failed, ")


def _pydantic_problems(exc: ValidationError, rec: RecordIn, model: type) -> list[Problem]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        msg = err["msg"]
        for p in _MSG_PREFIXES:
            if msg.startswith(p):
                msg = msg[len(p):]
        typ = err["type"]
        name = ".".join(str(x) for x in loc)
        if typ == "missing":
            msg = f"missing field {name!r}: add it"
            loc = loc[:-1]
        elif typ == "extra_forbidden":
            fields = model.model_fields if len(loc) == 1 else {}
            msg = f"unknown field {name!r}{_did_you_mean(str(loc[-1]), fields)}"
        elif typ.startswith("enum") or typ == "literal_error":
            msg = f"{name}: {msg}"
        elif name and not msg.startswith(name):
            msg = f"{name}: {msg}"
        out.append(Problem(rec.where(loc), msg))
    return out


def validate_record(rec: RecordIn, share: dict | None = None) -> Any:
    """The model of one record (a :class:`Source`, :class:`Entity`, :class:`Claim` or
    :class:`Rate`), or the list of its problems, located with ``rec.where``.

    ``share``: a dict kept across the records of one load, in which identical evidence is
    shared (memory; see ``Claim._shared_evidence``).
    """
    model = SECTIONS.get(rec.section)
    if model is None:
        return [Problem(rec.where(()), f"unknown section {rec.section!r}: use sources, entities, claims or rates")]
    if not isinstance(rec.data, dict):
        return [Problem(rec.where(()), f"each item under {rec.section} must be a mapping, not {type(rec.data).__name__}")]
    try:
        return model.model_validate(rec.data, context=None if share is None else {"share": share})
    except ValidationError as exc:
        return _pydantic_problems(exc, rec, model)


def assemble(records: Iterable[RecordIn], vocabulary: Vocabulary | None = None) -> Dataset:
    """Validate records into a :class:`Dataset`; raise :class:`DatasetError` with every problem.

    >>> from claimgraph.io import load_dataset
    >>> ds = load_dataset()          # the bundled ai-chips landscape
    >>> "nvidia" in ds.entities
    True
    """
    vocab = vocabulary or default_vocabulary()
    _SUGGESTERS.clear()
    problems: list[Problem] = []
    ds = Dataset()
    parsed: list[tuple[RecordIn, Any]] = []
    share: dict = {}

    failed: list[RecordIn] = []
    for rec in records:
        obj = rec.validated if rec.validated is not None else validate_record(rec, share)
        if isinstance(obj, list):
            problems.extend(obj)
            failed.append(rec)
            continue
        parsed.append((rec, obj))
    del share

    merger = _Merger(ds, vocab, problems)
    for rec, obj in parsed:
        if isinstance(obj, Rate):
            merger.rate(rec, obj)
    for rec, obj in parsed:
        if isinstance(obj, Source):
            merger.source(rec, obj)
    for rec, obj in parsed:
        if isinstance(obj, Entity):
            merger.entity(rec, obj)
    for rec, obj in parsed:
        if isinstance(obj, Rate) and obj.source and obj.source not in ds.sources:
            problems.append(Problem(rec.where(("source",)), f"unknown source {short(obj.source)}{_did_you_mean(obj.source, ds.sources)}"))
    for rec, obj in parsed:
        if isinstance(obj, Claim):
            merger.claim(rec, obj)
    _check_failed(failed, ds, vocab, problems)
    merger.finish()
    _SUGGESTERS.clear()  # the indexes of this dataset's ids are not kept past its assembly

    if problems:
        raise DatasetError(problems)
    ds.vocabulary = vocab
    return ds


# -- merging ---------------------------------------------------------------------------------------
# Records from different files meet here. Within one file an id is defined once (a second
# definition is an error). Across files:
# - a source or an entity with the same id is one record (an entity's aliases and attributes are
#   combined); an entity of another kind under the same id is an error naming both files;
# - an entity whose id, name or an alias names exactly one entity of the same kind from another
#   file is merged into it, and references to its id are redirected (reported in notices);
# - a reference (subject, object, entity qualifier, asserted_by) that is no id but the name or
#   alias of exactly one entity is resolved to it (reported);
# - a claim that another file makes identically (same subject, predicate, object or value,
#   qualifiers, status and validity) is one claim with the evidence of both;
# - claims that disagree both stay; a clashing id is given a new one (reported).


def _file_of(rec: RecordIn) -> str:
    # speed: a reader's where() may say its file without building an Origin (csv_io's do)
    f = getattr(rec.where, "file", None)
    if type(f) is str:
        return f
    try:
        return rec.where(()).file
    except Exception:  # noqa: BLE001 - a reader's where() should not fail; be safe
        return "?"


def _hashable(v: Any) -> Any:
    try:
        hash(v)
        return v
    except TypeError:
        return repr(v)


class _Merger:
    # Memory (a million claims): the file that defined a record is its origin's file; claim
    # signatures are kept as their hashes, and a hit is checked against the stored claim.
    def __init__(self, ds: Dataset, vocab: Vocabulary, problems: list[Problem]):
        self.ds, self.vocab, self.problems = ds, vocab, problems
        self.seen: dict[tuple[str, str], set[str]] = {}  # (file, section) -> ids as written
        self.redirect: dict[str, str] = {}  # merged entity id -> the id it was merged into
        self.index: dict[str, set[str]] = {}  # normalized id/name/alias -> entity ids
        self.resolved: dict[tuple[str, str], str] = {}  # (file, reference) -> entity id
        self.signatures: dict[int, str | list[str]] = {}  # hash of a claim signature -> first claim id(s)
        self.loose: dict[int, str | list[str]] = {}  # hash of a signature without status -> claim ids
        self.quantities: dict[tuple, Any] = {}  # _quantity_key -> one shared (frozen) Quantity
        self.links: list[tuple[RecordIn, Claim]] = []  # claims naming others in contradicts
        self.notes = ds.notices

    def _file(self, section: str, id_: str) -> str:
        """The file that defined a record kept in the dataset."""
        return self.ds.origins[(section, id_)].file

    @staticmethod
    def _ids(table: dict[int, str | list[str]], h: int) -> list[str]:
        hit = table.get(h)
        return [] if hit is None else [hit] if isinstance(hit, str) else hit

    @staticmethod
    def _add(table: dict[int, str | list[str]], h: int, id_: str) -> None:
        hit = table.get(h)
        if hit is None:
            table[h] = id_
        elif isinstance(hit, str):
            table[h] = [hit, id_]
        else:
            hit.append(id_)

    def _first(self, rec: RecordIn, section: str, id_: str) -> bool:
        """Record ``id_`` as defined in this file; report a second definition in the same file."""
        f = _file_of(rec)
        ids = self.seen.setdefault((f, section), set())
        if id_ in ids:
            first = self.ds.origins.get((section, id_))
            where = f" (first defined at {first})" if first else ""
            self.problems.append(Problem(rec.where(("id",)), f"duplicate {_SINGULAR[section]} id {id_!r}{where}: give each a unique id"))
            return False
        ids.add(id_)
        return True

    # -- rates and sources -------------------------------------------------------------------
    def rate(self, rec: RecordIn, rate: Rate) -> None:
        if rate not in self.ds.rates:
            self.ds.rates.append(rate)

    def source(self, rec: RecordIn, src: Source) -> None:
        ds = self.ds
        if not self._first(rec, "sources", src.id):
            return
        old = ds.sources.get(src.id)
        if old is None:
            ds.sources[src.id] = src
            ds.origins[("sources", src.id)] = rec.where(())
            return
        first = ds.origins[("sources", src.id)]
        if old.tier != src.tier:
            self.problems.append(Problem(rec.where(("tier",)), f"source {src.id!r} is {src.tier.value} here but {old.tier.value} at {first}: one source, one tier; fix one of them"))
            return
        fill = {k: v for k, v in src.__dict__.items() if v is not None and getattr(old, k) is None}
        differ = sorted(k for k, v in src.__dict__.items() if v is not None and getattr(old, k) is not None and getattr(old, k) != v)
        if fill:
            ds.sources[src.id] = old.model_copy(update=fill)
        if differ:
            self.notes.append(f"source {src.id!r} at {rec.where(())} differs from {first} in {', '.join(differ)}: kept the first")

    # -- entities ----------------------------------------------------------------------------
    def _names(self, e: Entity) -> set[str]:
        return {normalize_name(t) for t in (e.id, e.name, *e.aliases)}

    def _index_entity(self, e: Entity) -> None:
        for n in self._names(e):
            self.index.setdefault(n, set()).add(e.id)

    def entity(self, rec: RecordIn, ent: Entity) -> None:
        ds = self.ds
        if not self._first(rec, "entities", ent.id):
            return
        if ent.kind not in self.vocab.kinds:
            self.problems.append(Problem(rec.where(("kind",)), f"unknown kind {short(ent.kind)}{_did_you_mean(ent.kind, self.vocab.kinds)} (kinds: {', '.join(self.vocab.kinds)})"))
            if ent.id not in ds.entities:  # keep it, so that claims about it report nothing more
                ds.entities[ent.id] = ent
                ds.origins[("entities", ent.id)] = rec.where(())
            return
        f = _file_of(rec)
        target = ent.id if ent.id in ds.entities else self.redirect.get(ent.id)
        how = "id"
        if target is None:
            cands = {
                eid for n in self._names(ent) for eid in self.index.get(n, ())
                if self._file("entities", eid) != f and ds.entities[eid].kind == ent.kind
            }
            if len(cands) == 1:
                target, how = cands.pop(), "name"
            elif len(cands) > 1:
                self.notes.append(f"entity {ent.id!r} at {rec.where(())} shares a name with {', '.join(sorted(cands))}: kept apart (give the same id to merge)")
        if target is None:
            ds.entities[ent.id] = ent
            ds.origins[("entities", ent.id)] = rec.where(())
            self._index_entity(ent)
            return
        old = ds.entities[target]
        first = ds.origins[("entities", target)]
        if first.file == f:
            # the same id twice in one file is caught above; by name within one file: keep apart
            ds.entities[ent.id] = ent
            ds.origins[("entities", ent.id)] = rec.where(())
            self._index_entity(ent)
            return
        if old.kind != ent.kind:
            self.problems.append(Problem(rec.where(("kind",)), f"entity {ent.id!r} is a {ent.kind} here but a {old.kind} at {first}: an id names one thing; rename one of them"))
            return
        self._merge_entity(old, ent, rec, first, how)

    def _merge_entity(self, old: Entity, new: Entity, rec: RecordIn, first: Origin, how: str) -> None:
        known = self._names(old)
        extra = []
        for text in ((new.id,) if new.id != old.id else ()) + (new.name, *new.aliases):
            n = normalize_name(text)
            if n not in known:
                known.add(n)
                extra.append(text)
        old.aliases = list(old.aliases) + extra
        clash = sorted(k for k, v in new.attributes.items() if k in old.attributes and old.attributes[k] != v)
        if new.attributes:
            old.attributes = {**new.attributes, **old.attributes}
        if old.notes is None and new.notes:
            old.notes = new.notes
        if new.id != old.id:
            self.redirect[new.id] = old.id
        self._index_entity(old)
        via = "the same id" if how == "id" else "name or alias"
        msg = f"entity {new.id!r} at {rec.where(())} merged into {old.id!r} ({first}) by {via}"
        if clash:
            msg += f"; attributes {', '.join(clash)} differ: kept the first"
        self.notes.append(msg)

    # -- claims ------------------------------------------------------------------------------
    def _ref(self, ref: Any, f: str, also: dict | None = None) -> Any:
        if not isinstance(ref, str) or ref in self.ds.entities or (also is not None and ref in also):
            return ref
        if ref in self.redirect:
            return self.redirect[ref]
        key = (f, ref)
        if key in self.resolved:
            return self.resolved[key]
        found = self.index.get(normalize_name(ref), set())
        if len(found) == 1:
            (eid,) = found
            self.resolved[key] = eid
            self.notes.append(f"{f}: {ref!r} resolved to entity {eid!r} by its name or alias")
            return eid
        return ref

    def _rewrite(self, c: Claim, f: str) -> None:
        # speed: a model's __setattr__ is slow; assign only what a reference changed
        ref = self._ref
        s = ref(c.subject, f)
        if s is not c.subject:
            c.subject = s
        if c.object is not None:
            o = ref(c.object, f)
            if o is not c.object:
                c.object = o
        quals = self.vocab.qualifiers
        for k, v in c.qualifiers.items():
            q = quals.get(k)
            if q is not None and q.type == "entity":
                c.qualifiers[k] = ref(v, f)
        if c.asserted_by:
            new = [ref(a, f, self.ds.sources) for a in c.asserted_by]
            if any(a is not b for a, b in zip(new, c.asserted_by, strict=True)):
                c.asserted_by = new

    def _signature(self, c: Claim, with_status: bool = True) -> tuple:
        pred = self.vocab.predicates[c.predicate]
        a, b = c.subject, c.object
        if pred.symmetric and b is not None and b < a:
            a, b = b, a
        quals = tuple(sorted((k, _hashable(v)) for k, v in c.qualifiers.items()))
        return (a, c.predicate, b, _hashable(c.value), quals, c.valid_from, c.valid_until, c.on,
                c.status if with_status else None)

    def claim(self, rec: RecordIn, c: Claim) -> None:
        ds = self.ds
        f = _file_of(rec)
        if not self._first(rec, "claims", c.id):
            return
        self._rewrite(c, f)
        found = _check_claim(c, rec, self.vocab, ds.entities, ds.sources)
        if found:
            self.problems.extend(found)
            return
        self._share_values(c)
        sig = self._signature(c)
        h = hash(sig)
        # the same claim again (from another file): under its own id if that one matches, else
        # under the first id that says the same
        if c.id in ds.claims and self._signature(ds.claims[c.id]) == sig:
            same = c.id
        else:
            same = next((i for i in self._ids(self.signatures, h) if self._signature(ds.claims[i]) == sig), None)
        if same is not None and self._file("claims", same) != f:
            self._merge_claim(ds.claims[same], c, rec)
            return
        if c.id in ds.claims:
            old = ds.claims[c.id]
            new_id = self._free_id(c.id)
            diff = _claim_fields_differ(old, c)
            self.notes.append(f"claim {c.id!r} at {rec.where(())} differs from {c.id!r} at {ds.origins[('claims', c.id)]} ({', '.join(diff)}): kept both, this one as {new_id!r}")
            c.id = new_id
        ds.claims[c.id] = c
        ds.origins[("claims", c.id)] = rec.where(())
        if c.contradicts:
            self.links.append((rec, c))
        if same is None:
            self._add(self.signatures, h, c.id)
        loose = (*sig[:-1], None)  # the signature without its status
        hl = hash(loose)
        for other_id in self._ids(self.loose, hl):
            other = ds.claims[other_id]
            if other.status != c.status and self._file("claims", other_id) != f \
                    and self._signature(other, with_status=False) == loose:
                self.notes.append(f"claims {other_id!r} ({other.status.value}) and {c.id!r} ({c.status.value}) say the same with another status: kept both")
                break
        self._add(self.loose, hl, c.id)

    def _share_values(self, c: Claim) -> None:
        """Memory: equal quantities (value and qualifiers) are one frozen instance."""
        q = self.quantities
        v = c.value
        if isinstance(v, Quantity):
            one = q.setdefault(_quantity_key(v), v)
            if one is not v:
                c.value = one
        for k, v in c.qualifiers.items():
            if isinstance(v, Quantity):
                c.qualifiers[k] = q.setdefault(_quantity_key(v), v)

    def _free_id(self, id_: str) -> str:
        n = 2
        while f"{id_}-{n}" in self.ds.claims:
            n += 1
        return f"{id_}-{n}"

    def _merge_claim(self, old: Claim, new: Claim, rec: RecordIn) -> None:
        have = {(e.source, e.effect, e.locator, e.paraphrase) for e in old.evidence}
        added = [e for e in new.evidence if (e.source, e.effect, e.locator, e.paraphrase) not in have]
        old.evidence = list(old.evidence) + added
        old.asserted_by = list(dict.fromkeys([*old.asserted_by, *new.asserted_by]))
        if new.contradicts:
            if not old.contradicts:
                self.links.append((rec, old))
            old.contradicts = [x for x in dict.fromkeys([*old.contradicts, *new.contradicts]) if x != old.id]
        if new.stated_on is not None and (old.stated_on is None or new.stated_on < old.stated_on):
            old.stated_on = new.stated_on
        if new.notes and new.notes != old.notes:
            old.notes = f"{old.notes} / {new.notes}" if old.notes else new.notes
        kept = []
        for name in ("tense", "history"):
            theirs = getattr(new, name)
            if theirs is None:
                continue
            if getattr(old, name) is None:
                setattr(old, name, theirs)
            elif getattr(old, name) != theirs:
                kept.append(name)
        what = f"{new.id!r} at {rec.where(())}" if new.id != old.id else f"{new.id!r} at {rec.where(())} (same id)"
        self.notes.append(f"claim {what} is made identically by {old.id!r} ({self.ds.origins[('claims', old.id)]}): one claim, evidence of both ({len(added)} added)"
                          + (f"; its {' and '.join(kept)} differ: kept the first" if kept else ""))

    def finish(self) -> None:
        """The references every claim was read could not check: ``contradicts`` names claims that
        may come later in the files."""
        claims = self.ds.claims
        for rec, c in self.links:
            for i, other in enumerate(c.contradicts):
                if other not in claims:
                    self.problems.append(Problem(rec.where(("contradicts", i)), f"contradicts names unknown claim {other!r}{_did_you_mean(other, claims)}: give the id of a claim in the dataset"))


def _quantity_key(q: Quantity) -> tuple:
    """What makes two quantities the same one (as their repr did, 2 and 2.0 apart), quickly."""
    d = q.__dict__
    v, lo, hi = d["value"], d["min"], d["max"]
    return (type(v), v, type(lo), lo, type(hi), hi, d["unit"], d["approx"])


def _claim_fields_differ(a: Claim, b: Claim) -> list[str]:
    da, db = a.to_data(), b.to_data()
    out = []
    for k in sorted(set(da) | set(db)):
        if k in ("id", "evidence"):
            continue
        if k == "qualifiers":
            qa, qb = da.get(k, {}), db.get(k, {})
            out += [f"qualifiers.{q}" for q in sorted(set(qa) | set(qb)) if qa.get(q) != qb.get(q)]
        elif da.get(k) != db.get(k):
            out.append(k)
    return out or ["evidence"]


def _broken_ids(failed: list[RecordIn], section: str) -> set[str]:
    return {r.data["id"] for r in failed
            if r.section == section and isinstance(r.data, dict) and isinstance(r.data.get("id"), str)}


def _check_failed(failed: list[RecordIn], ds: Dataset, vocab: Vocabulary, problems: list[Problem]) -> None:
    """Every problem at once: a record whose fields are wrong is not in the dataset, but what
    it names is checked all the same (the references of a claim with a bad date, say), so that
    fixing its fields does not reveal a second round of problems. References to a record that
    failed are no further problem: its own problem is reported where it is."""
    broken_entities = _broken_ids(failed, "entities")
    broken_sources = _broken_ids(failed, "sources")
    if broken_entities or broken_sources:  # references to them are not "unknown": drop that noise
        keep = []
        for p in problems:
            m = _UNKNOWN_REF.search(p.message)
            if m and (m.group(2) in broken_entities if m.group(1) == "entity" else m.group(2) in broken_sources):
                continue
            keep.append(p)
        problems[:] = keep
    entities = ds.entities.keys() | broken_entities
    sources = ds.sources.keys() | broken_sources
    for rec in failed:
        data = rec.data
        if rec.section != "claims" or not isinstance(data, dict):
            continue
        pred = data.get("predicate")
        if isinstance(pred, str) and pred not in vocab.predicates:
            problems.append(Problem(rec.where(("predicate",)), f"unknown predicate {pred!r}{_did_you_mean(pred, vocab.predicates)}"))
        for role in ("subject", "object"):
            ref = data.get(role)
            if isinstance(ref, str) and ref not in entities:
                problems.append(Problem(rec.where((role,)), f"unknown entity {ref!r}{_did_you_mean(ref, ds.entities)}"))
        evidence = data.get("evidence")
        if isinstance(evidence, list):
            for i, ev in enumerate(evidence):
                src = ev.get("source") if isinstance(ev, dict) else None
                if isinstance(src, str) and src not in sources:
                    problems.append(Problem(rec.where(("evidence", i, "source")), f"unknown source {src!r}{_did_you_mean(src, ds.sources)}"))


_UNKNOWN_REF = __import__("re").compile(r"unknown (entity|source) '([^']*)'")


def _check_claim(c: Claim, rec: RecordIn, vocab: Vocabulary, entities: dict, sources: dict) -> list[Problem]:
    out: list[Problem] = []

    def bad(path: tuple, msg: str) -> None:
        out.append(Problem(rec.where(path), msg))

    def entity_ref(path: tuple, ref: str, allowed: tuple[str, ...], role: str) -> None:
        ent = entities.get(ref)
        if ent is None:
            bad(path, f"unknown entity {short(ref)}{_did_you_mean(ref, entities)}")
        elif allowed and ent.kind not in allowed and ent.kind in vocab.kinds:
            bad(path, f"{role} {short(ref)} is a {ent.kind}; {c.predicate} takes {' or '.join(allowed)}")

    pred = vocab.predicates.get(c.predicate)
    if pred is None:
        bad(("predicate",), f"unknown predicate {c.predicate!r}{_did_you_mean(c.predicate, vocab.predicates)}")
        # what else the claim names is checked all the same (every problem at once)
        entity_ref(("subject",), c.subject, (), "subject")
        if c.object is not None:
            entity_ref(("object",), c.object, (), "object")
        for i, ev in enumerate(c.evidence):
            if ev.source not in sources:
                bad(("evidence", i, "source"), f"unknown source {ev.source!r}{_did_you_mean(ev.source, sources)}")
        return out
    entity_ref(("subject",), c.subject, pred.subject, "subject")
    if pred.takes_value:
        if c.value is None:
            bad(("object",), f"{c.predicate} takes a value ({pred.value}), not an object: write value: ...")
        else:
            try:
                c.value = vocab.coerce_value(pred, c.value)
            except ValueError as exc:
                bad(("value",), str(exc))
    else:
        if c.object is None:
            bad(("value",), f"{c.predicate} takes an object entity ({' or '.join(pred.object)}), not a value")
        else:
            entity_ref(("object",), c.object, pred.object, "object")
            if c.object == c.subject:
                bad(("object",), f"claim relates {short(c.subject)} to itself")
    for name, raw in list(c.qualifiers.items()):
        if name not in pred.qualifiers:
            allowed = ", ".join(pred.qualifiers) or "none"
            bad(("qualifiers", name), f"{c.predicate} does not take qualifier {name!r} (allowed: {allowed})")
            continue
        try:
            c.qualifiers[name] = vocab.coerce_qualifier(name, raw)
        except ValueError as exc:
            bad(("qualifiers", name), str(exc))
            continue
        q = vocab.qualifiers[name]
        if q.type == "entity":
            entity_ref(("qualifiers", name), c.qualifiers[name], q.kinds, f"qualifier {name}")
    for name in pred.required:
        if name not in c.qualifiers:
            bad(("qualifiers",), f"{c.predicate} needs qualifier {name!r}: add qualifiers: {{{name}: ...}}")
    for i, who in enumerate(c.asserted_by):
        if who not in entities and who not in sources:
            bad(("asserted_by", i), f"asserted_by {short(who)} is neither an entity nor a source{_did_you_mean(who, entities) or _did_you_mean(who, sources)}")
    for i, ev in enumerate(c.evidence):
        if ev.source not in sources:
            bad(("evidence", i, "source"), f"unknown source {short(ev.source)}{_did_you_mean(ev.source, sources)}")
    for i, h in enumerate(c.history or ()):
        _check_history_entry(c, i, h, sources, bad)
    return out


def _check_history_entry(c: Claim, i: int, h, sources: dict, bad: Callable[[tuple, str], None]) -> None:
    """A status cannot change on a source that was not out yet; a confirmed entry needs a
    supporting source that was out by its date (so a ``known_on`` view on that day keeps it)."""
    last = h.on.end()
    for j, sid in enumerate(h.sources):
        src = sources.get(sid)
        if src is not None and src.published is not None and src.published.start() > last:
            bad(("history", i, "sources", j), f"history entry {i + 1} ({h.on}) rests on {sid!r}, published "
                f"{src.published}, after the entry: date the entry on or after the source")
    if h.status.value == "confirmed":
        supporting = {e.source for e in c.evidence if e.effect.value == "supports"}
        out_by = [sid for sid in h.sources if sid in supporting and sid in sources
                  and sources[sid].on_record is not None and sources[sid].on_record <= last]
        if not out_by:
            bad(("history", i, "sources"), f"history entry {i + 1} ({h.on}) confirms the claim, but none of its "
                f"supporting sources was out by {last}: name one published (or retrieved) by then, or date the "
                "entry when it came out")
