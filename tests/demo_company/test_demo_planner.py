"""The demo planner: deterministic, sized as promised, and true to its own books."""

from datetime import date

import pytest
from demo_plan_helpers import TODAY, assert_plan_invariants, tiny_plan
from hypothesis import given, settings
from hypothesis import strategies as st

from fusion_accounting_core.demo_company.model import BEHAVIOURS
from fusion_accounting_core.demo_company.planner import build_plan
from fusion_accounting_core.demo_company.sizes import UnknownSize
from fusion_accounting_core.demo_company.totals import account_totals


@pytest.fixture(scope="module")
def small():
    return build_plan("small", 42, TODAY)


def test_same_seed_same_plan(small):
    assert build_plan("small", 42, TODAY) == small


def test_same_seed_same_totals_and_they_balance(small):
    totals = account_totals(build_plan("small", 42, TODAY))
    assert totals == account_totals(small)
    assert sum(totals.values()) == 0
    assert totals["clearing"] > 0, "the planted clearing balance"
    assert totals["licences"] < 0, "the planted wrong-direction balance"


def test_another_seed_another_plan(small):
    assert build_plan("small", 43, TODAY).invoices != small.invoices


def test_small_has_about_fifty_partners_and_a_few_thousand_lines(small):
    lines = sum(len(i.lines) + 2 for i in small.invoices) + sum(len(e.lines) for e in small.entries)
    lines += sum(len(b.counterparts) + 1 for b in small.bank_lines)
    assert 45 <= len(small.partners) <= 60
    assert 2_000 <= lines <= 8_000


def test_small_keeps_every_invariant(small):
    assert_plan_invariants(small)


def test_the_books_cover_thirteen_months_and_lock_before_the_last_four(small):
    assert small.start == date(2025, 11, 1)
    assert small.lock_date == date(2026, 7, 31)
    assert min(i.date for i in small.invoices) >= small.start
    assert max(b.date for b in small.bank_lines) <= TODAY


def test_every_behaviour_is_present(small):
    assert {p.behaviour for p in small.partners if p.role == "customer"} >= set(BEHAVIOURS)


def test_customers_behave_as_labelled(small):
    paid = {c.item for b in small.bank_lines for c in b.counterparts if c.item}
    paid |= {line.settles for e in small.entries for line in e.lines if line.settles and e.kind == "card_payment"}
    by_behaviour = {}
    for invoice in small.invoices:
        if invoice.move_type == "out_invoice" and invoice.due_date < date(2026, 9, 1):
            behaviour = next(p.behaviour for p in small.partners if p.key == invoice.partner)
            by_behaviour.setdefault(behaviour, []).append(invoice.key in paid)
    assert all(by_behaviour["on_time"]), "on-time customers have paid everything old enough"
    assert sum(by_behaviour["non_payer"]) <= 2 * sum(1 for p in small.partners if p.behaviour == "non_payer")


def test_weekend_card_sales_reach_the_bank_on_monday(small):
    batches = [b for b in small.bank_lines if b.kind == "card_batch" and b.date.weekday() == 0]
    assert batches, "some batches are deposited on Mondays"
    assert any(len([c for c in b.counterparts if c.item]) > 1 for b in small.bank_lines if b.kind == "card_batch")


def test_recent_bank_lines_are_left_for_the_co_pilot(small):
    open_lines = [b for b in small.bank_lines if not b.reconciled]
    assert open_lines
    assert {b.kind for b in open_lines} >= {"customer_payment", "card_batch"}


def test_the_sequence_gap_is_the_last_invoice_of_its_year(small):
    gap = next(d for d in small.defects if d.kind == "sequence_gap").keys[0]
    invoice = next(i for i in small.invoices if i.key == gap)
    same_year = [i for i in small.invoices if i.move_type == "out_invoice" and i.date.year == invoice.date.year]
    assert invoice == max(same_year, key=lambda i: (i.date, i.key))


def test_the_forgotten_draft_is_a_draft_after_the_lock(small):
    draft = next(d for d in small.defects if d.kind == "forgotten_draft").keys[0]
    invoice = next(i for i in small.invoices if i.key == draft)
    assert invoice.state == "draft" and invoice.date > small.lock_date


def test_the_duplicate_bills_are_twins(small):
    bills = {i.key: i for i in small.invoices}
    for defect in (d for d in small.defects if d.kind == "duplicate_bill"):
        original, twin = (bills[k] for k in defect.keys)
        assert (original.partner, original.date, original.total) == (twin.partner, twin.date, twin.total)


@pytest.mark.parametrize("name", ["", "huge", "SMALL", None])
def test_unknown_sizes_are_refused(name):
    with pytest.raises(UnknownSize):
        build_plan(name or "none", 1, TODAY)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32), today=st.dates(date(2024, 3, 1), date(2030, 12, 31)))
def test_any_seed_and_day_give_consistent_books(seed, today):
    assert_plan_invariants(tiny_plan(seed, today))
