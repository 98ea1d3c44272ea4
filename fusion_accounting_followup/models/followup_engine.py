"""The follow-up engine: the one write surface of the follow-up lifecycle.

Controllers, wizards, the cron and the AI tools call the seven public methods
(plus ``generate_followup_text`` and ``list_overdue`` for reads).  Rules live
in the pure ``services``; this adapter reads the ledger, checks rights, then
writes with a controlled ``sudo`` so that a follow-up user needs no write
right on partners or journal items.
"""

import dataclasses
from collections import defaultdict
from typing import Any

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import plaintext2html, str2bool

from odoo.addons.fusion_accounting_core.services.ar_aging_buckets import AGING_BUCKETS
from odoo.addons.fusion_accounting_core.services.providers import (
    Message,
    ModelRequest,
    ProviderConfigError,
    configured_provider,
)

from ..services.followup_plan import (
    FollowupPlan,
    FollowupState,
    SkipReason,
    chased_items,
    plan_followup,
    status_of,
)
from ..services.followup_text_generator import FollowupTextRequest, PromptItem, TextSource, generate_text
from ..services.partner_overdue import PartnerOverdue, summarize
from ..services.risk_scorer import RiskInputs, score_risk
from ..services.tone_selector import select_tone
from .res_partner import overdue_lines_context

FOLLOWUP_READ = "fusion_accounting_core.group_fusion_user"
FOLLOWUP_WRITE = "fusion_accounting_core.group_fusion_manager"
TEXT_MAX_TOKENS = 1200
TEXT_TIMEOUT = 30.0  # seconds; a preview must not hang the form
SKIP_LEVELS_PARAM = "fusion_accounting.followup_skip_levels"
SCAN_TEXT_NOTE = "the daily scan never calls the model; AI text is written on demand"


class FollowupSendError(UserError):
    """The email could not be built or queued; recorded on the run as its error."""


@dataclasses.dataclass(frozen=True)
class PartnerPlan:
    """A pure :class:`FollowupPlan` with what the send path needs around it (records, summary, trigger)."""

    partner: Any  # res.partner record
    overdue: PartnerOverdue
    plan: FollowupPlan
    level: Any  # fusion.followup.level record of plan.level (empty when none)
    force: bool
    trigger: str
    text: Any = None  # the person's text from the send confirmation (followup_preview.py), replacing the draft


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
        # A partner the user may not read gets the answer of a missing one: no probing of other companies.
        if not record or not record.has_access("read"):
            raise UserError(self.env._("Partner %s does not exist.", partner_id))
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
        return summarize(partner.id, self.env.company.currency_id.name, items, self._today(), buckets=AGING_BUCKETS)

    @api.model
    def compute_followup_level(self, partner):
        """The level the partner is due today and whether it still has to be sent (a ``LevelDecision``)."""
        self._check_right(FOLLOWUP_READ)
        return self._plan(self._partner(partner)).plan.decision

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
        # The cards say what the detail says: status and risk planned and scored now from the ledger
        # (a few set-based queries for the page), never the values the nightly and weekly jobs last stored.
        today, ledger = self._today(), self.env["fusion.followup.ledger"]
        items = ledger._open_items_by_partner(partners.ids) if partners else {}
        history = ledger._payment_history(today, partners.ids) if partners else {}
        ladder, records = self.env["fusion.followup.level"]._ladder(self.env.company)
        for row in page["rows"]:
            partner = states[row["partner_id"]]
            planned = self._plan(partner, items=items.get(partner.id, []), ladder=ladder, records=records, today=today)
            overdue = planned.overdue
            risk = self._score(partner, overdue.total_due, overdue.total_overdue, overdue.max_days_overdue, history)
            row.update(
                status=planned.plan.status,
                risk_score=risk.score,
                risk_band=risk.band,
                last_level=partner.fusion_followup_last_level_id.name or "",
                next_level=planned.level.name or "",
                can_send=planned.plan.sends,
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
        """``complete(prompt) -> str`` backed by the configured provider, or None when none is usable.

        The same settings and defaults as the agent's (the provider registry's
        ``provider_config``); a provider without a model (offline) writes no text.
        """
        params = self.env["ir.config_parameter"].sudo()  # sudo: the API keys are admin-only settings
        try:
            entry, provider = configured_provider(lambda key: params.get_param(key) or "", timeout=TEXT_TIMEOUT)
        except ProviderConfigError:
            return None
        if not entry.uses_model:
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
        items = overdue.followup_items  # the chased invoices and the credits that lower them: the total adds up
        return FollowupTextRequest(
            partner_name=partner.name,
            company_name=self.env.company.name,
            lang=lang,
            currency=overdue.currency,
            tone=tone,
            level_name=level.with_context(lang=lang).name,
            total_overdue=overdue.followup_total,
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
            # The template lists the plan's items (no disputed invoice), not its own search of the ledger.
            lines = {partner.id: [item.line_id for item in overdue.followup_items]}
            template = level.mail_template_id.sudo().with_context(**overdue_lines_context(lines))
            subject = template._render_field("subject", [partner.id], compute_lang=True)[partner.id]
            body = template._render_field("body_html", [partner.id], compute_lang=True)[partner.id]
            return text, subject, body
        return text, text.subject, plaintext2html(text.body)

    @api.model
    def generate_followup_text(self, partner, level=None):
        """Preview the text a send would use now, without sending: a dict with its ``source``."""
        self._check_right(FOLLOWUP_READ)
        partner = self._partner(partner)
        planned = self._plan(partner, level)
        level, overdue = planned.level, planned.overdue
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
        following = self._escalation_level(partner)  # followup_human.py: the one reading of "the level above"
        if not following:
            raise UserError(self.env._("%s is already at the last follow-up level.", partner.display_name))
        return self._send(partner, following, force=True, trigger="escalation")

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
        overdue = self._overdue(partner)
        stamped = [item.line_id for item in overdue.items if item.last_level_id or item.last_sent_on]
        self._write_line_stamps(stamped, False, False)
        items = [dataclasses.replace(item, last_level_id=None, last_sent_on=None) for item in overdue.items]
        ladder, _records = self.env["fusion.followup.level"]._ladder(self.env.company)
        partner.sudo().write(
            {
                "fusion_followup_last_level_id": False,
                "fusion_followup_paused_until": False,
                "fusion_followup_status": status_of(items, ladder, FollowupState(), overdue.today),
            }
        )
        partner.sudo()._message_log(body=self.env._("Follow-up levels reset."))
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

    # ------------------------------------------------------------------ plan
    def _followup_state(self, partner, items, promised_until=None):
        """The pure :class:`FollowupState` of ``partner`` (its stored fields; the last send from the item stamps)."""
        partner = partner.sudo()
        return FollowupState(
            paused=partner.fusion_followup_status == "paused",
            paused_until=partner.fusion_followup_paused_until or None,
            last_level_id=partner.fusion_followup_last_level_id.id or None,
            last_sent_on=max((item.last_sent_on for item in items if item.last_sent_on), default=None),
            promised_until=promised_until,
        )

    def _plan(
        self,
        partner,
        level=None,
        *,
        force=False,
        trigger="manual",
        items=None,
        ladder=None,
        records=None,
        today=None,
        holds=None,
    ):
        """The :class:`PartnerPlan` of a send now, without doing it (reads the ledger unless ``items`` are given).

        Every caller plans here: the engine's sends, the scan (``items`` and ``holds`` of its batch),
        the batch wizard's preview and the buttons, so the preview is what gets sent.  ``holds`` are
        the partner's open promise and disputed items (``followup_collections.py``): a disputed
        item is left out of the summary too, so no amount of a send counts it.
        """
        level = self._level(level)
        today = today or self._today()
        if items is None:
            items = self.env["fusion.followup.ledger"]._open_items(partner.id)
        if ladder is None:
            ladder, records = self.env["fusion.followup.level"]._ladder(self.env.company)
        if holds is None:
            holds = self._holds_by_partner([partner.id]).get(partner.id)
        promised_until, disputed = holds or (None, ())
        items = chased_items(items, disputed)
        overdue = summarize(partner.id, self.env.company.currency_id.name, items, today, buckets=AGING_BUCKETS)
        plan = plan_followup(
            overdue.items,
            ladder,
            self._followup_state(partner, overdue.items, promised_until),
            today,
            chosen=level._spec() if level else None,
            force=bool(force),
            scheduled=trigger == "cron",
            skip_levels=self._skip_levels(),
        )
        record = level or records.get(plan.level.id if plan.level else None, self.env["fusion.followup.level"])
        return PartnerPlan(partner, overdue, plan, record, bool(force), trigger)

    def _skip_levels(self):
        """The setting that lets a send jump to the level due by days (off: one rung at a time)."""
        return str2bool(self.env["ir.config_parameter"].sudo().get_param(SKIP_LEVELS_PARAM) or "False", False)

    def _skip_sentence(self, reason):
        """The translated sentence of a :class:`SkipReason` ("" for none)."""
        if reason is None:
            return ""
        _ = self.env._
        return {
            SkipReason.NOTHING_OVERDUE: _("Nothing is overdue."),
            SkipReason.CREDITS_COVER: _("The customer's open credits (credit notes, payments) cover what it owes."),
            SkipReason.NO_LEVEL_DUE: _("No follow-up level is due yet."),
            SkipReason.PAUSED: _("Follow-ups are paused for this partner."),
            SkipReason.ALREADY_SENT_TODAY: _("A follow-up was already sent to this partner today."),
            SkipReason.ALREADY_SENT: _("This level was already sent for every overdue item."),
            SkipReason.MANUAL_REVIEW: _("This level requires a manual review before sending."),
            SkipReason.PROMISED: _("The customer promised to pay; follow-ups wait until the promised date."),
        }[reason]

    def _status_values(self, partner, status, clears_pause=False):
        """The partner values that store ``status`` (and clear an ended pause), or None when already stored."""
        vals = {"fusion_followup_status": status}
        if clears_pause or (status != "paused" and partner.sudo().fusion_followup_paused_until):
            vals["fusion_followup_paused_until"] = False
        if partner.sudo().fusion_followup_status != status or len(vals) > 1:
            return vals
        return None

    # ------------------------------------------------------------------ the send path
    def _send(self, partner, level=None, force=False, trigger="manual", planned=None):
        """Plan (unless ``planned`` is given) and apply one partner's follow-up; the run, or None for a scan's skip."""
        self._check_right(FOLLOWUP_WRITE)
        partner = self._partner(partner)
        planned = planned or self._plan(partner, level, force=force, trigger=trigger)
        return self._apply_plans([planned]).get(partner.id)

    def _apply_plans(self, plans):
        """The one send path: apply each :class:`PartnerPlan` and return ``{partner_id: run}``.

        A plan that sends renders its text (the model on demand, never for the scan), queues
        its mail, records its run and chatter note, stamps its items and stores the partner's
        state after the send; a plan that skips stores the partner's status and, unless it is the
        scan's, records a skipped run.  A scheduled level already sent today (its idempotency
        key) answers the run that sent it.  Set-based: one query or ``create`` per step for all
        the plans, so the scan's batch and one person's click take the same path.
        """
        Run = self.env["fusion.followup.run"].sudo()
        keys = {
            planned.partner.id: self._idempotency_key(planned.partner, planned.level, planned.plan.today)
            for planned in plans
            if planned.plan.sends and not planned.force
        }
        already = {}
        if keys:
            for run in Run.search([("idempotency_key", "in", list(keys.values())), ("state", "=", "sent")]):
                already[run.idempotency_key] = run
        outcome, partner_values, skipped, sending = {}, {}, [], []
        for planned in plans:
            partner = planned.partner
            if not planned.plan.sends or keys.get(partner.id) in already:
                partner_values[partner] = self._status_values(partner, planned.plan.status, planned.plan.clears_pause)
                if planned.plan.sends:
                    outcome[partner.id] = already[keys[partner.id]]
                elif planned.trigger != "cron":  # the scan stores statuses; it records what it sends
                    skipped.append(planned)
            else:
                sending.append(planned)
        if skipped:
            created = Run.create(
                [
                    {
                        **self._run_values(planned, None),
                        "state": "skipped",
                        "skip_reason": self._skip_sentence(planned.plan.skip),
                    }
                    for planned in skipped
                ]
            )
            outcome.update(zip([planned.partner.id for planned in skipped], created, strict=True))
        if sending:
            outcome.update(self._send_plans(sending, keys, partner_values))
        # A level that needs a person: the scan leaves it, and a person gets a to-do for it.
        self._review_activities(
            [p for p in plans if p.trigger == "cron" and p.plan.skip is SkipReason.MANUAL_REVIEW and p.level]
        )
        self._write_grouped(partner_values)
        return outcome

    def _send_plans(self, plans, keys, partner_values):
        """Render, queue, record, stamp for the sending ``plans``; fills ``partner_values``, returns the runs."""
        today = plans[0].plan.today
        history = self.env["fusion.followup.ledger"]._payment_history(today, [planned.partner.id for planned in plans])
        risks = {
            planned.partner.id: self._score(
                planned.partner,
                planned.overdue.total_due,
                planned.overdue.total_overdue,
                planned.overdue.max_days_overdue,
                history,
            )
            for planned in plans
        }
        # The level's channels decide (services/followup_channels.py): no text nor mail for a level without e-mail.
        emails = {planned.partner.id: planned.plan.level.channels.email for planned in plans}
        scheduled = [planned for planned in plans if planned.trigger == "cron" and emails[planned.partner.id]]
        texts = self._scan_texts(scheduled, risks) if scheduled else {}
        errors = {}
        for planned in plans:
            if planned.trigger == "cron" or not emails[planned.partner.id]:
                continue
            if planned.text is not None:
                texts[planned.partner.id] = self._confirmed_text(planned, risks[planned.partner.id])
                continue
            try:
                with self.env.cr.savepoint():
                    texts[planned.partner.id] = self._compose(
                        planned.partner, planned.level, planned.overdue, risks[planned.partner.id]
                    )
            except (FollowupSendError, UserError, ValidationError, ValueError) as error:
                errors[planned.partner.id] = error
        runs, mails, notes, stamps = [], [], {}, defaultdict(list)
        for planned in plans:
            partner, level = planned.partner, planned.level
            values = self._run_values(planned, keys.get(partner.id))
            error = errors.get(partner.id)
            if error is None and emails[partner.id]:
                text, subject, body = texts[partner.id]
                try:
                    mails.append(self._mail_values(partner, subject, body))
                except FollowupSendError as send_error:
                    error = send_error
            if error is not None:
                runs.append({**values, "state": "failed", "error": str(error)})
                notes[partner.id] = self.env._("Follow-up %(level)s failed: %(error)s", level=level.name, error=error)
                continue
            texted = self._text_values(text, subject, body) if emails[partner.id] else {}
            runs.append({**values, "state": "sent", **texted})
            if not emails[partner.id]:
                # An e-mail is its own entry in the partner's chatter (as Enterprise's follow-up posts it); a send
                # by other channels only leaves this note. One message a partner, not two, is half the scan's mail.
                notes[partner.id] = self.env._("Follow-up %s sent.", level.name)
            for line_id, level_id in planned.plan.stamps:
                stamps[level_id].append(line_id)
            risk = risks[partner.id]
            partner_values[partner] = {
                **(self._status_values(partner, planned.plan.status_after, planned.plan.clears_pause) or {}),
                "fusion_followup_last_level_id": level.id,
                "fusion_followup_risk_score": risk.score,
                "fusion_followup_risk_band": risk.band,
            }
        mail_ids = iter(self._queue_mails(mails).ids)
        created = (
            self.env["fusion.followup.run"]
            .sudo()
            .create(
                [
                    {**run, "mail_id": next(mail_ids)} if run["state"] == "sent" and emails[run["partner_id"]] else run
                    for run in runs
                ]
            )
        )
        self.env["res.partner"].sudo().browse(list(notes))._message_log_batch(notes)
        self._deliver_channels(plans, created)  # SMS, letter, activity, statement (followup_channels.py)
        for level_id, line_ids in stamps.items():
            self._write_line_stamps(line_ids, level_id, today)
        return dict(zip([planned.partner.id for planned in plans], created, strict=True))

    def _run_values(self, planned, key):
        """What every run of ``planned`` records, whatever its outcome."""
        return {
            "partner_id": planned.partner.id,
            "company_id": self.env.company.id,
            "level_id": planned.level.id,
            "run_date": planned.plan.today,
            "trigger": planned.trigger,
            "forced": planned.force,
            "amount_overdue": float(planned.overdue.total_overdue),
            "user_id": self.env.uid,
            "idempotency_key": key,
        }

    def _idempotency_key(self, partner, level, today):
        """The key a scheduled send of ``level`` to ``partner`` on ``today`` stores on its run (sent once)."""
        return f"{self.env.company.id}:{partner.id}:{level.id}:{today.isoformat()}"

    def _queue_mails(self, mails):
        """Create the ``mail.mail`` of ``mails`` (values of :meth:`_mail_values`) at once."""
        if mails:
            # mail.message would work out each mail's reply-to and author with its own queries (the author by
            # searching the sender's address): the same answers, worked out once per batch.
            recipients = self.env["res.partner"].sudo().browse([mail["res_id"] for mail in mails])
            reply_to = recipients._notify_get_reply_to(default=mails[0]["email_from"])
            authors = {
                email_from: self.env["mail.thread"]._message_compute_author(None, email_from)[0]
                for email_from in {mail["email_from"] for mail in mails}
            }
            mails = [
                {**mail, "reply_to": reply_to[mail["res_id"]], "author_id": authors[mail["email_from"]]}
                for mail in mails
            ]
        return self.env["mail.mail"].sudo().create(mails)

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

    def _write_grouped(self, values_by_partner):
        """Write ``{partner: values or None}`` with one ``write`` per distinct values."""
        groups = defaultdict(list)
        for partner, values in values_by_partner.items():
            if values:
                groups[tuple(sorted(values.items()))].append(partner.id)
        # res.partner.write reads each partner's contacts and users, and the risk score makes most
        # groups a single partner: read them for the whole batch at once, not once per write.
        written = self.env["res.partner"].sudo().browse([pid for partner_ids in groups.values() for pid in partner_ids])
        written.mapped("child_ids")
        written.mapped("user_ids")
        # Not tracked: none of these fields is, yet mail.thread's write would read every tracked field of every
        # partner before and after (most of the write's cost).
        Partner = self.env["res.partner"].sudo().with_context(mail_notrack=True)
        for values, partner_ids in groups.items():
            Partner.browse(partner_ids).write(dict(values))

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
        """The scan's step for one partner (when its batch failed): store its status, send what is due."""
        return self._send(partner, trigger="cron")

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
