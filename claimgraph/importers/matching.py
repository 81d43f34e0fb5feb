"""Entity matching with review: which entities of two datasets are the same, proposed with a
score and a reason, written to a review file the user edits, and merged only as accepted.

Evidence for a pair (the score is the strongest):

- a shared identifier in the attributes (``lei``, ``wikidata``/``wikidata_qid``, ``crunchbase``,
  ``isin``, ``duns``, ``registration_number``...): 1.0;
- the same name once folded (case, accents, punctuation, legal forms such as Inc., GmbH, 株式会社
  set aside) or a name of one equal to an alias of the other: 0.9, and 0.8 between aliases;
- names that are close (difflib ratio of the folded names at least 0.85, same first word): the
  ratio times 0.8.

Pairs of kinds that cannot be one thing are never proposed (a Person and a Company). Nothing is
merged on a guess: :func:`apply_review` merges only the pairs marked ``accept``; a pair still at
``review`` stops the merge with a line naming it (or is left apart with ``pending="skip"``).

>>> from claimgraph.model import Entity
>>> a = [Entity(id="tesla", name="Tesla, Inc.", kind="Company")]
>>> b = [Entity(id="tesla-motors", name="TESLA INC", kind="Company", aliases=["Tesla Motors"])]
>>> [(m.a, m.b, m.score, m.reason) for m in propose(a, b)]
[('tesla', 'tesla-motors', 0.9, "same name: 'tesla'")]
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ClaimgraphError, DatasetError, Origin, Problem
from .names import match_key

__all__ = ["Match", "propose", "write_review", "read_review", "apply_review", "IDENTIFIERS", "DECISIONS"]

#: attribute names that hold an identifier of the thing itself: equal values are the same entity
IDENTIFIERS = ("lei", "wikidata", "crunchbase", "isin", "duns", "registration_number", "tax_number", "opencorporates",
               "permid", "ftm_id")
DECISIONS = ("accept", "reject", "review")
#: kinds that may be one thing though named differently by two datasets
_COMPATIBLE = [{"Company", "Organization", "Party", "Fund", "Agency"}, {"Person", "Party"}]


@dataclass
class Match:
    a: str
    b: str
    score: float
    reason: str
    a_name: str = ""
    b_name: str = ""
    a_kind: str = ""
    b_kind: str = ""
    decision: str = "review"

    def to_data(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "decision": self.decision, "score": self.score, "reason": self.reason,
                "a_name": self.a_name, "a_kind": self.a_kind, "b_name": self.b_name, "b_kind": self.b_kind}


def _compatible(k1: str, k2: str) -> bool:
    return k1 == k2 or any(k1 in group and k2 in group for group in _COMPATIBLE)


_CANON = {"wikidata": "wikidata", "wikidataid": "wikidata", "wikidataqid": "wikidata", "qid": "wikidata",
          "lei": "lei", "leicode": "lei", "crunchbase": "crunchbase", "isin": "isin", "duns": "duns",
          "registrationnumber": "registration_number", "taxnumber": "tax_number", "opencorporates": "opencorporates",
          "permid": "permid", "ftmid": "ftm_id"}


def _identifiers(e) -> dict[str, str]:
    """An entity's identifiers, by a canonical name (``leiCode`` and ``lei`` are one)."""
    out = {}
    for k, v in e.attributes.items():
        canon = _CANON.get(k.lower().replace("-", "").replace("_", ""))
        if canon is not None and str(v).strip():
            out[canon] = str(v).strip().upper() if canon in ("wikidata", "lei", "isin") else str(v).strip()
    return out


def propose(a: Iterable, b: Iterable, *, threshold: float = 0.7) -> list[Match]:
    """Proposed matches between the entities of ``a`` and ``b`` (Entity objects), best first
    for each entity of ``a``; every pair at or above ``threshold``."""
    a, b = list(a), list(b)
    by_name: dict[str, list] = defaultdict(list)
    by_alias: dict[str, list] = defaultdict(list)
    by_ident: dict[tuple[str, str], list] = defaultdict(list)
    by_word: dict[str, list] = defaultdict(list)
    for e in b:
        key = match_key(e.name)
        by_name[key].append(e)
        for al in e.aliases:
            by_alias[match_key(al)].append(e)
        for k, v in _identifiers(e).items():
            by_ident[(k, v)].append(e)
        if key:
            by_word[key.split()[0]].append(e)
    out: list[Match] = []
    for e in a:
        best: dict[str, tuple[float, str]] = {}

        def offer(other, score: float, reason: str, e=e, best=best) -> None:
            if not _compatible(e.kind, other.kind):
                return
            if score > best.get(other.id, (0.0, ""))[0]:
                best[other.id] = (score, reason)

        for k, v in _identifiers(e).items():
            for other in by_ident.get((k, v), ()):
                offer(other, 1.0, f"same {k}: {v}")
        names = [match_key(e.name)] + [match_key(al) for al in e.aliases]
        for i, key in enumerate(names):
            if not key:
                continue
            for other in by_name.get(key, ()):
                offer(other, 0.9, f"same name: {key!r}")
            for other in by_alias.get(key, ()):
                offer(other, 0.9 if i == 0 else 0.8, f"{'name' if i == 0 else 'alias'} {key!r} is an alias of the other")
        key = names[0]
        if key:
            for other in by_word.get(key.split()[0], ()):
                if other.id in best:
                    continue
                ratio = difflib.SequenceMatcher(None, key, match_key(other.name)).ratio()
                if ratio >= 0.85:
                    offer(other, round(ratio * 0.8, 2), f"similar names: {key!r} ~ {match_key(other.name)!r}")
        by_id = {x.id: x for x in b}
        for oid, (score, reason) in sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0])):
            if score >= threshold:
                o = by_id[oid]
                out.append(Match(e.id, oid, score, reason, e.name, o.name, e.kind, o.kind))
    return out


def write_review(matches: list[Match], path: str | Path, a_label: str, b_label: str) -> Path:
    """The review file: YAML, one entry per proposed pair, each ``decision: review`` until the
    user writes ``accept`` or ``reject``."""
    import yaml

    from ..fileio import atomic_write

    head = (f"# Proposed matches between the entities of A ({a_label}) and B ({b_label}).\n"
            "# For each pair set decision to accept (the same entity: B's is merged into A's) or\n"
            "# reject (different entities), then run:\n"
            f"#   claimgraph match {a_label} {b_label} --apply {Path(path).name} -o MERGED\n"
            "# Pairs left at review stop the merge (or are kept apart with --pending skip).\n")
    data = {"a": a_label, "b": b_label, "matches": [m.to_data() for m in matches]}
    with atomic_write(path) as fh:
        fh.write(head)
        fh.write(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120))
    return Path(path)


def read_review(path: str | Path) -> list[Match]:
    """The pairs of a review file, every problem at once (file and entry named)."""
    import yaml

    where = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ClaimgraphError(f"{path}: cannot read the review file: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise ClaimgraphError(f"{path}: not YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("matches"), list):
        raise DatasetError([Problem(Origin(where), "a review file has a list of matches: (write one with claimgraph match A B -o FILE)")])
    out, problems = [], []
    for i, m in enumerate(data["matches"], 1):
        if not isinstance(m, dict) or not m.get("a") or not m.get("b"):
            problems.append(Problem(Origin(where), f"match {i}: needs a: and b: (the entity ids)"))
            continue
        decision = str(m.get("decision", "review")).strip().lower()
        if decision not in DECISIONS:
            problems.append(Problem(Origin(where), f"match {i} ({m['a']} / {m['b']}): decision {m.get('decision')!r} is not one of {', '.join(DECISIONS)}"))
            continue
        out.append(Match(str(m["a"]), str(m["b"]), float(m.get("score") or 0), str(m.get("reason") or ""),
                         str(m.get("a_name") or ""), str(m.get("b_name") or ""), str(m.get("a_kind") or ""),
                         str(m.get("b_kind") or ""), decision))
    if problems:
        raise DatasetError(problems)
    return out


@dataclass
class MergeReport:
    merged: list[Match] = field(default_factory=list)
    rejected: list[Match] = field(default_factory=list)
    pending: list[Match] = field(default_factory=list)

    def to_data(self) -> dict[str, Any]:
        return {"merged": [m.to_data() for m in self.merged], "rejected": len(self.rejected),
                "pending": [m.to_data() for m in self.pending]}


def apply_review(land_a, land_b, matches: list[Match], *, pending: str = "stop"):
    """One landscape of ``land_a`` and ``land_b`` where each accepted pair is one entity (B's id,
    name and aliases become aliases of A's, attributes combined with A's winning, B's claims
    pointing at A's entity); entities and claims of B that clash with A's ids are renamed.
    Returns ``(landscape, MergeReport)``."""
    from ..landscape import Landscape

    report = MergeReport()
    problems = []
    accepted: dict[str, str] = {}
    for m in matches:
        if m.a not in land_a.entities:
            problems.append(Problem(None, f"review: {m.a!r} is no entity of A"))
            continue
        if m.b not in land_b.entities:
            problems.append(Problem(None, f"review: {m.b!r} is no entity of B"))
            continue
        if m.decision == "accept":
            if m.b in accepted and accepted[m.b] != m.a:
                problems.append(Problem(None, f"review: B's {m.b!r} is accepted as both {accepted[m.b]!r} and {m.a!r}: accept one"))
                continue
            accepted[m.b] = m.a
            report.merged.append(m)
        elif m.decision == "reject":
            report.rejected.append(m)
        else:
            report.pending.append(m)
    if report.pending and pending != "skip":
        problems += [Problem(None, f"review: {m.a!r} / {m.b!r} ({m.reason}) is still at review: accept or reject it (or give --pending skip)")
                     for m in report.pending]
    if problems:
        raise DatasetError(problems)
    entities = {k: v.model_copy(deep=True) for k, v in land_a.entities.items()}
    rename: dict[str, str] = {}
    for eid, e in land_b.entities.items():
        if eid in accepted:
            target = entities[accepted[eid]]
            if target.kind != e.kind and not _compatible(target.kind, e.kind):
                raise DatasetError([Problem(None, f"review: {accepted[eid]!r} is a {target.kind}, {eid!r} a {e.kind}: they cannot be one entity")])
            known = {match_key(x) for x in (target.name, *target.aliases)}
            extra = [x for x in (e.name, *e.aliases, eid) if match_key(x) not in known]
            target.aliases = list(dict.fromkeys([*target.aliases, *extra]))
            target.attributes = {**e.attributes, **target.attributes}
            rename[eid] = accepted[eid]
            continue
        new_id = eid
        n = 2
        while new_id in entities:
            new_id = f"{eid}-{n}"
            n += 1
        rename[eid] = new_id
        entities[new_id] = e.model_copy(update={"id": new_id}, deep=True)
    sources = dict(land_a.sources)
    for sid, s in land_b.sources.items():
        sources.setdefault(sid, s)
    claims = {k: v.model_copy(deep=True) for k, v in land_a.claims.items()}
    vocab = land_a.vocabulary
    ext = land_b.vocabulary.extension_data(land_a.vocabulary) if hasattr(land_b.vocabulary, "extension_data") else {}
    if ext:
        vocab = vocab.extend(ext, where="B's vocabulary")
    for cid, c in land_b.claims.items():
        c = c.model_copy(deep=True)
        c.subject = rename.get(c.subject, c.subject)
        if c.object is not None:
            c.object = rename.get(c.object, c.object)
        for k, v in list(c.qualifiers.items()):
            q = vocab.qualifiers.get(k)
            if q is not None and q.type == "entity":
                c.qualifiers[k] = rename.get(v, v)
        c.asserted_by = [rename.get(x, x) for x in c.asserted_by]
        new_id, n = cid, 2
        while new_id in claims:
            new_id = f"{cid}-{n}"
            n += 1
        c.id = new_id
        claims[new_id] = c
    land = Landscape(entities, sources, claims, [*land_a.rates, *land_b.rates], vocab)
    return land, report
