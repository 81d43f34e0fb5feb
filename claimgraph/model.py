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

from .errors import short
from .values import PartialDate, Quantity, _share_fields_set, _SharedFieldsSet, as_date

__all__ = [
    "Status",
    "Tier",
    "Effect",
    "Tense",
    "HistoryEntry",
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
                f"unknown status {short(text)}: use one of {', '.join(s.value for s in STATUS_ORDER)}"
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


class Tense(StrEnum):
    """What a claim reports: the past (told in hindsight), the present, or a future."""

    PAST = "past"
    PRESENT = "present"
    FUTURE = "future"


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
            f"id {short(value)} is not a slug: use lower-case letters, digits, '-', '_' or '.', "
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
    def on_record(self) -> _dt.date | None:
        """The day by which the source was certainly out: the last day its ``published`` date
        covers, else the last day of ``retrieved`` (it existed when it was read), else None (a
        source of unknown date is never on the record of a ``known_on`` view)."""
        d = self.published or self.retrieved
        return d.end() if d is not None else None

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


class HistoryEntry(_Record):
    """One step of a claim's status history: on ``on`` the claim took ``status`` (``note`` says
    why, ``sources`` names the evidence that moved it)."""

    on: PartialDate
    status: Status
    note: str | None = None
    sources: list[str] = Field(default_factory=list)

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, v: Any) -> Any:
        return Status.parse(v) if isinstance(v, str) else v

    @field_validator("sources", mode="before")
    @classmethod
    def _sources(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    def to_data(self) -> dict:
        out: dict[str, Any] = {"on": str(self.on), "status": self.status.value}
        if self.note:
            out["note"] = self.note
        if self.sources:
            out["sources"] = list(self.sources)
        return out


class Claim(_Record):
    """One sourced statement: ``subject predicate object`` or ``subject predicate value``.

    Time (see docs/time.md): ``stated_on`` is when it was said; a state holds from
    ``valid_from`` until ``valid_until``, an event (``on``) on one date; ``tense`` says whether it
    reports the past, the present or a future; ``history`` lists its statuses, oldest first.
    """

    id: str
    subject: str
    predicate: str
    object: str | None = None
    value: Quantity | PartialDate | str | None = None
    qualifiers: dict[str, Any] = Field(default_factory=dict)
    asserted_by: list[str] = Field(default_factory=list)
    #: ids of other claims this one cannot hold beside (a reversed account of the same fact, a
    #: rival figure the numbers cannot tell apart); the dataset checks that they exist
    contradicts: list[str] = Field(default_factory=list)
    stated_on: PartialDate | None = None
    valid_from: PartialDate | None = None
    valid_until: PartialDate | None = None
    on: PartialDate | None = None
    tense: Tense | None = None
    status: Status
    evidence: list[Evidence] = Field(min_length=1)
    history: list[HistoryEntry] | None = None
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

    @field_validator("tense", mode="before")
    @classmethod
    def _tense(cls, v: Any) -> Any:
        if isinstance(v, str):
            try:
                return Tense(v.strip().lower())
            except ValueError:
                raise ValueError(f"unknown tense {v!r}: use past, present or future") from None
        return v

    @field_validator("on")
    @classmethod
    def _event(cls, v: PartialDate | None, info: ValidationInfo) -> PartialDate | None:
        if v is not None and (info.data.get("valid_from") is not None or info.data.get("valid_until") is not None):
            raise ValueError(
                "an event (on:) has one date, not a validity period: drop valid_from/valid_until, "
                "or drop on: to make it a state"
            )
        return v

    @field_validator("history", mode="before")
    @classmethod
    def _history_empty(cls, v: Any) -> Any:
        return None if v == [] else v

    @field_validator("history")
    @classmethod
    def _history(cls, v: list[HistoryEntry] | None, info: ValidationInfo) -> list[HistoryEntry] | None:
        if not v:
            return None
        for i in range(1, len(v)):
            if v[i].on < v[i - 1].on:
                raise ValueError(
                    f"history is oldest first: entry {i + 1} ({v[i].on}) comes before entry {i} "
                    f"({v[i - 1].on}); order the entries by date"
                )
        status = info.data.get("status")
        if status is not None and v[-1].status is not status:
            raise ValueError(
                f"status is {status.value!r} but the last history entry ({v[-1].on}) says "
                f"{v[-1].status.value!r}: the status is the last entry's; append an entry for the change"
            )
        evidence = info.data.get("evidence") or []
        effects = {}
        for e in evidence:
            effects.setdefault(e.source, set()).add(e.effect)
        for i, h in enumerate(v):
            for src in h.sources:
                if src not in effects:
                    raise ValueError(
                        f"history entry {i + 1} ({h.on}) names source {src!r}, which is not in the "
                        "claim's evidence: add it to evidence (supports or contradicts)"
                    )
            raises = i > 0 and h.status.rank > v[i - 1].status.rank
            if (raises or h.status is Status.CONFIRMED) and not any(
                Effect.SUPPORTS in effects[s] for s in h.sources
            ):
                what = "raises the status to" if raises else "is"
                raise ValueError(
                    f"history entry {i + 1} ({h.on}) {what} {h.status.value!r} without a supporting "
                    "source: name the evidence that supports it (sources: [...])"
                )
        return v

    @field_validator("asserted_by", mode="before")
    @classmethod
    def _asserted(cls, v: Any) -> Any:
        if isinstance(v, str):
            return [v]
        return v

    @field_validator("contradicts", mode="before")
    @classmethod
    def _contradicts_list(cls, v: Any) -> Any:
        if isinstance(v, str):
            return [v]
        return [] if v is None else v

    @field_validator("contradicts")
    @classmethod
    def _contradicts(cls, v: list[str], info: ValidationInfo) -> list[str]:
        for x in v:
            _check_slug(x)
        if info.data.get("id") in v:
            raise ValueError("a claim cannot contradict itself: name another claim's id")
        if len(set(v)) != len(v):
            raise ValueError("contradicts names a claim twice: list each id once")
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
            raise ValueError(f"value {short(v)} has no unit: write e.g. '{short(v)} months' or text in quotes")
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

    # -- time (docs/time.md) -----------------------------------------------------------------
    @property
    def is_event(self) -> bool:
        """True for a point-in-time claim (a payment, an acquisition, an announcement: ``on``)."""
        return self.on is not None

    @property
    def effective_tense(self) -> Tense:
        """The claim's ``tense``; unless it says otherwise, a claim whose validity ended (or
        whose event happened) before it was stated reports the past, any other the present."""
        if self.tense is not None:
            return self.tense
        end = self.valid_until or self.on
        if end is not None and self.stated_on is not None and end.end() < self.stated_on.start():
            return Tense.PAST
        return Tense.PRESENT

    def time_bounds(self, sources: dict | None = None) -> tuple[_dt.date | None, _dt.date | None]:
        """The first and last day the claim is known to hold: ``(start, end)``.

        An event (``on``) holds from the first day its date covers: from then on it has
        happened (a payment counts as paid, in ``as_of`` views, from its date; it is never an
        open deal in the money query, which reads its period as its date). A state holds from ``valid_from``;
        without it, from when it was stated (``stated_on``), or, lacking that, from the earliest
        ``published`` date of its supporting sources (``sources``: id -> Source), never "since
        always"; a state that ended (``valid_until``) is known to hold at least from its last
        period's start. It holds until ``valid_until`` (open: None). ``start`` is None for an
        undated claim.
        """
        if self.on is not None:
            return self.on.start(), None
        until = self.valid_until
        if self.valid_from is not None:
            start: _dt.date | None = self.valid_from.start()
        elif self.stated_on is not None:
            start = self.stated_on.start()
        else:
            start = None
            if sources:
                for e in self.evidence:
                    if e.effect is Effect.SUPPORTS:
                        src = sources.get(e.source)
                        if src is not None and src.published is not None:
                            d = src.published.start()
                            if start is None or d < start:
                                start = d
        if until is not None and (start is None or start > until.start()):
            start = until.start()
        return start, until.end() if until is not None else None

    def holds_on(self, day: _dt.date, sources: dict | None = None, include_undated: bool = False) -> bool:
        """True when ``day`` lies within the claim's validity (:meth:`time_bounds`); an undated
        claim holds only with ``include_undated`` (and then on every day)."""
        start, end = self.time_bounds(sources)
        if start is None:
            return include_undated
        return start <= day and (end is None or day <= end)

    def on_record_from(self, sources: dict, days: dict | None = None) -> _dt.date | None:
        """The first day on which the claim is on the record (``sources``: id -> Source), or None.

        On day D a claim is on the record when it was stated by D (its ``stated_on`` ends by
        D) or, not dated itself, when one of its sources was out by D
        (:attr:`Source.on_record`); some of its evidence must be out by D, its status on D must
        be known (a claim with a history: from its first entry) and, when it is confirmed on D
        without a history, one of its supporting sources must be out by D.

        ``days`` (source id -> :attr:`Source.on_record`, computed once for many claims) saves
        looking each source's date up again.
        """
        first = support = None
        for e in self.evidence:
            if days is not None:
                d = days.get(e.source)
            else:
                src = sources.get(e.source)
                d = src.on_record if src is not None else None
            if d is None:
                continue
            if first is None or d < first:
                first = d
            if e.effect is Effect.SUPPORTS and (support is None or d < support):
                support = d
        if first is None:
            return None
        day = first
        if self.stated_on is not None:
            day = max(day, self.stated_on.end())
        if self.history:
            day = max(day, self.history[0].on.end())
        elif self.status is Status.CONFIRMED:
            if support is None:
                return None
            day = max(day, support)
        return day

    def status_on(self, day: _dt.date) -> Status | None:
        """The status the claim had on ``day``: its history's last entry by then (None before
        the first entry); without a history, its status."""
        if not self.history:
            return self.status
        found = None
        for h in self.history:
            if h.on.end() <= day:
                found = h.status
            else:
                break
        return found

    def as_known_on(self, day: _dt.date, sources: dict, kept: set | frozenset | None = None,
                    days: dict | None = None) -> Claim | None:
        """The claim as the record stood on ``day``, or None when it was not on the record then
        (:meth:`on_record_from`): its status on that day, only the evidence of sources out by
        then (``kept``: their ids, computed from ``sources`` when not given), only the history
        entries made by then. The claim itself when nothing of it came later (``days``: see
        :meth:`on_record_from`)."""
        start = self.on_record_from(sources, days)
        if start is None or start > day:
            return None
        if kept is None:
            kept = {sid for sid, s in sources.items() if s.on_record is not None and s.on_record <= day}
        evidence = [e for e in self.evidence if e.source in kept]
        update: dict[str, Any] = {}
        if len(evidence) != len(self.evidence):
            update["evidence"] = evidence
        asserted = [a for a in self.asserted_by if a in kept or a not in sources]
        if len(asserted) != len(self.asserted_by):
            update["asserted_by"] = asserted
        if self.history:
            entries = [h for h in self.history if h.on.end() <= day]
            trimmed = [h if all(s in kept for s in h.sources)
                       else h.model_copy(update={"sources": [s for s in h.sources if s in kept]})
                       for h in entries]
            if len(entries) != len(self.history) or any(a is not b for a, b in zip(trimmed, entries, strict=True)):
                update["history"] = trimmed
            if entries[-1].status is not self.status:
                update["status"] = entries[-1].status
        return self.model_copy(update=update) if update else self

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
        if self.contradicts:
            out["contradicts"] = list(self.contradicts)
        for f in ("stated_on", "valid_from", "valid_until", "on"):
            v = getattr(self, f)
            if v is not None:
                out[f] = str(v)
        if self.tense is not None:
            out["tense"] = self.tense.value
        out["status"] = self.status.value
        out["evidence"] = [e.model_dump(exclude_none=True, mode="json") for e in self.evidence]
        if self.history:
            out["history"] = [h.to_data() for h in self.history]
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
