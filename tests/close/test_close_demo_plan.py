"""The demo company's plan, read as the close reads posted books: its planted closing errors and nothing else."""

from datetime import date

import pytest

from fusion_accounting.services.close_books import Account, Books, Entry, Line, month_end, month_index
from fusion_accounting.services.close_review import review_close
from fusion_accounting_core.demo_company.chart import ACCOUNTS, JOURNALS
from fusion_accounting_core.demo_company.planner import build_plan

TODAY = date(2026, 3, 31)
ROLES = [*ACCOUNTS, "tax", "bank", "suspense"]
IDS = {role: number for number, role in enumerate(ROLES, start=1)}
TYPES = {role: spec.account_type for role, spec in ACCOUNTS.items()} | {
    "tax": "liability_current",
    "bank": "asset_cash",
    "suspense": "asset_current",
}
JOURNAL_IDS = {role: number for number, role in enumerate(JOURNALS, start=1)}


def _partner(key):
    return sum(map(ord, key)) if key else None


def _invoice(number, invoice):
    sign = 1 if invoice.move_type in ("in_invoice", "out_refund") else -1
    lines = [Line(IDS[line.account], sign * line.amount, None, line.label) for line in invoice.lines]
    tax = sum(line.tax for line in invoice.lines)
    if tax:
        lines.append(Line(IDS["tax"], sign * tax, None, "tax", is_tax=True))
    side = "receivable" if invoice.move_type.startswith("out_") else "payable"
    lines.append(Line(IDS[side], invoice.item_balance, _partner(invoice.partner)))
    journal = "sale" if invoice.move_type.startswith("out_") else "purchase"
    label = invoice.lines[0].label
    return Entry(number, invoice.date, JOURNAL_IDS[journal], journal, label, tuple(lines), document=invoice.ref)


def _bank(number, line, items):
    lines = [Line(IDS["bank"], line.amount)]
    if line.reconciled:
        for counterpart in line.counterparts:
            role = counterpart.account or items[counterpart.item][0]
            lines.append(Line(IDS[role], counterpart.balance, _partner(counterpart.partner)))
    else:
        lines.append(Line(IDS["suspense"], -line.amount))
    return Entry(number, line.date, JOURNAL_IDS["bank"], "bank", line.label, tuple(lines))


def books_of(plan):
    """The plan's posted documents as the close's values (accounts known by their type only)."""
    entries, items = [], plan.items()
    for invoice in plan.invoices:
        if invoice.state == "posted":
            entries.append(_invoice(len(entries) + 1, invoice))
    for entry in plan.entries:
        if entry.state == "posted":
            journal = JOURNALS[entry.journal].journal_type
            lines = tuple(Line(IDS[x.account], x.balance, _partner(x.partner), x.label) for x in entry.lines)
            entries.append(Entry(len(entries) + 1, entry.date, JOURNAL_IDS[entry.journal], journal, entry.ref, lines))
    entries += [_bank(len(entries) + 1 + i, line, items) for i, line in enumerate(plan.bank_lines)]
    accounts = {IDS[role]: Account(IDS[role], role, TYPES[role]) for role in ROLES}
    return Books(accounts, tuple(entries), {})


@pytest.mark.parametrize("size", ["small"])
def test_the_close_finds_the_demo_plans_closing_errors_and_only_the_planted_duplicate_besides(size):
    plan = build_plan(size, 7, TODAY)
    end = month_end(month_index(TODAY))
    findings = review_close(books_of(plan), end.replace(day=1), end, report_from=date(end.year, 1, 1))
    proposed = {
        (f.kind, f.evidence.get("period", f.evidence.get("date", ""))[:7], f.amount): {
            (ROLES[x.account_id - 1], "debit" if x.debit else "credit") for x in f.lines
        }
        for f in findings
        if f.lines
    }
    for gap in plan.close_gaps:
        assert proposed.pop((gap.kind, gap.month, gap.amount)) == {(gap.debit, "debit"), (gap.credit, "credit")}
    # The planted duplicate pay run (answer key: duplicate_entry) is a period posted twice.
    assert [kind for kind, _month, _amount in proposed] == ["duplicate_period"]
    assert {d.kind for d in plan.defects} >= {"duplicate_entry"}
