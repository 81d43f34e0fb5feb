"""The report's headline sections: which canned queries, about whom, under which titles.

A landscape may carry a report spec, ``report.yaml`` in the folder of its dataset files (the
bundled ``ai-chips`` does). Any other landscape, generated or imported, gets the default spec,
``claimgraph/viz/report.yaml``, whose sections choose their entity from the data (the entity the
most others depend on, the one with the most product generations). ``claimgraph report --focus
ENTITY`` makes ENTITY the entity of every section whose query takes one.

A spec is YAML::

    focus: tesla                    # optional: the entity of the sections that take one
    sections:                       # in order; each runs one canned query
      - query: dependencies         # a name from claimgraph query --list
        key: "{entity_id}-deps"     # the section's anchor in the page (default: the query name)
        title: "{entity}'s dependencies"
        explain: what the section shows, in a sentence
        empty: what it looked for, said when it finds nothing
        entity: tesla               # who the section is about (default: focus, else choose)
        choose: most-depended-on    # or pick the entity from the data (see CHOOSERS)
        params: {depth: 3}          # the query's other parameters
        sort: [-status, depth]      # order the rows by these row fields (-: descending)
        limit: 20                   # show at most this many rows (the lead counts them all)

In ``key``, ``title``, ``explain`` and ``empty``, ``{entity}`` is the section entity's name and
``{entity_id}`` its id. Every mistake is reported as ``report.yaml:LINE:COL: what to fix``.

>>> from claimgraph import load
>>> [s.key for s in plan_report(load())]
['frenemies', 'circular-deals', 'tesla-dependencies', 'contradictions', 'roadmap']
>>> [s.title for s in plan_report(load(), focus="Nvidia") if s.query == "roadmap"]
["Nvidia's roadmap against its claimed cadence"]
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ClaimgraphError, DatasetError, Origin, Problem
from ..queries import QUERIES, get_query
from ..queries._base import RANK

__all__ = ["Section", "ReportSpec", "Planned", "load_spec", "default_spec", "spec_for", "plan_report",
           "sort_rows", "CHOOSERS", "SPEC_FILE"]

#: the name of a landscape's report spec, beside its dataset files
SPEC_FILE = "report.yaml"

_TOP_KEYS = ("focus", "sections")
_SECTION_KEYS = ("query", "key", "title", "explain", "empty", "entity", "choose", "params", "sort", "limit")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_PLACEHOLDERS = ("entity", "entity_id")
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclasses.dataclass(frozen=True)
class Section:
    """One headline section as the spec gives it (placeholders not yet filled)."""

    query: str
    key: str | None = None
    title: str | None = None
    explain: str = ""
    empty: str = ""
    entity: str | None = None
    choose: str | None = None
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    sort: tuple[str, ...] = ()
    limit: int | None = None
    where: Origin | None = None
    entity_where: Origin | None = None
    param_where: dict[str, Origin] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class ReportSpec:
    """A report spec: its sections, the entity they default to, and the file it came from."""

    sections: tuple[Section, ...]
    focus: str | None = None
    path: str | None = None
    focus_where: Origin | None = None


@dataclasses.dataclass(frozen=True)
class Planned:
    """A section ready to run: the query, its parameters, and the words around its rows.

    ``unavailable`` is set (and ``params`` empty) when the section has nothing to run: the
    sentence says what it looked for. ``why`` says how the entity was chosen from the data.
    """

    key: str
    title: str
    query: str
    params: dict[str, Any]
    explain: str = ""
    empty: str = ""
    why: str = ""
    sort: tuple[str, ...] = ()
    limit: int | None = None
    unavailable: str = ""
    entity: str | None = None


# -- choosing an entity from the data ------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Choice:
    """What a chooser found: the entity (None: nothing fits), extra query parameters, and why
    (or, with no entity, what it looked for)."""

    entity: str | None
    why: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def most_depended_on(land) -> Choice:
    """The entity the most others depend on directly (as the dependencies query reads ties),
    preferring one that relies on something itself, so that its own dependencies show.

    >>> from claimgraph import load
    >>> most_depended_on(load()).entity
    'ai5'
    """
    from ..queries.dependencies import dependency_edges

    edges, _ = dependency_edges(land)
    dependents: dict[str, set[str]] = defaultdict(set)
    for y, ties in edges.items():
        for z, _, _ in ties:
            if z != y:
                dependents[z].add(y)
    if not dependents:
        return Choice(None, "it looked for an entity that others depend on (one they develop, use or are "
                            "built on, or one that makes, supplies, leases to, manufactures for or sells to them) "
                            "and found none")
    rank = lambda z: (-len(dependents[z]), z)  # noqa: E731
    top = min(dependents, key=rank)
    upstream = [z for z in dependents if edges.get(z)]
    best = min(upstream, key=rank) if upstream else top
    name = land.entities[best].name
    why = f"{name} is what the most others here depend on directly ({_n(len(dependents[best]), 'entity', 'entities')})"
    if best != top:
        why += (f", among those that rely on something themselves ({land.entities[top].name} has "
                f"{_n(len(dependents[top]), 'dependent')} and nothing upstream)")
    return Choice(best, why)


def most_generations(land) -> Choice:
    """The entity with the most product generations: what it develops (the vocabulary's
    ``generation`` role: DEVELOPS) that takes part in a succession chain (``succession``:
    SUCCEEDS), counted per kind (the roadmap then reads that kind); ties go to the entity
    that develops more of that kind, then to the smaller id.

    >>> from claimgraph import load
    >>> c = most_generations(load())
    >>> c.entity, c.params
    ('tesla', {'kinds': ['Chip']})
    """
    vocab = land.vocabulary
    preds = vocab.predicates
    gen, succ = set(vocab.role("generation")), set(vocab.role("succession"))
    if not gen or not succ:
        return Choice(None, "it looked for claims with the roadmap's generation and succession roles "
                            "(DEVELOPS, SUCCEEDS), which this landscape's vocabulary does not have")
    kinds = ({k for p in gen for k in preds[p].object or ()}
             & {k for p in succ for k in (*preds[p].subject, *(preds[p].object or ()))})
    ents = land.entities
    chained: set[str] = set()
    for c in land.claims.values():
        if c.predicate in succ and c.object is not None:
            chained.update((c.subject, c.object))
    developed: dict[tuple[str, str], set[str]] = defaultdict(set)
    for c in land.claims.values():
        if c.predicate in gen and c.object is not None and ents[c.object].kind in kinds:
            developed[(c.subject, ents[c.object].kind)].add(c.object)
    if not developed:
        words = sorted(k.lower() for k in kinds)
        words = ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else "".join(words)
        return Choice(None, f"it looked for an entity that develops a {words} (things that come in "
                            "generations) and found none")
    best = min(developed, key=lambda k: (-len(developed[k] & chained), -len(developed[k]), k))
    who, kind = best
    n, total = len(developed[best] & chained), len(developed[best])
    name = ents[who].name
    if n:
        why = f"{name} has the most generations here: {_n(n, kind)} in SUCCEEDS chains, of {total} it develops"
    else:
        why = f"no {kind} here succeeds another; {name} develops the most ({_n(total, kind)})"
    return Choice(who, why, {"kinds": [kind]})


def most_connected(land) -> Choice:
    """The entity in the most claims (as subject or object), then the smaller id.

    >>> from claimgraph import load
    >>> most_connected(load()).entity
    'tesla'
    """
    count = Counter()
    for c in land.claims.values():
        count[c.subject] += 1
        if c.object is not None and c.object != c.subject:
            count[c.object] += 1
    if not count:
        return Choice(None, "it looked for an entity with claims and found none")
    best = min(count, key=lambda e: (-count[e], e))
    return Choice(best, f"{land.entities[best].name} is in the most claims here ({count[best]})")


#: ``choose:`` names -> functions ``(landscape) -> Choice``
CHOOSERS: dict[str, Callable[[Any], Choice]] = {
    "most-depended-on": most_depended_on,
    "most-generations": most_generations,
    "most-connected": most_connected,
}


# -- reading a spec ------------------------------------------------------------------------------
def _hint(word: str, choices) -> str:
    match = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.5)
    return f": did you mean {match[0]!r}?" if match else f" (use {', '.join(choices)})"


def _entity_params(q) -> list:
    return [p for p in q.params if p.type == "entity"]


def load_spec(path: str | Path) -> ReportSpec:
    """Read and check a report spec; raise :class:`~claimgraph.errors.DatasetError` naming the
    file, line and column of every mistake.

    >>> spec = load_spec(default_spec().path)
    >>> [s.query for s in spec.sections][:2]
    ['frenemies', 'circular-deals']
    """
    from ..io.yaml_io import LocDict, LocList, read_located

    path = Path(path)
    doc, where, problems = read_located(path)
    name = str(path)
    if doc is None or not isinstance(doc, LocDict):
        raise DatasetError(problems + [Problem(Origin(name, 1, 1), "a report spec is a mapping with a sections: list "
                                                                   "(and optionally focus: ENTITY)")])
    def key_at(mapping, k) -> Origin:  # where a key (not its value) is
        mark = mapping.key_marks.get(k)
        return Origin(name, mark.line + 1, mark.column + 1) if mark else Origin(name)

    for k in doc:
        if k not in _TOP_KEYS:
            problems.append(Problem(key_at(doc, k), f"unknown key {k!r}{_hint(k, _TOP_KEYS)}"))
    focus = doc.get("focus")
    if focus is not None and (not isinstance(focus, str) or not focus.strip()):
        problems.append(Problem(where(("focus",)), "focus must be an entity id, name or alias"))
        focus = None
    items = doc.get("sections")
    sections: list[Section] = []
    if not isinstance(items, LocList) or not items:
        if "sections" in doc or not problems:  # (a misspelt sections: is one mistake, said once)
            at = where(("sections",)) if "sections" in doc else Origin(name, 1, 1)
            problems.append(Problem(at, "sections must be a list of sections, each starting with '- query: NAME'"))
        items = []
    keys: dict[str, Origin] = {}
    for i, item in enumerate(items):
        sec, found = _section(item, lambda *p, i=i: where(("sections", i, *p)), key_at, LocDict)
        problems += found
        if sec is None:
            continue
        key = sec.key or sec.query
        if key in keys:
            problems.append(Problem(sec.where, f"a second section with key {key!r} (first at line {keys[key].line}): "
                                               "give each section its own key:"))
        keys.setdefault(key, sec.where)
        sections.append(sec)
    if problems:
        raise DatasetError(problems)
    return ReportSpec(tuple(sections), focus=focus.strip() if focus else None, path=name,
                      focus_where=where(("focus",)) if focus else None)


def _section(item, where, key_at, LocDict) -> tuple[Section | None, list[Problem]]:
    problems: list[Problem] = []
    if not isinstance(item, LocDict):
        return None, [Problem(where(), "a section is a mapping: - query: NAME, then title:, entity: ... as needed")]
    for k in item:
        if k not in _SECTION_KEYS:
            problems.append(Problem(key_at(item, k), f"unknown key {k!r}{_hint(k, _SECTION_KEYS)}"))
    name = item.get("query")
    if not isinstance(name, str) or not name:
        return None, problems + [Problem(where("query") if "query" in item else where(),
                                         "a section needs query: NAME (see claimgraph query --list)")]
    try:
        q = get_query(name)
    except ClaimgraphError as exc:
        return None, problems + [Problem(where("query"), str(exc))]
    takes_entity = bool(_entity_params(q))

    def text(k: str) -> str | None:
        v = item.get(k)
        if v is None:
            return None
        if not isinstance(v, str):
            problems.append(Problem(where(k), f"{k} must be text"))
            return None
        for ph in _PLACEHOLDER.findall(v):
            if ph not in _PLACEHOLDERS:
                problems.append(Problem(where(k), f"unknown placeholder {{{ph}}} in {k}: use {{entity}} (its name) "
                                                  "or {entity_id} (its id)"))
            elif not takes_entity:
                problems.append(Problem(where(k), f"{{{ph}}} in {k}, but query {q.name} is about no entity"))
        return v

    key, title, explain, empty = text("key"), text("title"), text("explain"), text("empty")
    if key is not None and not _KEY.fullmatch(_PLACEHOLDER.sub("x", key)):
        problems.append(Problem(where("key"), "key must be letters, digits, '-', '_' or '.' (it is the section's "
                                              "anchor in the page)"))
    entity, choose = text("entity"), item.get("choose")
    if (entity is not None or choose is not None) and not takes_entity:
        problems.append(Problem(where("entity" if entity is not None else "choose"),
                                f"query {q.name} is about no entity: remove entity: and choose:"))
    if choose is not None and (not isinstance(choose, str) or choose not in CHOOSERS):
        problems.append(Problem(where("choose"), f"unknown chooser {choose!r}{_hint(choose, CHOOSERS)}"))
        choose = None
    params: dict[str, Any] = {}
    param_where: dict[str, Origin] = {}
    raw = item.get("params")
    if raw is not None and not isinstance(raw, LocDict):
        problems.append(Problem(where("params"), "params must be a mapping, e.g. params: {depth: 2}"))
    for k, v in (raw or {}).items() if isinstance(raw, LocDict) else ():
        p = q.param(k)
        if p is None:
            names = [x.name for x in q.params]
            problems.append(Problem(key_at(raw, k), f"query {q.name} has no parameter {k!r}"
                                    + (_hint(k, names) if names else " (it takes none)")))
            continue
        try:
            params[k] = p.coerce(v)
        except ClaimgraphError as exc:
            problems.append(Problem(where("params", k), str(exc)))
            continue
        param_where[k] = where("params", k)
    sort = item.get("sort")
    fields = q.row.columns()
    if sort is None:
        sort = []
    elif isinstance(sort, str):
        sort = [sort]
    elif not isinstance(sort, list):
        problems.append(Problem(where("sort"), "sort must be a list of row fields, e.g. sort: [-status, name]"))
        sort = []
    for f in sort:
        if not isinstance(f, str) or f.lstrip("-") not in fields:
            problems.append(Problem(where("sort"), f"cannot sort {q.name} rows by {f!r}{_hint(str(f).lstrip('-'), fields)}"))
    limit = item.get("limit")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        problems.append(Problem(where("limit"), "limit must be a whole number of rows, 1 or more"))
        limit = None
    return Section(query=q.name, key=key, title=title, explain=explain or "", empty=empty or "",
                   entity=entity, choose=choose, params=params, sort=tuple(sort), limit=limit,
                   where=where(), entity_where=where("entity") if entity else None,
                   param_where=param_where), problems


def default_spec() -> ReportSpec:
    """The spec of a landscape without a ``report.yaml`` of its own (``claimgraph/viz/report.yaml``).

    >>> [s.choose for s in default_spec().sections if s.choose]
    ['most-depended-on', 'most-generations']
    """
    return load_spec(Path(str(resources.files("claimgraph.viz").joinpath(SPEC_FILE))))


def spec_for(land) -> ReportSpec:
    """The report spec of ``land``: the ``report.yaml`` in the folder of its first dataset file
    that has one, else :func:`default_spec`.

    >>> from claimgraph import load
    >>> from claimgraph.synth import generate
    >>> Path(spec_for(load()).path).parent.name
    'ai-chips'
    >>> spec_for(generate(30, 40)).path == default_spec().path
    True
    """
    folders = dict.fromkeys(Path(o.file).parent for o in getattr(land, "origins", {}).values())
    for folder in folders:
        candidate = folder / SPEC_FILE
        if candidate.is_file():
            return load_spec(candidate)
    return default_spec()


# -- planning the sections -----------------------------------------------------------------------
def _fill(text: str, entity) -> str:
    """``text`` with ``{entity}`` and ``{entity_id}`` filled in; with no entity, "the entity"
    (a section that found no entity to be about says so in its lead)."""
    names = {"entity": entity.name, "entity_id": entity.id} if entity is not None else {"entity": "the entity"}
    out = _PLACEHOLDER.sub(lambda m: names.get(m.group(1), m.group(0)), text)
    return out[:1].upper() + out[1:] if entity is None and text.startswith("{") else out


def plan_report(land, spec: ReportSpec | None = None, *, focus: str | None = None) -> list[Planned]:
    """The headline sections of ``land``'s report, ready to run: ``spec`` (default:
    :func:`spec_for`), with ``focus`` (an entity id, name or alias) as the entity of every
    section whose query takes one.

    Raises :class:`~claimgraph.errors.ClaimgraphError` for an unknown ``focus``, and
    :class:`~claimgraph.errors.DatasetError` (located in the spec) for a spec entity that is not
    in the landscape.

    >>> from claimgraph.synth import generate
    >>> plan = plan_report(generate(200, 1000, seed=0))
    >>> [(s.query, s.entity is not None) for s in plan if s.entity or s.unavailable]
    [('dependencies', True), ('roadmap', True)]
    """
    spec = spec or spec_for(land)
    focus_id = land.resolve(focus) if focus else None
    problems: list[Problem] = []

    def resolve(ref: str, at: Origin | None) -> str | None:
        found = land.find(ref)
        if len(found) == 1:
            return found[0].id
        what = (f"{ref!r} names {', '.join(e.id for e in found)}: use an id" if found
                else f"entity {ref!r} is not in this landscape: name one of its entities (id, name or alias), "
                     "or remove it to choose from the data")
        problems.append(Problem(at, what))
        return None

    spec_focus = resolve(spec.focus, spec.focus_where) if spec.focus and not focus_id else None
    out: list[Planned] = []
    for sec in spec.sections:
        q = QUERIES[sec.query]
        params = dict(sec.params)
        for k, v in sec.params.items():
            if q.param(k).type == "entity":
                params[k] = resolve(v, sec.param_where.get(k))
        open_entity = next((p for p in _entity_params(q) if p.name not in params), None)
        entity_id, why, unavailable = None, "", ""
        if open_entity is not None:
            if focus_id:
                entity_id = focus_id
            elif sec.entity:
                entity_id = resolve(sec.entity, sec.entity_where)
            elif spec_focus:
                entity_id = spec_focus
            elif sec.choose:
                choice = CHOOSERS[sec.choose](land)
                entity_id, why = choice.entity, choice.why
                if entity_id is None:
                    unavailable = f"Nothing to show: {why}."
                    why = ""
                else:
                    params.update({k: v for k, v in choice.params.items() if q.param(k) and k not in sec.params})
            else:
                problems.append(Problem(sec.where, f"section {sec.key or sec.query} needs an entity: give entity: "
                                                   f"ENTITY or choose: ({', '.join(CHOOSERS)}), or run claimgraph "
                                                   "report --focus ENTITY"))
                continue
            if entity_id is not None:
                params[open_entity.name] = entity_id
        ent = land.entities.get(entity_id) if entity_id else None
        key = sec.key or sec.query
        if "{" in key:  # an anchor named after the entity; without one, the query's name
            key = _fill(key, ent) if ent is not None else sec.query
        out.append(Planned(
            key=key, title=_fill(sec.title or q.summary.rstrip("."), ent), query=q.name,
            params={} if unavailable else params, explain=_fill(sec.explain, ent),
            empty=_fill(sec.empty, ent) if sec.empty else _looked_for(q, ent), why=why, sort=sec.sort,
            limit=sec.limit, unavailable=unavailable, entity=entity_id,
        ))
    if problems:
        raise DatasetError([Problem(p.origin or Origin(spec.path or SPEC_FILE), p.message) for p in problems])
    return out


def _looked_for(q, ent) -> str:
    summary = q.summary
    if ent is not None:
        summary = summary.replace("ENTITY", ent.name)
    return f"It looked for: {summary[:1].lower() + summary[1:]}"


# -- ordering rows -------------------------------------------------------------------------------
def sort_rows(rows: list, fields: tuple[str, ...] | list[str]) -> list:
    """``rows`` ordered by row ``fields`` (``-name``: descending), most significant first. A
    field whose values are all statuses orders by strength (refuted < ... < confirmed), a list
    by its length, text case-folded; empty values go last either way. The sort is stable.

    >>> from claimgraph.queries.dependencies import DependencyRow
    >>> rows = [DependencyRow(depth=d, dependent="a", dependent_name="A", predicate="USES", relation="uses",
    ...         dependency=x, dependency_name=x, dependency_kind="Chip", makers=[], single_source=False,
    ...         status=s, followed=False, spans=[]) for d, x, s in [(1, "b", "claimed"), (2, "c", "confirmed"), (1, "d", "confirmed")]]
    >>> [r.dependency for r in sort_rows(rows, ["-status", "depth"])]
    ['d', 'c', 'b']
    """
    out = list(rows)
    for f in reversed(list(fields)):
        desc = f.startswith("-")
        name = f.lstrip("-")
        values = [getattr(r, name, None) for r in out]
        present = [v for v in values if v is not None]
        statuses = bool(present) and all(isinstance(v, str) and v in RANK for v in present)

        def key(v, statuses=statuses):
            if statuses:
                return RANK[v]
            if isinstance(v, list | tuple | set | dict):
                return len(v)
            if isinstance(v, bool | int | float):
                return v
            return str(v).casefold()

        known = [(key(v), i) for i, v in enumerate(values) if v is not None]
        try:
            known.sort(key=lambda k: k[0], reverse=desc)
        except TypeError:  # values of mixed types: order them as text
            known = sorted(((str(values[i]).casefold(), i) for _, i in known), key=lambda k: k[0], reverse=desc)
        order = [i for _, i in known] + [i for i, v in enumerate(values) if v is None]
        out = [out[i] for i in order]
    return out
