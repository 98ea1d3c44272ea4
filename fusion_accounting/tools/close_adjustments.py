"""Domain 6, the substantive close: what is missing from the books, and the adjusting entries that fix it.

The pure review (``services/close_review.py``) reads plain values; this adapter turns the posted
journal items of each of the user's companies into them (accounts by ``account_type``, never by
code or name) and the findings back into JSON.  An adjusting entry the close posts names its
finding in its reference (``[close:<key>]``): while it stands, the finding is resolved; once
reversed (Odoo's own reversal), the finding is open again.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext

from odoo.addons.fusion_accounting_core.services.tools import NonNegativeAmount
from odoo.addons.fusion_accounting_core.tools.links import links_for

from ..services.close_books import Account, Books, Entry, Line
from ..services.close_fx import OPEN_ITEM_TYPES, PROFIT_AND_LOSS_TYPES, FxBooks, FxItem
from ..services.close_review import review_close, substantive
from ..services.money import from_cents, to_cents
from .common import ToolRefusal, browse_own, money, ref, register

DOMAIN = "month_end"
THRESHOLD_PARAM = "fusion_accounting.close_capitalization_threshold"
HISTORY_DAYS = 400  # the series are learned from this much history before the period end
CUTOFF_DAYS = 45  # documents dated this long after the period end may belong to it
KEY_RE = re.compile(r"\[close:([^\]]+)\]")
TOOL = "post_adjusting_entry"


def _key_of(move_ref):
    match = KEY_RE.search(move_ref or "")
    return match.group(1) if match else ""


def _undone_adjustment(move):
    """An adjusting entry of the close that was reversed, or its reversal: together they are nothing."""
    if move.reversed_entry_id:
        return bool(_key_of(move.reversed_entry_id.ref))
    return bool(_key_of(move.ref)) and bool(move.reversal_move_ids.filtered(lambda m: m.state == "posted"))


def _label(move, lines):
    """What the entry is about: its reference, or for an invoice the first product line's label."""
    if move.move_type != "entry":
        product = next((line.name for line in lines if line.display_type == "product" and line.name), "")
        return product or move.ref or ""
    return move.ref or move.name or ""


def _books(env, company, date_to):
    start, until = date_to - timedelta(days=HISTORY_DAYS), date_to + timedelta(days=CUTOFF_DAYS)
    Line_ = env["account.move.line"]
    base = [
        ("company_id", "=", company.id),
        ("parent_state", "=", "posted"),
        ("display_type", "not in", ("line_section", "line_note")),
    ]
    opening = {
        account.id: to_cents(balance)
        for account, balance in Line_._read_group([*base, ("date", "<", start)], ["account_id"], ["balance:sum"])
    }
    lines = Line_.search_fetch(
        [*base, ("date", ">=", start), ("date", "<=", until)],
        ["move_id", "account_id", "balance", "partner_id", "name", "tax_line_id", "display_type"],
        order="date, move_id, id",
    )
    by_move = defaultdict(list)
    for line in lines:
        by_move[line.move_id].append(line)
    accounts = (
        env["account.account"].with_company(company).search(env["account.account"]._check_company_domain(company))
    )
    entries = tuple(
        Entry(
            move.id,
            move.date,
            move.journal_id.id,
            move.journal_id.type,
            _label(move, move_lines),
            tuple(
                Line(
                    line.account_id.id,
                    to_cents(line.balance),
                    line.partner_id.id or None,
                    line.name or "",
                    bool(line.tax_line_id),
                )
                for line in move_lines
            ),
            adjustment_key=_key_of(move.ref),
            document=move.ref if move.move_type != "entry" else "",
            narration=html2plaintext(move.narration) if move.narration else "",
        )
        for move, move_lines in by_move.items()
        if not _undone_adjustment(move)
    )
    catalogue = {a.id: Account(a.id, a.code, a.account_type) for a in accounts | lines.account_id}
    return Books(catalogue, entries, opening), start


def _open_at(line, day):
    """``(foreign, company)`` amounts of ``line`` still open at the end of ``day`` (later matches undone)."""
    foreign, booked = line.amount_currency, line.balance
    for partial in line.matched_credit_ids.filtered(lambda p: p.max_date <= day):
        foreign, booked = foreign - partial.debit_amount_currency, booked - partial.amount
    for partial in line.matched_debit_ids.filtered(lambda p: p.max_date <= day):
        foreign, booked = foreign + partial.credit_amount_currency, booked + partial.amount
    return foreign, booked


def _fx_books(env, company, date_to):
    """The company's open foreign-currency items at ``date_to``, the rates of that day and its exchange accounts."""
    own = company.currency_id
    base = [("company_id", "=", company.id), ("parent_state", "=", "posted"), ("date", "<=", date_to)]
    Line_ = env["account.move.line"]
    lines = Line_.search(
        [
            *base,
            ("account_id.account_type", "in", tuple(OPEN_ITEM_TYPES)),
            ("account_id.currency_id", "in", (False, own.id)),
            ("currency_id", "!=", own.id),
            "|",
            "|",
            ("reconciled", "=", False),
            ("matched_debit_ids.max_date", ">", date_to),
            ("matched_credit_ids.max_date", ">", date_to),
        ]
    )
    items = []
    for line in lines:
        foreign, booked = _open_at(line, date_to)
        if foreign or booked:
            label = line.move_id.name or ""
            items.append(
                FxItem(
                    line.id,
                    line.account_id.id,
                    line.account_type,
                    line.currency_id.name,
                    foreign,
                    to_cents(booked),
                    label=label,
                )
            )
    # Accounts kept in a foreign currency (a US-dollar bank account): their balance is what is revalued.
    kept = [
        ("account_id.currency_id", "not in", (False, own.id)),
        ("account_id.account_type", "not in", tuple(PROFIT_AND_LOSS_TYPES)),
    ]
    for account, foreign, booked in Line_._read_group(
        [*base, *kept], ["account_id"], ["amount_currency:sum", "balance:sum"]
    ):
        currency = account.currency_id.name
        items.append(
            FxItem(0, account.id, account.account_type, currency, foreign, to_cents(booked), currency, account.code)
        )
    currencies = env["res.currency"].search([("name", "in", sorted({item.currency for item in items}))])
    rates = {c.name: c._get_conversion_rate(c, own, company, date_to) for c in currencies if c != own}
    return FxBooks(
        own.name,
        rates,
        tuple(items),
        company.income_currency_exchange_account_id.id or None,
        company.expense_currency_exchange_account_id.id or None,
    )


def _proposals(env, keys):
    """``{finding key: latest proposal of its adjusting entry}`` among the user's readable proposals."""
    found = {}
    if not keys:
        return found
    History = env["fusion.accounting.match.history"]
    proposals = History.search(
        [("tool_name", "=", TOOL), ("company_id", "in", env.companies.ids)], order="id desc", limit=500
    )
    for proposal in proposals:
        for key in keys:
            if key not in found and f'"{key}"' in (proposal.tool_params or ""):
                found[key] = {
                    "id": proposal.id,
                    "decision": proposal.decision,
                    "execution_state": proposal.execution_state or "",
                }
    return found


def _threshold(env):
    try:
        return max(0.0, float(env["ir.config_parameter"].sudo().get_param(THRESHOLD_PARAM) or 0))
    except ValueError:
        return 0.0


def close_findings(env, date_from, date_to):
    """``[(company, finding)]`` of the user's companies for the period, open ones only (not yet adjusted)."""
    found = []
    threshold = to_cents(_threshold(env))
    for company in env.companies:
        books, start = _books(env, company, date_to)
        fiscal_start = company.compute_fiscalyear_dates(date_to)["date_from"]
        resolved = {e.adjustment_key for e in books.entries if e.adjustment_key}
        findings = review_close(
            books,
            date_from,
            date_to,
            window_start=start,
            report_from=fiscal_start,
            capitalization_threshold=threshold,
            fx=_fx_books(env, company, date_to),
        )
        found += [(company, f) for f in findings if f.key not in resolved]
    return found


def _line_row(line, codes, currencies):
    row = {
        "account_code": codes.get(line.account_id, ""),
        "account_id": line.account_id,
        "debit": from_cents(line.debit),
        "credit": from_cents(line.credit),
    }
    if line.currency:
        row["currency_id"] = currencies.get(line.currency)
    return row


def _row(env, company, finding, codes, proposal, currencies):  # noqa: PLR0917 (a row's parts)
    return {
        "kind": finding.kind,
        "key": finding.key,
        "company": ref(company),
        "date": finding.date.isoformat(),
        "memo": finding.memo,
        "evidence": finding.evidence,
        "confidence": finding.confidence,
        "substantive": substantive(finding),
        "lines": [_line_row(line, codes, currencies) for line in finding.lines],
        "proposal": proposal,
    }


def close_rows(env, date_from, date_to):
    """JSON rows of the period's open findings, each with its pending or decided proposal (or None)."""
    pairs = close_findings(env, date_from, date_to)
    accounts = env["account.account"].browse({line.account_id for _c, f in pairs for line in f.lines})
    codes = {a.id: a.code for a in accounts}
    names = {line.currency for _c, f in pairs for line in f.lines if line.currency}
    currencies = {c.name: c.id for c in env["res.currency"].search([("name", "in", sorted(names))])} if names else {}
    proposals = _proposals(env, [f.key for _c, f in pairs])
    return [_row(env, company, f, codes, proposals.get(f.key), currencies) for company, f in pairs]


@register(DOMAIN, 1, label="Missing period-end adjustments")
def find_close_adjustments(env, date_from: date, date_to: date) -> dict:
    """What is missing from the books at a period end, with the adjusting entries that fix it: recurring entries
    not posted (accruals, depreciation, amortization, rent, payroll cut-off, goods received), periods posted
    twice, amounts far off their series, accruals never released, cut-off across the period end, purchases
    above the capitalization threshold.  Each adjustment is balanced and dated at the period end (a catch-up
    for an earlier month); book one with post_adjusting_entry.

    Args:
        date_from: First day of the period being closed.
        date_to: Last day of the period being closed.
    """
    if date_from > date_to:
        raise ToolRefusal("date_from is after date_to")
    rows = close_rows(env, date_from, date_to)
    adjustments = [row for row in rows if row["lines"]]
    return {
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "count": len(adjustments),
        "adjustments": adjustments,
        "to_review": [row for row in rows if not row["lines"]],
    }


@dataclass
class AdjustingLine:
    """One line of an adjusting entry: an account and either a debit or a credit."""

    account_id: int
    debit: NonNegativeAmount = 0.0
    credit: NonNegativeAmount = 0.0
    currency_id: int | None = None  # a revaluation line: in this currency, with no foreign amount


def _checked_lines(env, lines):
    if len(lines) < 2:
        raise ToolRefusal("an adjusting entry needs at least two lines")
    if any(bool(to_cents(line.debit)) == bool(to_cents(line.credit)) for line in lines):
        raise ToolRefusal("each line carries either a debit or a credit, not both and not neither")
    debit, credit = sum(to_cents(line.debit) for line in lines), sum(to_cents(line.credit) for line in lines)
    if debit != credit:
        raise ToolRefusal(f"the entry does not balance: debits {from_cents(debit)}, credits {from_cents(credit)}")
    accounts = {line.account_id: browse_own(env, "account.account", line.account_id) for line in lines}
    missing = sorted(account_id for account_id, account in accounts.items() if not account)
    if missing:
        raise ToolRefusal(f"accounts not found in your companies: {missing}")
    return accounts


def _move_line(env, company, line, memo):
    values = {"account_id": line.account_id, "debit": line.debit, "credit": line.credit, "name": memo}
    currency = env["res.currency"].browse(line.currency_id).exists() if line.currency_id else None
    if line.currency_id and not currency:
        raise ToolRefusal(f"currency {line.currency_id} not found")
    if currency and currency != company.currency_id:
        # What Odoo's revaluation posts: the company-currency value moves, the foreign amount does not.
        values |= {"currency_id": currency.id, "amount_currency": 0.0}
    return values


@register(DOMAIN, 3, label="Post an adjusting entry")
def post_adjusting_entry(
    env,
    *,
    entry_date: date,
    memo: str,
    lines: list[AdjustingLine],
    finding_key: str = "",
    company_id: int | None = None,
) -> dict:
    """Post a balanced adjusting entry in the company's general journal (reversible with Odoo's reversal).

    Args:
        entry_date: The entry's date: the adjustment's date (the last day of the period being closed).
        memo: What the entry corrects (its reference).
        lines: The entry's lines, as find_close_adjustments proposes them.
        finding_key: The finding it resolves (its key from find_close_adjustments).
        company_id: The company of the entry (default the current company).
    """
    company = env["res.company"].browse(company_id) if company_id else env.company
    if company not in env.companies:
        raise ToolRefusal(f"company {company_id} is not one of your companies")
    accounts = _checked_lines(env, lines)
    if any(company not in account.company_ids for account in accounts.values()):
        raise ToolRefusal(f"every account must belong to {company.name}")
    journal = env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "general")], limit=1)
    if not journal:
        raise ToolRefusal(f"{company.name} has no general journal")
    memo = " ".join((memo or "").split())[:200] or "Month-end adjustment"
    move = env["account.move"].create(
        {
            "move_type": "entry",
            "company_id": company.id,
            "journal_id": journal.id,
            "date": entry_date,
            "ref": f"{memo} [close:{finding_key}]" if finding_key else memo,
            "line_ids": [Command.create(_move_line(env, company, line, memo)) for line in lines],
        }
    )
    try:
        move.action_post()
    except (UserError, ValidationError) as error:
        raise ToolRefusal(str(error)) from None
    return {
        "ok": True,
        "move": ref(move),
        "date": move.date.isoformat(),
        "amount": money(sum(move.line_ids.mapped("debit"))),
        "finding_key": finding_key,
        "reversible": "reverse it with Odoo's Reverse Entry on the journal entry",
    }


@links_for(TOOL)
def _adjustment_links(_env, arguments):
    lines = arguments.get("lines") or []
    try:
        return {"amount": sum(float(line.get("debit") or 0) for line in lines if isinstance(line, dict))}
    except (TypeError, ValueError):
        return {}
