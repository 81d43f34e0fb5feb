"""The vocabulary: relation types, qualifiers and entity kinds, read from ``vocabulary.yaml``.

The code here is generic: it knows nothing about particular predicates. Adding a relation type is
a change to the YAML file only.

>>> vocab = default_vocabulary()
>>> vocab.predicates["COMPETES_WITH"].symmetric
True
>>> vocab.predicates["INVESTS_IN"].stance
'financial'
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .values import PartialDate, Quantity

STANCES = ("cooperative", "competitive", "financial", "supply", "control", "product", "comparison", "attribute")
VALUE_TYPES = ("quantity", "date", "text", "any")
QUALIFIER_TYPES = ("quantity", "entity", "text", "date", "choice")


@dataclass(frozen=True)
class Qualifier:
    name: str
    type: str
    dimension: str | None = None
    kinds: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    doc: str = ""


@dataclass(frozen=True)
class Predicate:
    name: str
    stance: str
    direction: str
    subject: tuple[str, ...]
    object: tuple[str, ...] = ()
    value: str | None = None
    dimension: str | None = None
    qualifiers: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    label: str = ""

    @property
    def symmetric(self) -> bool:
        return self.direction == "symmetric"

    @property
    def takes_value(self) -> bool:
        return self.value is not None


@dataclass
class Vocabulary:
    kinds: dict[str, str]
    dimensions: dict[str, tuple[str, ...]]
    qualifiers: dict[str, Qualifier]
    predicates: dict[str, Predicate]
    version: int = 1
    _unit_dim: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._unit_dim = {u: d for d, units in self.dimensions.items() for u in units}

    # -- reading ------------------------------------------------------------------------------
    @classmethod
    def from_yaml(cls, path: str | Path) -> Vocabulary:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return cls.from_data(data, where=str(path))

    @classmethod
    def from_data(cls, data: dict, where: str = "vocabulary") -> Vocabulary:
        def fail(msg: str):
            raise ValueError(f"{where}: {msg}")

        kinds = dict(data.get("kinds") or {})
        dims = {k: tuple(v) for k, v in (data.get("dimensions") or {}).items()}
        quals: dict[str, Qualifier] = {}
        for name, q in (data.get("qualifiers") or {}).items():
            if q.get("type") not in QUALIFIER_TYPES:
                fail(f"qualifier {name}: type must be one of {QUALIFIER_TYPES}")
            if q.get("dimension") and q["dimension"] not in dims:
                fail(f"qualifier {name}: unknown dimension {q['dimension']}")
            for k in q.get("kinds", []):
                if k not in kinds:
                    fail(f"qualifier {name}: unknown kind {k}")
            quals[name] = Qualifier(
                name=name,
                type=q["type"],
                dimension=q.get("dimension"),
                kinds=tuple(q.get("kinds", ())),
                values=tuple(q.get("values", ())),
                doc=q.get("doc", ""),
            )
        preds: dict[str, Predicate] = {}
        for name, p in (data.get("predicates") or {}).items():
            if not name.isupper() or not name.replace("_", "").isalnum():
                fail(f"predicate {name}: names are UPPER_SNAKE_CASE (they become Neo4j types)")
            if p.get("stance") not in STANCES:
                fail(f"predicate {name}: stance must be one of {STANCES}")
            if p.get("direction") not in ("directed", "symmetric"):
                fail(f"predicate {name}: direction must be directed or symmetric")
            if bool(p.get("object")) == bool(p.get("value")):
                fail(f"predicate {name}: give exactly one of object (kinds) or value (type)")
            if p.get("value") and p["value"] not in VALUE_TYPES:
                fail(f"predicate {name}: value must be one of {VALUE_TYPES}")
            for k in list(p.get("subject", [])) + list(p.get("object", []) or []):
                if k not in kinds:
                    fail(f"predicate {name}: unknown kind {k}")
            for qn in list(p.get("qualifiers", [])) + list(p.get("required", [])):
                if qn not in quals:
                    fail(f"predicate {name}: unknown qualifier {qn}")
            preds[name] = Predicate(
                name=name,
                stance=p["stance"],
                direction=p["direction"],
                subject=tuple(p.get("subject", ())),
                object=tuple(p.get("object") or ()),
                value=p.get("value"),
                dimension=p.get("dimension"),
                qualifiers=tuple(p.get("qualifiers", ())),
                required=tuple(p.get("required", ())),
                label=p.get("label", ""),
            )
        return cls(kinds=kinds, dimensions=dims, qualifiers=quals, predicates=preds,
                   version=int(data.get("version", 1)))

    # -- lookups ------------------------------------------------------------------------------
    def suggest(self, word: str, choices) -> str:
        match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
        return f": did you mean {match[0]!r}?" if match else ""

    def stance_of(self, predicate: str) -> str:
        return self.predicates[predicate].stance

    def predicates_with_stance(self, *stances: str) -> set[str]:
        return {n for n, p in self.predicates.items() if p.stance in stances}

    def dimension_of(self, unit: str) -> str | None:
        return self._unit_dim.get(unit)

    # -- coercion -----------------------------------------------------------------------------
    def coerce_quantity(self, raw: Any, dimension: str | None, what: str) -> Quantity:
        try:
            q = raw if isinstance(raw, Quantity) else Quantity.model_validate(raw)
        except ValidationError as exc:  # one line, not pydantic's multi-line report
            raise ValueError(f"{what}: {_first_error(exc)}") from None
        if dimension is not None:
            dim = self.dimension_of(q.unit)
            if dim != dimension:
                allowed = ", ".join(self.dimensions.get(dimension, ()))
                raise ValueError(f"{what} is in {q.unit!r}; it needs a {dimension} unit ({allowed})")
        nums = [x for x in (q.value, q.min, q.max) if x is not None]
        if dimension == "percent" and any(x < 0 or x > 100 for x in nums):
            raise ValueError(f"{what} {q} is outside 0-100%")
        if dimension in ("currency", "count", "duration", "length", "factor") and any(x < 0 for x in nums):
            raise ValueError(f"{what} {q} is negative")
        return q

    def coerce_qualifier(self, name: str, raw: Any) -> Any:
        q = self.qualifiers[name]
        if q.type == "quantity":
            return self.coerce_quantity(raw, q.dimension, f"qualifier {name}")
        if q.type == "date":
            return PartialDate.parse(raw)
        if q.type == "choice":
            if raw not in q.values:
                raise ValueError(f"{name} {raw!r} is not one of {', '.join(q.values)}{self.suggest(str(raw), q.values)}")
            return raw
        if not isinstance(raw, str) or not raw.strip():
            raise ValueError(f"qualifier {name} must be non-empty text")
        return raw.strip()

    def coerce_value(self, pred: Predicate, raw: Any) -> Any:
        if pred.value == "quantity":
            if not isinstance(raw, str | Quantity):
                raise ValueError(f"{pred.name} takes a quantity with a unit (e.g. '9 months'), not {raw}")
            return self.coerce_quantity(raw, pred.dimension, "value")
        if pred.value == "date":
            return PartialDate.parse(raw)
        if pred.value == "text":
            if not isinstance(raw, str):
                raise ValueError("value must be text")
            return raw
        # any: keep typed values, try a quantity for text that reads as one
        if isinstance(raw, str):
            try:
                return Quantity.model_validate(raw)
            except ValueError:
                return raw
        return raw


def _first_error(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False)
    if not errors:
        return str(exc).splitlines()[0]
    msg = errors[0]["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return msg


@cache
def default_vocabulary() -> Vocabulary:
    """The vocabulary shipped with claimgraph (``claimgraph/vocabulary.yaml``)."""
    text = resources.files("claimgraph").joinpath("vocabulary.yaml").read_text(encoding="utf-8")
    return Vocabulary.from_data(yaml.safe_load(text), where="claimgraph/vocabulary.yaml")
