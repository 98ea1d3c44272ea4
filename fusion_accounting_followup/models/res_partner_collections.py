from odoo import fields, models

from .res_partner import READERS


class ResPartner(models.Model):
    """The collections side of a customer: who chases it, its promises and disputes, the buttons to record them."""

    _inherit = "res.partner"

    fusion_followup_collector_id = fields.Many2one(
        "res.users",
        string="Fusion Collector",
        company_dependent=True,
        groups=READERS,
        help="Who gets the follow-up activities (calls, reviews); empty: the salesperson.",
    )
    fusion_followup_promise_ids = fields.One2many(
        "fusion.followup.promise", "partner_id", string="Fusion Promises to Pay", readonly=True, groups=READERS
    )
    fusion_followup_dispute_ids = fields.One2many(
        "fusion.followup.dispute", "partner_id", string="Fusion Disputes", readonly=True, groups=READERS
    )

    def _message_post_after_hook(self, message, msg_values):
        # EXTENDS mail: a customer's e-mail proposes a promise or a dispute to its collector (followup_collections.py).
        result = super()._message_post_after_hook(message, msg_values)
        if len(self) == 1 and message.message_type == "email":
            engine = self.env["fusion.followup.engine"].sudo()
            engine.with_company(engine._reply_company(message, self))._reply_arrived(message, self)
        return result

    def _fusion_followup_person(self):
        """Who a follow-up activity goes to: the collector, else the salesperson (empty: nobody named)."""
        self.ensure_one()
        partner = self.commercial_partner_id.sudo()
        return partner.fusion_followup_collector_id or partner.user_id

    def action_fusion_followup_record_promise(self):
        self.ensure_one()
        return self.env["fusion.followup.collection.wizard"]._action_for(self, "promise")

    def action_fusion_followup_record_dispute(self):
        self.ensure_one()
        return self.env["fusion.followup.collection.wizard"]._action_for(self, "dispute")

    def action_fusion_followup_read_replies(self):
        """Review the first promise or dispute the customer's e-mails propose (accept, edit, or reject)."""
        self.ensure_one()
        proposals = self.env["fusion.followup.engine"].reply_proposals(self)
        if not proposals:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "message": self.env._("No promise or dispute found in this customer's e-mails."),
                    "type": "info",
                },
            }
        proposal = proposals[0]
        invoice_ids = proposal["invoice_ids"]
        return self.env["fusion.followup.collection.wizard"]._action_for(
            self,
            proposal["kind"],
            promised_date=proposal["promised_date"],
            amount=proposal["amount"] and float(proposal["amount"]),
            invoice_ids=proposal["kind"] == "promise" and [(6, 0, invoice_ids)],
            invoice_id=proposal["kind"] == "dispute" and invoice_ids and invoice_ids[0],
            reason=proposal["reason"],
            quote=proposal["quote"],
            message_id=proposal["message_id"],
        )
