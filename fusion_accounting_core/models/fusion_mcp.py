import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError

from odoo.addons.base.models.res_users import INDEX_SIZE, KEY_CRYPT_CONTEXT

from ..services.agent import (
    CONFIDENCE_ARG,
    REASONING_ARG,
    Verdict,
    data_text,
    gate,
    refusal_message,
    tool_definitions,
)
from ..services.mcp import Limits, McpError, McpServer, OfferedTool, ToolAnswer
from ..services.mcp.limits import WINDOW
from ..services.route_inputs import RouteInputError, clean_json, json_object
from ..services.tools import Tier, ToolArgumentError, ToolRefusal, validate_arguments

_logger = logging.getLogger(__name__)

STAFF = "fusion_accounting_core.group_fusion_user"
MCP_SCOPE = "fusion_mcp"  # a key of this scope opens the MCP endpoint only; a global key (no scope) too
CALLS_PER_MINUTE = 60  # ir.config_parameter fusion_accounting.mcp_calls_per_minute overrides it
RESULT_PAGE_CHARS = 20000  # fusion_accounting.mcp_result_page_chars: one page of a result
MAX_STORED_CHARS = 2_000_000  # the longest result kept in the history for paging
PROPOSAL_PATH = "/odoo/action-fusion_accounting_core.fusion_history_action/%s"
INVALID_PARAMS = -32602
READ_ERRORS = (AccessError, MissingError, UserError, ValidationError)


class FusionAccountingMcp(models.AbstractModel):
    """Thin Odoo adapter of the MCP server (``services/mcp``): API keys, the gate, proposals, history.

    Every call goes the chat's one path (docs/architecture.md): the tools the
    chat would offer this user, the tier gate with what was learned, a
    savepoint per run, a pending proposal for tier 3, one history row written by
    ``_create_history`` with the channel ``mcp`` and the key's name.
    """

    _name = "fusion.accounting.mcp"
    _description = "Fusion AI over MCP"

    # ------------------------------------------------------------ keys

    @api.model
    def _key_of(self, token):
        """``(key id, key name, user id)`` of a valid, unexpired API key ``token``, else ``None``.

        Odoo's ``_check_credentials`` decides (active user, scope, expiry, hash); the row is then
        found again to name the key in the history.
        """
        if not isinstance(token, str) or len(token) < INDEX_SIZE or len(token) > 200:
            return None
        keys = self.env["res.users.apikeys"].sudo()
        uid = keys._check_credentials(scope=MCP_SCOPE, key=token)
        if not uid:
            return None
        self.env.cr.execute(
            "SELECT id, name, key FROM res_users_apikeys WHERE user_id = %s AND index = %s "
            "AND (scope IS NULL OR scope = %s) "
            "AND (expiration_date IS NULL OR expiration_date >= now() at time zone 'utc')",
            [uid, token[:INDEX_SIZE], MCP_SCOPE],
        )
        for key_id, name, hashed in self.env.cr.fetchall():
            if KEY_CRYPT_CONTEXT.verify(token, hashed):
                return key_id, name, uid
        return None

    # ------------------------------------------------------------ server

    @api.model
    def _server(self, key_id, key_name):
        """The pure MCP server answering for this env's user (the key's), with this database's settings."""
        secret = (self.env["ir.config_parameter"].sudo().get_param("database.secret") or "").encode()
        agent = self.env["fusion.accounting.agent"]
        per_turn = int(agent._get_param("max_tool_calls_per_turn", 20) or 20)
        limits = Limits(
            calls_per_minute=max(int(agent._get_param("mcp_calls_per_minute", CALLS_PER_MINUTE) or 0), 0),
            calls_per_session=max(int(agent._get_param("mcp_calls_per_session", per_turn) or per_turn), 1),
        )
        page_chars = max(int(agent._get_param("mcp_result_page_chars", RESULT_PAGE_CHARS) or RESULT_PAGE_CHARS), 1000)
        version = self.env["ir.module.module"].sudo().search([("name", "=", "fusion_accounting_core")]).latest_version
        return McpServer(
            _Backend(self, key_id, key_name),
            secret=secret,
            server_version=version or "",
            limits=limits,
            page_chars=page_chars,
        )

    # ------------------------------------------------------------ backend

    @api.model
    def _offered(self):
        agent = self.env["fusion.accounting.agent"]
        specs = agent._offered_tools(agent._caller())
        return [
            OfferedTool(definition.name, definition.description, definition.parameters, int(spec.tier), spec.domain)
            for spec, definition in zip(specs, tool_definitions(specs), strict=True)
        ]

    @api.model
    def _usage(self, key_id, session, now):
        """The key's call times in the rate window and the session's call count (its history rows).

        ``session`` is ``None`` for a client of the per-request era (no sessions): the key's rate limit only.
        """
        history = self.env["fusion.accounting.match.history"].sudo()
        times = history.search([("mcp_key_id", "=", key_id), ("proposed_at", ">", now - WINDOW)]).mapped("proposed_at")
        if session is None:
            return times, 0
        return times, history.search_count([("mcp_key_id", "=", key_id), ("mcp_session", "=", session.nonce)])

    @api.model
    def _call(self, name, arguments, key_id, key_name, session):
        """One ``tools/call`` of a registry tool: gate, then run, propose or refuse; always one history row."""
        agent = self.env["fusion.accounting.agent"]
        spec = next((s for s in self.env["fusion.accounting.tool"]._available_specs() if s.name == name), None)
        if spec is None:
            raise McpError(INVALID_PARAMS, f"Unknown tool {str(name)[:80]!r}: tools/list names the tools you may call.")
        extra = {"channel": "mcp", "mcp_key_id": key_id, "mcp_key_name": key_name}
        extra["mcp_session"] = session.nonce if session else False
        caller = agent._caller()
        arguments = dict(arguments)
        reasoning = arguments.pop(REASONING_ARG, None) if spec.tier == Tier.APPROVAL else None
        confidence = arguments.pop(CONFIDENCE_ARG, None) if spec.tier == Tier.APPROVAL else None

        def refuse(sentence, stored_arguments):
            agent._create_history(spec, stored_arguments, decision="refused", result=sentence, **extra)
            return ToolAnswer(sentence, is_error=True)

        try:
            arguments = clean_json(json_object(arguments, "arguments"), "arguments")
        except RouteInputError as error:
            return refuse(f"Invalid arguments, nothing was run: {error}", {})
        if gate(spec, caller).verdict is Verdict.REFUSE:
            return refuse(refusal_message(spec, caller), arguments)
        try:
            validated = validate_arguments(spec.parameters, arguments)
        except ToolArgumentError as error:
            return refuse(f"Invalid arguments, nothing was run: {error}", arguments)
        # The one decision of this call: the gate, with what was learned (design 3.1).
        decision = gate(spec, caller, *self.env["fusion.accounting.tool"]._learned_tiers(spec, validated))
        if decision.verdict is Verdict.PROPOSE:
            return self._propose(spec, arguments, reasoning, confidence, extra)
        try:
            with self.env.cr.savepoint():  # a tool that fails after writing leaves nothing behind
                value, error = spec.call(self.env, validated), ""
        except ToolRefusal as refusal:
            value, error = refusal.result(), refusal.reason
        except READ_ERRORS as failure:  # rights, record rules, the tool's own checks: its sentence
            error = str(failure.args[0] if failure.args else failure)
            value = {"ok": False, "error": error}
        except Exception:  # a crash of the tool: logged here, a sentence for the client
            _logger.exception("Fusion MCP: tool %s failed", spec.name)
            error = "The tool failed unexpectedly; the error was logged."
            value = {"ok": False, "error": error}
        text = data_text(value, limit=None)
        row = agent._create_history(
            spec,
            arguments,
            tier=decision.tier,
            decision="auto",
            result=text[:MAX_STORED_CHARS],
            state="failed" if error else "done",
            **extra,
        )
        self.env["fusion.accounting.tool"]._count_usage([spec.name])
        if error:
            return ToolAnswer(error, is_error=True, history_id=row.id)
        return ToolAnswer(text, history_id=row.id, structured=value if isinstance(value, dict) else None)

    @api.model
    def _propose(self, spec, arguments, reasoning, confidence, extra):
        """Store the chat's pending proposal (bound to the arguments' hash, expiring); nothing runs."""
        agent = self.env["fusion.accounting.agent"]
        confidence = confidence if isinstance(confidence, (int, float)) and not isinstance(confidence, bool) else None
        row = agent._create_history(
            spec,
            arguments,
            decision="pending",
            ai_reasoning=reasoning if isinstance(reasoning, str) and reasoning else False,
            ai_confidence=min(1.0, max(0.0, float(confidence))) if confidence is not None else False,
            expires_at=agent._proposal_expiry(),
            **extra,
        )
        value = {
            "status": "proposed",
            "proposal_id": row.id,
            "tool": spec.name,
            "arguments_hash": row.arguments_hash,
            "approve_url": self.get_base_url() + PROPOSAL_PATH % row.id,
            "expires_at": fields.Datetime.to_string(row.expires_at) + " UTC",
            "message": "Nothing was changed. A Fusion Manager approves or rejects this proposal in Odoo "
            f"(approve_url); call fusion_proposal_status with proposal_id {row.id} to read its outcome.",
        }
        return ToolAnswer(data_text(value, limit=None), history_id=row.id, structured=value)

    @api.model
    def _proposal_status(self, proposal_id):
        """A proposal's outcome, read with the user's rights (another's or another company's: no such proposal)."""
        proposal = self.env["fusion.accounting.match.history"].search([("id", "=", proposal_id), ("tier", "=", "3")])
        if not proposal:
            return ToolAnswer("No such proposal.", is_error=True)
        decision = proposal.decision
        if decision == "pending" and proposal.expires_at and proposal.expires_at < fields.Datetime.now():
            decision = "expired"
        value = {
            "proposal_id": proposal.id,
            "tool": proposal.tool_name,
            "decision": decision,
            "execution_state": proposal.execution_state,
            "expires_at": fields.Datetime.to_string(proposal.expires_at) or "",
            "decided_at": fields.Datetime.to_string(proposal.decided_at) or "",
            "result": proposal.tool_result if decision == "approved" else "",
            "rejection_reason": proposal.rejection_reason or "",
            "correct_action": proposal.correct_action or "",
        }
        return ToolAnswer(data_text(value, limit=None), structured=value)

    @api.model
    def _stored_result(self, history_id):
        """The whole text of one of the user's MCP results, for its next pages."""
        row = self.env["fusion.accounting.match.history"].search(
            [("id", "=", history_id), ("channel", "=", "mcp"), ("user_id", "=", self.env.uid)]
        )
        if not row or not row.tool_result:
            return ToolAnswer("No such result.", is_error=True)
        return ToolAnswer(row.tool_result)


class _Backend:
    """What the pure server asks of Odoo, for one key (``services/mcp/server.py``)."""

    def __init__(self, mcp, key_id, key_name):
        self.mcp, self.key_id, self.key_name = mcp, key_id, key_name

    def offered_tools(self):
        return self.mcp._offered()

    def usage(self, session, now):
        return self.mcp._usage(self.key_id, session, now)

    def call_tool(self, name, arguments, session):
        return self.mcp._call(name, arguments, self.key_id, self.key_name, session)

    def proposal_status(self, proposal_id):
        return self.mcp._proposal_status(proposal_id)

    def stored_result(self, history_id):
        return self.mcp._stored_result(history_id)
