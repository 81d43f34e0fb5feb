"""The Landscape: a networkx MultiDiGraph whose edges are claims, keyed by claim id.

Entities are nodes (attributes ``name`` and ``kind``). Each claim with an object entity is an
edge ``subject -> object`` keyed by its id, whose data holds every claim field plus ``stance``.
Claims with a value instead of an object (Tesla's claimed 9-month cadence, a chip's volume date)
are kept in :attr:`Landscape.claims` and listed per subject by :meth:`Landscape.value_claims`.

Views (:meth:`as_of`, :meth:`min_status`, :meth:`by_predicate`, :meth:`by_stance`) return new
Landscapes over the same entity, source and claim objects.

>>> from claimgraph import load
>>> land = load()
>>> land.entity("英伟达").name
'Nvidia'
>>> land.as_of("2018-06-30").graph.has_edge("nvidia", "tesla")
True
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx

from .dataset import Dataset, normalize_name
from .errors import ClaimgraphError
from .model import STATUS_ORDER, Claim, Entity, Rate, Source, Status, Tier
from .values import as_date
from .vocabulary import Vocabulary, default_vocabulary


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
        self.graph = self._build_graph()

    @classmethod
    def from_dataset(cls, ds: Dataset, vocabulary: Vocabulary | None = None) -> Landscape:
        land = cls(ds.entities, ds.sources, ds.claims, ds.rates, vocabulary)
        land.origins = ds.origins
        land.notices = ds.notices
        return land

    origins: dict = {}
    notices: list = []

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
        view.origins, view.notices = self.origins, self.notices
        return view

    # -- views ----------------------------------------------------------------------------------
    def filter(self, keep: Callable[[Claim], bool]) -> Landscape:
        """A view holding only the claims for which ``keep(claim)`` is true (all entities stay)."""
        return self._derive(keep)

    def as_of(self, day: str | _dt.date) -> Landscape:
        """The landscape on ``day``: only claims whose validity covers that day.

        A claim with no ``valid_from`` (or ``valid_until``) is open on that side. Partial dates
        cover their whole month or year.
        """
        d = as_date(day)
        return self._derive(lambda c: c.holds_on(d))

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

    def restrict(self, *, as_of: Any = None, min_status: Any = None) -> Landscape:
        """Apply the common CLI options (``--as-of``, ``--min-status``) in one pass."""
        land = self
        if min_status:
            land = land.min_status(min_status)
        if as_of:
            land = land.as_of(as_of)
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
        from .suggest import Suggester

        match = Suggester(self._lookup_index()).best(normalize_name(ref))
        hint = f": did you mean {sorted(self._lookup_index()[match])[0]!r}?" if match is not None else ""
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
