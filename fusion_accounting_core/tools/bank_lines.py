from datetime import date

from ..services.tools import REGISTRY, tool

STAFF = "fusion_accounting_core.group_fusion_user"
MAX_LINES = 200


@tool(domain="bank_reconciliation", tier=1, groups=(STAFF,), registry=REGISTRY, label="Unreconciled bank lines")
def get_unreconciled_bank_lines(
    env, journal_id: int | None = None, date_from: date | None = None, date_to: date | None = None, limit: int = 50
) -> dict:
    """Bank statement lines not reconciled yet, oldest first.

    Args:
        journal_id: Only this bank journal.
        date_from: Only lines on or after this day.
        date_to: Only lines on or before this day.
        limit: How many lines to return (1 to 200); ``count`` gives the full number.
    """
    domain = [("is_reconciled", "=", False), ("company_id", "in", env.companies.ids)]
    if journal_id:
        domain.append(("journal_id", "=", journal_id))
    if date_from:
        domain.append(("date", ">=", date_from))
    if date_to:
        domain.append(("date", "<=", date_to))
    lines = env["account.bank.statement.line"]
    found = lines.search(domain, order="date, id", limit=max(1, min(limit, MAX_LINES)))
    return {
        "count": lines.search_count(domain),
        "lines": [
            {
                "id": line.id,
                "date": line.date.isoformat(),
                "journal": line.journal_id.name,
                "label": line.payment_ref or "",
                "partner": line.partner_id.display_name or "",
                # The payer or payee as the bank names it, when no partner is set yet.
                "counterparty": line.partner_name or "",
                "amount": line.amount,
                "currency": line.currency_id.name,
            }
            for line in found
        ],
    }
