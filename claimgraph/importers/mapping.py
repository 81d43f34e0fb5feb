"""The mapping file: how the rows of a CSV file (or the records of a JSON file) become sources,
entities and claims. Its schema is the pydantic models below; ``docs/import.md`` explains it.

A value anywhere in a mapping is an *expression*: a constant (``Company``, ``reported``), or a
mapping naming where the value comes from and what is done to it::

    {column: price_amount}                        # a CSV column (or a JSON field)
    {field: properties.payer.0}                   # a JSON path: keys and list positions
    {template: "{company_name} ({company_city})"}
    {first_of: [{column: a}, {column: b}]}        # the first that gives a value
    {const: reported, when: {column: status, equals: ""}}

with optional ``when`` (a condition; false: no value), ``steps`` (transforms, in order:
``strip``, ``lower``, ``upper``, ``first``, ``number``, ``date``, ``slug``, ``year``,
``{split: "|"}``, ``{lookup: {...}, else: keep}``, ``{strip_prefix: "/organization/"}``,
``{date: "%d.%m.%Y"}``, ``{regex: "..."}``, ``{replace: [old, new]}``, ``{join: ", "}``),
``default`` and ``required``.

>>> m = Mapping.model_validate({"entities": [{"key": "a", "name": {"column": "name"}, "kind": "Company"}]})
>>> m.entities[0].name.column
'name'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import DatasetError, Origin, Problem
from .wikidata import WikidataOptions

__all__ = ["Mapping", "Expr", "Condition", "EntitySpec", "ClaimSpec", "SourceSpec", "read_mapping", "STEPS"]

#: transforms that take no argument
STEPS = ("strip", "lower", "upper", "first", "last", "number", "integer", "date", "slug", "year", "title")
#: transforms that take one: name -> what the argument is
ARG_STEPS = ("split", "lookup", "strip_prefix", "strip_suffix", "date", "regex", "replace", "join", "prefix", "suffix")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Condition(_Model):
    """True or false for a row: a value compared (``equals``, ``in``, ``present``), or several
    conditions combined (``all``, ``any``, ``not``)."""

    column: str | None = None
    field: str | None = None
    equals: Any = None
    in_: list[Any] | None = Field(default=None, alias="in")
    present: bool | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _one(self) -> Condition:
        combos = [x for x in (self.all, self.any, self.not_) if x is not None]
        if combos:
            if len(combos) > 1 or self.column or self.field:
                raise ValueError("a condition is one of: a value test (column/field with equals, in or present), all, any or not")
            return self
        if bool(self.column) == bool(self.field):
            raise ValueError("a condition names one column (CSV) or field (JSON)")
        tests = [x for x in (self.equals, self.in_, self.present) if x is not None]
        if len(tests) != 1:
            raise ValueError("a condition tests with one of equals, in or present")
        return self


class Expr(_Model):
    """Where a value comes from (one of column, field, const, template, first_of) and what is
    done to it."""

    column: str | None = None
    field: str | None = None
    const: Any = None
    template: str | None = None
    first_of: list[Expr] | None = None
    when: Condition | None = None
    steps: list[str | dict[str, Any]] = Field(default_factory=list)
    default: Any = None
    required: bool = False

    @model_validator(mode="before")
    @classmethod
    def _constant(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return {"const": data}
        if "transform" in data and "steps" not in data:  # a friendlier name for the same
            data = {**data, "steps": data["transform"]}
            del data["transform"]
        return data

    @model_validator(mode="after")
    def _one_source(self) -> Expr:
        given = [n for n in ("column", "field", "template", "first_of") if getattr(self, n) is not None]
        if self.const is not None:
            given.append("const")
        if len(given) > 1:
            raise ValueError(f"a value comes from one of column, field, const, template or first_of, not {' and '.join(given)}")
        if not given and self.default is None:
            raise ValueError("a value needs column, field, const, template or first_of (or a default)")
        for step in self.steps:
            if isinstance(step, str):
                if step not in STEPS:
                    raise ValueError(f"unknown step {step!r}: use {', '.join(STEPS)} or one of {', '.join(ARG_STEPS)} with its argument")
            elif isinstance(step, dict):
                keys = [k for k in step if k != "else"]
                if len(keys) != 1 or keys[0] not in ARG_STEPS:
                    raise ValueError(f"a step with an argument is one of {', '.join(ARG_STEPS)} (lookup may add else:), not {sorted(step)}")
                if "else" in step and keys[0] != "lookup":
                    raise ValueError("only lookup takes else:")
            else:
                raise ValueError("a step is a name or a mapping of one name to its argument")
        return self

    def columns(self) -> set[str]:
        """The CSV columns this expression reads (to check them against the header)."""
        out = {self.column} if self.column else set()
        if self.template:
            import string

            out |= {f for _, f, _, _ in string.Formatter().parse(self.template) if f}
        for e in self.first_of or ():
            out |= e.columns()
        if self.when is not None:
            out |= _condition_columns(self.when)
        return out


def _condition_columns(c: Condition) -> set[str]:
    out = {c.column} if c.column else set()
    for sub in (c.all or []) + (c.any or []) + ([c.not_] if c.not_ else []):
        out |= _condition_columns(sub)
    return out


class Ref(_Model):
    """A claim's subject or object named by an identifier that an entity rule gave (``ref``),
    of this row or of any other row of the file."""

    ref: Expr


class SourceSpec(_Model):
    """A source. The file's own source (``source:`` of the mapping) is one record for the whole
    file; a claim's ``sources`` name more, per row."""

    id: Expr | None = None
    title: Expr | None = None
    publisher: Expr | None = None
    url: Expr | None = None
    published: Expr | None = None
    retrieved: Expr | None = None
    language: Expr | None = None
    tier: Expr | None = None
    notes: Expr | None = None


class EntitySpec(_Model):
    """An entity a row names: ``key`` is how the claims of the mapping call it."""

    key: str
    name: Expr
    kind: Expr
    id: Expr | None = None
    ref: Expr | None = None
    aliases: Expr | None = None
    attributes: dict[str, Expr] = Field(default_factory=dict)
    notes: Expr | None = None
    when: Condition | None = None
    #: entities of one name are told apart by their identifier: id = slug(name)-hash(ref)
    distinct: bool = False


class QuantitySpec(_Model):
    """A quantity from two cells: a number and its unit (a currency code, ``%`` ...)."""

    amount: Expr
    unit: Expr | None = None
    currency: Expr | None = None
    approx: Expr | None = None

    @model_validator(mode="after")
    def _unit(self) -> QuantitySpec:
        if (self.unit is None) == (self.currency is None):
            raise ValueError("a quantity names its unit: give unit or currency (one of them)")
        return self


class ClaimSpec(_Model):
    """A claim a row makes."""

    subject: str | Ref
    predicate: Expr
    object: str | Ref | None = None
    value: Expr | QuantitySpec | None = None
    qualifiers: dict[str, Expr | QuantitySpec | str | Ref] = Field(default_factory=dict)
    status: Expr | None = None
    stated_on: Expr | None = None
    valid_from: Expr | None = None
    valid_until: Expr | None = None
    on: Expr | None = None
    notes: Expr | None = None
    sources: Expr | None = None
    locator: Expr | None = None
    paraphrase: Expr | None = None
    when: Condition | None = None

    @field_validator("qualifiers", mode="before")
    @classmethod
    def _quals(cls, v: Any) -> Any:
        if not isinstance(v, dict):
            return v
        out = {}
        for k, q in v.items():
            if isinstance(q, dict) and "amount" in q:
                out[k] = QuantitySpec.model_validate(q)
            elif isinstance(q, dict) and set(q) == {"ref"}:
                out[k] = Ref.model_validate(q)
            elif isinstance(q, str) and q.startswith("@"):  # another entity of the row: @key
                out[k] = q
            else:
                out[k] = Expr.model_validate(q)
        return out

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, v: Any) -> Any:
        if isinstance(v, dict) and "amount" in v:
            return QuantitySpec.model_validate(v)
        return v

    @model_validator(mode="after")
    def _object_or_value(self) -> ClaimSpec:
        if (self.object is None) == (self.value is None):
            raise ValueError("a claim rule gives an object (an entity key or ref) or a value, not both, not neither")
        return self


class Mapping(_Model):
    """A whole mapping file."""

    reader: Literal["csv", "json", "jsonl", "wikidata"] | None = None
    header: list[str] | None = None
    delimiter: str = ","
    records: str | None = None
    source: SourceSpec = Field(default_factory=SourceSpec)
    status: str = "claimed"
    vocabulary: dict[str, Any] | None = None
    entities: list[EntitySpec] = Field(default_factory=list)
    claims: list[ClaimSpec] = Field(default_factory=list)
    description: str | None = None
    #: reader: wikidata only: the name's language, what qualifier and reference properties mean
    wikidata: WikidataOptions | None = None

    @model_validator(mode="after")
    def _keys(self) -> Mapping:
        if self.wikidata is not None and self.reader != "wikidata":
            raise ValueError("a wikidata: section is for reader: wikidata")
        keys = [e.key for e in self.entities]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise ValueError(f"entity keys must be unique: {', '.join(dup)} appear twice")
        for i, c in enumerate(self.claims):
            for role in ("subject", "object"):
                k = getattr(c, role)
                if isinstance(k, str) and k not in keys:
                    raise ValueError(f"claims.{i}.{role}: no entity with key {k!r} (keys: {', '.join(keys) or 'none'})")
            for q, v in c.qualifiers.items():
                if isinstance(v, str) and v[1:] not in keys:
                    raise ValueError(f"claims.{i}.qualifiers.{q}: no entity with key {v[1:]!r}")
        return self

    def columns(self) -> set[str]:
        """Every CSV column the mapping reads."""
        out: set[str] = set()

        def add(x: Any) -> None:
            nonlocal out
            if isinstance(x, Expr):
                out |= x.columns()
            elif isinstance(x, Condition):
                out |= _condition_columns(x)
            elif isinstance(x, QuantitySpec | SourceSpec | EntitySpec | ClaimSpec | Ref):
                for name in type(x).model_fields:
                    add(getattr(x, name))
            elif isinstance(x, dict):
                for v in x.values():
                    add(v)
            elif isinstance(x, list):
                for v in x:
                    add(v)

        add(self.source)
        add(self.entities)
        add(self.claims)
        return out


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML as claimgraph reads it: only true/false are booleans (``on:`` is a key, not True)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def read_mapping(path: str | Path | None = None, text: str | None = None, where: str | None = None) -> Mapping:
    """The mapping of a YAML file (or of ``text``). Problems are one :class:`DatasetError`
    naming the file and the place in it (``claims.0.predicate``)."""
    where = where or str(path)
    try:
        if text is None:
            text = Path(path).read_text(encoding="utf-8-sig")
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except OSError as exc:
        raise DatasetError([Problem(Origin(where), f"cannot read the mapping file: {exc.strerror or exc}")]) from None
    except UnicodeDecodeError:
        raise DatasetError([Problem(Origin(where), "the mapping file is not UTF-8 text: save it as UTF-8")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        origin = Origin(where, mark.line + 1, mark.column + 1) if mark else Origin(where)
        raise DatasetError([Problem(origin, f"YAML syntax error: {getattr(exc, 'problem', None) or exc}")]) from None
    if not isinstance(data, dict):
        raise DatasetError([Problem(Origin(where), "a mapping file is a YAML mapping with entities: and claims: (see docs/import.md)")])
    try:
        return Mapping.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc = ".".join(str(x) for x in err["loc"] if x not in ("Expr", "QuantitySpec", "Ref", "str", "WikidataOptions"))
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = f"unknown field {str(err['loc'][-1])!r}"
            problems.append(Problem(Origin(where), f"{loc}: {msg}" if loc else msg))
        raise DatasetError(_dedupe(problems)) from None


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        if str(p) not in seen:
            seen.add(str(p))
            out.append(p)
    return out
