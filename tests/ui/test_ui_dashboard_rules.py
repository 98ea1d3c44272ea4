"""The dashboard's lights, rates, usage and approval cards, as specifications."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting.services.approval_card import CardFacts, card_lines
from fusion_accounting.services.dashboard import (
    Light,
    ToolDecisions,
    ap_light,
    ar_light,
    audit_light,
    audit_score,
    bank_light,
    hst_light,
    month_end_light,
    tool_rates,
    usage_totals,
)

SEVERITY = {Light.GREEN: 0, Light.YELLOW: 1, Light.RED: 2}
counts = st.integers(min_value=0, max_value=10_000)
amounts = st.floats(min_value=0, max_value=1e9, allow_nan=False)


@pytest.mark.parametrize(
    ("unmatched", "oldest", "light"),
    [
        (0, 0, Light.GREEN),
        (0, 400, Light.GREEN),  # nothing waits, whatever the date says
        (-3, 0, Light.GREEN),  # hostile count
        (1, 30, Light.YELLOW),
        (1, 31, Light.RED),
        (50, 0, Light.YELLOW),
        (51, 0, Light.RED),
    ],
)
def test_bank_light_table(unmatched, oldest, light):
    assert bank_light(unmatched, oldest) is light


@given(counts, counts, st.integers(0, 100), st.integers(0, 100))
def test_bank_light_never_improves_as_work_piles_up(count, extra, age, more_age):
    assert SEVERITY[bank_light(count + extra, age + more_age)] >= SEVERITY[bank_light(count, age)]


@pytest.mark.parametrize(
    ("outstanding", "overdue", "light"),
    [
        (0, 0, Light.GREEN),
        (0, 50, Light.GREEN),
        (100, 9.99, Light.GREEN),
        (100, 10, Light.YELLOW),
        (100, 30, Light.RED),
    ],
)
def test_ar_light_table(outstanding, overdue, light):
    assert ar_light(outstanding, overdue) is light


@given(st.integers(min_value=1, max_value=10**11), st.data(), st.integers(min_value=1, max_value=1000))
def test_ar_light_depends_on_the_overdue_share_only(outstanding, data, scale):
    # Amounts in cents: the same share at any scale, without float products that round
    # a share of exactly 10 % to just below or above its threshold.
    overdue = data.draw(st.integers(min_value=0, max_value=outstanding))
    assert ar_light(outstanding, overdue) is ar_light(outstanding * scale, overdue * scale)


def test_ap_late_bills_outrank_bills_due_this_week():
    assert (ap_light(0, 0), ap_light(0, 3), ap_light(1, 0)) == (Light.GREEN, Light.YELLOW, Light.RED)


def test_hst_drafts_outrank_the_balance():
    assert hst_light(-100, 1) is Light.RED


@given(st.dictionaries(st.sampled_from(["critical", "high", "medium", "low", "info", "bogus"]), counts))
def test_audit_score_stays_between_0_and_100(findings):
    assert 0 <= audit_score(findings) <= 100


@given(st.sampled_from(["critical", "high", "medium", "low", "bogus"]), counts)
def test_one_more_finding_never_raises_the_score(severity, count):
    assert audit_score({severity: count + 1}) <= audit_score({severity: count})


def test_audit_score_ignores_negative_counts_and_info():
    assert audit_score({"high": -5, "info": 40}) == 100
    assert audit_light(audit_score({})) is Light.GREEN


def test_month_end_locked_is_green_whatever_is_left():
    assert month_end_light(True, 500) is Light.GREEN
    assert (month_end_light(False, 0), month_end_light(False, 10)) == (Light.YELLOW, Light.RED)


@given(st.lists(st.builds(ToolDecisions, st.text(min_size=1), counts, counts, counts, counts), max_size=20))
def test_tool_rates_are_fractions_ordered_by_decisions(rows):
    rates = tool_rates(rows)
    assert [rate.decided for rate in rates] == sorted((rate.decided for rate in rates), reverse=True)
    for rate in rates:
        if rate.decided:
            assert 0 <= rate.approval_rate <= 1 and 0 <= rate.override_rate <= 1
        else:
            assert rate.approval_rate is None and rate.override_rate is None


def test_undecided_tools_have_no_rate_rather_than_zero():
    (rate,) = tool_rates([ToolDecisions("t", pending=4)])
    assert (rate.approval_rate, rate.pending) == (None, 4)


@given(st.lists(st.tuples(counts, counts, st.none() | st.floats(0, 100)), max_size=30))
def test_usage_adds_tokens_and_stored_costs(turns):
    totals = usage_totals(turns)
    assert totals.turns == len(turns)
    assert totals.input_tokens == sum(t[0] for t in turns)
    stored = [t[2] for t in turns if t[2] is not None]
    assert totals.cost == (round(sum(stored), 6) if stored else None)


@given(amounts, st.lists(amounts, min_size=1, max_size=8))
def test_bank_card_fee_is_the_gap_between_the_items_and_the_bank_line(bank, items):
    facts = CardFacts(
        "match_bank_line_to_payments",
        bank_label="b",
        bank_amount=bank,
        items=tuple((f"i{n}", amount) for n, amount in enumerate(items)),
    )
    lines = card_lines(facts)
    gap = round(round(sum(items), 2) - bank, 2)
    fee_lines = [line for line in lines if line.label.startswith("Difference")]
    assert [line.amount for line in fee_lines] == ([gap] if gap else [])


def test_card_hides_record_ids_and_structures_and_caps_arguments():
    facts = CardFacts(
        "create_payroll_journal_entry",
        arguments={
            "journal_id": 4,
            "lines": [1, 2],
            "memo": "March",
            "a": 1,
            "b": 2,
            "c": 3,
            "d": 4,
        },
    )
    labels = [line.label for line in card_lines(facts)]
    assert labels == ["a: 1", "b: 2", "c: 3", "d: 4"]


def test_card_lists_many_items_without_flooding():
    facts = CardFacts("reconcile_payment_to_invoice", items=tuple((f"L{n}", 1.0) for n in range(9)))
    labels = [line.label for line in card_lines(facts)]
    assert labels[:4] == ["L0", "L1", "L2", "L3"] and labels[4] == "… 5 more items" and labels[5] == "Difference"
