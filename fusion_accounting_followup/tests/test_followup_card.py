"""The chat's approval card of a tier-3 follow-up names the customer, its recipients, the level and the channels.

fusion_accounting shows the card and depends on no tool addon: this addon states the facts
through the match history's ``_card_facts`` hook, computed as the approved send would compute them.
"""

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from odoo.addons.fusion_accounting.tests.common import pending_proposal
from odoo.addons.fusion_accounting_core.tools.modules import module_installed

from .common import MANAGER, TODAY, FollowupCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestFollowupApprovalCard(FollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, login="fu_card_manager", groups=MANAGER, company_id=cls.env.company.id)
        cls.collector = new_test_user(cls.env, login="fu_card_collector", name="Card Collector")
        cls.invoice(cls.partner_a, 400, 45)

    def setUp(self):
        super().setUp()
        if "fusion.accounting.approval.card" not in self.env:
            self.skipTest("the chat's approval cards are fusion_accounting's")

    def card_labels(self, tool, arguments):
        proposal = pending_proposal(self.env, tool, arguments, self.manager)
        (card,) = self.env["fusion.accounting.approval.card"].with_user(self.manager).get_cards(proposal.ids)
        return [line["label"] for line in card["lines"]]

    def test_the_cards_are_titled_in_an_accountants_words(self):
        cards = self.env["fusion.accounting.approval.card"].with_user(self.manager)
        for tool, title in (("followup_send_now", "Send follow-up now"), ("followup_escalate", "Escalate follow-up")):
            proposal = pending_proposal(self.env, tool, {"partner_id": self.partner_a.id}, self.manager)
            (card,) = cards.get_cards(proposal.ids)
            self.assertEqual(card["title"], title)

    def test_a_forced_send_names_the_customer_its_address_the_level_and_the_channels(self):
        self.warning.sudo().write({"fusion_channel_letter": True})
        labels = self.card_labels("followup_send_now", {"partner_id": self.partner_a.id, "level_id": self.warning.id})
        self.assertEqual(
            labels,
            [
                f"Customer: {self.partner_a.display_name}",
                f"Level: {self.warning.name}",
                "E-mail: to a@example.com",
                "Letter: printed with the batch letters",
            ],
        )

    def test_a_forced_send_without_a_level_names_the_level_the_plan_sends(self):
        labels = self.card_labels("followup_send_now", {"partner_id": self.partner_a.id})
        self.assertEqual(labels[1], f"Level: {self.reminder.name}", "never reminded: the first level")

    def test_an_escalation_names_the_level_above_the_last_sent_and_its_channels(self):
        self.partner_a.sudo().fusion_followup_last_level_id = self.reminder
        self.partner_a.user_id = self.collector
        channels = {"fusion_send_email": False, "fusion_channel_activity": True}
        if module_installed(self.env, "sms"):
            channels["fusion_channel_sms"] = True
            self.partner_a.phone = "+1 555 010 0100"
        self.warning.sudo().write(channels)
        labels = self.card_labels("followup_escalate", {"partner_id": self.partner_a.id})
        expected = [
            f"Customer: {self.partner_a.display_name}",
            f"Level: {self.warning.name} (after {self.reminder.name})",
            "Call: a call activity for Card Collector",
        ]
        if module_installed(self.env, "sms"):
            expected.insert(2, f"SMS: to {self.partner_a.phone_sanitized or self.partner_a.phone}")
        self.assertEqual(labels, expected)

    def test_an_escalation_at_the_top_says_nothing_would_be_sent(self):
        self.partner_a.sudo().fusion_followup_last_level_id = self.legal
        labels = self.card_labels("followup_escalate", {"partner_id": self.partner_a.id})
        self.assertEqual(labels[1], f"Already at the last level ({self.legal.name}): nothing would be sent.")

    def test_another_tools_card_keeps_its_own_lines(self):
        labels = self.card_labels("followup_pause", {"partner_id": self.partner_a.id, "until_date": "2025-07-15"})
        self.assertEqual(labels, ["until date: 2025-07-15"])
