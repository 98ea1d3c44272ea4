import base64
import binascii
import dataclasses
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..services.agent import (
    Agent,
    Caller,
    Decision,
    HistoryEntry,
    OdooContext,
    Outcome,
    TurnStatus,
    Verdict,
    arguments_hash,
    build_system_prompt,
    canonical_json,
    data_text,
    gate,
    refusal_message,
    select_tools,
)
from ..services.ai_pricing import session_cost
from ..services.providers import (
    ProviderConfig,
    ProviderConfigError,
    Usage,
    build_provider,
    messages_from_json,
    messages_to_json,
)
from ..services.providers.offline import OfflineProvider
from ..services.tools import Tier, ToolArgumentError, UnknownToolError, validate_arguments
from ..services.uploads import UploadError, upload_text
from ..tools.links import history_links
from .settings_keys import ANTHROPIC_API_KEY, OPENAI_API_KEY, PREFIX

_logger = logging.getLogger(__name__)

STAFF = "fusion_accounting_core.group_fusion_user"
MANAGER = "fusion_accounting_core.group_fusion_manager"
PROPOSAL_VALIDITY_DAYS = 7  # ir.config_parameter fusion_accounting.proposal_validity_days overrides it
TURN_CRON = "fusion_accounting_core.ir_cron_fusion_agent_turns"
PROGRESS = "fusion_ai/progress"  # bus notification: one tool call of a running turn (services/agent/progress.py)
# provider name -> (model setting, key setting, default model)
_PROVIDER_SETTINGS = {
    "claude": ("claude_model", ANTHROPIC_API_KEY, "claude-sonnet-4-20250514"),
    "openai": ("openai_model", OPENAI_API_KEY, "gpt-4o"),
    "openai_compatible": ("openai_model", OPENAI_API_KEY, "llama3.1"),
    "offline": ("", "", "offline"),
}


class FusionAccountingAgent(models.AbstractModel):
    """Thin Odoo adapter around the pure agent (``services/agent``).

    It picks the provider from the settings, builds the prompt context, runs
    tools with the requesting user's rights, logs tier-2 executions, stores
    tier-3 proposals and queues turns as jobs (see ``docs/agent_platform.md``).
    """

    _name = "fusion.accounting.agent"
    _description = "Fusion AI agent"

    # ------------------------------------------------------------ public API

    @api.model
    def post_message(self, text, session_id=False, context=None, domains=None, files=None):
        """Queue ``text`` for a turn of the user's session (a new one when ``session_id`` is empty).

        ``files`` are uploads, ``[{"name", "data" (base64)}]``: each is kept as an
        attachment of the session and its text (see ``services/uploads.py``) is
        added to the message.  When one cannot be read, no turn is queued and
        ``errors`` says why, file by file; the attachments stay on the session.

        Returns ``{"session_id", "state"}`` (and ``errors``) at once; the turn runs as a job.
        """
        self._check_staff()
        uploads = self._decode_uploads(files)
        typed = text.strip() if isinstance(text, str) else ""
        if not typed and not uploads:
            raise UserError(self.env._("The message is empty."))
        sessions = self.env["fusion.accounting.session"].sudo()
        if session_id:
            session = sessions.browse(int(session_id)).exists()
            if not session or session.user_id != self.env.user:
                raise AccessError(self.env._("This conversation is not yours."))
            if session.state in ("queued", "awaiting_approval"):
                raise UserError(self.env._("Wait for the current turn or decide the pending proposals first."))
        else:
            session = sessions.create(
                {"user_id": self.env.uid, "company_id": self.env.company.id, "name": (typed or uploads[0][0])[:60]}
            )
        parts, errors = [typed] if typed else [], []
        for name, data in uploads:
            # sudo: the session is written by the agent only; the user reads the attachment through the session
            self.env["ir.attachment"].sudo().create(
                {"name": name, "raw": data, "res_model": session._name, "res_id": session.id}
            )
            try:
                parts.append(f"Attached file {name}:\n```\n{upload_text(name, data)}\n```")
            except UploadError as error:
                errors.append(str(error))
        if errors:
            return {"session_id": session.id, "state": session.state, "errors": errors}
        values = {"pending_input": "\n\n".join(parts), "state": "queued", "last_error": False}
        if isinstance(context, dict):
            values["odoo_context"] = {k: str(v)[:200] for k, v in context.items() if k in OdooContext.__annotations__}
        if domains is not None:
            values["domains"] = ",".join(str(d) for d in domains)
        session.write(values)
        self._queue_job(session)
        return {"session_id": session.id, "state": session.state}

    @api.model
    def _decode_uploads(self, files):
        """``[(name, bytes)]`` of the uploads sent with a message."""
        uploads = []
        for upload in files or []:
            name = upload.get("name") if isinstance(upload, dict) else None
            try:
                data = base64.b64decode(upload.get("data") or "", validate=True) if name else None
            except (binascii.Error, TypeError):
                data = None
            if not isinstance(name, str) or data is None:
                raise UserError(self.env._("An attached file was not sent as a name and base64 data."))
            uploads.append((name.strip()[:200] or "upload", data))
        return uploads

    @api.model
    def run_tool(self, name, arguments=None):
        """Run one tool directly (dashboard buttons).  Tier 3 never runs here: it needs an approved proposal."""
        self._check_staff()
        spec = self._available_spec(name)
        caller = self._caller()
        if gate(spec, caller) is Verdict.REFUSE:
            raise AccessError(refusal_message(spec, caller))
        try:
            validated = validate_arguments(spec.parameters, arguments or {})
        except ToolArgumentError as error:
            raise UserError(str(error)) from None
        # The tier of this very call: a promotion of its scenario may let it run logged (design 3.1).
        verdict = gate(spec, caller, self.env["fusion.accounting.tool"]._call_tier(spec, validated))
        if verdict is Verdict.PROPOSE:
            raise AccessError(
                self.env._("%(tool)s changes financial data: it only runs as an approved proposal.", tool=spec.name)
            )
        if verdict is Verdict.RUN_LOGGED:
            spec = dataclasses.replace(spec, tier=Tier.LOGGED_WRITE)
        value = spec.call(self.env, validated)
        if verdict is Verdict.RUN_LOGGED:
            self._create_history(spec, arguments or {}, decision="auto", result=value, state="done")
        self.env["fusion.accounting.tool"]._count_usage([spec.name])
        return value

    # ------------------------------------------------------------ who and what

    def _check_staff(self):
        if not self.env.user.has_group(STAFF):
            raise AccessError(self.env._("Only Fusion AI users may use the co-pilot."))

    @api.model
    def _caller(self):
        specs = self.env["fusion.accounting.tool"]._code_specs()
        xmlids = {group for spec in specs for group in spec.groups}
        user = self.env.user
        return Caller(
            user_id=user.id,
            groups=frozenset(xmlid for xmlid in xmlids if user.has_group(xmlid)),
            may_write=user.has_group(MANAGER),
        )

    @api.model
    def _available_spec(self, name):
        for spec in self.env["fusion.accounting.tool"]._available_specs():
            if spec.name == name:
                return spec
        raise UserError(str(UnknownToolError(name)))

    @api.model
    def _get_param(self, name, default=None):
        return self.env["ir.config_parameter"].sudo().get_param(PREFIX + name, default)

    @api.model
    def _get_param_secret(self, key):
        # sudo: the keys are hidden from everyone but Fusion administrators (ir.rule + get_param guard)
        return self.env["ir.config_parameter"].sudo().get_param(key) or ""

    @api.model
    def _get_provider(self):
        """``(provider, note)``: the configured provider, or the offline one and why.

        Keys are read with sudo and handed to the provider only; they are never
        logged nor stored elsewhere.
        """
        name = self._get_param("ai_provider", "claude")
        model_key, secret_key, default_model = _PROVIDER_SETTINGS.get(name, ("", "", ""))
        config = ProviderConfig(
            model=(self._get_param(model_key) if model_key else "") or default_model,
            api_key=(self._get_param_secret(secret_key) if secret_key else ""),
            base_url=self._get_param("openai_base_url", "") if name == "openai_compatible" else "",
        )
        try:
            return build_provider(name, config), ""
        except ProviderConfigError as error:
            return OfflineProvider(), str(error)

    # ------------------------------------------------------------ turns

    @api.model
    def _queue_job(self, session):
        session._notify()
        self.env.ref(TURN_CRON).sudo()._trigger()

    @api.model
    def _cron_run_turns(self, limit=20):
        """Job: run the queued turns, one transaction each, isolated from one another."""
        self.env.cr.execute(
            "SELECT id FROM fusion_accounting_session WHERE state = 'queued' ORDER BY write_date LIMIT %s "
            "FOR UPDATE SKIP LOCKED",
            [limit],
        )
        sessions = self.env["fusion.accounting.session"].sudo().browse([row[0] for row in self.env.cr.fetchall()])
        for position, session in enumerate(sessions, 1):
            self._run_queued_turn(session)
            self.env["ir.cron"]._commit_progress(1, remaining=len(sessions) - position)

    @api.model
    def _run_queued_turn(self, session):
        """Run ``session``'s queued turn as its user; a crash fails this session only."""
        try:
            with self.env.cr.savepoint():
                agent = self.with_user(session.user_id).with_company(session.company_id)
                agent._run_turn(session.sudo())
        except Exception:  # one broken turn must not stop the queue
            _logger.exception("Fusion AI: the turn of session %s failed", session.id)
            session.write(
                {"state": "failed", "last_error": self.env._("The turn failed unexpectedly."), "pending_input": False}
            )
        session._notify()

    @api.model
    def _run_turn(self, session):
        """Run (or resume) one turn of ``session`` (sudo record) with this env's user and rights."""
        caller = self._caller()
        domains = tuple(d for d in (session.domains or "").split(",") if d)
        tools = select_tools(self.env["fusion.accounting.tool"]._available_specs(), caller=caller, domains=domains)
        provider, note = self._get_provider()
        agent = Agent(
            provider=provider,
            tools=tools,
            caller=caller,
            execute=self._execute_tool,
            system=build_system_prompt(
                today=fields.Date.context_today(self),
                context=OdooContext(**(session.odoo_context or {})),
                rules=self._prompt_rules(domains),
                history=self._prompt_history(session, domains),
            ),
            log=lambda record: self._log_execution(session, record),
            observer=lambda event: self._publish_progress(session, event),
            call_tier=self.env["fusion.accounting.tool"]._call_tier,
            max_tool_calls=int(self._get_param("max_tool_calls_per_turn", 20) or 20),
        )
        conversation = messages_from_json(session.conversation)
        if session.pending_input:
            result = agent.run(conversation, session.pending_input)
        else:
            result = agent.resume(conversation, self._decisions(session))
        self._store_result(session, result, provider, note)
        return result

    @api.model
    def _publish_progress(self, session, event):
        """Send ``event`` (a :class:`ProgressEvent`) to the session's user on the bus, now.

        The turn's own transaction only commits when the turn ends, and bus
        notifications leave at commit: the event goes through a short cursor of
        its own that commits at once.  A lost event costs the user a spinner,
        never the turn: the conversation written at the end is the record.
        """
        payload = {"session_id": session.id, **event.as_json()}
        try:
            with self.env.registry.cursor() as cr:
                env = self.env(cr=cr, su=True)
                env["bus.bus"]._sendone(env["res.partner"].browse(session.user_id.partner_id.id), PROGRESS, payload)
        except Exception:  # the bus is a view of the turn: its failure must not fail the turn
            _logger.warning("Fusion AI: progress of session %s not published", session.id, exc_info=True)

    @api.model
    def _execute_tool(self, spec, arguments):
        # A savepoint per call: a failing tool rolls back its own writes only.
        with self.env.cr.savepoint():
            return spec.call(self.env, arguments)

    @api.model
    def _prompt_rules(self, domains):
        """Active Fusion Rules as :class:`RuleInstruction` (EXTENDED by the rules engine; none here)."""
        return ()

    @api.model
    def _prompt_history(self, session, domains):
        limit = int(self._get_param("match_history_in_prompt", 50) or 0)
        if limit <= 0:
            return ()
        domain = [("company_id", "=", session.company_id.id), ("decision", "!=", "pending")]
        if domains:
            names = [s.name for s in self.env["fusion.accounting.tool"]._code_specs() if s.domain in domains]
            domain.append(("tool_name", "in", names))
        records = self.env["fusion.accounting.match.history"].sudo().search(domain, limit=limit)
        return tuple(
            HistoryEntry(
                tool_name=r.tool_name,
                decision=r.decision,
                arguments=r._arguments(),
                reasoning=r.ai_reasoning or "",
                rejection_reason=r.rejection_reason or "",
                correct_action=r.correct_action or "",
                partner=r.partner_id.display_name or "",
                amount=r.amount or None,
            )
            for r in records
        )

    @api.model
    def _decisions(self, session):
        """Decisions for the proposals of the turn being resumed."""
        decisions = []
        for record in session.history_ids.filtered(lambda h: h.tier == "3" and h.call_id in session._open_call_ids()):
            if record.decision == "approved":
                outcome = Outcome.APPROVED if record.execution_state == "done" else Outcome.FAILED
                decisions.append(Decision(record.call_id, outcome, content=record.tool_result or ""))
            elif record.decision == "rejected":
                decisions.append(
                    Decision(
                        record.call_id,
                        Outcome.REJECTED,
                        reason=record.rejection_reason or "",
                        correct_action=record.correct_action or "",
                    )
                )
            elif record.decision == "expired":
                decisions.append(Decision(record.call_id, Outcome.EXPIRED))
        return decisions

    @api.model
    def _log_execution(self, session, record):
        # The tier it ran at: a tier-3 tool promoted for this call is logged as tier 2.
        spec = dataclasses.replace(self.env["fusion.accounting.tool"]._spec(record.tool), tier=record.tier)
        self._create_history(
            spec,
            record.arguments,
            decision="auto",
            result=record.content,
            state="done" if record.ok else "failed",
            session=session,
            call_id=record.call_id,
        )

    @api.model
    def _create_history(self, spec, arguments, *, decision, result=None, state="not_run", session=None, **extra):
        now = fields.Datetime.now()
        values = {
            "session_id": session.id if session else False,
            "company_id": (session.company_id if session else self.env.company).id,
            "user_id": self.env.uid,
            "tool_name": spec.name,
            "tool_id": self.env["fusion.accounting.tool"].sudo().search([("name", "=", spec.name)], limit=1).id,
            "tier": str(int(spec.tier)),
            "tool_params": canonical_json(arguments),
            "arguments_hash": arguments_hash(arguments),
            "tool_result": result if isinstance(result, str) or result is None else data_text(result),
            "execution_state": state,
            "decision": decision,
            **extra,
        }
        if decision != "pending":
            values.update(decided_at=now, decided_by=self.env.uid)
        values.update(history_links(self.sudo().env, spec.name, arguments))  # links are ids only
        return self.env["fusion.accounting.match.history"].sudo().create(values)

    @api.model
    def _store_result(self, session, result, provider, note=""):
        usage = result.usage or Usage()
        cost = session_cost(provider.model, usage)
        days = int(self._get_param("proposal_validity_days", PROPOSAL_VALIDITY_DAYS) or PROPOSAL_VALIDITY_DAYS)
        expires = fields.Datetime.add(fields.Datetime.now(), days=days)
        for proposal in result.proposals:
            spec = self.env["fusion.accounting.tool"]._spec(proposal.tool)
            self._create_history(
                spec,
                proposal.arguments,
                decision="pending",
                session=session,
                call_id=proposal.call_id,
                ai_reasoning=proposal.reasoning,
                ai_confidence=proposal.confidence,
                expires_at=expires,
            )
        self.env["fusion.accounting.tool"]._count_usage([e.tool for e in result.executions])
        state = {
            TurnStatus.AWAITING_APPROVAL: "awaiting_approval",
            TurnStatus.FAILED: "failed",
        }.get(result.status, "idle")
        session.write(
            {
                "conversation": messages_to_json(result.messages),
                "pending_input": False,
                "state": state,
                "provider": provider.label,
                "model_name": provider.model,
                "last_error": result.error or note or False,
                "tokens_in": session.tokens_in + usage.input_tokens,
                "tokens_out": session.tokens_out + usage.output_tokens,
                "tokens_cache_read": session.tokens_cache_read + usage.cache_read_tokens,
                "tokens_cache_write": session.tokens_cache_write + usage.cache_write_tokens,
                "cost": session.cost + (cost or 0.0),
                "cost_complete": session.cost_complete and cost is not None,
                "tool_call_count": session.tool_call_count + len(result.executions) + len(result.proposals),
            }
        )
