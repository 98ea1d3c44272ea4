import base64
import binascii
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
from ..services.agent.intent_router import IntentRouter, choice_json, route, search
from ..services.ai_pricing import session_cost
from ..services.providers import (
    Message,
    ProviderConfigError,
    TextBlock,
    Usage,
    configured_provider,
    messages_from_json,
    messages_to_json,
)
from ..services.providers.offline import OfflineProvider
from ..services.providers.status import provider_status as settings_status
from ..services.route_inputs import (
    MAX_TEXT,
    RouteInputError,
    clean_json,
    json_object,
    record_id,
    storable_json,
    text_value,
    whole_number,
)
from ..services.tools import REGISTRY, ToolArgumentError, ToolRefusal, UnknownToolError, validate_arguments
from ..services.uploads import MAX_UPLOAD_BYTES, UploadError, upload_text
from ..tools.links import history_links
from .provider_sentences import translator
from .settings_keys import PREFIX

_logger = logging.getLogger(__name__)

STAFF = "fusion_accounting_core.group_fusion_user"
MANAGER = "fusion_accounting_core.group_fusion_manager"
PROPOSAL_VALIDITY_DAYS = 7  # ir.config_parameter fusion_accounting.proposal_validity_days overrides it
TURN_CRON = "fusion_accounting_core.ir_cron_fusion_agent_turns"
PROGRESS = "fusion_ai/progress"  # bus notification: one tool call of a running turn (services/agent/progress.py)
MAX_MESSAGE_CHARS = MAX_TEXT  # ir.config_parameter fusion_accounting.max_message_chars overrides it
MAX_FILES = 10  # uploads of one message
MAX_DOMAINS = 50


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

        Every input is checked, and sizes capped (a message's text at
        ``max_message_chars``, a file at ``MAX_UPLOAD_BYTES``), before anything is
        stored: a refusal raises a ``UserError`` saying why, and writes nothing.

        Returns ``{"session_id", "state"}`` (and ``errors``) at once; the turn runs as a job.
        """
        self._check_staff()
        try:
            text = text_value(text, "The message", max_length=self._max_message_chars())
            session_id = record_id(session_id, "session_id", optional=True)
            context = json_object(context, "context") if context is not None else None
            domains = self._clean_domains(domains)
        except RouteInputError as error:
            raise UserError(str(error)) from None
        uploads = self._decode_uploads(files)
        typed = text.strip()
        if not typed and not uploads:
            raise UserError(self.env._("The message is empty."))
        sessions = self.env["fusion.accounting.session"].sudo()
        if session_id:
            session = sessions.browse(session_id).exists()
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
            values["odoo_context"] = {
                k: str(v).replace("\x00", "")[:200] for k, v in context.items() if k in OdooContext.__annotations__
            }
        if domains is not None:
            values["domains"] = ",".join(domains)
        session.write(values)
        self._queue_job(session)
        return {"session_id": session.id, "state": session.state}

    @api.model
    def _max_message_chars(self):
        value = self._get_param("max_message_chars", MAX_MESSAGE_CHARS)
        try:
            return whole_number(value, "max_message_chars", minimum=1, maximum=MAX_UPLOAD_BYTES)
        except RouteInputError:
            return MAX_MESSAGE_CHARS

    @api.model
    def _clean_domains(self, domains):
        """The tool domains of a message: a list of short names (``None`` when not sent)."""
        if domains is None:
            return None
        if not isinstance(domains, list) or len(domains) > MAX_DOMAINS:
            raise RouteInputError(f"domains must be a list of at most {MAX_DOMAINS} tool domain names.", "domains")
        names = [text_value(d, "domains", max_length=64).strip() for d in domains]
        if any("," in name for name in names):
            raise RouteInputError("domains must be a list of tool domain names.", "domains")
        return [name for name in names if name]

    @api.model
    def _decode_uploads(self, files):
        """``[(name, bytes)]`` of the uploads sent with a message; nothing is stored here.

        Sizes are checked on the base64 text before decoding and on the bytes
        after, so an oversized file is refused before any attachment exists.
        """
        if files is None or files is False:
            return []
        if not isinstance(files, list):
            raise UserError(self.env._("The attached files were not sent as a list."))
        if len(files) > MAX_FILES:
            raise UserError(self.env._("At most %(count)s files can be attached to one message.", count=MAX_FILES))

        def too_large(name):
            return UserError(
                self.env._(
                    "%(name)s is larger than %(size)s MB; nothing was saved.",
                    name=name,
                    size=MAX_UPLOAD_BYTES // (1024 * 1024),
                )
            )

        uploads = []
        for upload in files:
            name = upload.get("name") if isinstance(upload, dict) else None
            encoded = upload.get("data") if isinstance(upload, dict) else None
            if not isinstance(name, str) or not name.strip() or not isinstance(encoded, str):
                raise UserError(self.env._("An attached file was not sent as a name and base64 data."))
            name = name.replace("\x00", "").strip()[:200] or "upload"
            if len(encoded) > (MAX_UPLOAD_BYTES + 2) // 3 * 4 + 4:
                raise too_large(name)
            try:
                data = base64.b64decode(encoded, validate=True)
            except (binascii.Error, TypeError, ValueError):
                raise UserError(self.env._("An attached file was not sent as a name and base64 data.")) from None
            if len(data) > MAX_UPLOAD_BYTES:
                raise too_large(name)
            uploads.append((name, data))
        return uploads

    @api.model
    def run_tool(self, name, arguments=None):
        """Run one tool directly (dashboard buttons).  Tier 3 never runs here: it needs an approved proposal."""
        self._check_staff()
        try:
            name = text_value(name, "The tool name", max_length=128, required=True)
            arguments = clean_json(json_object(arguments, "arguments"), "arguments")
        except RouteInputError as error:
            raise UserError(str(error)) from None
        spec = self._available_spec(name)
        caller = self._caller()
        if gate(spec, caller).verdict is Verdict.REFUSE:
            raise AccessError(refusal_message(spec, caller))
        try:
            validated = validate_arguments(spec.parameters, arguments or {})
        except ToolArgumentError as error:
            raise UserError(str(error)) from None
        # The one decision of this call: the gate, with what was learned (design 3.1).
        decision = gate(spec, caller, *self.env["fusion.accounting.tool"]._learned_tiers(spec, validated))
        if decision.verdict is Verdict.PROPOSE:
            raise AccessError(
                self.env._("%(tool)s changes financial data: it only runs as an approved proposal.", tool=spec.name)
            )
        try:
            # A savepoint: a tool that refuses after writing leaves nothing behind.
            with self.env.cr.savepoint():
                value, state = spec.call(self.env, validated), "done"
        except ToolRefusal as refusal:  # answered in the tool's words; recorded as a failed execution
            value, state = refusal.result(), "failed"
        if decision.verdict is Verdict.RUN_LOGGED:
            self._create_history(spec, arguments or {}, tier=decision.tier, decision="auto", result=value, state=state)
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

        The provider registry says which settings configure it (``provider_config``,
        shared with the follow-up text generator).  Keys are read with sudo and
        handed to the provider only; they are never logged nor stored elsewhere.
        """
        try:
            return configured_provider(self._get_param_secret)[1], ""
        except ProviderConfigError as error:
            # Say exactly what is missing ("Claude selected, no API key: set it in Settings").
            say = translator(self.env)
            status = settings_status(self._get_param_secret, say).message or str(error)
            return OfflineProvider(status=status, say=say), status

    @api.model
    def provider_status(self):
        """What the chat panel says about the AI provider: selected, ready, and what is missing."""
        self._check_staff()
        return settings_status(self._get_param_secret, translator(self.env)).as_json()

    @api.model
    def suggest_tools(self, question="", query="", page=""):
        """Tools of the user that fit ``question`` (the offline router) or match ``query`` (the tool picker).

        Each comes with what the panel may do with it (run, a form, a suggestion) and its form.
        Nothing runs here: a choice runs when the user sends it, through the turn and the tier gate.
        """
        self._check_staff()
        try:
            question = text_value(question, "question", max_length=MAX_TEXT)
            query = text_value(query, "query", max_length=200)
            page = text_value(page, "page", max_length=200)
        except RouteInputError as error:
            raise UserError(str(error)) from None
        caller = self._caller()
        tools = select_tools(self.env["fusion.accounting.tool"]._offered_specs(), caller=caller)
        today = fields.Date.context_today(self)
        if question.strip():
            choices = route(question, tools, caller, page=page, today=today)
        else:
            choices = search(query, tools, caller, today=today)
        return [choice_json(choice) for choice in choices]

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
        """Run ``session``'s queued turn as its user; a crash fails this turn of this session only.

        The conversation up to the failure is kept: the savepoint undoes the
        turn, then the user's message and a reply saying the turn failed are
        added, so the next message continues the same conversation.
        """
        try:
            with self.env.cr.savepoint():
                agent = self.with_user(session.user_id).with_company(session.company_id)
                agent._run_turn(session.sudo())
        except Exception:  # one broken turn must not stop the queue
            _logger.exception("Fusion AI: the turn of session %s failed", session.id)
            self._keep_failed_turn(session)
        session._notify()

    @api.model
    def _keep_failed_turn(self, session):
        """After a crashed turn (rolled back): keep the conversation, the user's message and the failure as a reply."""
        error = self.env._("The turn failed unexpectedly; your message is kept. Send it again, or rephrase it.")
        values = {"state": "failed", "last_error": error, "pending_input": False}
        try:
            messages = list(messages_from_json(session.conversation))
        except (KeyError, TypeError, ValueError):  # a damaged conversation is kept as stored
            messages = None
        if messages is not None and session.pending_input:
            # A new message: it and the failure join the conversation.  A resumed turn (decisions)
            # keeps the conversation as it was, still waiting for the same tool results.
            messages += [Message.user(session.pending_input), Message.assistant(TextBlock(error))]
            values["conversation"] = storable_json(messages_to_json(messages))
            values["state"] = "idle"
        session.write(values)

    @api.model
    def _run_turn(self, session):
        """Run (or resume) one turn of ``session`` (sudo record) with this env's user and rights."""
        caller = self._caller()
        domains = tuple(d for d in (session.domains or "").split(",") if d)
        tools = self._offered_tools(caller, domains)
        provider, note = self._get_provider()
        if isinstance(provider, OfflineProvider):  # no model: plain questions go through the intent router
            context = session.odoo_context or {}
            page, today = str(context.get("page") or ""), fields.Date.context_today(self)
            router = IntentRouter(tools, caller, page=page, today=today)
            provider = provider.with_router(router, say=translator(self.env))
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
            call_tier=self.env["fusion.accounting.tool"]._learned_tiers,
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
    def _offered_tools(self, caller, domains=()):
        """The tools offered to ``caller`` (of ``domains``; all when empty): the chat's list, and the MCP server's."""
        return select_tools(self.env["fusion.accounting.tool"]._offered_specs(), caller=caller, domains=domains)

    @api.model
    def _publish_progress(self, session, event):
        """Send ``event`` (a :class:`ProgressEvent`) to the session's user on the bus, now.

        The turn's own transaction only commits when the turn ends, and bus
        notifications leave at commit: the event goes through a short cursor of
        its own that commits at once.  A lost event costs the user a spinner,
        never the turn: the conversation written at the end is the record.
        """
        payload = {"session_id": session.id, **event.as_json(), "label": REGISTRY.title_of(event.tool)}
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
        # An MCP client's reads and refusals record what a program asked, not what a person decided:
        # only a person's decision on an MCP proposal is something to learn from.
        domain += ["|", ("channel", "!=", "mcp"), ("decision", "in", ("approved", "rejected"))]
        if domains:
            names = [s.name for s in self.env["fusion.accounting.tool"]._code_specs() if s.domain in domains]
            domain.append(("tool_name", "in", names))
        # The user's own rights (record rules): Staff learn from their own decisions, not everyone's.
        records = self.env["fusion.accounting.match.history"].with_env(self.env(su=False)).search(domain, limit=limit)
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
        # The tier it ran at is the gate's answer, carried by the record.
        self._create_history(
            self.env["fusion.accounting.tool"]._spec(record.tool),
            record.arguments,
            tier=record.tier,
            decision="auto",
            result=record.content,
            state="done" if record.ok else "failed",
            session=session,
            call_id=record.call_id,
        )

    @api.model
    def _create_history(
        self, spec, arguments, *, decision, result=None, state="not_run", session=None, tier=None, **extra
    ):
        """A history row of one call; ``tier`` is the gate's answer (the spec's tier for a proposal)."""
        now = fields.Datetime.now()
        values = {
            "session_id": session.id if session else False,
            "company_id": (session.company_id if session else self.env.company).id,
            "user_id": self.env.uid,
            "tool_name": spec.name,
            "tool_id": self.env["fusion.accounting.tool"].sudo().search([("name", "=", spec.name)], limit=1).id,
            "tier": str(int(spec.tier if tier is None else tier)),
            "tool_params": canonical_json(arguments),
            "arguments_hash": arguments_hash(arguments),
            "tool_result": result if isinstance(result, str) or result is None else data_text(result),
            "execution_state": state,
            "decision": decision,
            **extra,
        }
        if decision != "pending":
            values.update(decided_at=now, decided_by=self.env.uid)
        # The user's own rights and companies: a proposal naming another company's records must not
        # copy their partner or amount into the history the session shows (issue 18).
        values.update(history_links(self.env(su=False), spec.name, arguments))
        return self.env["fusion.accounting.match.history"].sudo().create(values)

    @api.model
    def _proposal_expiry(self):
        """When a proposal made now expires: the chat's and the nightly jobs' proposals share the setting."""
        days = int(self._get_param("proposal_validity_days", PROPOSAL_VALIDITY_DAYS) or PROPOSAL_VALIDITY_DAYS)
        return fields.Datetime.add(fields.Datetime.now(), days=days)

    @api.model
    def _store_result(self, session, result, provider, note=""):
        usage = result.usage or Usage()
        cost = session_cost(provider.model, usage)
        expires = self._proposal_expiry()
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
                "conversation": storable_json(messages_to_json(result.messages)),
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
