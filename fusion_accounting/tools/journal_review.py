"""Domain 5, journal review and error detection (design 3.6): seven finders, each set-based and paged."""

from collections import Counter
from datetime import date, timedelta

from odoo import fields

from ..services.duplicates import Document, entry_duplicates
from ..services.journal_rules import PL_TYPES, PURCHASE_TYPES, SALE_TYPES, normal_side, wrong_direction
from ..services.money import to_cents
from .common import company_domain, money, page, paged, ref, register

DOMAIN = "journal_review"
_SALE_MOVES = ("out_invoice", "out_refund", "out_receipt")
_PURCHASE_MOVES = ("in_invoice", "in_refund", "in_receipt")
# A reconcilable clearing account may hold open items for a while (card
# batches in transit); items older than this are stale.
_STALE_CLEARING_DAYS = 45


def _today(env, today):
    return today or fields.Date.context_today(env.user)


def _window(env, date_from, date_to, default_days=365):
    date_to = _today(env, date_to)
    return date_from or date_to - timedelta(days=default_days), date_to


def _move_row(move):
    return {
        "id": move.id,
        "name": move.name,
        "date": move.date.isoformat(),
        "journal": move.journal_id.code,
        "partner": ref(move.partner_id),
        "amount": money(move.amount_total_signed),
        "state": move.state,
    }


def _fiscal_year_start(env, day):
    return env.company.compute_fiscalyear_dates(day)["date_from"]


def wrong_direction_accounts(env, date_to):
    """``[(account, balance)]`` of the accounts whose balance at ``date_to`` sits on the wrong side, largest first.

    Balance-sheet accounts (bank suspense aside: it has its own check) are
    summed from the beginning, profit-and-loss accounts from the start of the
    fiscal year.  The audit engine reports the same list.
    """
    base = [*company_domain(env), ("parent_state", "=", "posted"), ("date", "<=", date_to)]
    AML = env["account.move.line"]
    suspense = env["account.journal"].search(company_domain(env)).suspense_account_id
    balance_sheet = AML._read_group(
        [*base, ("account_id.account_type", "not in", tuple(PL_TYPES)), ("account_id", "not in", suspense.ids)],
        ["account_id"],
        ["balance:sum"],
    )
    profit_loss = AML._read_group(
        [*base, ("account_id.account_type", "in", tuple(PL_TYPES)), ("date", ">=", _fiscal_year_start(env, date_to))],
        ["account_id"],
        ["balance:sum"],
    )
    found = [
        (account, balance)
        for account, balance in balance_sheet + profit_loss
        if wrong_direction(account.account_type, to_cents(balance), tolerance=0)
    ]
    return sorted(found, key=lambda row: (-abs(row[1]), row[0].code))


@register(DOMAIN, 1, label="Balances on the wrong side")
def find_wrong_direction_balances(env, date_to: date | None = None, limit: int = 20, offset: int = 0) -> dict:
    """Accounts whose balance sits on the side their type should not (e.g. an expense account in credit).

    Balance-sheet accounts are summed from the beginning, profit-and-loss
    accounts from the start of the fiscal year.

    Args:
        date_to: Balance as of this day (default today).
        limit: Rows per page.
        offset: Rows to skip.
    """
    limit, offset = page(limit, offset)
    date_to = _today(env, date_to)
    found = wrong_direction_accounts(env, date_to)
    rows = [
        {
            "account": {"id": account.id, "code": account.code, "name": account.name},
            "account_type": account.account_type,
            "balance": money(balance),
            "expected": "debit" if normal_side(account.account_type) > 0 else "credit",
        }
        for account, balance in found[offset : offset + limit]
    ]
    return paged(rows, len(found), limit, offset, as_of=date_to.isoformat())


def duplicate_entry_groups(env, date_from, date_to):
    """``(groups, moves by id)``: posted entries of the period sharing journal, date, partner, reference and amount.

    The rule is ``services.duplicates.entry_duplicates``: of equal entries, those that each
    settle their own documents (two equal card payments of two invoices) are genuine.  Each
    group's first id is the original, the others its copies.  Bank statement lines are left out
    (two equal deposits on one day are normal).  The audit engine reports the same groups.
    """
    moves = env["account.move"].search_fetch(
        [
            *company_domain(env),
            ("state", "=", "posted"),
            ("move_type", "=", "entry"),
            ("statement_line_id", "=", False),
            ("date", ">=", date_from),
            ("date", "<=", date_to),
        ],
        ["journal_id", "date", "partner_id", "ref", "amount_total", "line_ids", "company_id"],
    )

    # Copies share company, journal, date and total exactly: only entries sharing them with another
    # are read for what they settle, a year of entries' reconciliations being most of the cost.
    def same(move):
        return move.company_id.id, move.journal_id.id, move.date, to_cents(move.amount_total)

    shared = Counter(same(move) for move in moves)
    documents = [
        Document(
            move.id,
            move.company_id.id,
            _entry_partner(move),
            to_cents(move.amount_total),
            move.date,
            move.ref or "",
            kind=move.journal_id.id,
            settles=frozenset(_matched_moves(move).ids) if shared[same(move)] > 1 else frozenset(),
        )
        for move in moves
    ]
    return entry_duplicates(documents), {move.id: move for move in moves}


def _matched_moves(move):
    """The other entries the items of ``move`` are reconciled with."""
    partials = move.line_ids.matched_debit_ids | move.line_ids.matched_credit_ids
    return (partials.debit_move_id | partials.credit_move_id).move_id - move


@register(DOMAIN, 1, label="Duplicate entries")
def find_duplicate_entries(
    env, date_from: date | None = None, date_to: date | None = None, limit: int = 20, offset: int = 0
) -> dict:
    """Posted journal entries that look entered twice: same journal, date, partner, reference and amount.

    Bank statement lines are left out (two equal deposits on one day are normal).

    Args:
        date_from: First day (default a year before date_to).
        date_to: Last day (default today).
        limit: Groups per page.
        offset: Groups to skip.
    """
    limit, offset = page(limit, offset)
    date_from, date_to = _window(env, date_from, date_to)
    groups, by_id = duplicate_entry_groups(env, date_from, date_to)
    rows = [
        {
            "moves": [_move_row(by_id[move_id]) for move_id in group.ids],
            "amount": group.amount / 100,
            "reasons": list(group.reasons),
        }
        for group in groups[offset : offset + limit]
    ]
    return paged(rows, len(groups), limit, offset)


def _entry_partner(move):
    """The entry's partner, or the one partner all its items share; None otherwise."""
    if move.partner_id:
        return move.partner_id.id
    partners = move.line_ids.partner_id
    return partners.id if len(partners) == 1 else None


@register(DOMAIN, 1, label="Lines on unlikely accounts")
def find_wrong_account_entries(
    env, date_from: date | None = None, date_to: date | None = None, limit: int = 20, offset: int = 0
) -> dict:
    """Invoice and bill product lines booked on unlikely accounts (sales not on income, purchases on a tax account...).

    Args:
        date_from: First day (default a year before date_to).
        date_to: Last day (default today).
        limit: Rows per page.
        offset: Rows to skip.
    """
    limit, offset = page(limit, offset)
    date_from, date_to = _window(env, date_from, date_to)
    tax_accounts = env["account.tax.repartition.line"].search(company_domain(env)).account_id
    domain = [
        *company_domain(env),
        ("parent_state", "=", "posted"),
        ("display_type", "=", "product"),
        ("date", ">=", date_from),
        ("date", "<=", date_to),
        "|",
        "|",
        ("account_id", "in", tax_accounts.ids),
        "&",
        ("move_id.move_type", "in", _SALE_MOVES),
        ("account_id.account_type", "not in", tuple(SALE_TYPES)),
        "&",
        ("move_id.move_type", "in", _PURCHASE_MOVES),
        ("account_id.account_type", "not in", tuple(PURCHASE_TYPES)),
    ]
    AML = env["account.move.line"]
    total = AML.search_count(domain)
    lines = AML.search_fetch(
        domain, ["move_id", "account_id", "name", "balance"], order="date desc, id", limit=limit, offset=offset
    )
    rows = [
        {
            "line_id": line.id,
            "move": _move_row(line.move_id),
            "label": line.name,
            "account": {"id": line.account_id.id, "code": line.account_id.code, "type": line.account_id.account_type},
            "is_tax_account": line.account_id in tax_accounts,
            "balance": money(line.balance),
        }
        for line in lines
    ]
    return paged(rows, total, limit, offset)


def sequence_gap_domain(env, date_from, date_to):
    """Posted entries of the period whose number skips the one before (Odoo's ``made_sequence_gap``)."""
    return [
        *company_domain(env),
        ("state", "=", "posted"),
        ("made_sequence_gap", "=", True),
        ("date", ">=", date_from),
        ("date", "<=", date_to),
    ]


@register(DOMAIN, 1, label="Entry number gaps")
def find_sequence_gaps(
    env, date_from: date | None = None, date_to: date | None = None, limit: int = 20, offset: int = 0
) -> dict:
    """Posted entries whose number skips the one before it (Odoo's ``made_sequence_gap``).

    Args:
        date_from: First day (default a year before date_to).
        date_to: Last day (default today).
        limit: Rows per page.
        offset: Rows to skip.
    """
    limit, offset = page(limit, offset)
    date_from, date_to = _window(env, date_from, date_to)
    domain = sequence_gap_domain(env, date_from, date_to)
    Move = env["account.move"]
    total = Move.search_count(domain)
    moves = Move.search_fetch(
        domain,
        [
            "name",
            "date",
            "journal_id",
            "partner_id",
            "amount_total_signed",
            "state",
            "sequence_prefix",
            "sequence_number",
        ],
        order="date, id",
        limit=limit,
        offset=offset,
    )
    rows = [
        {**_move_row(move), "missing_before": f"{move.sequence_prefix}{move.sequence_number - 1}"} for move in moves
    ]
    return paged(rows, total, limit, offset)


def forgotten_draft_domain(env, cutoff):
    """Draft entries, invoices and bills dated on or before ``cutoff``."""
    return [*company_domain(env), ("state", "=", "draft"), ("date", "<=", cutoff)]


@register(DOMAIN, 1, label="Draft entries")
def find_draft_entries(
    env, older_than_days: int = 30, today: date | None = None, limit: int = 20, offset: int = 0
) -> dict:
    """Draft entries, invoices and bills left unposted for a while: to post or to delete.

    Args:
        older_than_days: Only drafts dated at least this many days ago.
        today: Count the age from this day (default today).
        limit: Rows per page.
        offset: Rows to skip.
    """
    limit, offset = page(limit, offset)
    cutoff = _today(env, today) - timedelta(days=max(0, older_than_days))
    domain = forgotten_draft_domain(env, cutoff)
    Move = env["account.move"]
    [(count, amount)] = Move._read_group(domain, aggregates=["__count", "amount_total_signed:sum"])
    moves = Move.search_fetch(
        domain,
        ["name", "date", "journal_id", "partner_id", "amount_total_signed", "state", "move_type", "ref"],
        order="date, id",
        limit=limit,
        offset=offset,
    )
    rows = [{**_move_row(move), "move_type": move.move_type, "ref": move.ref} for move in moves]
    return paged(rows, count, limit, offset, total_amount=money(amount), cutoff=cutoff.isoformat())


def unexplained_balances(env, date_to):
    """``[(account, amount, kind)]``: suspense and clearing balances nothing explains at ``date_to``, largest first.

    ``kind`` is ``bank suspense`` or ``clearing``; see :func:`find_unreconciled_suspense` for what counts.  The
    audit engine reports the same list.
    """
    journals = env["account.journal"].search(company_domain(env))
    suspense = journals.suspense_account_id
    Roles = env["fusion.account.roles"]
    clearing = Roles._accounts(env.companies, "clearing") | Roles._accounts(env.companies, "card_clearing")
    clearing |= env.companies.transfer_account_id
    clearing |= env["account.account"].search(
        [*company_domain(env, "company_ids"), "|", ("name", "=ilike", "%clearing%"), ("name", "=ilike", "%suspense%")]
    )
    clearing -= suspense
    AML = env["account.move.line"]
    base = [*company_domain(env), ("parent_state", "=", "posted"), ("date", "<=", date_to)]
    stale = date_to - timedelta(days=_STALE_CLEARING_DAYS)
    groups = AML._read_group(
        [*base, ("account_id", "in", suspense.ids), ("statement_line_id", "=", False)], ["account_id"], ["balance:sum"]
    )
    groups += AML._read_group(
        [*base, ("account_id", "in", clearing.filtered(lambda a: not a.reconcile).ids)], ["account_id"], ["balance:sum"]
    )
    groups += AML._read_group(
        [
            *base,
            ("account_id", "in", clearing.filtered("reconcile").ids),
            ("reconciled", "=", False),
            ("date", "<", stale),
        ],
        ["account_id"],
        ["amount_residual:sum"],
    )
    found = (
        (account, amount, "bank suspense" if account in suspense else "clearing")
        for account, amount in groups
        if to_cents(amount)
    )
    return sorted(found, key=lambda row: (-abs(row[1]), row[0].code))


@register(DOMAIN, 1, label="Unexplained suspense balances")
def find_unreconciled_suspense(env, date_to: date | None = None, limit: int = 20, offset: int = 0) -> dict:
    """Suspense and clearing accounts holding a balance nothing explains.

    A bank suspense account's balance from statement lines still to reconcile
    is expected; anything else booked there is not.  A clearing account that
    is not reconcilable should be back to zero; a reconcilable one may hold
    open items for a while, and only items older than 45 days count.

    Args:
        date_to: Balance as of this day (default today).
        limit: Rows per page.
        offset: Rows to skip.
    """
    limit, offset = page(limit, offset)
    date_to = _today(env, date_to)
    found = unexplained_balances(env, date_to)
    rows = [
        {
            "account": {"id": account.id, "code": account.code, "name": account.name},
            "kind": kind,
            "unexplained_balance": money(amount),
        }
        for account, amount, kind in found[offset : offset + limit]
    ]
    return paged(rows, len(found), limit, offset, as_of=date_to.isoformat())


def reconciliation_problems(env):
    """``[(partial id, problem, item id, other item id)]``: reconciliations of the user's companies that do not add up.

    ``problem`` is one of: accounts differ, companies differ, reconciled but
    open, fully reconciled but not settled (the last two name one item and
    no partial).  The audit engine reports the same list.
    """
    env["account.move.line"].flush_model()
    env["account.partial.reconcile"].flush_model()
    env.cr.execute(
        """
        SELECT p.id, 'accounts differ' AS problem, d.id, c.id
          FROM account_partial_reconcile p
          JOIN account_move_line d ON d.id = p.debit_move_id
          JOIN account_move_line c ON c.id = p.credit_move_id
         WHERE (d.company_id = ANY(%(companies)s) OR c.company_id = ANY(%(companies)s))
           AND d.account_id != c.account_id
        UNION ALL
        SELECT p.id, 'companies differ', d.id, c.id
          FROM account_partial_reconcile p
          JOIN account_move_line d ON d.id = p.debit_move_id
          JOIN account_move_line c ON c.id = p.credit_move_id
         WHERE (d.company_id = ANY(%(companies)s) OR c.company_id = ANY(%(companies)s))
           AND d.company_id != c.company_id
        UNION ALL
        SELECT NULL, 'reconciled but open', l.id, NULL
          FROM account_move_line l
         WHERE l.company_id = ANY(%(companies)s)
           AND l.reconciled AND ROUND(l.amount_residual, 2) != 0
        UNION ALL
        SELECT NULL, 'fully reconciled but not settled', l.id, NULL
          FROM account_move_line l
         WHERE l.company_id = ANY(%(companies)s)
           AND l.full_reconcile_id IS NOT NULL AND NOT l.reconciled
         ORDER BY 3
        """,
        {"companies": env.companies.ids},
    )
    return env.cr.fetchall()


@register(DOMAIN, 1, label="Reconciliations that do not add up")
def verify_reconciliation_integrity(env, limit: int = 20, offset: int = 0) -> dict:
    """Reconciliations that do not add up: partials across accounts or companies, or full reconciliations left open.

    Checks every ``account.partial.reconcile`` of the user's companies: both
    items on one account and one company, and items flagged reconciled with
    nothing left to pay; a full reconciliation's items must all be settled.

    Args:
        limit: Rows per page.
        offset: Rows to skip.
    """
    limit, offset = page(limit, offset)
    problems = reconciliation_problems(env)
    shown = problems[offset : offset + limit]
    # Only items of the user's companies are described; record rules hide the others.
    visible = env["account.move.line"].search(
        [("id", "in", [item for row in shown for item in row[2:] if item]), *company_domain(env)]
    )
    by_id = {aml.id: aml for aml in visible}
    rows = []
    for partial_id, problem, first_id, second_id in shown:
        items = [by_id[item_id] for item_id in (first_id, second_id) if item_id in by_id]
        rows.append(
            {
                "partial_reconcile_id": partial_id,
                "problem": problem,
                "items": [{"id": aml.id, "move": aml.move_id.name, "account": aml.account_id.code} for aml in items],
            }
        )
    return paged(rows, len(problems), limit, offset)
