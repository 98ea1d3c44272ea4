from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..services.promise_policy import PromiseProblem, check_new_promise

PROMISE_STATES = [("open", "Open"), ("kept", "Kept"), ("broken", "Broken")]


class FusionFollowupPromise(models.Model):
    """A customer's promise to pay: the chase of the partner waits through the promised date.

    The daily check (``fusion.followup.engine._check_promises``) marks it kept when
    the covered residual is paid, or broken the day after the promised date, and a
    broken promise escalates the partner one level.  Its state only moves forward.
    """

    _name = "fusion.followup.promise"
    _description = "Fusion: promise to pay"
    _order = "promised_date desc, id desc"
    _check_company_auto = True
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    invoice_ids = fields.Many2many(
        "account.move",
        "fusion_followup_promise_invoice_rel",
        "promise_id",
        "move_id",
        string="Invoices",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id), ('payment_state', 'not in', ('paid', 'in_payment'))]",
        help="The invoices the customer promised to pay; none: the whole open balance.",
    )
    promised_date = fields.Date(required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(help="The amount promised; empty: what the covered invoices still owe.")
    residual_at_promise = fields.Monetary(
        readonly=True, help="What the covered invoices owed when the promise was made."
    )
    state = fields.Selection(PROMISE_STATES, required=True, default="open", readonly=True, index=True)
    closed_on = fields.Date(readonly=True, help="The day the daily check found the promise kept or broken.")
    quote = fields.Text(string="Customer's Words", help="The sentence of the customer's reply the promise comes from.")
    source_message_id = fields.Many2one("mail.message", readonly=True, ondelete="set null")
    user_id = fields.Many2one("res.users", string="Recorded By", default=lambda self: self.env.user, readonly=True)
    escalation_run_id = fields.Many2one("fusion.followup.run", string="Escalation", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        for vals in vals_list:
            partner = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id
            vals["partner_id"] = partner.id
            company = self.env["res.company"].browse(vals.get("company_id") or self.env.company.id)
            invoices = self.env["account.move"].browse(self._m2m_ids(vals.get("invoice_ids")))
            residual = self.env["fusion.followup.engine"].with_company(company)._covered_residual(partner, invoices)
            vals.setdefault("residual_at_promise", float(residual))
            if not vals.get("amount"):
                vals["amount"] = float(residual)
            problem = check_new_promise(fields.Date.to_date(vals["promised_date"]), Decimal(str(vals["amount"])), today)
            if problem:
                raise ValidationError(self._problem_sentence(problem))
        return super().create(vals_list)

    def _problem_sentence(self, problem):
        return {
            PromiseProblem.PAST_DATE: self.env._("The promised date must be today or later."),
            PromiseProblem.NO_AMOUNT: self.env._("The promised amount must be positive."),
        }[problem]

    @staticmethod
    def _m2m_ids(commands):
        """The ids a many2many value of ``create`` links (``[(6, 0, ids)]``, ``[(4, id)]`` or plain ids)."""
        ids = []
        for command in commands or ():
            if isinstance(command, int):
                ids.append(command)
            elif command[0] == 6:
                ids.extend(command[2])
            elif command[0] == 4:
                ids.append(command[1])
        return ids

    def write(self, vals):
        # The promise's terms are what the customer said: only the daily check moves it on.
        if {"partner_id", "company_id", "residual_at_promise"} & set(vals) and not self.env.su:
            raise ValidationError(self.env._("A promise's customer and company cannot change; record a new one."))
        return super().write(vals)
