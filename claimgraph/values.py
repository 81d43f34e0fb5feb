"""Values a claim carries: :class:`PartialDate` (a date known to the year, month or day) and
:class:`Quantity` (a number with a unit, exact or a range).

>>> PartialDate.parse("2026-01").end().isoformat()
'2026-01-31'
>>> str(Quantity.parse("up to USD 2B"))
'≤ USD 2B'
"""

from __future__ import annotations

import calendar
import datetime as _dt
import math
import re
from functools import lru_cache, total_ordering
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    model_validator,
)
from pydantic_core import core_schema

from .errors import short

__all__ = ["PartialDate", "Quantity", "as_date"]


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
        if type(value) is str:  # speed: the common case first (every loader gives text)
            return _parse_date_text(value)
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, _dt.datetime):
            value = value.date()
        if isinstance(value, _dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, bool):
            raise ValueError(f"not a date: {short(value)}")
        if isinstance(value, int):
            return cls(value)
        if isinstance(value, str):
            return _parse_date_text(value)
        raise ValueError(f"not a date: {short(value)}; write YYYY, YYYY-MM or YYYY-MM-DD")

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
            raise ValueError(f"impossible date {short(value)}: {exc}") from None
    raise ValueError(f"not a date: {short(value)}; write YYYY, YYYY-MM or YYYY-MM-DD")


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


def _is_currency(unit: str) -> bool:
    """ISO 4217 style: three capital letters (USD, KRW, GBP). Which currencies a dataset may use
    is the vocabulary's list; this only decides how an amount is written (``USD 2B``)."""
    return len(unit) == 3 and unit.isascii() and unit.isalpha() and unit.isupper()


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
            raise ValueError(f"not a quantity: {short(data)}")
        if isinstance(data, int | float):
            raise ValueError(f"quantity {short(data)} has no unit: write e.g. '{short(data)} USD' or '{short(data)}%'")
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
            raise ValueError(f"bad unit {short(self.unit)}")
        _share_fields_set(self)  # frozen: its fields set never changes
        return self

    @staticmethod
    def _parse_fields(text: str) -> dict:
        m = _QTY_RE.match(text.strip())
        if not m or not (m["cur"] or m["unit"]) or (m["cur"] and m["unit"]):
            raise ValueError(
                f"cannot read quantity {short(text)}: write e.g. 'USD 2B', '7%', 'up to USD 2B', "
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
            if _is_currency(self.unit):
                for div, suf in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
                    if abs(x) >= div:
                        return f"{x / div:g}{suf}"
            if float(x).is_integer() and abs(x) >= 10_000:
                return f"{int(x):,}"
            return f"{x:g}"

        def one(x: float) -> str:
            if self.unit == "%":
                return f"{fmt(x)}%"
            if _is_currency(self.unit):
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
