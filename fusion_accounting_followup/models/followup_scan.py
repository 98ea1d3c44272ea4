"""The daily scan's step for a batch of partners: a few dozen queries for the batch, not dozens per partner.

How it works: the open items of the whole batch are read in one query and each
partner's level and status are decided in memory (``_scan_plan``; a partner
whose plan fails is recorded as failed and skipped).  The partners due a level
that needs no review are then sent together: one idempotency lookup, one
payment-history query, one AI-cache lookup, each level's mail template rendered
for all its partners at once (compiled once, fed the items already read), one
``create`` each for the mails, the runs and the chatter notes, one UPDATE per
level for the item stamps, one partner ``write`` per distinct set of values.

The scan only queues the mails; Odoo's mail queue cron sends them.  It never
calls the AI model (10,000 synchronous model calls would take hours): it uses a
cached AI text when the prompt is unchanged, else the templates; AI text is
written on demand (send from the partner, the batch wizard, the preview).
"""

import dataclasses
import logging
from collections import defaultdict
from typing import Any

from odoo import models
from odoo.tools import plaintext2html

from ..services.followup_text_generator import TextSource, generate_text
from ..services.level_resolver import decide_level
from ..services.partner_overdue import PartnerOverdue, summarize
from ..services.tone_selector import select_tone
from .followup_engine import SCAN_TEXT_NOTE, FollowupSendError
from .ir_qweb import COMPILE_MEMO
from .res_partner import OVERDUE_LINES

_logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class ScanPlan:
    """What the scan does for one partner: the status to store and the level to send (None: send nothing)."""

    partner: Any  # res.partner record
    overdue: PartnerOverdue
    status: str
    level: Any  # fusion.followup.level record or None


class FusionFollowupEngine(models.AbstractModel):
    _inherit = "fusion.followup.engine"

    def _scheduled_followup_batch(self, partner_ids):
        """The daily scan's step for ``partner_ids``: store each status, send each level due (see the module)."""
        partners = self.env["res.partner"].sudo().browse(partner_ids)
        today = self._today()
        ladder, records = self.env["fusion.followup.level"]._ladder(self.env.company)
        items = self.env["fusion.followup.ledger"]._open_items_by_partner(partner_ids)
        plans = []
        for partner in partners:
            try:
                plans.append(self._scan_plan(partner, items.get(partner.id, []), ladder, records, today))
            except Exception as error:  # isolate the partner: its plan is in memory only, nothing to roll back
                _logger.exception("Follow-up scan failed for partner %s", partner.id)
                self._record_failure(partner, error)
        sent = self._send_planned([plan for plan in plans if plan.level], ladder, today)
        values = {}
        for plan in plans:
            status, sent_values = sent.get(plan.partner.id, (plan.status, {}))
            values[plan.partner] = {**(self._status_values(plan.partner, status) or {}), **sent_values}
        self._write_grouped(values)

    def _scan_plan(self, partner, items, ladder, records, today):
        """The :class:`ScanPlan` of one partner from its open items (no query, no write)."""
        overdue = summarize(partner.id, self.env.company.currency_id.name, items, today)
        decision = decide_level(overdue.items, ladder, today)
        status = self._status(partner, decision, overdue)
        level = records.get(decision.level.id) if decision.level else None
        sends = status == "action_needed" and level and not level.requires_manual_review
        return ScanPlan(partner, overdue, status, level if sends else None)

    def _send_planned(self, plans, ladder, today):
        """Queue the due levels of ``plans``; ``{partner_id: (status, values to write)}`` of those it sent to."""
        company = self.env.company
        keys = {plan.partner.id: self._idempotency_key(plan.partner, plan.level, today) for plan in plans}
        Run = self.env["fusion.followup.run"].sudo()
        already = Run.search([("idempotency_key", "in", list(keys.values())), ("state", "=", "sent")])
        already = set(already.mapped("idempotency_key"))
        plans = [plan for plan in plans if keys[plan.partner.id] not in already]
        if not plans:
            return {}
        history = self.env["fusion.followup.ledger"]._payment_history(today, [plan.partner.id for plan in plans])
        risks = {
            plan.partner.id: self._score(
                plan.partner,
                plan.overdue.total_due,
                plan.overdue.total_overdue,
                plan.overdue.max_days_overdue,
                history,
            )
            for plan in plans
        }
        texts = self._scan_texts(plans, risks)
        runs, mails, notes, sent = [], [], {}, []
        for plan in plans:
            partner, level = plan.partner, plan.level
            values = {
                "partner_id": partner.id,
                "company_id": company.id,
                "level_id": level.id,
                "run_date": today,
                "trigger": "cron",
                "amount_overdue": float(plan.overdue.total_overdue),
                "user_id": self.env.uid,
                "idempotency_key": keys[partner.id],
            }
            text, subject, body = texts[partner.id]
            try:
                mails.append(self._mail_values(partner, subject, body))
            except FollowupSendError as error:
                runs.append({**values, "state": "failed", "error": str(error)})
                notes[partner.id] = self.env._("Follow-up %(level)s failed: %(error)s", level=level.name, error=error)
                continue
            sent.append(plan)
            runs.append({**values, "state": "sent", **self._text_values(text, subject, body)})
            notes[partner.id] = self.env._("Follow-up %s sent.", level.name)
        mail_ids = iter(self._queue_mails(mails).ids)
        Run.create([{**run, "mail_id": next(mail_ids)} if run["state"] == "sent" else run for run in runs])
        self.env["res.partner"].sudo().browse(list(notes))._message_log_batch(notes)
        return self._record_sent(sent, ladder, risks, today)

    def _queue_mails(self, mails):
        """Create the ``mail.mail`` of ``mails`` (values of :meth:`_mail_values`) at once."""
        if mails:
            # mail.message would work out each mail's reply-to with its own queries: same answer, once per batch.
            recipients = self.env["res.partner"].sudo().browse([mail["res_id"] for mail in mails])
            reply_to = recipients._notify_get_reply_to(default=mails[0]["email_from"])
            mails = [{**mail, "reply_to": reply_to[mail["res_id"]]} for mail in mails]
        return self.env["mail.mail"].sudo().create(mails)

    def _record_sent(self, sent, ladder, risks, today):
        """Stamp the items of the ``sent`` plans; ``{partner_id: (status, values to write)}`` for their partners."""
        outcome, stamps = {}, defaultdict(list)
        for plan in sent:
            stamped = self._stamps(ladder, plan.overdue, plan.level)
            for level_id, line_ids in stamped.items():
                stamps[level_id] += line_ids
            risk = risks[plan.partner.id]
            outcome[plan.partner.id] = (
                self._status_after(plan, ladder, stamped, today),
                {
                    "fusion_followup_last_level_id": plan.level.id,
                    "fusion_followup_risk_score": risk.score,
                    "fusion_followup_risk_band": risk.band,
                },
            )
        for level_id, line_ids in stamps.items():
            self._write_line_stamps(line_ids, level_id, today)
        return outcome

    def _status_after(self, plan, ladder, stamped, today):
        """The partner's status once its items carry the ``stamped`` levels (as a re-read would find it)."""
        level_of = {line_id: level_id for level_id, line_ids in stamped.items() for line_id in line_ids}
        items = [
            dataclasses.replace(item, last_level_id=level_of.get(item.line_id, item.last_level_id))
            for item in plan.overdue.items
        ]
        overdue = summarize(plan.partner.id, plan.overdue.currency, items, today)
        return self._status(plan.partner, decide_level(overdue.items, ladder, today), overdue)

    def _scan_texts(self, plans, risks):
        """``{partner_id: (FollowupText, subject, html body)}``: cached AI text, else each level's template.

        Same choice as ``_compose(use_model=False)``, with one cache query and one template
        rendering per level for the whole batch.
        """
        entries = (
            self.env["fusion.followup.text.cache"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", [plan.partner.id for plan in plans]),
                    ("level_id", "in", list({plan.level.id for plan in plans})),
                ]
            )
        )
        cached = {(entry.partner_id.id, entry.level_id.id, entry.tone, entry.fingerprint): entry for entry in entries}
        texts, to_render = {}, defaultdict(list)
        for plan in plans:
            partner, level = plan.partner, plan.level
            tone = select_tone(level.tone, risks[partner.id].band)

            def lookup(fingerprint, key=(partner.id, level.id, tone)):
                entry = cached.get((*key, fingerprint))
                if not entry:
                    return None
                entry.hit_count += 1
                return entry.subject, entry.body

            text = generate_text(self._text_request(partner, level, plan.overdue, tone), cache_lookup=lookup)
            if text.source is TextSource.TEMPLATE:
                text = dataclasses.replace(text, error=SCAN_TEXT_NOTE)
                if level.mail_template_id:
                    to_render[level].append(partner.id)
            texts[partner.id] = (text, text.subject, plaintext2html(text.body))
        overdue_lines = {plan.partner.id: [item.line_id for item in plan.overdue.overdue_items] for plan in plans}
        for level, partner_ids in to_render.items():
            template = level.mail_template_id.sudo().with_context(**{COMPILE_MEMO: {}, OVERDUE_LINES: overdue_lines})
            subjects = template._render_field("subject", partner_ids, compute_lang=True)
            bodies = template._render_field("body_html", partner_ids, compute_lang=True)
            for partner_id in partner_ids:
                texts[partner_id] = (texts[partner_id][0], subjects[partner_id], bodies[partner_id])
        return texts

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
        for values, partner_ids in groups.items():
            self.env["res.partner"].sudo().browse(partner_ids).write(dict(values))
