"""Follow-up tools for the co-pilot, registered in the platform's tool registry.

Tiers: reads are 1; drafting a text, sending what the schedule says is due, recording a
promise to pay or a dispute and resolving a dispute,
and pausing are 2 (logged, no financial data changes); sending outside the
schedule (forced or escalated) is 3 and becomes a proposal a Manager approves.
Every tool goes through ``fusion.followup.engine``, which checks the rights.
"""

from dataclasses import asdict
from datetime import date
from typing import Literal

from odoo.addons.fusion_accounting_core.services.tools import REGISTRY, tool

READERS = ("fusion_accounting_core.group_fusion_user",)
WRITERS = ("fusion_accounting_core.group_fusion_manager",)


def _run(run):
    return {
        "run_id": run.id,
        "state": run.state,
        "level": run.level_id.name or "",
        "error": run.error or "",
        "skip_reason": run.skip_reason or "",
        "text_source": run.text_source or "",
    }


@tool(domain="followup", tier=1, groups=READERS, registry=REGISTRY, label="Overdue customers")
def followup_list_overdue(env, offset: int = 0, limit: int = 20, search: str = "") -> dict:
    """List customers with an overdue balance, largest overdue first, with aging buckets.

    Args:
        offset: How many customers to skip (paging).
        limit: How many customers to return (at most 500).
        search: Part of the customer name to filter on.
    """
    return env["fusion.followup.engine"].list_overdue(offset=offset, limit=limit, search=search or None)


@tool(domain="followup", tier=1, groups=READERS, registry=REGISTRY, label="Customer follow-up status")
def followup_get_partner(env, partner_id: int) -> dict:
    """Open items, aging, due follow-up level and payment risk (with its drivers) of one customer.

    Args:
        partner_id: The customer (res.partner id).
    """
    engine = env["fusion.followup.engine"]
    decision = engine.compute_followup_level(partner_id)
    risk = engine.get_partner_risk(partner_id)
    return {
        **engine.get_overdue_for_partner(partner_id).to_dict(),
        "due_level": decision.level.name if decision.level else "",
        "needs_action": decision.needs_action,
        "risk": {"score": risk.score, "band": risk.band, "drivers": [asdict(d) for d in risk.drivers]},
    }


@tool(domain="followup", tier=1, groups=READERS, registry=REGISTRY, label="Follow-up history")
def followup_history(env, partner_id: int, limit: int = 20) -> list:
    """The latest follow-up runs of a customer, newest first.

    Args:
        partner_id: The customer (res.partner id).
        limit: How many runs to return.
    """
    return env["fusion.followup.engine"].snapshot_followup_history(partner_id, limit=limit)


@tool(domain="followup", tier=2, groups=WRITERS, registry=REGISTRY, label="Draft a follow-up e-mail")
def followup_draft_text(env, partner_id: int) -> dict:
    """Draft the follow-up email a customer is due, without sending it; says whether AI or a template wrote it.

    Args:
        partner_id: The customer (res.partner id).
    """
    return env["fusion.followup.engine"].generate_followup_text(partner_id)


@tool(domain="followup", tier=2, groups=WRITERS, registry=REGISTRY, label="Send the due follow-up")
def followup_send_due(env, partner_id: int) -> dict:
    """Send the follow-up a customer is due by the schedule (nothing is sent when none is due or it is paused).

    Args:
        partner_id: The customer (res.partner id).
    """
    return _run(env["fusion.followup.engine"].send_followup_email(partner_id))


@tool(domain="followup", tier=2, groups=WRITERS, registry=REGISTRY, label="Pause follow-ups")
def followup_pause(env, partner_id: int, until_date: date | None = None) -> dict:
    """Pause follow-ups for a customer, e.g. while a payment plan is agreed.

    Args:
        partner_id: The customer (res.partner id).
        until_date: Last day of the pause; none pauses until resumed.
    """
    return env["fusion.followup.engine"].pause_followup(partner_id, until_date=until_date)


@tool(domain="followup", tier=3, groups=WRITERS, registry=REGISTRY, label="Send follow-up now")
def followup_send_now(env, partner_id: int, level_id: int | None = None) -> dict:
    """Send a follow-up now, outside the schedule (ignores a pause and levels already sent).

    Args:
        partner_id: The customer (res.partner id).
        level_id: The level to send; none sends the level the customer is due.
    """
    return _run(env["fusion.followup.engine"].send_followup_email(partner_id, level=level_id, force=True))


@tool(domain="followup", tier=3, groups=WRITERS, registry=REGISTRY, label="Escalate follow-up")
def followup_escalate(env, partner_id: int) -> dict:
    """Send the next follow-up level above the last one sent to a customer, now.

    Args:
        partner_id: The customer (res.partner id).
    """
    return _run(env["fusion.followup.engine"].escalate_to_next_level(partner_id))


@tool(domain="followup", tier=1, groups=READERS, registry=REGISTRY, label="Promises and disputes")
def followup_list_promises_disputes(
    env,
    partner_id: int | None = None,
    state: Literal["open", "kept", "broken", "resolved", "all"] = "open",
    limit: int = 50,
) -> dict:
    """List promises to pay and disputed invoices, newest first.

    Args:
        partner_id: Only this customer (res.partner id); none lists the whole company.
        state: open (default), kept, broken, resolved, or all.
        limit: How many of each to return (at most 200).
    """
    return env["fusion.followup.engine"].list_collections(partner=partner_id, state=state, limit=limit)


@tool(domain="followup", tier=2, groups=WRITERS, registry=REGISTRY, label="Record a promise to pay")
def followup_record_promise(
    env,
    *,
    partner_id: int,
    promised_date: date,
    amount: float | None = None,
    invoice_ids: list[int] | None = None,
    message_id: int | None = None,
    quote: str = "",
) -> dict:
    """Record a customer's promise to pay: follow-ups wait until the promised date, then the daily check
    marks it kept (paid) or broken (escalates one level).

    Args:
        partner_id: The customer (res.partner id).
        promised_date: The day the customer promised to pay by (today or later).
        amount: The amount promised; none means what the invoices (or the whole balance) still owe.
        invoice_ids: The customer invoices (account.move ids) the promise covers; none covers the open balance.
        message_id: The customer's e-mail (mail.message id on the customer) the promise comes from.
        quote: The customer's sentence that makes the promise.
    """
    return env["fusion.followup.engine"].record_promise(
        partner_id, promised_date, amount=amount, invoice_ids=invoice_ids, message_id=message_id, quote=quote
    )


@tool(domain="followup", tier=2, groups=WRITERS, registry=REGISTRY, label="Record a dispute")
def followup_record_dispute(
    env, *, invoice_id: int, reason: str, owner_id: int | None = None, message_id: int | None = None, quote: str = ""
) -> dict:
    """Record that a customer disputes an invoice: it leaves the follow-ups and their amounts until resolved.

    Args:
        invoice_id: The disputed customer invoice (account.move id).
        reason: What the customer disputes, in one or two sentences.
        owner_id: The user who works the dispute out (res.users id); none is the current user.
        message_id: The customer's e-mail (mail.message id on the customer) the dispute comes from.
        quote: The customer's sentence that raises the dispute.
    """
    return env["fusion.followup.engine"].record_dispute(
        invoice_id, reason, owner_id=owner_id, message_id=message_id, quote=quote
    )


@tool(domain="followup", tier=2, groups=WRITERS, registry=REGISTRY, label="Resolve a dispute")
def followup_resolve_dispute(env, dispute_id: int, resolution: str = "") -> dict:
    """Resolve an open dispute: its invoice is chased again from the next daily scan.

    Args:
        dispute_id: The dispute (fusion.followup.dispute id).
        resolution: How it was settled (e.g. credit note issued, customer agreed).
    """
    return env["fusion.followup.engine"].resolve_dispute(dispute_id, resolution=resolution)


@tool(domain="followup", tier=1, groups=READERS, registry=REGISTRY, label="Promises and disputes in replies")
def followup_reply_proposals(env, partner_id: int, limit: int = 20) -> list:
    """Promises to pay and disputes found in a customer's recent e-mails (not yet recorded or rejected), each with
    the quoted sentence and the e-mail's id; record the right ones with followup_record_promise/_dispute.

    Args:
        partner_id: The customer (res.partner id).
        limit: How many of its latest e-mails to read (at most 200).
    """
    return env["fusion.followup.engine"].reply_proposals(partner_id, limit=limit)
