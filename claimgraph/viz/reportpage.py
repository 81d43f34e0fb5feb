"""The shareable report: the interactive graph, the headline answers, the claim ledger by status
and the source list with reliability, in one self-contained, printable page.

Headline answers come from the canned queries (``run_query(landscape, name, **params)``), as the
landscape's report spec says (:mod:`claimgraph.viz.reportspec`); each row links to the ledger
entries (claims) and sources it rests on, and to its view in the graph (a ``#view:`` fragment:
the entities and claims of the answer). Everything from the dataset is
escaped with :func:`html.escape`; only http(s) source urls become links.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import html
from collections import Counter
from typing import Any

from ..gcutil import gc_paused
from ..model import STATUS_ORDER, Tier
from ..queries import QUERIES, cell_text, run_query
from .data import page_data, view_fragment, wants_summary
from .page import render_page, subtitle_for
from .reportspec import Planned, ReportSpec, plan_report, sort_rows

_STATUS_WORDS = {
    "confirmed": "Confirmed: supported by a reliable source",
    "reported": "Reported by credible media, not confirmed",
    "claimed": "Claimed by an interested party",
    "stale": "Stale: true once, no longer",
    "disputed": "Disputed: sources disagree",
    "unsupported": "Unsupported: no adequate source",
    "refuted": "Refuted by the evidence",
}

e = html.escape


def _anchor(kind: str, ident: str) -> str:
    return f"{kind}-{ident}"


#: a summary report links at most this many claims (and sources) per row; the row's graph link
#: and its query give them all (a frenemy pair of a 100k-claim landscape rests on hundreds)
ROW_LINKS = 10


def _capped(ids: list[str], cap: int | None) -> tuple[list[str], str]:
    if cap is None or len(ids) <= cap:
        return ids, ""
    return ids[:cap], f' <span class="cg-muted">and {len(ids) - cap} more</span>'


def _claim_links(ids: list[str], cap: int | None = None) -> str:
    shown, more = _capped(ids, cap)
    return ", ".join(f'<a href="#{e(_anchor("claim", i))}">{e(i)}</a>' for i in shown) + more


def _source_links(ids: list[str], cap: int | None = None) -> str:
    shown, more = _capped(ids, cap)
    return ", ".join(f'<a href="#{e(_anchor("source", i))}">{e(i)}</a>' for i in shown) + more


def _view_link(land, ids: list[str], text: str) -> str:
    """A link to the graph showing these claims and their entities (opens the view in place)."""
    claims = [land.claims[i] for i in ids if i in land.claims]
    if not claims:
        return ""
    ends = list(dict.fromkeys(x for c in claims for x in (c.subject, c.object) if x is not None))
    href = view_fragment(nodes=ends, claims=[c.id for c in claims])
    return f'<a class="cg-view cg-noprint" href="{e(href, quote=True)}">{e(text)}</a>'


def _run_section(land, sec: Planned) -> tuple[list | None, str]:
    """(rows, error): the section's query run on ``land``, its rows in the section's order."""
    try:
        rows = run_query(land, sec.query, **sec.params)
    except Exception as exc:  # noqa: BLE001 - shown in the report, never hidden
        return None, f"{type(exc).__name__}: {exc}"
    return (sort_rows(rows, sec.sort) if sec.sort else rows), ""


def _columns(q) -> list[str]:
    return [c for c in q.table_columns() if c not in ("claim_ids", "source_ids")]


def _row_cells(q, row) -> list[str]:
    return [e(cell_text(getattr(row, c, None))) for c in _columns(q)]


def _command(sec: Planned) -> str:
    """The ``claimgraph query`` command that gives the section's rows (parameters in the order
    the query declares them)."""
    values = [(p.name, sec.params.get(p.name)) for p in QUERIES[sec.query].params]
    return f"claimgraph query {sec.query}" + "".join(
        f" --param {k}={','.join(v) if isinstance(v, list) else v}" for k, v in values if v is not None)


def _headline_html(land, sec: Planned, cited: tuple[set, set] | None = None) -> str:
    q = QUERIES[sec.query]
    out = [f'<div class="cg-answer" id="{e(sec.key)}" data-headline="{e(sec.key)}"'
           f' data-query="{e(sec.query)}" data-entity="{e(sec.entity or "")}">', f"<h3>{e(sec.title)}</h3>"]
    if sec.explain:
        out.append(f'<p class="cg-muted">{e(sec.explain)}</p>')
    if sec.why:
        out.append(f'<p class="cg-muted cg-why">Chosen from the data: {e(sec.why)}.</p>')
    if sec.unavailable:
        out.append(f'<p class="cg-lead cg-empty" data-rows="0">{e(sec.unavailable)}</p></div>')
        return "\n".join(out)
    rows, err = _run_section(land, sec)
    if rows is None:
        out.append(f'<p class="cg-unavailable">Not available: {e(err)}.</p></div>')
        return "\n".join(out)
    if rows:
        out.append(f'<p class="cg-lead" data-rows="{len(rows)}">{e(_lead(sec.query, rows, land))}</p>')
    else:
        out.append(f'<p class="cg-lead cg-empty" data-rows="0">None found. {e(sec.empty)}</p>')
    cap = ROW_LINKS if cited is not None else None
    # (a summary: the claims of the rows shown, not of every row found)
    every = list(dict.fromkeys(i for row in (rows if cap is None else rows[: sec.limit or len(rows)])
                               for i in row.claim_ids))
    if every:
        out.append(f"<p>{_view_link(land, every, 'Show these in the graph')}</p>")
    shown = rows[: sec.limit] if sec.limit else rows
    if cited is not None:  # the claims and sources these rows link to (a summary lists only those)
        for row in shown:
            cited[0].update(_capped(row.claim_ids, ROW_LINKS)[0])
            cited[1].update(_capped(row.source_ids, ROW_LINKS)[0])
    if shown:
        cols = _columns(q)
        out.append("<table><thead><tr>" + "".join(f"<th>{e(c.replace('_', ' '))}</th>" for c in cols)
                   + "<th>claims</th><th>sources</th></tr></thead><tbody>")
        for row in shown:
            out.append("<tr>" + "".join(f"<td>{c}</td>" for c in _row_cells(q, row))
                       + f'<td class="cg-ids">{_claim_links(row.claim_ids, cap)} {_view_link(land, row.claim_ids, "(graph)")}</td>'
                       f'<td class="cg-ids">{_source_links(row.source_ids, cap)}</td></tr>')
        out.append("</tbody></table>")
    more = (f"Showing {len(shown)} of {len(rows)}; all of them: " if len(shown) < len(rows) else "Query: ")
    out.append(f'<p class="cg-muted">{more}<code>{e(_command(sec))}</code></p></div>')
    return "\n".join(out)


def _roadmap_lead(rows: list) -> str | None:
    """The roadmap's lead: how many milestones of which generations, then the verdict row's
    words (measured cadence against the claimed one, or no measured evidence)."""
    ms = [r for r in rows if getattr(r, "kind", None) == "milestone"]
    verdict = next((r for r in rows if getattr(r, "kind", None) == "verdict"), None)
    gens = list(dict.fromkeys(r.generation_name for r in ms))
    if verdict is None or not gens:
        return None
    dated = sum(1 for r in ms if r.date)
    text = f"{dated} dated milestones across {len(gens)} generations ({', '.join(gens)})."
    return text + f" Verdict: {verdict.verdict}."


def _contradictions_lead(land, rows: list) -> str | None:
    if not all(hasattr(r, "claim_a") for r in rows):
        return None
    kinds = Counter(getattr(r, "kind", "") for r in rows)
    said = lambda cid: land.describe(cid) if cid in land.claims else cid  # noqa: E731
    pairs = [r for r in rows if getattr(r, "claim_b", None)]
    examples = [f"“{said(r.claim_a)}” against “{said(r.claim_b)}”" for r in pairs[:2]]
    kinds_text = ", ".join(f"{n} {k.replace('-', ' ')}" for k, n in kinds.most_common() if k)
    return (f"{len(rows)} found ({kinds_text})." + (" For example " + "; ".join(examples) + "." if examples else ""))


def _lead(query: str, rows: list, land=None) -> str:
    """One sentence: how many answers, and the first few in words."""
    if query == "contradictions" and land is not None:
        special = _contradictions_lead(land, rows)
        if special:
            return special
    if query == "roadmap":
        special = _roadmap_lead(rows)
        if special:
            return special
    words = []
    for row in rows[:3]:
        if hasattr(row, "text") and callable(row.text):
            words.append(row.text())
            continue
        names = [str(v) for f, v in dataclasses.asdict(row).items()
                 if f.endswith("_name") and isinstance(v, str)]
        words.append(" – ".join(dict.fromkeys(names)) if names else ", ".join(row.claim_ids[:3]))
    more = f" and {len(rows) - 3} more" if len(rows) > 3 else ""
    return f"{len(rows)} found: " + "; ".join(words) + more + "."


def _ledger_html(land, only: set[str] | None = None) -> str:
    """The claim ledger: every claim by status, or (a summary) only the claims in ``only``, then
    a place where the page lists any status's claims on demand."""
    by_status: dict[str, list] = {s.value: [] for s in reversed(STATUS_ORDER)}
    chosen = land.claims.values() if only is None else (land.claims[i] for i in only if i in land.claims)
    for c in sorted(chosen, key=lambda c: c.id):
        by_status[c.status.value].append(c)
    names = {k: ent.name for k, ent in land.entities.items()}
    out = ['<section id="ledger"><h2>Claim ledger</h2>']
    if only is None:
        out.append('<p class="cg-muted">Every claim, grouped by status, strongest first, with the sources behind it. '
                   "Conflicting claims are kept side by side; nothing is upgraded.</p>")
    else:
        listed = sum(len(v) for v in by_status.values())
        out.append(f'<p class="cg-muted cg-ledger-cited">{listed} of {len(land.claims)} claims listed here: those the '
                   "answers and findings above cite, grouped by status, with the sources behind them. Every claim "
                   "of any status can be listed below, and clicking an entity in the graph lists its claims. "
                   "Conflicting claims are kept side by side; nothing is upgraded.</p>")
        counts = Counter(c.status.value for c in land.claims.values())
        out.append('<div id="cg-ledger-browse" class="cg-noprint"><h3>Every claim, by status</h3>'
                   '<p class="cg-muted">Pick a status to list its claims, 100 at a time.</p><div class="cg-buttons">'
                   + "".join(f'<button type="button" class="cg-ledger-status" data-status="{e(st)}">{e(st)} '
                             f"({counts[st]:,})</button>" for st in by_status if counts.get(st))
                   + '</div><div id="cg-ledger-list"></div></div>')
    for status, claims in by_status.items():
        if not claims:
            continue
        out.append(f'<h3 id="status-{status}">{e(_STATUS_WORDS.get(status, status))} ({len(claims)})</h3>')
        out.append('<table class="cg-ledger" data-status="' + status + '"><thead><tr><th>claim</th><th>says</th>'
                   "<th>stated / valid</th><th>asserted by</th><th>sources</th></tr></thead><tbody>")
        for c in claims:
            when = " · ".join(x for x in (
                f"stated {c.stated_on}" if c.stated_on else "",
                f"on {c.on}" if c.on else "",
                f"valid {c.valid_from or '…'} – {c.valid_until or '…'}" if (c.valid_from or c.valid_until) else "",
            ) if x)
            by = ", ".join(names.get(a) or (land.sources[a].publisher if a in land.sources else a)
                           for a in c.asserted_by)
            srcs = []
            for ev in c.evidence:
                s = land.sources.get(ev.source)
                label = e(s.title) if s else e(ev.source)
                tag = "" if ev.effect.value == "supports" else '<strong class="cg-contra">contradicts:</strong> '
                para = f'<div class="cg-para">“{e(ev.paraphrase)}”</div>' if ev.paraphrase else ""
                pub = f" — {e(s.publisher)}{', ' + e(str(s.published)) if s and s.published else ''} ({e(s.tier.value)})" if s else ""
                srcs.append(f'<li>{tag}<a href="#{e(_anchor("source", ev.source))}">{label}</a>{pub}{para}</li>')
            notes = f'<div class="cg-claim-notes">{e(c.notes)}</div>' if c.notes else ""
            out.append(f'<tr id="{e(_anchor("claim", c.id))}"><td class="cg-ids">{e(c.id)}</td>'
                       f"<td>{e(land.describe(c))}{notes}</td><td>{e(when)}</td><td>{e(by)}</td>"
                       f'<td><ul class="cg-sources">{"".join(srcs)}</ul></td></tr>')
        out.append("</tbody></table>")
    out.append("</section>")
    return "\n".join(out)


_TIER_WORDS = {
    Tier.PRIMARY: "primary: the party itself, a filing or an official record",
    Tier.WIRE: "wire service",
    Tier.PRESS: "established press",
    Tier.MIRROR: "mirror or reprint of another source",
    Tier.AGGREGATOR: "aggregator (weak: cannot carry a confirmation alone)",
    Tier.SELF_MEDIA: "self-media (weak: cannot carry a confirmation alone)",
}


def _sources_html(land, only: set[str] | None = None) -> str:
    """The sources by reliability, how many claims cite each: all, or (a summary) those in ``only``."""
    cites = Counter(ev.source for c in land.claims.values() for ev in c.evidence)
    order = {t: i for i, t in enumerate(Tier)}
    chosen = land.sources.values() if only is None else [land.sources[i] for i in only if i in land.sources]
    srcs = sorted(chosen, key=lambda s: (order[s.tier], s.publisher.lower(), s.id))
    out = ['<section id="sources"><h2>Sources and their reliability</h2>']
    if only is not None:
        out.append(f'<p class="cg-muted">{len(srcs)} of {len(land.sources)} sources listed: those the claims '
                   "listed above rest on. Every claim in the graph and in the ledger names its own sources.</p>")
    out += ["<table><thead><tr><th>source</th><th>publisher</th><th>published</th><th>reliability</th>"
           "<th>language</th><th>cited by</th></tr></thead><tbody>"]
    for s in srcs:
        url = s.safe_url
        title = (f'<a href="{e(url, quote=True)}" target="_blank" rel="noopener noreferrer">{e(s.title)}</a>'
                 if url else e(s.title))
        if s.url and not url:
            title += ' <span class="cg-muted">(link not opened: not http(s))</span>'
        out.append(f'<tr id="{e(_anchor("source", s.id))}"><td>{title}<div class="cg-ids">{e(s.id)}</div></td>'
                   f"<td>{e(s.publisher)}</td><td>{e(str(s.published or ''))}</td>"
                   f'<td data-tier="{e(s.tier.value)}">{e(_TIER_WORDS.get(s.tier, s.tier.value))}</td>'
                   f"<td>{e(s.language)}</td><td>{cites.get(s.id, 0)} claims</td></tr>")
    out.append("</tbody></table></section>")
    return "\n".join(out)


def _summary_html(land, as_of, min_status, known_on=None) -> str:
    stats = land.stats()
    status_bits = ", ".join(f"{n} {s}" for s, n in stats["by_status"].items() if n)
    tier_bits = ", ".join(f"{n} {t}" for t, n in stats["by_tier"].items())
    view = []
    if as_of:
        view.append(f"as of {as_of}")
    if known_on:
        view.append(f"as the record stood on {known_on}")
    if min_status:
        view.append(f"claims {getattr(min_status, 'value', min_status)} or stronger")
    return (
        '<section id="summary"><h2>What this landscape holds</h2>'
        f"<p>{stats['entities']} entities, {stats['claims']} claims ({stats['relations']} relations and "
        f"{stats['value_claims']} values), {stats['sources']} sources.</p>"
        f"<p>Claims by status: {e(status_bits)}.</p><p>Sources by reliability: {e(tier_bits)}.</p>"
        + (f"<p>View: {e('; '.join(view))}.</p>" if view else "")
        + "<p class=\"cg-muted\">Every edge is a claim with its sources and a status. Solid lines are "
        "confirmed or reported, dashed lines claimed, dotted and faded lines stale, disputed, unsupported "
        "or refuted. Generated " + e(_dt.date.today().isoformat()) + " by claimgraph.</p></section>"
    )


#: how many entities and audit findings a summary report lists
TOP_ENTITIES = 20
TOP_FINDINGS = 25


def _count_table(title: str, what: str, counts: dict[str, int], attr: str) -> str:
    rows = "".join(f'<tr data-{attr}="{e(k)}"><td>{e(k)}</td><td>{n:,}</td></tr>' for k, n in counts.items() if n)
    return (f'<div class="cg-count-table"><h3>{e(title)}</h3><table><thead><tr><th>{e(what)}</th><th>count</th>'
            f"</tr></thead><tbody>{rows}</tbody></table></div>")


def _overview_html(land, top: list[str], findings: list, cited: tuple[set, set]) -> str:
    """A big landscape at a glance: counts by status, stance and kind, the most influential
    entities (each a link that explores the graph from it), and the audit's findings (counted,
    the most severe listed); adds the listed findings' claims and sources to ``cited``."""
    from ..honesty import SEVERITIES, summarize

    stats = land.stats()
    out = ['<section id="overview"><h2>At a glance</h2>',
           '<p class="cg-muted">This landscape is big: the graph above opens on its '
           f"{len(top)} most influential entities (PageRank) and the ties between them. Search for any entity, "
           "click one to list its claims, double-click (or <em>expand</em>) to bring in its neighbours.</p>",
           '<div class="cg-counts">',
           _count_table("Claims by status", "status", stats["by_status"], "status"),
           _count_table("Claims by stance (of the predicate)", "stance", stats["by_stance"], "stance"),
           _count_table("Entities by kind", "kind", stats["by_kind"], "kind"),
           "</div>"]
    per: dict[str, Counter] = {i: Counter() for i in top[:TOP_ENTITIES]}
    for c in land.claims.values():
        for x in (c.subject, c.object):
            if x in per:
                per[x][c.status.value] += 1
    out.append(f'<h3>The {min(len(top), TOP_ENTITIES)} most influential entities</h3>'
               '<table id="cg-top-entities"><thead><tr><th>entity</th><th>kind</th><th>claims</th><th>by status</th>'
               "<th></th></tr></thead><tbody>")
    for ident in top[:TOP_ENTITIES]:
        ent = land.entities[ident]
        n = per[ident]
        bits = ", ".join(f"{n[s.value]} {s.value}" for s in reversed(STATUS_ORDER) if n[s.value])
        href = view_fragment(nodes=[ident], open=[ident], node=ident)
        out.append(f'<tr data-entity="{e(ident)}"><td>{e(ent.name)}</td><td>{e(ent.kind)}</td>'
                   f"<td>{sum(n.values()):,}</td><td>{e(bits)}</td>"
                   f'<td><a class="cg-view cg-noprint" href="{e(href, quote=True)}">explore from here</a></td></tr>')
    out.append("</tbody></table>")
    counts = summarize(findings)
    out.append('<h3 id="audit">Audit findings</h3>')
    if not findings:
        out.append('<p class="cg-lead cg-empty">The audit (claimgraph audit) found nothing.</p>')
    else:
        parts = []
        for sev in SEVERITIES:
            by_code = counts.get(sev, {})
            if by_code:
                parts.append(f"{sum(by_code.values()):,} {sev} (" + ", ".join(f"{k} {n:,}" for k, n in by_code.items()) + ")")
        out.append(f'<p class="cg-lead" data-findings="{len(findings)}">{e("; ".join(parts))}.</p>')
        shown = [f for f in findings if f.severity != "info"][:TOP_FINDINGS]
        if shown:
            out.append('<table id="cg-findings"><thead><tr><th>severity</th><th>code</th><th>finding</th><th>claims</th>'
                       "</tr></thead><tbody>")
            for f in shown:
                cited[0].update(_capped(f.claim_ids, ROW_LINKS)[0])
                cited[1].update(_capped(f.source_ids, ROW_LINKS)[0])
                out.append(f'<tr data-code="{e(f.code)}"><td>{e(f.severity)}</td><td>{e(f.code)}</td><td>{e(f.message)}</td>'
                           f'<td class="cg-ids">{_claim_links(f.claim_ids, ROW_LINKS)} {_view_link(land, f.claim_ids, "(graph)")}</td></tr>')
            out.append("</tbody></table>")
            total = sum(1 for f in findings if f.severity != "info")
            out.append(f'<p class="cg-muted">Showing the {len(shown)} most severe of {total:,} critical and warning '
                       "findings; all of them: <code>claimgraph audit</code> (<code>--all</code>: the info too).</p>")
    out.append("</section>")
    return "\n".join(out)


def render_report(land, *, title: str | None = None, as_of: Any = None, min_status: Any = None,
                  focus: str | None = None, spec: ReportSpec | None = None, known_on: Any = None,
                  page: str = "auto") -> str:
    """The report page for ``land`` as a string (see :func:`claimgraph.viz.report`): its
    headline sections come from ``spec`` (default: the landscape's ``report.yaml``, else
    defaults chosen from its data, see :mod:`claimgraph.viz.reportspec`), about ``focus`` when
    given. ``page``: ``"auto"``, ``"summary"`` or ``"full"``
    (:func:`~claimgraph.viz.data.wants_summary`): a summary report adds counts, the most
    influential entities and the audit's findings, and lists only the claims and sources its
    answers and findings cite (the page lists the others on demand).

    >>> from claimgraph import load
    >>> "At a glance" in render_report(load()), "At a glance" in render_report(load(), page="summary")
    (False, True)
    """
    title = title or "claimgraph report"
    summary = wants_summary(land, page)
    sections = plan_report(land, spec, focus=focus)
    with gc_paused():
        data = page_data(land, title=title, page=page,
                         subtitle=subtitle_for(land, as_of=as_of, min_status=min_status, known_on=known_on))
        cited: tuple[set, set] | None = (set(), set()) if summary else None
        body = ['<div class="cg-report-body">',
                '<nav class="cg-noprint">' + ('<a href="#overview">At a glance</a> · ' if summary else "")
                + '<a href="#headlines">Headline answers</a> · <a href="#ledger">Claim ledger</a>'
                ' · <a href="#sources">Sources</a></nav>',
                _summary_html(land, as_of, min_status, known_on)]
        if summary:
            from ..honesty import audit

            body.append(_overview_html(land, data["meta"]["top"], audit(land), cited))
        body.append('<section id="headlines"><h2>Headline answers</h2>')
        body += [_headline_html(land, sec, cited) for sec in sections]
        body.append("</section>")
        if cited is None:
            body.append(_ledger_html(land))
            body.append(_sources_html(land))
        else:
            claims, sources = cited
            sources |= {ev.source for i in claims if i in land.claims for ev in land.claims[i].evidence}
            body.append(_ledger_html(land, only=claims))
            body.append(_sources_html(land, only=sources))
        body.append("</div>")
        out = render_page(data, report_html="\n".join(body), body_class="cg-report")
        del data  # freed while the collector still sleeps (see gc_paused)
    return out
