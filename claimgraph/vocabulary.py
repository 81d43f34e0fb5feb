"""The vocabulary: stances, entity kinds, units, qualifiers and relation types, read from
``vocabulary.yaml``, and the roles the queries, the page and Neo4j read instead of names.

The code here is generic: it knows nothing about particular predicates, kinds or stances. Adding
a relation type is a change to the YAML file only, and a dataset may extend the built-in
vocabulary with a file of the same format (:meth:`Vocabulary.extend_file`, :func:`vocabulary_from`).

>>> vocab = default_vocabulary()
>>> vocab.predicates["COMPETES_WITH"].symmetric
True
>>> vocab.predicates["INVESTS_IN"].stance
'financial'
>>> vocab.role("money")["MANUFACTURES_FOR"]
{'payer': 'object', 'amount': 'amount'}
>>> vocab.kinds_with_role("vehicle")
('Fund',)
>>> vocab.kinds["Chip"].shape, vocab.stances["competitive"].color
('square', '#d32f2f')
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import DatasetError, Origin, Problem
from .values import PartialDate, Quantity

VALUE_TYPES = ("quantity", "date", "text", "any")
QUALIFIER_TYPES = ("quantity", "entity", "text", "date", "choice")
SIDES = ("subject", "object")
#: node shapes both the page (vis-network) and the static plot (matplotlib markers) draw
SHAPES = ("dot", "diamond", "square", "triangle", "triangleDown", "hexagon", "star")
#: the sections of a vocabulary file, in the order they are read
SECTIONS = ("stances", "kinds", "dimensions", "qualifiers", "predicates")
_SINGULAR = {"stances": "stance", "kinds": "kind", "dimensions": "dimension", "qualifiers": "qualifier",
             "predicates": "predicate"}
#: drawn for a stance or kind that names no colour
FALLBACK_COLOR = "#888888"
_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class _Option:
    """What one option of a role takes: ``side`` (subject | object), ``qualifier`` (one of the
    predicate's qualifiers, of ``qtype`` / ``dimension`` when given), ``product`` (``object`` or
    an entity qualifier), ``text``, ``kinds`` (a list of kinds), ``flag`` (true or false) or
    ``values`` (a list of the values of the choice qualifier the role's ``stage`` option names)."""

    kind: str
    required: bool = True
    qtype: str | None = None
    dimension: str | None = None


#: the roles a predicate may play, read by the canned queries: role -> option -> what it takes.
PREDICATE_ROLES: dict[str, dict[str, _Option]] = {
    "money": {"payer": _Option("side"), "amount": _Option("qualifier", qtype="quantity", dimension="currency")},
    "investment": {"investor": _Option("side")},
    "purchase": {"buyer": _Option("side")},
    "vehicle": {"owner": _Option("side")},
    "vendor_equity": {"vendor": _Option("side"), "instrument": _Option("qualifier", required=False)},
    # follow: the upstream end's own dependencies are followed in turn (what a product uses, is
    # built on, who makes it); without it the chain ends there (a supplier's other products are
    # its catalogue, not the dependent's)
    "dependency": {"upstream": _Option("side"), "relation": _Option("text"), "follow": _Option("flag", required=False)},
    # own: how a dependencies row of the maker itself reads (MAKES: "makes"): what it makes is its
    # own product, whose dependencies are followed like those of what it develops
    "maker": {"product": _Option("product"), "own": _Option("text", required=False)},
    "group": {"leader": _Option("side"), "members": _Option("kinds")},
    "generation": {},  # the subject develops the object, a generation (so the Cypher twin's pattern is directed)
    "succession": {},  # the subject succeeds the object
    "milestone": {"stage": _Option("qualifier"), "ends": _Option("values", required=False)},
    "cadence": {},
}
#: roles that need a directed predicate with an object entity (besides those with a side option)
ROLE_OBJECTS = ("generation", "succession")
#: roles that need a value claim of this type (and dimension)
ROLE_VALUES = {"milestone": ("date", None), "cadence": ("quantity", "duration")}
#: the roles of kinds, stances and qualifiers: role -> what it means
KIND_ROLES = {"product": "its makers are listed (dependencies)",
              "vehicle": "a vehicle owned through a vehicle-role claim (circular-deals)",
              "generation": "a product generation by default (roadmap)"}
STANCE_ROLES = {"tie": "a tie in frenemies", "rivalry": "competition in frenemies"}
QUALIFIER_ROLES = {"deal": "names which deal a money claim is about (money)",
                   "total": "marks a money claim's figure as a running total (money)",
                   "money": "taken by every predicate with the money role",
                   "measure": "what a value claim measures (contradictions, audit)"}

_FIELDS = {
    "stances": ("label", "color", "doc", "roles"),
    "kinds": ("label", "color", "shape", "doc", "roles"),
    "qualifiers": ("type", "dimension", "kinds", "values", "doc", "roles"),
    "predicates": ("stance", "direction", "subject", "object", "value", "dimension", "qualifiers",
                   "required", "label", "doc", "roles"),
}


@dataclass(frozen=True)
class Stance:
    name: str
    label: str
    color: str
    doc: str = ""
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    color: str
    shape: str
    doc: str = ""
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Qualifier:
    name: str
    type: str
    dimension: str | None = None
    kinds: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    doc: str = ""
    roles: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Predicate:
    name: str
    stance: str
    direction: str
    subject: tuple[str, ...]
    object: tuple[str, ...] = ()
    value: str | None = None
    dimension: str | None = None
    qualifiers: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    label: str = ""
    roles: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def symmetric(self) -> bool:
        return self.direction == "symmetric"

    @property
    def takes_value(self) -> bool:
        return self.value is not None


class _Bad(Exception):
    """A problem at ``path`` (section, entry, field ...) of the vocabulary data."""

    def __init__(self, path: tuple, message: str):
        super().__init__(message)
        self.path, self.message = path, message


def _fail(path: tuple, message: str):
    raise _Bad(path, message)


def _hint(word: Any, choices) -> str:
    match = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f": did you mean {match[0]!r}?" if match else ""


def _entry(section: str, name: str) -> str:
    return f"{_SINGULAR[section]} {name}"


# -- reading: raw data -> normalized entries -----------------------------------------------------
def _text(v: Any, path: tuple, what: str) -> str:
    if not isinstance(v, str) or not v.strip():
        _fail(path, f"{what} must be non-empty text")
    return v.strip()


def _names(v: Any, path: tuple, what: str) -> list[str]:
    if v is None:
        return []
    if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
        _fail(path, f"{what} must be a list of names")
    return list(v)


def _roles_list(v: Any, path: tuple, allowed: dict[str, str], what: str) -> list[str]:
    roles = _names(v, path, f"{what} roles")
    for r in roles:
        if r not in allowed:
            _fail(path, f"{what}: unknown role {r!r}{_hint(r, allowed)} (roles: {', '.join(allowed)})")
    return roles


def _mapping(v: Any, path: tuple, what: str) -> dict:
    if v is None:
        return {}
    if not isinstance(v, dict):
        _fail(path, f"{what} must be a mapping")
    return v


def _check_fields(entry: dict, section: str, name: str) -> None:
    for key in entry:
        if key not in _FIELDS[section]:
            _fail((section, name, key), f"{_entry(section, name)}: unknown field {key!r}{_hint(key, _FIELDS[section])} "
                                         f"(fields: {', '.join(_FIELDS[section])})")


def _normalize(data: Any) -> dict[str, dict]:
    """The sections of vocabulary data with every entry in one plain form (defaults filled in),
    so that two definitions of an entry compare equal exactly when they mean the same."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        _fail((), "a vocabulary is a mapping with stances, kinds, dimensions, qualifiers and predicates")
    for key in data:
        if key not in (*SECTIONS, "version"):
            _fail((key,), f"unknown section {key!r}{_hint(key, SECTIONS)} (sections: version, {', '.join(SECTIONS)})")
    if data.get("version", 1) != 1:
        _fail(("version",), f"version {data.get('version')!r} is not supported: use version: 1")
    out: dict[str, dict] = {s: {} for s in SECTIONS}
    for name, v in _mapping(data.get("stances"), ("stances",), "stances").items():
        p = ("stances", name)
        v = {"doc": v} if isinstance(v, str) else _mapping(v, p, _entry("stances", name))
        _check_fields(v, "stances", name)
        out["stances"][name] = {
            "label": _text(v.get("label", name), p + ("label",), f"stance {name}: label"),
            "color": _color(v.get("color", FALLBACK_COLOR), p + ("color",), f"stance {name}"),
            "doc": str(v.get("doc") or ""),
            "roles": _roles_list(v.get("roles"), p + ("roles",), STANCE_ROLES, f"stance {name}"),
        }
    for name, v in _mapping(data.get("kinds"), ("kinds",), "kinds").items():
        p = ("kinds", name)
        v = {"doc": v} if isinstance(v, str) else _mapping(v, p, _entry("kinds", name))
        _check_fields(v, "kinds", name)
        shape = v.get("shape", "dot")
        if shape not in SHAPES:
            _fail(p + ("shape",), f"kind {name}: shape {shape!r} is not one of {', '.join(SHAPES)}{_hint(shape, SHAPES)}")
        out["kinds"][name] = {
            "label": _text(v.get("label", name), p + ("label",), f"kind {name}: label"),
            "color": _color(v.get("color", FALLBACK_COLOR), p + ("color",), f"kind {name}"),
            "shape": shape,
            "doc": str(v.get("doc") or ""),
            "roles": _roles_list(v.get("roles"), p + ("roles",), KIND_ROLES, f"kind {name}"),
        }
    for name, v in _mapping(data.get("dimensions"), ("dimensions",), "dimensions").items():
        units = _names(v, ("dimensions", name), f"dimension {name}")
        if name == "currency":
            for i, u in enumerate(units):
                if not _CURRENCY_RE.match(u):
                    _fail(("dimensions", name, i), f"currency {u!r} must be three capital letters (GBP, CHF)")
        out["dimensions"][name] = units
    for name, v in _mapping(data.get("qualifiers"), ("qualifiers",), "qualifiers").items():
        p = ("qualifiers", name)
        v = _mapping(v, p, _entry("qualifiers", name))
        _check_fields(v, "qualifiers", name)
        if v.get("type") not in QUALIFIER_TYPES:
            _fail(p + ("type",), f"qualifier {name}: type must be one of {', '.join(QUALIFIER_TYPES)}{_hint(v.get('type'), QUALIFIER_TYPES)}")
        q = {"type": v["type"], "dimension": v.get("dimension"),
             "kinds": _names(v.get("kinds"), p + ("kinds",), f"qualifier {name} kinds"),
             "values": [str(x) for x in _names(v.get("values"), p + ("values",), f"qualifier {name} values")],
             "doc": str(v.get("doc") or ""),
             "roles": _roles_list(v.get("roles"), p + ("roles",), QUALIFIER_ROLES, f"qualifier {name}")}
        if q["type"] == "choice" and not q["values"]:
            _fail(p, f"qualifier {name}: a choice needs its values: [...]")
        out["qualifiers"][name] = q
    for name, v in _mapping(data.get("predicates"), ("predicates",), "predicates").items():
        p = ("predicates", name)
        if not isinstance(name, str) or not name.isupper() or not name.replace("_", "").isalnum():
            _fail(p, f"predicate {name}: names are UPPER_SNAKE_CASE (they become Neo4j types)")
        v = _mapping(v, p, _entry("predicates", name))
        _check_fields(v, "predicates", name)
        if v.get("direction") not in ("directed", "symmetric"):
            _fail(p + ("direction",), f"predicate {name}: direction must be directed or symmetric")
        if bool(v.get("object")) == bool(v.get("value")):
            _fail(p, f"predicate {name}: give exactly one of object (kinds) or value (type)")
        if v.get("value") and v["value"] not in VALUE_TYPES:
            _fail(p + ("value",), f"predicate {name}: value must be one of {', '.join(VALUE_TYPES)}")
        roles = {}
        for role, opts in _mapping(v.get("roles"), p + ("roles",), f"predicate {name} roles").items():
            if role not in PREDICATE_ROLES:
                _fail(p + ("roles", role), f"predicate {name}: unknown role {role!r}{_hint(role, PREDICATE_ROLES)} "
                                           f"(roles: {', '.join(PREDICATE_ROLES)})")
            if opts is True:
                opts = {}
            roles[role] = dict(_mapping(opts, p + ("roles", role), f"predicate {name} role {role}"))
        pred = {"stance": v.get("stance"), "direction": v["direction"],
                "subject": _names(v.get("subject"), p + ("subject",), f"predicate {name} subject"),
                "qualifiers": _names(v.get("qualifiers"), p + ("qualifiers",), f"predicate {name} qualifiers"),
                "required": _names(v.get("required"), p + ("required",), f"predicate {name} required"),
                "label": str(v.get("label") or ""), "doc": str(v.get("doc") or ""), "roles": roles}
        if v.get("object"):
            pred["object"] = _names(v.get("object"), p + ("object",), f"predicate {name} object")
        else:
            pred["value"] = v["value"]
        if v.get("dimension"):
            pred["dimension"] = v["dimension"]
        out["predicates"][name] = pred
    return out


def _color(v: Any, path: tuple, what: str) -> str:
    if not isinstance(v, str) or not _COLOR_RE.match(v):
        _fail(path, f"{what}: color {v!r} must be #rrggbb (e.g. \"#4e79a7\")")
    return v.lower()


# -- checking references and building ------------------------------------------------------------
def _check_refs(raw: dict[str, dict]) -> None:
    """Every name an entry uses is defined; every role fits its predicate."""
    kinds, dims, quals, stances = raw["kinds"], raw["dimensions"], raw["qualifiers"], raw["stances"]
    seen_units: dict[str, str] = {}
    for d, units in dims.items():
        for i, u in enumerate(units):
            if u in seen_units and seen_units[u] != d:
                _fail(("dimensions", d, i), f"unit {u!r} is in two dimensions ({seen_units[u]} and {d})")
            seen_units[u] = d
    for name, q in quals.items():
        p = ("qualifiers", name)
        if q["dimension"] and q["dimension"] not in dims:
            _fail(p + ("dimension",), f"qualifier {name}: unknown dimension {q['dimension']}{_hint(q['dimension'], dims)}")
        for k in q["kinds"]:
            if k not in kinds:
                _fail(p + ("kinds",), f"qualifier {name}: unknown kind {k}{_hint(k, kinds)}")
    for name, pr in raw["predicates"].items():
        p = ("predicates", name)
        if pr["stance"] not in stances:
            _fail(p + ("stance",), f"predicate {name}: stance must be one of {', '.join(stances)}{_hint(pr['stance'], stances)}")
        for where in ("subject", "object"):
            for k in pr.get(where, []):
                if k not in kinds:
                    _fail(p + (where,), f"predicate {name}: unknown kind {k}{_hint(k, kinds)}")
        for where in ("qualifiers", "required"):
            for qn in pr[where]:
                if qn not in quals:
                    _fail(p + (where,), f"predicate {name}: unknown qualifier {qn}{_hint(qn, quals)}")
        if pr.get("dimension") and pr["dimension"] not in dims:
            _fail(p + ("dimension",), f"predicate {name}: unknown dimension {pr['dimension']}")
        for role, opts in pr["roles"].items():
            _check_role(name, pr, role, opts, quals, kinds)


def _check_role(name: str, pr: dict, role: str, opts: dict, quals: dict, kinds: dict) -> None:
    p = ("predicates", name, "roles", role)
    what = f"predicate {name}: role {role}"
    spec = PREDICATE_ROLES[role]
    for key in opts:
        if key not in spec:
            _fail(p + (key,), f"{what}: unknown option {key!r}{_hint(key, spec)}"
                              + (f" (options: {', '.join(spec)})" if spec else " (it takes none: write {})"))
    directed = role in ROLE_OBJECTS or any(o.kind == "side" for o in spec.values())
    if (directed or any(o.kind == "product" for o in spec.values())) and "object" not in pr:
        _fail(p, f"{what} needs a predicate with an object entity, not a value")
    if directed and pr["direction"] == "symmetric":
        _fail(p, f"{what} needs a directed predicate: a symmetric one has no sides")
    if role == "maker" and "own" in opts and opts.get("product") != "object":
        _fail(p + ("own",), f"{what}: own needs product: object (the maker's own product is the claim's object)")
    if role in ROLE_VALUES:
        vtype, dim = ROLE_VALUES[role]
        if pr.get("value") != vtype or (dim and pr.get("dimension") != dim):
            _fail(p, f"{what} needs a value claim of type {vtype}" + (f" with dimension {dim}" if dim else ""))
    for key, o in spec.items():
        if key not in opts:
            if o.required:
                _fail(p, f"{what} needs option {key}")
            continue
        v = opts[key]
        if o.kind == "side":
            if v not in SIDES:
                _fail(p + (key,), f"{what}: {key} must be subject or object, not {v!r}")
        elif o.kind == "text":
            _text(v, p + (key,), f"{what}: {key}")
        elif o.kind == "flag":
            if not isinstance(v, bool):
                _fail(p + (key,), f"{what}: {key} must be true or false, not {v!r}")
        elif o.kind == "kinds":
            for k in _names(v, p + (key,), f"{what}: {key}"):
                if k not in kinds:
                    _fail(p + (key,), f"{what}: unknown kind {k}{_hint(k, kinds)}")
        elif o.kind == "values":
            stage = quals.get(opts.get("stage"), {})
            allowed = stage.get("values") or ()
            for x in _names(v, p + (key,), f"{what}: {key}"):
                if x not in allowed:
                    _fail(p + (key,), f"{what}: {key} lists {x!r}, not a value of qualifier {opts.get('stage')}"
                                      f"{_hint(x, allowed)} (values: {', '.join(allowed) or 'it has none'})")
        else:  # qualifier or product
            if o.kind == "product" and v == "object":
                continue
            if v not in pr["qualifiers"]:
                alt = "object or " if o.kind == "product" else ""
                _fail(p + (key,), f"{what}: {key} must be {alt}one of the predicate's qualifiers "
                                  f"({', '.join(pr['qualifiers']) or 'it has none'}), not {v!r}")
            q = quals[v]
            qtype = "entity" if o.kind == "product" else o.qtype
            if qtype and q["type"] != qtype or o.dimension and q["dimension"] != o.dimension:
                _fail(p + (key,), f"{what}: qualifier {v} must be of type {qtype}"
                                  + (f" with dimension {o.dimension}" if o.dimension else ""))


def _qualifiers_of(pred: dict, for_money: tuple[str, ...]) -> tuple[str, ...]:
    """The qualifiers a predicate takes: those it lists, and for a predicate with the money role
    also ``for_money`` (the qualifiers with the money role), so any money claim can say which
    deal it is about or that its figure is a running total.

    >>> _qualifiers_of({"qualifiers": ["amount"], "roles": {"money": {}}}, ("deal", "cumulative"))
    ('amount', 'deal', 'cumulative')
    >>> _qualifiers_of({"qualifiers": ["amount"], "roles": {}}, ("deal", "cumulative"))
    ('amount',)
    """
    listed = tuple(pred["qualifiers"])
    if "money" not in pred["roles"]:
        return listed
    return listed + tuple(q for q in for_money if q not in listed)


def _build(raw: dict[str, dict], origins: dict[tuple[str, str], str]) -> Vocabulary:
    _check_refs(raw)
    stances = {n: Stance(n, s["label"], s["color"], s["doc"], tuple(s["roles"])) for n, s in raw["stances"].items()}
    kinds = {n: Kind(n, k["label"], k["color"], k["shape"], k["doc"], tuple(k["roles"])) for n, k in raw["kinds"].items()}
    quals = {n: Qualifier(name=n, type=q["type"], dimension=q["dimension"], kinds=tuple(q["kinds"]),
                          values=tuple(q["values"]), doc=q["doc"], roles=tuple(q["roles"]))
             for n, q in raw["qualifiers"].items()}
    # every money predicate takes the qualifiers with the money role (deal, cumulative), listed or not
    for_money = tuple(n for n, q in quals.items() if "money" in q.roles)
    preds = {n: Predicate(name=n, stance=p["stance"], direction=p["direction"], subject=tuple(p["subject"]),
                          object=tuple(p.get("object", ())), value=p.get("value"), dimension=p.get("dimension"),
                          qualifiers=_qualifiers_of(p, for_money), required=tuple(p["required"]), label=p["label"],
                          roles={r: dict(o) for r, o in p["roles"].items()})
             for n, p in raw["predicates"].items()}
    vocab = Vocabulary(kinds=kinds, dimensions={d: tuple(u) for d, u in raw["dimensions"].items()},
                       qualifiers=quals, predicates=preds, stances=stances)
    vocab._raw, vocab._origins = raw, origins
    return vocab


# -- locating problems in a file -----------------------------------------------------------------
def _mark_of(text: str, path: tuple):
    """The YAML mark (line, column) of the deepest part of ``path`` found in ``text``."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    mark = node.start_mark if node is not None else None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == str(part):
                    mark, node = k.start_mark, v
                    break
            else:
                return mark
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            mark = node.start_mark
        else:
            return mark
    return mark


def _problem(where: str, text: str | None, bad: _Bad) -> DatasetError:
    mark = _mark_of(text, bad.path) if text else None
    if mark is not None:
        origin = Origin(where, mark.line + 1, mark.column + 1)
        return DatasetError([Problem(origin, bad.message)])
    return DatasetError([Problem(Origin(where), bad.message)])


def _duplicates(node, loader_file: str) -> None:
    """Duplicate keys (PyYAML keeps the last one silently) are problems, as in datasets."""
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, yaml.MappingNode):
            seen: dict[str, Any] = {}
            for k, v in n.value:
                if isinstance(k, yaml.ScalarNode) and k.value in seen:
                    first = seen[k.value]
                    raise DatasetError([Problem(Origin(loader_file, k.start_mark.line + 1, k.start_mark.column + 1),
                                                f"duplicate key {k.value!r} (first at line {first.line + 1}): keep one")])
                seen[getattr(k, "value", None)] = k.start_mark
                todo.append(v)
        elif isinstance(n, yaml.SequenceNode):
            todo.extend(n.value)


def _read_file(path: str | Path) -> tuple[Any, str]:
    path = Path(path)
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DatasetError([Problem(Origin(where), "no such vocabulary file (give a YAML file in the format of claimgraph/vocabulary.yaml)")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError([Problem(Origin(where), f"cannot read the vocabulary: {getattr(exc, 'strerror', None) or exc}")]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        m = exc.problem_mark or exc.context_mark
        origin = Origin(where, m.line + 1, m.column + 1) if m else Origin(where)
        raise DatasetError([Problem(origin, f"YAML syntax error: {exc.problem or exc}")]) from None
    except yaml.YAMLError as exc:
        raise DatasetError([Problem(Origin(where), f"YAML error: {exc}")]) from None
    if node is None:
        return {}, text
    _duplicates(node, where)
    return yaml.safe_load(text), text


# -- the vocabulary ------------------------------------------------------------------------------
@dataclass(eq=False)
class Vocabulary:
    kinds: dict[str, Kind]
    dimensions: dict[str, tuple[str, ...]]
    qualifiers: dict[str, Qualifier]
    predicates: dict[str, Predicate]
    stances: dict[str, Stance] = field(default_factory=dict)
    version: int = 1
    _unit_dim: dict[str, str] = field(default_factory=dict, repr=False)
    _raw: dict = field(default_factory=dict, repr=False)
    _origins: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._unit_dim = {u: d for d, units in self.dimensions.items() for u in units}

    # -- reading ------------------------------------------------------------------------------
    @classmethod
    def from_yaml(cls, path: str | Path) -> Vocabulary:
        """A whole vocabulary from a YAML file (problems name the file, line and column)."""
        data, text = _read_file(path)
        return cls.from_data(data, where=str(path), text=text)

    @classmethod
    def from_data(cls, data: dict, where: str = "vocabulary", *, text: str | None = None) -> Vocabulary:
        """A whole vocabulary from data in the file's format. Raises
        :class:`~claimgraph.errors.DatasetError` naming ``where`` (and, given the file's
        ``text``, the line and column) and the entry at fault."""
        try:
            raw = _normalize(data)
            origins = {(s, n): where for s in SECTIONS for n in raw[s]}
            return _build(raw, origins)
        except _Bad as bad:
            raise _problem(where, text, bad) from None

    def extend(self, data: dict, where: str = "vocabulary extension", *, text: str | None = None,
               replace: bool = False) -> Vocabulary:
        """A new vocabulary: this one plus the entries of ``data`` (same format). An entry already
        defined identically is fine; defined differently it is an error naming ``where`` and the
        entry, unless ``replace``. Units listed under a dimension are added to it.

        >>> v = default_vocabulary().extend({"dimensions": {"currency": ["GBP"]}})
        >>> v.dimension_of("GBP"), default_vocabulary().dimension_of("GBP")
        ('currency', None)
        """
        try:
            ext = _normalize(data)
            raw = copy.deepcopy(self._raw)
            origins = dict(self._origins)
            for section in SECTIONS:
                for name, entry in ext[section].items():
                    have = raw[section].get(name)
                    if section == "dimensions":
                        raw[section][name] = (have or []) + [u for u in entry if u not in (have or [])]
                        origins.setdefault((section, name), where)
                        continue
                    if have is not None and have != entry and not replace:
                        first = origins.get((section, name), "the vocabulary")
                        _fail((section, name), f"{_entry(section, name)} is already defined differently in {first}: "
                                               "an extension adds entries, it does not redefine them (give it another name)")
                    raw[section][name] = entry
                    if have is None or replace:
                        origins[(section, name)] = where
            try:
                return _build(raw, origins)
            except _Bad as bad:  # a reference problem: locate it in the file that defined the entry
                if len(bad.path) >= 2 and origins.get(bad.path[:2]) not in (None, where):
                    raise _problem(origins[bad.path[:2]], None, bad) from None
                raise
        except _Bad as bad:
            raise _problem(where, text, bad) from None

    def extend_file(self, path: str | Path) -> Vocabulary:
        """This vocabulary extended by the YAML file ``path`` (see :meth:`extend`)."""
        data, text = _read_file(path)
        if not data:
            return self
        return self.extend(data, where=str(path), text=text)

    def to_data(self) -> dict[str, Any]:
        """The whole vocabulary as data in the file's format (defaults filled in)."""
        return {"version": self.version, **copy.deepcopy(self._raw)}

    def extension_data(self, base: Vocabulary | None = None) -> dict[str, Any]:
        """What this vocabulary adds to ``base`` (the built-in one), as extension data in the
        file's format: entries ``base`` lacks or defines otherwise, and units it lacks; ``{}``
        when it adds nothing.

        >>> default_vocabulary().extension_data()
        {}
        >>> default_vocabulary().extend({"dimensions": {"currency": ["GBP"]}}).extension_data()
        {'dimensions': {'currency': ['GBP']}}
        """
        base = base or default_vocabulary()
        out: dict[str, Any] = {}
        for section in SECTIONS:
            theirs = base._raw.get(section, {})
            for name, entry in self._raw.get(section, {}).items():
                if section == "dimensions":
                    entry = [u for u in entry if u not in theirs.get(name, [])]
                    if entry:
                        out.setdefault(section, {})[name] = entry
                elif theirs.get(name) != entry:
                    out.setdefault(section, {})[name] = copy.deepcopy(entry)
        return out

    def extension_yaml(self, base: Vocabulary | None = None) -> str:
        """:meth:`extension_data` as the text of a vocabulary extension file ("" when empty).

        >>> v = default_vocabulary().extend({"dimensions": {"currency": ["GBP"]}})
        >>> v.extension_yaml().splitlines()[2:]
        ['version: 1', 'dimensions:', '  currency:', '  - GBP']
        """
        ext = self.extension_data(base)
        if not ext:
            return ""
        head = ("# A claimgraph vocabulary extension: what this landscape's vocabulary adds to the\n"
                "# built-in claimgraph/vocabulary.yaml (same format).\n")
        return head + yaml.safe_dump({"version": 1, **ext}, sort_keys=False, allow_unicode=True, width=100)

    # -- lookups ------------------------------------------------------------------------------
    def suggest(self, word: str, choices) -> str:
        return _hint(word, choices)

    def stance_of(self, predicate: str) -> str:
        return self.predicates[predicate].stance

    def predicates_with_stance(self, *stances: str) -> set[str]:
        return {n for n, p in self.predicates.items() if p.stance in stances}

    def dimension_of(self, unit: str) -> str | None:
        return self._unit_dim.get(unit)

    def role(self, name: str) -> dict[str, dict[str, Any]]:
        """The predicates playing role ``name``, in vocabulary order, with their options.

        >>> default_vocabulary().role("dependency")["MAKES"]
        {'upstream': 'subject', 'relation': 'made by'}
        """
        if name not in PREDICATE_ROLES:
            raise KeyError(f"unknown role {name!r}")
        return {n: p.roles[name] for n, p in self.predicates.items() if name in p.roles}

    def kinds_with_role(self, name: str) -> tuple[str, ...]:
        return tuple(n for n, k in self.kinds.items() if name in k.roles)

    def stances_with_role(self, name: str) -> tuple[str, ...]:
        return tuple(n for n, s in self.stances.items() if name in s.roles)

    def qualifiers_with_role(self, name: str) -> tuple[str, ...]:
        return tuple(n for n, q in self.qualifiers.items() if name in q.roles)

    def kind_style(self, kind: str) -> Kind:
        """The kind's label, colour and shape (a grey dot for a kind the vocabulary lacks)."""
        return self.kinds.get(kind) or Kind(kind, kind, FALLBACK_COLOR, "dot")

    def stance_style(self, stance: str) -> Stance:
        return self.stances.get(stance) or Stance(stance, stance, FALLBACK_COLOR)

    @cached_property
    def cypher_parameters(self) -> dict[str, Any]:
        """The roles as Cypher parameters, which every Cypher twin gets: per predicate role
        ``<role>_predicates`` (a list) and ``<role>_<option>`` (predicate -> option), and the
        lists ``<role>_kinds``, ``<role>_stances`` and ``<role>_qualifiers``.

        >>> p = default_vocabulary().cypher_parameters
        >>> p["money_payer"]["MANUFACTURES_FOR"], p["vehicle_kinds"], p["deal_qualifiers"]
        ('object', ['Fund'], ['round', 'deal', 'product'])
        """
        out: dict[str, Any] = {}
        for role, spec in PREDICATE_ROLES.items():
            members = self.role(role)
            out[f"{role}_predicates"] = list(members)
            for option in spec:
                out[f"{role}_{option}"] = {p: o[option] for p, o in members.items() if option in o}
        for role in KIND_ROLES:
            out[f"{role}_kinds"] = list(self.kinds_with_role(role))
        for role in STANCE_ROLES:
            out[f"{role}_stances"] = list(self.stances_with_role(role))
        for role in QUALIFIER_ROLES:
            out[f"{role}_qualifiers"] = list(self.qualifiers_with_role(role))
        return out

    # -- coercion -----------------------------------------------------------------------------
    def coerce_quantity(self, raw: Any, dimension: str | None, what: str) -> Quantity:
        try:
            q = raw if isinstance(raw, Quantity) else Quantity.model_validate(raw)
        except ValidationError as exc:  # one line, not pydantic's multi-line report
            raise ValueError(f"{what}: {_first_error(exc)}") from None
        if dimension is not None:
            dim = self.dimension_of(q.unit)
            if dim != dimension:
                allowed = ", ".join(self.dimensions.get(dimension, ()))
                raise ValueError(f"{what} is in {q.unit!r}; it needs a {dimension} unit ({allowed})")
        nums = [x for x in (q.value, q.min, q.max) if x is not None]
        if dimension == "percent" and any(x < 0 or x > 100 for x in nums):
            raise ValueError(f"{what} {q} is outside 0-100%")
        if dimension in ("currency", "count", "duration", "length", "factor") and any(x < 0 for x in nums):
            raise ValueError(f"{what} {q} is negative")
        return q

    def coerce_qualifier(self, name: str, raw: Any) -> Any:
        q = self.qualifiers[name]
        if q.type == "quantity":
            return self.coerce_quantity(raw, q.dimension, f"qualifier {name}")
        if q.type == "date":
            return PartialDate.parse(raw)
        if q.type == "choice":
            if raw not in q.values:
                raise ValueError(f"{name} {raw!r} is not one of {', '.join(q.values)}{self.suggest(str(raw), q.values)}")
            return raw
        if not isinstance(raw, str) or not raw.strip():
            raise ValueError(f"qualifier {name} must be non-empty text")
        return raw.strip()

    def coerce_value(self, pred: Predicate, raw: Any) -> Any:
        if pred.value == "quantity":
            if not isinstance(raw, str | Quantity):
                raise ValueError(f"{pred.name} takes a quantity with a unit (e.g. '9 months'), not {raw}")
            return self.coerce_quantity(raw, pred.dimension, "value")
        if pred.value == "date":
            return PartialDate.parse(raw)
        if pred.value == "text":
            if not isinstance(raw, str):
                raise ValueError("value must be text")
            return raw
        # any: keep typed values, try a quantity for text that reads as one
        if isinstance(raw, str):
            try:
                return Quantity.model_validate(raw)
            except ValueError:
                return raw
        return raw


def _first_error(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False)
    if not errors:
        return str(exc).splitlines()[0]
    msg = errors[0]["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return msg


BUILTIN = "claimgraph/vocabulary.yaml"


@cache
def default_vocabulary() -> Vocabulary:
    """The vocabulary shipped with claimgraph (``claimgraph/vocabulary.yaml``)."""
    text = resources.files("claimgraph").joinpath("vocabulary.yaml").read_text(encoding="utf-8")
    # libyaml's parser when present (as yaml.safe_load, 8x less CPU): every command reads this file
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return Vocabulary.from_data(data, where=BUILTIN, text=text)



def vocabulary_from(arg: Vocabulary | str | Path | None) -> Vocabulary:
    """The vocabulary ``arg`` stands for: a :class:`Vocabulary` as it is, the path of an
    extension file (the built-in vocabulary plus that file), or None (the built-in one).

    >>> vocabulary_from(None) is default_vocabulary()
    True
    """
    if arg is None:
        return default_vocabulary()
    if isinstance(arg, Vocabulary):
        return arg
    if isinstance(arg, str | Path):
        return default_vocabulary().extend_file(arg)
    raise TypeError(f"vocabulary must be a Vocabulary or the path of a vocabulary file, not {type(arg).__name__}")
