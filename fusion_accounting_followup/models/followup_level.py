from odoo import api, fields, models

from ..services.level_resolver import Ladder, LevelSpec

TONE_SELECTION = [("gentle", "Gentle"), ("firm", "Firm"), ("legal", "Legal")]


class FusionFollowupLevel(models.Model):
    """One rung of a company's dunning ladder; the rung is chosen by days overdue."""

    _name = "fusion.followup.level"
    _description = "Fusion: follow-up level"
    _order = "company_id, delay_days, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    sequence = fields.Integer(default=10, help="Display order only; the ladder is ordered by the delay.")
    delay_days = fields.Integer(
        string="Days Overdue", required=True, help="Sent once an invoice is this many days past its due date."
    )
    tone = fields.Selection(TONE_SELECTION, required=True, default="gentle")
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "res.partner")],
        help="Renders the email when no AI text is used; rendered in the customer's language.",
    )
    requires_manual_review = fields.Boolean(
        help="The daily scan flags these partners instead of emailing them; a person sends from the partner."
    )
    active = fields.Boolean(default=True)
    # Channels beside the e-mail (followup_channels.py); each is optional per level.
    fusion_channel_sms = fields.Boolean(
        string="Send an SMS", help="Also text the customer's mobile (needs the SMS app; ignored without it)."
    )
    fusion_channel_letter = fields.Boolean(
        string="Print a Letter",
        help="Queue a letter on the company letterhead (overdue statement) to print from the batch follow-ups.",
    )
    fusion_channel_activity = fields.Boolean(
        string="Schedule a Call",
        help="Schedule a call activity for the customer's collector (else its salesperson) when this level is sent.",
    )
    fusion_activity_user_id = fields.Many2one(
        "res.users",
        string="Default Collector",
        help="Gets the level's activities for customers with neither a collector nor a salesperson.",
    )
    fusion_attach_statement = fields.Boolean(
        string="Attach the Statement", help="Attach the customer's statement (open items, payments, balance) as a PDF."
    )
    # Plain integer: account_followup.followup.line only exists when Enterprise is installed.
    legacy_followup_line_id = fields.Integer(string="Enterprise Follow-up Line ID", readonly=True, copy=False)

    _delay_company_uniq = models.Constraint(
        "unique(company_id, delay_days)", "Two follow-up levels of a company cannot share the same delay."
    )
    _legacy_line_uniq = models.Constraint(
        "unique(company_id, legacy_followup_line_id)", "This Enterprise follow-up line has already been imported."
    )

    @api.model
    def _ladder(self, company):
        """The company's active levels as a pure :class:`Ladder`, with the records by id."""
        levels = self.sudo().search([("company_id", "=", company.id)])
        specs = [
            LevelSpec(level.id, level.name, level.delay_days, level.tone, level.requires_manual_review)
            for level in levels
        ]
        return Ladder.of(specs), {level.id: level for level in levels}

    @api.model
    def _create_default_levels(self, companies):
        """Copy the shipped ladder into every company of ``companies`` that has none."""
        env = self.sudo().env  # the shipped ladder belongs to the main company, which the user may not see
        defaults = [
            env.ref(xmlid, raise_if_not_found=False)
            for xmlid in (
                "fusion_accounting_followup.level_reminder",
                "fusion_accounting_followup.level_warning",
                "fusion_accounting_followup.level_legal",
            )
        ]
        defaults = [level for level in defaults if level]
        for company in companies:
            if defaults and not self.sudo().search_count([("company_id", "=", company.id)], limit=1):
                for level in defaults:
                    level.copy({"company_id": company.id, "name": level.name})
