from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _message_post_after_hook(self, message, msg_values):
        # EXTENDS account: a customer's e-mail on its invoice proposes a promise or a dispute (followup_collections.py).
        result = super()._message_post_after_hook(message, msg_values)
        if len(self) == 1 and message.message_type == "email" and self.move_type == "out_invoice":
            engine = self.env["fusion.followup.engine"].sudo().with_company(self.company_id)
            engine._reply_arrived(message, self.commercial_partner_id)
        return result
