"""The daily scan's step for a batch of partners: a few dozen queries for the batch, not dozens per partner.

How it works: the open items of the whole batch are read in one query and each
partner is planned in memory by the pure ``plan_followup`` (``_scan_plan``, with the
batch's promises and disputes read in two more queries; a
partner whose plan fails is recorded as failed and skipped).  The plans then go
through the engine's one send path, ``_apply_plans``, which is set-based: one
idempotency lookup, one payment-history query, one AI-cache lookup, each
level's mail template rendered for all its partners at once (compiled once, fed
the items already read), one ``create`` each for the mails, the runs and the
chatter notes, one UPDATE per level for the item stamps, one partner ``write``
per distinct set of values.

The scan only queues the mails; Odoo's mail queue cron sends them.  It never
calls the AI model (10,000 synchronous model calls would take hours): it uses a
cached AI text when the prompt is unchanged, else the templates; AI text is
written on demand (send from the partner, the batch wizard, the preview).
"""

import dataclasses
import logging
from collections import defaultdict

from odoo import models
from odoo.tools import plaintext2html

from ..services.followup_text_generator import TextSource, generate_text
from ..services.tone_selector import select_tone
from .followup_collections import NO_HOLDS
from .followup_engine import SCAN_TEXT_NOTE
from .ir_qweb import COMPILE_MEMO
from .res_partner import overdue_lines_context

_logger = logging.getLogger(__name__)


class FusionFollowupEngine(models.AbstractModel):
    _inherit = "fusion.followup.engine"

    def _scheduled_followup_batch(self, partner_ids):
        """The daily scan's step for ``partner_ids``: store each status, send each level due (see the module)."""
        partners = self.env["res.partner"].sudo().browse(partner_ids)
        today = self._today()
        ladder, records = self.env["fusion.followup.level"]._ladder(self.env.company)
        items = self.env["fusion.followup.ledger"]._open_items_by_partner(partner_ids)
        holds = self._holds_by_partner(partner_ids)
        plans = []
        for partner in partners:
            try:
                plans.append(
                    self._scan_plan(partner, items.get(partner.id, []), ladder, records, today, holds.get(partner.id))
                )
            except Exception as error:  # isolate the partner: its plan is in memory only, nothing to roll back
                _logger.exception("Follow-up scan failed for partner %s", partner.id)
                self._record_failure(partner, error)
        self._send_planned(plans)

    def _scan_plan(self, partner, items, ladder, records, today, holds=None):  # noqa: PLR0917 (the test seam)
        """The scheduled :class:`PartnerPlan` of one partner from its open items and holds (no query, no write)."""
        return self._plan(
            partner, trigger="cron", items=items, ladder=ladder, records=records, today=today, holds=holds or NO_HOLDS
        )

    def _send_planned(self, plans):
        """Apply the batch's plans through the one send path (the seam a failed batch is retried around)."""
        return self._apply_plans(plans)

    def _scan_texts(self, plans, risks):
        """``{partner_id: (FollowupText, subject, html body)}``: cached AI text, else each level's template.

        Same choice as ``_compose(use_model=False)``, with one cache query and one template
        rendering per level for the whole batch; ``plans`` are :class:`PartnerPlan` values.
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
        overdue_lines = {plan.partner.id: [item.line_id for item in plan.overdue.followup_items] for plan in plans}
        for level, partner_ids in to_render.items():
            template = level.mail_template_id.sudo().with_context(
                **{COMPILE_MEMO: {}}, **overdue_lines_context(overdue_lines)
            )
            # What ``compute_lang=True`` does for each field, once for both: the language of each
            # partner is itself a rendering (the template's ``lang`` expression).
            for localized, ids in template._classify_per_lang(partner_ids).values():
                subjects = localized._render_field("subject", ids)
                bodies = localized._render_field("body_html", ids, add_context=_memoized_formatters(localized))
                for partner_id in ids:
                    texts[partner_id] = (texts[partner_id][0], subjects[partner_id], bodies[partner_id])
        return texts


def _memoized_formatters(template):
    """The template's ``format_date`` and ``format_amount``, each answering once per distinct argument.

    A batch's emails list many items with the same due date or amount, and each call
    of the originals looks up the language and its babel locale again.  Same language
    (the ``template``'s), same arguments: same text.
    """
    helpers = template._render_eval_context()
    return {name: _memoized(helpers[name]) for name in ("format_date", "format_amount")}


def _memoized(function):
    answers = {}

    def memoized(*args, **kwargs):
        key = (args, tuple(sorted(kwargs.items())))
        try:
            return answers[key]
        except KeyError:
            answers[key] = answer = function(*args, **kwargs)
            return answer
        except TypeError:  # an unhashable argument: no memo for it
            return function(*args, **kwargs)

    return memoized
