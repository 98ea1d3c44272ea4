"""Domain 1, bank reconciliation (design 3.2), on Community with our own matching engine."""

from datetime import date

from odoo.exceptions import UserError

from odoo.addons.fusion_accounting_core.services.tools import NonNegativeAmount
from odoo.addons.fusion_accounting_core.tools.links import links_for
from odoo.addons.fusion_accounting_core.tools.modules import module_installed

from ..services.card_batches import batches_by_day
from ..services.money import from_cents, to_cents
from ..services.reconcile_rules import LineFacts, RuleError, RuleLineSpec, RuleSpec, rule_applies, write_offs
from .common import ToolRefusal, browse_own, company_domain, money, page, paged, ref, register, residual_page

DOMAIN = "bank_reconciliation"
# Lines handed back with their suggestions after an auto-reconcile run.
_LEFT_SHOWN = 20


def _line_summary(st_line):
    return {
        "id": st_line.id,
        "date": st_line.date.isoformat(),
        "label": st_line.payment_ref,
        "amount": money(st_line.amount),
        "partner": ref(st_line.partner_id),
        "journal": ref(st_line.journal_id),
    }


def _item_summary(aml):
    return {
        "id": aml.id,
        "move": aml.move_id.name,
        "date": aml.date.isoformat(),
        "account": aml.account_id.code,
        "partner": ref(aml.partner_id),
        "residual": money(aml.amount_residual),
    }


def _suggestion_rows(env, suggestions):
    ids = {item_id for suggestion in suggestions for item_id in suggestion.item_ids}
    amls = {aml.id: aml for aml in env["account.move.line"].browse(sorted(ids))}
    return [
        {**suggestion.as_dict(), "items": [_item_summary(amls[item_id]) for item_id in suggestion.item_ids[:10]]}
        for suggestion in suggestions
    ]


def _rule_spec(model):
    return RuleSpec(
        id=model.id,
        name=model.name,
        journal_ids=tuple(model.match_journal_ids.ids),
        match_amount=model.match_amount or "",
        match_amount_min=model.match_amount_min,
        match_amount_max=model.match_amount_max,
        match_label=model.match_label or "",
        match_label_param=model.match_label_param or "",
        partner_ids=tuple(model.match_partner_ids.ids),
        lines=tuple(
            RuleLineSpec(line.account_id.id, line.amount_type, line.amount_string, line.label or "", line.partner_id.id)
            for line in model.line_ids
            if line.account_id
        ),
    )


def _line_facts(env, st_line):
    open_amount = env["fusion.bank.reconciler"]._open_amount(st_line)
    return LineFacts(st_line.journal_id.id, to_cents(open_amount), st_line.payment_ref or "", st_line.partner_id.id)


def _applicable_models(env, st_line):
    models = env["account.reconcile.model"].search(
        [*company_domain(env), ("company_id", "=", st_line.company_id.id)], order="sequence, id"
    )
    facts = _line_facts(env, st_line)
    found = []
    for model in models:
        try:
            applies, reason = rule_applies(_rule_spec(model), facts)
        except RuleError as error:
            applies, reason = False, str(error)
        if applies:
            found.append({"id": model.id, "name": model.name, "reason": reason})
    return found


@register(DOMAIN, 1, label="Ways to reconcile a bank line")
def get_reconcile_suggestions(env, statement_line_id: int, limit: int = 5) -> dict:
    """Ways to reconcile one bank statement line, each with a confidence (0-1) and a one-line reason.

    Suggestions come from our matching engine (references in the label, ref or
    narration, several invoices named on one line, the partner or the bank's
    counterparty name with an exact amount, several invoices of one partner,
    partial payments, card batches net of the processor's fee, card deposits
    paying invoices directly) and from the reconciliation models that apply.

    Args:
        statement_line_id: Id of the bank statement line.
        limit: How many suggestions to return, best first.
    """
    st_line = browse_own(env, "account.bank.statement.line", statement_line_id)
    if not st_line:
        raise ToolRefusal(f"no statement line {statement_line_id} in your companies")
    limit, _offset = page(limit, 0)
    if st_line.is_reconciled:
        return {"statement_line": _line_summary(st_line), "reconciled": True, "suggestions": []}
    suggestions = env["fusion.bank.reconciler"]._suggestions(st_line, limit)
    return {
        "statement_line": _line_summary(st_line),
        "open_amount": money(env["fusion.bank.reconciler"]._open_amount(st_line)),
        "suggestions": _suggestion_rows(env, suggestions),
        "reconcile_models": _applicable_models(env, st_line),
    }


@register(DOMAIN, 1, label="Receipts not matched to the bank")
def get_unreconciled_receipts(env, partner_id: int | None = None, limit: int = 20, offset: int = 0) -> dict:
    """Open items on the Outstanding Receipts account: payments received but not yet matched to the bank.

    Args:
        partner_id: Only this partner's receipts.
        limit: Rows per page.
        offset: Rows to skip.
    """
    limit, offset = page(limit, offset)
    accounts = env["fusion.account.roles"]._accounts(env.companies, "outstanding_receipts")
    if not accounts:
        raise ToolRefusal("no Outstanding Receipts account: set its code in the Fusion settings")
    domain = [
        *company_domain(env),
        ("account_id", "in", accounts.ids),
        ("parent_state", "=", "posted"),
        ("reconciled", "=", False),
        ("amount_residual", "!=", 0.0),
    ]
    if partner_id:
        domain.append(("partner_id", "=", partner_id))
    count, residual, rows = residual_page(
        env["account.move.line"],
        domain,
        ["move_id", "date", "account_id", "partner_id", "amount_residual"],
        order="date, id",
        limit=limit,
        offset=offset,
    )
    return paged(
        [_item_summary(aml) for aml in rows],
        count,
        limit,
        offset,
        total_residual=money(residual),
        accounts=[account.code for account in accounts],
    )


@register(DOMAIN, 1, label="Card payments per day")
def sum_payments_by_date(env, date_from: date, date_to: date, only_open: bool = True) -> dict:
    """Card payments per day and per expected deposit batch, to match card processor deposits.

    Each business day's card payments reach the bank as one batch, net of the
    processor's fee; Friday and Saturday (and Sunday) form one weekend batch.

    Args:
        date_from: First payment day.
        date_to: Last payment day (at most 92 days after date_from).
        only_open: Count only card payments not yet matched to a deposit.
    """
    if date_to < date_from or (date_to - date_from).days > 92:
        raise ToolRefusal("date_to must be on or after date_from and at most 92 days later")
    accounts = env["fusion.account.roles"]._accounts(env.companies, "card_clearing")
    if not accounts:
        raise ToolRefusal("no card clearing account: set its code in the Fusion settings")
    domain = [
        *company_domain(env),
        ("account_id", "in", accounts.ids),
        ("parent_state", "=", "posted"),
        ("balance", ">", 0.0),
        ("date", ">=", date_from),
        ("date", "<=", date_to),
    ]
    if only_open:
        domain.append(("reconciled", "=", False))
    measure = "amount_residual:sum" if only_open else "balance:sum"
    groups = env["account.move.line"]._read_group(domain, ["date:day"], ["__count", measure])
    gross = {day: to_cents(total) for day, _count, total in groups}
    counts = {day: count for day, count, _total in groups}
    fee_bps = env["fusion.account.roles"]._int_param("card_fee_bps", 160)
    batches = batches_by_day(gross, fee_bps, counts)
    return {
        "days": [
            {"date": day.isoformat(), "count": counts[day], "gross": from_cents(gross[day])} for day in sorted(gross)
        ],
        "batches": [batch.as_dict() for batch in batches],
        "fee_percent": fee_bps / 100,
        "accounts": [account.code for account in accounts],
    }


@register(DOMAIN, 3, label="Match a bank line")
def match_bank_line_to_payments(
    env,
    statement_line_id: int,
    move_line_ids: list[int],
    fee_amount: NonNegativeAmount = 0.0,
    fee_account_code: str | None = None,
) -> dict:
    """Reconcile a bank statement line with one or more open journal items (invoices, payments, card payments).

    Items are settled oldest first up to the line's amount; an item larger than
    what is left is partly paid.  ``fee_amount`` books a fee (e.g. the card
    processor's) so that a deposit net of its fee settles the gross payments.

    Args:
        statement_line_id: Id of the bank statement line.
        move_line_ids: Ids of the journal items to settle.
        fee_amount: Fee kept by the bank or processor, booked as an expense (zero or more).
        fee_account_code: Account for the fee; defaults to the card fee account of the settings.
    """
    st_line = browse_own(env, "account.bank.statement.line", statement_line_id)
    if not st_line:
        raise ToolRefusal(f"no statement line {statement_line_id} in your companies")
    amls = env["account.move.line"].search([("id", "in", move_line_ids), *company_domain(env)])
    if len(amls) != len(set(move_line_ids)):
        raise ToolRefusal(f"journal items not found in your companies: {sorted(set(move_line_ids) - set(amls.ids))}")
    reconciler = env["fusion.bank.reconciler"]
    write_off = []
    if fee_amount:
        if fee_account_code:
            account = env["fusion.account.roles"]._by_code(st_line.company_id, fee_account_code)
            if not account:
                raise ToolRefusal(f"no account {fee_account_code} in {st_line.company_id.name}")
            write_off = [(account, fee_amount, env._("Processing fee"), st_line.partner_id)]
        else:
            write_off = reconciler._fee_write_off(st_line, fee_amount)
    try:
        created = reconciler._match(st_line, amls, write_off)
    except UserError as error:
        raise ToolRefusal(str(error)) from None
    return {
        "ok": True,
        "statement_line": _line_summary(st_line),
        "reconciled": st_line.is_reconciled,
        "items": [_item_summary(aml) for aml in amls],
        "booked": [{"account": line.account_id.code, "balance": money(line.balance)} for line in created],
    }


def _enterprise_pass(env, st_lines):
    """Enterprise's auto-reconciliation on the lines our engine left, when Enterprise Accounting is installed.

    Returns the ids of the lines it reconciled; an empty list without Enterprise.
    """
    StLine = env["account.bank.statement.line"]
    if not st_lines or not module_installed(env, "account_accountant"):
        return []
    if not hasattr(StLine, "_try_auto_reconcile_statement_lines"):
        return []
    st_lines._try_auto_reconcile_statement_lines()
    st_lines.invalidate_recordset(["is_reconciled"])
    return st_lines.filtered("is_reconciled").ids


@register(DOMAIN, 3, label="Reconcile the sure bank lines")
def auto_reconcile_bank_lines(
    env, journal_id: int | None = None, date_from: date | None = None, date_to: date | None = None, limit: int = 200
) -> dict:
    """Reconcile the unreconciled bank lines the engine is sure of; leave the others with suggestions.

    A line is matched only when one suggestion is confident and clearly ahead
    of any other, and no other line wants the same items.  With Enterprise
    Accounting installed, its engine then tries the lines ours left; each
    match says which engine booked it.

    Args:
        journal_id: Only this bank journal.
        date_from: Only lines on or after this day.
        date_to: Only lines on or before this day.
        limit: At most this many lines per run (oldest first, up to 1000).
    """
    domain = [*company_domain(env), ("is_reconciled", "=", False)]
    if journal_id:
        domain.append(("journal_id", "=", journal_id))
    if date_from:
        domain.append(("date", ">=", date_from))
    if date_to:
        domain.append(("date", "<=", date_to))
    StLine = env["account.bank.statement.line"]
    st_lines = StLine.search(domain, order="date, id", limit=max(1, min(limit, 1000)))
    matched, left, failed = env["fusion.bank.reconciler"]._auto_reconcile(st_lines)
    by_enterprise = _enterprise_pass(env, StLine.browse(sorted(left)))
    for line_id in by_enterprise:
        left.pop(line_id, None)
    shown = sorted(left)[:_LEFT_SHOWN]
    lines = {line.id: line for line in StLine.browse(shown)}
    matches = [
        {"statement_line_id": line_id, "engine": "fusion", **suggestion.as_dict()} for line_id, suggestion in matched
    ]
    matches += [{"statement_line_id": line_id, "engine": "enterprise"} for line_id in by_enterprise]
    return {
        "engine": "fusion+enterprise" if by_enterprise or module_installed(env, "account_accountant") else "fusion",
        "considered": len(st_lines),
        "matched": len(matched) + len(by_enterprise),
        "matched_by_engine": {"fusion": len(matched), "enterprise": len(by_enterprise)},
        "left": len(left),
        "matches": matches[:50],
        "failed": [{"statement_line_id": line_id, "error": error} for line_id, error in sorted(failed.items())[:20]],
        "needs_review": [
            {"statement_line": _line_summary(lines[line_id]), "suggestions": _suggestion_rows(env, left[line_id][:3])}
            for line_id in shown
        ],
    }


@register(DOMAIN, 3, label="Book a bank line with a reconciliation model")
def apply_reconcile_model(env, statement_line_id: int, reconcile_model_id: int) -> dict:
    """Book a bank statement line with a reconciliation model's write-off lines (e.g. bank fees to an expense).

    Args:
        statement_line_id: Id of the bank statement line.
        reconcile_model_id: Id of the reconciliation model to apply.
    """
    st_line = browse_own(env, "account.bank.statement.line", statement_line_id)
    model = browse_own(env, "account.reconcile.model", reconcile_model_id)
    if not st_line or not model or model.company_id != st_line.company_id:
        raise ToolRefusal("statement line or reconciliation model not found in the line's company")
    rule, facts = _rule_spec(model), _line_facts(env, st_line)
    try:
        applies, reason = rule_applies(rule, facts)
        if not applies:
            raise ToolRefusal(f"the model {model.name!r} does not apply: {reason}")
        entries = write_offs(rule, facts)
    except RuleError as error:
        raise ToolRefusal(str(error)) from None
    if not entries:
        raise ToolRefusal(f"the model {model.name!r} books no amount on this line")
    Account, Partner = env["account.account"], env["res.partner"]
    booked = [
        (
            Account.browse(entry.account_id),
            from_cents(entry.amount),
            entry.label,
            Partner.browse(entry.partner_id or []),
        )
        for entry in entries
    ]
    try:
        env["fusion.bank.reconciler"]._match(st_line, env["account.move.line"], booked)
    except UserError as error:
        raise ToolRefusal(str(error)) from None
    return {
        "ok": True,
        "statement_line": _line_summary(st_line),
        "model": model.name,
        "reason": reason,
        "reconciled": st_line.is_reconciled,
    }


@register(DOMAIN, 3, label="Undo a bank match")
def unmatch_bank_line(env, statement_line_id: int) -> dict:
    """Undo a bank statement line's reconciliation: its items open again and the line returns to suspense.

    Args:
        statement_line_id: Id of the bank statement line.
    """
    st_line = browse_own(env, "account.bank.statement.line", statement_line_id)
    if not st_line:
        raise ToolRefusal(f"no statement line {statement_line_id} in your companies")
    _liquidity, _suspense, other = st_line._seek_for_lines()
    if not other:
        raise ToolRefusal("nothing is booked on this statement line")
    items = (other.matched_debit_ids.debit_move_id | other.matched_credit_ids.credit_move_id) - other
    try:
        env["fusion.bank.reconciler"]._unmatch(st_line)
    except UserError as error:
        raise ToolRefusal(str(error)) from None
    return {
        "ok": True,
        "statement_line": _line_summary(st_line),
        "reopened_items": [_item_summary(aml) for aml in items],
    }


def _statement_links(env, arguments):
    st_line = browse_own(env, "account.bank.statement.line", arguments.get("statement_line_id") or 0)
    if not st_line:
        return {}
    links = {
        "bank_statement_line_id": st_line.id,
        "partner_id": st_line.partner_id.commercial_partner_id.id or False,
        "amount": st_line.amount,
    }
    item_ids = arguments.get("move_line_ids")
    if item_ids:
        items = env["account.move.line"].search([("id", "in", item_ids), *company_domain(env)])
        links["move_line_ids"] = [(6, 0, items.ids)]
    return links


for _name in ("match_bank_line_to_payments", "apply_reconcile_model", "unmatch_bank_line"):
    links_for(_name)(_statement_links)
