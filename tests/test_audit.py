"""The audit: severities, and findings inferred from the data rather than from the labels.

The expected findings are written by hand from the fact sheet (/work/shared/sources/fact-check.md,
rows cited) and from what each source is (its tier, whether it has an address), not copied from
the audit's output. A second landscape the audit was not tuned to, tests/fixtures/openai-compute
(the 2025 OpenAI compute deals), must raise no false conflict and call no hindsight stale.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimgraph import audit, load
from claimgraph.cli import main
from claimgraph.honesty import (
    CODES,
    SEVERITIES,
    implied_stake,
    money_predicates,
    numeric_conflicts,
    summarize,
    tense_of,
)
from claimgraph.model import Status

OPENAI = Path(__file__).resolve().parent / "fixtures" / "openai-compute"

# (code, claim) -> why it is a real problem of the bundled landscape
BUNDLED_PROBLEMS = {
    # 10a: Bloomberg's "up to USD 2B" at a valuation of about USD 230B buys under 1%, not 7%
    ("implied-stake", "nvidia-invests-in-xai-stake-7pct"): "nvidia-invests-in-xai-series-e",
    # 10b: the USD 15B purchase commitment is the self-media article's alone
    ("weak-money", "xai-commits-to-buy-nvidia-15b-article"): None,
    # 7: the article's "Tesla's annual report names Nvidia" is the reversal of Nvidia's 10-K naming Tesla
    ("contradicted", "tesla-annual-report-names-nvidia-article"): "nvidia-annual-report-names-tesla",
    # 11: "Nvidia is about to release Blackwell", said in January 2026; Blackwell was unveiled 18 March 2024
    ("overtaken", "blackwell-about-to-release-article"): "blackwell-announced-2024-03-18",
    # 8: Dojo "attacking Nvidia's training market" in January 2026; Dojo was shut in August 2025
    ("overtaken", "dojo-competes-with-nvidia-article"): "dojo-discontinued-2025-08",
    # reported claims whose every supporting source is low tier or has no address:
    ("weak-support", "ai4-launched-2023"): None,                  # Wikipedia only
    ("weak-support", "ai4-succeeds-hw3"): None,                   # Wikipedia only
    ("weak-support", "ai5-taped-out-2026-04-15"): None,           # 2: an unnamed low-tier report
    ("weak-support", "ai6-volume-2027-samsung"): None,            # 3: Reuters, named without an address
    ("weak-support", "chip-industry-tapeout-to-volume"): None,    # 12: one practitioner's blog
    ("weak-support", "chip-industry-tapeout-to-volume-automotive"): None,  # 12: the same blog
    ("weak-support", "cuda-ecosystem-age-article"): None,         # the article and Wikipedia
    ("weak-support", "fsd-v12-demo-2023-08"): None,               # 9: Not a Tesla App only
    ("weak-support", "fsd-v12-launched-2024"): None,              # 9: Not a Tesla App only
    ("weak-support", "tesla-develops-fsd-v12"): None,             # 9: Not a Tesla App only
    ("weak-support", "nvidia-annual-report-names-tesla"): None,   # 7: an unnamed third party
}


def serious(findings):
    return [f for f in findings if f.severity in ("critical", "warning")]


# -- the bundled landscape ----------------------------------------------------------------------------
def test_bundled_warnings_are_exactly_the_real_problems(bundled):
    found = serious(audit(bundled))
    assert {(f.code, f.claim) for f in found} == set(BUNDLED_PROBLEMS)
    assert all(f.severity == "warning" for f in found), "no confirmed claim of the landscape is at fault"
    for f in found:
        against = BUNDLED_PROBLEMS[(f.code, f.claim)]
        if against:
            assert f.claim_ids == [f.claim, against], f
        assert set(f.source_ids) >= set(bundled.claims[f.claim].source_ids)


def test_the_stake_is_worked_out_from_amount_over_valuation(bundled):
    series_e = bundled.claims["nvidia-invests-in-xai-series-e"]
    assert "stake" not in series_e.qualifiers  # no source states it
    implied = implied_stake(series_e, {"USD": 1.0})
    # at most USD 2B over about USD 230B: 0.87%, rounded up; nothing is known of the lower end
    assert implied.min is None and implied.max == pytest.approx(0.87) and implied.approx
    (f,) = [f for f in audit(bundled) if f.code == "implied-stake"]
    assert "stake 7%" in f.message and "0.87%" in f.message and "USD 230B" in f.message


def test_findings_do_not_come_from_the_labels(bundled):
    """Raise every label the author typed on the problem claims: the audit finds the same claims,
    now more severe, since the landscape then states them as fact."""
    land = bundled.filter(lambda c: True)
    raised = {}
    for cid, status in (("nvidia-invests-in-xai-stake-7pct", Status.CONFIRMED),
                        ("xai-commits-to-buy-nvidia-15b-article", Status.REPORTED),
                        ("tesla-annual-report-names-nvidia-article", Status.CLAIMED),
                        ("blackwell-about-to-release-article", Status.CONFIRMED),
                        ("dojo-competes-with-nvidia-article", Status.REPORTED)):
        raised[cid] = land.claims[cid].model_copy(update={"status": status})
    land.claims = {**land.claims, **raised}
    got = {(f.code, f.claim): f.severity for f in audit(land)}
    assert got[("implied-stake", "nvidia-invests-in-xai-stake-7pct")] == "critical"
    assert got[("weak-money", "xai-commits-to-buy-nvidia-15b-article")] == "warning"
    assert got[("weak-support", "xai-commits-to-buy-nvidia-15b-article")] == "warning"
    assert got[("contradicted", "tesla-annual-report-names-nvidia-article")] == "warning"
    assert got[("overtaken", "blackwell-about-to-release-article")] == "critical"
    assert got[("overtaken", "dojo-competes-with-nvidia-article")] == "warning"


def test_a_retold_past_is_not_stale(bundled):
    # 6: "Tesla's early Autopilot ran on Nvidia", told in 2026 of 2016-2019: history, not stale
    c = bundled.claims["nvidia-supplies-tesla-article"]
    assert c.valid_until.year == 2019 and c.stated_on.year == 2026
    assert tense_of(c) == "past"
    assert not [f for f in audit(bundled) if c.id in f.claim_ids]


def test_what_the_record_already_shows_is_info(bundled):
    every = audit(bundled)
    info = {(f.code, tuple(f.claim_ids)) for f in every if f.severity == "info"}
    # Musk's 40x against the article's 50x: the 50x is already marked disputed
    assert ("numeric-conflict", ("ai5-outperforms-ai4-40x", "ai5-outperforms-ai4-50x")) in info
    # Samsung's H2 2027 against Musk's hoped-for 2028: an interested party's claim beside a report
    assert ("numeric-conflict", ("ai6-volume-2027-samsung", "ai6-volume-2028")) in info
    # the article says Blackwell is both newly released and about to be released, citing itself against each
    assert ("source-conflict", ("blackwell-about-to-release-article", "blackwell-newly-released-article")) in info
    # one source is no longer a finding by itself: the bundled landscape has many single-source claims
    assert not any(f.code == "single-source" for f in every)


def test_findings_are_sorted_and_carry_known_codes_and_severities(bundled):
    found = audit(bundled)
    assert found == audit(bundled)
    assert {f.code for f in found} <= set(CODES) and {f.severity for f in found} <= set(SEVERITIES)
    ranks = [SEVERITIES.index(f.severity) for f in found]
    assert ranks == sorted(ranks)
    counts = summarize(found)
    assert sum(sum(v.values()) for v in counts.values()) == len(found)
    assert counts["warning"]["weak-support"] == 11 and "critical" not in counts


# -- a landscape the audit was not tuned to: the 2025 OpenAI compute deals ------------------------------
@pytest.fixture(scope="module")
def openai():
    return load([OPENAI])


def test_openai_compute_has_no_false_conflict_and_no_stale_hindsight(openai):
    found = audit(openai)
    wrong = {"numeric-conflict", "implied-stake", "contradicted", "overtaken", "stale-when-stated", "source-conflict"}
    assert [f for f in found if f.code in wrong] == []
    # what it does raise is true: two reported claims rest on a source without an address
    assert {(f.code, f.claim) for f in serious(found)} == {
        ("weak-support", "microsoft-invests-in-openai-to-date"),
        ("weak-support", "microsoft-stake-in-openai-2025-10")}


def test_openai_contracts_are_three_deals_and_a_total(openai):
    deals = {c.qualifiers.get("deal") for c in openai.claims.values() if c.object == "coreweave"}
    assert deals == {"March 2025 contract", "May 2025 expansion", "September 2025 expansion", None}
    total = openai.claims["openai-coreweave-total-2025"]
    assert "cumulative" in total.qualifiers
    parts = [openai.claims[f"openai-coreweave-{m}-2025"].qualifiers["amount"].point for m in ("march", "may", "september")]
    assert sum(parts) == pytest.approx(total.qualifiers["amount"].point)  # 11.9 + 4 + 6.5 = 22.4


def test_without_the_deal_and_total_marks_the_figures_would_clash(openai):
    """The marks are what keeps the figures apart: without them the audit sees rival figures."""
    land = openai.filter(lambda c: True)
    land.claims = {cid: c.model_copy(update={"qualifiers": {k: v for k, v in c.qualifiers.items()
                                                             if k not in ("deal", "cumulative")}})
                   for cid, c in land.claims.items()}
    pairs = {tuple(f.claim_ids) for f in numeric_conflicts(land)}
    assert ("microsoft-invests-in-openai-2019", "microsoft-invests-in-openai-to-date") in pairs
    assert ("openai-coreweave-may-2025", "openai-coreweave-total-2025") in pairs


def test_the_hindsight_statement_is_past_tense(openai):
    c = openai.claims["microsoft-exclusive-cloud-2019-2025"]
    assert (c.valid_from.year, c.valid_until.year, c.valid_until.month) == (2019, 2025, 1)
    assert (c.stated_on.year, c.stated_on.month) == (2025, 10)
    assert tense_of(c) == "past"


# -- the rules, one by one, on small landscapes -------------------------------------------------------
SMALL = """\
sources:
  - {id: wire, title: Wire report, publisher: Wire, tier: wire, url: "https://example.org/wire", published: 2025-06}
  - {id: filing, title: Filing, publisher: Regulator, tier: primary, url: "https://example.org/filing", published: 2025-07}
  - {id: blog, title: A blog post, publisher: Blog, tier: self-media}
  - {id: unlinked, title: A wire report, publisher: Wire, tier: wire, published: 2025-06}
entities:
  - {id: acme, name: Acme, kind: Company}
  - {id: bolt, name: Bolt, kind: Company}
  - {id: x1, name: X1, kind: Chip}
  - {id: x2, name: X2, kind: Chip}
rates:
  - {currency: KRW, usd: 0.001, "on": 2025-06, source: wire}
claims:
"""


def small(tmp_path, claims: str, name="d.yaml"):
    p = tmp_path / name
    p.write_text(SMALL + textwrap.indent(textwrap.dedent(claims), "  "), encoding="utf-8")
    return load([p])


def codes_of(land, severity=None):
    return {(f.code, tuple(f.claim_ids)) for f in audit(land) if severity is None or f.severity == severity}


def test_different_deals_do_not_conflict_but_one_deal_does(tmp_path):
    land = small(tmp_path, """\
        - {id: a, subject: acme, predicate: COMMITS_TO_BUY, object: bolt, qualifiers: {deal: first, amount: USD 4B}, status: reported, evidence: [{source: wire}]}
        - {id: b, subject: acme, predicate: COMMITS_TO_BUY, object: bolt, qualifiers: {deal: second, amount: USD 6.5B}, status: reported, evidence: [{source: filing}]}
        - {id: c, subject: acme, predicate: COMMITS_TO_BUY, object: bolt, qualifiers: {amount: USD 9B}, status: reported, evidence: [{source: filing}]}
        """)
    found = codes_of(land)
    assert ("numeric-conflict", ("a", "b")) not in found
    # a claim naming no deal may be about either: it is compared with both, and both are reported
    assert ("numeric-conflict", ("a", "c")) in codes_of(land, "warning")
    assert ("numeric-conflict", ("b", "c")) in codes_of(land, "warning")


def test_a_running_total_is_compared_only_with_totals_of_the_same_coverage(tmp_path):
    land = small(tmp_path, """\
        - {id: r1, subject: acme, predicate: INVESTS_IN, object: bolt, qualifiers: {round: Series A, amount: USD 1B}, status: confirmed, evidence: [{source: filing}]}
        - {id: t1, subject: acme, predicate: INVESTS_IN, object: bolt, qualifiers: {cumulative: all rounds to 2025, amount: USD 13B}, status: reported, evidence: [{source: wire}]}
        - {id: t2, subject: acme, predicate: INVESTS_IN, object: bolt, qualifiers: {cumulative: all rounds to 2025, amount: USD 20B}, status: reported, evidence: [{source: wire}]}
        """)
    found = codes_of(land)
    assert ("numeric-conflict", ("r1", "t1")) not in found and ("numeric-conflict", ("r1", "t2")) not in found
    assert ("numeric-conflict", ("t1", "t2")) in found


def test_an_implied_stake_converts_through_the_dataset_rate(tmp_path):
    # KRW 500B at USD 0.001 per won is USD 0.5B; over a USD 10B valuation: 4.8% to 5%
    land = small(tmp_path, """\
        - {id: money, subject: acme, predicate: INVESTS_IN, object: bolt, qualifiers: {amount: KRW 500B, valuation: USD 10B}, status: reported, evidence: [{source: filing}]}
        - {id: fits, subject: acme, predicate: INVESTS_IN, object: bolt, qualifiers: {stake: 5%}, status: reported, evidence: [{source: wire}]}
        - {id: wrong, subject: acme, predicate: INVESTS_IN, object: bolt, qualifiers: {stake: 20%}, status: claimed, evidence: [{source: blog}]}
        - {id: self, subject: acme, predicate: INVESTS_IN, object: bolt, qualifiers: {stake: 30%, amount: USD 1B, valuation: USD 10B}, status: confirmed, evidence: [{source: filing}]}
        """)
    q = implied_stake(land.claims["money"], {"USD": 1.0, "KRW": 0.001})
    assert (q.min, q.max) == (pytest.approx(4.7), pytest.approx(5.0))
    found = {(f.code, tuple(f.claim_ids)): f.severity for f in audit(land)}
    assert ("implied-stake", ("fits", "money")) not in found
    assert found[("implied-stake", ("wrong", "money"))] == "warning"
    # a claim whose own stake disagrees with its own amount over valuation (30% against 9-10%)
    assert found[("implied-stake", ("self",))] == "critical"


def test_a_reversal_on_a_one_way_predicate_is_contradicted(tmp_path):
    land = small(tmp_path, """\
        - {id: right, subject: x2, predicate: SUCCEEDS, object: x1, status: confirmed, evidence: [{source: filing}]}
        - {id: reversed, subject: x1, predicate: SUCCEEDS, object: x2, status: claimed, evidence: [{source: blog}]}
        - {id: buys, subject: acme, predicate: INVESTS_IN, object: bolt, status: reported, evidence: [{source: wire}]}
        - {id: buys-back, subject: bolt, predicate: INVESTS_IN, object: acme, status: claimed, evidence: [{source: blog}]}
        """)
    found = {(f.code, tuple(f.claim_ids)): f.severity for f in audit(land)}
    assert found[("contradicted", ("reversed", "right"))] == "warning"
    # investment runs both ways between real companies: no reversal there
    assert not any(code == "contradicted" and "buys" in ids for code, ids in found)


def test_overtaken_needs_a_stronger_milestone_before_the_statement(tmp_path):
    land = small(tmp_path, """\
        - {id: launch, subject: x1, predicate: REACHES_MILESTONE, value: 2025-06-10, qualifiers: {milestone: launched}, stated_on: 2025-06-10, status: confirmed, evidence: [{source: wire}]}
        - {id: soon, subject: x1, predicate: HAS_ATTRIBUTE, value: coming soon, qualifiers: {metric: release status}, stated_on: 2025-09, valid_from: 2025-05, status: claimed, evidence: [{source: blog}]}
        - {id: soon-then, subject: x1, predicate: HAS_ATTRIBUTE, value: coming soon, qualifiers: {metric: release status}, stated_on: 2025-05, valid_from: 2025-05, status: claimed, evidence: [{source: blog}]}
        - {id: spec, subject: x1, predicate: HAS_ATTRIBUTE, value: 3 nm, qualifiers: {metric: process}, stated_on: 2025-09, valid_from: 2025-06-10, status: reported, evidence: [{source: filing}]}
        - {id: bounded, subject: x1, predicate: HAS_ATTRIBUTE, value: coming soon, qualifiers: {metric: release status}, stated_on: 2025-09, valid_from: 2025-05, valid_until: 2025-06-10, status: claimed, evidence: [{source: blog}]}
        - {id: rumour, subject: x2, predicate: REACHES_MILESTONE, value: 2025-06, qualifiers: {milestone: launched}, stated_on: 2025-06, status: claimed, evidence: [{source: blog}]}
        - {id: x2-soon, subject: x2, predicate: HAS_ATTRIBUTE, value: coming soon, qualifiers: {metric: release status}, stated_on: 2025-09, valid_from: 2025-05, status: claimed, evidence: [{source: blog}]}
        """)
    over = {f.claim: f for f in audit(land) if f.code == "overtaken"}
    # said in September as holding since May, after the confirmed June launch
    assert set(over) == {"soon"} and over["soon"].claim_ids == ["soon", "launch"]
    # not: said before the launch (soon-then), holding only from it (spec), ended at it and told in
    # hindsight (bounded), overtaken only by a claimed launch (x2-soon)


def test_a_stated_tense_is_read_and_past_tense_is_never_stale(tmp_path):
    """The rule reads a claim's ``tense`` (docs/time.md): told in the present after its end it is
    stale; told in the past tense, or with no tense after its end (hindsight), it is not."""
    from claimgraph.model import Tense

    land = small(tmp_path, """\
        - {id: told, subject: acme, predicate: SUPPLIES, object: bolt, stated_on: 2025-10, valid_from: 2019, valid_until: 2025-01, status: reported, evidence: [{source: filing}]}
        """)
    base = land.claims["told"]
    assert tense_of(base) == "past" and not codes_of(land) & {("stale-when-stated", ("told",))}
    land.claims = {"told": base.model_copy(update={"tense": Tense.PRESENT})}
    (f,) = [f for f in audit(land) if f.code == "stale-when-stated"]
    assert f.claim_ids == ["told"] and f.severity == "warning" and "present tense" in f.message
    land.claims = {"told": base.model_copy(update={"tense": Tense.PAST})}
    assert not [f for f in audit(land) if f.code == "stale-when-stated"]


def test_weak_support_and_weak_money(tmp_path):
    land = small(tmp_path, """\
        - {id: blogged, subject: acme, predicate: PARTNERS_WITH, object: bolt, status: reported, evidence: [{source: blog}]}
        - {id: unlinked-report, subject: acme, predicate: COMPETES_WITH, object: bolt, status: reported, evidence: [{source: unlinked}]}
        - {id: linked, subject: acme, predicate: COMPETES_WITH, object: bolt, qualifiers: {channel: filing}, status: reported, evidence: [{source: wire}]}
        - {id: only-claimed, subject: bolt, predicate: PARTNERS_WITH, object: acme, qualifiers: {period: "2025"}, status: claimed, evidence: [{source: blog}]}
        - {id: blog-money, subject: acme, predicate: COMMITS_TO_BUY, object: bolt, qualifiers: {amount: USD 15B}, status: claimed, evidence: [{source: blog}]}
        - {id: refuted-money, subject: acme, predicate: INVESTS_IN, object: bolt, qualifiers: {amount: USD 1B}, status: refuted, evidence: [{source: blog}, {source: filing, effect: contradicts}]}
        """)
    found = {(f.code, f.claim): f.severity for f in audit(land)}
    assert found[("weak-support", "blogged")] == "warning"
    assert found[("weak-support", "unlinked-report")] == "warning"  # a wire report with no address
    assert ("weak-support", "linked") not in found and ("weak-support", "only-claimed") not in found
    assert found[("weak-money", "blog-money")] == "warning"
    assert found[("weak-money", "refuted-money")] == "info"
    assert set(money_predicates(land.vocabulary)) == {"INVESTS_IN", "COMMITS_TO_BUY", "ACQUIRES", "MANUFACTURES_FOR"}


def test_a_confirmed_claim_on_weak_sources_is_critical(tmp_path):
    land = small(tmp_path, """\
        - {id: overstated, subject: acme, predicate: PARTNERS_WITH, object: bolt, status: confirmed, evidence: [{source: blog}]}
        """)
    assert codes_of(land, "critical") == {("weak-confirmed", ("overstated",))}


# -- the command ---------------------------------------------------------------------------------------
def test_cli_table_groups_by_claim_with_a_summary(tmp_path):
    res = CliRunner().invoke(main, ["audit"], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    summary = [x for x in lines if x.startswith("summary: ")]
    assert summary == ["summary: critical 0; warning 16 (implied-stake 1, contradicted 1, overtaken 2, "
                       "weak-money 1, weak-support 11); info 9 (numeric-conflict 6, contested 1, source-conflict 2)"]
    body = "\n".join(lines)
    assert "info hidden: --all shows them" in body and "numeric-conflict" not in body.split("summary:")[0]
    every = CliRunner().invoke(main, ["audit", "--all"], env={"COLUMNS": "400"}).output
    table = every.split("summary:")[0]
    assert "numeric-conflict" in table and "source-conflict" in table
    # grouped by claim: Blackwell's "about to be released" shows its warning, then its info, under one claim cell
    rows = [r for r in table.splitlines() if "│" in r]
    cells = [[c.strip() for c in r.strip("│").split("│")] for r in rows]
    first = next(i for i, c in enumerate(cells) if c[0] == "blackwell-about-to-release-article")
    assert cells[first][1:3] == ["warning", "overtaken"]
    follow = next(c for c in cells[first + 1:] if c[0] or c[2])
    assert follow[0] == "" and follow[1:3] == ["info", "source-conflict"]


def test_cli_strict_fails_on_warnings_only(tmp_path):
    strict = CliRunner().invoke(main, ["audit", "--strict"])
    assert strict.exit_code == 1
    # a landscape whose only finding is info: two interested parties' rival figures
    p = tmp_path / "info.yaml"
    p.write_text(SMALL + textwrap.indent(textwrap.dedent("""\
        - {id: a, subject: acme, predicate: HAS_CADENCE, value: 9 months, status: claimed, evidence: [{source: wire}]}
        - {id: b, subject: acme, predicate: HAS_CADENCE, value: 18 months, status: claimed, evidence: [{source: filing}]}
        """), "  "), encoding="utf-8")
    quiet = CliRunner().invoke(main, ["audit", "--strict", str(p)])
    assert quiet.exit_code == 0, quiet.output
    assert "no critical or warning findings" in quiet.output and "info 1 (numeric-conflict 1)" in quiet.output
    data = json.loads(CliRunner().invoke(main, ["audit", "--all", "--format", "json", str(p)]).output)
    assert [(f["code"], f["severity"], f["claim_ids"]) for f in data] == [("numeric-conflict", "info", ["a", "b"])]
    assert json.loads(CliRunner().invoke(main, ["audit", "--format", "json", str(p)]).output) == []


def test_every_example_in_docs_audit_runs():
    """docs/audit.md: each ``$ claimgraph audit ...`` example prints the findings listed under it."""
    import re
    import shlex

    text = (Path(__file__).resolve().parent.parent / "docs" / "audit.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```console\n(.*?)```", text, re.S)
    ran = 0
    for block in blocks:
        lines = block.strip().splitlines()
        if not lines[0].startswith("$ claimgraph audit --code"):
            continue
        args = shlex.split(lines[0].removeprefix("$ claimgraph "))
        want = {tuple(line.split()) for line in lines[1:]}
        res = CliRunner().invoke(main, [*args, "--format", "json"])
        assert res.exit_code == 0, res.output
        got = {(f["claim_ids"][0], f["severity"], f["code"]) for f in json.loads(res.output)}
        assert got == want, lines[0]
        ran += 1
    assert ran == 7
