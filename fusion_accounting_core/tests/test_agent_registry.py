from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from ..services.tools import REGISTRY
from .agent_common import FusionAgentCase


@tagged("post_install", "-at_install")
class TestToolsMirroredOnInstall(TransactionCase):
    """Installing an addon alone (no test fixture syncing) puts its tools in the database registry."""

    def test_every_tool_of_every_installed_addon_is_in_the_database(self):
        Tool = self.env["fusion.accounting.tool"].sudo().with_context(active_test=False)
        in_code = {spec.name for spec in Tool._code_specs()}
        stored = set(Tool.search([("in_code", "=", True)]).mapped("name"))
        self.assertEqual(in_code - stored, set(), "tools in code that the agent cannot offer")


@tagged("post_install", "-at_install")
class TestToolRegistrySync(FusionAgentCase):
    def test_code_tools_are_mirrored_with_tier_domain_and_groups(self):
        tools = self.env["fusion.accounting.tool"].search([])
        by_name = {tool.name: tool for tool in tools}
        self.assertEqual(by_name["get_ar_aging"].tier, "1")
        self.assertEqual(by_name["get_unreconciled_bank_lines"].domain, "bank_reconciliation")
        reconcile = by_name["reconcile_payment_to_invoice"]
        self.assertEqual(reconcile.tier, "3")
        self.assertEqual(reconcile.group_ids, self.env.ref("fusion_accounting_core.group_fusion_manager"))
        self.assertEqual(reconcile.parameters["required"], ["invoice_id", "payment_move_id"])
        self.assertEqual(len(tools), len([s for s in REGISTRY if s.module.startswith("odoo.addons.")]))

    def test_a_tool_gone_from_code_is_marked_not_deleted(self):
        ghost = (
            self.env["fusion.accounting.tool"]
            .sudo()
            .create({"name": "ghost_tool", "domain": "x", "tier": "1", "enabled": True})
        )
        self.env["fusion.accounting.tool"]._sync_from_code()
        self.assertFalse(ghost.in_code)
        self.assertNotIn("ghost_tool", [s.name for s in self.env["fusion.accounting.tool"]._available_specs()])

    def test_admin_disables_a_tool_but_cannot_rewrite_it(self):
        tool = self.env["fusion.accounting.tool"].search([("name", "=", "get_ar_aging")])
        tool.with_user(self.env.ref("base.user_admin")).write({"enabled": False})
        self.assertNotIn("get_ar_aging", [s.name for s in self.env["fusion.accounting.tool"]._available_specs()])
        with self.assertRaises(AccessError):
            tool.with_user(self.env.ref("base.user_admin")).write({"tier": "1", "name": "x"})
        with self.assertRaises(AccessError):
            tool.with_user(self.manager).write({"enabled": True})

    def test_disabled_tool_is_not_offered_nor_run(self):
        self.env["fusion.accounting.tool"].sudo().search([("name", "=", "get_ar_aging")]).enabled = False
        provider = self.script("ok")
        self.post(self.manager, "aging?")
        self.assertNotIn("get_ar_aging", [t.name for t in provider.requests[0].tools])
        with self.assertRaises(UserError):
            self.env["fusion.accounting.agent"].with_user(self.manager).run_tool("get_ar_aging", {})

    def test_approval_figures(self):
        tool = self.env["fusion.accounting.tool"].search([("name", "=", "reconcile_payment_to_invoice")])
        self.assertEqual((tool.approved_count, tool.rejected_count, tool.approval_rate), (0, 0, 0.0))
