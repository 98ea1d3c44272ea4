"""Follow-up tools for the co-pilot, registered in the platform's tool registry.

Tiers: reads are 1; drafting a text, sending what the schedule says is due,
and pausing are 2 (logged, no financial data changes); sending outside the
schedule (forced or escalated) is 3 and becomes a proposal a Manager approves.
Every tool goes through ``fusion.followup.engine``, which checks the rights.
"""

from dataclasses import asdict
from datetime import date

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


@tool(domain="followup", tier=1, groups=READERS, registry=REGISTRY)
def followup_list_overdue(env, offset: int = 0, limit: int = 20, search: str = "") -> dict:
    """List customers with an overdue balance, largest overdue first, with aging buckets.

    Args:
        offset: How many customers to skip (paging).
        limit: How many customers to return (at most 500).
        search: Part of the customer name to filter on.
    """
    return env["fusion.followup.engine"].list_overdue(offset=offset, limit=limit, search=search or None)


@tool(domain="followup", tier=1, groups=READERS, registry=REGISTRY)
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


@tool(domain="followup", tier=1, groups=READERS, registry=REGISTRY)
def followup_history(env, partner_id: int, limit: int = 20) -> list:
    """The latest follow-up runs of a customer, newest first.

    Args:
        partner_id: The customer (res.partner id).
        limit: How many runs to return.
    """
    return env["fusion.followup.engine"].snapshot_followup_history(partner_id, limit=limit)


@tool(domain="followup", tier=2, groups=WRITERS, registry=REGISTRY)
def followup_draft_text(env, partner_id: int) -> dict:
    """Draft the follow-up email a customer is due, without sending it; says whether AI or a template wrote it.

    Args:
        partner_id: The customer (res.partner id).
    """
    return env["fusion.followup.engine"].generate_followup_text(partner_id)


@tool(domain="followup", tier=2, groups=WRITERS, registry=REGISTRY)
def followup_send_due(env, partner_id: int) -> dict:
    """Send the follow-up a customer is due by the schedule (nothing is sent when none is due or it is paused).

    Args:
        partner_id: The customer (res.partner id).
    """
    return _run(env["fusion.followup.engine"].send_followup_email(partner_id))


@tool(domain="followup", tier=2, groups=WRITERS, registry=REGISTRY)
def followup_pause(env, partner_id: int, until_date: date | None = None) -> dict:
    """Pause follow-ups for a customer, e.g. while a payment plan is agreed.

    Args:
        partner_id: The customer (res.partner id).
        until_date: Last day of the pause; none pauses until resumed.
    """
    return env["fusion.followup.engine"].pause_followup(partner_id, until_date=until_date)


@tool(domain="followup", tier=3, groups=WRITERS, registry=REGISTRY)
def followup_send_now(env, partner_id: int, level_id: int | None = None) -> dict:
    """Send a follow-up now, outside the schedule (ignores a pause and levels already sent).

    Args:
        partner_id: The customer (res.partner id).
        level_id: The level to send; none sends the level the customer is due.
    """
    return _run(env["fusion.followup.engine"].send_followup_email(partner_id, level=level_id, force=True))


@tool(domain="followup", tier=3, groups=WRITERS, registry=REGISTRY)
def followup_escalate(env, partner_id: int) -> dict:
    """Send the next follow-up level above the last one sent to a customer, now.

    Args:
        partner_id: The customer (res.partner id).
    """
    return _run(env["fusion.followup.engine"].escalate_to_next_level(partner_id))
