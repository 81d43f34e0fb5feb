"""The data a page shows, built in one O(entities + claims) pass, and its safe embedding.

:func:`page_data` turns a :class:`~claimgraph.landscape.Landscape` into plain JSON-ready data: nodes
(with kind, influence and, for large graphs, positions), claims (with the claim in
words, its short edge label, status, dates, who asserts it and its evidence), the time axes the
page's sliders move along, and sources (only http(s) urls survive, see
:attr:`claimgraph.model.Source.safe_url`). :func:`script_json` makes that data safe inside
``<script type="application/json">``; :func:`view_fragment` writes the URL fragment that opens
the page on a given view (focus, filters, date, selection).

>>> script_json({"x": "</script><b>&"})
'{"x":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from collections import defaultdict
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import numpy as np

from ..algorithms import undirected_pagerank as influence
from ..gcutil import gc_paused
from ..model import STATUS_ORDER, Claim, Effect, Status
from ..plugins import import_optional
from ..values import PartialDate, Quantity
from .layout import layout

#: above this many entities or relational claims, positions come from Python and physics is off
PHYSICS_LIMIT_NODES = 300
PHYSICS_LIMIT_EDGES = 900
#: above this many claims or entities, pages open on a summary: the graph of the
#: :data:`SUMMARY_TOP` most influential entities and their ties (the rest by search and
#: expansion), the data packed (:func:`pack_page_data`), the report's ledger built on demand
SUMMARY_LIMIT_CLAIMS = 5000
SUMMARY_LIMIT_ENTITIES = 2000
SUMMARY_TOP = 100
PAGE_MODES = ("auto", "summary", "full")

# Stance colours and kind colours and shapes are the vocabulary's (vocabulary.yaml: stances,
# kinds): see stance_styles and kind_styles.

#: how each status is drawn: line pattern and opacity (solid = confirmed/reported)
STATUS_STYLE = {
    "confirmed": {"dashes": False, "opacity": 1.0, "width": 3, "pattern": "solid"},
    "reported": {"dashes": False, "opacity": 0.9, "width": 2, "pattern": "solid"},
    "claimed": {"dashes": [10, 6], "opacity": 0.85, "width": 2, "pattern": "dashed"},
    "stale": {"dashes": [2, 5], "opacity": 0.5, "width": 1.5, "pattern": "dotted, faded"},
    "disputed": {"dashes": [2, 5], "opacity": 0.55, "width": 1.5, "pattern": "dotted, faded"},
    "unsupported": {"dashes": [2, 5], "opacity": 0.45, "width": 1.5, "pattern": "dotted, faded"},
    "refuted": {"dashes": [2, 5], "opacity": 0.25, "width": 1, "pattern": "dotted, very faded"},
}

_CONTRADICTS = Effect.CONTRADICTS

def money_rule(vocabulary: Any = None) -> dict[str, str]:
    """``{predicate: amount qualifier}``: the vocabulary's money role (the default vocabulary's
    when none is given)."""
    if vocabulary is None:
        from ..vocabulary import default_vocabulary

        vocabulary = default_vocabulary()
    return {name: (opts or {}).get("amount", "amount") for name, opts in vocabulary.role("money").items()}


def moves_money(claim: Claim, vocabulary: Any = None, rule: dict[str, str] | None = None) -> bool:
    """Whether the claim moves money: its money qualifier (``amount``) on a predicate that has
    the vocabulary's money role.

    The page counts such claims as financial whatever their predicate's stance (Tesla's
    USD 16.5B foundry deal with Samsung is a supply claim that moves money). This is the one
    place that decides it; ``rule`` (from :func:`money_rule`) saves reading the vocabulary
    once a claim.
    """
    if rule is None:
        rule = money_rule(vocabulary)
    qual = rule.get(claim.predicate)
    if qual is None:  # the cheap test first: it runs on every claim
        return False
    quals = claim.qualifiers
    return bool(quals) and quals.get(qual) is not None


#: the page's time axes: each a slider over the days on which claims start or stop holding.
#: ``start``/``end`` name the claim's keys in the page data (partial dates as written). Another
#: axis (knowledge time) is one more entry here and its two keys on each claim.
TIME_AXES = ({"id": "valid", "label": "Valid on", "start": "vf", "end": "vu", "held": "hf", "undated": "ud"},)

#: the URL fragment of a view starts with this (the report's own anchors do not)
VIEW_PREFIX = "#view:"


def view_fragment(**state: Any) -> str:
    """The URL fragment that opens the page on a view; lists are written comma-separated.

    Keys (all optional): ``nodes`` (entities to show) and ``open`` (entities whose neighbours
    are shown too), ``claims`` / ``claim`` / ``node`` (the selection), ``status`` and ``stance``
    (the ones shown), ``pred``, ``valid`` (a day), ``merge``, ``iso`` (hide unconnected nodes).

    >>> view_fragment(nodes=["tesla"], open=["tesla"], valid="2024-01-01")
    '#view:nodes=tesla&open=tesla&valid=2024-01-01'
    """
    parts = []
    for key, value in state.items():
        if value is None or value is False:
            continue
        if value is True:
            value = "1"
        elif isinstance(value, list | tuple | set | frozenset):
            value = ",".join(quote(str(v), safe="") for v in value)
        else:
            value = quote(str(value), safe="")
        parts.append(f"{key}={value}")
    return VIEW_PREFIX + "&".join(parts)


def focus_view(land, entity: str, depth: int = 1) -> str:
    """The view of ``entity`` and everything within ``depth`` relations (as ``--focus``): the
    entity shown, and the entities less than ``depth`` away opened (their neighbours shown),
    so the page can expand further one node at a time.

    >>> from claimgraph import load
    >>> focus_view(load(), "英偉達", 1)
    '#view:nodes=nvidia&open=nvidia'
    """
    from ..errors import ClaimgraphError

    if depth < 0:
        raise ClaimgraphError(f"--depth {depth} is negative: give 0 or more")
    start = land.resolve(entity)
    g = land.graph
    seen = {start}
    frontier = [start]
    opened: list[str] = []
    for _ in range(depth):
        opened += frontier
        nxt = []
        for node in frontier:
            for other in (*g.successors(node), *g.predecessors(node)):
                if other not in seen:
                    seen.add(other)
                    nxt.append(other)
        frontier = nxt
    return view_fragment(nodes=[start], open=opened or None)


#: qualifiers worth a short edge label, in order of preference
LABEL_QUALIFIERS = ("stake", "amount", "factor", "count", "valuation", "duration")


_orjson = import_optional("orjson")

_SCRIPT_ESCAPES = (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                   ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def script_json(data: Any) -> str:
    """JSON that cannot end or break out of a ``<script>`` element: ``<``, ``>``, ``&``, U+2028
    and U+2029 are written as ``\\uXXXX`` escapes (valid JSON, same value).

    Written by orjson (about 4x faster than the standard library at 15,000 claims, a fifth of
    page making), with other characters as UTF-8; the standard library writes what orjson
    refuses (lone surrogates, integers beyond 64 bits, non-string keys) and, when orjson is
    missing, everything.
    """
    text = None
    if _orjson is not None:
        try:
            text = _orjson.dumps(data, default=str, option=_orjson.OPT_SERIALIZE_NUMPY).decode("utf-8")
        except TypeError:  # orjson.JSONEncodeError
            pass
    if text is None:
        # ASCII output: every non-ASCII character (U+2028/2029 included) becomes a \\uXXXX escape
        text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), default=str)
    for char, escape in _SCRIPT_ESCAPES:
        if char in text:
            text = text.replace(char, escape)
    return text


def short_label(claim: Claim, text: Callable[[Any], str] = str) -> str:
    """A short edge label from the claim's amounts: ``7%``, ``USD 16.5B``, ``50x``, or ``""``.

    ``text`` writes the quantity or date (``str``; :func:`page_data` passes a memo)."""
    quals = claim.qualifiers
    if quals:
        for name in LABEL_QUALIFIERS:
            v = quals.get(name)
            if v is not None and isinstance(v, Quantity):
                return text(v)
    v = claim.value
    if v is not None and isinstance(v, Quantity | PartialDate):
        return text(v)
    return ""


_ONE_DAY = _dt.timedelta(days=1)


def _stops(starts, ends, also=()) -> list[str]:
    """The slider's days, ISO and sorted: the first day of each start, the day after each end
    ((year, month, day) keys, month and day 0 or None when not known)."""
    days = {f"{y:04d}-{m or 1:02d}-{d or 1:02d}" for y, m, d in starts}
    for y, m, d in ends:
        if d:
            try:
                days.add((_dt.date(y, m, d) + _ONE_DAY).isoformat())
            except OverflowError:  # the last day there is: nothing comes after it
                pass
        elif m:
            days.add(f"{y + (m == 12):04d}-{m % 12 + 1:02d}-01")
        else:
            days.add(f"{y + 1:04d}-01-01")
    days.update(also)
    return sorted(days)


def stance_styles(vocab, stances) -> list[dict[str, str]]:
    """``[{name, label, color}]`` for ``stances``, in the vocabulary's order (then any others)."""
    order = {s: i for i, s in enumerate(vocab.stances)}
    return [{"name": s, "label": st.label, "color": st.color}
            for s in sorted(set(stances), key=lambda s: (order.get(s, len(order)), s))
            for st in (vocab.stance_style(s),)]


def kind_styles(vocab, kinds) -> list[dict[str, str]]:
    """``[{name, label, color, shape}]`` for ``kinds``, sorted by name."""
    return [{"name": k, "label": ks.label, "color": ks.color, "shape": ks.shape}
            for k in sorted(set(kinds)) for ks in (vocab.kind_style(k),)]


def wants_summary(land, page: str = "auto") -> bool:
    """Whether a page of ``land`` opens on a summary: ``page`` is ``"summary"``, or ``"auto"``
    and the landscape has more than :data:`SUMMARY_LIMIT_CLAIMS` claims or
    :data:`SUMMARY_LIMIT_ENTITIES` entities.

    >>> from claimgraph import load
    >>> wants_summary(load()), wants_summary(load(), "summary")
    (False, True)
    """
    if page not in PAGE_MODES:
        from ..errors import ClaimgraphError

        raise ClaimgraphError(f"page mode {page!r}: use one of {', '.join(PAGE_MODES)}")
    if page != "auto":
        return page == "summary"
    return len(land.claims) > SUMMARY_LIMIT_CLAIMS or len(land.entities) > SUMMARY_LIMIT_ENTITIES


def page_data(land, *, title: str = "claimgraph landscape", layout_mode: str = "auto",
              seed: int = 7, subtitle: str = "", view: str = "", page: str = "auto") -> dict[str, Any]:
    """Everything the page needs, as JSON-ready data; one pass over entities and claims.

    ``layout_mode``: ``"auto"`` (Python positions above :data:`PHYSICS_LIMIT_NODES` entities or
    :data:`PHYSICS_LIMIT_EDGES` relations, else physics in the browser), ``"python"`` or
    ``"physics"``. ``view``: the fragment (:func:`view_fragment`) the page opens on when its
    URL has none. ``page``: ``"summary"`` (:func:`wants_summary`; ``"auto"`` by size) opens on
    the :data:`SUMMARY_TOP` most influential entities (``meta["top"]``, the default view) with
    Python positions, and packs the claims, nodes and sources (:func:`pack_page_data`).

    >>> from claimgraph import load
    >>> d = page_data(load())
    >>> len(d["nodes"]) == len(load().entities), d["meta"]["summary"]
    (True, False)
    >>> s = page_data(load(), page="summary")
    >>> s["packed"], s["meta"]["top"][:2], s["meta"]["view"][:25]
    (1, ['tesla', 'nvidia'], '#view:nodes=tesla,nvidia,')
    """
    summary = wants_summary(land, page)
    with gc_paused():
        data = _page_data(land, title=title, layout_mode="python" if summary else layout_mode, seed=seed,
                          subtitle=subtitle, view=view, summary=summary)
        return pack_page_data(data) if summary else data


def _page_data(land, *, title: str, layout_mode: str, seed: int, subtitle: str,
               view: str, summary: bool = False) -> dict[str, Any]:
    vocab = land.vocabulary
    ents = list(land.entities.values())
    index = {e.id: i for i, e in enumerate(ents)}
    names = {e.id: e.name for e in ents}
    claims = sorted(land.claims.values(), key=lambda c: c.id)
    relational = [c for c in claims if c.object is not None and c.object in index and c.subject in index]
    pairs = [(index[c.subject], index[c.object]) for c in relational]

    if layout_mode == "auto":
        use_python = len(ents) > PHYSICS_LIMIT_NODES or len(relational) > PHYSICS_LIMIT_EDGES
    else:
        use_python = layout_mode == "python"
    positions = layout(len(ents), pairs, seed=seed) if use_python else None
    rank = influence(len(ents), pairs)
    top = float(rank.max()) if len(rank) else 1.0
    # spread positions so that typical neighbours are a few node-widths apart
    spread = 60.0 * math.sqrt(max(len(ents), 1))

    sizes = (np.round(8 + 32 * np.sqrt(rank / top), 2) if top > 0 else np.full(len(ents), 10.0)).tolist()
    xy = (np.round(positions * spread, 1).tolist() if positions is not None else None)
    top: list[str] = []
    if summary:
        # the most influential entities first (ties by id): what a big page opens on
        order = sorted(range(len(ents)), key=lambda i: (-rank[i], ents[i].id))
        top = [ents[i].id for i in order[:SUMMARY_TOP]]
        if not view:  # parallel claims merged: one edge per pair of entities, labelled with their count
            view = view_fragment(nodes=top, merge=True)
    nodes = []
    for i, e in enumerate(ents):
        node = {"id": e.id, "name": e.name, "kind": e.kind, "aliases": list(e.aliases),
                "notes": e.notes or "", "size": sizes[i]}
        if xy is not None:
            node["x"], node["y"] = xy[i]
        nodes.append(node)

    # parallel edges between the same pair get alternating curvature so none hides another
    parallel: dict[tuple[str, str], int] = defaultdict(int)
    # the text of each quantity or date object, made once: the claim's words and its short
    # label both show it (keys are id()s: every claim, and so every value, lives until we return)
    texts: dict[int, str] = {}

    def text_of(v: Any) -> str:
        t = texts.get(id(v))
        if t is None:
            t = texts[id(v)] = str(v)
        return t

    describe = land._describer(text_of)
    # dates as written, formatted once per distinct date; one cache per role, whose keys are
    # then the stops of the valid-time slider: where a claim starts holding (or was said), and
    # the day after one stops holding
    start_cache: dict[tuple, str] = {}
    end_cache: dict[tuple, str] = {}

    def start_date(d: PartialDate) -> str:
        key = (d.year, d.month, d.day)  # a plain tuple hashes far faster than PartialDate
        out = start_cache.get(key)
        if out is None:
            out = start_cache[key] = str(d)
        return out

    def end_date(d: PartialDate) -> str:
        key = (d.year, d.month, d.day)
        out = end_cache.get(key)
        if out is None:
            out = end_cache[key] = str(d)
        return out

    sources_by_id = land.sources
    bounds = land.time_bounds
    money = money_rule(vocab)
    held_from: set[str] = set()
    out_claims = []
    append = out_claims.append
    for c in claims:
        f = c.__dict__  # plain field reads; pydantic attribute access costs more at 15k claims
        subject, obj = f["subject"], f["object"]
        # compact keys (the page expands them): s subject, o object, p predicate, st status,
        # t text, l label, v value, sd stated, vf/vu valid from/until (partial dates as written),
        # on an event's date, hf the day it is known to hold from when vf does not say, ud undated,
        # by asserted by, ev [[source, contradicts?, locator, paraphrase]], n notes
        # the status is a StrEnum: json writes it as its text, without the slow .value lookup
        item: dict[str, Any] = {"id": f["id"], "s": subject, "p": f["predicate"], "st": f["status"],
                                "t": describe(c)}
        label = short_label(c, text_of)
        if label:
            item["l"] = label
        if obj is not None:
            item["o"] = obj
        else:
            item["v"] = text_of(f["value"])
        # dates as written (2016, 2019-06, 2025-10-08); the page derives the days they cover
        d = f["stated_on"]
        if d is not None:
            item["sd"] = start_date(d)
        d = f["valid_from"]
        if d is not None:
            item["vf"] = start_date(d)
        d = f["valid_until"]
        if d is not None:
            item["vu"] = end_date(d)
        if moves_money(c, rule=money):
            item["mm"] = 1  # moves money: counted as financial whatever the predicate's stance
        d = f["on"]
        if d is not None:
            item["on"] = start_date(d)
        # the first day it is known to hold, where vf does not say it (docs/time.md): no
        # valid_from (from when it was said or sourced), an event (its date); ud: undated
        # (and where it differs from vf's first day: a period that ends before it starts holds
        # from the first day of its end, as Claim.time_bounds says)
        vf = f["valid_from"]
        start = bounds(c)[0]
        if start is None:
            if vf is None:
                item["ud"] = 1
        elif vf is None or start.isoformat() != f"{vf.year:04d}-{vf.month or 1:02d}-{vf.day or 1:02d}":
            item["hf"] = hf = start.isoformat()
            held_from.add(hf)
        if f["asserted_by"]:
            item["by"] = [names.get(a) or (sources_by_id[a].publisher if a in sources_by_id else a)
                          for a in f["asserted_by"]]
        evs = []
        for ev in f["evidence"]:
            e = ev.__dict__
            if e["locator"] or e["paraphrase"]:
                evs.append([e["source"], 1 if e["effect"] is _CONTRADICTS else 0,
                            e["locator"] or "", e["paraphrase"] or ""])
            else:
                evs.append([e["source"], 1 if e["effect"] is _CONTRADICTS else 0])
        item["ev"] = evs
        if f["notes"]:
            item["n"] = f["notes"]
        if obj is not None and not use_python:
            key = (subject, obj) if subject < obj else (obj, subject)
            k = parallel[key]
            parallel[key] += 1
            side = (k % 2 == 1) != (subject > obj)  # the same side whatever the direction
            item["curve"] = ["curvedCW", "curvedCCW"][side]
            item["round"] = round(0.08 + 0.14 * ((k + 1) // 2), 2)
        append(item)

    sources = {
        s.id: {
            "title": s.title,
            "publisher": s.publisher,
            "date": str(s.published) if s.published else "",
            "url": s.safe_url,
            "shownUrl": s.url or "",
            "tier": s.tier.value,
            "lang": s.language,
        }
        for s in land.sources.values()
    }
    axes = [{**TIME_AXES[0], "stops": _stops(start_cache, end_cache, held_from)}]
    used_kinds = {e.kind for e in ents}
    used_stances = {p.stance for p in vocab.predicates.values()}
    return {
        "meta": {
            "title": title,
            "subtitle": subtitle,
            "layout": "python" if use_python else "physics",
            "entities": len(ents),
            "relations": len(relational),
            "valueClaims": len(claims) - len(relational),
            "claims": len(claims),
            "sources": len(sources),
            "large": bool(use_python),
            "view": view,
            "summary": summary,
            "top": top,
        },
        "time": {"axes": axes},
        "statuses": [{"name": s.value, **STATUS_STYLE[s.value]} for s in reversed(STATUS_ORDER)],
        "stances": stance_styles(vocab, used_stances),
        "kinds": kind_styles(vocab, used_kinds),
        "predicates": [{"name": p.name, "stance": p.stance, "sym": p.symmetric}
                       for p in vocab.predicates.values()],
        "nodes": nodes,
        "claims": out_claims,
        "sources": sources,
    }


def pack_page_data(data: dict[str, Any]) -> dict[str, Any]:
    """The page data with each repeated string written once: nodes, claims and sources as
    columns, and entity ids, predicates, statuses, dates, asserters and sources as indexes into
    tables (``packed: 1``; the page unpacks it into what :func:`page_data` gives unpacked).

    Columns: ``nodes`` {id, name, kind (index into ``kinds``), aliases, notes, size, x, y};
    ``claims`` {id, s, o (node index, -1: a value claim), p (predicate index), st (status
    index), t, l, v, n (text, ``""`` for none), sd, vf, vu, on, hf (index into ``dates``, -1:
    none), f (flags: 1 moves money, 2 undated), by (indexes into ``names``), ev ([source index,
    contradicts, locator, paraphrase])}; ``sources`` {id, title, publisher, date, url,
    shownUrl, tier, lang}.

    >>> from claimgraph import load
    >>> p = pack_page_data(page_data(load()))
    >>> p["claims"]["id"][0], p["nodes"]["id"][p["claims"]["s"][0]], p["predicates"][p["claims"]["p"][0]]["name"]
    ('ai4-launched-2023', 'ai4', 'REACHES_MILESTONE')
    """
    nodes, claims, sources = data["nodes"], data["claims"], data["sources"]
    node_index = {n["id"]: i for i, n in enumerate(nodes)}
    kind_index = {k["name"]: i for i, k in enumerate(data["kinds"])}
    pred_index = {p["name"]: i for i, p in enumerate(data["predicates"])}
    status_index = {s["name"]: i for i, s in enumerate(data["statuses"])}
    source_ids = list(sources)
    source_index = {k: i for i, k in enumerate(source_ids)}
    dates: dict[str, int] = {}
    names: dict[str, int] = {}

    def date(v: str | None) -> int:
        if v is None:
            return -1
        i = dates.get(v)
        if i is None:
            i = dates[v] = len(dates)
        return i

    def name(v: str) -> int:
        i = names.get(v)
        if i is None:
            i = names[v] = len(names)
        return i

    cols: dict[str, list] = {k: [] for k in ("id", "s", "o", "p", "st", "t", "l", "v", "n", "sd", "vf", "vu",
                                             "on", "hf", "f", "by", "ev")}
    for c in claims:
        get = c.get
        cols["id"].append(c["id"])
        cols["s"].append(node_index[c["s"]])
        o = get("o")
        cols["o"].append(-1 if o is None else node_index[o])
        cols["p"].append(pred_index[c["p"]])
        cols["st"].append(status_index[c["st"]])
        for k in ("t", "l", "v", "n"):
            cols[k].append(get(k) or "")
        for k in ("sd", "vf", "vu", "on", "hf"):
            cols[k].append(date(get(k)))
        cols["f"].append((1 if get("mm") else 0) | (2 if get("ud") else 0))
        cols["by"].append([name(b) for b in get("by", ())])
        cols["ev"].append([[source_index[e[0]], *e[1:]] if e[0] in source_index else e for e in c["ev"]])
    node_cols = {
        "id": [n["id"] for n in nodes], "name": [n["name"] for n in nodes],
        "kind": [kind_index[n["kind"]] for n in nodes], "aliases": [n["aliases"] for n in nodes],
        "notes": [n["notes"] for n in nodes], "size": [n["size"] for n in nodes],
    }
    if nodes and "x" in nodes[0]:
        node_cols["x"] = [n["x"] for n in nodes]
        node_cols["y"] = [n["y"] for n in nodes]
    src_cols = {"id": source_ids, **{k: [sources[i][k] for i in source_ids]
                                     for k in ("title", "publisher", "date", "url", "shownUrl", "tier", "lang")}}
    return {**data, "packed": 1, "nodes": node_cols, "claims": cols, "sources": src_cols,
            "dates": list(dates), "names": list(names)}


__all__ = ["page_data", "pack_page_data", "wants_summary", "SUMMARY_LIMIT_CLAIMS", "SUMMARY_LIMIT_ENTITIES",
           "SUMMARY_TOP", "PAGE_MODES", "script_json", "short_label", "influence", "moves_money", "money_rule", "view_fragment",
           "focus_view", "stance_styles", "kind_styles", "STATUS_STYLE", "TIME_AXES", "Status"]
