"""Shared fixtures and domain assertions of the follow-up tests."""

from datetime import date, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon, AccountTestInvoicingHttpCommon

TODAY = date(2025, 6, 30)
MANAGER = "base.group_user,fusion_accounting_core.group_fusion_manager"


class FollowupCommon(AccountTestInvoicingCommon):
    """A company with the default ladder (Reminder 7 / Warning 30 / Legal 60) and two customers with emails."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engine = cls.env["fusion.followup.engine"]
        levels = cls.env["fusion.followup.level"].search([("company_id", "=", cls.env.company.id)])
        cls.reminder, cls.warning, cls.legal = levels.sorted("delay_days")
        # No payment terms: each invoice is due on the date a test gives it.
        cls.partner_a.write({"email": "a@example.com", "lang": "en_US", "property_payment_term_id": False})
        cls.partner_b.write({"email": "b@example.com", "lang": "en_US", "property_payment_term_id": False})
        # Outside the cron, _commit_progress commits the cursor, which a test must never do.
        cls.startClassPatcher(patch.object(type(cls.env["ir.cron"]), "_commit_progress", return_value=float("inf")))

    @classmethod
    def invoice(cls, partner, amount, days_overdue, today=TODAY):
        """A posted customer invoice due ``days_overdue`` days before ``today``."""
        due = today - timedelta(days=days_overdue)
        return cls._create_invoice_one_line(
            price_unit=amount,
            partner_id=partner,
            invoice_date=due - timedelta(days=1),
            invoice_date_due=due,
            tax_ids=[],
            post=True,
        )

    @classmethod
    def pay(cls, invoice, on, amount=None):
        values = {"payment_date": on}
        if amount is not None:
            values["amount"] = amount
        return cls._register_payment(invoice, **values)

    @classmethod
    def restricted_followup_user(cls, login="followup_clerk"):
        """Follow-up rights (Fusion Manager) but no right to write partners."""
        user = new_test_user(cls.env, login=login, groups=MANAGER, company_id=cls.env.company.id)
        user.company_ids = cls.env.company
        return user

    def followup_mails(self, partner):
        return self.env["mail.mail"].search([("model", "=", "res.partner"), ("res_id", "=", partner.id)])

    def assertPartnerFollowup(self, partner, status, last_level=None, paused_until=None):
        """The partner's stored follow-up state in the current company."""
        partner = partner.with_company(self.env.company)
        self.assertEqual(partner.fusion_followup_status or "no_action", status, "follow-up status")
        self.assertEqual(partner.fusion_followup_last_level_id, last_level or self.env["fusion.followup.level"])
        self.assertEqual(partner.fusion_followup_paused_until or None, paused_until)

    def assertRun(self, run, state, level=None, source=None):
        """One run's outcome; ``source`` is the text source when the run got that far."""
        self.assertEqual(len(run), 1)
        self.assertEqual(run.state, state, run.error or run.skip_reason)
        if level is not None:
            self.assertEqual(run.level_id, level)
        if source is not None:
            self.assertEqual(run.text_source, source)
            self.assertEqual(run.ai_generated, source in ("ai", "cache"))

    def assertLinesAtLevel(self, invoices, level):
        lines = invoices.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        self.assertEqual(lines.mapped("fusion_followup_level_id"), level)
        if level:
            self.assertEqual(set(lines.mapped("fusion_followup_last_run_date")), {fields.Date.to_date(TODAY)})


class FollowupRoutes:
    """The dashboard's JSON routes (``/fusion/followup/<endpoint>``) for an ``HttpCase``.

    ``login``: the user every test of the class is logged in as (its password is its login, as
    ``new_test_user`` makes it); ``None`` leaves each test to ``authenticate`` whom it needs.
    """

    login = None

    def setUp(self):
        super().setUp()
        if self.login:
            self.authenticate(self.login, self.login)

    def rpc(self, endpoint, **params):
        return self.make_jsonrpc_request(f"/fusion/followup/{endpoint}", params)


class FollowupTourCommon(AccountTestInvoicingHttpCommon):
    """The base of the follow-up tours: ``admin`` is a Fusion manager working in the test company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.env.ref("base.user_admin")
        admin.group_ids |= cls.env.ref("fusion_accounting_core.group_fusion_manager")
        admin.company_ids |= cls.company_data["company"]
        admin.company_id = cls.company_data["company"]

    @classmethod
    def overdue_invoice(cls, partner, amount, days_late):
        """A posted invoice of ``partner`` issued and due ``days_late`` days before the real today (tours run now)."""
        due = fields.Date.context_today(partner) - timedelta(days=days_late)
        return cls._create_invoice_one_line(
            price_unit=amount,
            partner_id=partner,
            invoice_date=due,
            invoice_date_due=due,
            invoice_payment_term_id=False,
            post=True,
        )
