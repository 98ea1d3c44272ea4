from odoo import api, fields, models

RUN_STATES = [
    ("pending", "Pending"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("skipped", "Skipped"),
]
TRIGGERS = [
    ("cron", "Daily scan"),
    ("manual", "Manual"),
    ("batch", "Batch wizard"),
    ("escalation", "Escalation"),
    ("retry", "Retry"),
    ("api", "API / AI tool"),
]
TEXT_SOURCES = [("ai", "AI"), ("cache", "AI (cached)"), ("template", "Template")]


class FusionFollowupRun(models.Model):
    """Audit record of one follow-up attempt for one partner; it only moves forward.

    A scheduled run carries ``idempotency_key`` (company, partner, level, date):
    the unique index over *sent* runs is what guarantees that rerunning the
    daily scan after a crash never emails a partner twice for the same level.
    """

    _name = "fusion.followup.run"
    _description = "Fusion: follow-up run"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    level_id = fields.Many2one("fusion.followup.level", readonly=True, ondelete="set null")
    run_date = fields.Date(required=True, readonly=True, index=True)
    state = fields.Selection(RUN_STATES, required=True, default="pending", readonly=True, index=True)
    trigger = fields.Selection(TRIGGERS, required=True, default="manual", readonly=True)
    forced = fields.Boolean(readonly=True, help="Sent outside the schedule (level or timing chosen by a person).")
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_overdue = fields.Monetary(readonly=True)
    tone = fields.Selection([("gentle", "Gentle"), ("firm", "Firm"), ("legal", "Legal")], readonly=True)
    text_source = fields.Selection(TEXT_SOURCES, readonly=True)
    ai_generated = fields.Boolean(string="AI Generated", readonly=True)
    text_error = fields.Char(readonly=True, help="Why the AI text was not used, when it was not.")
    subject = fields.Char(readonly=True)
    # The e-mail's HTML exactly as queued, stored raw like mail.mail's ``body_html``: sanitizing
    # every body as the daily scan records it was about a sixth of its CPU.  It is shown
    # only through ``body_display``, sanitized as it is read (like mail.mail's ``body_content``).
    body = fields.Text(string="Body (HTML as sent)", readonly=True)
    body_display = fields.Html(string="Body", compute="_compute_body_display", sanitize=True)
    mail_id = fields.Many2one("mail.mail", readonly=True, ondelete="set null")
    error = fields.Text(readonly=True)
    skip_reason = fields.Char(readonly=True)
    idempotency_key = fields.Char(readonly=True, copy=False)
    retry_run_id = fields.Many2one("fusion.followup.run", string="Retried By", readonly=True)
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    # What the level's other channels did (followup_channels.py).
    fusion_sms_state = fields.Selection(
        [("queued", "Queued"), ("no_number", "No mobile number"), ("failed", "Failed")], string="SMS", readonly=True
    )
    fusion_letter_state = fields.Selection(
        [("to_print", "To print"), ("printed", "Printed")], string="Letter", readonly=True, index="btree_not_null"
    )
    fusion_activity_id = fields.Many2one("mail.activity", string="Activity", readonly=True, ondelete="set null")

    _sent_once = models.UniqueIndex(
        "(idempotency_key) WHERE state = 'sent' AND idempotency_key IS NOT NULL",
        "This partner was already sent this follow-up level today.",
    )
    _ai_flag_matches_source = models.Constraint(
        "CHECK(COALESCE(ai_generated, FALSE) = COALESCE(text_source IN ('ai', 'cache'), FALSE))",
        "The AI flag must match the text source.",
    )

    @api.depends("body")
    def _compute_body_display(self):
        for run in self:
            run.body_display = run.body  # the Html field sanitizes the value it is given

    def action_retry(self):
        """Send a failed run again, as a new run; the failed one keeps its error and links the retry."""
        engine = self.env["fusion.followup.engine"]
        for run in self.filtered(lambda r: r.state == "failed" and not r.retry_run_id):
            retry = engine.with_company(run.company_id)._send(run.partner_id, run.level_id, force=True, trigger="retry")
            run.sudo().retry_run_id = retry
        return True
