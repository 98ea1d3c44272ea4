"""The demo company's small books (fusion_accounting_core/demo_company), written once per test class."""

from datetime import date

from odoo.tests import TransactionCase

from odoo.addons.fusion_accounting_core.demo_company.answer_key import build_answer_key
from odoo.addons.fusion_accounting_core.demo_company.planner import build_plan
from odoo.addons.fusion_accounting_core.demo_company.writer import write_plan

TODAY = date(2026, 3, 31)


class DemoBooksCase(TransactionCase):
    """``plan``, its answer ``key``, and ``env`` on the demo company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = build_plan("small", 7, TODAY)
        written = write_plan(cls.env, cls.plan)
        cls.key = build_answer_key(cls.plan, written)
        company = cls.env["res.company"].browse(written.company_id)
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=company.ids))
