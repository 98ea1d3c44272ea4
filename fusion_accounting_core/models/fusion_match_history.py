import json

from odoo import fields, models

DECISIONS = [
    ("pending", "Pending"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("expired", "Expired"),
    ("auto", "Auto-approved (tier 2)"),
    ("refused", "Refused (not run)"),
]


class FusionAccountingMatchHistory(models.Model):
    """Every tier-2 execution and every tier-3 proposal with its decision (design 5.1, 7.3); every MCP call.

    A proposal is a record in ``pending``; ``tool_params`` holds its exact
    arguments as canonical JSON and ``arguments_hash`` their SHA-256, so an
    approval can only ever run what was proposed.  Records are written by the
    agent and by the approval methods only (no write access for anyone) and
    never vacuumed: this is the audit trail.
    """

    _name = "fusion.accounting.match.history"
    _description = "Fusion AI match history"
    _order = "proposed_at desc, id desc"
    _rec_name = "tool_name"

    session_id = fields.Many2one("fusion.accounting.session", index=True, ondelete="restrict", readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Proposed By", required=True, readonly=True, ondelete="restrict")
    call_id = fields.Char(readonly=True, help="The model's id of the tool call, to answer it when resuming.")
    channel = fields.Selection(
        [("ai", "AI co-pilot"), ("human", "Human action"), ("mcp", "MCP client")],
        default="ai",
        required=True,
        index=True,
        readonly=True,
        help="Who acted: the co-pilot (a tool call or proposal), a person with a button "
        "(docs/agent_platform.md, Human buttons and AI tools) or an MCP client with an API key (docs/mcp.md).",
    )
    mcp_key_name = fields.Char(string="MCP API Key", readonly=True, help="The name of the API key an MCP call used.")
    mcp_key_id = fields.Integer(readonly=True, index="btree_not_null", help="res.users.apikeys id: its rate limit.")
    mcp_session = fields.Char(readonly=True, index="btree_not_null", help="The MCP session: its calls are counted.")
    tool_name = fields.Char(required=True, index=True, readonly=True)
    tool_id = fields.Many2one("fusion.accounting.tool", readonly=True, ondelete="set null")
    # Tier 1 rows are the reads of MCP clients: outside the chat, the history is their only record.
    tier = fields.Selection([("1", "1"), ("2", "2"), ("3", "3")], required=True, readonly=True)
    tool_params = fields.Text(string="Arguments", required=True, readonly=True, help="Canonical JSON.")
    arguments_hash = fields.Char(required=True, readonly=True, help="SHA-256 of the canonical JSON arguments.")
    tool_result = fields.Text(readonly=True)
    execution_state = fields.Selection(
        [("not_run", "Not Run"), ("done", "Done"), ("failed", "Failed")], default="not_run", readonly=True
    )
    ai_reasoning = fields.Text(readonly=True)
    ai_confidence = fields.Float(string="AI Confidence", readonly=True)
    proposed_at = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    expires_at = fields.Datetime(readonly=True)
    decision = fields.Selection(DECISIONS, required=True, default="pending", index=True, readonly=True)
    decided_at = fields.Datetime(readonly=True)
    decided_by = fields.Many2one("res.users", readonly=True, ondelete="restrict")
    rejection_reason = fields.Text(readonly=True)
    correct_action = fields.Text(readonly=True, help="What should have happened instead, when rejected.")
    bank_statement_line_id = fields.Many2one("account.bank.statement.line", readonly=True, ondelete="set null")
    move_line_ids = fields.Many2many("account.move.line", readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True, ondelete="set null")
    currency_id = fields.Many2one("res.currency", related="company_id.currency_id")
    amount = fields.Monetary(readonly=True)

    _call_unique = models.Constraint("UNIQUE(session_id, call_id)", "A tool call is recorded once per session.")
    _confidence_range = models.Constraint(
        "CHECK(ai_confidence IS NULL OR (ai_confidence >= 0 AND ai_confidence <= 1))",
        "The AI confidence is between 0 and 1.",
    )
    _decided_consistency = models.Constraint(
        "CHECK(decision = 'pending' OR decided_at IS NOT NULL)", "A decided record has a decision date."
    )

    def _arguments(self):
        """The stored arguments, as JSON values."""
        self.ensure_one()
        return json.loads(self.tool_params or "{}")

    def _card_facts(self, arguments):
        """The lines this proposal's approval card adds for its tool (``arguments``: its arguments, a dict).

        Extension hook: fusion_accounting's cards show them, and an addon that registers tools (the
        follow-ups: customer, recipients, level, channels) overrides it for its own, calling super() for the others.
        """
        return ()
