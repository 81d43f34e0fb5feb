"""The HTML page, report and plot without a browser: data, escaping, layout, CLI.

The browser tests (tests/test_browser_viz.py) open the same pages in headless Chromium.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner
from lxml import html as lxml_html

from claimgraph import load
from claimgraph.cli import main
from claimgraph.viz import focus, notebook_html, render_html
from claimgraph.viz.data import page_data, script_json, short_label
from claimgraph.viz.layout import layout

# -- datasets written as YAML in tmp ------------------------------------------------------------

SMALL = {
    "sources": [
        {"id": "s-wire", "title": "Nvidia takes a stake in xAI", "publisher": "Reuters",
         "url": "https://www.reuters.com/example", "published": "2025-10-08", "tier": "wire"},
        {"id": "s-blog", "title": "A blog post", "publisher": "Some blog", "tier": "self-media",
         "url": "http://blog.example.org/post"},
    ],
    "entities": [
        {"id": "nvidia", "name": "Nvidia", "kind": "Company", "aliases": ["英伟达", "英偉達", "NVDA"]},
        {"id": "xai", "name": "xAI", "kind": "Company"},
        {"id": "tesla", "name": "Tesla", "kind": "Company", "aliases": ["特斯拉"]},
        {"id": "dojo", "name": "Dojo", "kind": "Program"},
        {"id": "amd", "name": "AMD", "kind": "Company"},
        {"id": "loner", "name": "Lonely Fab", "kind": "Facility"},
    ],
    "claims": [
        {"id": "c-stake", "subject": "nvidia", "predicate": "INVESTS_IN", "object": "xai",
         "qualifiers": {"stake": "7%"}, "stated_on": "2025-10", "valid_from": "2025-10",
         "status": "reported", "evidence": [{"source": "s-wire", "paraphrase": "Nvidia takes a stake"}]},
        {"id": "c-stake-small", "subject": "nvidia", "predicate": "INVESTS_IN", "object": "xai",
         "qualifiers": {"stake": "~0.9%"}, "status": "claimed", "asserted_by": ["s-blog"],
         "evidence": [{"source": "s-blog"}]},
        {"id": "c-supply", "subject": "nvidia", "predicate": "SUPPLIES", "object": "tesla",
         "valid_from": "2016", "valid_until": "2019-06", "status": "confirmed",
         "evidence": [{"source": "s-wire"}]},
        {"id": "c-dojo", "subject": "tesla", "predicate": "DEVELOPS", "object": "dojo",
         "valid_until": "2025-08", "status": "stale", "evidence": [{"source": "s-wire"}]},
        {"id": "c-compete", "subject": "nvidia", "predicate": "COMPETES_WITH", "object": "amd",
         "status": "confirmed", "evidence": [{"source": "s-wire"}]},
        {"id": "c-cadence", "subject": "tesla", "predicate": "HAS_CADENCE", "value": "9 months",
         "status": "claimed", "asserted_by": ["tesla"], "evidence": [{"source": "s-blog"}]},
        {"id": "c-buy", "subject": "xai", "predicate": "COMMITS_TO_BUY", "object": "nvidia",
         "qualifiers": {"amount": "USD 12.5B"}, "status": "refuted",
         "evidence": [{"source": "s-wire", "effect": "contradicts"}]},
    ],
}

#: text that would run script, break an attribute or make a dangerous link if it were not inert
PAYLOADS = [
    '<script>window.__pwned="script";alert("script")</script>',
    '<img src=x onerror="window.__pwned=\'img\';alert(\'img\')">',
    '" onmouseover="window.__pwned=\'attr\'" x="',
    "' autofocus onfocus='window.__pwned=1' '",
    '</script><script>window.__pwned="close";alert(1)</script>',
    '<a href="javascript:window.__pwned=\'href\'">click me</a>',
    '<svg/onload=window.__pwned="svg">',
    "<!-- <script>window.__pwned='comment'</script> -->",
    "line\u2028separator\u2029&amp;&lt;",
]
BAD_URLS = ["javascript:window.__pwned='url';alert('url')", "JaVaScRiPt:alert(2)",
            "data:text/html,<script>alert(3)</script>", "vbscript:msgbox(1)"]


def injection_dataset() -> dict:
    """A landscape whose every text field is an injection payload."""
    p = PAYLOADS
    sources = [
        {"id": f"s-bad-{i}", "title": p[i % len(p)], "publisher": p[(i + 1) % len(p)],
         "url": url, "tier": "press", "notes": p[(i + 2) % len(p)]}
        for i, url in enumerate(BAD_URLS)
    ] + [{"id": "s-good", "title": p[0], "publisher": p[1], "url": "https://example.org/ok?a=1&b=2",
          "tier": "wire"}]
    entities = [
        {"id": f"e{i}", "name": payload, "kind": "Company", "aliases": [p[(i + 3) % len(p)], "英偉達"],
         "notes": p[(i + 4) % len(p)]}
        for i, payload in enumerate(p)
    ]
    claims = []
    for i in range(len(p)):
        j = (i + 1) % len(p)
        claims.append({
            "id": f"c{i}", "subject": f"e{i}", "predicate": "INVESTS_IN", "object": f"e{j}",
            "qualifiers": {"round": p[(i + 5) % len(p)], "stake": "7%"},
            "status": ["confirmed", "claimed", "disputed"][i % 3],
            "notes": p[(i + 6) % len(p)],
            "evidence": [{"source": sources[i % len(sources)]["id"], "paraphrase": p[(i + 7) % len(p)],
                          "locator": p[(i + 8) % len(p)]}],
        })
        claims.append({
            "id": f"v{i}", "subject": f"e{i}", "predicate": "HAS_ATTRIBUTE", "value": p[(i + 2) % len(p)],
            "qualifiers": {"metric": p[(i + 3) % len(p)]}, "status": "reported",
            "evidence": [{"source": "s-good", "paraphrase": p[i]}],
        })
    return {"sources": sources, "entities": entities, "claims": claims}


def write_yaml(folder: Path, name: str, data: dict) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def small_path(tmp_path) -> Path:
    return write_yaml(tmp_path, "small.yaml", SMALL)


@pytest.fixture
def evil_path(tmp_path) -> Path:
    return write_yaml(tmp_path, "evil.yaml", injection_dataset())


def embedded_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="cg-data">(.*?)</script>', page, re.S)
    assert m, "the page embeds its data"
    return json.loads(m.group(1))


# -- escaping ----------------------------------------------------------------------------------

def test_script_json_cannot_close_the_script_and_round_trips():
    value = {"a": PAYLOADS, "b": "\u2028\u2029", "c": "&lt;"}
    text = script_json(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == value


def test_script_json_writes_what_orjson_refuses():
    # a lone surrogate and an integer beyond 64 bits: orjson refuses them, the standard library
    # writes them (same escaping); numpy numbers stay numbers (a position as "1.5" would misplace)
    value = {"lone": "x\ud800</script>", "big": 2**70, "name": "英伟达 \u2028"}
    text = script_json(value)
    assert "<" not in text and ">" not in text and "\u2028" not in text
    assert json.loads(text) == value
    assert json.loads(script_json({"x": np.float64(1.5), "y": [np.float64(-2.25)]})) == {"x": 1.5, "y": [-2.25]}


def test_page_carries_page_data_unchanged():
    # what the page embeds (UTF-8, escaped for the script element) has the value of page_data,
    # names in other scripts included
    land = load()
    data = embedded_data(render_html(land, title="t", subtitle="s"))
    assert data == json.loads(json.dumps(page_data(land, title="t", subtitle="s"), default=str))
    assert any("英伟达" in n["aliases"] for n in data["nodes"])


def test_injection_payloads_never_reach_the_markup(evil_path):
    land = load([evil_path])
    page = render_html(land)
    data = embedded_data(page)
    # every payload is in the data, unchanged, so the page can show it as text ...
    names = {n["name"] for n in data["nodes"]}
    assert names == set(PAYLOADS)
    # ... but nowhere as markup: the only script elements are ours (data, vis, page)
    tree = lxml_html.fromstring(page)
    scripts = tree.xpath("//script")
    assert len(scripts) == 3
    assert [s.get("type") for s in scripts] == ["application/json", None, None]
    assert not tree.xpath("//img | //svg | //iframe | //object | //embed | //a")
    assert not any(k.startswith("on") for el in tree.iter() if isinstance(el.tag, str) for k in el.attrib)
    # the lone json script holds everything between its tags: no payload closed it early
    assert page.count("</script>") == 3


def test_only_http_links_survive(evil_path):
    data = page_data(load([evil_path]))
    urls = {sid: s["url"] for sid, s in data["sources"].items()}
    assert urls["s-good"] == "https://example.org/ok?a=1&b=2"
    for i in range(len(BAD_URLS)):
        assert urls[f"s-bad-{i}"] is None


def test_page_is_self_contained(small_path):
    page = render_html(load([small_path]))
    tree = lxml_html.fromstring(page)
    assert not tree.xpath("//script[@src] | //link[@href] | //img[@src] | //iframe[@src]")
    assert "cdn.jsdelivr" not in page and "bootstrap" not in page.lower()
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp


# -- what the page shows ----------------------------------------------------------------------

def test_page_data_counts_and_styles(small_path):
    land = load([small_path])
    data = page_data(land)
    assert len(data["nodes"]) == len(land.entities) == 6
    rel = [c for c in data["claims"] if c.get("o")]
    assert len(rel) == land.graph.number_of_edges() == 6
    assert data["meta"]["valueClaims"] == 1
    by_id = {c["id"]: c for c in data["claims"]}
    assert by_id["c-stake"]["l"] == "7%"
    assert by_id["c-buy"]["l"] == "USD 12.5B" and "l" not in by_id["c-compete"]
    assert by_id["c-stake"]["t"] == "Nvidia invests in xAI (stake 7%)"
    assert by_id["c-supply"]["vf"] == "2016" and by_id["c-supply"]["vu"] == "2019-06"
    assert "o" not in by_id["c-cadence"] and by_id["c-cadence"]["v"] == "9 months"
    assert by_id["c-stake-small"]["by"] == ["Some blog"]
    assert by_id["c-buy"]["ev"] == [["s-wire", 1]]
    assert by_id["c-stake"]["ev"] == [["s-wire", 0, "", "Nvidia takes a stake"]]
    styles = {s["name"]: s for s in data["statuses"]}
    assert styles["confirmed"]["dashes"] is False and styles["claimed"]["dashes"]
    assert styles["refuted"]["opacity"] < styles["disputed"]["opacity"] < styles["reported"]["opacity"]
    # influence: Nvidia touches most claims, the lone facility none
    size = {n["id"]: n["size"] for n in data["nodes"]}
    assert size["nvidia"] == max(size.values()) and size["loner"] == min(size.values())
    nv = next(n for n in data["nodes"] if n["id"] == "nvidia")
    assert nv["aliases"] == ["英伟达", "英偉達", "NVDA"]


def test_parallel_edges_get_distinct_curves(small_path):
    data = page_data(load([small_path]))
    xai = [c for c in data["claims"] if {c["s"], c.get("o")} == {"nvidia", "xai"}]
    assert len(xai) == 3
    # same pair: no two edges drawn on the same curve, whatever their direction
    shapes = set()
    for c in xai:
        flipped = c["s"] > c["o"]
        side = c["curve"] if not flipped else {"curvedCW": "curvedCCW", "curvedCCW": "curvedCW"}[c["curve"]]
        shapes.add((side, c["round"]))
    assert len(shapes) == 3


def test_short_labels():
    land = load([write_yaml(Path(__import__("tempfile").mkdtemp()), "s.yaml", SMALL)])
    assert short_label(land.claims["c-compete"]) == ""
    assert short_label(land.claims["c-cadence"]) == "9 months"


def test_large_graphs_get_python_positions_and_no_physics():
    from claimgraph.synth import generate

    land = generate(entities=400, claims=1200, seed=3)
    data = page_data(land)
    assert data["meta"]["layout"] == "python" and data["meta"]["large"]
    assert all("x" in n and "y" in n for n in data["nodes"])
    again = page_data(land)
    assert [(n["x"], n["y"]) for n in again["nodes"]] == [(n["x"], n["y"]) for n in data["nodes"]]
    small = page_data(land, layout_mode="physics")
    assert small["meta"]["layout"] == "physics" and "x" not in small["nodes"][0]


def test_layout_pulls_neighbours_together():
    import numpy as np

    # two dense clusters joined by one edge: members end nearer their own cluster
    n = 600
    edges = [(i, j) for i in range(300) for j in range(i + 1, min(i + 6, 300))]
    edges += [(300 + i, 300 + j) for i in range(300) for j in range(i + 1, min(i + 6, 300))]
    edges.append((0, 300))
    pos = layout(n, edges, seed=1)
    a, b = pos[:300].mean(axis=0), pos[300:].mean(axis=0)
    within = np.linalg.norm(pos[:300] - a, axis=1).mean()
    assert np.linalg.norm(a - b) > within
    assert np.array_equal(pos, layout(n, edges, seed=1))


def test_focus_keeps_the_neighbourhood(small_path):
    land = load([small_path])
    one = focus(land, "英偉達", 1)
    assert set(one.entities) == {"nvidia", "xai", "tesla", "amd"}
    two = focus(land, "nvidia", 2)
    assert "dojo" in two.entities and "c-cadence" in two.claims
    zero = focus(land, "tesla", 0)
    assert set(zero.entities) == {"tesla"} and set(zero.claims) == {"c-cadence"}


def test_notebook_html_is_an_escaped_iframe(evil_path):
    out = notebook_html(load([evil_path]))
    assert out.startswith("<iframe") and out.endswith("</iframe>")
    tree = lxml_html.fromstring(out)
    assert tree.tag == "iframe" and len(tree) == 0  # no element escaped the srcdoc attribute
    assert tree.get("srcdoc").startswith("<!DOCTYPE html>")
    assert "<script" not in out  # every tag of the page is escaped inside the attribute


# -- CLI ---------------------------------------------------------------------------------------

def test_cli_html_writes_one_file_with_the_view_applied(small_path, tmp_path):
    out = tmp_path / "land.html"
    r = CliRunner().invoke(main, ["html", str(small_path), "-o", str(out), "--as-of", "2018-01-01",
                                  "--min-status", "reported"])
    assert r.exit_code == 0, r.output
    data = embedded_data(out.read_text(encoding="utf-8"))
    # c-compete gives no dates: it is known to hold from its source (Reuters, October 2025), not
    # since always, so it is not part of the landscape of 2018
    assert {c["id"] for c in data["claims"]} == {"c-supply"}
    assert "as of 2018-01-01" in data["meta"]["subtitle"]


def test_cli_html_focus(small_path, tmp_path):
    # the page opens on the neighbourhood and carries the rest, to expand it one node at a time
    out = tmp_path / "focus.html"
    r = CliRunner().invoke(main, ["html", str(small_path), "-o", str(out), "--focus", "Tesla", "--depth", "1"])
    assert r.exit_code == 0, r.output
    data = embedded_data(out.read_text(encoding="utf-8"))
    assert {n["id"] for n in data["nodes"]} == {e["id"] for e in SMALL["entities"]}
    assert data["meta"]["view"] == "#view:nodes=tesla&open=tesla"
    assert "opens around Tesla (depth 1)" in data["meta"]["subtitle"]
    r = CliRunner().invoke(main, ["html", str(small_path), "-o", str(out), "--focus", "xai", "--depth", "2"])
    assert embedded_data(out.read_text(encoding="utf-8"))["meta"]["view"] == "#view:nodes=xai&open=xai,nvidia"
    r = CliRunner().invoke(main, ["html", str(small_path), "-o", str(out), "--focus", "dojo", "--depth", "0"])
    assert embedded_data(out.read_text(encoding="utf-8"))["meta"]["view"] == "#view:nodes=dojo"


def test_money_moving_claims_are_marked_and_time_stops_cover_every_bound(small_path):
    from claimgraph.viz.data import view_fragment

    land = load([small_path])
    data = page_data(land)
    by_id = {c["id"]: c for c in data["claims"]}
    # an amount on a money-bearing predicate: c-buy commits USD 12.5B; stakes are not amounts
    assert [i for i, c in by_id.items() if c.get("mm")] == ["c-buy"]
    (axis,) = data["time"]["axes"]
    assert axis["id"] == "valid" and axis["start"] == "vf" and axis["end"] == "vu"
    assert axis["held"] == "hf" and axis["undated"] == "ud"
    # starts (2016, 2025-10), the day after an end (2019-06, 2025-08), a stated date (2025-10),
    # and the days claims without valid_from hold from (when said or sourced: 2025-08, 2025-10-08)
    assert axis["stops"] == ["2016-01-01", "2019-07-01", "2025-08-01", "2025-09-01", "2025-10-01", "2025-10-08"]
    assert view_fragment(nodes=["a"], claims=["x", "y"], merge=True, iso=False) == "#view:nodes=a&claims=x,y&merge=1"
    assert view_fragment(valid="2024-01-01", pred="A&B") == "#view:valid=2024-01-01&pred=A%26B"


def test_cli_errors_are_one_line_exit_2(small_path, tmp_path):
    r = CliRunner().invoke(main, ["html", str(small_path), "-o", str(tmp_path / "x.html"), "--focus", "Nvidiaa"])
    assert r.exit_code == 2 and "did you mean" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(main, ["plot", str(small_path), "-o", str(tmp_path / "x.txt")])
    assert r.exit_code == 2 and ".png or .svg" in r.output
    r = CliRunner().invoke(main, ["html", str(small_path), "-o", str(tmp_path / "missing" / "x.html")])
    assert r.exit_code == 2 and "does not exist" in r.output


# -- report and plot ---------------------------------------------------------------------------

def test_report_sections_escape_every_payload(evil_path):
    from claimgraph.viz import render_report

    page = render_report(load([evil_path]))
    tree = lxml_html.fromstring(page)
    assert len(tree.xpath("//script")) == 3
    assert not tree.xpath("//img | //svg | //iframe | //object | //embed")
    assert not any(k.startswith("on") for el in tree.iter() if isinstance(el.tag, str) for k in el.attrib)
    hrefs = tree.xpath("//a/@href")
    assert hrefs and all(h.startswith(("#", "https://", "http://")) for h in hrefs)
    assert "https://example.org/ok?a=1&b=2" in hrefs
    assert not any(h.lower().startswith(("javascript", "data", "vbscript")) for h in hrefs)
    # the payloads are there as text, in the ledger and the source list
    text = tree.text_content()
    assert PAYLOADS[0] in text and PAYLOADS[1] in text


def test_report_ledger_and_sources_cover_the_landscape(small_path, tmp_path):
    from claimgraph.viz import report

    out = report(tmp_path / "r.html", [small_path])
    tree = lxml_html.fromstring(out.read_text(encoding="utf-8"))
    land = load([small_path])
    ledger_rows = tree.xpath("//section[@id='ledger']//tbody/tr")
    assert sorted(r.get("id") for r in ledger_rows) == sorted(f"claim-{c}" for c in land.claims)
    for status, n in land.stats()["by_status"].items():
        assert len(tree.xpath(f"//table[@data-status='{status}']/tbody/tr")) == n
    source_rows = tree.xpath("//section[@id='sources']//tbody/tr")
    assert sorted(r.get("id") for r in source_rows) == ["source-s-blog", "source-s-wire"]
    # weak sources say so
    tier = tree.xpath("//tr[@id='source-s-blog']/td[@data-tier]")[0]
    assert tier.get("data-tier") == "self-media" and "weak" in tier.text_content()


def test_plot_png_and_svg(small_path, evil_path, tmp_path):
    r = CliRunner().invoke(main, ["plot", str(small_path), "-o", str(tmp_path / "l.png")])
    assert r.exit_code == 0, r.output
    png = (tmp_path / "l.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    from claimgraph.viz import plot

    svg = plot(tmp_path / "evil.svg", [evil_path]).read_text(encoding="utf-8")
    tree = lxml_html.fromstring(svg.encode())
    assert not tree.xpath("//script | //*[local-name()='script']")
    assert "onerror" not in svg and "javascript:" not in svg


def test_report_headline_rows_link_to_their_view_in_the_graph():
    from urllib.parse import unquote

    from claimgraph.viz import render_report

    land = load()
    tree = lxml_html.fromstring(render_report(land))
    rows = tree.xpath("//div[@class='cg-answer']//tbody/tr")
    assert rows
    for row in rows:
        cited = [a.text for a in row.xpath(".//a[starts-with(@href, '#claim-')]")]
        (link,) = row.xpath(".//a[contains(@class, 'cg-view')]")
        href = link.get("href")
        assert href.startswith("#view:")
        view = dict(part.split("=", 1) for part in href[len("#view:"):].split("&"))
        assert [unquote(i) for i in view["claims"].split(",")] == cited
        ends = {x for i in cited for x in (land.claims[i].subject, land.claims[i].object) if x}
        assert set(view["nodes"].split(",")) == ends
    # one link per headline shows all its claims at once; none of them is printed
    assert len(tree.xpath("//div[@class='cg-answer']/p/a[contains(@class, 'cg-view')]")) == 5
    assert all("cg-noprint" in a.get("class") for a in tree.xpath("//a[contains(@class, 'cg-view')]"))
