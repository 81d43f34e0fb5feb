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
from typing import TYPE_CHECKING, Any

from .dataset import Dataset, normalize_name
from .errors import ClaimgraphError
from .model import STATUS_ORDER, Claim, Entity, Rate, Source, Status, Tier
from .values import as_date
from .vocabulary import Vocabulary, default_vocabulary

if TYPE_CHECKING:
    import networkx as nx


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
        """The Landscape of a checked :class:`~claimgraph.dataset.Dataset`, with the vocabulary it was
        checked against (``vocabulary`` overrides it), keeping where each record came from
        (``origins``) and the loader's ``notices``.

        >>> from claimgraph.io import load_dataset
        >>> ds = load_dataset()
        >>> land = Landscape.from_dataset(ds)
        >>> len(land) == len(ds.claims), land.origins is ds.origins
        (True, True)
        """
        land = cls(ds.entities, ds.sources, ds.claims, ds.rates, vocabulary or ds.vocabulary)
        land.origins = ds.origins
        land.notices = ds.notices
        return land

    @staticmethod
    def dataset_stats(ds: Dataset, vocabulary: Vocabulary | None = None) -> dict[str, Any]:
        """``Landscape.from_dataset(ds, vocabulary).stats()`` without building the landscape
        (no graph, no networkx): what ``claimgraph validate`` needs.

        >>> from claimgraph.io import load_dataset
        >>> ds = load_dataset()
        >>> Landscape.dataset_stats(ds) == Landscape.from_dataset(ds).stats()
        True
        """
        return _stats(ds.entities, ds.sources, ds.claims, ds.rates, vocabulary or ds.vocabulary or default_vocabulary())

    origins: dict = {}
    notices: list = []
    #: what the time views that made this one left out (see :class:`ViewNotice`)
    view_notices: list = []
    #: the day of the ``as_of`` view this one is (or comes from); None: not an as-of view. The
    #: roadmap judges which milestone dates are past on this day (else on today's date).
    as_of_day: _dt.date | None = None

    def _build_graph(self) -> nx.MultiDiGraph:
        import networkx as nx  # here, not at the top: counting and checking a dataset needs no graph

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
        view._bounds, view.as_of_day = self._bounds, self.as_of_day
        return view

    def _all_bounds(self) -> dict[str, tuple]:
        if self._bounds is None:
            sources = self.sources
            self._bounds = {k: c.time_bounds(sources) for k, c in self.claims.items()}
        return self._bounds

    def time_bounds(self, claim: Claim | str) -> tuple[_dt.date | None, _dt.date | None]:
        """``(start, end)``: the first and last day ``claim`` is known to hold (start None: undated;
        end None: open), by :meth:`Claim.time_bounds` with this landscape's sources. Computed once
        per landscape for all its claims, and shared with its views.

        >>> from claimgraph import load
        >>> start, end = load().time_bounds("nvidia-supplies-tesla-2016-2019")
        >>> start.year, end.year                     # HW2-era supply, 2016 to 2019
        (2016, 2019)
        """
        cid = claim if isinstance(claim, str) else claim.id
        got = self._all_bounds().get(cid)
        if got is None:
            c = self.claims[cid] if isinstance(claim, str) else claim
            got = self._bounds[cid] = c.time_bounds(self.sources)
        return got

    # -- views ----------------------------------------------------------------------------------
    def filter(self, keep: Callable[[Claim], bool]) -> Landscape:
        """A view holding only the claims for which ``keep(claim)`` is true (all entities stay).

        >>> from claimgraph import load
        >>> land = load()
        >>> money = land.filter(lambda c: c.predicate == "INVESTS_IN")
        >>> {c.predicate for c in money.claims.values()}, len(money.entities) == len(land.entities)
        ({'INVESTS_IN'}, True)
        """
        return self._derive(keep)

    def as_of(self, day: str | _dt.date, *, include_undated: bool = False) -> Landscape:
        """The landscape on ``day`` (valid time): only claims that held that day.

        An event holds on the days its ``on`` date covers; a state from ``valid_from`` (without
        it: from when it was stated, else from its earliest supporting source: never "since
        always") until ``valid_until`` (open when absent). Partial dates cover their whole month
        or year. A claim with no date at all is undated: left out (with a :class:`ViewNotice`
        counting them) unless ``include_undated``.
        >>> from claimgraph import load
        >>> land = load()
        >>> land.as_of("2018-06-30").graph.has_edge("nvidia", "tesla")  # Nvidia supplied Tesla 2016-2019
        True
        >>> land.as_of("2018-06-30").min_status("reported").as_of_day   # kept by the views made from it
        datetime.date(2018, 6, 30)
        >>> [c.id for c in land.as_of("2025-06-30").claims_of("tesla", "in") if c.predicate == "SUPPLIES"]
        []
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
        view.as_of_day = d
        if undated and not include_undated:
            _notify(view, undated_notice(d, undated))
        return view

    def known_on(self, day: str | _dt.date) -> Landscape:
        """The record as it stood on ``day`` (knowledge time): only claims stated, or sourced,
        by then (:meth:`Claim.on_record_from`), each with the status it had that day (from its
        history) and only the evidence of sources out by then; only those sources, and the rates
        stated by then. A :class:`ViewNotice` counts what was left out.

        >>> import warnings
        >>> from claimgraph import load
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     view = load().known_on("2025-06-30")
        >>> all(c.stated_on is None or c.stated_on.start().isoformat() <= "2025-06-30" for c in view.claims.values())
        True
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
        view._bounds, view.as_of_day = self._bounds, self.as_of_day
        left = len(self.claims) - len(claims)
        if left or len(kept) < len(sources):
            _notify(view, known_on_notice(d, left, len(sources) - len(kept)))
        return view

    def min_status(self, status: str | Status) -> Landscape:
        """A view of the claims at least as strong as ``status`` (order: refuted ... confirmed).

        >>> from claimgraph import load
        >>> sorted({c.status.value for c in load().min_status("reported").claims.values()})
        ['confirmed', 'reported']
        """
        rank = Status.parse(status).rank if isinstance(status, str) else status.rank
        return self._derive(lambda c: c.status.rank >= rank)

    def reported_or_better(self) -> Landscape:
        """A view of the reported and confirmed claims: ``min_status("reported")``.

        >>> from claimgraph import load
        >>> load().reported_or_better().stats() == load().min_status("reported").stats()
        True
        """
        return self.min_status(Status.REPORTED)

    def with_status(self, *statuses: str | Status) -> Landscape:
        """A view of the claims whose status is one of ``statuses`` (names or :class:`Status`).

        >>> from claimgraph import load
        >>> sorted({c.status.value for c in load().with_status("disputed", "claimed").claims.values()})
        ['claimed', 'disputed']
        """
        wanted = {Status.parse(s) if isinstance(s, str) else s for s in statuses}
        return self._derive(lambda c: c.status in wanted)

    def by_predicate(self, *predicates: str) -> Landscape:
        """A view of the claims with one of ``predicates``; an unknown predicate raises
        :class:`ClaimgraphError`.

        >>> from claimgraph import load
        >>> sorted({c.predicate for c in load().by_predicate("INVESTS_IN", "COMPETES_WITH").claims.values()})
        ['COMPETES_WITH', 'INVESTS_IN']
        """
        wanted = set(predicates)
        unknown = wanted - set(self.vocabulary.predicates)
        if unknown:
            raise ClaimgraphError(f"unknown predicate {sorted(unknown)[0]!r}: use one of {', '.join(self.vocabulary.predicates)}")
        return self._derive(lambda c: c.predicate in wanted)

    def by_stance(self, *stances: str) -> Landscape:
        """A view of the claims whose predicate has one of ``stances`` in the vocabulary
        (cooperative, competitive, financial, supply, ...).

        >>> from claimgraph import load
        >>> land = load()
        >>> {land.vocabulary.predicates[c.predicate].stance for c in land.by_stance("financial").claims.values()}
        {'financial'}
        """
        preds = self.vocabulary.predicates_with_stance(*stances)
        return self._derive(lambda c: c.predicate in preds)

    def restrict(self, *, as_of: Any = None, min_status: Any = None, known_on: Any = None,
                 include_undated: bool = False) -> Landscape:
        """Apply the common CLI options (``--known-on``, ``--min-status``, ``--as-of``,
        ``--include-undated``): what was on the record on ``known_on`` first (statuses are those
        of that day), then the status floor, then what held on ``as_of``.

        >>> from claimgraph import load
        >>> land = load()
        >>> land.restrict() is land
        True
        >>> view = land.restrict(as_of="2018-06-30", min_status="reported")
        >>> view.stats() == land.min_status("reported").as_of("2018-06-30").stats()
        True
        """
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
        """The entities whose id, name or an alias matches ``ref`` (case and width folded); a list,
        empty when none does.

        >>> from claimgraph import load
        >>> [e.id for e in load().find("NVIDIA")], load().find("no such company")
        (['nvidia'], [])
        """
        if ref in self.entities:
            return [self.entities[ref]]
        return [self.entities[i] for i in sorted(self._lookup_index().get(normalize_name(ref), ()))]

    def entity(self, ref: str) -> Entity:
        """The entity named ``ref`` by id, name or alias, in any script.

        Raises :class:`ClaimgraphError` (with a suggestion) when none or several match.

        >>> from claimgraph import load
        >>> load().entity("特斯拉").name
        'Tesla'
        >>> load().entity("Nvidiaa")
        Traceback (most recent call last):
        ...
        claimgraph.errors.ClaimgraphError: unknown entity 'Nvidiaa': did you mean 'nvidia'?
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
        """The id of the entity named ``ref`` (see :meth:`entity`).

        >>> from claimgraph import load
        >>> load().resolve("马斯克")
        'elon-musk'
        """
        return self.entity(ref).id

    def claims_of(self, entity: str, direction: str = "both") -> list[Claim]:
        """The claims where the entity is subject (``out``, value claims included), object (``in``)
        or either, as a list ordered by claim id.

        >>> from claimgraph import load
        >>> land = load()
        >>> all(c.object == "xai" for c in land.claims_of("xAI", "in"))
        True
        >>> "tesla-cadence-9-months" in [c.id for c in land.claims_of("tesla", "out")]
        True
        """
        eid = self.resolve(entity)
        out: list[Claim] = []
        if direction in ("out", "both"):
            out += [self.claims[k] for _, _, k in self.graph.out_edges(eid, keys=True)]
            out += self.value_claims(eid)
        if direction in ("in", "both"):
            out += [self.claims[k] for _, _, k in self.graph.in_edges(eid, keys=True)]
        return sorted(out, key=lambda c: c.id)

    def value_claims(self, entity: str | None = None) -> list[Claim]:
        """The claims with a value instead of an object, for one subject or all, as a list.

        >>> from claimgraph import load
        >>> [str(c.value) for c in load().value_claims("tesla") if c.predicate == "HAS_CADENCE"]
        ['9 months', '9 months', '12 months']
        """
        return [c for c in self.claims.values() if c.object is None and (entity is None or c.subject == entity)]

    def sources_of(self, claim: Claim | str) -> list[Source]:
        """The :class:`Source` records a claim (or claim id) cites, in its evidence order.

        >>> from claimgraph import load
        >>> [s.tier.value for s in load().sources_of("nvidia-invests-in-xai-stake-7pct")]
        ['self-media', 'mirror', 'press']
        """
        c = self.claims[claim] if isinstance(claim, str) else claim
        return [self.sources[s] for s in c.source_ids]

    def describe(self, claim: Claim | str) -> str:
        """The claim in words, from the vocabulary's label: ``Nvidia invests in xAI (stake 7%)``.

        Qualifiers the label does not name follow in brackets.

        >>> from claimgraph import load
        >>> load().describe("nvidia-invests-in-xai-stake-7pct")
        'Nvidia invests in xAI (stake 7%)'
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

    # -- pyvis ----------------------------------------------------------------------------------
    def to_pyvis(self, **network_options: Any):
        """The landscape as a pyvis ``Network``, styled by the vocabulary, for users of pyvis's
        own API (``net.show_buttons()``, ``net.write_html(...)``).

        Entities are nodes coloured and shaped by their kind; each claim with an object entity is
        an edge (``id`` the claim id) coloured by its predicate's stance, without an arrow head
        for symmetric predicates and dashed unless it is confirmed or reported; value claims are
        listed in their subject's title. Titles (pyvis shows them as HTML) are escaped text.
        ``network_options`` go to ``Network()`` (default ``directed=True``, which keeps every
        claim: pyvis's undirected add_edge drops parallel and reverse edges).

        >>> from claimgraph import load
        >>> net = load().to_pyvis()
        >>> len(net.nodes) == len(load().entities), len(net.edges) == load().graph.number_of_edges()
        (True, True)
        >>> next(n for n in net.nodes if n["id"] == "nvidia")["shape"]
        'dot'
        """
        import html

        from pyvis.network import Network

        from .model import Status

        vocab = self.vocabulary
        preds = vocab.predicates
        describe = self._describer()
        net = Network(**{"directed": True, "cdn_resources": "in_line", **network_options})
        values: dict[str, list[str]] = defaultdict(list)
        for c in self.claims.values():
            if c.object is None:
                values[c.subject].append(f"{describe(c)} ({c.status.value})")
        for e in self.entities.values():
            kind = vocab.kind_style(e.kind)
            lines = [f"{e.name} ({kind.label})"]
            if e.aliases:
                lines.append("also: " + ", ".join(e.aliases))
            if e.notes:
                lines.append(e.notes)
            lines += values.get(e.id, [])
            net.add_node(e.id, label=e.name, shape=kind.shape, color=kind.color,
                         title="<br>".join(html.escape(x) for x in lines))
        solid = (Status.CONFIRMED, Status.REPORTED)
        for c in sorted(self.claims.values(), key=lambda c: c.id):
            if c.object is None or c.subject not in self.entities or c.object not in self.entities:
                continue
            pred = preds[c.predicate]
            stance = vocab.stance_style(pred.stance)
            srcs = ", ".join(s.publisher for s in self.sources_of(c))
            title = "<br>".join(html.escape(x) for x in (
                describe(c), f"{c.status.value} · {stance.label}", f"sources: {srcs}", f"claim {c.id}"))
            options: dict[str, Any] = {"id": c.id, "title": title, "color": stance.color,
                                       "dashes": c.status not in solid}
            if pred.symmetric:
                options["arrows"] = ""
            net.add_edge(c.subject, c.object, **options)
        return net

    # -- summaries ------------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        """Counts as a dict: entities, claims, sources, relations, value claims, rates, and claims by
        status, stance and predicate, entities by kind, sources by tier.

        >>> from claimgraph import load
        >>> s = load().stats()
        >>> s["claims"] == s["relations"] + s["value_claims"], s["by_status"]["confirmed"] > 0
        (True, True)
        """
        return _stats(self.entities, self.sources, self.claims, self.rates, self.vocabulary)

    def __len__(self) -> int:
        return len(self.claims)

    def __repr__(self) -> str:
        return f"<Landscape {len(self.entities)} entities, {len(self.claims)} claims, {len(self.sources)} sources>"


def _stats(entities: dict[str, Entity], sources: dict[str, Source], claims: dict[str, Claim],
           rates: list[Rate], vocabulary: Vocabulary) -> dict[str, Any]:
    """:meth:`Landscape.stats` from the records alone: every claim with an object is one edge
    of the graph (keyed by its id), so the graph need not exist to be counted."""
    by_status = Counter(c.status for c in claims.values())
    preds = vocabulary.predicates
    relations = sum(1 for c in claims.values() if c.object is not None)
    return {
        "entities": len(entities),
        "claims": len(claims),
        "sources": len(sources),
        "relations": relations,
        "value_claims": len(claims) - relations,
        "rates": len(rates),
        "by_status": {s.value: by_status.get(s, 0) for s in reversed(STATUS_ORDER)},
        "by_stance": dict(Counter(preds[c.predicate].stance for c in claims.values()).most_common()),
        "by_predicate": dict(Counter(c.predicate for c in claims.values()).most_common()),
        "by_kind": dict(Counter(e.kind for e in entities.values()).most_common()),
        "by_tier": {t.value: n for t in Tier if (n := sum(1 for s in sources.values() if s.tier is t))},
    }


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
