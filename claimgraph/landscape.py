"""The Landscape: a networkx MultiDiGraph whose edges are claims, keyed by claim id.

Entities are nodes (attributes ``name`` and ``kind``). Each claim with an object entity is an
edge ``subject -> object`` keyed by its id, whose data holds every claim field plus ``stance``.
Claims with a value instead of an object (Tesla's claimed 9-month cadence, a chip's volume date)
are kept in :attr:`Landscape.claims` and listed per subject by :meth:`Landscape.value_claims`.

Views (:meth:`as_of`, :meth:`known_on`, :meth:`min_status`, :meth:`by_predicate`,
:meth:`by_stance`) return new Landscapes over the same entity, source and claim objects. Time has
two axes (docs/time.md): :meth:`as_of` keeps what held on a day (valid time), :meth:`known_on`
what was on the record on a day (knowledge time), each claim with the status it had then.

>>> from claimgraph import load
>>> land = load()
>>> land.entity("英伟达").name
'Nvidia'
>>> land.as_of("2018-06-30").graph.has_edge("nvidia", "tesla")
True
>>> "ai5" in {c.object for c in land.known_on("2025-06-30").claims_of("tesla", "out")}
False
"""

from __future__ import annotations

import datetime as _dt
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx

from .dataset import Dataset, normalize_name
from .errors import ClaimgraphError
from .model import STATUS_ORDER, Claim, Entity, Rate, Source, Status, Tier
from .values import as_date
from .vocabulary import Vocabulary, default_vocabulary


class ViewNotice(UserWarning):
    """What a time view left out (undated claims, claims or sources not yet on the record).

    Views warn with it; the CLI prints each as a ``note:`` line on stderr. The texts are also
    kept on the view, in :attr:`Landscape.view_notices`."""


def undated_notice(day: _dt.date, n: int) -> str:
    return (f"as of {day}: {n} undated claim{'s' if n != 1 else ''} left out (no valid_from, on, "
            "stated_on or dated supporting source); --include-undated keeps them")


def known_on_notice(day: _dt.date, claims: int, sources: int) -> str:
    return (f"known on {day}: {claims} claim{'s' if claims != 1 else ''} not yet on the record left out; "
            f"evidence from {sources} source{'s' if sources != 1 else ''} published later (or undated) left out")


def _notify(view: Landscape, text: str) -> None:
    view.view_notices = [*view.view_notices, text]
    warnings.warn(ViewNotice(text), stacklevel=3)


class Landscape:
    """Entities, sources and claims, with the relational claims as a networkx MultiDiGraph."""

    def __init__(
        self,
        entities: dict[str, Entity] | Iterable[Entity],
        sources: dict[str, Source] | Iterable[Source],
        claims: dict[str, Claim] | Iterable[Claim],
        rates: Iterable[Rate] = (),
        vocabulary: Vocabulary | None = None,
        _index: dict[str, set[str]] | None = None,
    ):
        self.vocabulary = vocabulary or default_vocabulary()
        self.entities: dict[str, Entity] = entities if isinstance(entities, dict) else {e.id: e for e in entities}
        self.sources: dict[str, Source] = sources if isinstance(sources, dict) else {s.id: s for s in sources}
        self.claims: dict[str, Claim] = claims if isinstance(claims, dict) else {c.id: c for c in claims}
        self.rates: list[Rate] = list(rates)
        self._index = _index
        self._bounds: dict[str, tuple] | None = None
        self.graph = self._build_graph()

    @classmethod
    def from_dataset(cls, ds: Dataset, vocabulary: Vocabulary | None = None) -> Landscape:
        land = cls(ds.entities, ds.sources, ds.claims, ds.rates, vocabulary)
        land.origins = ds.origins
        land.notices = ds.notices
        return land

    origins: dict = {}
    notices: list = []
    #: what the time views that made this one left out (see :class:`ViewNotice`)
    view_notices: list = []

    def _build_graph(self) -> nx.MultiDiGraph:
        g = nx.MultiDiGraph()
        g.add_nodes_from((e.id, {"name": e.name, "kind": e.kind}) for e in self.entities.values())
        preds = self.vocabulary.predicates
        g.add_edges_from(
            (c.subject, c.object, c.id, {**c.__dict__, "stance": preds[c.predicate].stance})
            for c in self.claims.values()
            if c.object is not None
        )
        return g

    def _derive(self, keep: Callable[[Claim], bool]) -> Landscape:
        view = Landscape(
            self.entities,
            self.sources,
            {k: c for k, c in self.claims.items() if keep(c)},
            self.rates,
            self.vocabulary,
            _index=self._index,
        )
        view.origins, view.notices, view.view_notices = self.origins, self.notices, self.view_notices
        view._bounds = self._bounds
        return view

    def _all_bounds(self) -> dict[str, tuple]:
        if self._bounds is None:
            sources = self.sources
            self._bounds = {k: c.time_bounds(sources) for k, c in self.claims.items()}
        return self._bounds

    def time_bounds(self, claim: Claim | str) -> tuple[_dt.date | None, _dt.date | None]:
        """``(start, end)``: the first and last day ``claim`` is known to hold (start None: undated;
        end None: open), by :meth:`Claim.time_bounds` with this landscape's sources. Computed once
        per landscape for all its claims, and shared with its views."""
        cid = claim if isinstance(claim, str) else claim.id
        got = self._all_bounds().get(cid)
        if got is None:
            c = self.claims[cid] if isinstance(claim, str) else claim
            got = self._bounds[cid] = c.time_bounds(self.sources)
        return got

    # -- views ----------------------------------------------------------------------------------
    def filter(self, keep: Callable[[Claim], bool]) -> Landscape:
        """A view holding only the claims for which ``keep(claim)`` is true (all entities stay)."""
        return self._derive(keep)

    def as_of(self, day: str | _dt.date, *, include_undated: bool = False) -> Landscape:
        """The landscape on ``day`` (valid time): only claims that held that day.

        An event holds on the days its ``on`` date covers; a state from ``valid_from`` (without
        it: from when it was stated, else from its earliest supporting source: never "since
        always") until ``valid_until`` (open when absent). Partial dates cover their whole month
        or year. A claim with no date at all is undated: left out (with a :class:`ViewNotice`
        counting them) unless ``include_undated``.
        """
        d = as_date(day)
        undated = 0

        bounds = self._all_bounds()

        def keep(c: Claim) -> bool:
            nonlocal undated
            got = bounds.get(c.id)
            start, end = got if got is not None else self.time_bounds(c)
            if start is None:
                undated += 1
                return include_undated
            return start <= d and (end is None or d <= end)

        view = self._derive(keep)
        if undated and not include_undated:
            _notify(view, undated_notice(d, undated))
        return view

    def known_on(self, day: str | _dt.date) -> Landscape:
        """The record as it stood on ``day`` (knowledge time): only claims stated, or sourced,
        by then (:meth:`Claim.on_record_from`), each with the status it had that day (from its
        history) and only the evidence of sources out by then; only those sources, and the rates
        stated by then. A :class:`ViewNotice` counts what was left out.
        """
        d = as_date(day)
        self._all_bounds()  # validity does not change with what is known: computed from the
        sources = self.sources  # whole claims, and shared with the view
        days = {sid: s.on_record for sid, s in sources.items()}
        kept = {sid for sid, x in days.items() if x is not None and x <= d}
        claims: dict[str, Claim] = {}
        for k, c in self.claims.items():
            now = c.as_known_on(d, sources, kept, days)
            if now is not None:
                claims[k] = now
        rates = [r for r in self.rates if (r.on is None or r.on.end() <= d) and (r.source is None or r.source in kept)]
        view = Landscape(self.entities, {k: s for k, s in sources.items() if k in kept}, claims, rates,
                         self.vocabulary, _index=self._index)
        view.origins, view.notices, view.view_notices = self.origins, self.notices, self.view_notices
        view._bounds = self._bounds
        left = len(self.claims) - len(claims)
        if left or len(kept) < len(sources):
            _notify(view, known_on_notice(d, left, len(sources) - len(kept)))
        return view

    def min_status(self, status: str | Status) -> Landscape:
        """Only claims at least as strong as ``status`` (order: refuted ... confirmed)."""
        rank = Status.parse(status).rank if isinstance(status, str) else status.rank
        return self._derive(lambda c: c.status.rank >= rank)

    def reported_or_better(self) -> Landscape:
        return self.min_status(Status.REPORTED)

    def with_status(self, *statuses: str | Status) -> Landscape:
        wanted = {Status.parse(s) if isinstance(s, str) else s for s in statuses}
        return self._derive(lambda c: c.status in wanted)

    def by_predicate(self, *predicates: str) -> Landscape:
        wanted = set(predicates)
        unknown = wanted - set(self.vocabulary.predicates)
        if unknown:
            raise ClaimgraphError(f"unknown predicate {sorted(unknown)[0]!r}: use one of {', '.join(self.vocabulary.predicates)}")
        return self._derive(lambda c: c.predicate in wanted)

    def by_stance(self, *stances: str) -> Landscape:
        preds = self.vocabulary.predicates_with_stance(*stances)
        return self._derive(lambda c: c.predicate in preds)

    def restrict(self, *, as_of: Any = None, min_status: Any = None, known_on: Any = None,
                 include_undated: bool = False) -> Landscape:
        """Apply the common CLI options (``--known-on``, ``--min-status``, ``--as-of``,
        ``--include-undated``): what was on the record on ``known_on`` first (statuses are those
        of that day), then the status floor, then what held on ``as_of``."""
        land = self
        if known_on:
            land = land.known_on(known_on)
        if min_status:
            land = land.min_status(min_status)
        if as_of:
            land = land.as_of(as_of, include_undated=include_undated)
        return land

    # -- lookups --------------------------------------------------------------------------------
    def _lookup_index(self) -> dict[str, set[str]]:
        if self._index is None:
            idx: dict[str, set[str]] = defaultdict(set)
            for e in self.entities.values():
                for text in (e.id, e.name, *e.aliases):
                    idx[normalize_name(text)].add(e.id)
            self._index = dict(idx)
        return self._index

    def find(self, ref: str) -> list[Entity]:
        """Entities whose id, name or an alias matches ``ref`` (case and width folded)."""
        if ref in self.entities:
            return [self.entities[ref]]
        return [self.entities[i] for i in sorted(self._lookup_index().get(normalize_name(ref), ()))]

    def entity(self, ref: str) -> Entity:
        """The entity named ``ref`` by id, name or alias, in any script.

        Raises :class:`ClaimgraphError` (with a suggestion) when none or several match.
        """
        found = self.find(ref)
        if len(found) == 1:
            return found[0]
        if found:
            raise ClaimgraphError(f"{ref!r} is ambiguous: it names {', '.join(e.id for e in found)}; use an id")
        import difflib

        match = difflib.get_close_matches(normalize_name(ref), list(self._lookup_index()), n=1, cutoff=0.6)
        hint = f": did you mean {sorted(self._lookup_index()[match[0]])[0]!r}?" if match else ""
        raise ClaimgraphError(f"unknown entity {ref!r}{hint}")

    def resolve(self, ref: str) -> str:
        return self.entity(ref).id

    def claims_of(self, entity: str, direction: str = "both") -> list[Claim]:
        """Claims where the entity is subject (``out``), object (``in``) or either, by id."""
        eid = self.resolve(entity)
        out: list[Claim] = []
        if direction in ("out", "both"):
            out += [self.claims[k] for _, _, k in self.graph.out_edges(eid, keys=True)]
            out += self.value_claims(eid)
        if direction in ("in", "both"):
            out += [self.claims[k] for _, _, k in self.graph.in_edges(eid, keys=True)]
        return sorted(out, key=lambda c: c.id)

    def value_claims(self, entity: str | None = None) -> list[Claim]:
        """Claims with a value instead of an object, for one subject or all."""
        return [c for c in self.claims.values() if c.object is None and (entity is None or c.subject == entity)]

    def sources_of(self, claim: Claim | str) -> list[Source]:
        c = self.claims[claim] if isinstance(claim, str) else claim
        return [self.sources[s] for s in c.source_ids]

    def describe(self, claim: Claim | str) -> str:
        """The claim in words, from the vocabulary's label: ``Nvidia invests in xAI (stake 7%)``.

        Qualifiers the label does not name follow in brackets.
        """
        c = self.claims[claim] if isinstance(claim, str) else claim
        return self._describer()(c)

    def _describer(self, text: Callable[[Any], str] = str) -> Callable[[Claim], str]:
        """:meth:`describe` for many claims: each predicate's label is looked up once, and
        ``text`` writes each value or qualifier that is not a string (a caller may memoise it)."""
        ents = self.entities
        preds = self.vocabulary.predicates
        templates: dict[str, tuple[str, frozenset[str]]] = {}

        def describe(c: Claim) -> str:
            d = c.__dict__  # plain field reads (pydantic attribute access costs more per claim)
            p = d["predicate"]
            got = templates.get(p)
            if got is None:
                label, in_label = _label_parts(preds[p])
                got = templates[p] = (label or "{subject} " + p + " {object}{value}", in_label)
            template, in_label = got
            e = ents.get(d["subject"])
            subj = e.name if e is not None else d["subject"]
            o = d["object"]
            if o:
                e = ents.get(o)
                obj = e.name if e is not None else o
            else:
                obj = ""
            v = d["value"]
            fields = _Missing(subject=subj, object=obj,
                              value="" if v is None else str(v) if isinstance(v, str) else text(v))
            extras = None
            for k, v in d["qualifiers"].items():
                if isinstance(v, str):  # a qualifier may name an entity
                    e = ents.get(v)
                    t = e.name if e is not None else str(v)
                else:
                    t = text(v)
                if k in in_label:
                    fields[k] = t
                elif extras is None:
                    extras = [f"{k} {t}"]
                else:
                    extras.append(f"{k} {t}")
            try:
                out = template.format_map(fields)
            except (ValueError, IndexError):
                out = f"{subj} {p} {obj or fields['value']}"
            return f"{out} ({', '.join(extras)})" if extras else out

        return describe

    # -- summaries ------------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        """Counts: entities, claims, sources, and claims by status, stance and predicate."""
        by_status = Counter(c.status for c in self.claims.values())
        preds = self.vocabulary.predicates
        return {
            "entities": len(self.entities),
            "claims": len(self.claims),
            "sources": len(self.sources),
            "relations": self.graph.number_of_edges(),
            "value_claims": len(self.claims) - self.graph.number_of_edges(),
            "rates": len(self.rates),
            "by_status": {s.value: by_status.get(s, 0) for s in reversed(STATUS_ORDER)},
            "by_stance": dict(Counter(preds[c.predicate].stance for c in self.claims.values()).most_common()),
            "by_predicate": dict(Counter(c.predicate for c in self.claims.values()).most_common()),
            "by_kind": dict(Counter(e.kind for e in self.entities.values()).most_common()),
            "by_tier": {t.value: n for t in Tier if (n := sum(1 for s in self.sources.values() if s.tier is t))},
        }

    def __len__(self) -> int:
        return len(self.claims)

    def __repr__(self) -> str:
        return f"<Landscape {len(self.entities)} entities, {len(self.claims)} claims, {len(self.sources)} sources>"


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_LABELS: dict[Any, tuple[str, frozenset[str]]] = {}


def _label_parts(pred) -> tuple[str, frozenset[str]]:
    """A predicate's label and the qualifier names it places itself (cached per predicate)."""
    got = _LABELS.get((pred.name, pred.label))
    if got is None:
        import string

        names = frozenset(f for _, f, _, _ in string.Formatter().parse(pred.label or "") if f)
        got = _LABELS[(pred.name, pred.label)] = (pred.label, names)
    return got
