from odoo import api, fields, models

from ..services.providers import messages_from_json

STATES = [
    ("idle", "Idle"),
    ("queued", "Queued"),
    ("awaiting_approval", "Awaiting Approval"),
    ("failed", "Failed"),
]


class FusionAccountingSession(models.Model):
    """One chat with the co-pilot: its conversation, its provider and what it cost.

    Users only read their sessions; every write goes through the agent
    (``fusion.accounting.agent``), which runs the turns as queued jobs.
    """

    _name = "fusion.accounting.session"
    _description = "Fusion AI chat session"
    _order = "write_date desc, id desc"

    name = fields.Char(required=True, default="New conversation")
    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True, ondelete="restrict")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    state = fields.Selection(STATES, required=True, default="idle", readonly=True)
    provider = fields.Char(readonly=True, help="Provider of the latest turn (claude, openai, offline...).")
    model_name = fields.Char(string="Model", readonly=True)
    conversation = fields.Json(readonly=True, help="Provider-neutral messages, see services/providers/messages.py.")
    pending_input = fields.Text(readonly=True, help="The user message waiting for the job that runs the turn.")
    odoo_context = fields.Json(readonly=True, help="Page, journal, period... sent with the latest message.")
    domains = fields.Char(readonly=True, help="Comma-separated tool domains of this conversation; empty: all.")
    last_error = fields.Text(readonly=True)
    tokens_in = fields.Integer(string="Input Tokens", readonly=True)
    tokens_out = fields.Integer(string="Output Tokens", readonly=True)
    tokens_cache_read = fields.Integer(string="Cached Input Tokens Read", readonly=True)
    tokens_cache_write = fields.Integer(string="Input Tokens Written to Cache", readonly=True)
    cost = fields.Float(string="Cost (USD)", digits=(16, 6), readonly=True)
    cost_complete = fields.Boolean(
        default=True, readonly=True, help="False when a turn ran on a model whose price is unknown."
    )
    tool_call_count = fields.Integer(readonly=True)
    history_ids = fields.One2many("fusion.accounting.match.history", "session_id", readonly=True)
    pending_proposal_count = fields.Integer(compute="_compute_pending_proposal_count")
    transcript = fields.Text(compute="_compute_transcript")

    _tokens_positive = models.Constraint(
        "CHECK(tokens_in >= 0 AND tokens_out >= 0 AND tokens_cache_read >= 0 AND tokens_cache_write >= 0)",
        "Token counts cannot be negative.",
    )

    @api.depends("history_ids.decision")
    def _compute_pending_proposal_count(self):
        for session in self:
            session.pending_proposal_count = len(session.history_ids.filtered(lambda h: h.decision == "pending"))

    @api.depends("conversation")
    def _compute_transcript(self):
        for session in self:
            lines = []
            for message in messages_from_json(session.conversation):
                for block in message.blocks:
                    kind = type(block).__name__
                    if kind == "TextBlock":
                        lines.append(f"{message.role}: {block.text}")
                    elif kind == "ToolCall":
                        lines.append(f"{message.role} calls {block.name} {block.arguments}")
                    else:
                        lines.append(f"tool {block.name}{' (error)' if block.is_error else ''}: {block.content}")
            session.transcript = "\n".join(lines)

    def _open_call_ids(self):
        """Ids of the tool calls of the last assistant message that have no result yet (deferred calls)."""
        self.ensure_one()
        messages = messages_from_json(self.conversation)
        if len(messages) < 2 or messages[-1].role != "tool" or messages[-2].role != "assistant":
            return set()
        answered = {block.call_id for block in messages[-1].blocks}
        return {call.id for call in messages[-2].tool_calls if call.id not in answered}

    def _notify(self):
        """Tell the session's user (over the bus) that the session changed; the client then reads it."""
        for session in self:
            self.env["bus.bus"]._sendone(
                session.user_id.partner_id, "fusion_ai/session", {"id": session.id, "state": session.state}
            )
