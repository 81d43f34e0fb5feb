"""The report's headline sections come from the landscape: its report.yaml, else defaults chosen
from its data, about ``--focus ENTITY`` when given; a wrong spec is one located line, exit 2.

The hand-made landscape below is built so that each default choice has one right answer:
X1 is the chip the most others depend on (Alpha, Beta and Gamma use it, Delta develops it) and it
is made by Fabworks; Delta has the most generations (D1 <- D2 <- D3 in a SUCCEEDS chain, taped out
2022-01, 2023-01 and 2024-06: month-precise dates, so gaps of 11.0 to 13.0 and 16.0 to 18.0
months, a median of 13.5 to 15.5 against a claimed 12-month cadence), while
Alpha develops as many chips but none succeeds another. Alpha and Gamma (supply, reported; rivals,
reported) are stronger frenemies than Alpha and Beta (partners, reported; rivals, claimed). No
two claims contradict each other.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from lxml import html as lxml_html

from claimgraph import api, load
from claimgraph.cli import main
from claimgraph.queries import run_query
from claimgraph.synth import generate
from claimgraph.viz import render_report


def _claim(cid, s, p, o=None, status="reported", src="s-press", **kw):
    out = {"id": cid, "subject": s, "predicate": p, "status": status, "evidence": [{"source": src}]}
    if o is not None:
        out["object"] = o
    out.update(kw)
    return out


ORBIT = {
    "sources": [
        {"id": "s-press", "title": "Orbit industry report", "publisher": "Orbit Times", "tier": "press"},
        {"id": "s-blog", "title": "A blog post", "publisher": "Some blog", "tier": "self-media"},
    ],
    "entities": [
        {"id": "alpha", "name": "Alpha Motors", "kind": "Company"},
        {"id": "beta", "name": "Beta Robotics", "kind": "Company"},
        {"id": "gamma", "name": "Gamma Cloud", "kind": "Company"},
        {"id": "delta", "name": "Delta Devices", "kind": "Company"},
        {"id": "fab", "name": "Fabworks", "kind": "Company"},
        {"id": "x1", "name": "X1", "kind": "Chip"},
        *({"id": f"d{i}", "name": f"D{i}", "kind": "Chip"} for i in (1, 2, 3)),
        *({"id": f"a{i}", "name": f"A{i}", "kind": "Chip"} for i in (1, 2, 3, 4)),
    ],
    "claims": [
        _claim("alpha-uses-x1", "alpha", "USES", "x1"),
        _claim("beta-uses-x1", "beta", "USES", "x1"),
        _claim("gamma-uses-x1", "gamma", "USES", "x1"),
        _claim("delta-develops-x1", "delta", "DEVELOPS", "x1"),
        _claim("fab-makes-x1", "fab", "MAKES", "x1"),
        *(_claim(f"delta-develops-d{i}", "delta", "DEVELOPS", f"d{i}") for i in (1, 2, 3)),
        _claim("d2-succeeds-d1", "d2", "SUCCEEDS", "d1"),
        _claim("d3-succeeds-d2", "d3", "SUCCEEDS", "d2"),
        _claim("d1-tapeout", "d1", "REACHES_MILESTONE", value="2022-01", qualifiers={"milestone": "taped-out"}),
        _claim("d2-tapeout", "d2", "REACHES_MILESTONE", value="2023-01", qualifiers={"milestone": "taped-out"}),
        _claim("d3-tapeout", "d3", "REACHES_MILESTONE", value="2024-06", qualifiers={"milestone": "taped-out"}),
        _claim("delta-cadence", "delta", "HAS_CADENCE", value="12 months", status="claimed", src="s-blog",
               asserted_by=["delta"]),
        *(_claim(f"alpha-develops-a{i}", "alpha", "DEVELOPS", f"a{i}") for i in (1, 2, 3, 4)),
        _claim("alpha-partners-beta", "alpha", "PARTNERS_WITH", "beta"),
        _claim("alpha-competes-beta", "alpha", "COMPETES_WITH", "beta", status="claimed", src="s-blog"),
        _claim("gamma-supplies-alpha", "gamma", "SUPPLIES", "alpha"),
        _claim("gamma-competes-alpha", "gamma", "COMPETES_WITH", "alpha"),
        _claim("alpha-invests-beta", "alpha", "INVESTS_IN", "beta", qualifiers={"amount": "USD 5B"}),
        _claim("beta-buys-alpha", "beta", "COMMITS_TO_BUY", "alpha", qualifiers={"amount": "USD 2B"}),
        _claim("gamma-invests-delta", "gamma", "INVESTS_IN", "delta", qualifiers={"amount": "USD 1B"}),
    ],
}


def write_dataset(folder: Path, data: dict, spec: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "orbit.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    if spec is not None:
        (folder / "report.yaml").write_text(spec, encoding="utf-8")
    return folder


def sections(page: str) -> dict[str, dict]:
    """key -> {query, entity, title, text, rows, lead} of each headline section."""
    tree = lxml_html.fromstring(page)
    out = {}
    for div in tree.xpath("//section[@id='headlines']/div[@class='cg-answer']"):
        lead = div.xpath("./p[contains(@class, 'cg-lead')]")
        out[div.get("id")] = {
            "query": div.get("data-query"), "entity": div.get("data-entity"),
            "title": div.xpath("./h3")[0].text_content(), "text": div.text_content(),
            "rows": len(div.xpath(".//tbody/tr")), "lead": lead[0].text_content() if lead else "",
            "first": [td.text_content() for td in div.xpath(".//tbody/tr[1]/td")],
            "unavailable": bool(div.xpath(".//*[@class='cg-unavailable']")),
        }
    return out


@pytest.fixture
def orbit(tmp_path) -> Path:
    return write_dataset(tmp_path / "orbit", ORBIT)


# -- defaults chosen from the data ---------------------------------------------------------------
def test_defaults_choose_the_sections_entities_from_the_data(orbit):
    secs = sections(render_report(load([orbit])))
    assert list(secs) == ["frenemies", "circular-deals", "money", "dependencies", "contradictions", "roadmap"]
    assert not any(s["unavailable"] for s in secs.values())
    # the entity the most others depend on, and what it depends on
    dep = secs["dependencies"]
    assert dep["entity"] == "x1" and dep["title"] == "X1's dependencies"
    assert "X1 is what the most others here depend on directly (4 entities)" in dep["text"]
    assert dep["rows"] == 1 and "Fabworks" in dep["text"] and "made by" in dep["text"]
    # the entity with the most generations, with its measured gaps and claimed cadence
    road = secs["roadmap"]
    assert road["entity"] == "delta" and road["title"] == "Delta Devices's roadmap against its claimed cadence"
    assert "3 Chips in SUCCEEDS chains, of 4 it develops" in road["text"]
    # 31 Jan 2022 to 1 Jan 2023 is 11.0 months, 1 Jan 2022 to 31 Jan 2023 13.0; 31 Jan 2023 to
    # 1 Jun 2024 is 16.0, 1 Jan 2023 to 30 Jun 2024 18.0 (17 months 29 days): medians 13.5 and 15.5
    assert "measured 13.5 to 15.5 months between generations (median of 2 measured gaps" in road["lead"]
    assert "its claim of 12 months" in road["lead"] and "1.5 to 3.5 months slower than claimed" in road["lead"]
    # the strongest frenemies first: Alpha and Gamma (reported on both sides) before Alpha and Beta
    fr = secs["frenemies"]
    assert fr["lead"].startswith("2 found: Alpha Motors – Gamma Cloud; Alpha Motors – Beta Robotics")
    # the biggest money flows first
    money = secs["money"]
    assert money["rows"] == 3 and money["first"][:2] == ["Alpha Motors", "Beta Robotics"]
    assert "Alpha Motors" in secs["circular-deals"]["lead"] and "Beta Robotics" in secs["circular-deals"]["lead"]
    # nothing to show: the section says what it looked for
    con = secs["contradictions"]
    assert con["rows"] == 0
    assert con["lead"].startswith("None found. It looked for claims about the same thing whose numbers or dates clash")


def test_a_section_with_no_entity_to_be_about_says_what_it_looked_for(tmp_path):
    data = {**ORBIT, "claims": [c for c in ORBIT["claims"] if c["predicate"] not in ("DEVELOPS", "SUCCEEDS")]}
    secs = sections(render_report(load([write_dataset(tmp_path / "nodev", data)])))
    road = secs["roadmap"]
    assert road["rows"] == 0 and not road["unavailable"] and road["entity"] == ""
    assert road["lead"] == ("Nothing to show: it looked for an entity that develops a chip, platform, product or "
                            "program (things that come in generations) and found none.")
    assert "{" not in road["title"]


def test_generated_and_imported_landscapes_have_no_missing_entity(tmp_path):
    land = generate(200, 1000, seed=0)
    csv_dir = tmp_path / "csv"
    r = CliRunner().invoke(main, ["export", "--format", "csv", "-o", str(csv_dir)])
    assert r.exit_code == 0, r.output
    out = tmp_path / "imported.html"
    r = CliRunner().invoke(main, ["report", str(csv_dir), "-o", str(out)])
    assert r.exit_code == 0, r.output
    for page in (render_report(land), out.read_text(encoding="utf-8")):
        assert "not in this landscape" not in page
        secs = sections(page)
        assert len(secs) == 6
        for key, s in secs.items():
            assert not s["unavailable"], (key, s["text"][:300])
            assert s["rows"] > 0 or "looked for" in s["lead"], (key, s["lead"])
    imported = sections(out.read_text(encoding="utf-8"))
    # the exported ai-chips landscape has no report.yaml: its roadmap is still Tesla's (AI4 ... AI9)
    assert imported["roadmap"]["entity"] == "tesla" and "AI5" in imported["roadmap"]["lead"]
    assert "Nvidia – Tesla" in imported["frenemies"]["lead"]


def test_long_sections_show_their_limit_and_say_how_many_there_are():
    land = generate(200, 1000, seed=0)
    secs = sections(render_report(land))
    n = len(run_query(land, "contradictions"))
    assert n > 10
    assert secs["contradictions"]["rows"] == 10
    assert f"Showing 10 of {n}; all of them: claimgraph query contradictions" in secs["contradictions"]["text"]
    assert secs["contradictions"]["lead"].startswith(f"{n} found")


# -- the bundled spec and --focus ----------------------------------------------------------------
def test_the_bundled_report_keeps_its_sections(bundled):
    secs = sections(render_report(bundled))
    assert [(k, s["query"], s["title"]) for k, s in secs.items()] == [
        ("frenemies", "frenemies", "Frenemies: who cooperates and competes at once"),
        ("circular-deals", "circular-deals", "Circular deals: money that comes back as purchases"),
        ("tesla-dependencies", "dependencies", "Tesla's dependencies"),
        ("contradictions", "contradictions", "Contradictions: claims that cannot all be true"),
        ("roadmap", "roadmap", "Tesla's roadmap against its claimed cadence"),
    ]
    assert all(s["rows"] > 0 for s in secs.values())
    assert "Chosen from the data" not in "".join(s["text"] for s in secs.values())


def test_focus_picks_the_entity(tmp_path):
    out = tmp_path / "nvidia.html"
    r = CliRunner().invoke(main, ["report", "--focus", "英偉達", "-o", str(out)])
    assert r.exit_code == 0, r.output
    secs = sections(out.read_text(encoding="utf-8"))
    assert "tesla-dependencies" not in secs
    dep = secs["nvidia-dependencies"]
    assert dep["title"] == "Nvidia's dependencies" and dep["entity"] == "nvidia"
    assert "CUDA" in dep["text"] and "Feynman" in dep["text"]  # what Nvidia develops
    road = secs["roadmap"]
    assert road["title"] == "Nvidia's roadmap against its claimed cadence"
    assert "Blackwell" in road["lead"] and "Rubin" in road["lead"]
    # sections about no entity are as before
    assert "Nvidia – Tesla" in secs["frenemies"]["lead"]


def test_focus_on_defaults_replaces_the_choice(orbit):
    secs = sections(render_report(load([orbit]), focus="Alpha Motors"))
    assert secs["dependencies"]["entity"] == "alpha" and "Chosen from the data" not in secs["dependencies"]["text"]
    assert "X1" in secs["dependencies"]["text"] and "Gamma Cloud" in secs["dependencies"]["text"]
    assert secs["roadmap"]["entity"] == "alpha"


def test_an_unknown_focus_is_one_line_and_exit_2(tmp_path):
    r = CliRunner().invoke(main, ["report", "--focus", "Nvidiaa", "-o", str(tmp_path / "r.html")])
    assert r.exit_code == 2
    assert r.output.strip().splitlines() == ["error: unknown entity 'Nvidiaa': did you mean 'nvidia'?"]
    assert not (tmp_path / "r.html").exists()


# -- a landscape's own spec ----------------------------------------------------------------------
def test_a_spec_beside_the_dataset_is_used(tmp_path):
    spec = """\
focus: gamma
sections:
  - query: money
    title: Biggest deal
    limit: 1
  - query: dependencies
    key: "{entity_id}-upstream"
    title: "Upstream of {entity}"
    params: {depth: 1}
"""
    folder = write_dataset(tmp_path / "own", ORBIT, spec)
    out = api.report(tmp_path / "r.html", [folder])
    secs = sections(out.read_text(encoding="utf-8"))
    assert list(secs) == ["money", "gamma-upstream"]
    assert secs["money"]["title"] == "Biggest deal" and secs["money"]["rows"] == 1
    assert "Showing 1 of 3" in secs["money"]["text"]
    up = secs["gamma-upstream"]
    assert up["title"] == "Upstream of Gamma Cloud"
    assert up["rows"] == 1 and "X1" in up["text"]  # at depth 1 Gamma only uses X1
    assert "claimgraph query dependencies --param entity=gamma --param depth=1" in up["text"]


BAD_SPECS = [
    ("sections:\n  - query: monay\n", "report.yaml:2:12: unknown query 'monay': did you mean 'money'?"),
    ("sections:\n  - query: money\n    limt: 3\n", "report.yaml:3:5: unknown key 'limt': did you mean 'limit'?"),
    ("sections:\n  - query: money\n    limit: 0\n", "report.yaml:3:12: limit must be a whole number of rows, 1 or more"),
    ("sections:\n  - query: roadmap\n    entity: nobody\n",
     "report.yaml:3:13: entity 'nobody' is not in this landscape: name one of its entities (id, name or alias), "
     "or remove it to choose from the data"),
    ("sections:\n  - query: dependencies\n    params: {depht: 2}\n    entity: alpha\n",
     "report.yaml:3:14: query dependencies has no parameter 'depht': did you mean 'depth'?"),
    ("sections:\n  - query: money\n    title: \"{entity}'s money\"\n",
     "report.yaml:3:12: {entity} in title, but query money is about no entity"),
    ("sections:\n  - query: dependencies\n", "report.yaml:2:5: section dependencies needs an entity: give entity: "
     "ENTITY or choose: (most-depended-on, most-generations, most-connected), or run claimgraph report --focus ENTITY"),
    ("focus: alpha\nsection:\n  - query: money\n", "report.yaml:2:1: unknown key 'section': did you mean 'sections'?"),
    ("sections:\n  - query: money\n    sort: [-usd]\n",
     "report.yaml:3:11: cannot sort money rows by '-usd': did you mean 'usd_total'?"),
    ("sections: [query: money\n", "report.yaml:2:1: YAML syntax error: "),
]


@pytest.mark.parametrize(("spec", "line"), BAD_SPECS, ids=[str(i) for i in range(len(BAD_SPECS))])
def test_a_wrong_spec_is_one_located_line_and_exit_2(tmp_path, spec, line):
    folder = write_dataset(tmp_path / "bad", ORBIT, spec)
    out = tmp_path / "r.html"
    r = CliRunner().invoke(main, ["report", str(folder), "-o", str(out)])
    assert r.exit_code == 2, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.output, r.output
    assert lines[0].startswith(f"{folder / line}") if line.endswith(": ") else lines[0] == f"{folder / line}"
    assert not out.exists()


def test_every_mistake_of_a_spec_is_reported_at_once(tmp_path):
    spec = "sections:\n  - query: monay\n  - query: money\n    limit: -1\n"
    folder = write_dataset(tmp_path / "bad", ORBIT, spec)
    r = CliRunner().invoke(main, ["validate", str(folder)])
    assert r.exit_code == 0, r.output  # the spec is no dataset file: validate does not read it
    r = CliRunner().invoke(main, ["report", str(folder), "-o", str(tmp_path / "r.html")])
    assert r.exit_code == 2
    assert r.output.strip().splitlines() == [
        f"{folder / 'report.yaml'}:2:12: unknown query 'monay': did you mean 'money'?",
        f"{folder / 'report.yaml'}:4:12: limit must be a whole number of rows, 1 or more"]
