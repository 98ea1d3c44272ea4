"""Promises to pay and disputes on a real ledger: the chase waits, the daily check judges, disputes leave amounts."""

from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import TODAY, FollowupCommon

HISTORY = "fusion.accounting.match.history"
REPLY = """From: Customer <{sender}>
To: billing@example.com
Subject: Re: Your account with us
Message-ID: <fusion-reply-en@example.com>
In-Reply-To: {parent}
References: {parent}
Date: Mon, 30 Jun 2025 10:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

{body}
"""


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestFollowupCollections(FollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.restricted_followup_user("collections_clerk")

    def scan(self):
        self.env["fusion.followup.cron"]._cron_daily_scan()

    def promises(self, partner):
        return self.env["fusion.followup.promise"].search([("partner_id", "=", partner.id)])

    # ------------------------------------------------------------------ promises
    def test_a_promise_pauses_the_chase_through_its_date_then_the_scan_resumes(self):
        invoice = self.invoice(self.partner_a, 300, 10)
        answer = self.engine.record_promise(self.partner_a, TODAY + timedelta(days=5), invoice_ids=invoice.ids)
        self.assertEqual((answer["amount"], answer["state"], answer["invoices"]), ("300.00", "open", [invoice.name]))
        self.scan()
        self.assertFalse(self.followup_mails(self.partner_a), "nobody is chased before the promised date")
        self.assertPartnerFollowup(self.partner_a, "overdue")
        run = self.engine.send_followup_email(self.partner_a)
        self.assertRun(run, "skipped")
        self.assertIn("promised", run.skip_reason)
        with freeze_time(TODAY + timedelta(days=5)):
            self.scan()
        self.assertFalse(self.followup_mails(self.partner_a), "the promised day itself is still the customer's")

    def test_the_daily_check_marks_a_paid_promise_kept(self):
        invoice = self.invoice(self.partner_a, 300, 10)
        self.engine.record_promise(self.partner_a, TODAY + timedelta(days=3), invoice_ids=invoice.ids)
        with freeze_time(TODAY + timedelta(days=2)):
            self.pay(invoice, TODAY + timedelta(days=2))
        with freeze_time(TODAY + timedelta(days=4)):
            self.scan()
        promise = self.promises(self.partner_a)
        self.assertEqual((promise.state, promise.closed_on), ("kept", TODAY + timedelta(days=4)))
        self.assertFalse(self.followup_mails(self.partner_a))
        self.assertFalse(promise.escalation_run_id)

    def test_a_partial_payment_of_the_promised_amount_keeps_the_promise(self):
        invoice = self.invoice(self.partner_a, 1000, 10)
        self.engine.record_promise(self.partner_a, TODAY + timedelta(days=3), amount=400, invoice_ids=invoice.ids)
        self.pay(invoice, TODAY, amount=400)
        with freeze_time(TODAY + timedelta(days=1)):
            self.scan()
        self.assertEqual(self.promises(self.partner_a).state, "kept")

    def test_a_broken_promise_is_found_the_day_after_and_escalates_one_level(self):
        invoice = self.invoice(self.partner_a, 300, 10)
        self.engine.send_followup_email(self.partner_a)  # the reminder, before the customer promised
        self.engine.record_promise(self.partner_a, TODAY + timedelta(days=3), invoice_ids=invoice.ids)
        with freeze_time(TODAY + timedelta(days=3)):
            self.scan()
        self.assertEqual(self.promises(self.partner_a).state, "open", "not broken on the promised day")
        with freeze_time(TODAY + timedelta(days=4)):
            self.scan()
        promise = self.promises(self.partner_a)
        self.assertEqual((promise.state, promise.closed_on), ("broken", TODAY + timedelta(days=4)))
        self.assertRun(promise.escalation_run_id, "sent", self.warning)
        self.assertEqual(promise.escalation_run_id.trigger, "escalation")
        self.assertEqual(len(self.followup_mails(self.partner_a)), 2)
        self.assertPartnerFollowup(self.partner_a, "overdue", self.warning)
        with freeze_time(TODAY + timedelta(days=5)):
            self.scan()  # judged once: no second escalation
        self.assertEqual(len(self.followup_mails(self.partner_a)), 2)

    def test_a_promise_in_the_past_or_of_nothing_is_refused(self):
        self.invoice(self.partner_a, 300, 10)
        with self.assertRaises(ValidationError):
            self.engine.record_promise(self.partner_a, TODAY - timedelta(days=1))
        with self.assertRaises(ValidationError):
            self.engine.record_promise(self.partner_a, TODAY, amount=-5)
        other = self.invoice(self.partner_b, 100, 10)
        with self.assertRaises(UserError):  # an invoice of another customer
            self.engine.record_promise(self.partner_a, TODAY, invoice_ids=other.ids)
        self.assertFalse(self.promises(self.partner_a))

    # ------------------------------------------------------------------ disputes
    def test_a_disputed_invoice_leaves_the_chase_and_the_amounts_the_others_stay(self):
        disputed = self.invoice(self.partner_a, 900, 70)
        chased = self.invoice(self.partner_a, 100, 10)
        self.engine.record_dispute(disputed.id, "Goods arrived damaged")
        self.scan()
        run = self.env["fusion.followup.run"].search([("partner_id", "=", self.partner_a.id)])
        self.assertRun(run, "sent", self.reminder)
        self.assertEqual(run.amount_overdue, 100.0)
        mail = self.followup_mails(self.partner_a)
        self.assertIn(chased.name, mail.body_html)
        self.assertNotIn(disputed.name, mail.body_html)
        self.assertLinesAtLevel(chased, self.reminder)
        self.assertLinesAtLevel(disputed, self.env["fusion.followup.level"])

    def test_a_manual_send_leaves_the_disputed_invoice_out_of_its_email_too(self):
        disputed = self.invoice(self.partner_a, 900, 20)
        chased = self.invoice(self.partner_a, 100, 10)
        self.engine.record_dispute(disputed.id, "Wrong price")
        self.assertRun(self.engine.send_followup_email(self.partner_a), "sent", self.reminder)
        body = self.followup_mails(self.partner_a).body_html
        self.assertIn(chased.name, body)
        self.assertNotIn(disputed.name, body)

    def test_a_partner_with_only_a_disputed_invoice_is_not_chased_until_resolved(self):
        invoice = self.invoice(self.partner_a, 500, 40)
        dispute = self.engine.record_dispute(invoice.id, "Never ordered")
        self.scan()
        self.assertFalse(self.followup_mails(self.partner_a))
        self.assertPartnerFollowup(self.partner_a, "no_action")
        with self.assertRaises(UserError):
            self.engine.record_dispute(invoice.id, "Again")
        self.engine.resolve_dispute(dispute["id"], "Delivery note found")
        self.scan()
        self.assertEqual(len(self.followup_mails(self.partner_a)), 1)
        self.assertEqual(self.env["fusion.followup.dispute"].browse(dispute["id"]).state, "resolved")

    # ------------------------------------------------------------------ a person's buttons and the AI tools
    def test_the_wizard_records_a_promise_as_a_logged_human_action(self):
        invoice = self.invoice(self.partner_a, 300, 10)
        action = self.partner_a.with_user(self.manager).action_fusion_followup_record_promise()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({"promised_date": TODAY + timedelta(days=7), "invoice_ids": [(6, 0, invoice.ids)]})
        )
        wizard.action_confirm()
        self.assertEqual(self.promises(self.partner_a).user_id, self.manager)
        row = self.env[HISTORY].search([("tool_name", "=", "followup_record_promise"), ("channel", "=", "human")])
        self.assertEqual((len(row), row.user_id, row.execution_state), (1, self.manager, "done"))

    def test_the_ai_tools_record_list_and_resolve_at_tier_two_logged(self):
        invoice = self.invoice(self.partner_a, 300, 10)
        agent = self.env["fusion.accounting.agent"].with_user(self.manager)
        dispute = agent.run_tool("followup_record_dispute", {"invoice_id": invoice.id, "reason": "Short delivery"})
        listed = agent.run_tool("followup_list_promises_disputes", {"partner_id": self.partner_a.id})
        self.assertEqual([row["id"] for row in listed["disputes"]], [dispute["id"]])
        agent.run_tool("followup_resolve_dispute", {"dispute_id": dispute["id"], "resolution": "Credit note"})
        agent.run_tool("followup_record_promise", {"partner_id": self.partner_a.id, "promised_date": "2025-07-04"})
        rows = self.env[HISTORY].search([("tool_name", "like", "followup_re%"), ("user_id", "=", self.manager.id)])
        self.assertEqual(
            sorted(rows.mapped("tool_name")),
            ["followup_record_dispute", "followup_record_promise", "followup_resolve_dispute"],
        )
        self.assertEqual(set(rows.mapped("tier")), {"2"})
        self.assertEqual(self.promises(self.partner_a).amount, 300.0)

    def test_a_failing_promise_check_leaves_the_others_judged(self):
        first = self.invoice(self.partner_a, 100, 10)
        second = self.invoice(self.partner_b, 100, 10)
        self.engine.record_promise(self.partner_a, TODAY, invoice_ids=first.ids)
        self.engine.record_promise(self.partner_b, TODAY, invoice_ids=second.ids)
        engine_cls = type(self.env["fusion.followup.engine"])
        judge = engine_cls._judge

        def breaks_on_a(engine, promise, today):
            if promise.partner_id == self.partner_a:
                raise ZeroDivisionError("bad promise")
            return judge(engine, promise, today)

        with (
            patch.object(engine_cls, "_judge", breaks_on_a),
            self.assertLogs("odoo.addons.fusion_accounting_followup.models.followup_collections", "ERROR"),
            freeze_time(TODAY + timedelta(days=1)),
        ):
            self.env["fusion.followup.engine"]._check_promises()
        self.assertEqual(self.promises(self.partner_a).state, "open")
        self.assertEqual(self.promises(self.partner_b).state, "broken")

    # ------------------------------------------------------------------ from the customer's replies
    def customer_writes(self, partner, body):
        return partner.message_post(body=body, message_type="email", author_id=partner.id)

    def test_a_reply_proposes_a_promise_the_collector_accepts_it_from_the_dialog(self):
        invoice = self.invoice(self.partner_a, 300, 10)
        message = self.customer_writes(self.partner_a, f"<p>Hello, we will pay {invoice.name} next Friday.</p>")
        (proposal,) = self.engine.reply_proposals(self.partner_a)
        self.assertEqual(
            (proposal["kind"], proposal["promised_date"], proposal["invoice_ids"], proposal["message_id"]),
            ("promise", "2025-07-04", invoice.ids, message.id),
        )
        action = self.partner_a.with_user(self.manager).action_fusion_followup_read_replies()
        wizard = self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"]).create({})
        wizard.action_confirm()
        promise = self.promises(self.partner_a)
        self.assertEqual((promise.promised_date, promise.source_message_id), (TODAY + timedelta(days=4), message))
        self.assertIn("next Friday", promise.quote)
        self.assertEqual(self.engine.reply_proposals(self.partner_a), [], "an e-mail proposes once")

    def test_a_rejected_proposal_is_logged_and_not_proposed_again(self):
        invoice = self.invoice(self.partner_a, 300, 10)
        self.customer_writes(self.partner_a, f"Nous contestons la facture {invoice.name} : prix erroné.")
        (proposal,) = self.engine.reply_proposals(self.partner_a)
        self.assertEqual((proposal["kind"], proposal["invoice_ids"]), ("dispute", invoice.ids))
        action = self.partner_a.with_user(self.manager).action_fusion_followup_read_replies()
        wizard = self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"]).create({})
        self.assertEqual((wizard.kind, wizard.invoice_id), ("dispute", invoice))
        wizard.action_reject()
        self.assertFalse(self.env["fusion.followup.dispute"].search([("move_id", "=", invoice.id)]))
        row = self.env[HISTORY].search([("tool_name", "=", "followup_reject_proposal")])
        self.assertEqual((len(row), row.user_id), (1, self.manager))
        self.assertEqual(self.engine.reply_proposals(self.partner_a), [])

    def test_our_own_emails_propose_nothing(self):
        self.invoice(self.partner_a, 300, 10)
        self.partner_a.message_post(body="We will pay next Friday.", message_type="email")  # written by a user
        self.assertEqual(self.engine.reply_proposals(self.partner_a), [])

    # ------------------------------------------------------------------ replies read on arrival
    def reply_reviews(self, partner):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("activity_type_id", "=", self.env.ref("fusion_accounting_followup.mail_activity_type_reply").id),
            ]
        )

    def test_an_incoming_english_reply_to_a_followup_proposes_a_promise_to_the_collector(self):
        invoice = self.invoice(self.partner_a, 300, 10)
        self.partner_a.with_company(self.env.company).fusion_followup_collector_id = self.manager
        self.assertRun(self.engine.send_followup_email(self.partner_a), "sent")
        followup = self.followup_mails(self.partner_a).mail_message_id
        raw = REPLY.format(
            sender=self.partner_a.email,
            parent=followup.message_id,
            body=f"Hello,\n\nWe will pay {invoice.name} ($300.00) next Friday.\n\nRegards",
        )
        self.env["mail.thread"].message_process(None, raw)
        reply = self.env["mail.message"].search([("message_id", "=", "<fusion-reply-en@example.com>")])
        self.assertEqual(
            (reply.model, reply.res_id, reply.author_id), ("res.partner", self.partner_a.id, self.partner_a)
        )
        note = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.partner_a.id), ("body", "ilike", "promise to pay")]
        )
        self.assertEqual(len(note), 1)
        self.assertIn("2025-07-04", note.body)
        review = self.reply_reviews(self.partner_a)
        self.assertEqual(review.user_id, self.manager)
        self.assertIn("next Friday", review.summary)
        self.assertFalse(self.promises(self.partner_a), "nothing is recorded before the collector decides")
        # The collector accepts it from Read Replies: recorded, logged, the review done.
        action = self.partner_a.with_user(self.manager).action_fusion_followup_read_replies()
        wizard = self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"]).create({})
        self.assertEqual(
            (wizard.promised_date, wizard.amount, wizard.message_id), (TODAY + timedelta(days=4), 300.0, reply)
        )
        wizard.action_confirm()
        self.assertEqual(self.promises(self.partner_a).source_message_id, reply)
        self.assertFalse(self.reply_reviews(self.partner_a), "the to-do is done")

    def test_an_incoming_french_reply_on_an_invoice_proposes_a_dispute_the_collector_edits(self):
        invoice = self.invoice(self.partner_a, 300, 10)
        self.partner_a.with_company(self.env.company).fusion_followup_collector_id = self.manager
        message = invoice.message_post(
            body=f"<p>Bonjour,</p><p>Nous contestons la facture {invoice.name} : la marchandise est arrivée "
            "endommagée.</p>",
            message_type="email",
            author_id=self.partner_a.id,
        )
        self.assertEqual(self.reply_reviews(self.partner_a).user_id, self.manager)
        (proposal,) = self.engine.reply_proposals(self.partner_a)
        self.assertEqual(
            (proposal["kind"], proposal["invoice_ids"], proposal["message_id"]), ("dispute", invoice.ids, message.id)
        )
        action = self.partner_a.with_user(self.manager).action_fusion_followup_read_replies()
        wizard = self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"]).create({})
        wizard.reason = "Marchandise endommagée à la livraison"  # the collector edits the reason
        wizard.action_confirm()
        dispute = self.env["fusion.followup.dispute"].search([("move_id", "=", invoice.id)])
        self.assertEqual(
            (dispute.reason, dispute.source_message_id), ("Marchandise endommagée à la livraison", message)
        )
        self.assertIn("endommagée", dispute.quote)
        self.assertFalse(self.reply_reviews(self.partner_a))
        row = self.env[HISTORY].search(
            [("tool_name", "=", "followup_record_dispute"), ("user_id", "=", self.manager.id)]
        )
        self.assertEqual(len(row), 1)

    def test_a_reply_that_proposes_nothing_or_our_own_email_leaves_no_trace(self):
        self.invoice(self.partner_a, 300, 10)
        self.partner_a.with_company(self.env.company).fusion_followup_collector_id = self.manager
        self.customer_writes(self.partner_a, "Thanks for your message, I will look into it.")
        self.partner_a.message_post(body="We will pay next Friday.", message_type="email")  # written by a user
        self.assertFalse(self.reply_reviews(self.partner_a))

    def test_a_failing_reading_never_loses_the_customer_email(self):
        self.invoice(self.partner_a, 300, 10)
        engine_cls = type(self.env["fusion.followup.engine"])
        with (
            patch.object(engine_cls, "_read_reply", side_effect=ZeroDivisionError("extractor broke")),
            self.assertLogs("odoo.addons.fusion_accounting_followup.models.followup_collections", "ERROR"),
        ):
            message = self.customer_writes(self.partner_a, "We will pay next Friday.")
        self.assertTrue(message.exists())

    # ------------------------------------------------------------------ the dashboard's figures
    def test_the_collections_summary_counts_promises_disputes_risk_and_cash_after_a_followup(self):
        old = self.invoice(self.partner_a, 1000, 100)
        recent = self.invoice(self.partner_b, 500, 10)
        disputed = self.invoice(self.partner_b, 200, 20)
        self.engine.record_promise(self.partner_a, TODAY + timedelta(days=3), amount=400, invoice_ids=old.ids)
        self.engine.record_dispute(disputed.id, "Wrong quantity")
        self.assertRun(self.engine.send_followup_email(self.partner_b), "sent")
        with freeze_time(TODAY + timedelta(days=5)):
            self.pay(recent, TODAY + timedelta(days=5), amount=300)
        figures = self.engine.collections_summary()
        self.assertEqual((figures["promises_due_this_week"], figures["promised_this_week"]), (1, "400.00"))
        self.assertEqual((figures["open_disputes"], figures["disputed_amount"]), (1, "200.00"))
        self.assertEqual(figures["broken_promises"], 0)
        self.assertEqual(figures["collected_after_followup"], "300.00")
        # 1,000 of the 1,400 still open is more than 90 days late; 700 was invoiced in the last 90 days.
        self.assertAlmostEqual(figures["at_risk_share"], round(1000 / 1400, 4))
        self.assertEqual(figures["dso_days"], 180.0)
