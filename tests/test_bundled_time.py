"""Time in the bundled landscape: claims hold only when their sources say they do.

Every expectation here is a fact written by hand from the fact sheet behind the dataset, not
copied from program output: xAI was registered on 9 March 2023; AI5, AI6, AI7, Dojo3 and
Samsung's 2 nm foundry deal for Tesla were announced from July 2025 on; Nvidia's Drive PX2
ran Tesla's HW2/HW2.5 from October 2016 until Tesla's own HW3 chip replaced it in 2019; the
article's "30% faster" (9 months against 12) is imprecise, not false.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from claimgraph import Status
from claimgraph.cli import main
from claimgraph.model import Quantity
from claimgraph.queries import run_query

# entities that did not exist, or were not announced, in mid-2018
NOT_YET_IN_2018 = {
    "ai5": "AI5", "ai6": "AI6", "ai7": "AI7", "xai": "xAI", "dojo3": "Dojo3",
    "samsung-2nm": "Samsung 2 nm", "taylor-fab": "Samsung Taylor fab",
}
# the HW2-era supply claims: the fact sheet's "Nvidia supplied Tesla from 2016 to about 2019"
HW2_ERA_SUPPLY = {"nvidia-supplies-tesla-2016-2019", "nvidia-supplies-tesla-article"}


def mentioned(claim) -> set[str]:
    """The entity ids a claim names: subject, object and entity-valued qualifiers."""
    ids = {claim.subject, claim.object}
    ids |= {v for v in claim.qualifiers.values() if isinstance(v, str)}
    return ids - {None}


def is_samsung_foundry(claim) -> bool:
    return claim.subject == "samsung" and claim.predicate in ("MAKES", "MANUFACTURES_FOR")


# -- show tesla --as-of 2018-06-30 -------------------------------------------------------------
def test_tesla_in_mid_2018_has_no_later_chips_xai_samsung_foundry_or_dojo3(bundled):
    claims = bundled.as_of("2018-06-30").claims_of("tesla")
    assert claims, "Tesla existed in 2018: Musk ran it and it made cars with Autopilot hardware"
    for c in claims:
        assert not (mentioned(c) & set(NOT_YET_IN_2018)), c.id
        assert not is_samsung_foundry(c), c.id
    # what did hold then: Nvidia's Drive PX2 in Tesla's HW2 cars
    assert any(c.predicate == "SUPPLIES" and c.subject == "nvidia" for c in claims)


@pytest.mark.parametrize("extra", [[], ["--min-status", "reported"]])
def test_cli_show_tesla_as_of_2018_lists_none_of_them(extra):
    args = ["show", "tesla", "--as-of", "2018-06-30", *extra, "--format", "json"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    claims = json.loads(res.output)["claims"]
    assert claims
    for c in claims:
        quals = c.get("qualifiers", {}).values()
        names = {c["subject"], c.get("object")} | {v for v in quals if isinstance(v, str)}
        assert not (names & set(NOT_YET_IN_2018)), c["id"]
        foundry = c["subject"] == "samsung" and c["predicate"] in ("MAKES", "MANUFACTURES_FOR")
        assert not foundry, c["id"]
        for label in NOT_YET_IN_2018.values():
            assert label not in c["text"], (c["id"], c["text"])


def test_xai_has_no_claim_before_it_was_registered(bundled):
    # registered in Nevada on 9 March 2023
    assert not [c.id for c in bundled.as_of("2023-03-08").claims_of("xai")]
    assert bundled.as_of("2023-03-09").claims_of("xai")


def test_ai5_ai6_ai7_dojo3_and_samsung_foundry_claims_start_in_2023_or_later(bundled):
    for c in bundled.claims.values():
        late = {"ai5", "ai6", "ai7", "dojo3", "samsung-2nm", "taylor-fab"}
        if mentioned(c) & late or is_samsung_foundry(c):
            start = c.valid_from or c.on  # a state's start, or an event's date
            assert start is not None and start.start().year >= 2023, c.id


def test_no_claim_holds_since_always(bundled):
    # a state has a valid_from; an event (a payment, an announcement, a launch) its date, on:
    assert [c.id for c in bundled.claims.values() if c.valid_from is None and c.on is None] == []


# -- money as of 2018-06-30 --------------------------------------------------------------------
def test_money_in_mid_2018_has_no_xai_row(bundled):
    rows = run_query(bundled, "money", as_of="2018-06-30")
    assert not [r for r in rows if "xai" in (r.payer, r.payee)]
    # xAI's money claims are there once it exists
    later = run_query(bundled, "money", as_of="2026-01-31")
    assert [r for r in later if "xai" in (r.payer, r.payee)]


def test_cli_money_in_mid_2018_has_no_xai_row():
    res = CliRunner().invoke(main, ["query", "money", "--as-of", "2018-06-30", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert not [r for r in json.loads(res.output) if "xai" in (r["payer"], r["payee"])]


# -- Nvidia supplied Tesla's HW2 era, and not today --------------------------------------------
def nvidia_supplies_tesla(land) -> dict[str, object]:
    return {c.id: c for c in land.claims_of("nvidia", "out")
            if c.predicate == "SUPPLIES" and c.object == "tesla"}


def test_nvidia_supplied_tesla_hw2_chips_in_2017(bundled):
    then = nvidia_supplies_tesla(bundled.as_of("2017-06-30"))
    assert HW2_ERA_SUPPLY <= set(then)
    assert any(c.qualifiers.get("product") == "drive-px2" for c in then.values())


def test_nvidia_no_longer_supplies_tesla_hw2_chips_in_2026(bundled):
    now = nvidia_supplies_tesla(bundled.as_of("2026-06-30"))
    assert not (HW2_ERA_SUPPLY & set(now))
    assert not any(c.qualifiers.get("product") == "drive-px2" for c in now.values())
    # the article's past-tense claim stays in the data, confirmed for 2016-2019 only
    article = bundled.claims["nvidia-supplies-tesla-article"]
    assert article.valid_until is not None and article.valid_until.end().year == 2019


# -- the "30% faster" arithmetic -----------------------------------------------------------------
def test_the_30_percent_speed_up_is_disputed_not_refuted(bundled):
    [claim] = [c for c in bundled.claims_of("tesla", "out")
               if isinstance(c.value, Quantity) and c.value.unit == "%" and c.value.point == 30]
    assert claim.status is Status.DISPUTED
    assert claim.contradicting_sources, "the 25% / 33% arithmetic stays beside it"
