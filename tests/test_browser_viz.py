"""The HTML page in real headless Chromium, opened from file:// with all network blocked.

Screenshots go to the ``artifacts`` folder (test-artifacts/, not committed).
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

import pytest

from claimgraph import load
from claimgraph.viz import html as write_html
from tests.test_viz import PAYLOADS, SMALL, injection_dataset, write_yaml

pytestmark = pytest.mark.browser


def open_page(page, path: Path) -> None:
    page.goto(path.resolve().as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=60_000)


def assert_clean(page) -> None:
    probe = page.probe
    assert probe.blocked == [], f"the page tried the network: {probe.blocked[:3]}"
    assert probe.failed == [], f"failed requests: {probe.failed[:3]}"
    assert probe.console_errors == [], probe.console_errors[:3]
    assert probe.dialogs == [], f"a dialog opened: {probe.dialogs}"


def visible_edges(page) -> int:
    n = page.evaluate("() => claimgraph.visibleEdgeCount()")
    drawn = page.evaluate("() => claimgraph.drawnCounts().edges")
    assert drawn == n == int(page.get_attribute("body", "data-visible-edges"))
    return n


def click_node(page, node_id: str) -> None:
    """A real mouse click on the node's position on the canvas."""
    x, y = page.evaluate(
        """id => { const n = claimgraph.network; const p = n.canvasToDOM(n.getPositions([id])[id]);
                   const r = document.getElementById('cg-graph').getBoundingClientRect();
                   return [r.left + p.x, r.top + p.y]; }""", node_id)
    page.mouse.click(x, y)
    page.wait_for_selector(f"body[data-selected='{node_id}']", timeout=5_000)


@pytest.fixture
def small(tmp_path):
    src = write_yaml(tmp_path, "small.yaml", SMALL)
    out = write_html(tmp_path / "small.html", [src])
    return load([src]), out


def test_page_opens_offline_with_every_node_and_edge(page, small, artifacts):
    land, out = small
    open_page(page, out)
    counts = page.evaluate("() => claimgraph.drawnCounts()")
    assert counts == {"nodes": len(land.entities), "edges": land.graph.number_of_edges()}
    assert visible_edges(page) == land.graph.number_of_edges()
    # the canvas really has something drawn on it
    painted = page.evaluate("""() => { const c = document.querySelector('#cg-graph canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }""")
    assert painted > 1000
    page.screenshot(path=str(artifacts / "html-small.png"))
    assert_clean(page)


def test_status_and_date_filters_change_the_visible_edges(page, small, artifacts):
    land, out = small
    open_page(page, out)
    total = land.graph.number_of_edges()
    not_claimed = sum(1 for *_, d in land.graph.edges(data=True) if d["status"].value != "claimed")
    assert 0 < not_claimed < total
    page.click("input[data-group='statuses'][data-name='claimed']")
    assert visible_edges(page) == not_claimed
    # the landscape as of a day: the same count the library gives
    day = "2018-01-01"
    page.fill("#cg-f-date", day)
    page.dispatch_event("#cg-f-date", "change")
    as_of = land.as_of(day)
    expected = sum(1 for *_, d in as_of.graph.edges(data=True) if d["status"].value != "claimed")
    assert visible_edges(page) == expected < not_claimed
    page.screenshot(path=str(artifacts / "html-filtered.png"))
    # the page reads partial dates exactly as PartialDate does
    from claimgraph.model import PartialDate

    for text in ("2016", "2019-06", "2024-02", "2023-02", "2025-12", "2025-10-08"):
        d = PartialDate.parse(text)
        assert page.evaluate("p => claimgraph.dateRange(p)", text) == [d.start().isoformat(), d.end().isoformat()]
    page.click("#cg-f-date-clear")
    page.click("input[data-group='statuses'][data-name='claimed']")
    assert visible_edges(page) == total
    # stance and predicate
    page.click("input[data-group='stances'][data-name='financial']")
    financial = sum(1 for *_, d in land.graph.edges(data=True) if d["stance"] == "financial")
    assert visible_edges(page) == total - financial
    page.click("input[data-group='stances'][data-name='financial']")
    page.select_option("#cg-f-predicate", "SUPPLIES")
    assert visible_edges(page) == 1
    assert_clean(page)


def test_search_in_chinese_and_click_lists_claims(page, small, artifacts):
    land, out = small
    open_page(page, out)
    page.fill("#cg-search", "英偉達")
    page.click("#cg-results .cg-result[data-id='nvidia']")
    page.wait_for_selector("body[data-selected='nvidia']")
    assert page.text_content("#cg-details h2") == "Nvidia"
    items = page.locator("#cg-details .cg-claim")
    assert items.count() == len(land.claims_of("nvidia"))
    # a real click on Tesla: its neighbourhood stays bright, the rest dims, its value claim is listed
    click_node(page, "tesla")
    text = page.text_content("#cg-details")
    assert "Tesla releases a new generation every 9 months" in text
    assert "Nvidia supplies Tesla" in text
    opacity = page.evaluate("() => Object.fromEntries(claimgraph.nodes.get().map(n => [n.id, n.opacity]))")
    assert opacity["nvidia"] == 1 and opacity["dojo"] == 1 and opacity["amd"] < 1
    # sources: title, publisher, date and a link only for http(s)
    hrefs = page.eval_on_selector_all("#cg-details a", "els => els.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith(("https://", "http://")) for h in hrefs)
    assert "Reuters, 2025-10-08 (wire)" in text
    page.screenshot(path=str(artifacts / "html-selected.png"))
    assert_clean(page)


def test_hover_shows_the_claim_as_a_tooltip(page, small):
    land, out = small
    open_page(page, out)
    x, y = page.evaluate(
        """() => { const n = claimgraph.network; const p = n.canvasToDOM(n.getPositions(['amd']).amd);
                   const r = document.getElementById('cg-graph').getBoundingClientRect();
                   return [r.left + p.x, r.top + p.y]; }""")
    page.mouse.move(x, y)
    page.wait_for_selector("#cg-tooltip:not([hidden])", timeout=5_000)
    assert "AMD" in page.text_content("#cg-tooltip")
    assert_clean(page)


def test_injection_payloads_stay_inert(page, tmp_path, artifacts):
    src = write_yaml(tmp_path, "evil.yaml", injection_dataset())
    land = load([src])
    out = write_html(tmp_path / "evil.html", [src])
    open_page(page, out)
    # show every node's claim list (all claims, their sources, paraphrases, notes) and search
    for eid in land.entities:
        page.evaluate("id => claimgraph.selectNode(id)", eid)
        assert page.text_content("#cg-details h2") == land.entities[eid].name
    page.fill("#cg-search", "英偉達")
    assert page.locator("#cg-results .cg-result").count() == len(land.entities)
    click_node(page, "e1")
    x, y = page.evaluate(
        """() => { const n = claimgraph.network; const p = n.canvasToDOM(n.getPositions(['e2']).e2);
                   const r = document.getElementById('cg-graph').getBoundingClientRect();
                   return [r.left + p.x, r.top + p.y]; }""")
    page.mouse.move(x, y)
    page.wait_for_selector("#cg-tooltip:not([hidden])", timeout=5_000)
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "html-injection.png"))

    assert page.evaluate("() => window.__pwned") is None
    # the payloads are on screen as text
    details = page.text_content("#cg-details")
    assert PAYLOADS[0] in details or PAYLOADS[1] in details
    # no element the payloads could have created, no handler attribute, no dangerous link
    found = page.evaluate("""() => {
        const bad = [];
        for (const el of document.querySelectorAll('*')) {
            for (const a of el.attributes) if (a.name.startsWith('on')) bad.push(el.tagName + ' ' + a.name);
        }
        const tags = [...document.querySelectorAll('img, iframe, object, embed, svg:not(.cg-swatch)')].map(e => e.tagName);
        const scripts = document.querySelectorAll('script').length;
        const hrefs = [...document.querySelectorAll('a')].map(a => a.getAttribute('href'));
        return {bad, tags, scripts, hrefs};
    }""")
    assert found["bad"] == [] and found["tags"] == [] and found["scripts"] == 3
    assert found["hrefs"] and all(h == "https://example.org/ok?a=1&b=2" for h in found["hrefs"])
    assert_clean(page)


def test_large_landscape_is_drawn_without_physics(page, tmp_path, artifacts):
    from claimgraph.synth import generate

    land = generate(entities=800, claims=2400, seed=5)
    out = write_html(tmp_path / "large.html", land)
    open_page(page, out)
    assert page.evaluate("() => claimgraph.network.physics.physicsEnabled") is False
    assert page.evaluate("() => claimgraph.drawnCounts()") == {
        "nodes": len(land.entities), "edges": land.graph.number_of_edges()}
    day = _dt.date(2024, 1, 1).isoformat()
    page.fill("#cg-f-date", day)
    page.dispatch_event("#cg-f-date", "change")
    assert visible_edges(page) == land.as_of(day).graph.number_of_edges()
    hub = max(land.graph.degree, key=lambda kv: kv[1])[0]
    click_node(page, hub)
    n = len(land.claims_of(hub))
    # the neighbourhood is selected (drawn highlighted), the list pages long claim lists
    selected = page.evaluate("() => claimgraph.network.getSelectedNodes().length")
    neighbours = {c.object if c.subject == hub else c.subject for c in land.as_of(day).claims_of(hub) if c.object}
    assert selected == len(neighbours | {hub})
    shown = page.locator("#cg-details .cg-claim").count()
    assert shown == min(n, 60)
    if n > 60:
        page.click("#cg-details .cg-more")
        assert page.locator("#cg-details .cg-claim").count() == n
    page.screenshot(path=str(artifacts / "html-large.png"))
    # zooming in brings back dashes (claimed) and arrow heads (directed predicates)
    claimed = next(k for *_, k, d in land.graph.edges(keys=True, data=True) if d["status"].value == "claimed")
    assert page.evaluate("id => claimgraph.edges.get(id).dashes", claimed) is False
    box = page.locator("#cg-graph").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(40):
        page.mouse.wheel(0, -400)
        if page.get_attribute("body", "data-detail") == "1":
            break
        page.wait_for_timeout(50)
    assert page.get_attribute("body", "data-detail") == "1"
    assert page.evaluate("id => claimgraph.edges.get(id).dashes", claimed)
    page.screenshot(path=str(artifacts / "html-large-zoomed.png"))
    assert_clean(page)


def test_page_data_survives_the_browser_intact(page, small):
    """What the page parsed is exactly what Python embedded (no escaping damage)."""
    land, out = small
    open_page(page, out)
    names = page.evaluate("() => claimgraph.data.nodes.map(n => [n.id, n.name, n.aliases])")
    assert sorted(json.loads(json.dumps(names))) == sorted(
        [e.id, e.name, e.aliases] for e in land.entities.values())


def test_report_opens_offline_with_the_headline_answers(page, bundled, tmp_path, artifacts):
    from claimgraph.queries import QUERIES
    from claimgraph.viz import report

    out = report(tmp_path / "report.html", bundled)
    open_page(page, out)
    assert page.evaluate("() => claimgraph.drawnCounts()") == {
        "nodes": len(bundled.entities), "edges": bundled.graph.number_of_edges()}
    page.screenshot(path=str(artifacts / "report-top.png"))
    answers = page.evaluate("""() => [...document.querySelectorAll('.cg-answer')].map(a => ({
        id: a.id, query: a.dataset.query, unavailable: !!a.querySelector('.cg-unavailable'),
        rows: a.querySelectorAll('tbody tr').length, text: a.textContent}))""")
    by_id = {a["id"]: a for a in answers}
    expected = {"frenemies": "frenemies", "circular-deals": "circular-deals",
                "tesla-dependencies": "dependencies", "contradictions": "contradictions",
                "roadmap": "roadmap"}
    for key, query in expected.items():
        assert query in QUERIES
        assert by_id[key]["query"] == query
        assert not by_id[key]["unavailable"] and by_id[key]["rows"] > 0, by_id[key]["text"][:300]
    assert "Nvidia" in by_id["frenemies"]["text"] and "Tesla" in by_id["frenemies"]["text"]
    assert "xAI" in by_id["circular-deals"]["text"]
    assert "Samsung" in by_id["tesla-dependencies"]["text"]
    assert "7%" in by_id["contradictions"]["text"]
    assert "9 months" in by_id["roadmap"]["text"]  # the claimed cadence beside the measured gaps
    # every claim and source a headline cites is in the ledger / source list of the same page
    missing = page.evaluate("""() => [...document.querySelectorAll('.cg-answer a[href^="#"]:not(.cg-view)')]
        .map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id))""")
    assert missing == []
    assert page.locator("#ledger tbody tr").count() == len(bundled.claims)
    assert page.locator("#sources tbody tr").count() == len(bundled.sources)
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))")
    assert all(h.startswith(("#", "http://", "https://")) for h in hrefs)
    page.evaluate("() => document.getElementById('headlines').scrollIntoView()")
    page.screenshot(path=str(artifacts / "report-headlines.png"))
    # printable: controls hidden, the sections flow onto pages
    page.emulate_media(media="print")
    assert page.evaluate("() => getComputedStyle(document.querySelector('.cg-controls')).display") == "none"
    page.pdf(path=str(artifacts / "report.pdf"), format="A4")
    assert (artifacts / "report.pdf").stat().st_size > 50_000
    assert_clean(page)


def test_report_with_injection_payloads_stays_inert(page, tmp_path):
    from claimgraph.viz import report

    src = write_yaml(tmp_path, "evil.yaml", injection_dataset())
    out = report(tmp_path / "evil-report.html", [src])
    open_page(page, out)
    page.evaluate("() => document.getElementById('sources').scrollIntoView()")
    assert page.evaluate("() => window.__pwned") is None
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))")
    assert all(h.startswith("#") or h == "https://example.org/ok?a=1&b=2" for h in hrefs)
    assert_clean(page)


def test_notebook_iframe_renders_the_graph(page, small, tmp_path):
    from claimgraph.viz import notebook_html

    land, _ = small
    host = tmp_path / "notebook.html"
    host.write_text(f"<!DOCTYPE html><html><body>{notebook_html(land)}</body></html>", encoding="utf-8")
    page.goto(host.as_uri())
    frame = page.frame_locator("iframe.claimgraph")
    frame.locator("body[data-ready='1']").wait_for(timeout=60_000)
    inner = page.frames[1]
    assert inner.evaluate("() => claimgraph.drawnCounts()") == {
        "nodes": len(land.entities), "edges": land.graph.number_of_edges()}
    assert_clean(page)
