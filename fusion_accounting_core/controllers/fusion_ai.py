import functools

from odoo import http
from odoo.exceptions import MissingError, UserError
from odoo.http import request

from ..services.agent.result_view import result_view
from ..services.providers import messages_from_json
from ..services.providers.offline import OfflineProvider
from ..services.route_inputs import (
    MAX_IDS,
    RouteInputError,
    boolean,
    bounded_limit,
    bounded_offset,
    clean_json,
    json_object,
    record_id,
    text_value,
)
from ..services.tools import REGISTRY

HASH_CHARS = 128  # a SHA-256 in hex is 64
RAW_RESULT_CHARS = 20_000

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
    """One message as the chat panel shows it: a tool result also as tables and facts (``view``)."""
    view = {"role": message.role, "text": message.text}
    if message.tool_calls:
        # ``label`` is what people read; the panel shows the key (``name``) only in debug mode.
        view["tool_calls"] = [
            {"id": c.id, "name": c.name, "label": REGISTRY.title_of(c.name), "arguments": c.arguments}
            for c in message.tool_calls
        ]
    if message.role == "tool":
        view["results"] = [
            {
                "id": r.call_id,
                "name": r.name,
                "error": r.is_error,
                "view": result_view(r.name, r.content),
                "content": r.content[:RAW_RESULT_CHARS],  # the JSON the model read, behind the panel's toggle
            }
            for r in message.blocks
        ]
    return view


def _currency_ids(env, messages):
    """``{code: id}`` of the currencies the results name, and the company's: the panel formats money with them."""
    codes = {env.company.currency_id.name}
    for message in messages:
        for result in message.get("results", ()):
            for table in result["view"]["tables"]:
                codes.add(table.get("currency") or "")
                codes.update(row.get("_currency") or "" for row in table["rows"])
    found = env["res.currency"].with_context(active_test=False).search([("name", "in", sorted(c for c in codes if c))])
    return {currency.name: currency.id for currency in found}


def sentences(route):
    """Answer a :class:`RouteInputError` (a value the route cannot use) as a ``UserError``: one sentence."""

    @functools.wraps(route)
    def checked(*args, **kwargs):
        try:
            return route(*args, **kwargs)
        except RouteInputError as error:
            raise UserError(str(error)) from None

    return checked


def _decision(item):
    """One entry of ``/fusion/ai/decide``, checked."""
    item = json_object(item, "Each decision")
    return {
        "id": record_id(item.get("id"), "A decision's id"),
        "approve": boolean(item.get("approve"), "approve"),
        "arguments_hash": text_value(item.get("arguments_hash"), "arguments_hash", max_length=HASH_CHARS, default=None),
        "reason": text_value(item.get("reason"), "reason"),
        "correct_action": text_value(item.get("correct_action"), "correct_action"),
    }


class FusionAIController(http.Controller):
    """JSON-RPC API of the chat panel.  Posting returns at once; the turn runs as a job.

    Every rule is enforced by the models called here (rights, record rules,
    tier gate, approvals); the controller checks the shape and size of what it
    is sent (``services/route_inputs.py``) so that a bad value is answered
    with a sentence, never a traceback.
    """

    @http.route("/fusion/ai/message", type="jsonrpc", auth="user", methods=["POST"])
    def post_message(self, text="", session_id=None, context=None, domains=None, files=None):
        # The agent checks every input, and caps sizes, before it stores anything.
        return request.env["fusion.accounting.agent"].post_message(text, session_id, context, domains, files)

    @http.route("/fusion/ai/sessions", type="jsonrpc", auth="user", methods=["POST"])
    @sentences
    def sessions(self, limit=20, offset=0):
        sessions = request.env["fusion.accounting.session"].search(
            [("user_id", "=", request.env.uid)], limit=bounded_limit(limit), offset=bounded_offset(offset)
        )
        return sessions.read(SESSION_FIELDS)

    @http.route("/fusion/ai/session", type="jsonrpc", auth="user", methods=["POST"])
    @sentences
    def session(self, session_id=None):
        session = request.env["fusion.accounting.session"].browse(record_id(session_id, "session_id")).exists()
        if not session:
            raise MissingError(request.env._("This conversation does not exist, or was deleted."))
        (values,) = session.read(SESSION_FIELDS)  # record rules: only the owner (or a Manager) reads it
        values["messages"] = [_message_view(m) for m in messages_from_json(session.sudo().conversation)]
        values["proposals"] = session.sudo().history_ids.filtered(lambda h: h.tier == "3").read(PROPOSAL_FIELDS)
        values["currency_ids"] = _currency_ids(request.env, values["messages"])
        values["company_currency"] = request.env.company.currency_id.name
        # No model answered: the panel offers the router's tools for a question it did not run one for.
        values["answered_offline"] = values["provider"] == OfflineProvider.label
        return values

    @http.route("/fusion/ai/status", type="jsonrpc", auth="user", methods=["POST"], readonly=True)
    def status(self):
        """Which AI provider is selected, whether it answers, and what it lacks (in a sentence)."""
        return request.env["fusion.accounting.agent"].provider_status()

    @http.route("/fusion/ai/tools", type="jsonrpc", auth="user", methods=["POST"])
    def tools(self, question="", query="", page=""):
        """The user's tools that fit ``question`` (offline router) or match ``query`` (the picker); nothing runs."""
        return request.env["fusion.accounting.agent"].suggest_tools(question, query, page)

    @http.route("/fusion/ai/approve", type="jsonrpc", auth="user", methods=["POST"])
    @sentences
    def approve(self, proposal_id=None, arguments_hash=None, arguments=None):
        proposal = request.env["fusion.accounting.match.history"].browse(record_id(proposal_id, "proposal_id"))
        arguments_hash = text_value(arguments_hash, "arguments_hash", max_length=HASH_CHARS, required=True)
        if arguments is not None:
            arguments = clean_json(json_object(arguments, "arguments"), "arguments")
        return proposal.action_approve(arguments_hash=arguments_hash, arguments=arguments)[proposal.id]

    @http.route("/fusion/ai/reject", type="jsonrpc", auth="user", methods=["POST"])
    @sentences
    def reject(self, proposal_id=None, reason="", correct_action=""):
        proposal = request.env["fusion.accounting.match.history"].browse(record_id(proposal_id, "proposal_id"))
        return proposal.action_reject(text_value(reason, "reason"), text_value(correct_action, "correct_action"))

    @http.route("/fusion/ai/decide", type="jsonrpc", auth="user", methods=["POST"])
    @sentences
    def decide(self, decisions=None):
        if not isinstance(decisions, list):
            raise RouteInputError("decisions must be a list of decisions.", "decisions")
        if len(decisions) > MAX_IDS:
            raise RouteInputError(f"At most {MAX_IDS} proposals can be decided at once.", "decisions")
        return request.env["fusion.accounting.match.history"].decide_batch([_decision(item) for item in decisions])

    @http.route("/fusion/ai/tool", type="jsonrpc", auth="user", methods=["POST"])
    def run_tool(self, name=None, arguments=None):
        return request.env["fusion.accounting.agent"].run_tool(name, arguments)
