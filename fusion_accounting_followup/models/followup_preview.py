"""The send confirmation: who gets which level and which text, before anything is sent.

The dashboard's Send button first asks :meth:`preview_send`: the recipients (none
when the level sends no e-mail), the channels, the level the plan sends (the first
rung for a first contact, one rung at a time), the drafted text, or the sentence
saying why nothing can be sent.  The person may edit the subject and body; the
send then carries that text (a :class:`ConfirmedText`) through the engine's one
send path, which uses it instead of drafting again.
"""

import dataclasses

from odoo import api, models
from odoo.tools import html_sanitize

from odoo.addons.fusion_accounting_core.tools.modules import module_installed

from ..services.followup_channels import LevelChannels
from ..services.followup_plan import SkipReason
from ..services.followup_text_generator import FollowupText, TextSource
from ..services.tone_selector import select_tone
from .followup_engine import FOLLOWUP_READ

EDITED_NOTE = "edited by the sender before sending"


@dataclasses.dataclass(frozen=True)
class ConfirmedText:
    """The text a person confirmed: ``source`` is that of the draft it started from."""

    subject: str
    body_html: str
    source: str
    edited: bool


class FusionFollowupPreview(models.AbstractModel):
    _inherit = "fusion.followup.engine"

    @api.model
    def preview_send(self, partner, level=None):
        """What Send would do now, as a dict: ``can_send`` and ``reason``, recipients, level and the draft."""
        self._check_right(FOLLOWUP_READ)
        partner = self._partner(partner)
        planned = self._plan(partner, level)
        channels = self._deliveries(planned)
        answer = {
            "partner_id": partner.id,
            "partner": partner.display_name,
            # No e-mail recipient for a level that sends none (its channels: SMS, letter, call).
            "recipients": [partner.email_formatted] if partner.email and channels.email else [],
            "email": channels.email,
            "channels": self._channel_labels(channels),
            "channel_lines": self._channel_lines(planned, channels),
            "level_id": planned.level.id or None,
            "level": planned.level.name or "",
            "level_by_days": planned.plan.level_by_days.name if planned.plan.level_by_days else "",
            "can_send": planned.plan.sends,
            "reason": self._plan_sentence(planned),
        }
        if answer["can_send"] and channels.email and not partner.email:
            answer.update(can_send=False, reason=self.env._("%s has no email address.", partner.display_name))
        if not answer["can_send"] or not channels.email:
            return answer
        text, subject, body = self._compose(
            partner, planned.level, planned.overdue, self._risk(partner, planned.overdue)
        )
        return {**answer, "subject": subject, "body_html": str(body), "source": text.source.value, "tone": text.tone}

    def _deliveries(self, planned):
        """What a send of ``planned`` does (``LevelChannels``); e-mail alone when no level applies."""
        level = planned.plan.level
        channels = level.channels if level else LevelChannels()
        return channels.deliveries(sms_available=module_installed(self.env, "sms"))

    def _channel_labels(self, channels):
        """The translated names of the channels a send uses, in the level form's order."""
        _ = self.env._
        labels = (
            (channels.email, _("E-mail")),
            (channels.sms, _("SMS")),
            (channels.letter, _("Letter")),
            (channels.activity, _("Call")),
            (channels.statement, _("Statement")),
        )
        return [label for used, label in labels if used]

    def _channel_lines(self, planned, channels):
        """What each channel of the send does, for the person who confirms it: ``[{channel, label, detail}]``."""
        _ = self.env._
        partner = planned.partner
        details = {}
        if channels.email:
            details["email"] = _("to %s", partner.email) if partner.email else _("no e-mail address")
        if channels.sms:
            number = self._sms_number(partner)
            details["sms"] = _("to %s", number) if number else _("no phone number: no SMS goes")
        if channels.letter:
            details["letter"] = _("printed with the batch letters")
        if channels.activity:
            user = self._call_person(planned)
            details["activity"] = (
                _("a call activity for %s", user.name) if user else _("nobody to call: no collector or salesperson")
            )
        if channels.statement:
            details["statement"] = _("the statement PDF attached to the e-mail")
        labels = self._channel_labels(channels)
        return [
            {"channel": channel, "label": label, "detail": detail}
            for (channel, detail), label in zip(details.items(), labels, strict=True)
        ]

    def _plan_sentence(self, planned):
        """Why ``planned`` sends nothing, in words that agree with the amounts shown beside it ("" when it sends)."""
        skip = planned.plan.skip
        if skip is SkipReason.NOTHING_OVERDUE and planned.overdue.total_overdue > 0:
            return self.env._("Every overdue item is left out of follow-ups (excluded or disputed).")
        return self._skip_sentence(skip)

    def _confirmed_text(self, planned, risk):
        """``(FollowupText, subject, html body)`` of the text the person confirmed (sanitized, never re-drafted)."""
        text = planned.text
        source = TextSource(text.source) if text.source in {s.value for s in TextSource} else TextSource.TEMPLATE
        confirmed = FollowupText(
            subject=text.subject,
            body=text.body_html,
            source=source,
            tone=select_tone(planned.level.tone, risk.band),
            lang=planned.partner.lang or self.env.lang or "en_US",
            fingerprint="",
            error=EDITED_NOTE if text.edited else None,
        )
        return confirmed, text.subject, html_sanitize(text.body_html)
