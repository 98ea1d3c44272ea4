"""Domain 11, audit and integrity (design 3.12): checks, flags, review statuses, audit trail and report.

The checks live in ``fusion.audit.engine`` (set-based, period-bounded); these
tools choose which to run and bound what goes back to the model.  Writes are
tier 2 annotations only: a chatter note (``flag_entry``) or a review status.
"""

from collections import Counter
from datetime import date, timedelta
from typing import Literal

from odoo import fields
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from ..models.fusion_audit_status import AUDIT_STATUSES
from ..services.audit_ranking import SEVERITIES, finding_score
from .common import ToolRefusal, browse_own, page, ref, register

DOMAIN = "audit"
ENTERPRISE_STATUS_MODEL = "account.audit.account.status"
AUDIT_REPORT = "fusion_accounting.action_report_audit"
_SEVERITY_ORDER = {severity: index for index, severity in enumerate(SEVERITIES)}


def _engine(env):
    return env["fusion.audit.engine"]


def _period(env, date_from, date_to):
    date_to = date_to or fields.Date.context_today(env.user)
    return date_from or date_to - timedelta(days=365), date_to


def _ranked(findings):
    return sorted(
        findings, key=lambda f: (_SEVERITY_ORDER.get(f["severity"], 9), -finding_score(f["severity"], f["amount"]))
    )


def _summary(findings, limit):
    ranked = _ranked(findings)
    return {
        "count": len(findings),
        "by_severity": dict(Counter(f["severity"] for f in findings)),
        "by_kind": dict(Counter(f["kind"] for f in findings)),
        "findings": ranked[:limit],
        "truncated": len(ranked) > limit,
    }


def _run(env, checks, date_from, date_to, limit):
    date_from, date_to = _period(env, date_from, date_to)
    limit, _offset = page(limit, 0)
    findings = _engine(env).run_all(date_from, date_to, checks=checks)
    return {
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        **_summary(findings, limit),
        "rule_instructions": _engine(env).rule_instructions(),
    }


@register(DOMAIN, 1, label="Audit a posted entry")
def audit_posted_entry(env, move_id: int) -> dict:
    """Run the audit rules and every entry-level check (duplicates, locked period, tax, reconciliation, sequence,
    ADP split) on one entry; audit rules written as instructions come back in ``rule_instructions``.

    Args:
        move_id: The journal entry (account.move) id.
    """
    move = browse_own(env, "account.move", move_id)
    if not move:
        raise ToolRefusal(f"no journal entry {move_id} in your companies")
    findings = _engine(env).run_all(
        move.date, move.date, checks=("rules", "entries", "tax", "reconciliation", "sequence", "adp"), move_ids=move.ids
    )
    return {
        "move": ref(move),
        "state": move.state,
        "clean": not findings,
        **_summary(findings, 50),
        "rule_instructions": _engine(env).rule_instructions(),
    }


@register(DOMAIN, 1, label="Audit account balances")
def audit_account_balances(env, date_to: date, limit: int = 30) -> dict:
    """Account-level checks: balances on the wrong side for their type, clearing or suspense accounts not cleared.

    Income and expense accounts count from the start of the fiscal year, the others from the beginning.

    Args:
        date_to: Balances at this date.
        limit: At most this many findings.
    """
    return _run(env, ("balances",), None, date_to, limit)


@register(DOMAIN, 1, label="Audit tax compliance")
def audit_tax_compliance(env, date_from: date, date_to: date, limit: int = 30) -> dict:
    """Tax checks: sales lines without any tax, vendor bills without the HST their vendor usually charges.

    Args:
        date_from: First day of the period.
        date_to: Last day of the period.
        limit: At most this many findings.
    """
    return _run(env, ("tax",), date_from, date_to, limit)


@register(DOMAIN, 1, label="Audit reconciliations")
def audit_reconciliation_integrity(env, date_from: date, date_to: date, limit: int = 30) -> dict:
    """Check partial and full reconciliations: same account on both sides, full reconciliations summing to zero.

    Args:
        date_from: First day of the period (reconciliation date).
        date_to: Last day of the period.
        limit: At most this many findings.
    """
    return _run(env, ("reconciliation",), date_from, date_to, limit)


@register(DOMAIN, 1, label="Check the hash chain")
def check_hash_chain(env) -> dict:
    """Verify the inalterability hash chain of every journal with Odoo's own check (res.company)."""
    try:
        report = _engine(env).hash_integrity()
    except UserError as error:  # Odoo's check is for accountants (account.group_account_user) only
        raise ToolRefusal(str(error)) from None
    journals = [
        {key: result.get(key) for key in ("journal_name", "status", "msg_cover", "first_move_name", "last_move_name")}
        for company in report
        for result in company["results"]
    ]
    statuses = Counter(j["status"] for j in journals)
    return {"ok": not statuses.get("corrupted"), "by_status": dict(statuses), "journals": journals[:50]}


@register(DOMAIN, 1, label="Sequence gaps since the lock date")
def check_sequence_gaps(env, date_from: date, date_to: date, limit: int = 30) -> dict:
    """Posted entries whose previous number is missing, and journals with holes since their lock date.

    Args:
        date_from: First day of the period.
        date_to: Last day of the period.
        limit: At most this many entries.
    """
    result = _run(env, ("sequence",), date_from, date_to, limit)
    journals = env["account.journal"].search([("company_id", "in", env.companies.ids)])
    holes = journals._query_has_sequence_holes() if journals else []
    result["journals_with_holes"] = [
        {"journal": ref(env["account.journal"].browse(journal_id)), "prefix": prefix} for journal_id, prefix in holes
    ]
    return result


@register(DOMAIN, 2, label="Flag an entry")
def flag_entry(
    env,
    move_id: int,
    reason: str,
    recommendation: str,
    severity: Literal["critical", "high", "medium", "low"] = "medium",
) -> dict:
    """Flag a journal entry: a note in its chatter with the reason and the recommendation, and an open audit finding.

    Args:
        move_id: The journal entry (account.move) id.
        reason: What is wrong, in one or two sentences.
        recommendation: What the accountant should do about it.
        severity: How serious it is.
    """
    move = browse_own(env, "account.move", move_id)
    if not move:
        raise ToolRefusal(f"no journal entry {move_id} in your companies")
    body = env._(
        "AI audit flag (%(severity)s): %(reason)s Recommendation: %(recommendation)s",
        severity=severity,
        reason=reason,
        recommendation=recommendation,
    )
    message = move.message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_note")
    finding = {
        "kind": "flagged_entry",
        "severity": severity,
        "name": env._("Flagged: %(move)s", move=move.display_name),
        "message": reason,
        "recommendation": recommendation,
        "res_model": "account.move",
        "res_id": move.id,
        "account_id": None,
        "amount": move.amount_total,
    }
    Finding = env["fusion.accounting.audit.finding"]
    fingerprint = Finding._fingerprint(finding)
    existing = Finding.search(
        [("company_id", "=", move.company_id.id), ("fingerprint", "=", fingerprint), ("state", "=", "open")], limit=1
    )
    values = {k: v for k, v in finding.items() if k != "account_id"} | {
        "score": finding_score(severity, move.amount_total),
        "last_seen": fields.Date.context_today(env.user),
    }
    if existing:
        existing.write(values)
        stored = existing
    else:
        stored = Finding.create({**values, "company_id": move.company_id.id, "fingerprint": fingerprint})
    return {"ok": True, "move": ref(move), "message_id": message.id, "finding_id": stored.id}


def _enterprise_statuses(env, date_from, date_to):
    Status = env[ENTERPRISE_STATUS_MODEL]
    records = Status.search(
        [
            ("audit_id.company_id", "in", env.companies.ids),
            ("audit_id.date_from", "<=", date_to),
            ("audit_id.date_to", ">=", date_from),
        ],
        limit=500,
    )
    return [
        {
            "account": ref(r.account_id),
            "status": r.status,
            "period": [str(r.audit_id.date_from), str(r.audit_id.date_to)],
            "source": ENTERPRISE_STATUS_MODEL,
        }
        for r in records
    ]


@register(DOMAIN, 1, label="Account review status")
def get_audit_status(env, date_from: date, date_to: date) -> dict:
    """Review status of accounts for a period (to review, reviewed, supervised, anomaly), with counts.

    Uses Enterprise's account audit statuses when installed, else Fusion's own.

    Args:
        date_from: First day of the period.
        date_to: Last day of the period.
    """
    if ENTERPRISE_STATUS_MODEL in env:
        rows = _enterprise_statuses(env, date_from, date_to)
    else:
        records = env["fusion.accounting.audit.status"].search(
            [("company_id", "in", env.companies.ids), ("date_from", "<=", date_to), ("date_to", ">=", date_from)],
            limit=500,
        )
        rows = [
            {
                "account": ref(r.account_id),
                "status": r.status,
                "period": [str(r.date_from), str(r.date_to)],
                "note": r.note or "",
                "source": r._name,
            }
            for r in records
        ]
    return {"by_status": dict(Counter(r["status"] for r in rows)), "accounts": rows}


@register(DOMAIN, 2, label="Set an account's review status")
def set_audit_status(
    env,
    *,
    account_id: int,
    date_from: date,
    date_to: date,
    status: Literal["todo", "reviewed", "supervised", "anomaly"],
    note: str = "",
) -> dict:
    """Set the review status of an account for a period (Fusion's own status record).

    Args:
        account_id: The account (account.account) id.
        date_from: First day of the reviewed period.
        date_to: Last day of the reviewed period.
        status: The new review status.
        note: Why, for the next reviewer.
    """
    if status not in dict(AUDIT_STATUSES):
        raise ToolRefusal(f"unknown status {status!r}")
    if date_from > date_to:
        raise ToolRefusal("date_from must be on or before date_to")
    account = env["account.account"].search(
        [("id", "=", account_id), ("company_ids", "in", env.companies.ids)], limit=1
    )
    if not account:
        raise ToolRefusal(f"no account {account_id} in your companies")
    Status = env["fusion.accounting.audit.status"]
    company = env.company
    record = Status.search(
        [
            ("company_id", "=", company.id),
            ("account_id", "=", account.id),
            ("date_from", "=", date_from),
            ("date_to", "=", date_to),
        ],
        limit=1,
    )
    values = {"status": status, "note": note}
    if record:
        record.write(values)
    else:
        record = Status.create(
            {**values, "company_id": company.id, "account_id": account.id, "date_from": date_from, "date_to": date_to}
        )
    return {"ok": True, "id": record.id, "account": ref(account), "status": status}


@register(DOMAIN, 1, label="Audit trail of an entry")
def get_audit_trail(env, move_id: int, limit: int = 30) -> dict:
    """Who did what to a journal entry: its chatter messages and tracked field changes, newest first.

    Args:
        move_id: The journal entry (account.move) id.
        limit: At most this many messages.
    """
    move = browse_own(env, "account.move", move_id)
    if not move:
        raise ToolRefusal(f"no journal entry {move_id} in your companies")
    limit, _offset = page(limit, 0)
    messages = env["mail.message"].search(
        [("model", "=", "account.move"), ("res_id", "=", move.id)], order="date desc, id desc", limit=limit
    )
    trail = []
    for message in messages:
        changes = [
            {
                "field": value.field_id.field_description,
                "old": value._format_display_value(value.field_id.ttype, new=False)[0],
                "new": value._format_display_value(value.field_id.ttype, new=True)[0],
            }
            # Tracking values are readable only through their message; the message itself passed the access check.
            for value in message.sudo().tracking_value_ids._filter_has_field_access(env)
        ]
        trail.append(
            {
                "date": message.date.isoformat(sep=" "),
                "author": message.author_id.display_name or "",
                "type": message.message_type,
                "subtype": message.subtype_id.name or "",
                "body": html2plaintext(message.body or "")[:500],
                "changes": changes,
            }
        )
    return {
        "move": ref(move),
        "created": {"on": move.create_date.isoformat(sep=" "), "by": move.create_uid.display_name},
        "last_written": {"on": move.write_date.isoformat(sep=" "), "by": move.write_uid.display_name},
        "messages": trail,
    }


@register(DOMAIN, 1, label="Full audit")
def run_full_audit(env, date_from: date | None = None, date_to: date | None = None, limit: int = 30) -> dict:
    """Run the audit rules, then every audit check, over a period: findings most severe first, counts by kind.

    Audit rules written as instructions (no code) come back in ``rule_instructions``: apply them to the findings.

    Args:
        date_from: First day of the period (default: one year before date_to).
        date_to: Last day of the period (default: today).
        limit: At most this many findings in the answer (counts cover all).
    """
    return _run(env, None, date_from, date_to, limit)


@register(DOMAIN, 1, label="Audit report")
def get_audit_report(env, limit: int = 30) -> dict:
    """Summary of the open audit findings (from the periodic audit and flags) with severity ratings and a PDF link.

    Args:
        limit: At most this many findings listed (counts cover all).
    """
    limit, _offset = page(limit, 0)
    Finding = env["fusion.accounting.audit.finding"]
    domain = [("company_id", "in", env.companies.ids), ("state", "=", "open")]
    total = Finding.search_count(domain)
    by_severity = dict(Finding._read_group(domain, ["severity"], ["__count"]))
    by_kind = dict(Finding._read_group(domain, ["kind"], ["__count"]))
    top = Finding.search(domain, order="score desc, id desc", limit=limit)
    return {
        "count": total,
        "by_severity": by_severity,
        "by_kind": by_kind,
        "findings": [
            {
                "id": f.id,
                "kind": f.kind,
                "severity": f.severity,
                "name": f.name,
                "message": f.message,
                "recommendation": f.recommendation,
                "record": {"model": f.res_model, "id": f.res_id} if f.res_model else None,
                "score": f.score,
            }
            for f in top
        ],
        "pdf_url": f"/report/pdf/fusion_accounting.report_audit/{env.company.id}",
    }
