from odoo import api, fields, models

from odoo.addons.fusion_accounting_core.services.agent.prompt import RuleInstruction
from odoo.addons.fusion_accounting_core.services.tools import Tier

from ..services.memory_matcher import MatchFacts, PastMatch, remember
from ..services.money import to_cents
from ..services.scoring import AUTO
from ..services.tool_scenarios import GENERAL as GENERAL_SCENARIO

# How many decided bank matches the memory matcher compares a new match with.
MEMORY_SIZE = 400
# The tool that undoes what an earlier run booked on a statement line: that run then counts against its tool.
UNDO_TOOL = "unmatch_bank_line"


class FusionAccountingMatchHistory(models.Model):
    """Feed every human decision on a tier-3 proposal to the rule and (tool, scenario) scoring (design 4.2, 5)."""

    _inherit = "fusion.accounting.match.history"

    rule_id = fields.Many2one("fusion.accounting.rule", readonly=True, index=True, ondelete="set null")
    fusion_scenario = fields.Char(
        string="Scenario", readonly=True, help="Kind of case the tool was used for; tier promotion is per scenario."
    )

    fusion_scenario_ids = fields.Many2many(
        "fusion.accounting.tool.scenario",
        "fusion_tool_scenario_decision_rel",
        "history_id",
        "scenario_id",
        string="Counted For",
        readonly=True,
        help="The (tool, scenario) promotions this record counts for.",
    )
    fusion_pattern = fields.Char(
        string="Call Pattern", readonly=True, help="The narrowest scenario of the call, when it was decided."
    )
    fusion_undone = fields.Boolean(
        string="Undone", readonly=True, help="A later action undid what this run booked; it counts against its tool."
    )

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS fusion_accounting_core: a logged tier-2 undo counts against the run it undoes.
        records = super().create(vals_list)
        records.filtered(lambda record: record.decision == "auto")._fusion_note_undo()
        return records

    def action_approve(self, *args, **kwargs):
        # EXTENDS fusion_accounting_core: learn from the decision once it is recorded.
        results = super().action_approve(*args, **kwargs)
        self._fusion_learn()
        self._fusion_note_undo()
        return results

    def action_reject(self, *args, **kwargs):
        # EXTENDS fusion_accounting_core
        result = super().action_reject(*args, **kwargs)
        self._fusion_learn()
        return result

    def _fusion_learn(self):
        """Count each decided tier-3 record on its rule and on every (tool, scenario) pair of its call.

        The scenarios are those the gate resolves for the same arguments, plus
        the ``fusion_scenario`` the record was filed under, if any.
        """
        Pairs = self.env["fusion.accounting.tool.scenario"]
        for record in self.sudo():
            if record.tier != "3" or record.decision not in ("approved", "rejected"):
                continue
            if record.rule_id:
                record.rule_id._record_decision(record.decision == "approved")
            scenarios = Pairs._scenarios_of_call(record._arguments())
            if record.fusion_scenario:
                scenarios = (record.fusion_scenario, *scenarios)
            record.fusion_pattern = scenarios[0]
            Pairs._count_history(record, scenarios)

    def _fusion_succeeded(self):
        """True when the run executed and did what was asked: a refusal is recorded as a failed execution."""
        self.ensure_one()
        return self.execution_state == "done"

    def _fusion_note_undo(self):
        """Mark the runs that the undo runs of ``self`` undid; they now count against their tool."""
        Pairs = self.env["fusion.accounting.tool.scenario"]
        for record in self.sudo():
            if record.tool_name != UNDO_TOOL or not record.bank_statement_line_id or not record._fusion_succeeded():
                continue
            undone = self.sudo().search(
                [
                    ("bank_statement_line_id", "=", record.bank_statement_line_id.id),
                    ("tool_name", "!=", UNDO_TOOL),
                    ("decision", "in", ("approved", "auto")),
                    ("execution_state", "=", "done"),
                    ("fusion_undone", "=", False),
                    ("id", "<", record.id),
                ]
            )
            for run in undone:
                run.fusion_undone = True
                # A logged tier-2 run was counted nowhere: it joins the pairs of its call, against them.
                scenarios = run.fusion_scenario_ids.mapped("scenario") or Pairs._scenarios_of_call(run._arguments())
                Pairs._count_history(run, scenarios)

    @api.model
    def _fusion_past_matches(self, company=None, limit=MEMORY_SIZE):
        """The latest decided bank-line proposals of ``company`` as :class:`PastMatch` values."""
        company = company or self.env.company
        records = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("decision", "in", ("approved", "rejected")),
                ("bank_statement_line_id", "!=", False),
            ],
            limit=limit,
        )
        return [
            PastMatch(
                partner_id=record.partner_id.commercial_partner_id.id or None,
                label=record.bank_statement_line_id.payment_ref or "",
                amount=to_cents(record.bank_statement_line_id.amount),
                kind=record.fusion_scenario or "",
                id=record.id,
                approved=record.decision == "approved",
            )
            for record in records
        ]

    @api.model
    def _fusion_recall(self, st_line, base_confidence, kind="", partner=None):
        """Confidence of a new match of ``st_line`` once similar past decisions are weighed, and why.

        Returns the :class:`..services.memory_matcher.Recall`; its reason names the history records used.
        """
        facts = MatchFacts(
            partner_id=(partner or st_line.partner_id).commercial_partner_id.id or None,
            label=st_line.payment_ref or "",
            amount=to_cents(st_line.amount),
            kind=kind,
        )
        return remember(facts, base_confidence, self._fusion_past_matches(st_line.company_id))


class FusionAccountingTool(models.Model):
    """Show tier promotions per scenario on the tool registry (design 3.1)."""

    _inherit = "fusion.accounting.tool"

    fusion_promoted_scenarios = fields.Char(
        string="Promoted to Tier 2", compute="_compute_fusion_promoted_scenarios", help="Scenarios promoted to tier 2."
    )

    @api.depends("name")
    def _compute_fusion_promoted_scenarios(self):
        pairs = (
            self.env["fusion.accounting.tool.scenario"]
            .sudo()
            .search([("tool_name", "in", self.mapped("name")), ("state", "=", AUTO)])
        )
        promoted = {}
        for pair in pairs:
            promoted.setdefault(pair.tool_name, []).append(pair.scenario_label)
        for tool in self:
            tool.fusion_promoted_scenarios = ", ".join(promoted.get(tool.name, ()))

    @api.model
    def _tool_tier(self, spec):
        # EXTENDS fusion_accounting_core: a tier-3 tool whose "general" scenario has
        # been promoted by its measured approval rate is learned as tier 2 (the gate
        # then runs it logged, for Managers only); an admin revert brings the
        # approval back.  Narrower scenarios are resolved per call, in _call_tier.
        tier = super()._tool_tier(spec)
        if tier != Tier.APPROVAL:
            return tier
        promoted = (
            self.env["fusion.accounting.tool.scenario"]
            .sudo()
            .search_count(
                [
                    ("tool_name", "=", spec.name),
                    ("scenario", "=", GENERAL_SCENARIO),
                    ("company_id", "=", self.env.company.id),
                    ("state", "=", AUTO),
                ],
                limit=1,
            )
        )
        return Tier.LOGGED_WRITE if promoted else tier

    @api.model
    def _call_tier(self, spec, arguments):
        # EXTENDS fusion_accounting_core: a tier-3 call runs as tier 2 when a scenario it belongs to
        # (its partner, card batches, an amount band) is promoted and none of its scenarios is reverted.
        tier = super()._call_tier(spec, arguments)
        if tier == Tier.APPROVAL and self.env["fusion.accounting.tool.scenario"]._promotes_call(spec.name, arguments):
            return Tier.LOGGED_WRITE
        return tier

    def action_fusion_scenarios(self):
        """Open the tool's (tool, scenario) promotions, where an admin can revert them."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Promotions of %s", self.name),
            "res_model": "fusion.accounting.tool.scenario",
            "view_mode": "list,form",
            "domain": [("tool_name", "=", self.name)],
        }


class FusionAccountingAgent(models.AbstractModel):
    """Give the model the rules it must interpret, before it reasons (design 4.2, step 2)."""

    _inherit = "fusion.accounting.agent"

    @api.model
    def _prompt_rules(self, domains):
        # EXTENDS fusion_accounting_core: rules with match_code run in the tools; the rest are instructions.
        rules = self.env["fusion.accounting.rule"]._get_rules_in_priority()
        return (
            *super()._prompt_rules(domains),
            *(
                RuleInstruction(name=rule._prompt_label(), instructions=rule.match_logic.strip())
                for rule in rules
                if rule.match_logic and not rule.match_code
            ),
        )
