"""The follow-up engine: the one write surface of the follow-up lifecycle.

Controllers, wizards, the cron and the AI tools call the seven public methods
(plus ``generate_followup_text`` and ``list_overdue`` for reads).  Rules live
in the pure ``services``; this adapter reads the ledger, checks rights, then
writes with a controlled ``sudo`` so that a follow-up user needs no write
right on partners or journal items.
"""

import dataclasses
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import plaintext2html

from odoo.addons.fusion_accounting_core.services.providers import (
    Message,
    ModelRequest,
    ProviderConfig,
    ProviderConfigError,
    build_provider,
)

from ..services.followup_text_generator import FollowupTextRequest, PromptItem, TextSource, generate_text
from ..services.level_resolver import decide_level
from ..services.partner_overdue import summarize
from ..services.risk_scorer import RiskInputs, score_risk
from ..services.tone_selector import select_tone

FOLLOWUP_READ = "fusion_accounting_core.group_fusion_user"
FOLLOWUP_WRITE = "fusion_accounting_core.group_fusion_manager"
TEXT_MAX_TOKENS = 1200
SCAN_TEXT_NOTE = "the daily scan never calls the model; AI text is written on demand"
PROVIDER_MODEL_PARAMS = {
    "claude": ("fusion_accounting.claude_model", "fusion_accounting.anthropic_api_key"),
    "openai": ("fusion_accounting.openai_model", "fusion_accounting.openai_api_key"),
    "openai_compatible": ("fusion_accounting.openai_model", "fusion_accounting.openai_api_key"),
}


class FollowupSendError(UserError):
    """The email could not be built or queued; recorded on the run as its error."""


class FusionFollowupEngine(models.AbstractModel):
    _name = "fusion.followup.engine"
    _description = "Fusion: follow-up engine"

    # ------------------------------------------------------------------ access
    def _check_right(self, group):
        if self.env.su or self.env.user.has_group(group):
            return
        raise AccessError(self.env._("You need the Fusion follow-up rights (%s) for this action.", group))

    def _partner(self, partner):
        """The commercial partner of ``partner`` (record or id), after checking the user may read it."""
        partner_id = partner if isinstance(partner, int) else partner.id
        record = self.env["res.partner"].browse(partner_id).exists()
        if not record:
            raise UserError(self.env._("Partner %s does not exist.", partner_id))
        record.check_access("read")
        return record.commercial_partner_id

    def _today(self):
        return fields.Date.context_today(self)

    # ------------------------------------------------------------------ reads
    @api.model
    def get_overdue_for_partner(self, partner):
        """The partner's open receivables in the current company (a ``PartnerOverdue``)."""
        self._check_right(FOLLOWUP_READ)
        partner = self._partner(partner)
        return self._overdue(partner)

    def _overdue(self, partner):
        items = self.env["fusion.followup.ledger"]._open_items(partner.id)
        return summarize(partner.id, self.env.company.currency_id.name, items, self._today())

    @api.model
    def compute_followup_level(self, partner):
        """The level the partner is due today and whether it still has to be sent (a ``LevelDecision``)."""
        self._check_right(FOLLOWUP_READ)
        partner = self._partner(partner)
        decision, _overdue, _records = self._decide(partner)
        return decision

    def _decide(self, partner):
        overdue = self._overdue(partner)
        ladder, records = self.env["fusion.followup.level"]._ladder(self.env.company)
        return decide_level(overdue.items, ladder, overdue.today), overdue, records

    @api.model
    def snapshot_followup_history(self, partner, limit=50):
        """The partner's latest runs in the current company, newest first, as JSON-ready dicts."""
        self._check_right(FOLLOWUP_READ)
        partner = self._partner(partner)
        runs = (
            self.env["fusion.followup.run"]
            .sudo()
            .search([("partner_id", "=", partner.id), ("company_id", "=", self.env.company.id)], limit=limit)
        )
        return [
            {
                "id": run.id,
                "date": run.run_date.isoformat(),
                "state": run.state,
                "level": run.level_id.name or "",
                "level_id": run.level_id.id or None,
                "trigger": run.trigger,
                "forced": run.forced,
                "amount_overdue": run.amount_overdue,
                "tone": run.tone or "",
                "text_source": run.text_source or "",
                "ai_generated": run.ai_generated,
                "subject": run.subject or "",
                "error": run.error or "",
                "skip_reason": run.skip_reason or "",
            }
            for run in runs
        ]

    @api.model
    def list_overdue(self, offset=0, limit=80, search=None, order="overdue"):
        """A page of overdue partners with totals and aging, from one aggregate query."""
        self._check_right(FOLLOWUP_READ)
        limit = max(1, min(int(limit), 500))
        page = self.env["fusion.followup.ledger"]._overdue_page(
            self._today(), max(0, int(offset)), limit, search, order
        )
        partners = self.env["res.partner"].browse([row["partner_id"] for row in page["rows"]])
        states = {partner.id: partner for partner in partners.with_context(prefetch_fields=False).sudo()}
        for row in page["rows"]:
            partner = states[row["partner_id"]]
            row.update(
                status=partner.fusion_followup_status or "no_action",
                risk_score=partner.fusion_followup_risk_score,
                risk_band=partner.fusion_followup_risk_band or "",
                last_level=partner.fusion_followup_last_level_id.name or "",
            )
        page.update(offset=offset, limit=limit)
        return page

    # ------------------------------------------------------------------ risk
    @api.model
    def get_partner_risk(self, partner):
        """Live payment-risk score of the partner in the current company (a ``RiskScore`` with drivers)."""
        self._check_right(FOLLOWUP_READ)
        partner = self._partner(partner)
        return self._risk(partner, self._overdue(partner))

    def _risk(self, partner, overdue):
        """Live risk score of one partner (one payment-history query)."""
        history = self.env["fusion.followup.ledger"]._payment_history(overdue.today, [partner.id])
        return self._score(partner, overdue.total_due, overdue.total_overdue, overdue.max_days_overdue, history)

    def _score(self, partner, total_due, overdue, max_days, history):
        paid, late, avg_late = history.get(partner.id, (0, 0, 0.0))
        company = self.env.company
        limit = partner.credit_limit if company.account_use_credit_limit and partner.credit_limit else None
        inputs = RiskInputs(
            open_balance=max(total_due, 0),
            overdue_balance=min(max(overdue, 0), max(total_due, 0)),
            oldest_overdue_days=max_days,
            paid_count=paid,
            paid_late_count=late,
            avg_days_late=avg_late,
            trust=partner.trust or None,
            credit_limit=self.env["fusion.followup.ledger"]._decimal(limit) if limit else None,
        )
        return score_risk(inputs)

    @api.model
    def _refresh_risk_scores(self):
        """Score every partner with open receivables in the current company (set-based reads)."""
        ledger = self.env["fusion.followup.ledger"]
        today = self._today()
        aggregates = ledger._partner_aggregates(today)
        history = ledger._payment_history(today, list(aggregates)) if aggregates else {}
        partners = self.env["res.partner"].sudo().browse(list(aggregates))
        by_result = {}
        for partner in partners:
            data = aggregates[partner.id]
            risk = self._score(partner, data["total_due"], data["overdue"], data["max_days"], history)
            by_result.setdefault((risk.score, risk.band), []).append(partner.id)
        for (score, band), ids in by_result.items():
            partners.browse(ids).write({"fusion_followup_risk_score": score, "fusion_followup_risk_band": band})
        stale = (
            self.env["res.partner"]
            .sudo()
            .search([("fusion_followup_risk_score", ">", 0), ("id", "not in", list(aggregates))])
        )
        stale.write({"fusion_followup_risk_score": 0, "fusion_followup_risk_band": "low"})
        return len(partners)

    # ------------------------------------------------------------------ text
    def _text_completer(self):
        """``complete(prompt) -> str`` backed by the configured provider, or None when none is usable."""
        params = self.env["ir.config_parameter"].sudo()
        name = params.get_param("fusion_accounting.ai_provider", "claude")
        if name not in PROVIDER_MODEL_PARAMS:
            return None
        model_key, api_key = PROVIDER_MODEL_PARAMS[name]
        config = ProviderConfig(
            model=params.get_param(model_key, ""),
            api_key=params.get_param(api_key, ""),
            base_url=params.get_param("fusion_accounting.openai_base_url", "") if name == "openai_compatible" else "",
            timeout=30.0,
        )
        try:
            provider = build_provider(name, config)
        except ProviderConfigError:
            return None

        def complete(prompt):
            request = ModelRequest(
                system=prompt.system, messages=(Message.user(prompt.user),), max_tokens=TEXT_MAX_TOKENS
            )
            return provider.complete(request).message.text

        return complete

    def _text_request(self, partner, level, overdue, tone):
        """The pure text request (prompt and offline template input) for ``partner`` at ``level``."""
        lang = partner.lang or self.env.lang or "en_US"
        items = overdue.overdue_items
        return FollowupTextRequest(
            partner_name=partner.name,
            company_name=self.env.company.name,
            lang=lang,
            currency=overdue.currency,
            tone=tone,
            level_name=level.with_context(lang=lang).name,
            total_overdue=sum((item.amount_residual for item in items), Decimal(0)),
            items=tuple(PromptItem(item.reference, item.date_maturity, item.amount_residual) for item in items),
            sender_name=self.env.company.name,
        )

    def _compose(self, partner, level, overdue, risk, use_model=True):
        """(FollowupText, subject, html body) for ``partner`` at ``level``; the text says its source.

        ``use_model=False`` never calls the AI provider (the daily scan): cached AI text or the templates.
        """
        tone = select_tone(level.tone, risk.band)
        request = self._text_request(partner, level, overdue, tone)
        cache = self.env["fusion.followup.text.cache"]
        complete = self._text_completer() if use_model else None
        text = generate_text(request, complete=complete, cache_lookup=cache._lookup(partner, level, tone))
        if not use_model and text.source is TextSource.TEMPLATE:
            text = dataclasses.replace(text, error=SCAN_TEXT_NOTE)
        if text.source is TextSource.AI:
            cache._store(partner, level, text)
        if text.source is TextSource.TEMPLATE and level.mail_template_id:
            template = level.mail_template_id.sudo()
            subject = template._render_field("subject", [partner.id], compute_lang=True)[partner.id]
            body = template._render_field("body_html", [partner.id], compute_lang=True)[partner.id]
            return text, subject, body
        return text, text.subject, plaintext2html(text.body)

    @api.model
    def generate_followup_text(self, partner, level=None):
        """Preview the text a send would use now, without sending: a dict with its ``source``."""
        self._check_right(FOLLOWUP_READ)
        partner = self._partner(partner)
        decision, overdue, records = self._decide(partner)
        level = self._level(level) or records.get(decision.level.id if decision.level else None)
        if not level:
            raise UserError(self.env._("%s has no follow-up level due.", partner.display_name))
        text, subject, body = self._compose(partner, level, overdue, self._risk(partner, overdue))
        return {
            "subject": subject,
            "body_html": str(body),
            "source": text.source.value,
            "tone": text.tone,
            "lang": text.lang,
            "level_id": level.id,
            "error": text.error or "",
        }

    def _level(self, level):
        if not level:
            return self.env["fusion.followup.level"]
        level_id = level if isinstance(level, int) else level.id
        record = self.env["fusion.followup.level"].sudo().browse(level_id).exists()
        if not record or record.company_id != self.env.company:
            raise UserError(self.env._("Follow-up level %s does not belong to this company.", level_id))
        return record

    # ------------------------------------------------------------------ writes
    @api.model
    def send_followup_email(self, partner, level=None, force=False):
        """Send the partner's due follow-up (or ``level``); ``force`` ignores the schedule and a pause.

        Always returns the ``fusion.followup.run`` that records what happened.
        """
        return self._send(partner, level, force=force, trigger="manual")

    @api.model
    def escalate_to_next_level(self, partner):
        """Send the level above the last one sent, now (outside the schedule)."""
        self._check_right(FOLLOWUP_WRITE)
        partner = self._partner(partner)
        ladder, records = self.env["fusion.followup.level"]._ladder(self.env.company)
        current = partner.sudo().fusion_followup_last_level_id
        following = ladder.next_after(current.id or None)
        if following is None:
            raise UserError(self.env._("%s is already at the last follow-up level.", partner.display_name))
        return self._send(partner, records[following.id], force=True, trigger="escalation")

    @api.model
    def pause_followup(self, partner, until_date=None):
        """Stop follow-ups for the partner until ``until_date`` (indefinitely when None)."""
        self._check_right(FOLLOWUP_WRITE)
        partner = self._partner(partner)
        until = fields.Date.to_date(until_date) if until_date else False
        if until and until <= self._today():
            raise ValidationError(self.env._("A pause must end after today."))
        partner.sudo().write({"fusion_followup_status": "paused", "fusion_followup_paused_until": until})
        partner.sudo()._message_log(
            body=self.env._("Follow-ups paused until %s.", until or self.env._("further notice"))
        )
        return self._state(partner)

    @api.model
    def reset_followup(self, partner):
        """Forget the levels sent on the partner's open items and lift any pause."""
        self._check_right(FOLLOWUP_WRITE)
        partner = self._partner(partner)
        stamped = [item.line_id for item in self._overdue(partner).items if item.last_level_id]
        self._write_line_stamps(stamped, False, False)
        partner.sudo().write(
            {
                "fusion_followup_last_level_id": False,
                "fusion_followup_paused_until": False,
                "fusion_followup_status": "no_action",
            }
        )
        partner.sudo()._message_log(body=self.env._("Follow-up levels reset."))
        self._refresh_status(partner)
        return self._state(partner)

    @api.model
    def get_followup_state(self, partner):
        """The partner's stored follow-up state in the current company (status, pause, last level, risk)."""
        self._check_right(FOLLOWUP_READ)
        return self._state(self._partner(partner))

    def _state(self, partner):
        partner = partner.sudo()
        return {
            "partner_id": partner.id,
            "status": partner.fusion_followup_status or "no_action",
            "paused_until": partner.fusion_followup_paused_until and partner.fusion_followup_paused_until.isoformat(),
            "last_level_id": partner.fusion_followup_last_level_id.id or None,
            "risk_score": partner.fusion_followup_risk_score,
            "risk_band": partner.fusion_followup_risk_band or "",
        }

    def _is_paused(self, partner):
        partner = partner.sudo()
        if partner.fusion_followup_status != "paused":
            return False
        until = partner.fusion_followup_paused_until
        return not until or until > self._today()

    def _refresh_status(self, partner, decision=None, overdue=None):
        """Store the partner's status for the current company (the pause wins while it lasts)."""
        if decision is None:
            decision, overdue, _records = self._decide(partner)
        status = self._status(partner, decision, overdue)
        vals = self._status_values(partner, status)
        if vals:
            partner.sudo().write(vals)
        return status

    def _status(self, partner, decision, overdue):
        """The status ``decision`` and ``overdue`` give the partner (the pause wins while it lasts)."""
        if self._is_paused(partner):
            return "paused"
        if decision.needs_action:
            return "action_needed"
        if overdue.total_overdue > 0:
            return "overdue"
        return "no_action"

    def _status_values(self, partner, status):
        """The partner values that store ``status`` (an ended pause is cleared), or None when already stored."""
        vals = {"fusion_followup_status": status}
        if status != "paused" and partner.sudo().fusion_followup_paused_until:
            vals["fusion_followup_paused_until"] = False
        if partner.sudo().fusion_followup_status != status or len(vals) > 1:
            return vals
        return None

    def _skip_reason(self, partner, decision, level, overdue, *, force, trigger):
        if not overdue.overdue_items:
            return self.env._("Nothing is overdue.")
        if not level:
            return self.env._("No follow-up level is due yet.")
        if force:
            return None
        if self._is_paused(partner):
            return self.env._("Follow-ups are paused for this partner.")
        if not decision.needs_action:
            return self.env._("This level was already sent for every overdue item.")
        if trigger == "cron" and level.requires_manual_review:
            return self.env._("This level requires a manual review before sending.")
        return None

    def _plan(self, partner, level=None, *, force=False, trigger="manual"):
        """What a send would do now, without doing it: ``(level, decision, overdue, skip_reason)``.

        The batch wizard's preview and :meth:`_send` share this, so the preview is what gets sent.
        """
        level = self._level(level)
        decision, overdue, records = self._decide(partner)
        chosen = level or records.get(decision.level.id if decision.level else None, level)
        reason = self._skip_reason(partner, decision, chosen, overdue, force=force, trigger=trigger)
        return chosen, decision, overdue, reason

    def _send(self, partner, level=None, force=False, trigger="manual"):
        self._check_right(FOLLOWUP_WRITE)
        partner = self._partner(partner)
        chosen, _decision, overdue, reason = self._plan(partner, level, force=force, trigger=trigger)
        Run = self.env["fusion.followup.run"].sudo()
        today = overdue.today
        values = {
            "partner_id": partner.id,
            "company_id": self.env.company.id,
            "level_id": chosen.id,
            "run_date": today,
            "trigger": trigger,
            "forced": bool(force),
            "amount_overdue": float(overdue.total_overdue),
            "user_id": self.env.uid,
        }
        if reason:
            return Run.create({**values, "state": "skipped", "skip_reason": reason})
        key = None if force else self._idempotency_key(partner, chosen, today)
        if key:
            already = Run.search([("idempotency_key", "=", key), ("state", "=", "sent")], limit=1)
            if already:
                return already
        run = Run.create({**values, "state": "pending", "idempotency_key": key})
        risk = self._risk(partner, overdue)
        try:
            with self.env.cr.savepoint():
                text, subject, body = self._compose(partner, chosen, overdue, risk, use_model=trigger != "cron")
                run.write(self._text_values(text, subject, body))
                mail = self._queue_mail(partner, subject, body)
        except (FollowupSendError, UserError, ValidationError, ValueError) as error:
            run.write({"state": "failed", "error": str(error)})
            partner.sudo()._message_log(
                body=self.env._("Follow-up %(level)s failed: %(error)s", level=chosen.name, error=error)
            )
            return run
        run.write({"state": "sent", "mail_id": mail.id})
        self._stamp(overdue, chosen, today)
        partner.sudo().write(
            {
                "fusion_followup_last_level_id": chosen.id,
                "fusion_followup_risk_score": risk.score,
                "fusion_followup_risk_band": risk.band,
            }
        )
        partner.sudo()._message_log(body=self.env._("Follow-up %s sent.", chosen.name))
        self._refresh_status(partner)
        return run

    def _idempotency_key(self, partner, level, today):
        """The key a scheduled send of ``level`` to ``partner`` on ``today`` stores on its run (sent once)."""
        return f"{self.env.company.id}:{partner.id}:{level.id}:{today.isoformat()}"

    def _queue_mail(self, partner, subject, body):
        return self.env["mail.mail"].sudo().create(self._mail_values(partner, subject, body))

    def _text_values(self, text, subject, body):
        """What a run records of the text it sent: the same for one partner and for a scan's batch."""
        return {
            "tone": text.tone,
            "text_source": text.source.value,
            "ai_generated": text.source in (TextSource.AI, TextSource.CACHE),
            "text_error": (text.error or "")[:250],
            "subject": subject,
            "body": body,
        }

    def _mail_values(self, partner, subject, body):
        """Values of the queued ``mail.mail`` to ``partner``; ``FollowupSendError`` when it has no email."""
        if not partner.email:
            raise FollowupSendError(self.env._("%s has no email address.", partner.display_name))
        company = self.env.company
        return {
            "subject": subject,
            "body_html": body,
            "email_from": company.email_formatted or self.env.user.email_formatted,
            "recipient_ids": [(4, partner.id)],
            "model": "res.partner",
            "res_id": partner.id,
            "auto_delete": False,
        }

    def _stamp(self, overdue, level, today):
        """Record on each overdue item that ``level`` (or a higher one it already had) was sent."""
        ladder, _records = self.env["fusion.followup.level"]._ladder(self.env.company)
        for level_id, line_ids in self._stamps(ladder, overdue, level).items():
            self._write_line_stamps(line_ids, level_id, today)

    def _stamps(self, ladder, overdue, level):
        """``{level_id: [line_id, ...]}``: the level each overdue item carries once ``level`` is sent."""
        by_level = {}
        for item in overdue.overdue_items:
            by_level.setdefault(ladder.higher(item.last_level_id, level.id), []).append(item.line_id)
        return by_level

    def _write_line_stamps(self, line_ids, level_id, run_date):
        # Plain UPDATE of our two columns: an ORM write on posted journal items re-runs the
        # move's balance and synchronisation checks, which these bookkeeping-neutral fields never affect.
        if not line_ids:
            return
        self.env.cr.execute(
            """UPDATE account_move_line
                  SET fusion_followup_level_id = %s, fusion_followup_last_run_date = %s
                WHERE id = ANY(%s)""",
            [level_id or None, run_date or None, list(line_ids)],
        )
        self.env["account.move.line"].browse(line_ids).invalidate_recordset(
            ["fusion_followup_level_id", "fusion_followup_last_run_date"]
        )

    def _scheduled_followup(self, partner):
        """The daily scan's step for one partner: refresh its status, send when a level is due."""
        decision, overdue, records = self._decide(partner)
        status = self._refresh_status(partner, decision, overdue)
        level = records.get(decision.level.id) if decision.level else None
        if status == "action_needed" and level and not level.requires_manual_review:
            return self._send(partner, level, trigger="cron")
        return None

    def _record_failure(self, partner, error):
        """A partner the scan could not process: a failed run and a chatter note, nothing else."""
        self.env["fusion.followup.run"].sudo().create(
            {
                "partner_id": partner.id,
                "company_id": self.env.company.id,
                "run_date": self._today(),
                "trigger": "cron",
                "state": "failed",
                "error": str(error) or type(error).__name__,
            }
        )
        partner.sudo()._message_log(body=self.env._("The follow-up scan failed for this partner: %s", error))
