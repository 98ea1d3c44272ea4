"""Domain 6, month-end and year-end close (design 3.7).

The checklist gathers the other domains' checks for the closing period; lock
dates are the company's own (``fiscalyear_lock_date``, ``hard_lock_date``)
and the hash check is ``res.company``'s own method, through the audit engine.
"""

from datetime import date, timedelta

from .audit import check_hash_chain
from .close_adjustments import close_rows
from .common import page, ref, register

DOMAIN = "month_end"


def _company_domain(env):
    return [("company_id", "in", env.companies.ids)]


def _lock_dates(env):
    return [
        {
            "company": company.name,
            "fiscalyear_lock_date": company.fiscalyear_lock_date and company.fiscalyear_lock_date.isoformat(),
            "hard_lock_date": company.hard_lock_date and company.hard_lock_date.isoformat(),
            "tax_lock_date": company.tax_lock_date and company.tax_lock_date.isoformat(),
        }
        for company in env.companies
    ]


def _unreconciled_bank_lines(env, date_to):
    return env["account.bank.statement.line"].search_count(
        [*_company_domain(env), ("is_reconciled", "=", False), ("date", "<=", date_to)]
    )


def _substance_checks(rows):
    """One checklist item per kind of open close finding, each finding with its adjustment's proposal.

    A substantive finding (an adjustment the close proposes) keeps the period from being ready to lock
    until its adjusting entry is posted; a finding to review only is listed without blocking.
    """
    by_kind = {}
    for row in rows:
        by_kind.setdefault(row["kind"], []).append(row)
    return [
        {
            "check": f"close_{kind}",
            "count": len(found),
            "status": "attention" if any(row["substantive"] for row in found) else "review",
            "action": "Post the proposed adjusting entries (post_adjusting_entry) or explain them.",
            "findings": [
                {
                    "key": row["key"],
                    "memo": row["memo"],
                    "amount": round(sum(line["debit"] for line in row["lines"]), 2),
                    "confidence": row["confidence"],
                    "proposal": row["proposal"],
                }
                for row in found
            ],
        }
        for kind, found in sorted(by_kind.items())
    ]


def open_substantive_count(env, date_from, date_to):
    """How many substantive close findings are open for the period (the Month-End card counts them)."""
    return sum(row["substantive"] for row in close_rows(env, date_from, date_to))


@register(DOMAIN, 1, label="Close checklist")
def get_close_checklist(env, date_from: date, date_to: date) -> dict:
    """Close checklist for a period: drafts, unreconciled bank lines, locked-period entries, sequence gaps,
    uncleared suspense accounts, trial balance, what is missing from the books (the adjustments of
    find_close_adjustments, each with its proposal), and whether the period is locked.

    Args:
        date_from: First day of the closing period.
        date_to: Last day of the closing period.
    """
    engine = env["fusion.audit.engine"]
    drafts = env["account.move"].search_count(
        [*_company_domain(env), ("state", "=", "draft"), ("date", ">=", date_from), ("date", "<=", date_to)]
    )
    findings = engine.run_all(date_from, date_to, checks=("entries", "balances", "sequence"))
    count = {}
    for finding in findings:
        count[finding["kind"]] = count.get(finding["kind"], 0) + 1
    trial = env["fusion.statement.engine"].trial_balance(date_to)
    locked = all(
        max(filter(None, (c.fiscalyear_lock_date, c.hard_lock_date)), default=date_from - timedelta(days=1)) >= date_to
        for c in env.companies
    )
    items = [
        ("draft_entries", drafts, "Post or delete the draft entries of the period."),
        ("unreconciled_bank_lines", _unreconciled_bank_lines(env, date_to), "Reconcile the bank lines up to the end."),
        (
            "entries_in_locked_period",
            count.get("entry_in_locked_period", 0) + count.get("draft_in_locked_period", 0),
            "Review entries dated in a locked period.",
        ),
        ("sequence_gaps", count.get("sequence_gap", 0), "Explain or fix the missing numbers."),
        ("suspense_balances", count.get("suspense_balance", 0), "Clear suspense and clearing accounts."),
        ("wrong_direction_balances", count.get("wrong_direction_balance", 0), "Reclassify misbooked amounts."),
        ("duplicates", count.get("duplicate_entry", 0) + count.get("duplicate_bill", 0), "Reverse the copies."),
        ("trial_balance_difference", 0 if trial.balanced else 1, "Debits and credits must agree."),
    ]
    checklist = [
        {"check": name, "count": value, "status": "ok" if not value else "attention", "action": action if value else ""}
        for name, value, action in items
    ]
    checklist += _substance_checks(close_rows(env, date_from, date_to))
    return {
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "ready_to_lock": all(item["status"] != "attention" for item in checklist),
        "locked": locked,
        "lock_dates": _lock_dates(env),
        "checklist": checklist,
    }


@register(DOMAIN, 1, label="Unreconciled items per account")
def get_unreconciled_counts(env, date_to: date, limit: int = 30) -> dict:
    """Per account, how many posted items are unreconciled at a date and their open amount; bank lines per journal.

    Args:
        date_to: Count items dated on or before this day.
        limit: At most this many accounts.
    """
    limit, _offset = page(limit, 0)
    groups = env["account.move.line"]._read_group(
        [
            *_company_domain(env),
            ("parent_state", "=", "posted"),
            ("date", "<=", date_to),
            ("account_id.reconcile", "=", True),
            ("reconciled", "=", False),
            ("amount_residual", "!=", 0),
        ],
        ["account_id"],
        ["__count", "amount_residual:sum"],
        order="__count desc",
    )
    bank = env["account.bank.statement.line"]._read_group(
        [*_company_domain(env), ("is_reconciled", "=", False), ("date", "<=", date_to)],
        ["journal_id"],
        ["__count", "amount:sum"],
    )
    return {
        "date_to": date_to.isoformat(),
        "accounts": [
            {"account": ref(account), "code": account.code, "count": count, "open_amount": round(amount, 2)}
            for account, count, amount in groups[:limit]
        ],
        "truncated": len(groups) > limit,
        "bank_journals": [
            {"journal": ref(journal), "count": count, "amount": round(amount, 2)} for journal, count, amount in bank
        ],
    }


@register(DOMAIN, 1, label="Entries in a locked period")
def find_entries_in_locked_period(env, limit: int = 30) -> dict:
    """Entries dated on or before the company's lock date that were created after it, and drafts stuck there.

    Args:
        limit: At most this many entries.
    """
    limit, _offset = page(limit, 0)
    engine = env["fusion.audit.engine"]
    findings = []
    for company in env.companies:
        lock = engine._lock_date(company)
        if not lock:
            continue
        moves = env["account.move"].search(
            [
                ("company_id", "=", company.id),
                ("date", "<=", lock),
                "|",
                ("state", "=", "draft"),
                ("create_date", ">", lock + timedelta(days=1)),
            ],
            order="date desc, id desc",
        )
        findings += engine._locked_period(
            moves.filtered(lambda m: m.state == "posted"), moves.filtered(lambda m: m.state == "draft")
        )
    return {
        "lock_dates": _lock_dates(env),
        "count": len(findings),
        "entries": findings[:limit],
        "truncated": len(findings) > limit,
    }


@register(DOMAIN, 1, label="Accrual balances")
def get_accrual_status(env, date_to: date) -> dict:
    """Balances of accrual accounts (vacation, sick pay, accrued liabilities) at a date and their movement
    over the last month; accounts are each company's Accrual Accounts in the settings, else found by name.

    Args:
        date_to: Balances at this date.
    """
    accounts = env["fusion.account.roles"]._accrual_accounts(env.companies)
    if not accounts:
        return {"accounts": [], "note": "No accrual account configured or found by name."}
    month_start = date_to.replace(day=1)
    base = [*_company_domain(env), ("parent_state", "=", "posted"), ("account_id", "in", accounts.ids)]
    closing = dict(
        env["account.move.line"]._read_group([*base, ("date", "<=", date_to)], ["account_id"], ["balance:sum"])
    )
    movement = dict(
        env["account.move.line"]._read_group(
            [*base, ("date", ">=", month_start), ("date", "<=", date_to)], ["account_id"], ["balance:sum"]
        )
    )
    return {
        "date_to": date_to.isoformat(),
        "accounts": [
            {
                "account": ref(account),
                "code": account.code,
                # Liabilities: a credit balance is what is owed, shown positive.
                "accrued": round(-closing.get(account, 0.0), 2),
                "change_this_month": round(-movement.get(account, 0.0), 2),
                "stale": not movement.get(account),
            }
            for account in accounts
        ],
    }


@register(DOMAIN, 1, label="Hash integrity check")
def run_hash_integrity_check(env) -> dict:
    """Verify the journals' inalterability hash chains with the company's own integrity check."""
    return check_hash_chain.function(env)


@register(DOMAIN, 1, label="Period summary")
def get_period_summary(env, date_from: date, date_to: date, limit: int = 100) -> dict:
    """Trial balance of the closing period's movements, with the period's net income.

    Args:
        date_from: First day of the period.
        date_to: Last day of the period.
        limit: At most this many accounts listed (totals cover all).
    """
    limit, _offset = page(limit, 0)
    engine = env["fusion.statement.engine"]
    trial = engine.trial_balance(date_to, date_from)
    net_income = engine.profit_and_loss(date_from, date_to).totals["net_income"]
    return {
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "rows": [
            {"code": r.code, "name": r.name, "debit": float(r.debit), "credit": float(r.credit)}
            for r in trial.rows[:limit]
        ],
        "truncated": len(trial.rows) > limit,
        "total_debit": float(trial.total_debit),
        "total_credit": float(trial.total_credit),
        "balanced": trial.balanced,
        "net_income": float(net_income),
    }
