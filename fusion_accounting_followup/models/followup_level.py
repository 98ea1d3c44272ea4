from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.fusion_accounting_core.tools.modules import module_installed

from ..services.followup_channels import NO_CHANNEL, SMS_UNAVAILABLE, LevelChannels
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
    # The channels of a send (services/followup_channels.py): any mix, at least one.
    fusion_send_email = fields.Boolean(
        string="Send an E-mail", default=True, help="E-mail the customer (off: SMS, letter or call only)."
    )
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

    @api.constrains("fusion_send_email", "fusion_channel_sms", "fusion_channel_letter", "fusion_channel_activity")
    def _check_channels(self):
        sms_available = module_installed(self.env, "sms")
        sentences = {
            NO_CHANNEL: self.env._(
                "A follow-up level must send at least one of: an e-mail, an SMS, a letter or a call activity."
            ),
            SMS_UNAVAILABLE: self.env._("This level only sends an SMS, and the SMS app is not installed."),
        }
        for level in self:
            problem = level._channels().problem(sms_available=sms_available)
            if problem:
                raise ValidationError(
                    self.env._("%(level)s: %(problem)s", level=level.name, problem=sentences[problem])
                )

    def _channels(self):
        self.ensure_one()
        return LevelChannels(
            email=self.fusion_send_email,
            sms=self.fusion_channel_sms,
            letter=self.fusion_channel_letter,
            activity=self.fusion_channel_activity,
            statement=self.fusion_attach_statement,
        )

    def _spec(self):
        """The pure :class:`LevelSpec` of this level (what the plan reads of it)."""
        self.ensure_one()
        return LevelSpec(self.id, self.name, self.delay_days, self.tone, self.requires_manual_review, self._channels())

    @api.model
    def _ladder(self, company):
        """The company's active levels as a pure :class:`Ladder`, with the records by id."""
        levels = self.sudo().search([("company_id", "=", company.id)])
        return Ladder.of(level._spec() for level in levels), {level.id: level for level in levels}

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
