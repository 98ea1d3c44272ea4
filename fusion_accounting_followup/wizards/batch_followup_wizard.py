from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..models.followup_human import SEND_DUE, SEND_FORCED

MODES = [
    ("all", "All overdue customers"),
    ("selection", "Selected customers"),
    ("level", "Customers due given levels"),
]


class FusionBatchFollowupWizard(models.TransientModel):
    """Bulk follow-ups in two steps: a preview of who gets which level, then the sending."""

    _name = "fusion.batch.followup.wizard"
    _description = "Fusion: batch follow-up"

    mode = fields.Selection(MODES, required=True, default=lambda self: self._default_mode())
    partner_ids = fields.Many2many("res.partner", string="Customers", default=lambda self: self._default_partners())
    level_filter_ids = fields.Many2many("fusion.followup.level", string="Due Levels")
    auto_resolve_level = fields.Boolean(
        string="Level by days overdue",
        default=True,
        help="Send each customer the level its days overdue call for; untick to send one level to all of them.",
    )
    override_level_id = fields.Many2one("fusion.followup.level", string="Send Level")
    force = fields.Boolean(
        string="Send even if paused or promised",
        help="Also send to customers whose follow-ups are paused, who promised to pay, or who already got this "
        "level: a send outside the schedule.",
    )
    state = fields.Selection([("config", "Configure"), ("preview", "Preview"), ("done", "Done")], default="config")
    line_ids = fields.One2many("fusion.batch.followup.wizard.line", "wizard_id", string="Preview")
    run_ids = fields.Many2many("fusion.followup.run", string="Runs")
    summary = fields.Char(readonly=True)
    send_count = fields.Integer(compute="_compute_send_count", string="Customers to Send")
    nothing_to_send = fields.Char(compute="_compute_send_count", string="Nothing to Send")

    @api.depends("line_ids.will_send", "line_ids.skip_reason", "state")
    def _compute_send_count(self):
        """How many previewed customers would be sent; when none, the sentence saying why (Send is then hidden)."""
        for wizard in self:
            wizard.send_count = len(wizard.line_ids.filtered("will_send"))
            reasons = sorted(set(wizard.line_ids.mapped("skip_reason")) - {False, ""})
            if wizard.state != "preview" or wizard.send_count:
                wizard.nothing_to_send = False
            elif not wizard.line_ids:
                wizard.nothing_to_send = self.env._("Nothing to send: no customer matches.")
            else:
                wizard.nothing_to_send = self.env._("Nothing to send: %s", " ".join(reasons) or "-")

    def _default_mode(self):
        return "selection" if self.env.context.get("active_model") == "res.partner" else "all"

    def _default_partners(self):
        if self.env.context.get("active_model") == "res.partner":
            return [(6, 0, self.env.context.get("active_ids", []))]
        return []

    @api.constrains("auto_resolve_level", "override_level_id")
    def _check_level_choice(self):
        for wizard in self:
            if not wizard.auto_resolve_level and not wizard.override_level_id:
                raise ValidationError(self.env._("Choose a level to send, or let each customer's level be resolved."))

    def action_print_letters(self):
        """One PDF of the designated customers' follow-up letters (models/followup_channels.py)."""
        return self.env["fusion.followup.engine"].letters_action(self._targets().ids)

    def _targets(self):
        """Commercial partners the mode designates (before any skip rule)."""
        self.ensure_one()
        if self.mode == "selection":
            return self.partner_ids.commercial_partner_id
        engine = self.env["fusion.followup.engine"]
        engine._check_right("fusion_accounting_core.group_fusion_user")
        aggregates = self.env["fusion.followup.ledger"]._partner_aggregates(engine._today())
        return self.env["res.partner"].browse(sorted(pid for pid, data in aggregates.items() if data["overdue"] > 0))

    def action_preview(self):
        self.ensure_one()
        engine = self.env["fusion.followup.engine"]
        lines = []
        for target in self._targets():
            partner = engine._partner(target)
            level = self.override_level_id if not self.auto_resolve_level else False
            planned = engine._plan(partner, level, force=self.force, trigger="batch")
            due = planned.plan.level_by_days
            if self.mode == "level" and (not due or due.id not in self.level_filter_ids.ids):
                continue
            lines.append(
                {
                    "partner_id": partner.id,
                    "level_id": planned.level.id,
                    "amount_overdue": float(planned.overdue.total_overdue),
                    "max_days_overdue": planned.overdue.max_days_overdue,
                    "will_send": planned.plan.sends,
                    "channels": ", ".join(engine._channel_labels(engine._deliveries(planned))),
                    "skip_reason": engine._plan_sentence(planned),
                }
            )
        self.line_ids = [(5, 0, 0)] + [(0, 0, values) for values in lines]
        self.state = "preview"
        return self._reopen()

    def action_send(self):
        self.ensure_one()
        if self.state != "preview":
            raise UserError(self.env._("Preview the batch before sending it."))
        if not self.send_count:
            raise UserError(self.nothing_to_send or self.env._("Nothing to send."))
        engine = self.env["fusion.followup.engine"]
        runs = self.env["fusion.followup.run"]
        action = SEND_FORCED if self.force else SEND_DUE
        for line in self.line_ids.filtered("will_send"):
            run = engine._send(line.partner_id, line.level_id, force=self.force, trigger="batch")
            # A person's batch: each send is a human action of the history (its preview was the confirmation).
            arguments = {"partner_id": line.partner_id.id, "level_id": line.level_id.id or None, "force": self.force}
            runs |= engine._log_human(action, {**arguments, "batch": True}, run)
        sent = len(runs.filtered(lambda run: run.state == "sent"))
        self.write(
            {
                "run_ids": [(6, 0, runs.ids)],
                "state": "done",
                "summary": self.env._("%(sent)s sent, %(other)s not sent.", sent=sent, other=len(runs) - sent),
            }
        )
        return self._reopen()

    def action_back(self):
        self.write({"state": "config", "line_ids": [(5, 0, 0)]})
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }


class FusionBatchFollowupWizardLine(models.TransientModel):
    _name = "fusion.batch.followup.wizard.line"
    _description = "Fusion: batch follow-up preview line"

    wizard_id = fields.Many2one("fusion.batch.followup.wizard", required=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", required=True, readonly=True)
    level_id = fields.Many2one("fusion.followup.level", readonly=True)
    currency_id = fields.Many2one(related="level_id.company_id.currency_id")
    amount_overdue = fields.Monetary(readonly=True)
    max_days_overdue = fields.Integer(readonly=True)
    will_send = fields.Boolean(string="Send", help="Untick to leave this customer out of the batch.")
    channels = fields.Char(readonly=True, help="What the level sends: e-mail, SMS, letter, call.")
    skip_reason = fields.Char(readonly=True)
