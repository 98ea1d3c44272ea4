"""Expected account balances of a plan: what the written books must add up to.

Keys are account roles of :data:`.chart.ACCOUNTS`, ``tax:<tax role>`` for tax
accounts, ``bank`` and ``bank_suspense``; values are balances in cents
(debit positive).  Draft documents do not count, as in Odoo's reports.

>>> from datetime import date
>>> from .planner import build_plan
>>> totals = account_totals(build_plan("small", 3, date(2026, 1, 31)))
>>> sum(totals.values())
0
>>> totals["clearing"]
500000
"""

from collections import Counter


def account_totals(plan):
    """``{role: balance in cents}`` of every account the posted books of ``plan`` touch."""
    item_roles = {key: role for key, (role, _balance, _partner) in plan.items().items()}
    totals = Counter()
    for invoice in plan.invoices:
        if invoice.state != "posted":
            continue
        sign = -1 if invoice.move_type in ("out_invoice", "in_refund") else 1
        for line in invoice.lines:
            totals[line.account] += sign * line.amount
            if line.tax:
                totals[f"tax:{line.tax_role}"] += sign * line.tax
        totals["receivable" if invoice.move_type.startswith("out_") else "payable"] += invoice.item_balance
    for entry in plan.entries:
        if entry.state == "posted":
            for line in entry.lines:
                totals[line.account] += line.balance
    for line in plan.bank_lines:
        totals["bank"] += line.amount
        if line.reconciled:
            for counterpart in line.counterparts:
                totals[counterpart.account or item_roles[counterpart.item]] += counterpart.balance
        else:
            totals["bank_suspense"] -= line.amount
    return {role: amount for role, amount in totals.items() if amount}
