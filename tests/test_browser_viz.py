"""The HTML page in real headless Chromium, opened from file:// with all network blocked.

Screenshots and PDFs go to pytest's tmp_path (never committed).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from claimgraph import load
from claimgraph.viz import html as write_html
from claimgraph.viz.data import moves_money
from tests.test_viz import PAYLOADS, SMALL, injection_dataset, write_yaml

pytestmark = pytest.mark.browser


@pytest.fixture
def artifacts(tmp_path) -> Path:
    """Where a test's screenshots and PDFs go: its own tmp_path."""
    return tmp_path


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


def node_point(page, node_id: str) -> tuple[float, float]:
    """Where the node is drawn, in page coordinates."""
    return page.evaluate(
        """id => { const n = claimgraph.network; const p = n.canvasToDOM(n.getPositions([id])[id]);
                   const r = document.getElementById('cg-graph').getBoundingClientRect();
                   return [r.left + p.x, r.top + p.y]; }""", node_id)


def click_node(page, node_id: str) -> None:
    """A real mouse click on the node's position on the canvas."""
    page.mouse.click(*node_point(page, node_id))
    page.wait_for_selector(f"body[data-selected='{node_id}']", timeout=5_000)


def edge_point(page, edge_id: str) -> tuple[float, float] | None:
    """A point of the drawn edge, in page coordinates, where the edge is what lies under the
    pointer (nearest to it, no node on top); None when no such point exists."""
    return page.evaluate(
        """id => { const n = claimgraph.network; const e = n.body.edges[id];
                   const r = document.getElementById('cg-graph').getBoundingClientRect();
                   for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.35, 0.65, 0.25, 0.75, 0.2, 0.8, 0.15, 0.85]) {
                     const d = n.canvasToDOM(e.edgeType.getPoint(t));
                     if (d.x < 2 || d.y < 2 || d.x > r.width - 2 || d.y > r.height - 2) continue;
                     const hit = claimgraph.pickAt(d.x, d.y);
                     if (hit && hit.kind === 'edge' && hit.id === id) return [r.left + d.x, r.top + d.y];
                   }
                   return null; }""", edge_id)


def shown(page) -> tuple[set[str], set[str]]:
    """The entities and edges (claim ids, or pair: bundles) the graph draws."""
    nodes, edges = page.evaluate("() => [claimgraph.shownNodes(), claimgraph.shownEdges()]")
    assert len(nodes) == int(page.get_attribute("body", "data-visible-nodes"))
    assert len(edges) == int(page.get_attribute("body", "data-visible-edges"))
    return set(nodes), set(edges)


def neighbours(land, node: str) -> set[str]:
    return set(land.graph.successors(node)) | set(land.graph.predecessors(node))


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
    # edges away from Tesla dim too, its own keep their strength
    faded, kept = page.evaluate("() => [claimgraph.edgeOpacity('c-compete'), claimgraph.edgeOpacity('c-supply')]")
    assert faded <= 0.1 < kept
    # its claims grouped by predicate, the group with the strongest claim first
    groups = page.eval_on_selector_all("#cg-details h4.cg-group", "hs => hs.map(h => h.dataset.predicate)")
    assert groups == ["SUPPLIES", "HAS_CADENCE", "DEVELOPS"]  # confirmed, claimed, stale
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


@pytest.mark.parametrize("mode", ["full", "summary"])
def test_injection_payloads_stay_inert(page, tmp_path, artifacts, mode):
    src = write_yaml(tmp_path, "evil.yaml", injection_dataset())
    land = load([src])
    out = write_html(tmp_path / "evil.html", [src], page=mode)
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
    # the print picture carries every name as SVG text, nothing else
    page.evaluate("() => claimgraph.buildPrint()")
    printed = page.evaluate("""() => ({
        tags: [...new Set([...document.querySelectorAll('#cg-print svg.cg-print-graph *')].map(e => e.tagName))].sort(),
        labels: [...document.querySelectorAll('#cg-print text.cg-print-node-label')].map(t => t.textContent)})""")
    assert printed["tags"] == ["g", "path", "text"]
    assert sorted(printed["labels"]) == sorted(PAYLOADS)

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
        const tags = [...document.querySelectorAll('img, iframe, object, embed, svg:not(.cg-swatch):not(.cg-print-graph)')].map(e => e.tagName);
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


def test_report_of_a_generated_landscape_answers_every_headline(page, tmp_path, artifacts):
    """No bundled report.yaml: the sections choose their entities from the data, and none says
    its entity is missing; every cited claim and source is on the same page."""
    from claimgraph.synth import generate
    from claimgraph.viz import report

    land = generate(200, 1000, seed=0)
    out = report(tmp_path / "generated-report.html", land)
    open_page(page, out)
    answers = page.evaluate("""() => [...document.querySelectorAll('.cg-answer')].map(a => ({
        id: a.id, entity: a.dataset.entity, rows: a.querySelectorAll('tbody tr').length,
        lead: a.querySelector('.cg-lead') ? a.querySelector('.cg-lead').textContent : '',
        unavailable: !!a.querySelector('.cg-unavailable'), text: a.textContent}))""")
    assert [a["id"] for a in answers] == ["frenemies", "circular-deals", "money", "dependencies",
                                          "contradictions", "roadmap"]
    for a in answers:
        assert "not in this landscape" not in a["text"], a["id"]
        assert not a["unavailable"] and (a["rows"] > 0 or "looked for" in a["lead"]), (a["id"], a["text"][:300])
        assert a["rows"] <= 20
    for a in answers:
        if a["id"] in ("dependencies", "roadmap"):
            assert a["entity"] in land.entities and land.entities[a["entity"]].name in a["text"]
            assert "Chosen from the data" in a["text"]
    # anchors in the page (the #view: links open a view of the graph instead)
    missing = page.evaluate("""() => [...document.querySelectorAll('.cg-answer a[href^="#"]:not([href^="#view:"])')]
        .map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id))""")
    assert missing == []
    page.evaluate("() => document.getElementById('headlines').scrollIntoView()")
    page.screenshot(path=str(artifacts / "report-generated-headlines.png"))
    assert_clean(page)


@pytest.mark.parametrize("mode", ["full", "summary"])
def test_report_with_injection_payloads_stays_inert(page, tmp_path, mode):
    from claimgraph.viz import report

    src = write_yaml(tmp_path, "evil.yaml", injection_dataset())
    out = report(tmp_path / "evil-report.html", [src], page=mode)
    open_page(page, out)
    if mode == "summary":  # the claims the page lists on demand, every status
        for button in page.locator(".cg-ledger-status").all():
            button.click()
            assert page.locator("#cg-ledger-list .cg-claim").count() > 0
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


# -- print -------------------------------------------------------------------------------------

def pdf_words(pdf: Path, page_no: int = 1) -> list[tuple[str, float, float, float, float]]:
    """The words of one page of a PDF's text layer: (text, x0, y0, x1, y1) in points."""
    out = subprocess.run(["pdftotext", "-f", str(page_no), "-l", str(page_no), "-bbox", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', out)
    import html as _html

    return [(_html.unescape(t), float(a), float(b), float(c), float(d)) for a, b, c, d, t in words]


def pdf_gray(pdf: Path, tmp: Path, page_no: int = 1) -> np.ndarray:
    """One page rendered by poppler's pdftoppm at 72 dpi (one pixel a point), as grey levels."""
    stem = tmp / f"page-{page_no}"
    subprocess.run(["pdftoppm", "-gray", "-r", "72", "-f", str(page_no), "-l", str(page_no), str(pdf), str(stem)],
                   check=True)
    pgm = next(tmp.glob(f"page-{page_no}*.pgm")).read_bytes()
    # binary PGM: P5, width, height, maxval, then one byte a pixel
    head = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", pgm)
    w, h = int(head.group(1)), int(head.group(2))
    return np.frombuffer(pgm[head.end():head.end() + w * h], dtype=np.uint8).reshape(h, w)


@pytest.mark.parametrize(("paper", "wait"), [("A4", True), ("Letter", True), ("A4", False)],
                         ids=["a4", "letter", "a4-right-after-opening"])
def test_report_prints_the_whole_graph_with_legible_labels(page, bundled, tmp_path, paper, wait):
    from claimgraph.viz import report

    out = report(tmp_path / "report.html", bundled)
    page.goto(out.resolve().as_uri())
    if wait:
        page.wait_for_selector("body[data-ready='1']", timeout=60_000)
    pdf = tmp_path / f"report-{paper}.pdf"
    page.pdf(path=str(pdf), format=paper)  # Chromium's print: beforeprint, then print media
    words = pdf_words(pdf, 1)
    # the graph sits between the subtitle ("... 44 sources") and its caption ("N of M relations shown")
    top = next(y1 for t, _, _, _, y1 in words if t == "sources")
    bottom = next(y0 for (t, _, y0, _, _), (t2, *_) in zip(words, words[1:], strict=False)
                  if t == "relations" and t2 == "shown")
    assert bottom - top > 200, "the graph has a real height on the first page"
    inside = [w for w in words if top < w[2] and w[4] < bottom]
    # whole: every entity's name is printed on it, as text
    printed = {w[0] for w in inside}
    missing = [e.name for e in bundled.entities.values() if not set(e.name.split()) <= printed]
    assert missing == [], missing
    # legible: the labels are at least 6 pt high
    heights = sorted(w[4] - w[2] for w in inside)
    assert heights[0] >= 6 and np.median(heights) >= 7, heights[:5]
    # drawn: the graph area holds nodes and edges (not a blank box)
    gray = pdf_gray(pdf, tmp_path)
    region = gray[int(top) + 2:int(bottom) - 2, :]
    inked, dark = (region < 200).mean(), (region < 100).sum()
    assert inked > 0.04, f"only {inked:.1%} of the graph area is drawn"  # about 9% when drawn
    assert dark > 2500, dark  # dark strokes (outlines, label text): about 5,400 pixels when drawn
    assert page.probe.console_errors == []


def test_page_prints_the_view_that_is_shown(page, bundled, tmp_path):
    out = write_html(tmp_path / "tesla.html", bundled, focus_on="tesla", depth=1)
    open_page(page, out)
    pdf = tmp_path / "tesla.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4")
    text = " ".join(w[0] for w in pdf_words(pdf, 1))
    around = neighbours(bundled, "tesla") | {"tesla"}
    for eid in around:
        assert all(part in text for part in bundled.entities[eid].name.split()), eid
    far = [e.name for k, e in bundled.entities.items() if k not in around]
    assert far and not any(name in text for name in far if len(name) > 6)
    assert "explored from Tesla" in text


# -- window sizes, hover against click -----------------------------------------------------------

@pytest.mark.parametrize(("width", "height"), [(1024, 768), (1440, 900), (1920, 1080)])
def test_labels_are_readable_at_common_window_sizes(page, bundled, tmp_path, width, height):
    page.set_viewport_size({"width": width, "height": height})
    out = write_html(tmp_path / "land.html", bundled)
    open_page(page, out)
    box = page.locator("#cg-graph").bounding_box()
    if width < 1280:
        # the panels fold away: the graph takes the whole width; the filters open from the header
        assert box["width"] >= width - 2
        assert not page.is_visible("#cg-f-status")
        page.click("#cg-toggle-controls")
        assert page.is_visible("#cg-f-status")
        page.click("#cg-toggle-controls")
    else:
        assert page.is_visible("#cg-f-status") and not page.is_visible("#cg-toggle-controls")
        assert box["width"] >= width * 0.55
    labels = page.evaluate("""() => { const n = claimgraph.network, s = n.getScale();
        return Object.values(n.body.nodes).map(x => [x.id, x.labelModule.visible(), x.labelModule.fontOptions.size * s]); }""")
    assert len(labels) == len(bundled.entities)
    hidden = [i for i, vis, _ in labels if not vis]
    assert hidden == []
    assert min(px for *_, px in labels) >= 11.5  # on-screen pixels
    edge_px = page.evaluate("""() => { const n = claimgraph.network, s = n.getScale();
        return Math.min(...Object.values(n.body.edges).filter(e => e.options.label).map(e => e.labelModule.fontOptions.size * s)); }""")
    assert edge_px >= 9.5
    # the details open beside (or over) the graph and close again
    click_node(page, "nvidia")
    assert page.is_visible("#cg-details h2")
    page.keyboard.press("Escape")
    page.wait_for_selector("body:not([data-selected])")
    if width < 1280:
        assert not page.is_visible("#cg-details h2")
    page.screenshot(path=str(tmp_path / f"html-{width}.png"))
    assert_clean(page)


def test_hover_and_click_name_the_same_claim_on_every_edge(page, bundled, tmp_path):
    out = write_html(tmp_path / "land.html", bundled)
    open_page(page, out)
    edges = page.evaluate("() => claimgraph.shownEdges()")
    assert len(edges) == bundled.graph.number_of_edges()
    covered = []
    for eid in edges:
        point = edge_point(page, eid)
        if point is None:  # another edge or a node lies over all of it: nothing to hover
            covered.append(eid)
            continue
        page.mouse.move(*point)
        page.wait_for_function("() => claimgraph.tooltipFor() !== null", timeout=5_000)
        hovered = page.get_attribute("#cg-tooltip .cg-claim", "data-claim")
        page.mouse.click(*point)
        page.wait_for_selector("body[data-selected]", timeout=5_000)
        clicked = page.get_attribute("#cg-details .cg-claim", "data-claim")
        assert hovered == clicked == eid, (eid, hovered, clicked)
        # the claim's words are what the tooltip and the panel say
        assert bundled.describe(eid) in page.text_content("#cg-details")
        page.keyboard.press("Escape")
        page.wait_for_selector("body:not([data-selected])", timeout=5_000)
    assert len(covered) <= 3, covered
    assert_clean(page)


# -- exploring -----------------------------------------------------------------------------------

def test_explore_from_focus_expands_one_click_at_a_time(page, bundled, tmp_path):
    out = write_html(tmp_path / "xai.html", bundled, focus_on="xAI", depth=1)
    open_page(page, out)
    expected = {"xai"} | neighbours(bundled, "xai")
    nodes, edges = shown(page)
    assert nodes == expected

    def claims_among(keep):
        return {c.id for c in bundled.claims.values() if c.object and c.subject in keep and c.object in keep}

    assert edges == claims_among(expected)
    assert "nodes=xai" in page.url and "open=xai" in page.url
    # a double click on a neighbour brings its neighbours in
    before = len(nodes)
    page.mouse.dblclick(*node_point(page, "nvidia"))
    page.wait_for_function(f"() => claimgraph.shownNodes().length > {before}", timeout=5_000)
    expected |= neighbours(bundled, "nvidia")
    nodes, edges = shown(page)
    assert nodes == expected and edges == claims_among(expected)
    # the entity panel's button does the same, one node at a time
    other = next(n for n in sorted(expected) if not neighbours(bundled, n) <= expected)
    click_node(page, other)
    page.click("#cg-details .cg-expand")
    expected |= neighbours(bundled, other)
    page.wait_for_function(f"() => claimgraph.shownNodes().length === {len(expected)}", timeout=5_000)
    assert shown(page)[0] == expected
    # every shown node's label stays readable as the view grows
    assert page.evaluate("() => claimgraph.labelPx()") >= 11.5
    page.screenshot(path=str(tmp_path / "explore.png"))
    # a new layout of what is shown, and back to the first one
    first = page.evaluate("() => claimgraph.network.getPositions()")
    page.click("#cg-relayout")
    page.wait_for_selector("body[data-layout='again']", timeout=30_000)
    again = page.evaluate("() => claimgraph.network.getPositions()")
    assert set(again) == set(first) and any(again[k] != first[k] for k in first)
    page.click("#cg-layout-reset")
    page.wait_for_selector("body[data-layout='first']")
    back = page.evaluate("() => claimgraph.network.getPositions()")
    assert all(abs(back[k]["x"] - first[k]["x"]) < 0.5 and abs(back[k]["y"] - first[k]["y"]) < 0.5 for k in first)
    page.click("#cg-details .cg-collapse")
    page.wait_for_function(f"() => claimgraph.shownNodes().length < {len(expected)}", timeout=5_000)
    page.click(".cg-show-all")
    assert shown(page)[0] == set(bundled.entities)
    # from a search: Chinese name, then "explore from here"
    page.fill("#cg-search", "英伟达")
    page.click("#cg-results .cg-result[data-id='nvidia']")
    page.click("#cg-details .cg-explore-here")
    assert shown(page)[0] == {"nvidia"} | neighbours(bundled, "nvidia")
    assert_clean(page)


def test_one_stance_alone_money_as_financial_and_unconnected_nodes_hidden(page, bundled, tmp_path):
    out = write_html(tmp_path / "land.html", bundled)
    open_page(page, out)
    vocab = bundled.vocabulary.predicates
    relations = [c for c in bundled.claims.values() if c.object]

    def stance_alone(stance):
        page.click(f".cg-only[data-group='stances'][data-name='{stance}']")
        return shown(page)

    nodes, edges = stance_alone("financial")
    financial = {c.id for c in relations if vocab[c.predicate].stance == "financial" or moves_money(c)}
    assert edges == financial
    # the largest deal moves money though its predicate is a supply one
    assert "samsung-manufactures-for-tesla-bare-minimum" in edges
    assert vocab["MANUFACTURES_FOR"].stance == "supply"
    assert len(nodes) == len(bundled.entities)  # unconnected nodes stay ...
    page.check("#cg-f-isolated")  # ... until hidden
    nodes, _ = shown(page)
    assert nodes == {x for c in relations if c.id in financial for x in (c.subject, c.object)}
    _, edges = stance_alone("supply")
    assert edges == {c.id for c in relations if vocab[c.predicate].stance == "supply"}
    assert "samsung-manufactures-for-tesla-bare-minimum" in edges
    page.click(".cg-all[data-group='stances']")
    page.select_option("#cg-f-predicate", "COMPETES_WITH")
    nodes, edges = shown(page)
    competes = {c.id for c in relations if c.predicate == "COMPETES_WITH"}
    assert edges == competes and nodes == {x for c in relations if c.id in competes for x in (c.subject, c.object)}
    page.uncheck("#cg-f-isolated")
    page.select_option("#cg-f-predicate", "")
    assert shown(page) == (set(bundled.entities), {c.id for c in relations})
    assert_clean(page)


def test_parallel_claims_merge_into_one_edge_with_a_count(page, bundled, tmp_path):
    out = write_html(tmp_path / "land.html", bundled)
    open_page(page, out)
    page.check("#cg-f-merge")
    pairs: dict[frozenset, list[str]] = {}
    for c in bundled.claims.values():
        if c.object and c.object != c.subject:
            pairs.setdefault(frozenset((c.subject, c.object)), []).append(c.id)
    _, edges = shown(page)
    assert len(edges) == len(pairs)
    bundle = "pair:nvidia|tesla"
    assert bundle in edges and len(pairs[frozenset(("nvidia", "tesla"))]) == 7
    assert page.evaluate(f"() => claimgraph.edges.get('{bundle}').label") == "×7"
    assert "drawn as" in page.text_content("#cg-count")
    point = edge_point(page, bundle)
    assert point is not None
    page.mouse.move(*point)
    page.wait_for_function(f"() => claimgraph.tooltipFor() === '{bundle}'", timeout=5_000)
    page.mouse.click(*point)
    page.wait_for_selector(f"body[data-selected='{bundle}']")
    listed = page.eval_on_selector_all("#cg-details .cg-claim", "els => els.map(e => e.dataset.claim)")
    assert sorted(listed) == sorted(pairs[frozenset(("nvidia", "tesla"))])
    # strongest first
    ranks = [bundled.claims[i].status.rank for i in listed]
    assert ranks == sorted(ranks, reverse=True)
    page.click("#cg-details .cg-split")
    _, edges = shown(page)
    assert bundle not in edges and set(pairs[frozenset(("nvidia", "tesla"))]) <= edges
    assert len(edges) == len(pairs) - 1 + 7
    assert "split=nvidia|tesla" in page.evaluate("() => claimgraph.viewFragment()")
    assert_clean(page)


def test_time_slider_redraws_as_it_moves(page, bundled, tmp_path):
    out = write_html(tmp_path / "land.html", bundled)
    open_page(page, out)
    stops = page.evaluate("() => claimgraph.data.time.axes[0].stops")
    assert stops == sorted(stops) and len(stops) > 20
    slider = page.locator(".cg-slider[data-axis='valid']")
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] - 2, y)
    page.mouse.down()
    seen = set()
    for frac in (0.9, 0.7, 0.5, 0.3, 0.1):
        page.mouse.move(box["x"] + box["width"] * frac, y, steps=4)
        day = page.text_content(".cg-slider-value")
        assert day in stops
        want = bundled.as_of(day).graph.number_of_edges()
        # redrawn while the slider is still held (the date field follows the slider)
        page.wait_for_function(f"() => document.getElementById('cg-f-date').value === '{day}'", timeout=5_000)
        assert visible_edges(page) == want
        seen.add(want)
    page.mouse.up()
    assert len(seen) >= 3, "the landscape changes over time"
    page.keyboard.press("Home")  # the slider keeps focus: its first day
    page.wait_for_function(f"() => document.getElementById('cg-f-date').value === '{stops[0]}'")
    assert visible_edges(page) == bundled.as_of(stops[0]).graph.number_of_edges()
    page.keyboard.press("End")  # all dates
    page.wait_for_function("() => document.getElementById('cg-f-date').value === ''")
    assert page.text_content(".cg-slider-value") == "all dates"
    assert visible_edges(page) == bundled.graph.number_of_edges()
    assert_clean(page)


# -- sharing -------------------------------------------------------------------------------------

def view_snapshot(page) -> dict:
    nodes, edges = shown(page)
    return {
        "nodes": sorted(nodes), "edges": sorted(edges),
        "selected": page.get_attribute("body", "data-selected"),
        "details": page.eval_on_selector_all("#cg-details .cg-claim", "els => els.map(e => e.dataset.claim)"),
        "title": page.text_content("#cg-details h2") if page.locator("#cg-details h2").count() else None,
        "count": page.text_content("#cg-count"),
        "date": page.input_value("#cg-f-date"),
        "slider": page.text_content(".cg-slider-value"),
        "boxes": page.eval_on_selector_all("input[data-group]", "bs => bs.map(b => b.checked)"),
        "merge": page.is_checked("#cg-f-merge"),
        "fragment": page.evaluate("() => claimgraph.viewFragment()"),
    }


def reopen(browser, url: str, serve: Path | None = None):
    from conftest import PageProbe

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    other = context.new_page()
    other.probe = PageProbe(other)
    if serve is not None:  # an http(s) address answered from the file, never from the network
        other.route("https://claimgraph.example/**", lambda route: route.fulfill(
            path=str(serve), content_type="text/html; charset=utf-8"))
    other.goto(url)
    other.wait_for_selector("body[data-ready='1']", timeout=60_000)
    return context, other


def test_a_copied_link_reopens_the_same_view(page, browser, bundled, tmp_path):
    out = write_html(tmp_path / "land.html", bundled)
    open_page(page, out)
    # a view made by hand: explore from Tesla, expand Samsung, no claimed claims, a day, merged
    # parallel claims, one claim selected
    page.fill("#cg-search", "特斯拉")
    page.click("#cg-results .cg-result[data-id='tesla']")
    page.click("#cg-details .cg-explore-here")
    click_node(page, "samsung")
    page.click("#cg-details .cg-expand")
    page.click("input[data-group='statuses'][data-name='claimed']")
    page.fill("#cg-f-date", "2025-09-01")
    page.dispatch_event("#cg-f-date", "change")
    page.check("#cg-f-merge")
    claim, point = next((e, p) for e in sorted(shown(page)[1]) if not e.startswith("pair:")
                        for p in [edge_point(page, e)] if p is not None)
    page.mouse.click(*point)
    page.wait_for_selector(f"body[data-selected='{claim}']")
    page.wait_for_function("() => location.hash === claimgraph.viewFragment()", timeout=5_000)
    url = page.url
    assert url.startswith("file://") and "#view:" in url and "valid=2025-09-01" in url
    view = view_snapshot(page)
    assert view["title"] == "Claim" and view["details"] == [claim]
    context, other = reopen(browser, url)
    try:
        assert view_snapshot(other) == view
        assert other.probe.console_errors == [] and other.probe.blocked == []
    finally:
        context.close()
    # the same fragment on an http(s) address
    context, other = reopen(browser, "https://claimgraph.example/land.html" + url[url.index("#"):], serve=out)
    try:
        assert view_snapshot(other) == view
        # the page keeps its address up to date there too
        other.click("input[data-group='statuses'][data-name='claimed']")
        other.wait_for_function("() => location.hash === claimgraph.viewFragment()", timeout=5_000)
        assert "status=" not in other.url
    finally:
        context.close()
    assert_clean(page)


def test_report_headline_answers_link_to_their_view(page, browser, bundled, tmp_path):
    from claimgraph.viz import report

    out = report(tmp_path / "report.html", bundled)
    open_page(page, out)
    page.evaluate("() => document.getElementById('circular-deals').scrollIntoView()")
    link = page.locator("#circular-deals tbody .cg-view").first
    href = link.get_attribute("href")
    ids = href.split("claims=")[1].split("&")[0].split(",")
    assert ids and all(i in bundled.claims for i in ids)
    link.click()
    page.wait_for_selector(f"body[data-selected='{','.join(ids)}']" if len(ids) > 1 else f"body[data-selected='{ids[0]}']")
    # the graph is back in sight, showing the answer's entities with its claims listed
    assert page.evaluate("() => document.getElementById('cg-graph').getBoundingClientRect().top") < 300
    ends = {x for i in ids for x in (bundled.claims[i].subject, bundled.claims[i].object) if x}
    assert shown(page)[0] == ends
    listed = page.eval_on_selector_all("#cg-details .cg-claim", "els => els.map(e => e.dataset.claim)")
    assert sorted(listed) == sorted(ids)
    view = view_snapshot(page)
    context, other = reopen(browser, page.url)
    try:
        assert view_snapshot(other) == view
    finally:
        context.close()
    assert_clean(page)
# -- ids that are names of JavaScript's own members ------------------------------------------------
#: ids that a plain object or vis-network's own objects and arrays already have: in a {} used as a
#: map, "constructor" and "toString" find Object.prototype's functions and "__proto__" replaces
#: the prototype; vis-network drew nothing for them, and "length" broke its arrays
PROTO_IDS = ["constructor", "__proto__", "toString", "hasOwnProperty", "length"]


def _hostile_page(tmp_path: Path, hostile: str, report: bool, monkeypatch) -> tuple[Path, dict]:
    """The SMALL landscape's page (or report) with one entity, one claim and one source renamed
    to ``hostile``; most of these are not slugs, so the page data is edited after validation:
    the page must not rely on the loader."""
    from claimgraph.viz import data as viz_data
    from claimgraph.viz import reportpage
    from claimgraph.viz.page import render_page

    land = load([write_yaml(tmp_path, "small.yaml", SMALL)])
    ent = next(e for e in sorted(land.entities) if any(c.object for c in land.claims_of(e)))
    claim = next(c for c in land.claims_of(ent) if c.object is not None)
    src = claim.evidence[0].source

    def renamed(*args, **kwargs) -> dict:
        text = json.dumps(viz_data.page_data(*args, **kwargs))
        for old in (ent, claim.id, src):
            assert f'"{old}"' in text
            text = text.replace(f'"{old}"', f'"{hostile}"')
        return json.loads(text)

    if report:
        monkeypatch.setattr(reportpage, "page_data", renamed)
        html = reportpage.render_report(land)
    else:
        html = render_page(renamed(land))
    data = renamed(land)
    out = tmp_path / f"ids-{'report' if report else 'html'}.html"
    out.write_text(html, encoding="utf-8")
    return out, {"nodes": len(data["nodes"]), "edges": sum(1 for c in data["claims"] if "o" in c)}


@pytest.mark.parametrize("report", [False, True], ids=["html", "report"])
@pytest.mark.parametrize("hostile", PROTO_IDS)
def test_page_survives_ids_named_like_javascript_members(page, tmp_path, hostile, report, monkeypatch):
    out, info = _hostile_page(tmp_path, hostile, report, monkeypatch)
    open_page(page, out)
    assert page.evaluate("() => claimgraph.drawnCounts()") == {"nodes": info["nodes"], "edges": info["edges"]}
    assert visible_edges(page) == info["edges"]
    # a real click on the node of that id shows it and its claims, each citing the source
    x, y = page.evaluate(
        """id => { const n = claimgraph.network, v = claimgraph.visId(id);
                   const p = n.canvasToDOM(n.getPositions([v])[v]);
                   const r = document.getElementById('cg-graph').getBoundingClientRect();
                   return [r.left + p.x, r.top + p.y]; }""", hostile)
    page.mouse.click(x, y)
    page.wait_for_selector("body[data-selected]", timeout=5_000)
    assert page.get_attribute("body", "data-selected") == hostile
    details = page.inner_text("#cg-details")
    assert f"id {hostile}" in details and "pass the filters" in details
    assert page.locator("#cg-details .cg-claim").count() >= 1
    assert page.locator("#cg-details .cg-sources li").count() >= 1  # the claims' sources are found
    # the claim of that id, through the page's own API, and the filters still count it
    page.evaluate("() => claimgraph.setFilter({predicate: ''})")
    assert visible_edges(page) == info["edges"]
    assert_clean(page)


def test_cli_html_and_report_of_a_constructor_entity(page, tmp_path):
    """``constructor`` is a valid id: the real commands, end to end (it left both pages empty)."""
    from .test_hostile_inputs import run_cli

    data = json.loads(json.dumps(SMALL).replace('"nvidia"', '"constructor"'))
    src = write_yaml(tmp_path, "constructor.yaml", data)
    for command in ("html", "report"):
        out = tmp_path / f"{command}.html"
        run = run_cli(command, str(src), "-o", str(out))
        assert run.rc == 0, run.err
        open_page(page, out)
        land = load([src])
        assert page.evaluate("() => claimgraph.drawnCounts()") == {
            "nodes": len(land.entities), "edges": land.graph.number_of_edges()}
        page.evaluate("() => claimgraph.selectNode('constructor')")
        assert page.get_attribute("body", "data-selected") == "constructor"
        assert len(land.claims_of("constructor")) > 0
        assert f"{len(land.claims_of('constructor'))} claims" in page.inner_text("#cg-details")
        assert_clean(page)


# -- big landscapes: the summary page ----------------------------------------------------------------
@pytest.fixture(scope="module")
def big_land():
    """Above the summary threshold (5,000 claims), small enough to make quickly."""
    from claimgraph.synth import generate

    return generate(entities=2500, claims=6000, seed=3)


def test_big_report_opens_on_a_summary_and_an_entity_click_lists_its_claims(page, big_land, tmp_path, artifacts):
    from collections import Counter

    from claimgraph.honesty import audit
    from claimgraph.viz import report

    land = big_land
    out = report(tmp_path / "big-report.html", land)
    open_page(page, out)
    # what a user sees first: the counts, the top entities, the audit, the answers
    assert page.locator("#overview").is_visible()
    by_status = Counter(c.status.value for c in land.claims.values())
    rows = page.evaluate("""() => [...document.querySelectorAll('#overview tr[data-status]')]
        .map(r => [r.dataset.status, r.cells[1].textContent])""")
    assert {k: int(v.replace(",", "")) for k, v in rows} == {k: n for k, n in by_status.items() if n}
    kinds = page.evaluate("() => [...document.querySelectorAll('#overview tr[data-kind]')].map(r => r.dataset.kind)")
    assert sorted(kinds) == sorted({e.kind for e in land.entities.values()})
    top = page.evaluate("() => [...document.querySelectorAll('#cg-top-entities tbody tr')].map(r => r.dataset.entity)")
    assert len(top) == 20 and len(set(top)) == 20
    findings = audit(land)
    serious = [f for f in findings if f.severity != "info"]
    assert page.locator("#cg-findings tbody tr").count() == min(25, len(serious)) > 0
    assert page.get_attribute("#overview .cg-lead", "data-findings") == str(len(findings))
    assert page.locator(".cg-answer").count() >= 5
    # every claim and source the answers and findings cite is listed; not the whole ledger
    missing = page.evaluate("""() => [...document.querySelectorAll('#overview a[href^="#claim-"], .cg-answer a[href^="#"]:not(.cg-view)')]
        .map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id))""")
    assert missing == []
    assert 0 < page.locator("#ledger tbody tr").count() < len(land.claims) / 10
    # the graph: the 100 most influential entities and the ties between them, merged by pair
    nodes, _ = shown(page)
    assert len(nodes) == 100 and set(top) <= nodes
    ties = {c.id for c in land.claims.values() if c.object and c.subject in nodes and c.object in nodes}
    assert int(page.get_attribute("body", "data-visible-claims")) == len(ties)
    assert "100 most influential" in page.text_content("#cg-explore")
    page.screenshot(path=str(artifacts / "big-report-top.png"))
    # clicking an entity shows its claims; expanding it brings in its neighbours
    hub = top[0]
    click_node(page, hub)
    assert page.text_content("#cg-details h2") == land.entities[hub].name
    assert page.locator("#cg-details .cg-claim").count() == min(len(land.claims_of(hub)), 60)
    page.click("#cg-details .cg-expand")
    nodes, _ = shown(page)
    assert neighbours(land, hub) <= nodes
    # an entity outside the summary, found by search, joins the view with its claims
    other = next(e for e in sorted(land.entities) if e not in nodes and land.claims_of(e))
    page.fill("#cg-search", land.entities[other].name)
    page.click(f"#cg-results .cg-result[data-id='{other}']")
    page.wait_for_selector(f"body[data-selected='{other}']")
    assert other in shown(page)[0]
    assert page.locator("#cg-details .cg-claim").count() == min(len(land.claims_of(other)), 60)
    # the ledger of any status, a hundred at a time, in id order
    refuted = sorted(c.id for c in land.claims.values() if c.status.value == "refuted")
    page.click(".cg-ledger-status[data-status='refuted']")
    listed = page.evaluate("() => [...document.querySelectorAll('#cg-ledger-list .cg-claim')].map(b => b.dataset.claim)")
    assert listed == refuted[:100]
    page.click("#cg-ledger-list .cg-ledger-next")
    listed = page.evaluate("() => [...document.querySelectorAll('#cg-ledger-list .cg-claim')].map(b => b.dataset.claim)")
    assert listed == refuted[100:200]
    page.evaluate("() => document.getElementById('cg-ledger-browse').scrollIntoView()")
    page.screenshot(path=str(artifacts / "big-report-ledger.png"))
    assert_clean(page)


def test_packed_page_data_unpacks_to_the_claims_python_made(page, big_land, tmp_path):
    """The summary page's packed data (columns, string tables) reads back in the browser as the
    claims, entities and sources of the landscape."""
    land = big_land
    out = write_html(tmp_path / "big.html", land)
    assert '"packed":1' in out.read_text(encoding="utf-8")
    open_page(page, out)
    got = page.evaluate("""() => claimgraph.data.claims.map(c => [c.id, c.s, c.o, c.p, c.status, c.by,
        c.ev.map(e => [e.src, e.effect, e.loc, e.para]), c.notes, c.stated, c.vfText, c.vuText, c.onText, c.money, c.undated])""")
    def text(d):
        return None if d is None else str(d)
    want = []
    for c in sorted(land.claims.values(), key=lambda c: c.id):
        by = [land.entities[a].name if a in land.entities else land.sources[a].publisher if a in land.sources else a
              for a in c.asserted_by]
        money = c.predicate in land.vocabulary.role("money") and c.qualifiers.get("amount") is not None
        want.append([c.id, c.subject, c.object, c.predicate, c.status.value, by,
                     [[e.source, e.effect.value, e.locator or "", e.paraphrase or ""] for e in c.evidence],
                     c.notes or "", text(c.stated_on), text(c.valid_from), text(c.valid_until), text(c.on), money,
                     land.time_bounds(c)[0] is None and c.valid_from is None])
    assert got == want
    ents = page.evaluate("() => claimgraph.data.nodes.map(n => [n.id, n.name, n.kind, n.aliases])")
    assert ents == [[e.id, e.name, e.kind, list(e.aliases)] for e in land.entities.values()]
    assert page.evaluate("() => Object.keys(claimgraph.data.sources).length") == len(land.sources)
    assert_clean(page)
