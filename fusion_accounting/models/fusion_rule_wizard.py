from odoo import Command, api, fields, models

from .fusion_rule import RULE_TYPES


class FusionAccountingRuleWizard(models.TransientModel):
    """Quick-create a rule from a chat suggestion (design 4.2, step 1).

    The chat (or the ``propose_rule`` tool, once its proposal is approved)
    fills the wizard; the rule starts at "needs approval" and earns promotion
    like any other.
    """

    _name = "fusion.accounting.rule.wizard"
    _description = "Fusion AI: create a rule from a suggestion"

    name = fields.Char(required=True)
    rule_type = fields.Selection(RULE_TYPES, required=True, default="match")
    description = fields.Text()
    match_logic = fields.Text(required=True)
    match_code = fields.Text()
    trigger_domain = fields.Text()
    fee_account_id = fields.Many2one("account.account", check_company=True)
    write_off_account_id = fields.Many2one("account.account", check_company=True)
    journal_ids = fields.Many2many("account.journal", check_company=True)
    created_by = fields.Selection([("admin", "Admin"), ("ai", "AI")], required=True, default="ai")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    notes = fields.Text(help="Where the suggestion came from, e.g. the approved matches it rests on.")

    @api.model
    def _create_rule(self, values):
        """Create the rule described by ``values`` (wizard fields) and return it."""
        wizard = self.create(values)
        return wizard._rule()

    def _rule(self):
        self.ensure_one()
        return self.env["fusion.accounting.rule"].create(
            {
                "name": self.name,
                "rule_type": self.rule_type,
                "description": self.description,
                "match_logic": self.match_logic,
                "match_code": self.match_code,
                "trigger_domain": self.trigger_domain,
                "fee_account_id": self.fee_account_id.id,
                "write_off_account_id": self.write_off_account_id.id,
                "journal_ids": [Command.set(self.journal_ids.ids)],
                "created_by": self.created_by,
                "company_id": self.company_id.id,
                "notes": self.notes,
            }
        )

    def action_create_rule(self):
        rule = self._rule()
        return {
            "type": "ir.actions.act_window",
            "res_model": "fusion.accounting.rule",
            "res_id": rule.id,
            "view_mode": "form",
            "target": "current",
        }
