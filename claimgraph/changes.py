"""What changed between two versions of a landscape: claims added, removed and changed (which
fields), status upgrades and downgrades, and sources and entities added, removed or changed.

Claims are matched by id; a claim whose id changed but whose content did not is reported as
renamed, not as removed and added. Each status change comes with the history entries to append
to the new claim (``StatusChange.history``; see docs/time.md), unless its history already
records the change.

>>> from claimgraph.synth import generate
>>> from claimgraph.model import Status
>>> old, new = generate(30, 40, seed=1), generate(30, 40, seed=1)
>>> diff(old, new).equal
True
>>> new.claims["c000003"].status = Status.REFUTED
>>> [(s.id, s.direction) for s in diff(old, new).status_changes]
[('c000003', 'downgrade')]
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .model import Status

__all__ = ["diff", "LandscapeDiff", "ClaimChange", "StatusChange"]


@dataclass
class ClaimChange:
    id: str
    fields: list[str]
    old: dict[str, Any]
    new: dict[str, Any]


@dataclass
class StatusChange:
    id: str
    old: str
    new: str
    direction: str  # "upgrade" or "downgrade"
    text: str = ""
    #: the entries to append to the new claim's ``history`` (oldest first): the change, dated by
    #: the newest source that made it (else today), after the old status when the claim had no
    #: history; empty when the new claim's history already records the change
    history: list[dict] = field(default_factory=list)

    def history_text(self) -> str:
        """The entries as YAML lines to paste under the claim's ``history:``."""
        from .io.yaml_io import _yaml_scalar

        return "\n".join(f"- {_yaml_scalar(e)}" for e in self.history)


@dataclass
class LandscapeDiff:
    claims_added: list[str] = field(default_factory=list)
    claims_removed: list[str] = field(default_factory=list)
    claims_renamed: list[tuple[str, str]] = field(default_factory=list)
    claims_changed: list[ClaimChange] = field(default_factory=list)
    status_changes: list[StatusChange] = field(default_factory=list)
    sources_added: list[str] = field(default_factory=list)
    sources_removed: list[str] = field(default_factory=list)
    sources_changed: list[ClaimChange] = field(default_factory=list)
    entities_added: list[str] = field(default_factory=list)
    entities_removed: list[str] = field(default_factory=list)
    entities_changed: list[ClaimChange] = field(default_factory=list)
    rates_changed: bool = False

    @property
    def equal(self) -> bool:
        """True when nothing differs (``claimgraph diff`` exits 0)."""
        return not any((self.claims_added, self.claims_removed, self.claims_renamed, self.claims_changed,
                        self.sources_added, self.sources_removed, self.sources_changed,
                        self.entities_added, self.entities_removed, self.entities_changed, self.rates_changed))

    @property
    def upgrades(self) -> list[StatusChange]:
        return [s for s in self.status_changes if s.direction == "upgrade"]

    @property
    def downgrades(self) -> list[StatusChange]:
        return [s for s in self.status_changes if s.direction == "downgrade"]

    def summary(self) -> dict[str, int]:
        return {
            "claims_added": len(self.claims_added), "claims_removed": len(self.claims_removed),
            "claims_renamed": len(self.claims_renamed), "claims_changed": len(self.claims_changed),
            "status_upgrades": len(self.upgrades), "status_downgrades": len(self.downgrades),
            "sources_added": len(self.sources_added), "sources_removed": len(self.sources_removed),
            "sources_changed": len(self.sources_changed), "entities_added": len(self.entities_added),
            "entities_removed": len(self.entities_removed), "entities_changed": len(self.entities_changed),
        }

    def to_data(self) -> dict[str, Any]:
        d = asdict(self)
        d["claims_renamed"] = [{"old": a, "new": b} for a, b in self.claims_renamed]
        return {"equal": self.equal, "summary": self.summary()} | d


def _flat(d: dict[str, Any]) -> dict[str, Any]:
    """Claim data with qualifiers as ``qualifiers.<name>`` keys, so a change names the field."""
    out = {k: v for k, v in d.items() if k != "qualifiers"}
    for k, v in (d.get("qualifiers") or {}).items():
        out[f"qualifiers.{k}"] = v
    return out


def _changed(old: dict, new: dict, skip: tuple[str, ...] = ("id",)) -> list[str]:
    a, b = _flat(old), _flat(new)
    return [k for k in sorted(set(a) | set(b)) if k not in skip and a.get(k) != b.get(k)]


def _records(items: list[dict]) -> dict[str, dict]:
    return {x["id"]: x for x in items}


def _landscape(x):
    from .io import load
    from .landscape import Landscape

    if isinstance(x, Landscape):
        return x
    if isinstance(x, str | Path):
        x = [x]
    return load(x)


def diff(old, new) -> LandscapeDiff:
    """Compare two landscapes (or dataset paths); return a :class:`LandscapeDiff`.

    ``old`` and ``new`` are :class:`~claimgraph.landscape.Landscape` objects, dataset paths, or
    lists of paths. ``result.equal`` is True when nothing differs.

    >>> from claimgraph.synth import generate
    >>> a, b = generate(30, 40, seed=1), generate(30, 41, seed=1)
    >>> d = diff(a, b)
    >>> d.claims_added
    ['c000040']
    """
    from .io.json_io import to_data

    land_old, land_new = _landscape(old), _landscape(new)
    a, b = to_data(land_old), to_data(land_new)
    out = LandscapeDiff()

    ca, cb = _records(a["claims"]), _records(b["claims"])
    added = [k for k in cb if k not in ca]
    removed = [k for k in ca if k not in cb]
    # same content under another id: renamed
    by_content: dict[str, str] = {}
    for k in removed:
        by_content.setdefault(_content_key(ca[k]), k)
    still_added = []
    for k in added:
        old_id = by_content.pop(_content_key(cb[k]), None)
        if old_id is None:
            still_added.append(k)
        else:
            out.claims_renamed.append((old_id, k))
    renamed_old = {o for o, _ in out.claims_renamed}
    out.claims_added = sorted(still_added)
    out.claims_removed = sorted(k for k in removed if k not in renamed_old)
    for k in sorted(set(ca) & set(cb)):
        fields = _changed(ca[k], cb[k])
        if not fields:
            continue
        out.claims_changed.append(ClaimChange(k, fields, ca[k], cb[k]))
        if "status" in fields:
            so, sn = Status.parse(ca[k]["status"]), Status.parse(cb[k]["status"])
            out.status_changes.append(StatusChange(
                k, so.value, sn.value, "upgrade" if sn.rank > so.rank else "downgrade",
                land_new.describe(k) if k in land_new.claims else "",
                _history_to_append(land_old, land_new, k)))

    for section, added_attr, removed_attr, changed_attr in (
        ("sources", "sources_added", "sources_removed", "sources_changed"),
        ("entities", "entities_added", "entities_removed", "entities_changed"),
    ):
        ra, rb = _records(a[section]), _records(b[section])
        setattr(out, added_attr, sorted(k for k in rb if k not in ra))
        setattr(out, removed_attr, sorted(k for k in ra if k not in rb))
        getattr(out, changed_attr).extend(
            ClaimChange(k, f, ra[k], rb[k]) for k in sorted(set(ra) & set(rb)) if (f := _changed(ra[k], rb[k])))
    out.rates_changed = a["rates"] != b["rates"]
    return out


def _history_to_append(land_old, land_new, cid: str) -> list[dict]:
    """The history entries that record claim ``cid``'s status change from OLD to NEW."""
    import datetime as _dt

    from .model import Effect

    old, new = land_old.claims.get(cid), land_new.claims.get(cid)
    if old is None or new is None:
        return []
    if new.history and len(new.history) > len(old.history or ()) and new.history[-1].status is new.status \
            and (not old.history or new.history[-1] != old.history[-1]):
        return []  # the new history records it already
    sources = land_new.sources
    had = {(e.source, e.effect) for e in old.evidence}
    added = [e for e in new.evidence if (e.source, e.effect) not in had]
    if new.status.rank > old.status.rank:
        cand = [e.source for e in added if e.effect is Effect.SUPPORTS] or new.supporting_sources
    else:
        cand = [e.source for e in added if e.effect is Effect.CONTRADICTS] or [e.source for e in added]
    cand = list(dict.fromkeys(cand))
    days = [sources[s].on_record for s in cand if s in sources and sources[s].on_record is not None]
    day = max(days) if days else _dt.date.today()
    out: list[dict] = []
    if not old.history and not new.history:
        first = old.on_record_from(land_old.sources)
        if first is not None and first <= day:
            srcs = [s for s in old.supporting_sources if land_old.sources[s].on_record is not None
                    and land_old.sources[s].on_record <= first]
            out.append({"on": first.isoformat(), "status": old.status.value} | ({"sources": srcs} if srcs else {}))
    elif new.history and new.history[-1].on.start() > day:
        day = new.history[-1].on.start()
    entry = {"on": day.isoformat(), "status": new.status.value, "note": f"{old.status.value} -> {new.status.value}"}
    if cand:
        entry["sources"] = cand
    out.append(entry)
    return out


def _content_key(d: dict) -> str:
    import json

    return json.dumps({k: v for k, v in d.items() if k != "id"}, sort_keys=True, ensure_ascii=False)

