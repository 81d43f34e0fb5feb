"""The parts every canned query is made of: parameters, typed rows, the query record itself.

A query module defines ``QUERY = Query(...)`` with its metadata and its networkx implementation;
its Cypher twin is ``NAME.cypher`` beside it. See :mod:`claimgraph.queries`.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..errors import ClaimgraphError
from ..model import STATUS_ORDER, Status
from ..values import Quantity

#: Parameter types a query may declare (the CLI turns ``--param k=v`` text into these).
PARAM_TYPES = ("entity", "str", "int", "float", "bool", "list", "status")


@dataclass(frozen=True)
class Param:
    """One parameter of a query: its name, type, default and what it means.

    ``positional`` parameters can also be given on the command line without ``--param``
    (``claimgraph query path nvidia tesla``), in the order they are declared.
    """

    name: str
    type: str = "str"
    default: Any = None
    help: str = ""
    required: bool = False
    positional: bool = False
    choices: tuple[str, ...] = ()
    minimum: int | float | None = None
    maximum: int | float | None = None

    def coerce(self, raw: Any) -> Any:
        """The value as the query wants it; text (from the CLI) is parsed. Raises ClaimgraphError."""
        if raw is None:
            return None
        name = self.name
        try:
            if self.type == "int":
                value: Any = int(raw) if not isinstance(raw, bool) else _bad()
            elif self.type == "float":
                value = float(raw)
            elif self.type == "bool":
                if isinstance(raw, bool):
                    value = raw
                elif str(raw).strip().lower() in ("1", "true", "yes", "on"):
                    value = True
                elif str(raw).strip().lower() in ("0", "false", "no", "off"):
                    value = False
                else:
                    raise ValueError
            elif self.type == "list":
                if isinstance(raw, str):
                    value = [x.strip() for x in raw.split(",") if x.strip()]
                else:
                    value = [str(x) for x in raw]
            elif self.type == "status":
                value = Status.parse(raw).value
            else:
                value = str(raw).strip()
                if not value:
                    raise ValueError
        except (TypeError, ValueError):
            raise ClaimgraphError(f"parameter {name}={raw!r} is not a valid {self.type}{self._hint()}") from None
        if self.choices:
            vals = value if isinstance(value, list) else [value]
            for v in vals:
                if v not in self.choices:
                    raise ClaimgraphError(f"parameter {name}={v!r}: use one of {', '.join(self.choices)}")
        if isinstance(value, int | float) and not isinstance(value, bool):
            if self.minimum is not None and value < self.minimum or self.maximum is not None and value > self.maximum:
                raise ClaimgraphError(f"parameter {name}={value} is out of range ({self.minimum}..{self.maximum})")
        return value

    def _hint(self) -> str:
        return {"int": " (a whole number)", "float": " (a number)", "bool": " (true or false)",
                "status": f" ({', '.join(s.value for s in STATUS_ORDER)})"}.get(self.type, "")


def _bad():
    raise ValueError


@dataclass(kw_only=True)
class Row:
    """A result row. Every row names the claims and the sources it rests on (sorted, unique)."""

    claim_ids: list[str] = field(default_factory=list)
    source_ids: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.claim_ids = sorted(set(self.claim_ids or ()))
        self.source_ids = sorted(set(self.source_ids or ()))

    def to_dict(self) -> dict[str, Any]:
        """The row as plain JSON-ready data; ``claim_ids`` and ``source_ids`` come last."""
        out = {}
        for f in dataclasses.fields(self):
            if f.name not in ("claim_ids", "source_ids"):
                out[f.name] = _plain(getattr(self, f.name))
        out["claim_ids"] = list(self.claim_ids)
        out["source_ids"] = list(self.source_ids)
        return out

    @classmethod
    def columns(cls) -> list[str]:
        names = [f.name for f in dataclasses.fields(cls) if f.name not in ("claim_ids", "source_ids")]
        return names + ["claim_ids", "source_ids"]


def _plain(v: Any) -> Any:
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return {f.name: _plain(getattr(v, f.name)) for f in dataclasses.fields(v)}
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, _dt.date):
        return v.isoformat()
    return v


def cell_text(v: Any) -> str:
    """A value as text for a table or CSV cell: lists joined with ``; ``, nested rows as k=v,
    booleans as yes/no, None as nothing.

    >>> cell_text(["MAKES", "USES"]), cell_text(True), cell_text(None), cell_text(2.50)
    ('MAKES; USES', 'yes', '', '2.5')
    """
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:g}" if abs(v) < 1e6 else f"{v:,.0f}"
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return v.text() if hasattr(v, "text") else json.dumps(_plain(v), ensure_ascii=False)
    if isinstance(v, dict):
        return ", ".join(f"{k}={cell_text(x)}" for k, x in v.items())
    if isinstance(v, list | tuple):
        return "; ".join(cell_text(x) for x in v)
    return str(v)


@dataclass(frozen=True)
class Query:
    """A canned query: metadata, the networkx implementation and (optionally) the Neo4j finisher.

    ``embedded(landscape, **params)`` returns rows from a (filtered) Landscape.
    ``neo4j(ctx, **params)`` returns rows from Neo4j; when omitted, the ``NAME.cypher`` file is run
    and each record becomes a row as it is. With ``view_days``, ``embedded`` also gets the view's
    days as ``as_of=`` and ``known_on=`` (dates or None), for a query that judges on a day (on
    Neo4j they are ``ctx.as_of`` and ``ctx.known_on``).
    """

    name: str
    description: str
    params: tuple[Param, ...]
    row: type
    embedded: Callable[..., list]
    neo4j: Callable[..., list] | None = None
    table: tuple[str, ...] = ()
    example: str = ""
    module: str = ""
    view_days: bool = False

    @property
    def cypher_file(self) -> str:
        return f"{self.name}.cypher"

    @property
    def cypher(self) -> str:
        """The text of the Cypher twin, as it runs in Neo4j Browser."""
        return resources.files("claimgraph.queries").joinpath(self.cypher_file).read_text(encoding="utf-8")

    @property
    def summary(self) -> str:
        first = self.description.strip().split("\n")[0]
        return first.split(". ")[0].rstrip(".") + "."

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def table_columns(self) -> list[str]:
        return list(self.table) if self.table else self.row.columns()


# -- small shared helpers ------------------------------------------------------------------------
RANK = {s.value: i for i, s in enumerate(STATUS_ORDER)}


def cited_sources(claims: Iterable[Any], cache: dict[str, list[str]]) -> list[str]:
    """The source ids of ``claims`` in order, as a row lists them; each claim's list is computed
    once and kept in ``cache`` (a hub's claims recur in many rows).

    >>> from claimgraph import load
    >>> land, cache = load(), {}
    >>> cited_sources([land.claims["nvidia-invests-in-xai-stake-7pct"]], cache) == cache["nvidia-invests-in-xai-stake-7pct"]
    True
    """
    out: list[str] = []
    for c in claims:
        ids = cache.get(c.id)
        if ids is None:
            ids = cache[c.id] = c.source_ids
        out.extend(ids)
    return out


def strongest(statuses: Iterable[str]) -> str | None:
    """The strongest status of several (confirmed beats reported ...), or None.

    >>> strongest(["claimed", "reported", "disputed"]), strongest([])
    ('reported', None)
    """
    vals = [s.value if isinstance(s, Status) else s for s in statuses]
    return max(vals, key=RANK.__getitem__) if vals else None


def weakest(statuses: Iterable[str]) -> str | None:
    """The weakest status of several (refuted is weaker than unsupported ...), or None.

    >>> weakest(["claimed", "reported", "disputed"]), weakest([])
    ('disputed', None)
    """
    vals = [s.value if isinstance(s, Status) else s for s in statuses]
    return min(vals, key=RANK.__getitem__) if vals else None


def qty_text(v: Any) -> str | None:
    """A quantity (or its exported data) as text, ``USD 2B``; None stays None.

    >>> from claimgraph.values import Quantity
    >>> qty_text(Quantity.parse("up to USD 2B")), qty_text(None)
    ('≤ USD 2B', None)
    """
    if v is None:
        return None
    if isinstance(v, Quantity):
        return str(v)
    if isinstance(v, dict):
        return str(Quantity.model_validate(v))
    return str(v)


def as_list(value: Any) -> list[str] | None:
    """A list parameter as a list, however it came: comma-separated text (``"disputed,stale"``)
    is split, a list stays a list, None (no filter) stays None. A list query called directly
    with text must not test ``"claimed" in "disputed,unsupported"`` as a substring.

    >>> as_list("disputed, unsupported"), as_list(["USES"]), as_list(None)
    (['disputed', 'unsupported'], ['USES'], None)
    """
    if value is None:
        return None
    if isinstance(value, str):
        return [x.strip() for x in value.split(",") if x.strip()]
    return [str(x) for x in value]


def json_loads(text: str | None) -> Any:
    """JSON text (as Neo4j stores qualifiers) as data; empty or None text is an empty dict.

    >>> json_loads('{"stake": "7%"}'), json_loads(None)
    ({'stake': '7%'}, {})
    """
    return json.loads(text) if text else {}


# -- when claims hold (docs/time.md): spans, periods, overlap --------------------------------------
def _day(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, _dt.date):
        return v.isoformat()
    return str(v)[:10]


@dataclass(kw_only=True)
class Span:
    """When one claim is known to hold: ``start`` and ``end`` as ISO days (the landscape's
    :meth:`~claimgraph.landscape.Landscape.time_bounds`, Neo4j's ``holds_from``/``holds_until``);
    ``start`` None: undated; ``end`` None: no end on record."""

    claim_id: str
    start: str | None = None
    end: str | None = None

    def __post_init__(self) -> None:
        self.start, self.end = _day(self.start), _day(self.end)

    def text(self) -> str:
        return f"{self.claim_id}: {_interval_text(self.start, self.end)}"


def spans_of(land, claims: Iterable[Any]) -> list[Span]:
    """The :class:`Span` of each claim of ``land``, in claim id order.

    >>> from claimgraph import load
    >>> land = load()
    >>> [s.text() for s in spans_of(land, [land.claims["nvidia-supplies-tesla-2016-2019"]])]
    ['nvidia-supplies-tesla-2016-2019: 2016-10-01 to 2019-12-31']
    """
    out = []
    for c in claims:
        start, end = land.time_bounds(c)
        out.append(Span(claim_id=c.id, start=start, end=end))
    return sort_spans(out)


def sort_spans(spans: Iterable[Any]) -> list[Span]:
    """Spans (or their data, as Neo4j returns them) as :class:`Span`, ordered by claim id.

    >>> [s.text() for s in sort_spans([{"claim_id": "b", "start": "2025-08-01"}, Span(claim_id="a")])]
    ['a: undated', 'b: from 2025-08-01']
    """
    return sorted((s if type(s) is Span else Span(**s) for s in spans), key=lambda s: s.claim_id)


def _interval_text(start: str | None, end: str | None) -> str:
    if start is None:
        return "undated"
    return f"{start} to {end}" if end is not None else f"from {start}"


def _next_day(day: str) -> str:
    return (_dt.date.fromisoformat(day) + _dt.timedelta(days=1)).isoformat()


def merged(spans: Iterable[Span]) -> list[tuple[str, str | None]]:
    """The dated spans as disjoint ``(start, end)`` intervals, earliest first: spans that meet or
    touch are one interval (end None: open). Undated spans are left out.

    >>> merged([Span(claim_id="a", start="2016-10-01", end="2019-12-31"),
    ...         Span(claim_id="b", start="2025-08-01"), Span(claim_id="c", start="2019-06-01", end="2020-01-31"),
    ...         Span(claim_id="d")])
    [('2016-10-01', '2020-01-31'), ('2025-08-01', None)]
    """
    out: list[list] = []
    for s in sorted((s for s in spans if s.start is not None), key=lambda s: s.start):
        if out and (out[-1][1] is None or s.start <= _next_day(out[-1][1])):
            if out[-1][1] is not None and (s.end is None or s.end > out[-1][1]):
                out[-1][1] = s.end
        else:
            out.append([s.start, s.end])
    return [(a, b) for a, b in out]


def period_text(spans: Iterable[Span]) -> str:
    """When the claims hold, as text: their merged intervals, then how many are undated.

    >>> period_text([Span(claim_id="a", start="2016-10-01", end="2019-12-31"), Span(claim_id="b", start="2025-08-01")])
    '2016-10-01 to 2019-12-31; from 2025-08-01'
    >>> period_text([Span(claim_id="a", start="2021-08-01", end="2025-08-31"), Span(claim_id="b")])
    '2021-08-01 to 2025-08-31; undated (1 claim)'
    >>> period_text([Span(claim_id="a")])
    'undated'
    """
    spans = list(spans)
    parts = [_interval_text(a, b) for a, b in merged(spans)]
    undated = sum(1 for s in spans if s.start is None)
    if undated:
        parts.append(f"undated ({undated} claim{'s' if undated > 1 else ''})" if parts else "undated")
    return "; ".join(parts)


def overlap(a: Iterable[Span], b: Iterable[Span]) -> tuple[str, str | None]:
    """Whether two sides' claims held at the same time, and which side's began first:
    ``("yes", ...)`` when a dated claim of each side held on a common day; ``("no", ...)`` when
    none did and every claim is dated; ``("unknown", None)`` when none of the dated ones did but
    an undated claim might have (or a side has no dated claim). The second item is ``"a"``,
    ``"b"`` or ``"same day"``: the side whose earliest dated claim began first (None when unknown).

    >>> supply = [Span(claim_id="s", start="2016-10-01", end="2019-12-31")]
    >>> overlap(supply, [Span(claim_id="c", start="2026-01-01")])
    ('no', 'a')
    >>> overlap(supply + [Span(claim_id="t", start="2025-08-01")], [Span(claim_id="c", start="2026-01-01")])
    ('yes', 'a')
    >>> overlap(supply, [Span(claim_id="c", start="2026-01-01"), Span(claim_id="u")])
    ('unknown', None)
    """
    a, b = list(a), list(b)
    ia, ib = merged(a), merged(b)
    both = any(x0 <= (y1 or "9999-12-31") and y0 <= (x1 or "9999-12-31") for x0, x1 in ia for y0, y1 in ib)
    undated = any(s.start is None for s in a + b)
    if not both and (undated or not ia or not ib):
        return "unknown", None
    first = "same day" if ia[0][0] == ib[0][0] else "a" if ia[0][0] < ib[0][0] else "b"
    return ("yes" if both else "no"), first
