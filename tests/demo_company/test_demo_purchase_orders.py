"""Purchase orders of the demo plan: some stock-purchase bills bill one, two disagree with it, the books do not care."""

from dataclasses import replace

import pytest
from demo_plan_helpers import TINY, TODAY
from test_demo_answer_key import fake_written

from fusion_accounting_core.demo_company.answer_key import build_answer_key
from fusion_accounting_core.demo_company.planner import DEFECT_KINDS, PURCHASE_DEFECT_KIND, build_plan
from fusion_accounting_core.demo_company.sizes import SIZES
from fusion_accounting_core.demo_company.totals import account_totals


@pytest.fixture(scope="module")
def small():
    return build_plan("small", 42, TODAY)


def test_some_stock_purchase_bills_bill_an_order(small):
    vendors = {p.key: p for p in small.partners}
    bills = {i.key: i for i in small.invoices}
    assert len(small.purchase_orders) == SIZES["small"].purchase_orders
    assert len({o.bill for o in small.purchase_orders}) == len(small.purchase_orders), "one order per bill"
    planted = {key for d in small.defects for key in d.keys}
    for order in small.purchase_orders:
        bill = bills[order.bill]
        assert (bill.move_type, bill.state, bill.partner) == ("in_invoice", "posted", order.vendor)
        assert vendors[order.vendor].expense_role == "purchases"
        assert order.bill not in planted, "planted defects stay about one thing"
        assert small.start <= order.date <= bill.date
        assert len(order.lines) == len(bill.lines)


def test_orders_agree_with_their_bills_except_one_price_and_one_quantity(small):
    bills = {i.key: i for i in small.invoices}
    mismatches = {}
    for order in small.purchase_orders:
        billed = [(line.quantity, line.price_unit) for line in bills[order.bill].lines]
        ordered = [(line.quantity, line.price_unit) for line in order.lines]
        if not order.mismatch:
            assert billed == ordered, order.key
            continue
        mismatches[order.mismatch] = order
        assert billed[1:] == ordered[1:]
        (billed_qty, billed_price), (ordered_qty, ordered_price) = billed[0], ordered[0]
        if order.mismatch == "price":
            assert (billed_qty, ordered_qty) == (billed_qty, billed_qty) and ordered_price < billed_price
        else:
            assert (billed_price, ordered_price) == (billed_price, billed_price) and ordered_qty < billed_qty
    assert sorted(mismatches) == ["price", "quantity"]


def test_unit_price_times_quantity_is_the_line_amount(small):
    for invoice in small.invoices:
        for line in invoice.lines:
            assert line.price_unit * line.quantity == line.amount, invoice.key


def test_the_books_do_not_depend_on_purchase_orders():
    with_orders = build_plan(TINY, 5, TODAY)
    without = build_plan(replace(TINY, purchase_orders=0), 5, TODAY)
    assert with_orders.purchase_orders and not without.purchase_orders
    assert account_totals(with_orders) == account_totals(without)
    assert with_orders.bank_lines == without.bank_lines
    assert [i.total for i in with_orders.invoices] == [i.total for i in without.invoices]


def test_the_key_lists_orders_and_mismatches_only_when_they_were_written(small):
    written = fake_written(small)
    assert {d["kind"] for d in build_answer_key(small, written)["defects"]} == set(DEFECT_KINDS)
    assert build_answer_key(small, written)["purchase_orders"] == []
    written.purchase_orders = {o.key: (100 + n, f"P{n:05d}") for n, o in enumerate(small.purchase_orders)}
    key = build_answer_key(small, written)
    assert [o["bill"]["id"] for o in key["purchase_orders"]] == [written.moves[o.bill] for o in small.purchase_orders]
    mismatched = [d for d in key["defects"] if d["kind"] == PURCHASE_DEFECT_KIND]
    assert sorted(d["mismatch"] for d in mismatched) == ["price", "quantity"]
    assert all(d["order"]["model"] == "purchase.order" and len(d["records"]) == 1 for d in mismatched)
