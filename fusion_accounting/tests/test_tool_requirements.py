"""Tools that need an optional module are offered only where it is installed (issue 19, item 6).

The requirement is declared once on the tool (``@register(..., requires=("stock_account",))``).
Without the module the tool is left out of what the model is offered, the AI Tools view's
"Available here" listing hides it and shows admins why; a direct call still answers the tool's
own "not available" result.  The optional-modules pass (tag ``fusion_optional``, with purchase
and stock_account) checks that the same tools are offered there.
"""

from unittest import SkipTest

from odoo.tests import tagged

from odoo.addons.fusion_accounting_core.tests.agent_common import FusionAgentCase
from odoo.addons.fusion_accounting_core.tools.modules import module_installed

from ..tools import inventory, payables, payroll

INVENTORY_TOOLS = (
    "get_stock_valuation",
    "get_price_differences",
    "get_cogs_ratio_by_category",
    "find_unusual_adjustments",
    "get_inventory_turnover",
)
PAYROLL_TOOLS = ("generate_t4", "generate_roe")
PURCHASE_TOOLS = ("match_bill_to_po",)
REQUIRED = {
    inventory.MODULE: INVENTORY_TOOLS,
    payroll.PAYROLL_MODULE: PAYROLL_TOOLS,
    payables.PURCHASE_MODULE: PURCHASE_TOOLS,
}


class ToolRequirementsCase(FusionAgentCase):
    def offered(self, user):
        return {spec.name for spec in self.env["fusion.accounting.tool"].with_user(user)._offered_specs()}

    def record(self, name):
        return self.env["fusion.accounting.tool"].with_context(active_test=False).search([("name", "=", name)])


@tagged("post_install", "-at_install")
class TestToolsNeedingAbsentModules(ToolRequirementsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.absent = {module: names for module, names in REQUIRED.items() if not module_installed(cls.env, module)}
        if not cls.absent:
            raise SkipTest("every optional module is installed here: nothing is left out")

    def test_the_requirement_is_declared_on_the_tool(self):
        for module, names in REQUIRED.items():
            for name in names:
                self.assertEqual(self.record(name).requires, module, name)

    def test_they_are_not_offered_to_the_model(self):
        offered = self.offered(self.manager)
        Tool = self.env["fusion.accounting.tool"].with_user(self.manager)
        available = {spec.name for spec in Tool._available_specs()}
        self.assertIn("get_ar_aging", offered)
        for names in self.absent.values():
            for name in names:
                self.assertNotIn(name, offered, name)
                self.assertIn(name, available, f"{name} still runs when called directly")

    def test_the_registry_view_shows_admins_why(self):
        Tool = self.env["fusion.accounting.tool"].with_context(active_test=False)
        listed = set(Tool.search([("fusion_unavailable_reason", "=", False)]).mapped("name"))
        hidden = Tool.search([("fusion_unavailable_reason", "!=", False)])
        for module, names in self.absent.items():
            for name in names:
                record = self.record(name)
                self.assertEqual(record.fusion_unavailable_reason, f"needs the {module} module, which is not installed")
                self.assertNotIn(name, listed)
                self.assertIn(record, hidden)
        self.assertFalse(self.record("get_ar_aging").fusion_unavailable_reason)
        self.assertIn("get_ar_aging", listed)
        # The action opens on the available tools; the reason is a column of the list.
        action = self.env.ref("fusion_accounting_core.fusion_tool_action")
        self.assertIn("search_default_available_here", action.context)
        arch = self.env["fusion.accounting.tool"].get_view(action.view_id.id, "list")["arch"]
        self.assertIn("fusion_unavailable_reason", arch)

    def test_calling_one_anyway_answers_not_available(self):
        Agent = self.env["fusion.accounting.agent"].with_user(self.manager)
        for name, arguments in (
            ("generate_t4", {"year": 2025}),
            ("get_stock_valuation", {"as_of": "2025-12-31"}),
            ("match_bill_to_po", {"bill_id": self.invoice.id}),
        ):
            if not any(name in names for names in self.absent.values()):
                continue
            result = Agent.run_tool(name, arguments)
            self.assertIs(result["available"], False, name)
            self.assertIn("not installed", result["reason"], name)


@tagged("post_install", "-at_install", "fusion_optional")
class TestToolsNeedingInstalledModules(ToolRequirementsCase):
    """In the optional-modules pass (purchase and stock_account installed) their tools are offered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.present = {module: names for module, names in REQUIRED.items() if module_installed(cls.env, module)}
        if not cls.present:
            raise SkipTest("no optional module is installed here: the default pass checks they are left out")

    def test_they_are_offered_and_listed(self):
        offered = self.offered(self.manager)
        Tool = self.env["fusion.accounting.tool"].with_context(active_test=False)
        listed = set(Tool.search([("fusion_unavailable_reason", "=", False)]).mapped("name"))
        for names in self.present.values():
            for name in names:
                self.assertIn(name, offered, name)
                self.assertIn(name, listed, name)
                self.assertFalse(self.record(name).fusion_unavailable_reason, name)
