"""What a person's follow-up buttons do: allowed by role, confirmed when they send outside the schedule, logged.

The dashboard routes call these methods, never the engine's public writes
directly; the co-pilot's tools call the public writes and are gated and logged
by the agent (tiers).  See docs/agent_platform.md, "Human buttons and AI tools".
"""

import dataclasses
from collections import namedtuple

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..services.followup_plan import SkipReason
from ..services.human_actions import ConfirmedSend, confirmation_token, token_matches
from .followup_engine import FOLLOWUP_WRITE

# The history row of a button is named after the co-pilot tool doing the same thing (reset has none).
HumanAction = namedtuple("HumanAction", "name tier")
SEND_DUE = HumanAction("followup_send_due", 2)
SEND_FORCED = HumanAction("followup_send_now", 2)
ESCALATE = HumanAction("followup_escalate", 2)
PAUSE = HumanAction("followup_pause", 2)
RESET = HumanAction("followup_reset", 2)


class FusionFollowupHumanActions(models.AbstractModel):
    _inherit = "fusion.followup.engine"

    # ------------------------------------------------------------------ buttons
    @api.model
    def human_send(self, partner, level=None, force=False, confirm=None, text=None):
        """The Send button: the due level (or ``level``); a forced send needs the token of its preview.

        ``text`` is what the person read and confirmed (``ConfirmedText``, see followup_preview.py).

        A level already sent to the partner today is refused unless forced and confirmed.
        Returns the run, or the preview dict (``confirm_required``) when a confirmation is missing.
        """
        self._check_right(FOLLOWUP_WRITE)
        partner = self._lock(self._partner(partner))
        arguments = {"partner_id": partner.id, "level_id": level or None, "force": bool(force)}
        planned = self._plan(partner, level, force=force)
        if text is not None and self._deliveries(planned).email:
            self._check_confirmed_text(text)
            planned = dataclasses.replace(planned, text=text)
        chosen, today = planned.level, planned.plan.today
        sent_today = self._sent_today(partner, chosen, today) if chosen else 0
        if not force:
            if planned.plan.skip is SkipReason.ALREADY_SENT_TODAY and not sent_today:  # another level went out today
                raise UserError(
                    self.env._(
                        "A follow-up was already sent to %s today; the next level waits for tomorrow. To send it "
                        "now, resend it (force) and confirm.",
                        partner.display_name,
                    )
                )
            if sent_today:
                raise UserError(
                    self.env._(
                        "%(level)s was already sent to %(partner)s today. To send it again, "
                        "resend it (force) and confirm.",
                        level=chosen.name,
                        partner=partner.display_name,
                    )
                )
            return self._log_human(SEND_DUE, arguments, self._send(partner, planned=planned))
        if planned.plan.sends:
            send = ConfirmedSend("resend", self.env.company.id, partner.id, chosen.id, sent_today, today)
            if not self._confirmed(send, confirm):
                return self._preview(send, partner, chosen, confirm, self._resend_question(partner, chosen, sent_today))
        run = self._send(partner, planned=planned)
        return self._log_human(SEND_FORCED, {**arguments, "level_id": chosen.id or None}, run)

    @api.model
    def human_escalate(self, partner, confirm=None):
        """The Escalate button: the one level above the last one sent, after its preview's token."""
        self._check_right(FOLLOWUP_WRITE)
        partner = self._lock(self._partner(partner))
        current = partner.sudo().fusion_followup_last_level_id
        level = self._escalation_level(partner)
        if not level:
            raise UserError(self.env._("%s is already at the last follow-up level.", partner.display_name))
        send = ConfirmedSend("escalate", self.env.company.id, partner.id, level.id, current.id or 0, self._today())
        if not self._confirmed(send, confirm):
            question = self.env._(
                "Escalate %(partner)s from %(current)s to %(level)s and e-mail it now?",
                partner=partner.display_name,
                current=current.name or self.env._("no level"),
                level=level.name,
            )
            return self._preview(send, partner, level, confirm, question)
        run = self._send(partner, level, force=True, trigger="escalation")
        return self._log_human(ESCALATE, {"partner_id": partner.id, "level_id": level.id}, run)

    @api.model
    def human_pause(self, partner, until_date=None):
        """The Pause button (logged)."""
        state = self.pause_followup(partner, until_date=until_date)
        until = until_date.isoformat() if hasattr(until_date, "isoformat") else until_date
        self._log_human(PAUSE, {"partner_id": state["partner_id"], "until_date": until or None}, state)
        return state

    @api.model
    def human_reset(self, partner):
        """The Reset button (logged)."""
        state = self.reset_followup(partner)
        self._log_human(RESET, {"partner_id": state["partner_id"]}, state)
        return state

    # ------------------------------------------------------------------ helpers
    def _check_confirmed_text(self, text):
        """An e-mail goes with the subject and body the person confirmed, never empty ones."""
        if not text.subject.strip():
            raise UserError(self.env._("A follow-up e-mail needs a subject."))
        if not text.body_html.strip():
            raise UserError(self.env._("A follow-up e-mail needs a message."))

    def _escalation_level(self, partner):
        """The level above the last one sent to ``partner`` (an empty record at the top of the ladder)."""
        ladder, records = self.env["fusion.followup.level"]._ladder(self.env.company)
        following = ladder.next_after(partner.sudo().fusion_followup_last_level_id.id or None)
        return records[following.id] if following else self.env["fusion.followup.level"]

    def _lock(self, partner):
        """Serialize the buttons of one partner: of two clicks with one token, the second waits, then
        fails to serialize (the first wrote the partner) and Odoo retries it, which then sees the send done."""
        self.env.cr.execute(SQL("SELECT id FROM res_partner WHERE id = %s FOR NO KEY UPDATE", partner.id))
        return partner

    def _sent_today(self, partner, level, today):
        """How many times ``level`` was sent to ``partner`` today in the current company."""
        return (
            self.env["fusion.followup.run"]
            .sudo()
            .search_count(
                [
                    ("partner_id", "=", partner.id),
                    ("company_id", "=", self.env.company.id),
                    ("level_id", "=", level.id),
                    ("run_date", "=", today),
                    ("state", "=", "sent"),
                ]
            )
        )

    def _resend_question(self, partner, level, sent_today):
        if sent_today:
            return self.env._(
                "%(level)s was already sent to %(partner)s %(count)s time(s) today. Send it again now?",
                level=level.name,
                partner=partner.display_name,
                count=sent_today,
            )
        return self.env._(
            "Send %(level)s to %(partner)s now, outside the schedule?", level=level.name, partner=partner.display_name
        )

    def _token(self, send):
        # sudo: the database secret only keys the HMAC; it never leaves the server
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret") or ""
        return confirmation_token(secret, send)

    def _confirmed(self, send, confirm):
        return bool(confirm) and token_matches(self._token(send), confirm)

    def _preview(self, send, partner, level, confirm, question):
        """What a confirmed call would send, and the token that confirms it (nothing is sent)."""
        if confirm:
            raise UserError(
                self.env._(
                    "This confirmation no longer matches the follow-up of %s (it was already used, "
                    "or the follow-up changed since): nothing was sent. Ask again.",
                    partner.display_name,
                )
            )
        return {
            "confirm_required": True,
            "action": send.action,
            "partner_id": partner.id,
            "level_id": level.id,
            "level": level.name,
            "already_sent_today": send.state if send.action == "resend" else 0,
            "message": question,
            "confirm": self._token(send),
        }

    def _log_human(self, action, arguments, result):
        """One match-history row for a person's button: the user, ``channel`` human, what it did."""
        if isinstance(result, models.BaseModel):  # a run
            state = "failed" if result.state == "failed" else "done"
            value = {
                "run_id": result.id,
                "state": result.state,
                "level": result.level_id.name or "",
                "forced": result.forced,
                "skip_reason": result.skip_reason or "",
                "error": result.error or "",
            }
        else:
            state, value = "done", result
        self.env["fusion.accounting.agent"]._create_history(
            action,
            {key: val for key, val in arguments.items() if val is not None},
            decision="auto",
            result=value,
            state=state,
            channel="human",
            partner_id=arguments["partner_id"],
        )
        return result
