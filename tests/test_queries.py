"""Canned queries on the bundled landscape: the answers the facts call for, and the CLI.

Expected values come from the fact sheet behind the dataset (Samsung's KRW 22.76T ~ USD 16.5B
AI6 contract, Nvidia's ~0.9% of xAI against the article's 7%, AI5 taped out in April 2026 and
AI6 due to tape out in December 2026 against Musk's 9-month cadence, ...), not from query output.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimgraph.cli import main
from claimgraph.errors import ClaimgraphError
from claimgraph.model import STATUS_ORDER, Status, as_date
from claimgraph.queries import QUERIES, run_query

OPENAI = Path(__file__).resolve().parent / "fixtures" / "openai-compute"
TEN = {"frenemies", "circular-deals", "dependencies", "money", "roadmap", "claims",
       "contradictions", "influence", "path", "neighbourhood"}


def by(rows, **want):
    return [r for r in rows if all(getattr(r, k) == v for k, v in want.items())]


def test_registry_has_the_ten_queries_each_with_a_cypher_twin():
    assert TEN <= set(QUERIES)  # the ten that ship; a query added beside them is found too
    for q in QUERIES.values():
        text = q.cypher
        assert text.lstrip().startswith("//"), f"{q.name}.cypher needs a header comment"
        assert "$min_status_rank" in text and "$as_of" in text, q.name
        for p in q.params:
            assert f"${p.name}" in text, f"{q.name}.cypher does not use ${p.name}"


def test_every_row_cites_claims_and_sources_that_exist(bundled):
    params = {"dependencies": {"entity": "tesla"}, "roadmap": {"entity": "tesla"},
              "path": {"a": "elon-musk", "b": "nvidia"}, "neighbourhood": {"entity": "xai"}}
    for name in TEN:
        rows = run_query(bundled, name, **params.get(name, {}))
        assert rows, name
        for r in rows:
            assert set(r.claim_ids) <= set(bundled.claims), name
            assert set(r.source_ids) <= set(bundled.sources), name
            assert r.claim_ids, f"{name} row cites no claim: {r}"


# -- frenemies -----------------------------------------------------------------------------------
def test_frenemies_nvidia_and_tesla_and_the_musk_group(bundled):
    rows = run_query(bundled, "frenemies")
    nt = by(rows, a="nvidia", b="tesla")
    assert len(nt) == 1
    # Nvidia supplied Tesla's Autopilot (2016-2019) and the two compete
    assert "SUPPLIES" in nt[0].cooperative_predicates
    assert nt[0].competitive_predicates == ["COMPETES_WITH"]
    for cid in nt[0].cooperative_claim_ids + nt[0].competitive_claim_ids:
        c = bundled.claims[cid]
        assert {c.subject, c.object} == {"nvidia", "tesla"}
    group = by(rows, a="group:elon-musk", b="nvidia")
    assert len(group) == 1
    g = group[0]
    assert {"tesla", "spacex", "xai"} <= set(g.a_members)
    # the group row joins Nvidia's money in xAI with its rivalry with Tesla
    assert any(bundled.claims[c].predicate == "INVESTS_IN" and bundled.claims[c].object == "xai"
               for c in g.cooperative_claim_ids)
    assert set(nt[0].competitive_claim_ids) <= set(g.competitive_claim_ids)


# -- circular deals ------------------------------------------------------------------------------
def test_circular_deal_nvidia_xai_with_both_stakes_the_2b_and_the_supply_leg(bundled):
    rows = by(run_query(bundled, "circular-deals"), investor="nvidia", recipient="xai")
    assert len(rows) == 1
    deal = rows[0]
    money = [g for g in deal.legs if g.role == "money"]
    purchase = [g for g in deal.legs if g.role == "purchase"]
    stakes = {g.stake: g.status for g in money if g.stake}
    # the article's figure is the only stake stated; what the investment buys (up to USD 2B at
    # about USD 230B) is worked out by the audit, not typed in as a stake
    assert stakes == {"7%": "disputed"}
    assert any(g.amount and "USD 2B" in g.amount for g in money)
    assert any(g.predicate == "SUPPLIES" and g.subject == "nvidia" and g.object == "xai" for g in purchase)
    # the USD 15B purchase commitment is only the article's: unsupported, shown as such
    assert any(g.predicate == "COMMITS_TO_BUY" and g.status == "unsupported" for g in purchase)
    assert "xai-gpu-vehicle" in deal.vehicles
    assert any(g.role == "vehicle" and g.predicate == "LEASES_TO" for g in deal.legs)
    assert all(g.status in {s.value for s in STATUS_ORDER} for g in deal.legs)


def test_circular_deals_disappear_when_only_confirmed_purchases_are_missing(bundled):
    rows = run_query(bundled, "circular-deals", min_status="confirmed")
    for r in rows:
        assert all(bundled.claims[c].status is Status.CONFIRMED for c in r.claim_ids)


# -- dependencies --------------------------------------------------------------------------------
def test_tesla_depends_on_samsung_and_tsmc_through_ai5_and_ai6(bundled):
    rows = run_query(bundled, "dependencies", entity="特斯拉", depth=2)
    made = {(r.dependent, r.dependency) for r in rows if r.relation == "made by"}
    assert {("ai5", "samsung"), ("ai5", "tsmc"), ("ai6", "samsung")} <= made
    ai6 = by(rows, dependent="tesla", dependency="ai6")[0]
    assert ai6.makers == ["samsung"] and ai6.single_source is True
    ai5 = by(rows, dependent="tesla", dependency="ai5")[0]
    assert ai5.makers == ["samsung", "tsmc"] and ai5.single_source is False
    assert all(r.depth <= 2 for r in rows)
    assert by(rows, depth=1, dependent="tesla", dependency="samsung")  # the foundry contract itself


def test_dependencies_depth_one_stops_at_the_first_hop(bundled):
    rows = run_query(bundled, "dependencies", entity="tesla", depth=1)
    assert rows and {r.dependent for r in rows} == {"tesla"}


def test_tesla_dependencies_are_not_nvidias_product_line(bundled):
    """The issue: `dependencies tesla` listed Nvidia's whole product line (Blackwell, Rubin,
    CUDA ...). Nvidia supplied Tesla; what else Nvidia develops is its catalogue, not Tesla's."""
    rows = run_query(bundled, "dependencies", entity="tesla", depth=3)
    assert not by(rows, dependent="nvidia")
    assert not {"blackwell", "rubin", "cuda", "feynman"} & {r.dependency for r in rows}
    nvidia = by(rows, dependent="tesla", dependency="nvidia")
    assert [r.relation for r in nvidia] == ["supplied by"] and nvidia[0].followed is False
    # Drive PX2 in HW2 from October 2016 to 2019, and again after Dojo was shut (August 2025)
    assert nvidia[0].period == "2016-10-01 to 2019-12-31; from 2025-08-01"


def test_dependencies_follow_the_entitys_own_products_with_their_periods_and_paths(bundled):
    rows = run_query(bundled, "dependencies", entity="tesla", depth=3)
    # Dojo used Tesla's D1 from AI Day (August 2021) until Dojo was shut (August 2025); TSMC alone makes the D1
    dojo_d1 = by(rows, dependent="dojo", dependency="d1")[0]
    assert dojo_d1.period == "2021-08-01 to 2025-08-31"
    assert dojo_d1.makers == ["tsmc"] and dojo_d1.single_source
    assert dojo_d1.via == ["tesla", "dojo"] and dojo_d1.via_claim_ids == ["tesla-develops-dojo"]
    # what Tesla makes is its own product too: its cars use AI5 (Musk, 18 January 2026)
    cars = by(rows, dependent="tesla", dependency="tesla-vehicles")[0]
    assert cars.relation == "makes" and cars.followed and cars.makers == []  # Tesla is no outside maker
    assert by(rows, dependent="tesla-vehicles", dependency="ai5")[0].period == "from 2026-01-18"
    # and who makes AI5, reached through Tesla's own chip
    ai5_tsmc = by(rows, dependent="ai5", dependency="tsmc")[0]
    assert ai5_tsmc.via == ["tesla", "ai5"] and ai5_tsmc.followed is False
    # Samsung makes AI6 under the July 2025 contract, to 31 December 2033
    assert by(rows, dependent="ai6", dependency="samsung")[0].period == "2025-07-24 to 2033-12-31"


def test_a_dependency_of_unknown_date_stays_unknown(tmp_path):
    (tmp_path / "d.yaml").write_text("""
sources:
  - {id: s1, title: Filing, publisher: Acme, tier: primary, url: "https://example.org/f"}
entities:
  - {id: acme, name: Acme, kind: Company}
  - {id: beta, name: Beta, kind: Company}
  - {id: chip1, name: Chip One, kind: Chip}
  - {id: chip9, name: Beta's other chip, kind: Chip}
claims:
  - {id: c1, subject: acme, predicate: DEVELOPS, object: chip1, status: confirmed, valid_from: 2020-03, evidence: [{source: s1}]}
  - {id: c2, subject: beta, predicate: MAKES, object: chip1, status: reported, evidence: [{source: s1}]}
  - {id: c3, subject: beta, predicate: SUPPLIES, object: acme, status: reported, valid_from: 2019, valid_until: 2021, evidence: [{source: s1}]}
  - {id: c4, subject: beta, predicate: DEVELOPS, object: chip9, status: reported, valid_from: 2019, evidence: [{source: s1}]}
""", encoding="utf-8")
    from claimgraph import load

    rows = run_query(load([tmp_path]), "dependencies", entity="acme", depth=3)
    assert {(r.dependent, r.dependency): r.period for r in rows} == {
        ("acme", "chip1"): "from 2020-03-01",
        ("acme", "beta"): "2019-01-01 to 2021-12-31",
        ("chip1", "beta"): "undated",          # the MAKES claim has no date and its source none
    }                                           # and Beta's own chip9 is not Acme's


# -- frenemies in time ---------------------------------------------------------------------------
FRENEMIES = """
sources:
  - {id: s1, title: Filing, publisher: Acme, tier: primary, url: "https://example.org/f"}
entities:
  - {id: acme, name: Acme, kind: Company}
  - {id: beta, name: Beta, kind: Company}
  - {id: gamma, name: Gamma, kind: Company}
  - {id: delta, name: Delta, kind: Company}
claims:
  # Acme and Beta: partners 2015-2018, rivals from 2020 (no overlap, cooperation first)
  - {id: ab-partners, subject: acme, predicate: PARTNERS_WITH, object: beta, status: confirmed, valid_from: 2015, valid_until: 2018, evidence: [{source: s1}]}
  - {id: ab-rivals, subject: acme, predicate: COMPETES_WITH, object: beta, status: confirmed, valid_from: 2020, evidence: [{source: s1}]}
  # Acme and Gamma: rivals from 2010, Gamma supplies Acme from 2022 (overlap, competition first)
  - {id: ag-rivals, subject: acme, predicate: COMPETES_WITH, object: gamma, status: confirmed, valid_from: 2010, evidence: [{source: s1}]}
  - {id: ag-supply, subject: gamma, predicate: SUPPLIES, object: acme, status: confirmed, valid_from: 2022, evidence: [{source: s1}]}
  # Acme and Delta: partners 2015-2016, and an undated rivalry (unknown)
  - {id: ad-partners, subject: acme, predicate: PARTNERS_WITH, object: delta, status: confirmed, valid_from: 2015, valid_until: 2016, evidence: [{source: s1}]}
  - {id: ad-rivals, subject: acme, predicate: COMPETES_WITH, object: delta, status: claimed, evidence: [{source: s1}]}
"""


def test_frenemies_say_whether_cooperation_and_competition_overlap(tmp_path):
    (tmp_path / "d.yaml").write_text(FRENEMIES, encoding="utf-8")
    from claimgraph import load

    rows = {(r.a, r.b): r for r in run_query(load([tmp_path]), "frenemies")}
    ab, ag, ad = rows[("acme", "beta")], rows[("acme", "gamma")], rows[("acme", "delta")]
    assert (ab.overlap, ab.came_first) == ("no", "cooperation")
    assert (ab.cooperative_period, ab.competitive_period) == ("2015-01-01 to 2018-12-31", "from 2020-01-01")
    assert (ag.overlap, ag.came_first) == ("yes", "competition")
    assert (ad.overlap, ad.came_first) == ("unknown", None) and ad.competitive_period == "undated"


def test_nvidia_and_tesla_overlap_since_2026(bundled):
    # Nvidia supplies Tesla again from August 2025; the two compete from January 2026
    row = by(run_query(bundled, "frenemies"), a="nvidia", b="tesla")[0]
    assert (row.overlap, row.came_first) == ("yes", "cooperation")
    assert row.cooperative_period == "2016-10-01 to 2019-12-31; from 2025-08-01"


# -- vendor-equity loops -------------------------------------------------------------------------
def test_circular_deals_find_amds_warrants_and_nvidias_letter_of_intent():
    from pathlib import Path

    from claimgraph import load

    land = load([Path(__file__).resolve().parent / "fixtures" / "openai-compute"])
    rows = {(r.investor, r.recipient): r for r in run_query(land, "circular-deals")}
    amd = rows[("amd", "openai")]   # AMD's warrant for up to 160M shares while OpenAI buys 6 GW of its GPUs
    assert amd.loops == ["vendor equity"]
    equity = [g for g in amd.legs if g.role == "equity"]
    assert [(g.instrument, g.predicate) for g in equity] == [("warrants", "GRANTS_EQUITY_TO")]
    assert "160,000,000 shares" in equity[0].count
    assert [g.claim_id for g in amd.legs if g.role == "purchase"] == ["openai-commits-to-buy-amd-6gw"]
    nvidia = rows[("nvidia", "openai")]   # a non-binding letter of intent: both legs only claimed
    assert nvidia.loops == ["investment"] and nvidia.status == "claimed"
    assert ("microsoft", "openai") in rows and ("oracle", "openai") not in rows  # Oracle takes no stake


def test_a_purchase_commitment_is_a_dependency_of_the_buyer_on_the_seller(bundled):
    # xAI's reported commitment to buy USD 15B of Nvidia chips (unsupported) sits beside Nvidia's
    # confirmed supply: two rows, each with its own claim and status
    rows = by(run_query(bundled, "dependencies", entity="xai", depth=1), dependency="nvidia")
    assert {(r.relation, r.predicate, r.status, tuple(r.claim_ids)) for r in rows} == {
        ("committed to buy from", "COMMITS_TO_BUY", "unsupported", ("xai-commits-to-buy-nvidia-15b-article",)),
        ("supplied by", "SUPPLIES", "confirmed", ("nvidia-supplies-xai",))}
    # OpenAI's contracts make it depend on CoreWeave and Oracle
    from claimgraph import load

    rows = run_query(load([OPENAI]), "dependencies", entity="openai", depth=1)
    assert {(r.dependency, r.relation) for r in rows} == {
        ("coreweave", "committed to buy from"), ("oracle", "committed to buy from"), ("microsoft", "supplied by"),
        ("amd", "committed to buy from"), ("nvidia", "committed to buy from")}  # AMD's 6 GW, Nvidia's 10 GW


# -- money ---------------------------------------------------------------------------------------
def test_money_converts_krw_22_76t_to_about_usd_16_5b(bundled):
    rows = by(run_query(bundled, "money"), payer="tesla", payee="samsung")
    assert len(rows) == 1
    flows = [f for f in rows[0].flows if f.amount == "KRW 22.76T"]
    assert len(flows) == 1
    assert flows[0].usd == pytest.approx(16.5e9, rel=0.01)
    assert rows[0].usd_reported_or_better == pytest.approx(16.5e9, rel=0.01)
    rate_sources = {r.source for r in bundled.rates if r.currency == "KRW"}
    assert rate_sources & set(rows[0].source_ids)


def test_money_counts_the_unsupported_15b_commitment_only_in_the_total(bundled):
    row = by(run_query(bundled, "money"), payer="xai", payee="nvidia")[0]
    # no reported or confirmed claim gives a figure: that total is unknown (None), not USD 0
    assert row.usd_total == 15_000_000_000 and row.usd_reported_or_better is None
    assert row.weakest_status == "unsupported"


def test_money_counts_the_samsung_foundry_deal_once(bundled):
    # the AI6 foundry contract is one deal of KRW 22.76T (about USD 16.5B); Musk's "at least
    # USD 16.5B" is a second claim about the same deal, not a second USD 16.5B
    row = by(run_query(bundled, "money"), payer="tesla", payee="samsung")[0]
    assert row.usd_total == pytest.approx(16.5e9, rel=0.01)
    assert row.usd_total_high == pytest.approx(16.5e9, rel=0.01)
    assert row.usd_reported_or_better == pytest.approx(16.5e9, rel=0.01)
    [deal] = row.deals
    assert deal.claim_ids == ["samsung-manufactures-for-tesla-ai6", "samsung-manufactures-for-tesla-bare-minimum"]
    # nothing hidden, nothing upgraded: every claim is still a flow with its own status and sources
    status = {f.claim_id: f.status for f in row.flows}
    assert status == {c: bundled.claims[c].status.value for c in row.claim_ids}
    assert status["samsung-manufactures-for-tesla-bare-minimum"] == "claimed"
    assert "samsung-manufactures-for-tesla-2nm-article" in status
    assert {s for c in row.claim_ids for s in bundled.claims[c].source_ids} <= set(row.source_ids)
    assert {f.claim_id: f.deal for f in row.flows}["samsung-manufactures-for-tesla-2nm-article"] is None


MONEY_DEALS = """
sources:
  - {id: s1, title: Filing, publisher: Acme, tier: primary}
  - {id: s2, title: Blog, publisher: Someone, tier: self-media}
entities:
  - {id: acme, name: Acme, kind: Company}
  - {id: beta, name: Beta, kind: Company}
claims:
  - {id: a-2b, subject: acme, predicate: INVESTS_IN, object: beta, qualifiers: {amount: USD 2B, round: Series A},
     valid_from: 2024-01, status: reported, evidence: [{source: s1}]}
  - {id: a-2b-again, subject: acme, predicate: INVESTS_IN, object: beta, qualifiers: {amount: USD 2B},
     valid_from: 2024-02, status: confirmed, evidence: [{source: s1}]}
  - {id: a-3b, subject: acme, predicate: INVESTS_IN, object: beta, qualifiers: {amount: USD 3B, round: Series A},
     valid_from: 2024-01, status: claimed, evidence: [{source: s2}]}
  - {id: b-1b, subject: acme, predicate: INVESTS_IN, object: beta, qualifiers: {amount: USD 1B, round: Series B},
     valid_from: 2025-06, status: confirmed, evidence: [{source: s1}]}
  - {id: old-5b, subject: acme, predicate: INVESTS_IN, object: beta, qualifiers: {amount: USD 5B},
     valid_from: 2010, valid_until: 2011, status: claimed, evidence: [{source: s2}]}
"""


def money_deals_landscape(tmp_path):
    from claimgraph import load

    (tmp_path / "d.yaml").write_text(MONEY_DEALS, encoding="utf-8")
    return load([tmp_path])


def test_money_shows_different_figures_for_one_deal_as_a_range(tmp_path):
    # Series A reported at USD 2B twice and claimed at USD 3B: one deal, 2B..3B, never 7B;
    # Series B and a deal that ended in 2011 are other deals and add up
    row = run_query(money_deals_landscape(tmp_path), "money")[0]
    assert [d.claim_ids for d in row.deals] == [["a-2b", "a-2b-again", "a-3b"], ["b-1b"], ["old-5b"]]
    assert (row.deals[0].usd_low, row.deals[0].usd_high) == (2_000_000_000, 3_000_000_000)
    assert (row.usd_total, row.usd_total_high) == (8_000_000_000, 9_000_000_000)
    # the claimed 3B and the claimed old 5B stay out of the reported-or-better figures
    assert (row.usd_reported_or_better, row.usd_reported_or_better_high) == (3_000_000_000, 3_000_000_000)
    assert {f.claim_id: f.status for f in row.flows} == {
        "a-2b": "reported", "a-2b-again": "confirmed", "a-3b": "claimed", "b-1b": "confirmed", "old-5b": "claimed"}


def test_money_adds_the_three_coreweave_contracts_and_keeps_their_stated_total_beside():
    # OpenAI's 2025 contracts with CoreWeave: up to USD 11.9B (March), USD 4B (May), up to
    # USD 6.5B (September), each naming its deal; Reuters' "USD 22.4B in all" is a running total
    from claimgraph import load

    [row] = by(run_query(load([OPENAI]), "money"), payer="openai", payee="coreweave")
    assert [d.claim_ids for d in row.deals] == [["openai-coreweave-march-2025"], ["openai-coreweave-may-2025"],
                                                ["openai-coreweave-september-2025"]]
    # firm: only May's USD 4B; if both "up to" contracts are reached, 11.9 + 4 + 6.5 = USD 22.4B
    assert (row.usd_total, row.usd_total_high, row.usd_total_up_to) == (4_000_000_000, 4_000_000_000, 22_400_000_000)
    assert row.usd_reported_or_better_up_to == 22_400_000_000  # every one of them is reported
    # the stated total is beside the contracts, not a fourth deal added to them (not 44.8B)
    assert [(t.claim_id, t.covers, t.usd) for t in row.totals] == [
        ("openai-coreweave-total-2025", "the three contracts to September 2025", 22_400_000_000)]
    assert {f.claim_id: f.deal for f in row.flows}["openai-coreweave-total-2025"] is None


def test_money_never_adds_a_running_total_to_the_round_it_includes():
    from claimgraph import load

    [row] = by(run_query(load([OPENAI]), "money"), payer="microsoft", payee="openai")
    # Microsoft's 2019 USD 1B is a deal; the USD 13.8B invested to October 2025 includes it
    assert (row.usd_total, row.usd_reported_or_better) == (1_000_000_000, 1_000_000_000)
    assert [(t.covers, t.amount, t.status) for t in row.totals] == [
        ("all investments from 2019 to October 2025", "USD 13.8B", "reported")]
    # the 27% stake claim is a running figure with no amount: a flow, in no deal and no total
    stake = {f.claim_id: f for f in row.flows}["microsoft-stake-in-openai-2025-10"]
    assert (stake.amount, stake.deal, stake.cumulative) == (None, None, "stake after the October 2025 recapitalisation")


def test_money_without_a_stated_amount_is_unknown_not_zero(bundled):
    rows = run_query(bundled, "money")
    # Nvidia's investment in the GPU vehicle and SpaceX's acquisition of xAI state no amount
    for payer, payee in (("nvidia", "xai-gpu-vehicle"), ("spacex", "xai")):
        [row] = by(rows, payer=payer, payee=payee)
        assert row.deals == [] and [f.amount for f in row.flows] == [None]
        assert (row.usd_total, row.usd_total_high, row.usd_total_up_to, row.usd_reported_or_better) == (None,) * 4
    # null in JSON, an empty cell in CSV, never 0
    runner = CliRunner()
    res = runner.invoke(main, ["query", "money", "--format", "json"])
    assert res.exit_code == 0, res.output
    spacex = next(r for r in json.loads(res.output) if r["payer"] == "spacex")
    assert spacex["usd_total"] is None and spacex["usd_reported_or_better"] is None
    res = runner.invoke(main, ["query", "money", "--format", "csv"])
    spacex = next(r for r in csv.DictReader(io.StringIO(res.output)) if r["payer"] == "spacex")
    assert spacex["usd_total"] == "" and spacex["usd_reported_or_better"] == ""


def test_money_up_to_is_a_bound_beside_the_total_never_in_it(bundled):
    # Nvidia's part of xAI's Series E is "up to USD 2B" (reported); nothing firmer is stated
    [row] = by(run_query(bundled, "money"), payer="nvidia", payee="xai")
    assert (row.usd_total, row.usd_total_high, row.usd_reported_or_better) == (None, None, None)
    assert (row.usd_total_up_to, row.usd_reported_or_better_up_to) == (2_000_000_000, 2_000_000_000)
    [deal] = row.deals
    assert (deal.claim_ids, deal.usd_low, deal.usd_up_to) == (["nvidia-invests-in-xai-series-e"], None, 2_000_000_000)
    # Tesla's own ~USD 2B in the same round is firm: in the total, and no bound to show
    [tesla] = by(run_query(bundled, "money"), payer="tesla", payee="xai")
    assert (tesla.usd_total, tesla.usd_total_up_to) == (2_000_000_000, None)


MONEY_BOUNDS = """
sources:
  - {id: s1, title: Filing, publisher: Acme, tier: primary}
entities:
  - {id: acme, name: Acme, kind: Company}
  - {id: beta, name: Beta, kind: Company}
claims:
  - {id: firm, subject: acme, predicate: COMMITS_TO_BUY, object: beta, qualifiers: {amount: USD 1B, deal: first},
     valid_from: 2024-01, status: reported, evidence: [{source: s1}]}
  - {id: bound, subject: acme, predicate: COMMITS_TO_BUY, object: beta, qualifiers: {amount: up to USD 3B, deal: second},
     valid_from: 2024-01, status: reported, evidence: [{source: s1}]}
  - {id: range, subject: acme, predicate: COMMITS_TO_BUY, object: beta, qualifiers: {amount: USD 2B-5B, deal: third},
     valid_from: 2024-01, status: claimed, evidence: [{source: s1}]}
  - {id: floor, subject: acme, predicate: COMMITS_TO_BUY, object: beta, qualifiers: {amount: at least USD 0.5B, deal: fourth},
     valid_from: 2024-01, status: reported, evidence: [{source: s1}]}
"""


def test_money_reads_exact_range_at_least_and_up_to_amounts_apart(tmp_path):
    from claimgraph import load

    (tmp_path / "d.yaml").write_text(MONEY_BOUNDS, encoding="utf-8")
    [row] = run_query(load([tmp_path]), "money")
    assert len(row.deals) == 4  # four named deals between one pair in one period
    # firm: 1B + the range's 2B + at least 0.5B = 3.5B; the range's top makes the high 6.5B;
    # reaching the 3B bound as well: 9.5B
    assert (row.usd_total, row.usd_total_high, row.usd_total_up_to) == (3_500_000_000, 6_500_000_000, 9_500_000_000)
    # the range is only claimed: reported or better is 1B + 0.5B, or 4.5B with the bound
    assert (row.usd_reported_or_better, row.usd_reported_or_better_high,
            row.usd_reported_or_better_up_to) == (1_500_000_000, 1_500_000_000, 4_500_000_000)


# -- roadmap -------------------------------------------------------------------------------------
# The facts (fact sheet rows 1-3, 6, 8 and the Wikipedia page on Tesla's driving computers): HW3
# went into cars in early 2019, AI4 (HW4) followed it from January 2023, then AI5, AI6 and the
# AI7, AI8 and AI9 Musk listed in one post on 17 January 2026; the D1 training chip (AI Day,
# August 2021) succeeds none of them. "Today" is pinned with as_of so the answers do not move.
TODAY = "2026-12-04"


def generations(rows, line=None):
    return list(dict.fromkeys(r.generation for r in rows if r.kind == "milestone" and line in (None, r.line)))


def test_tesla_generations_follow_succeeds_and_d1_is_a_line_of_its_own(bundled):
    rows = run_query(bundled, "roadmap", entity="tesla")
    assert generations(rows, line=1) == ["hw3", "ai4", "ai5", "ai6", "ai7", "ai8", "ai9"]
    assert generations(rows, line=2) == ["d1"]
    d1 = by(rows, generation="d1")
    assert {r.previous for r in d1} == {None} and {r.gap_months_min for r in d1} == {None}
    assert {r.previous for r in by(rows, generation="ai4")} == {"hw3"}
    assert rows[-1].kind == "verdict" and [r for r in rows if r.kind == "verdict"] == rows[-1:]


def test_tesla_verdict_rests_on_the_measured_hw3_to_ai4_gap(bundled):
    rows = run_query(bundled, "roadmap", entity="tesla", as_of=TODAY)
    (launch,) = by(rows, generation="ai4", milestone="launched")
    # 2019 (a year) to January 2023: from 31 Dec 2019 to 1 Jan 2023 is 36 months and a day,
    # from 1 Jan 2019 to 31 Jan 2023 is 48 months and 30 days
    assert (launch.previous_date, launch.date) == ("2019", "2023-01")
    assert (launch.gap_months_min, launch.gap_months_max) == (36.0, 49.0)
    assert launch.basis == "measured"   # both past, HW3's confirmed and AI4's reported
    verdict = rows[-1]
    assert verdict.measured_gaps == 1 and (verdict.gap_months_min, verdict.gap_months_max) == (36.0, 49.0)
    # against Musk's own 9 months of 17 Jan 2026 (not the article's copy, not his 12 months of Nov 2025)
    assert verdict.cadence_months == 9.0
    assert {"tesla-cadence-9-months", "elon-musk-leads-tesla", "ai4-succeeds-hw3"} <= set(verdict.claim_ids)
    assert "tesla-cadence-9-months-article" not in verdict.claim_ids
    assert (verdict.vs_cadence_min, verdict.vs_cadence_max) == (27.0, 40.0)
    assert "slower than claimed" in verdict.verdict
    assert any(t.startswith("12 months") for t in verdict.claimed_cadences)  # all claims listed


def test_generations_announced_in_one_post_are_one_event(bundled):
    rows = run_query(bundled, "roadmap", entity="tesla", as_of=TODAY)
    for gen, prev in (("ai8", "ai7"), ("ai9", "ai8")):
        (r,) = by(rows, generation=gen, milestone="announced")
        assert r.previous == prev and r.previous_date == r.date == "2026-01-17"
        assert r.same_event and r.gap_months_min is None and r.gap_months_max is None
    assert not {"ai8-announced", "ai9-announced"} & set(rows[-1].claim_ids)  # not in the verdict


def test_year_only_dates_give_a_range_and_forecasts_are_not_measured(bundled):
    rows = run_query(bundled, "roadmap", entity="tesla", as_of=TODAY)
    (vol,) = by(rows, generation="ai6", milestone="volume")
    # Samsung's H2 2027 (reported) beats Musk's mid-2028 (claimed); Musk's stays beside it
    assert (vol.date, vol.status, vol.previous_date) == ("2027", "reported", "2027")
    assert any(d.startswith("2028 (claimed") for d in vol.other_dates)
    assert (vol.gap_months_min, vol.gap_months_max) == (-12.0, 12.0)  # not 0: two years, not two days
    assert vol.basis == "forecast"
    (tape,) = by(rows, generation="ai6", milestone="taped-out")
    # AI5 taped out 15 Apr 2026 (reported); AI6 is due in December 2026 (Musk, "maybe"): from
    # 15 Apr to 1 Dec is 7 months 16 days, to 31 Dec 8 months 16 days
    assert (tape.previous_date, tape.date) == ("2026-04-15", "2026-12")
    assert (tape.gap_months_min, tape.gap_months_max) == (7.5, 8.5)
    assert tape.basis == "mixed"
    assert rows[-1].measured_gaps == 1   # neither counts


def test_reported_or_better_keeps_the_measured_gap_and_says_there_is_no_claim(bundled):
    rows = run_query(bundled, "roadmap", entity="tesla", min_status="reported", as_of=TODAY)
    verdict = rows[-1]
    assert verdict.measured_gaps == 1 and verdict.cadence_months is None   # every cadence is only claimed
    assert "no cadence claim" in verdict.verdict


def test_before_the_9_month_post_the_verdict_uses_the_12_month_target(bundled):
    verdict = run_query(bundled, "roadmap", entity="tesla", as_of="2025-12-01")[-1]
    assert verdict.cadence_months == 12.0 and "tesla-cadence-12-months-target" in verdict.claim_ids
    assert (verdict.vs_cadence_min, verdict.vs_cadence_max) == (24.0, 37.0)


def test_no_measured_evidence_is_said_plainly(bundled):
    verdict = run_query(bundled, "roadmap", entity="tesla", as_of="2019-06-30")[-1]  # HW3 only
    assert verdict.measured_gaps == 0 and verdict.verdict.startswith("no measured evidence")
    assert verdict.gap_months_min is None and verdict.cadence_months is None


def test_nvidia_yearly_rhythm_is_claimed_not_measured(bundled):
    rows = run_query(bundled, "roadmap", entity="英伟达", as_of=TODAY)
    assert generations(rows, line=1) == ["blackwell", "blackwell-ultra", "rubin", "rubin-ultra", "feynman"]
    gaps = {r.generation: (r.gap_months_min, r.gap_months_max, r.basis) for r in rows if r.milestone == "launched"}
    # 2025, 2026, 2027, 2028: year-only roadmap slots; Blackwell Ultra's 2025 is a forecast made in 2024
    assert gaps == {"blackwell-ultra": (None, None, "forecast"), "rubin": (0.0, 24.0, "forecast"),
                    "rubin-ultra": (0.0, 24.0, "forecast"), "feynman": (0.0, 24.0, "forecast")}
    verdict = rows[-1]
    assert verdict.measured_gaps == 0 and verdict.verdict.startswith("no measured evidence")
    # Huang's own 12 months (May 2024) before the article's later copy of it
    assert verdict.cadence_months == 12.0 and "nvidia-cadence-12-months" in verdict.claim_ids
    assert "nvidia-cadence-12-months-article" not in verdict.claim_ids and "untested" in verdict.verdict


# -- claims, contradictions ----------------------------------------------------------------------
def test_claims_filtered_by_alias_status_and_predicate(bundled):
    rows = run_query(bundled, "claims", entity="英偉達", status=["disputed"], predicate=["INVESTS_IN"])
    assert [r.claim_id for r in rows] == ["nvidia-invests-in-xai-stake-7pct"]
    assert rows[0].qualifiers == "stake=7%"
    src = run_query(bundled, "claims", source="netease-article")
    assert src and all("netease-article" in r.source_ids for r in src)


def test_claims_by_source_runs_from_the_cli_and_the_api():
    # the documented example: the claim filter called source must not collide with the dataset
    res = CliRunner().invoke(main, ["query", "claims", "--param", "source=netease-article", "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    ids = {r["claim_id"] for r in rows}
    # one of the article's claims, as the dataset writes it: AI5's cost measured against Blackwell
    assert "ai5-costs-relative-to-blackwell-article" in ids
    assert all("netease-article" in r["source_ids"] for r in rows)
    import claimgraph

    assert {r.claim_id for r in claimgraph.query("claims", source="netease-article")} == ids


def test_list_parameters_given_as_text_are_lists(bundled):
    claims = QUERIES["claims"].embedded
    as_text = claims(bundled, entity="xai", status="disputed,unsupported", predicate="INVESTS_IN,COMMITS_TO_BUY")
    as_list = claims(bundled, entity="xai", status=["disputed", "unsupported"], predicate=["INVESTS_IN", "COMMITS_TO_BUY"])
    assert [r.claim_id for r in as_text] == [r.claim_id for r in as_list]
    assert "nvidia-invests-in-xai-stake-7pct" in {r.claim_id for r in as_text}
    assert {r.status for r in as_text} <= {"disputed", "unsupported"}
    road = QUERIES["roadmap"].embedded
    assert [r.generation for r in road(bundled, "tesla", kinds="Chip")] == [r.generation for r in road(bundled, "tesla", kinds=["Chip"])]


def test_contradictions_find_7_percent_against_0_9_percent(bundled):
    # 0.9% is not in the data: up to USD 2B over about USD 230B is at most ~0.87%
    rows = run_query(bundled, "contradictions")
    pairs = by(rows, kind="numeric-conflict", subject="nvidia", predicate="INVESTS_IN", object="xai")
    assert pairs and any("7%" in r.detail and "0.87%" in r.detail for r in pairs)
    mixed = by(rows, kind="mixed-evidence", claim_a="nvidia-invests-in-xai-stake-7pct")
    assert mixed and mixed[0].contradicting_source_ids


# -- influence, path, neighbourhood --------------------------------------------------------------
def test_influence_ranks_tesla_and_nvidia_as_the_brokers(bundled):
    # the players, not Blackwell or a market: Tesla and Nvidia broke most chains between others
    rows = run_query(bundled, "influence", limit=0)
    assert [r.entity for r in rows[:2]] == ["tesla", "nvidia"]
    assert {r.kind for r in rows} <= {"Company", "Person", "Agency", "Fund"} and "Person" in {r.kind for r in rows}
    assert "elon-musk" in {r.entity for r in rows} and "blackwell" not in {r.entity for r in rows}
    assert [r.betweenness for r in rows] == sorted((r.betweenness for r in rows), reverse=True)
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))
    every = run_query(bundled, "influence", limit=0, kind="all")
    # every entity that some claim ties to another (one with no such claim has nothing to cite)
    tied = {x for c in bundled.claims.values() if c.object is not None for x in (c.subject, c.object)}
    assert len(every) == len(tied)
    assert 0.9 < sum(r.pagerank for r in every) <= 1.0 + 1e-3  # scored on the whole graph either way (untied entities keep a little)
    scores = {r.entity: (r.betweenness, r.pagerank) for r in every}
    assert all(scores[r.entity] == (r.betweenness, r.pagerank) for r in rows)
    chips = run_query(bundled, "influence", limit=0, kind=["Chip"])
    assert chips and {r.kind for r in chips} == {"Chip"}
    with pytest.raises(ClaimgraphError, match="Chip"):
        run_query(bundled, "influence", kind="Chp")


def test_path_musk_to_nvidia_goes_through_his_companies(bundled):
    rows = run_query(bundled, "path", a="马斯克", b="Nvidia")
    assert rows and {r.length for r in rows} == {2}
    middles = {r.to_id for r in rows if r.hop == 1}
    assert "tesla" in middles and "xai" in middles
    for r in rows:
        for cid in r.claim_ids:
            c = bundled.claims[cid]
            assert {c.subject, c.object} == {r.from_id, r.to_id}
    with pytest.raises(ClaimgraphError):
        run_query(bundled, "path", a="tesla", b="特斯拉")


def test_path_reads_each_claim_the_way_it_runs(bundled):
    # Tesla invests in xAI and Samsung makes AI6 for Tesla: walking xAI -> Tesla -> Samsung runs
    # both claims backwards, so neither may read "xAI -> Tesla INVESTS_IN"
    rows = run_query(bundled, "path", a="xai", b="samsung")
    hops = [(r.from_id, r.links, r.to_id) for r in rows]
    assert hops[0] == ("xai", ["<-[INVESTS_IN]-"], "tesla")
    assert hops[1][0] == "tesla" and hops[1][2] == "samsung" and "<-[MANUFACTURES_FOR]-" in hops[1][1]
    back = run_query(bundled, "path", a="samsung", b="xai")
    assert [(r.from_id, r.links, r.to_id) for r in back][-1] == ("tesla", ["-[INVESTS_IN]->"], "xai")
    # Musk leads Tesla (as it reads); Tesla and Nvidia compete (symmetric: no arrow); Nvidia supplied Tesla
    musk = run_query(bundled, "path", a="elon-musk", b="nvidia")
    assert by(musk, from_id="elon-musk", to_id="tesla")[0].links == ["-[LEADS]->"]
    tn = by(musk, from_id="tesla", to_id="nvidia")[0].links
    assert "-[COMPETES_WITH]-" in tn and "<-[SUPPLIES]-" in tn
    res = CliRunner().invoke(main, ["query", "path", "xai", "samsung"])
    assert res.exit_code == 0 and "<-[INVESTS_IN]-" in res.output


def test_neighbourhood_rings(bundled):
    one = run_query(bundled, "neighbourhood", entity="xai")
    touching = {c.id for c in bundled.claims_of("xai") if c.object is not None}
    assert touching <= {r.claim_id for r in one}
    near = {"xai"} | {e for c in touching for e in (bundled.claims[c].subject, bundled.claims[c].object)}
    assert all(r.subject in near and r.object in near for r in one)
    two = run_query(bundled, "neighbourhood", entity="xai", depth=2)
    assert {r.claim_id for r in one} < {r.claim_id for r in two}
    assert {r.ring for r in two} == {1, 2}


# -- the filters run before the query ------------------------------------------------------------
@pytest.mark.parametrize("name,params", [("frenemies", {}), ("money", {}), ("contradictions", {}),
                                         ("dependencies", {"entity": "tesla"}), ("claims", {})])
def test_min_status_and_as_of_drop_claims_first(bundled, name, params):
    for r in run_query(bundled, name, min_status="reported", **params):
        assert all(bundled.claims[c].status.rank >= Status.REPORTED.rank for c in r.claim_ids)
    day = as_date("2018-06-30")
    for r in run_query(bundled, name, as_of="2018-06-30", **params):
        assert all(bundled.claims[c].holds_on(day) for c in r.claim_ids)


def test_frenemies_as_of_2018_keeps_nvidia_supplying_tesla(bundled):
    rows = run_query(bundled, "claims", entity="nvidia", predicate=["SUPPLIES"], as_of="2018-06-30")
    assert "nvidia-supplies-tesla-2016-2019" in {r.claim_id for r in rows}


def test_bad_parameters_say_what_to_do(bundled):
    with pytest.raises(ClaimgraphError, match="did you mean 'depth'"):
        run_query(bundled, "dependencies", entity="tesla", dept=2)
    with pytest.raises(ClaimgraphError, match="needs parameter entity"):
        run_query(bundled, "roadmap")
    with pytest.raises(ClaimgraphError, match="did you mean 'frenemies'"):
        run_query(bundled, "frenemy")
    with pytest.raises(ClaimgraphError, match="unknown entity"):
        run_query(bundled, "neighbourhood", entity="no-such-company")


# -- CLI -----------------------------------------------------------------------------------------
def test_cli_list_shows_all_ten():
    res = CliRunner().invoke(main, ["query", "--list"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    for name in TEN:
        assert name in res.output
    assert "[depth=3]" in res.output  # parameters are shown, not eaten as markup


def test_cli_table_shows_bracketed_text_as_written():
    res = CliRunner().invoke(main, ["query", "circular-deals"], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    assert "[xai-gpu-vehicle-leases-to-xai]" in res.output


@pytest.mark.parametrize("args", [
    ["frenemies"], ["circular-deals"], ["dependencies", "特斯拉", "-p", "depth=2"], ["money"],
    ["roadmap", "Tesla"], ["claims", "xAI", "--param", "status=disputed"], ["contradictions"],
    ["influence", "--param", "limit=5"], ["path", "Musk", "英伟达"], ["neighbourhood", "xai"],
])
def test_cli_runs_every_query_as_json_and_csv(args):
    runner = CliRunner()
    res = runner.invoke(main, ["query", *args, "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data and all(row["claim_ids"] for row in data)
    res = runner.invoke(main, ["query", *args, "--format", "csv"])
    assert res.exit_code == 0, res.output
    table = list(csv.DictReader(io.StringIO(res.output)))
    assert len(table) == len(data)


def test_cli_table_and_filters():
    res = CliRunner().invoke(main, ["query", "dependencies", "Tesla", "--min-status", "confirmed",
                                    "--as-of", "2026-02-01"], env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    assert "Samsung" in res.output and "AI6" in res.output


def test_cli_dataset_path_and_param_form(tmp_path):
    (tmp_path / "d.yaml").write_text("""
sources:
  - {id: s1, title: Filing, publisher: Acme, tier: primary}
entities:
  - {id: acme, name: Acme, kind: Company, aliases: [アクメ]}
  - {id: beta, name: Beta, kind: Company}
  - {id: chip1, name: Chip One, kind: Chip}
claims:
  - {id: c1, subject: acme, predicate: DEVELOPS, object: chip1, status: confirmed, evidence: [{source: s1}]}
  - {id: c2, subject: beta, predicate: MAKES, object: chip1, status: reported, evidence: [{source: s1}]}
""", encoding="utf-8")
    res = CliRunner().invoke(main, ["query", "dependencies", "--param", "entity=アクメ", str(tmp_path), "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert [(r["dependent"], r["dependency"]) for r in rows] == [("acme", "chip1"), ("chip1", "beta")]
    assert rows[0]["single_source"] is True and rows[0]["makers"] == ["beta"]


@pytest.mark.parametrize("args,msg", [
    (["query", "frenemy"], "did you mean 'frenemies'"),
    (["query", "path", "tesla"], "needs parameter b"),
    (["query", "roadmap", "Tesla", "--param", "kinds"], "--param name=value"),
    (["query", "money", "--min-status", "great"], "unknown status"),
    (["query", "dependencies", "nobody-at-all"], "unknown entity"),
])
def test_cli_errors_exit_2_in_one_line(args, msg):
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2, res.output
    assert msg in res.output
    assert "Traceback" not in res.output


def test_influence_exact_betweenness_is_networkx_betweenness():
    # the list-based Brandes must give networkx's floats exactly, or rankings would drift
    import networkx as nx

    from claimgraph.queries.influence import exact_betweenness

    for g in (nx.gnm_random_graph(120, 300, seed=4), nx.barabasi_albert_graph(150, 3, seed=2),
              nx.path_graph(5), nx.Graph([(0, 1), (2, 3), (3, 4)])):
        adj = [list(g[v]) for v in range(g.number_of_nodes())]
        expected = nx.betweenness_centrality(g, normalized=True)
        assert exact_betweenness(adj) == [expected[v] for v in range(g.number_of_nodes())]
