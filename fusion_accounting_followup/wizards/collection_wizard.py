from odoo import api, fields, models


class FusionFollowupCollectionWizard(models.TransientModel):
    """Record a promise to pay or a dispute from the customer's form (a person's action: logged, tier 2).

    Also the collector's review of a proposal drawn from a customer's reply: the
    proposal fills the fields (``default_*`` in the context), the collector edits
    and confirms, or closes the dialog to reject it.
    """

    _name = "fusion.followup.collection.wizard"
    _description = "Fusion: record a promise to pay or a dispute"

    kind = fields.Selection([("promise", "Promise to pay"), ("dispute", "Dispute")], required=True, default="promise")
    partner_id = fields.Many2one("res.partner", required=True, readonly=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id), ('company_id', '=', company_id)]",
    )
    promised_date = fields.Date()
    amount = fields.Monetary(help="Empty: what the invoices (or the whole open balance) still owe.")
    invoice_id = fields.Many2one(
        "account.move",
        string="Disputed Invoice",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id), ('company_id', '=', company_id)]",
    )
    reason = fields.Text()
    owner_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    quote = fields.Text(string="Customer's Words", readonly=True)
    message_id = fields.Many2one("mail.message", readonly=True)

    @api.model
    def _action_for(self, partner, kind, **defaults):
        """The dialog of ``kind`` for ``partner``, pre-filled with ``defaults`` (field names)."""
        context = {"default_kind": kind, "default_partner_id": partner.commercial_partner_id.id}
        context.update({f"default_{name}": value for name, value in defaults.items() if value})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a promise to pay") if kind == "promise" else self.env._("Record a dispute"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    def action_confirm(self):
        self.ensure_one()
        engine = self.env["fusion.followup.engine"]
        if self.kind == "promise":
            engine.human_record_promise(
                self.partner_id.id,
                self.promised_date,
                amount=self.amount or None,
                invoice_ids=self.invoice_ids.ids,
                message_id=self.message_id.id or None,
                quote=self.quote or None,
            )
        else:
            engine.human_record_dispute(
                self.invoice_id.id,
                self.reason,
                owner_id=self.owner_id.id or None,
                message_id=self.message_id.id or None,
                quote=self.quote or None,
            )
        return self._reviewed()

    def action_reject(self):
        """Reject the proposal drawn from a reply: logged; that e-mail proposes nothing again."""
        self.ensure_one()
        self.env["fusion.followup.engine"].human_reject_proposal(self.partner_id.id, self.message_id.id, self.quote)
        return self._reviewed()

    def _reviewed(self):
        """A proposal of a reply was decided: its to-do is done once the customer's e-mails propose nothing more."""
        if self.message_id:
            self.env["fusion.followup.engine"]._close_reply_review(self.partner_id)
        return {"type": "ir.actions.act_window_close"}
