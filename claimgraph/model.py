"""The claim model: sources, entities, claims, statuses, quantities and partial dates.

Every relation in a landscape is a :class:`Claim`. A claim names a subject entity, a predicate
from the vocabulary, and either an object entity or a value (a :class:`Quantity`, a
:class:`PartialDate` or text). It carries who asserts it, when it was said, when it holds, a
:class:`Status` and the :class:`Evidence` behind it.

The per-record rules live on the models (a confirmed claim needs a supporting source); the rules
that need the whole dataset (references resolve, kinds fit the vocabulary) live in
:func:`claimgraph.validation.check_dataset`.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from enum import StrEnum
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

from .values import PartialDate, Quantity, _share_fields_set, _SharedFieldsSet, as_date

__all__ = [
    "Status",
    "Tier",
    "Effect",
    "PartialDate",
    "Quantity",
    "Source",
    "Entity",
    "Evidence",
    "Claim",
    "Rate",
    "STATUS_ORDER",
    "WEAK_TIERS",
    "SLUG_RE",
    "as_date",
]

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class Status(StrEnum):
    """How well a claim stands, from weakest to strongest (see :data:`STATUS_ORDER`)."""

    REFUTED = "refuted"
    UNSUPPORTED = "unsupported"
    DISPUTED = "disputed"
    STALE = "stale"
    CLAIMED = "claimed"
    REPORTED = "reported"
    CONFIRMED = "confirmed"

    @property
    def rank(self) -> int:
        return STATUS_ORDER.index(self)

    @classmethod
    def parse(cls, text: str) -> Status:
        hit = _STATUS_TEXT.get(text) if type(text) is str else None
        if hit is not None:  # speed: the status as written, most of the time
            return hit
        try:
            return cls(str(text).strip().lower())
        except ValueError:
            raise ValueError(
                f"unknown status {text!r}: use one of {', '.join(s.value for s in STATUS_ORDER)}"
            ) from None


#: Statuses from weakest (refuted) to strongest (confirmed); ``--min-status`` cuts this list.
STATUS_ORDER: tuple[Status, ...] = tuple(Status)
_STATUS_TEXT: dict[str, Status] = {s.value: s for s in Status}


class Tier(StrEnum):
    """Source reliability, strongest first."""

    PRIMARY = "primary"
    WIRE = "wire"
    PRESS = "press"
    MIRROR = "mirror"
    AGGREGATOR = "aggregator"
    SELF_MEDIA = "self-media"


#: Tiers that cannot by themselves carry a confirmed claim (the audit flags such claims).
WEAK_TIERS = frozenset({Tier.AGGREGATOR, Tier.SELF_MEDIA})


class Effect(StrEnum):
    """What a piece of evidence does to its claim."""

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    # Memory: the set of given field names is shared between records given the same fields
    # (see _SharedFieldsSet); assigning a field not given at validation copies it first.
    @model_validator(mode="after")
    def _shared_fields(self):
        _share_fields_set(self)
        return self

    def __setattr__(self, name: str, value: Any) -> None:
        fs = self.__pydantic_fields_set__
        if type(fs) is _SharedFieldsSet and name not in fs:
            object.__setattr__(self, "__pydantic_fields_set__", set(fs))
        super().__setattr__(name, value)


def _check_slug(value: str) -> str:
    if not SLUG_RE.match(value) or len(value) > 120:
        raise ValueError(
            f"id {value!r} is not a slug: use lower-case letters, digits, '-', '_' or '.', "
            "starting with a letter or digit"
        )
    return value


class Source(_Record):
    """A document that claims rest on."""

    id: str
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    url: str | None = None
    published: PartialDate | None = None
    language: str = "en"
    tier: Tier
    retrieved: PartialDate | None = None
    notes: str | None = None

    _id = field_validator("id")(classmethod(lambda cls, v: _check_slug(v)))

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        if v is None or v == "":
            return None
        if any(ch.isspace() for ch in v) or len(v) > 2000:
            raise ValueError(f"url {v[:60]!r} has white space or is too long")
        return v

    @property
    def is_weak(self) -> bool:
        return self.tier in WEAK_TIERS

    @property
    def safe_url(self) -> str | None:
        """The url when it is an http(s) link, else None (never a ``javascript:`` link)."""
        if self.url and re.match(r"^https?://[^\s<>\"']+$", self.url, re.I):
            return self.url
        return None


class Entity(_Record):
    """A node of the landscape: a company, person, chip, programme, facility, market..."""

    id: str
    name: str = Field(min_length=1)
    kind: str
    aliases: list[str] = Field(default_factory=list)
    attributes: dict[str, Any] = Field(default_factory=dict)
    notes: str | None = None

    _id = field_validator("id")(classmethod(lambda cls, v: _check_slug(v)))

    @field_validator("aliases", mode="before")
    @classmethod
    def _aliases(cls, v: Any) -> Any:
        if isinstance(v, str):
            return [v]
        return v

    @field_validator("attributes")
    @classmethod
    def _attributes(cls, v: dict[str, Any]) -> dict[str, Any]:
        for key, val in v.items():
            if not isinstance(val, str | int | float | bool) or isinstance(val, float) and not math.isfinite(val):
                raise ValueError(
                    f"attribute {key!r} must be text, a finite number or true/false, not {type(val).__name__}"
                )
        return v


class Evidence(_Record):
    """One source's bearing on a claim: it supports or contradicts it."""

    source: str
    effect: Effect = Effect.SUPPORTS
    locator: str | None = None
    paraphrase: str | None = None


class Claim(_Record):
    """One sourced statement: ``subject predicate object`` or ``subject predicate value``."""

    id: str
    subject: str
    predicate: str
    object: str | None = None
    value: Quantity | PartialDate | str | None = None
    qualifiers: dict[str, Any] = Field(default_factory=dict)
    asserted_by: list[str] = Field(default_factory=list)
    stated_on: PartialDate | None = None
    valid_from: PartialDate | None = None
    valid_until: PartialDate | None = None
    status: Status
    evidence: list[Evidence] = Field(min_length=1)
    notes: str | None = None

    _id = field_validator("id")(classmethod(lambda cls, v: _check_slug(v)))

    @field_validator("evidence", mode="wrap")
    @classmethod
    def _shared_evidence(cls, v: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
        """Memory: with ``context={"share": {}}`` (as the loaders validate), evidence given as
        the same plain mapping (source, effect, locator, paraphrase) is one :class:`Evidence`
        instance, as :mod:`claimgraph.synth` builds them. Evidence is never changed in place
        by claimgraph (merging builds new lists)."""
        share = info.context.get("share") if isinstance(info.context, dict) else None
        if share is None or not isinstance(v, list):
            return handler(v)
        keys: list = []
        items: list = []
        for item in v:
            key = None
            if type(item) is dict and len(item) <= 4 and all(type(x) is str for x in item.values()):
                key = ("evidence", *item.items())
                hit = share.get(key)
                if hit is not None:
                    item, key = hit, None
            keys.append(key)
            items.append(item)
        out = handler(items)
        for key, ev in zip(keys, out, strict=True):
            if key is not None:
                share[key] = ev
        return out

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, v: Any) -> Any:
        return Status.parse(v) if isinstance(v, str) else v

    @field_validator("asserted_by", mode="before")
    @classmethod
    def _asserted(cls, v: Any) -> Any:
        if isinstance(v, str):
            return [v]
        return v

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, v: Any) -> Any:
        # dates and mappings are typed here; text stays text until the vocabulary says more
        if isinstance(v, _dt.date):
            return PartialDate.parse(v)
        if isinstance(v, dict):
            return Quantity.model_validate(v)
        if isinstance(v, bool):
            raise ValueError("a value cannot be true/false: write it as text")
        if isinstance(v, int) and 1000 <= v <= 9999:
            return PartialDate(v)  # a bare year, for date-valued predicates
        if isinstance(v, int | float):
            raise ValueError(f"value {v!r} has no unit: write e.g. '{v} months' or text in quotes")
        return v

    @model_validator(mode="after")
    def _rules(self) -> Claim:
        if self.object is None and self.value is None:
            raise ValueError("a claim needs an object (an entity id) or a value")
        if self.object is not None and self.value is not None:
            raise ValueError("a claim has an object or a value, not both")
        if self.status is Status.CONFIRMED and not any(
            e.effect is Effect.SUPPORTS for e in self.evidence
        ):
            raise ValueError(
                "a confirmed claim needs at least one supporting source: add evidence with "
                "effect: supports, or lower the status"
            )
        if self.valid_from and self.valid_until and self.valid_until.end() < self.valid_from.start():
            raise ValueError(f"valid_until {self.valid_until} is before valid_from {self.valid_from}")
        return self

    # -- convenience -------------------------------------------------------------------------
    @property
    def source_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for e in self.evidence:
            seen.setdefault(e.source, None)
        return list(seen)

    @property
    def supporting_sources(self) -> list[str]:
        return list(dict.fromkeys(e.source for e in self.evidence if e.effect is Effect.SUPPORTS))

    @property
    def contradicting_sources(self) -> list[str]:
        return list(dict.fromkeys(e.source for e in self.evidence if e.effect is Effect.CONTRADICTS))

    def holds_on(self, day: _dt.date) -> bool:
        """True when the claim is valid on ``day`` (open bounds hold)."""
        if self.valid_from is not None and day < self.valid_from.start():
            return False
        if self.valid_until is not None and day > self.valid_until.end():
            return False
        return True

    def to_data(self) -> dict:
        """The claim as plain JSON-ready data, the canonical export form."""
        out: dict[str, Any] = {"id": self.id, "subject": self.subject, "predicate": self.predicate}
        if self.object is not None:
            out["object"] = self.object
        else:
            out["value"] = value_to_data(self.value)
        if self.qualifiers:
            out["qualifiers"] = {k: value_to_data(v) for k, v in self.qualifiers.items()}
        if self.asserted_by:
            out["asserted_by"] = list(self.asserted_by)
        for f in ("stated_on", "valid_from", "valid_until"):
            v = getattr(self, f)
            if v is not None:
                out[f] = str(v)
        out["status"] = self.status.value
        out["evidence"] = [e.model_dump(exclude_none=True, mode="json") for e in self.evidence]
        if self.notes:
            out["notes"] = self.notes
        return out


def value_to_data(v: Any) -> Any:
    if isinstance(v, Quantity):
        return v.to_data()
    if isinstance(v, PartialDate):
        return str(v)
    return v


def value_to_text(v: Any) -> str:
    return str(v) if v is not None else ""


class Rate(_Record):
    """An exchange rate stated in the dataset: 1 ``currency`` = ``usd`` US dollars."""

    currency: str = Field(pattern=r"^[A-Z]{3}$")
    usd: float = Field(gt=0)
    on: PartialDate | None = None
    source: str | None = None
    notes: str | None = None

    @field_validator("usd")
    @classmethod
    def _finite(cls, v: float) -> float:
        if not math.isfinite(v):
            raise ValueError("rate must be finite")
        return v
