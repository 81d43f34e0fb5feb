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

import calendar
import datetime as _dt
import math
import re
from enum import StrEnum
from functools import lru_cache, total_ordering
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic_core import core_schema

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
        try:
            return cls(str(text).strip().lower())
        except ValueError:
            raise ValueError(
                f"unknown status {text!r}: use one of {', '.join(s.value for s in STATUS_ORDER)}"
            ) from None


#: Statuses from weakest (refuted) to strongest (confirmed); ``--min-status`` cuts this list.
STATUS_ORDER: tuple[Status, ...] = tuple(Status)


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


_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@total_ordering
class PartialDate:
    """A date known to the year, the month or the day: ``2026``, ``2026-01``, ``2026-01-17``.

    Comparisons use the first day the partial date covers; :meth:`start` and :meth:`end`
    give the range.

    >>> PartialDate.parse("2026-01").end()
    datetime.date(2026, 1, 31)
    >>> PartialDate.parse("2025-07-28") < PartialDate.parse("2026")
    True
    """

    __slots__ = ("year", "month", "day")

    def __init__(self, year: int, month: int | None = None, day: int | None = None):
        if day is not None and month is None:
            raise ValueError("a day needs a month")
        if not 1 <= year <= 9999:
            raise ValueError(f"year {year} is out of range")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"month {month} is not 1-12")
        if day is not None:
            _dt.date(year, month, day)  # raises ValueError for 2026-02-30
        self.year, self.month, self.day = year, month, day

    @classmethod
    def parse(cls, value: Any) -> PartialDate:
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, _dt.datetime):
            value = value.date()
        if isinstance(value, _dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, bool):
            raise ValueError(f"not a date: {value!r}")
        if isinstance(value, int):
            return cls(value)
        if isinstance(value, str):
            return _parse_date_text(value)
        raise ValueError(f"not a date: {value!r}; write YYYY, YYYY-MM or YYYY-MM-DD")

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def start(self) -> _dt.date:
        return _dt.date(self.year, self.month or 1, self.day or 1)

    def end(self) -> _dt.date:
        if self.day:
            return _dt.date(self.year, self.month, self.day)
        if self.month:
            return _dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return _dt.date(self.year, 12, 31)

    def months_since(self, other: PartialDate) -> float:
        """Months from ``other`` to ``self`` (start dates), to one decimal."""
        a, b = self.start(), other.start()
        return round((a.year - b.year) * 12 + (a.month - b.month) + (a.day - b.day) / 30.44, 1)

    def __str__(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def __repr__(self) -> str:
        return f"PartialDate({str(self)!r})"

    def _key(self):
        return (self.year, self.month or 0, self.day or 0)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PartialDate) and self._key() == other._key()

    def __lt__(self, other: PartialDate) -> bool:
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler):
        return core_schema.no_info_plain_validator_function(
            cls.parse,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )


@lru_cache(maxsize=16384)
def _parse_date_text(value: str) -> PartialDate:
    """A date from text; one shared instance per text (a dataset repeats its dates a million
    times; partial dates are values and never changed in place)."""
    m = _DATE_RE.match(value.strip())
    if m:
        y, mo, d = m.groups()
        try:
            return PartialDate(int(y), int(mo) if mo else None, int(d) if d else None)
        except ValueError as exc:
            raise ValueError(f"impossible date {value!r}: {exc}") from None
    raise ValueError(f"not a date: {value!r}; write YYYY, YYYY-MM or YYYY-MM-DD")


def as_date(value: Any) -> _dt.date:
    """A concrete day from a date, a ``YYYY-MM-DD`` string or a partial date (its first day)."""
    if isinstance(value, _dt.date):
        return value
    return PartialDate.parse(value).start()


class _SharedFieldsSet(set):
    """The names of the fields a model was given, one instance shared by every model given the
    same fields (pydantic keeps a set per instance: about 700 bytes a claim). Never changed in
    place: :meth:`_Record.__setattr__` gives a model its own copy before a new name is added,
    and a copy (``model_copy``, ``copy.copy``) is a plain set."""

    __slots__ = ()

    def __copy__(self) -> set:
        return set(self)

    def __deepcopy__(self, memo: dict) -> set:
        return set(self)

    def add(self, name: str) -> None:  # a safety net: a shared set must not grow
        if name not in self:
            raise RuntimeError("a shared fields set cannot grow: copy it first")


_FIELDS_SETS: dict[frozenset, _SharedFieldsSet] = {}


def _share_fields_set(model: BaseModel) -> None:
    fs = model.__pydantic_fields_set__
    if type(fs) is _SharedFieldsSet:
        return
    key = frozenset(fs)
    shared = _FIELDS_SETS.get(key)
    if shared is None:
        if len(_FIELDS_SETS) > 4096:  # combinations of field names are few; stay bounded
            return
        shared = _FIELDS_SETS[key] = _SharedFieldsSet(key)
    object.__setattr__(model, "__pydantic_fields_set__", shared)


_MULT = {"": 1, "K": 1e3, "M": 1e6, "B": 1e9, "BN": 1e9, "T": 1e12, "TN": 1e12}
_NUM = r"[-+]?\d+(?:[.,]\d+)*(?:[eE][-+]?\d+)?"
_QTY_RE = re.compile(
    rf"^(?P<pre>up to|at most|at least|about|approx\.?|~|<=|>=|≤|≥)?\s*"
    rf"(?:(?P<cur>[A-Z]{{3}})\s*)?(?P<a>{_NUM})\s*(?P<ma>[KMBT][Nn]?(?![A-Za-z]))?"
    rf"(?:\s*(?:-|–|to)\s*(?P<b>{_NUM})\s*(?P<mb>[KMBT][Nn]?(?![A-Za-z]))?)?"
    rf"\s*(?P<unit>%|[A-Za-z]+)?$"
)


def _num(text: str, mult: str | None) -> float:
    value = float(text.replace(",", "")) * _MULT[(mult or "").upper()]
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


class Quantity(BaseModel):
    """A number with a unit: exact (``value``) or a range (``min`` and/or ``max``).

    Written in YAML either as a mapping or as short text:

    >>> Quantity.parse("USD 2B")
    Quantity(value=2000000000, min=None, max=None, unit='USD', approx=False)
    >>> str(Quantity.parse("up to USD 2B"))
    '≤ USD 2B'
    >>> Quantity.parse("~0.9%").approx
    True
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: float | int | None = None
    min: float | int | None = None
    max: float | int | None = None
    unit: str
    approx: bool = False

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            return cls._parse_fields(data)
        if isinstance(data, bool):
            raise ValueError(f"not a quantity: {data!r}")
        if isinstance(data, int | float):
            raise ValueError(f"quantity {data!r} has no unit: write e.g. '{data} USD' or '{data}%'")
        return data

    @model_validator(mode="after")
    def _check(self) -> Quantity:
        nums = [x for x in (self.value, self.min, self.max) if x is not None]
        if not nums:
            raise ValueError("a quantity needs value, min or max")
        if self.value is not None and (self.min is not None or self.max is not None):
            raise ValueError("give either value or min/max, not both")
        for x in nums:
            if isinstance(x, float) and not math.isfinite(x):
                raise ValueError(f"number {x} is not finite")
            if abs(x) > 1e18:
                raise ValueError(f"number {x} is too large (more than 1e18)")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        if not self.unit or len(self.unit) > 16:
            raise ValueError(f"bad unit {self.unit!r}")
        _share_fields_set(self)  # frozen: its fields set never changes
        return self

    @staticmethod
    def _parse_fields(text: str) -> dict:
        m = _QTY_RE.match(text.strip())
        if not m or not (m["cur"] or m["unit"]) or (m["cur"] and m["unit"]):
            raise ValueError(
                f"cannot read quantity {text!r}: write e.g. 'USD 2B', '7%', 'up to USD 2B', "
                "'~0.9%', '9 months', '2 nm', '50x'"
            )
        unit = m["cur"] or m["unit"]
        pre = (m["pre"] or "").lower()
        a = _num(m["a"], m["ma"])
        out: dict[str, Any] = {"unit": unit}
        if m["b"] is not None:
            out["min"], out["max"] = a, _num(m["b"], m["mb"] or m["ma"])
        elif pre in ("up to", "at most", "<=", "≤"):
            out["max"] = a
        elif pre in ("at least", ">=", "≥"):
            out["min"] = a
        else:
            out["value"] = a
        if pre in ("about", "approx", "approx.", "~"):
            out["approx"] = True
        return out

    @classmethod
    def parse(cls, text: str) -> Quantity:
        return cls.model_validate(text)

    @property
    def is_range(self) -> bool:
        return self.value is None

    @property
    def low(self) -> float:
        return self.value if self.value is not None else (self.min if self.min is not None else -math.inf)

    @property
    def high(self) -> float:
        return self.value if self.value is not None else (self.max if self.max is not None else math.inf)

    @property
    def point(self) -> float:
        """A single number for sums and sorting: the value, else the max, else the min."""
        if self.value is not None:
            return self.value
        return self.max if self.max is not None else self.min

    def overlaps(self, other: Quantity, rel_tol: float = 0.05) -> bool:
        """True when the two quantities can describe the same fact (same unit, ranges meet)."""
        if self.unit != other.unit:
            return True  # not comparable here; currency conversion is the money query's job
        tol_a = rel_tol * max(abs(self.point or 0), abs(other.point or 0)) if (self.approx or other.approx) else 1e-9 * max(abs(self.point or 0), 1)
        return self.low - tol_a <= other.high and other.low - tol_a <= self.high

    def to_data(self) -> dict:
        return self.model_dump(exclude_none=True, exclude_defaults=True) | {"unit": self.unit}

    def __str__(self) -> str:
        def fmt(x: float) -> str:
            if self.unit in _CURRENCIES_HINT:
                for div, suf in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
                    if abs(x) >= div:
                        return f"{x / div:g}{suf}"
            if float(x).is_integer() and abs(x) >= 10_000:
                return f"{int(x):,}"
            return f"{x:g}"

        def one(x: float) -> str:
            if self.unit == "%":
                return f"{fmt(x)}%"
            if self.unit in _CURRENCIES_HINT:
                return f"{self.unit} {fmt(x)}"
            if self.unit == "x":
                return f"{fmt(x)}x"
            return f"{fmt(x)} {self.unit}"

        pre = "~" if self.approx else ""
        if self.value is not None:
            return pre + one(self.value)
        if self.min is not None and self.max is not None:
            return f"{pre}{one(self.min)}–{one(self.max)}"
        if self.max is not None:
            return f"≤ {pre}{one(self.max)}"
        return f"≥ {pre}{one(self.min)}"


_CURRENCIES_HINT = frozenset({"USD", "KRW", "EUR", "CNY", "JPY", "TWD", "GBP"})


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
        instance, as :mod:`claimgraph.generate` builds them. Evidence is never changed in place
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
