"""What the chat's approval card of a tier-3 follow-up says: the customer, its recipients, the level and channels.

fusion_accounting shows a proposal's card and depends on no tool addon; the match history's
``_card_facts`` hook (fusion_accounting_core) lets this addon state the facts of its own tools,
computed as the send would compute them once approved (the preview's plan, in the proposal's company).
"""

from odoo import models
from odoo.exceptions import UserError

CARD_TOOLS = ("followup_send_now", "followup_escalate")


class FusionMatchHistoryFollowupCard(models.Model):
    _inherit = "fusion.accounting.match.history"

    def _card_facts(self, arguments):
        if self.tool_name not in CARD_TOOLS:
            return super()._card_facts(arguments)
        engine = self.env["fusion.followup.engine"].with_context(allowed_company_ids=self.company_id.ids)
        try:
            return engine._card_lines(self.tool_name, arguments)
        except UserError:  # a customer or level gone since, or not readable: the card shows its arguments alone
            return ()


class FusionFollowupCardLines(models.AbstractModel):
    _inherit = "fusion.followup.engine"

    def _card_lines(self, tool, arguments):
        """The card lines of a forced send (``followup_send_now``) or an escalation of ``arguments['partner_id']``."""
        _ = self.env._
        partner_id, level_id = arguments.get("partner_id"), arguments.get("level_id")
        if not isinstance(partner_id, int) or not isinstance(level_id, (int, type(None))):
            return ()
        partner = self._partner(partner_id)
        lines = [_("Customer: %s", partner.display_name)]
        if tool == "followup_escalate":
            level = self._escalation_level(partner)
            last = partner.sudo().fusion_followup_last_level_id
            if not level:
                return (*lines, _("Already at the last level (%s): nothing would be sent.", last.name))
            planned = self._plan(partner, level, force=True)
            lines.append(_("Level: %(level)s (after %(last)s)", level=level.name, last=last.name or _("none sent")))
        else:
            planned = self._plan(partner, level_id, force=True)
            if not planned.level:
                return (*lines, self._plan_sentence(planned))
            lines.append(_("Level: %s", planned.level.name))
        channels = self._channel_lines(planned, self._deliveries(planned))
        return (*lines, *(f"{line['label']}: {line['detail']}" for line in channels))
