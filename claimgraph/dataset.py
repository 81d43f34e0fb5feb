"""A validated dataset: sources, entities, claims and exchange rates, with where each came from.

Loaders (YAML, CSV, JSON) turn files into :class:`RecordIn` items; :func:`assemble` validates
every record and every reference at once and returns a :class:`Dataset`, or raises
:class:`~claimgraph.errors.DatasetError` listing every problem. Nothing is returned half-built.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from .errors import DatasetError, Origin, Problem
from .model import Claim, Entity, Rate, Source
from .vocabulary import Vocabulary, default_vocabulary

SECTIONS: dict[str, type] = {"sources": Source, "entities": Entity, "claims": Claim, "rates": Rate}
_SINGULAR = {"sources": "source", "entities": "entity", "claims": "claim", "rates": "rate"}


@dataclass
class RecordIn:
    """A raw record from a file: its section, its data, and a function that says where a field
    (given as a path such as ``("qualifiers", "stake")``) came from."""

    section: str
    data: Any
    where: Callable[[tuple], Origin]


@dataclass
class Dataset:
    sources: dict[str, Source] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    rates: list[Rate] = field(default_factory=list)
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


def normalize_name(text: str) -> str:
    """Fold a name or alias for lookup: NFKC, case-folded, inner white space collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f": did you mean {match[0]!r}?" if match else ""


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


def assemble(records: Iterable[RecordIn], vocabulary: Vocabulary | None = None) -> Dataset:
    """Validate records into a :class:`Dataset`; raise :class:`DatasetError` with every problem.

    >>> from claimgraph.loaders import load_dataset
    >>> ds = load_dataset()          # the bundled ai-chips landscape
    >>> "nvidia" in ds.entities
    True
    """
    vocab = vocabulary or default_vocabulary()
    problems: list[Problem] = []
    ds = Dataset()
    parsed: list[tuple[RecordIn, Any]] = []

    for rec in records:
        model = SECTIONS.get(rec.section)
        if model is None:
            problems.append(Problem(rec.where(()), f"unknown section {rec.section!r}: use sources, entities, claims or rates"))
            continue
        if not isinstance(rec.data, dict):
            problems.append(Problem(rec.where(()), f"each item under {rec.section} must be a mapping, not {type(rec.data).__name__}"))
            continue
        try:
            obj = model.model_validate(rec.data)
        except ValidationError as exc:
            problems.extend(_pydantic_problems(exc, rec, model))
            continue
        parsed.append((rec, obj))

    # ids: unique per section
    for rec, obj in parsed:
        if isinstance(obj, Rate):
            ds.rates.append(obj)
            continue
        table = {"sources": ds.sources, "entities": ds.entities, "claims": ds.claims}[rec.section]
        key = (rec.section, obj.id)
        if obj.id in table:
            problems.append(Problem(rec.where(("id",)), f"duplicate {_SINGULAR[rec.section]} id {obj.id!r} (first defined at {ds.origins[key]}): give each a unique id"))
            continue
        table[obj.id] = obj
        ds.origins[key] = rec.where(())

    entities, sources = ds.entities, ds.sources
    for rec, obj in parsed:
        if isinstance(obj, Entity) and entities.get(obj.id) is obj:
            if obj.kind not in vocab.kinds:
                problems.append(Problem(rec.where(("kind",)), f"unknown kind {obj.kind!r}{_did_you_mean(obj.kind, vocab.kinds)} (kinds: {', '.join(vocab.kinds)})"))
        elif isinstance(obj, Rate) and obj.source and obj.source not in sources:
            problems.append(Problem(rec.where(("source",)), f"unknown source {obj.source!r}{_did_you_mean(obj.source, sources)}"))
        elif isinstance(obj, Claim) and ds.claims.get(obj.id) is obj:
            problems.extend(_check_claim(obj, rec, vocab, entities, sources))

    if problems:
        raise DatasetError(problems)
    return ds


def _check_claim(c: Claim, rec: RecordIn, vocab: Vocabulary, entities: dict, sources: dict) -> list[Problem]:
    out: list[Problem] = []

    def bad(path: tuple, msg: str) -> None:
        out.append(Problem(rec.where(path), msg))

    def entity_ref(path: tuple, ref: str, allowed: tuple[str, ...], role: str) -> None:
        ent = entities.get(ref)
        if ent is None:
            bad(path, f"unknown entity {ref!r}{_did_you_mean(ref, entities)}")
        elif allowed and ent.kind not in allowed and ent.kind in vocab.kinds:
            bad(path, f"{role} {ref!r} is a {ent.kind}; {c.predicate} takes {' or '.join(allowed)}")

    pred = vocab.predicates.get(c.predicate)
    if pred is None:
        bad(("predicate",), f"unknown predicate {c.predicate!r}{_did_you_mean(c.predicate, vocab.predicates)}")
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
                bad(("object",), f"claim relates {c.subject!r} to itself")
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
            bad(("asserted_by", i), f"asserted_by {who!r} is neither an entity nor a source{_did_you_mean(who, list(entities) + list(sources))}")
    for i, ev in enumerate(c.evidence):
        if ev.source not in sources:
            bad(("evidence", i, "source"), f"unknown source {ev.source!r}{_did_you_mean(ev.source, sources)}")
    return out
