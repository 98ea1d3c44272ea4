"""Domain 9, ADP reconciliation (design 3.10): the ADP receivable (setting ``adp_receivable``, 1101 by default).

``fusion.adp.books`` reads the books; the pure ``services.adp`` checks splits,
ages items and proposes which open items a government deposit pays.
"""

from datetime import date
from decimal import Decimal

from ..services.adp import AdpInvoice, age_items, match_deposit, summarize
from .common import ToolRefusal, browse_own, money, not_available, page, ref, register

DOMAIN = "adp"


def _books(env):
    return env["fusion.adp.books"]


def _no_account():
    return not_available("No ADP receivable account: set fusion_accounting.adp_receivable_account_code.")


@register(DOMAIN, 1, label="ADP receivable aging")
def get_adp_receivable_aging(env, as_of: date) -> dict:
    """Aging of what ADP (Assistive Devices Program) still owes: 0-30, 31-60, 61-90, 91-120 and 120+ days.

    Args:
        as_of: Age the open items at this date.
    """
    if not _books(env)._adp_accounts():
        return _no_account()
    items, _lines = _books(env)._open_items(as_of)
    buckets = age_items(items, as_of)
    return {
        "as_of": as_of.isoformat(),
        "total": float(sum((b.amount for b in buckets), Decimal(0))),
        "count": len(items),
        "buckets": [{"label": b.label, "amount": float(b.amount), "count": b.count} for b in buckets],
    }


@register(DOMAIN, 1, label="Check ADP splits")
def verify_adp_split(env, date_from: date, date_to: date, limit: int = 30) -> dict:
    """Check every ADP invoice of a period: customer portion + ADP portion must equal the invoice total.

    Args:
        date_from: First day of the period (split entry date).
        date_to: Last day of the period.
        limit: At most this many invoices listed.
    """
    if not _books(env)._adp_accounts():
        return _no_account()
    limit, _offset = page(limit, 0)
    rows = _books(env)._invoice_splits(date_from, date_to)
    wrong = [row for row in rows if row["difference"]]
    return {
        "invoices": len(rows),
        "all_split_correctly": not wrong,
        "mismatches": [{k: v for k, v in row.items() if k != "split_move_ids"} for row in wrong[:limit]],
        "checked": [{k: v for k, v in row.items() if k != "split_move_ids"} for row in rows[:limit]],
    }


@register(DOMAIN, 1, label="Unpaid ADP portions")
def find_adp_without_payment(env, as_of: date, min_age_days: int = 60, limit: int = 30) -> dict:
    """ADP portions still unpaid after a number of days: claims the government has not deposited.

    Args:
        as_of: Age the open items at this date.
        min_age_days: Only items at least this old.
        limit: At most this many items.
    """
    if not _books(env)._adp_accounts():
        return _no_account()
    limit, _offset = page(limit, 0)
    _items, lines = _books(env)._open_items(as_of)
    old = lines.filtered(lambda aml: (as_of - aml.date).days >= min_age_days)
    return {
        "count": len(old),
        "total": money(sum(old.mapped("amount_residual"))),
        "items": [
            {
                "item_id": aml.id,
                "move": aml.move_id.name,
                "date": aml.date.isoformat(),
                "days": (as_of - aml.date).days,
                "open_amount": money(aml.amount_residual),
                "label": aml.name,
            }
            for aml in old[:limit]
        ],
    }


@register(DOMAIN, 1, label="ADP billing and collection")
def get_adp_summary(env, date_from: date, date_to: date) -> dict:
    """ADP billing against collection over a period: ADP portions billed, deposits received, still open, rate.

    Args:
        date_from: First day of the period.
        date_to: Last day of the period.
    """
    books = _books(env)
    if not books._adp_accounts():
        return _no_account()
    rows = books._invoice_splits(date_from, date_to)
    collected, _lines = books._collected(date_from, date_to)
    items, _open = books._open_items(date_to)
    invoices = [
        AdpInvoice(
            r["invoice"],
            date.fromisoformat(r["date"]) if r["date"] else date_to,
            Decimal(str(r["total"])),
            Decimal(str(r["customer_portion"])),
            Decimal(str(r["adp_portion"])),
        )
        for r in rows
    ]
    summary = summarize(invoices, Decimal(str(round(collected, 2))), sum((i.residual for i in items), Decimal(0)))
    return {
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "invoices": summary.invoice_count,
        "billed_to_adp": float(summary.billed),
        "collected_from_adp": float(summary.collected),
        "open_at_end": float(summary.outstanding),
        "collection_rate_pct": float(summary.collection_rate) if summary.collection_rate is not None else None,
    }


@register(DOMAIN, 3, label="Match an ADP deposit")
def match_adp_payment_to_invoice(env, statement_line_id: int) -> dict:
    """Match an ADP deposit (bank statement line) to the open ADP items it pays: the fewest, then oldest,
    items adding up to the deposit; reconciles them with the deposit.

    Args:
        statement_line_id: The bank statement line of the government deposit.
    """
    st_line = browse_own(env, "account.bank.statement.line", statement_line_id)
    if not st_line:
        raise ToolRefusal(f"no bank statement line {statement_line_id} in your companies")
    if st_line.amount <= 0:
        raise ToolRefusal("an ADP deposit is money in: this line is a payment")
    books = _books(env).with_company(st_line.company_id)
    if not books._adp_accounts():
        return _no_account()
    items, lines = books._open_items(st_line.date)
    match = match_deposit(Decimal(str(round(st_line.amount, 2))), items)
    if not match.exact:
        raise ToolRefusal(
            f"no set of open ADP items adds up to {st_line.amount:.2f}; closest {float(match.matched):.2f} "
            f"from {len(match.items)} items: match by hand"
        )
    chosen = lines.filtered(lambda aml: aml.id in {item.key for item in match.items})
    env["fusion.bank.reconciler"]._match(st_line, chosen)
    return {
        "ok": True,
        "statement_line": {"id": st_line.id, "label": st_line.payment_ref, "amount": money(st_line.amount)},
        "items": [{"item_id": aml.id, "move": ref(aml.move_id), "amount": money(aml.balance)} for aml in chosen],
    }
