"""Shared fixtures of the demo-company tests: small plans and the invariants every plan must satisfy."""

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

from fusion_accounting_core.demo_company.card_batches import batch_of, card_fee
from fusion_accounting_core.demo_company.planner import ADP_SHARE_PERCENT, DEFECT_KINDS, build_plan
from fusion_accounting_core.demo_company.sizes import SIZES

TODAY = date(2026, 11, 22)
# A tiny size for property tests: every behaviour and defect, a fraction of the rows.
TINY = replace(SIZES["small"], name="tiny", customers=8, vendors=3, employees=2, counter_sales_per_day=0.5)


def tiny_plan(seed, today=TODAY):
    return build_plan(TINY, seed, today)


def assert_plan_invariants(plan):
    """Everything a plan promises, whatever the seed, size or date."""
    items = plan.items()
    keys = [i.key for i in plan.invoices] + [e.key for e in plan.entries] + [b.key for b in plan.bank_lines]
    assert len(keys) == len(set(keys)), "plan keys are unique"
    for entry in plan.entries:
        assert entry.is_balanced, entry.key
    settled = defaultdict(int)
    for line in plan.bank_lines:
        assert line.is_balanced, line.key
        assert plan.start <= line.date <= plan.today, line.key
        for counterpart in line.counterparts:
            assert bool(counterpart.item) != bool(counterpart.account), line.key
            if counterpart.item:
                settled[counterpart.item] += -counterpart.balance
    for entry in plan.entries:
        for line in entry.lines:
            if line.settles:
                settled[line.settles] += -line.balance
    for item, amount in settled.items():
        _role, balance, _partner = items[item]
        assert balance * amount > 0, f"{item} is settled in its own direction"
        assert abs(amount) <= abs(balance), f"{item} settled beyond its amount"
    assert_card_batches(plan)
    assert_adp_splits(plan)
    assert sorted({d.kind for d in plan.defects}) == sorted(DEFECT_KINDS)
    for defect in plan.defects:
        assert all(k in keys for k in defect.keys), defect
    cutoff = plan.today - timedelta(days=21)
    for line in plan.bank_lines:
        if not line.reconciled:
            assert line.date > cutoff and line.date > plan.lock_date, line.key


def assert_card_batches(plan):
    card_days = {line.item: e.date for e in plan.entries if e.kind == "card_payment" for line in e.lines if line.item}
    for line in plan.bank_lines:
        if line.kind != "card_batch":
            continue
        gross = -sum(c.balance for c in line.counterparts if c.item)
        fees = [c.balance for c in line.counterparts if c.account == "card_fees"]
        assert fees == [card_fee(gross)], line.key
        assert line.amount == gross - fees[0]
        deposit_days = {batch_of(card_days[c.item])[1] for c in line.counterparts if c.item}
        assert deposit_days == {line.date}, line.key


def assert_adp_splits(plan):
    invoices = {i.key: i for i in plan.invoices}
    for entry in plan.entries:
        if entry.kind != "adp_split":
            continue
        adp = next(line for line in entry.lines if line.account == "adp_receivable")
        client = next(line for line in entry.lines if line.settles)
        invoice = invoices[client.settles]
        assert adp.balance == invoice.total * ADP_SHARE_PERCENT // 100
        assert adp.balance + (invoice.total - adp.balance) == invoice.total
        assert -client.balance == adp.balance
