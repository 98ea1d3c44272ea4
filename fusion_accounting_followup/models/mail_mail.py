from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(self, success_pids, success_emails, failure_reason=False, failure_type=None):
        # EXTENDS mail: a follow-up email that bounces at sending time marks its run failed, so it can be retried.
        failed = self.filtered(lambda mail: mail.state == "exception")
        if failed:
            runs = (
                self.env["fusion.followup.run"].sudo().search([("mail_id", "in", failed.ids), ("state", "=", "sent")])
            )
            for run in runs:
                run.write({"state": "failed", "error": run.mail_id.failure_reason or failure_type or "delivery failed"})
        return super()._postprocess_sent_message(
            success_pids, success_emails, failure_reason=failure_reason, failure_type=failure_type
        )
