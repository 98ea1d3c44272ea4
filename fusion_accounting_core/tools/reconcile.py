from odoo.exceptions import UserError

from ..services.tools import REGISTRY, tool
from .links import links_for

MANAGER = "fusion_accounting_core.group_fusion_manager"
OPEN_ACCOUNT_TYPES = ("asset_receivable", "liability_payable")


def _own_moves(env, ids):
    """The entries of ``ids`` the user may read, of the user's companies: another company's do not exist here."""
    ids = [value for value in ids if isinstance(value, int)]
    return env["account.move"].search([("id", "in", ids), ("company_id", "in", env.companies.ids)])


def _open_lines(env, invoice_id, payment_move_id):
    if invoice_id == payment_move_id:  # one entry twice would be "reconciled" with itself
        raise UserError(env._("The invoice and the payment must be two different journal entries."))
    moves = _own_moves(env, [invoice_id, payment_move_id])
    if len(moves) != 2:
        raise UserError(env._("The invoice or the payment entry does not exist."))
    invoice, payment = moves.browse(invoice_id), moves.browse(payment_move_id)
    if not invoice.is_invoice(include_receipts=True) or invoice.state != "posted" or payment.state != "posted":
        raise UserError(env._("Both entries must be posted, and the first one must be an invoice."))
    lines = (invoice.line_ids | payment.line_ids).filtered(
        lambda line: line.account_id.account_type in OPEN_ACCOUNT_TYPES and not line.reconciled
    )
    return invoice, payment, lines


@tool(
    domain="accounts_receivable",
    tier=3,
    groups=(MANAGER,),
    registry=REGISTRY,
    label="Reconcile a payment with an invoice",
)
def reconcile_payment_to_invoice(env, invoice_id: int, payment_move_id: int) -> dict:
    """Reconcile a payment's journal entry with an invoice (account.move.line.reconcile).

    Both must be posted, open, and on the same receivable or payable account and partner.

    Args:
        invoice_id: The invoice (account.move id).
        payment_move_id: The journal entry of the payment (account.move id).
    """
    invoice, payment, lines = _open_lines(env, invoice_id, payment_move_id)
    if not (lines & invoice.line_ids) or not (lines & payment.line_ids):
        raise UserError(env._("The invoice or the payment has no open receivable/payable line."))
    if len(lines.account_id) != 1 or len(lines.partner_id.commercial_partner_id) != 1:
        raise UserError(env._("The invoice and the payment are not on the same account and partner."))
    lines.reconcile()
    return {
        "invoice": invoice.name,
        "payment": payment.name,
        "invoice_payment_state": invoice.payment_state,
        "invoice_amount_residual": invoice.amount_residual,
    }


@links_for("reconcile_payment_to_invoice")
def _reconcile_links(env, arguments):
    moves = _own_moves(env, [arguments.get("invoice_id"), arguments.get("payment_move_id")])
    invoice = moves.filtered(lambda move: move.id == arguments.get("invoice_id"))
    lines = moves.line_ids.filtered(lambda line: line.account_id.account_type in OPEN_ACCOUNT_TYPES)
    return {
        "partner_id": invoice.commercial_partner_id.id or False,
        "amount": invoice.amount_residual if invoice else 0.0,
        "move_line_ids": [(6, 0, lines.ids)],
    }
