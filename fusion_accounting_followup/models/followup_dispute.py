from odoo import api, fields, models
from odoo.exceptions import ValidationError

DISPUTE_STATES = [("open", "Open"), ("resolved", "Resolved")]


class FusionFollowupDispute(models.Model):
    """A customer disputes an invoice: while open, the invoice leaves the chase and every amount a
    follow-up states (levels, letters, statements); the partner's other invoices are chased as usual."""

    _name = "fusion.followup.dispute"
    _description = "Fusion: disputed invoice"
    _order = "state, create_date desc, id desc"
    _check_company_auto = True
    _rec_name = "move_id"

    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
    )
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", store=True, index=True)
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    reason = fields.Text(required=True)
    owner_id = fields.Many2one("res.users", default=lambda self: self.env.user, help="Who works the dispute out.")
    state = fields.Selection(DISPUTE_STATES, required=True, default="open", readonly=True, index=True)
    resolved_on = fields.Date(readonly=True)
    resolution = fields.Text(readonly=True)
    quote = fields.Text(string="Customer's Words", help="The sentence of the customer's reply the dispute comes from.")
    source_message_id = fields.Many2one("mail.message", readonly=True, ondelete="set null")

    _one_open_per_invoice = models.UniqueIndex(
        "(move_id) WHERE state = 'open'", "This invoice is already disputed; resolve that dispute first."
    )

    @api.constrains("move_id")
    def _check_customer_invoice(self):
        for dispute in self:
            if dispute.move_id.move_type != "out_invoice" or dispute.move_id.state != "posted":
                raise ValidationError(self.env._("Only a posted customer invoice can be disputed."))

    def action_resolve(self):
        """The Resolve button: the invoice goes back into the chase (logged as a person's action)."""
        engine = self.env["fusion.followup.engine"]
        for dispute in self:
            engine.with_company(dispute.company_id).human_resolve_dispute(dispute.id)
        return True
