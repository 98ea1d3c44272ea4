"""The answer key: what a perfect co-pilot would find in the demo books.

It joins a :class:`~.model.DemoPlan` (what was meant) with a
:class:`~.model.Written` (which records hold it).  Amounts are in currency
units (dollars) with two decimals; record references are database ids plus
the plan key, which is stable for a seed.

- ``unreconciled_statement_lines``: for each bank line left unreconciled, the
  journal items it should be matched with and how much of each it settles
  (``matches``), plus what should be booked straight to an account
  (``write_offs``: card fees, CRA remittances, bank fees).  A card batch lists
  all its card payments (N:1) and its ``fee``.
- ``defects``: every planted defect with its ``kind`` and ``records``.
- ``purchase_orders``: when the database has the Purchase app, each order
  with the bill that bills it and its ``mismatch`` (empty, ``price`` or
  ``quantity``); the mismatched bills are also ``bill_po_mismatch`` defects.
  Empty without Purchase.
- ``close_adjustments``: the closing errors planted in the monthly schedules and
  accruals (a month's depreciation skipped, a fee accrual missing, an accrual never
  reversed), each with the accounts and amount of the adjustment that fixes it.
- ``facts``: customer behaviours, disputed invoices, ADP portions never paid,
  open credit notes: true statements about the books, not defects.
"""

from .chart import ACCOUNTS
from .planner import PURCHASE_DEFECT_KIND

ANSWER_KEY_VERSION = 1


def _money(cents):
    return round(cents / 100, 2)


def _move_ref(written, key):
    record = {"key": key, "model": "account.move", "id": written.moves[key], "name": written.move_names[key]}
    if key in written.statement_lines:
        record["statement_line_id"] = written.statement_lines[key]
    return record


def _statement_line_entry(line, written):
    matches, write_offs, fee = [], [], 0
    for counterpart in line.counterparts:
        if counterpart.item:
            matches.append(
                {
                    "item": counterpart.item,
                    "move_line_id": written.items[counterpart.item],
                    "amount": _money(abs(counterpart.balance)),
                }
            )
        else:
            write_offs.append(
                {
                    "account_code": ACCOUNTS[counterpart.account].code,
                    "account_id": written.accounts[counterpart.account],
                    "balance": _money(counterpart.balance),
                }
            )
            if counterpart.account == "card_fees":
                fee = counterpart.balance
    entry = {
        "key": line.key,
        "statement_line_id": written.statement_lines[line.key],
        "move_id": written.moves[line.key],
        "date": line.date.isoformat(),
        "amount": _money(line.amount),
        "label": line.label.format_map(written.move_names),
        "kind": line.kind,
        "matches": matches,
        "write_offs": write_offs,
    }
    if line.kind == "card_batch":
        entry["fee"] = _money(fee)
    return entry


def _defect_entry(defect, written):
    entry = {"kind": defect.kind, "records": [_move_ref(written, key) for key in defect.keys]}
    for name, value in defect.detail.items():
        entry[name] = value.isoformat() if hasattr(value, "isoformat") else value
    if "balance" in entry:
        entry["balance"] = _money(entry["balance"])
    if "account_code" in entry:
        entry["account_id"] = next(written.accounts[r] for r, s in ACCOUNTS.items() if s.code == entry["account_code"])
    return entry


def _purchase_orders(plan, written):
    """The written purchase orders, and the ``bill_po_mismatch`` defects among them."""
    orders, defects = [], []
    for order in plan.purchase_orders:
        if order.key not in written.purchase_orders:
            continue
        order_id, name = written.purchase_orders[order.key]
        entry = {"key": order.key, "id": order_id, "name": name, "bill": _move_ref(written, order.bill)}
        orders.append({**entry, "mismatch": order.mismatch})
        if order.mismatch:
            defects.append(
                {
                    "kind": PURCHASE_DEFECT_KIND,
                    "records": [entry["bill"]],
                    "order": {"key": order.key, "model": "purchase.order", "id": order_id, "name": name},
                    "mismatch": order.mismatch,
                }
            )
    return orders, defects


def _close_gap_entry(gap, written):
    """A closing error and the adjustment the month-end close should propose for it."""
    return {
        "kind": gap.kind,
        "month": gap.month,
        "debit": {"code": ACCOUNTS[gap.debit].code, "id": written.accounts[gap.debit]},
        "credit": {"code": ACCOUNTS[gap.credit].code, "id": written.accounts[gap.credit]},
        "amount": _money(gap.amount),
    }


def build_answer_key(plan, written):
    """The answer key of ``plan`` as written in ``written``: a JSON-ready dict."""
    customers = {
        p.key: {
            "partner_id": written.partners[p.key],
            "name": p.name,
            "behaviour": p.behaviour,
            "late_days": p.late_days,
            "adp": p.adp,
        }
        for p in plan.partners
        if p.role == "customer"
    }
    orders, order_defects = _purchase_orders(plan, written)
    return {
        "version": ANSWER_KEY_VERSION,
        "size": plan.size,
        "seed": plan.seed,
        "today": plan.today.isoformat(),
        "period": {"start": plan.start.isoformat(), "lock_date": plan.lock_date.isoformat()},
        "company": {"id": written.company_id, "name": plan.company_name},
        "accounts": {role: {"code": spec.code, "id": written.accounts[role]} for role, spec in ACCOUNTS.items()},
        "unreconciled_statement_lines": [
            _statement_line_entry(line, written) for line in plan.bank_lines if not line.reconciled
        ],
        "defects": [_defect_entry(defect, written) for defect in plan.defects] + order_defects,
        "purchase_orders": orders,
        "close_adjustments": [_close_gap_entry(gap, written) for gap in plan.close_gaps],
        "facts": {
            "customers": customers,
            "disputed_invoices": [_move_ref(written, key) for key in plan.facts["disputed_invoices"]],
            "open_credit_notes": [_move_ref(written, key) for key in plan.facts["open_credit_notes"]],
            "adp_never_paid": [
                {"item": key, "move_line_id": written.items[key]} for key in plan.facts["adp_never_paid"]
            ],
        },
        "counts": written.counts,
    }
