from collections import defaultdict

from odoo import api, fields, models

STATUS_SELECTION = [
    ("no_action", "Nothing overdue"),
    ("overdue", "Overdue, no follow-up due"),
    ("action_needed", "Follow-up due"),
    ("paused", "Paused"),
]
RISK_BANDS = [("low", "Low"), ("medium", "Medium"), ("high", "High"), ("critical", "Critical")]
# Most urgent first: a row that sums several companies shows the status that needs a person soonest.
STATUS_URGENCY = ["action_needed", "overdue", "paused", "no_action"]
READERS = "fusion_accounting_core.group_fusion_user"
OVERDUE_LINES = "fusion_followup_overdue_lines"
OVERDUE_PREFETCH = "fusion_followup_overdue_prefetch"


def overdue_lines_context(lines_by_partner):
    """The context that hands a batch's overdue lines (``{commercial partner id: line ids}``) to the templates.

    Every line of the batch is listed once, as one prefetch set for all its partners' renderings.
    """
    every_line = tuple(line_id for line_ids in lines_by_partner.values() for line_id in line_ids)
    return {OVERDUE_LINES: lines_by_partner, OVERDUE_PREFETCH: every_line}


class ResPartner(models.Model):
    """Follow-up state per company; the engine is the only writer (under a controlled sudo)."""

    _inherit = "res.partner"

    fusion_followup_status = fields.Selection(
        STATUS_SELECTION, string="Fusion Follow-up Status", company_dependent=True, readonly=True, groups=READERS
    )
    fusion_followup_paused_until = fields.Date(
        string="Fusion Follow-ups Paused Until", company_dependent=True, readonly=True, groups=READERS
    )
    fusion_followup_last_level_id = fields.Many2one(
        "fusion.followup.level",
        string="Fusion Last Follow-up Level",
        company_dependent=True,
        readonly=True,
        groups=READERS,
    )
    fusion_followup_risk_score = fields.Integer(
        string="Fusion Payment Risk", company_dependent=True, readonly=True, groups=READERS
    )
    fusion_followup_risk_band = fields.Selection(
        RISK_BANDS, string="Fusion Risk Band", company_dependent=True, readonly=True, groups=READERS
    )
    fusion_followup_run_ids = fields.One2many(
        "fusion.followup.run", "partner_id", string="Fusion Follow-up Runs", readonly=True, groups=READERS
    )
    # Live, like the dashboard: planned now from the ledgers of the selected companies (the company
    # switcher's), never a stored job's value.
    fusion_followup_overdue = fields.Boolean(
        string="Fusion Overdue",
        compute="_compute_fusion_followup_live",
        search="_search_fusion_followup_overdue",
        groups=READERS,
    )
    fusion_followup_currency_id = fields.Many2one(
        "res.currency", compute="_compute_fusion_followup_live", string="Fusion Follow-up Currency", groups=READERS
    )
    fusion_followup_amount_overdue = fields.Monetary(
        string="Overdue",
        compute="_compute_fusion_followup_live",
        currency_field="fusion_followup_currency_id",
        groups=READERS,
    )
    fusion_followup_oldest_days = fields.Integer(
        string="Oldest (days)", compute="_compute_fusion_followup_live", groups=READERS
    )
    fusion_followup_live_status = fields.Selection(
        STATUS_SELECTION, string="Follow-up Status Now", compute="_compute_fusion_followup_live", groups=READERS
    )
    fusion_followup_next_level = fields.Char(
        string="Next Follow-up", compute="_compute_fusion_followup_live", groups=READERS
    )

    @api.depends_context("allowed_company_ids")  # not stored: another selection must not reuse the cached row
    def _compute_fusion_followup_live(self):
        """The plan of each partner now in each selected company: one ledger query per company, plans in memory.

        Follow-ups are per company; a row sums a partner's companies.  The amount is in their currency when
        they share one, else converted into the current company's (as Odoo's own list totals do); the
        status is the most urgent and the next level names its company when several are selected.
        """
        today = fields.Date.context_today(self)
        plans = defaultdict(list)  # commercial partner id -> [(company, PartnerPlan)] where it is overdue
        for company in self.env.companies:
            engine = self.env["fusion.followup.engine"].sudo().with_company(company)
            commercial = self.commercial_partner_id.with_env(engine.env)
            items = engine.env["fusion.followup.ledger"]._open_items_by_partner(commercial.ids)
            ladder, records = engine.env["fusion.followup.level"]._ladder(company)
            for partner in commercial.browse(list(items)):
                planned = engine._plan(partner, items=items[partner.id], ladder=ladder, records=records, today=today)
                if planned.overdue.total_overdue > 0:
                    plans[partner.id].append((company, planned))
        several = len(self.env.companies) > 1
        for partner in self:
            overdue = plans.get(partner.commercial_partner_id.id, [])
            currencies = {company.currency_id for company, _planned in overdue}
            currency = currencies.pop() if len(currencies) == 1 else self.env.company.currency_id
            partner.fusion_followup_overdue = bool(overdue)
            partner.fusion_followup_currency_id = currency
            partner.fusion_followup_amount_overdue = sum(
                company.currency_id._convert(float(planned.overdue.total_overdue), currency, company, today)
                for company, planned in overdue
            )
            partner.fusion_followup_oldest_days = max((p.overdue.max_days_overdue for _c, p in overdue), default=0)
            partner.fusion_followup_live_status = min(
                (planned.plan.status for _company, planned in overdue), key=STATUS_URGENCY.index, default="no_action"
            )
            partner.fusion_followup_next_level = " · ".join(
                f"{company.name}: {planned.level.name}" if several else planned.level.name
                for company, planned in overdue
                if planned.level
            )

    def _search_fusion_followup_overdue(self, operator, value):
        # The dashboard's set: partners with an overdue balance in a selected company (same ledger query).
        if operator != "in":
            return NotImplemented
        today = fields.Date.context_today(self)
        overdue = {
            partner_id
            for company in self.env.companies
            for partner_id, data in self.env["fusion.followup.ledger"]
            .with_company(company)
            ._partner_aggregates(today)
            .items()
            if data["overdue"] > 0
        }
        return [("id", "in", list(overdue))] if True in value else [("id", "not in", list(overdue))]

    def _fusion_followup_overdue_lines(self):
        """The receivable lines a follow-up e-mail of the current company lists, for the mail templates.

        The plan's :attr:`followup_items`: the overdue invoices it chases and the past-due credit notes
        and payments that lower them (no excluded nor disputed item), oldest due first.  The send path
        and the daily scan have already planned: they pass the lines in the context
        (:func:`overdue_lines_context`), so that the template costs no query per partner.
        """
        self.ensure_one()
        batch = self.env.context.get(OVERDUE_LINES)
        partner = self.commercial_partner_id
        if batch is None or partner.id not in batch:
            # A template rendered outside a send (the mail composer): the same plan, not a search of its own.
            planned = self.env["fusion.followup.engine"].sudo()._plan(partner)
            batch = {partner.id: [item.line_id for item in planned.overdue.followup_items]}
        lines = self.env["account.move.line"].sudo().browse(batch[partner.id])
        return lines.with_prefetch(self.env.context.get(OVERDUE_PREFETCH) or lines.ids)

    # The form's buttons are human actions like the dashboard's (models/followup_human.py): logged, and
    # a level already sent today is refused; a resend outside the schedule is the dashboard's, confirmed.
    def action_fusion_followup_send(self):
        engine = self.env["fusion.followup.engine"]
        for partner in self:
            engine.human_send(partner)
        return self._fusion_followup_open_runs()

    def action_fusion_followup_escalate(self):
        # The button's confirm= dialog is the person's confirmation; the token still binds one level.
        self.ensure_one()
        engine = self.env["fusion.followup.engine"]
        preview = engine.human_escalate(self)
        engine.human_escalate(self, confirm=preview["confirm"])
        return self._fusion_followup_open_runs()

    def action_fusion_followup_pause(self):
        self.ensure_one()
        self.env["fusion.followup.engine"].human_pause(self)
        return True

    def action_fusion_followup_reset(self):
        self.ensure_one()
        self.env["fusion.followup.engine"].human_reset(self)
        return True

    def _fusion_followup_open_runs(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("fusion_accounting_followup.action_followup_runs")
        action["domain"] = [("partner_id", "in", self.commercial_partner_id.ids)]
        return action
