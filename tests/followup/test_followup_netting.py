"""Follow-up totals net the customer's open credits, as the aged receivable does.

On the demo company the follow-up header said 74,452.92 overdue while the AR aging said 74,005.44:
the gap was five open credit notes of customers with nothing else overdue.  Every amount here is
signed (invoices positive, credit notes and unapplied payments negative) and a credit past its due
date lowers what is overdue; levels still count debits only.  A customer whose credits cover what
it owes is not chased, whatever is late.  The AR aging's figure is computed with the platform's own
pure aggregation (``bucketed_report``, what ``get_ar_aging`` returns).
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting_core.services.ar_aging_buckets import AGING_BUCKETS, BucketAmount, bucket_for, bucketed_report
from fusion_accounting_followup.services.followup_channels import letter_rows
from fusion_accounting_followup.services.followup_plan import FollowupState, SkipReason, chased_items, plan_followup
from fusion_accounting_followup.services.followup_text_generator import FollowupTextRequest, PromptItem, render_template
from fusion_accounting_followup.services.level_resolver import Ladder, LevelSpec, decide_level
from fusion_accounting_followup.services.open_item import OpenItem
from fusion_accounting_followup.services.partner_overdue import summarize

TODAY = date(2025, 6, 30)
LADDER = Ladder.of([LevelSpec(1, "Reminder", 7, "gentle"), LevelSpec(2, "Warning", 30, "firm")])


def item(line_id, amount, days_late, reference="", excluded=False):
    return OpenItem(line_id, Decimal(amount), TODAY - timedelta(days=days_late), reference, excluded=excluded)


# customer -> its open items (line ids are unique over the table); ``DISPUTED``: lines under an open dispute.
BOOKS = {
    # an invoice 40 days late and a credit note past due: the credit lowers the overdue amount
    1: [item(11, "500.00", 40, "INV/1"), item(12, "-120.00", 33, "RINV/1")],
    # only credit notes open, past due: nothing to chase, and the aging's overdue is lower by them
    2: [item(21, "-13.56", 283, "RINV/2"), item(22, "-76.84", 53, "RINV/3")],
    # an unapplied payment (a credit dated before today) and an invoice
    3: [item(31, "300.00", 10, "INV/3"), item(32, "-50.00", 5, "PBNK/1")],
    # a credit note not due yet, and a payment of today: current, they lower no overdue
    4: [item(41, "250.00", 20, "INV/4"), item(42, "-40.00", -10, "RINV/4"), item(43, "-10.00", 0, "PBNK/2")],
    # an invoice excluded from follow-ups (aged, never dunned) beside a chased one
    5: [item(51, "900.00", 70, "INV/5", excluded=True), item(52, "100.00", 15, "INV/6")],
    # a disputed invoice beside a chased one and a credit note
    6: [item(61, "2000.00", 90, "INV/7"), item(62, "80.00", 8, "INV/8"), item(63, "-30.00", 2, "RINV/5")],
    # more credit than debit past due: the customer owes nothing overdue
    7: [item(71, "100.00", 12, "INV/9"), item(72, "-150.00", 40, "RINV/6")],
    # a third-party payer's share booked by an entry, due from the entry's date
    8: [item(81, "907.50", 151, "MISC/1"), item(82, "2357.25", 0, "MISC/2")],
    # an invoice 12 days late, paid today by a payment not reconciled yet: overdue, yet nothing is owed
    9: [item(91, "100.00", 12, "INV/10"), item(92, "-100.00", 0, "PBNK/3")],
    # an invoice partly covered by a credit note and an unapplied payment, both past due: chased for the rest
    10: [item(101, "400.00", 40, "INV/11"), item(102, "-150.00", 33, "RINV/7"), item(103, "-50.00", 5, "PBNK/4")],
}
DISPUTED = {61}

# customer -> (overdue as the aging sums it, lines a follow-up lists, the total it states)
EXPECTED = {
    1: (Decimal("380.00"), [11, 12], Decimal("380.00")),
    2: (Decimal("-90.40"), [21, 22], Decimal("-90.40")),
    3: (Decimal("250.00"), [31, 32], Decimal("250.00")),
    4: (Decimal("250.00"), [41], Decimal("250.00")),
    5: (Decimal("1000.00"), [52], Decimal("100.00")),
    6: (Decimal("2050.00"), [61, 62, 63], Decimal("2050.00")),
    7: (Decimal("-50.00"), [72, 71], Decimal("-50.00")),
    8: (Decimal("907.50"), [81], Decimal("907.50")),
    9: (Decimal("100.00"), [91], Decimal("100.00")),
    10: (Decimal("200.00"), [101, 102, 103], Decimal("200.00")),
}
# customer -> why today's plan sends nothing (None: it sends), the disputed line left out
SKIPS = {
    1: None,
    2: SkipReason.NOTHING_OVERDUE,
    3: None,
    4: None,
    5: None,
    6: None,
    7: SkipReason.CREDITS_COVER,
    8: None,
    9: SkipReason.CREDITS_COVER,
    10: None,
}


def ar_aging_overdue(books):
    """``get_ar_aging``'s overdue (every bucket past current), from its pure aggregation of the same items."""
    amounts = [
        BucketAmount("CAD", partner, bucket_for(entry.days_overdue(TODAY)).key, float(entry.amount_residual))
        for partner, entries in books.items()
        for entry in entries
    ]
    report = bucketed_report(amounts, as_of=TODAY, top=max(1, len(books)))
    return round(sum(amount for key, amount in report.totals.items() if key != "current"), 2)


def summary(partner, entries):
    return summarize(partner, "CAD", entries, TODAY, buckets=AGING_BUCKETS)


@pytest.mark.parametrize("partner", sorted(BOOKS))
def test_each_customers_overdue_and_follow_up_lines(partner):
    overdue, lines, total = EXPECTED[partner]
    got = summary(partner, BOOKS[partner])
    assert got.total_overdue == overdue
    assert [entry.line_id for entry in got.followup_items] == lines
    assert got.followup_total == total == sum((entry.amount_residual for entry in got.followup_items), Decimal(0))


def test_the_customers_overdue_adds_up_to_the_ar_aging_overdue():
    # What the follow-up header states: every customer's overdue, the credit-only ones included.
    header = sum((summary(partner, entries).total_overdue for partner, entries in BOOKS.items()), Decimal(0))
    assert float(header) == ar_aging_overdue(BOOKS) == 4997.10
    # Only summing the customers with something overdue (the old header) misses the credit-only ones.
    listed = sum((o for o in (summary(p, e).total_overdue for p, e in BOOKS.items()) if o > 0), Decimal(0))
    assert listed - header == Decimal("140.40"), "customer 2's credit notes and customer 7's net credit"


def test_a_disputed_invoice_leaves_the_chase_and_its_amounts_not_the_aging():
    chased = summary(6, chased_items(BOOKS[6], DISPUTED))
    assert [entry.line_id for entry in chased.followup_items] == [62, 63]
    assert chased.followup_total == Decimal("50.00")
    assert summary(6, BOOKS[6]).total_overdue - chased.total_overdue == Decimal("2000.00")


def test_excluded_items_count_in_the_overdue_never_on_the_letter():
    got = summary(5, BOOKS[5])
    assert got.total_overdue - got.followup_total == got.excluded_overdue == Decimal("900.00")


@pytest.mark.parametrize("partner", sorted(BOOKS))
def test_credits_never_choose_a_level(partner):
    debits = [entry for entry in BOOKS[partner] if entry.amount_residual > 0]
    assert decide_level(BOOKS[partner], LADDER, TODAY) == decide_level(debits, LADDER, TODAY)


@pytest.mark.parametrize("partner", sorted(BOOKS))
def test_a_customer_is_chased_only_while_it_owes_once_its_credits_are_netted(partner):
    plan = plan_followup(BOOKS[partner], LADDER, FollowupState(), TODAY, disputed=DISPUTED)
    assert plan.skip is SKIPS[partner]
    assert (plan.status == "action_needed") is (SKIPS[partner] is None)


def test_not_even_a_forced_send_chases_a_customer_its_credits_cover():
    # The letter would ask for -50.00: a person's "send anyway" is refused with the reason.
    for partner in (7, 9):
        assert plan_followup(BOOKS[partner], LADDER, FollowupState(), TODAY, force=True).skip is (
            SkipReason.CREDITS_COVER
        )


def test_a_covered_customer_is_chased_again_the_day_a_new_invoice_outgrows_its_credits():
    # Customer 7 owes 100 (12 days late) against a credit of 150; 200 more fall due in 5 days.
    items = [*BOOKS[7], item(73, "200.00", -5, "INV/12")]
    plan = plan_followup(items, LADDER, FollowupState(), TODAY)
    assert plan.skip is SkipReason.CREDITS_COVER
    assert plan.next_action_on == TODAY + timedelta(days=6)
    later = plan_followup(items, LADDER, FollowupState(), plan.next_action_on)
    assert (later.sends, later.level.name) == (True, "Reminder")
    assert summary(7, items).followup_total == Decimal("-50.00")


def test_the_letter_lists_the_credit_notes_and_its_total_adds_up():
    got = summary(1, BOOKS[1])
    rows = letter_rows(got.items, TODAY)
    assert [(row.reference, row.days_late, row.amount) for row in rows] == [
        ("INV/1", 40, Decimal("500.00")),
        ("RINV/1", 33, Decimal("-120.00")),
    ]
    assert sum((row.amount for row in rows), Decimal(0)) == got.followup_total == Decimal("380.00")


def test_the_offline_text_states_the_net_total_and_the_credit_line():
    got = summary(1, BOOKS[1])
    request = FollowupTextRequest(
        "Acme",
        "Fusion",
        "en_US",
        "CAD",
        "gentle",
        "Reminder",
        got.followup_total,
        tuple(PromptItem(e.reference, e.date_maturity, e.amount_residual) for e in got.followup_items),
    )
    _subject, body = render_template(request)
    assert "- RINV/1, due 2025-05-28: -120.00 CAD" in body
    assert "Total overdue: 380.00 CAD." in body


amounts = st.decimals(min_value=Decimal("-5000"), max_value=Decimal("5000"), places=2, allow_nan=False)
books = st.dictionaries(
    st.integers(1, 50),
    st.lists(st.tuples(amounts, st.integers(-60, 400), st.booleans()), max_size=8),
    max_size=12,
)


@given(books)
def test_any_books_the_follow_up_overdue_is_the_ar_aging_overdue(drawn):
    ids = iter(range(1, 10**6))
    ledger = {
        partner: [item(next(ids), amount, days, excluded=excluded) for amount, days, excluded in entries]
        for partner, entries in drawn.items()
    }
    summaries = [summary(partner, entries) for partner, entries in ledger.items()]
    assert float(sum((s.total_overdue for s in summaries), Decimal(0))) == pytest.approx(
        ar_aging_overdue(ledger), abs=0.01
    )
    for got in summaries:
        assert got.followup_total == got.total_overdue - got.excluded_overdue
        assert {e.line_id for e in got.overdue_items} <= {e.line_id for e in got.followup_items}


open_items = st.lists(
    st.tuples(amounts, st.integers(-60, 400), st.booleans()),
    max_size=10,
).map(
    lambda drawn: [
        item(line_id, amount, days, f"R{line_id}", excluded)
        for line_id, (amount, days, excluded) in enumerate(drawn, 1)
    ]
)


@given(open_items, st.booleans())
def test_the_net_total_is_what_is_due_less_the_open_credits_and_never_chased_at_or_below_zero(items, force):
    shown = [e for e in items if e.days_overdue(TODAY) > 0 and not e.excluded]
    due = sum((e.amount_residual for e in shown if e.amount_residual > 0), Decimal(0))
    credits = sum((-e.amount_residual for e in shown if e.amount_residual < 0), Decimal(0))
    got = summary(1, items)
    assert got.followup_total == due - credits
    plan = plan_followup(items, LADDER, FollowupState(), TODAY, force=force)
    if got.followup_total <= 0:
        assert not plan.sends
        assert plan.status != "action_needed"
    if plan.sends:
        assert got.followup_total > 0
        assert sum((e.amount_residual for e in items if not e.excluded), Decimal(0)) > 0, "nothing owed in all"


@given(open_items, st.randoms(use_true_random=False))
def test_the_lines_are_oldest_due_first_whatever_order_the_ledger_reads_them(items, rnd):
    shuffled = list(items)
    rnd.shuffle(shuffled)
    got = summary(1, shuffled)
    keys = [(e.date_maturity, e.line_id) for e in got.followup_items]
    assert keys == sorted(keys)
    assert got.followup_items == summary(1, items).followup_items
    assert [row.reference for row in letter_rows(shuffled, TODAY)] == [e.reference for e in got.followup_items]


@given(open_items, amounts.map(abs), st.integers(-60, 400))
def test_one_more_credit_never_raises_the_total_nor_starts_a_chase(items, amount, days):
    credit = item(len(items) + 1, -amount, days, "RINV/new")
    before, after = summary(1, items), summary(1, [*items, credit])
    assert after.followup_total <= before.followup_total
    assert after.total_overdue <= before.total_overdue
    sends = plan_followup([*items, credit], LADDER, FollowupState(), TODAY).sends
    assert not sends or plan_followup(items, LADDER, FollowupState(), TODAY).sends
