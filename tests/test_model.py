"""The claim model's own rules: statuses, partial dates, quantities, per-claim checks."""

import datetime as dt

import pytest
from pydantic import ValidationError

from claimgraph.model import STATUS_ORDER, Claim, PartialDate, Quantity, Source, Status


def test_status_order_runs_from_refuted_to_confirmed():
    assert STATUS_ORDER[0] is Status.REFUTED
    assert STATUS_ORDER[-1] is Status.CONFIRMED
    assert Status.REPORTED.rank > Status.CLAIMED.rank > Status.DISPUTED.rank > Status.UNSUPPORTED.rank
    with pytest.raises(ValueError, match="unknown status 'sure'"):
        Status.parse("sure")


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        ("2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2026-01-17", dt.date(2026, 1, 17), dt.date(2026, 1, 17)),
    ],
)
def test_partial_dates_cover_their_period(text, start, end):
    d = PartialDate.parse(text)
    assert (d.start(), d.end()) == (start, end)
    assert str(d) == text


@pytest.mark.parametrize("bad", ["2026-02-30", "2026-13", "26-01", "January 2026", "", True])
def test_impossible_or_unreadable_dates_are_rejected(bad):
    with pytest.raises(ValueError):
        PartialDate.parse(bad)


def test_partial_dates_order_and_measure_months():
    assert PartialDate.parse("2025-07-28") < PartialDate.parse("2026")
    assert PartialDate.parse("2027-06").months_since(PartialDate.parse("2026-04")) == 14.0


@pytest.mark.parametrize(
    "text, fields",
    [
        ("USD 2B", {"value": 2_000_000_000, "unit": "USD"}),
        ("up to USD 2B", {"max": 2_000_000_000, "unit": "USD"}),
        ("at least USD 15B", {"min": 15_000_000_000, "unit": "USD"}),
        ("KRW 22.76T", {"value": 22_760_000_000_000, "unit": "KRW"}),
        ("~0.9%", {"value": 0.9, "unit": "%", "approx": True}),
        ("7%", {"value": 7, "unit": "%"}),
        ("9 months", {"value": 9, "unit": "months"}),
        ("50x", {"value": 50, "unit": "x"}),
        ("USD 20B-25B", {"min": 20_000_000_000, "max": 25_000_000_000, "unit": "USD"}),
    ],
)
def test_quantities_read_from_short_text(text, fields):
    q = Quantity.parse(text)
    for k, v in fields.items():
        assert getattr(q, k) == pytest.approx(v) if isinstance(v, float) else getattr(q, k) == v


def test_quantities_print_back_readably():
    assert str(Quantity.parse("USD 16.5B")) == "USD 16.5B"
    assert str(Quantity.parse("up to USD 2B")) == "≤ USD 2B"
    assert str(Quantity.parse("7%")) == "7%"


@pytest.mark.parametrize("bad", ["lots", "7", "USD", {"unit": "USD"}, {"min": 5, "max": 1, "unit": "%"}, {"value": float("nan"), "unit": "%"}])
def test_bad_quantities_are_rejected(bad):
    with pytest.raises(ValidationError):
        Quantity.model_validate(bad)


def test_ranges_overlap_but_distinct_numbers_do_not():
    assert not Quantity.parse("7%").overlaps(Quantity.parse("~0.9%"))
    assert Quantity.parse("up to USD 2B").overlaps(Quantity.parse("USD 1.5B"))
    assert not Quantity.parse("40x").overlaps(Quantity.parse("50x"))


def _claim(**kw):
    data = {"id": "c1", "subject": "a", "predicate": "INVESTS_IN", "object": "b", "status": "reported",
            "evidence": [{"source": "s1"}]}
    data.update(kw)
    return Claim.model_validate(data)


def test_confirmed_claim_needs_a_supporting_source():
    with pytest.raises(ValidationError, match="confirmed claim needs at least one supporting source"):
        _claim(status="confirmed", evidence=[{"source": "s1", "effect": "contradicts"}])
    assert _claim(status="confirmed").status is Status.CONFIRMED


def test_claim_has_object_or_value_not_both():
    with pytest.raises(ValidationError, match="object .* or a value"):
        _claim(object=None)
    with pytest.raises(ValidationError, match="not both"):
        _claim(value="9 months")


def test_claim_needs_evidence_and_ordered_validity():
    with pytest.raises(ValidationError):
        _claim(evidence=[])
    with pytest.raises(ValidationError, match="before valid_from"):
        _claim(valid_from="2026-02", valid_until="2025")


def test_claim_holds_on_partial_validity():
    c = _claim(valid_from="2016-10", valid_until="2019")
    assert c.holds_on(dt.date(2016, 10, 1))
    assert c.holds_on(dt.date(2019, 12, 31))
    assert not c.holds_on(dt.date(2020, 1, 1))
    assert not c.holds_on(dt.date(2016, 9, 30))


def test_only_http_links_are_safe():
    base = {"id": "s", "title": "t", "publisher": "p", "tier": "press"}
    assert Source.model_validate(base | {"url": "https://example.org/a"}).safe_url == "https://example.org/a"
    assert Source.model_validate(base | {"url": "javascript:alert(1)"}).safe_url is None
    with pytest.raises(ValidationError, match="not a slug"):
        Source.model_validate(base | {"id": "Bad Id"})
