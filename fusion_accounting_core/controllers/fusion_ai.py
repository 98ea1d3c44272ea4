from odoo import http
from odoo.http import request

from ..services.providers import messages_from_json

SESSION_FIELDS = [
    "name",
    "state",
    "provider",
    "model_name",
    "last_error",
    "tokens_in",
    "tokens_out",
    "tokens_cache_read",
    "tokens_cache_write",
    "cost",
    "cost_complete",
    "write_date",
]
PROPOSAL_FIELDS = [
    "tool_name",
    "tool_params",
    "arguments_hash",
    "ai_reasoning",
    "ai_confidence",
    "decision",
    "expires_at",
    "partner_id",
    "amount",
    "execution_state",
    "tool_result",
    "rejection_reason",
]


def _message_view(message):
    """One message as the chat panel shows it."""
    view = {"role": message.role, "text": message.text}
    if message.tool_calls:
        view["tool_calls"] = [{"id": c.id, "name": c.name, "arguments": c.arguments} for c in message.tool_calls]
    if message.role == "tool":
        view["results"] = [{"id": r.call_id, "name": r.name, "error": r.is_error} for r in message.blocks]
    return view


class FusionAIController(http.Controller):
    """JSON-RPC API of the chat panel.  Posting returns at once; the turn runs as a job.

    Every rule is enforced by the models called here (rights, record rules,
    tier gate, approvals); the controller only shapes requests and answers.
    """

    @http.route("/fusion/ai/message", type="jsonrpc", auth="user", methods=["POST"])
    def post_message(self, text="", session_id=None, context=None, domains=None, files=None):
        return request.env["fusion.accounting.agent"].post_message(text, session_id, context, domains, files)

    @http.route("/fusion/ai/sessions", type="jsonrpc", auth="user", methods=["POST"])
    def sessions(self, limit=20, offset=0):
        sessions = request.env["fusion.accounting.session"].search(
            [("user_id", "=", request.env.uid)], limit=min(int(limit), 100), offset=int(offset)
        )
        return sessions.read(SESSION_FIELDS)

    @http.route("/fusion/ai/session", type="jsonrpc", auth="user", methods=["POST"])
    def session(self, session_id):
        session = request.env["fusion.accounting.session"].browse(int(session_id))
        (values,) = session.read(SESSION_FIELDS)  # record rules: only the owner (or a Manager) reads it
        values["messages"] = [_message_view(m) for m in messages_from_json(session.sudo().conversation)]
        values["proposals"] = session.sudo().history_ids.filtered(lambda h: h.tier == "3").read(PROPOSAL_FIELDS)
        return values

    @http.route("/fusion/ai/approve", type="jsonrpc", auth="user", methods=["POST"])
    def approve(self, proposal_id, arguments_hash, arguments=None):
        proposal = request.env["fusion.accounting.match.history"].browse(int(proposal_id))
        return proposal.action_approve(arguments_hash=arguments_hash, arguments=arguments)[proposal.id]

    @http.route("/fusion/ai/reject", type="jsonrpc", auth="user", methods=["POST"])
    def reject(self, proposal_id, reason="", correct_action=""):
        proposal = request.env["fusion.accounting.match.history"].browse(int(proposal_id))
        return proposal.action_reject(reason, correct_action)

    @http.route("/fusion/ai/decide", type="jsonrpc", auth="user", methods=["POST"])
    def decide(self, decisions):
        return request.env["fusion.accounting.match.history"].decide_batch(decisions)

    @http.route("/fusion/ai/tool", type="jsonrpc", auth="user", methods=["POST"])
    def run_tool(self, name, arguments=None):
        return request.env["fusion.accounting.agent"].run_tool(name, arguments)
