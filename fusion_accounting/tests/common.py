"""Domain assertions shared by the co-pilot's Odoo tests."""

from unittest.mock import patch

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.fusion_accounting_core.services.agent import arguments_hash, canonical_json
from odoo.addons.fusion_accounting_core.tests.agent_common import FusionAgentCase

DASHBOARD_CARDS = ("bank", "ar", "ap", "hst", "audit", "month_end")


class DashboardAssertions:
    def dashboard(self, today, user=None, companies=None):
        model = self.env["fusion.accounting.dashboard"]
        if user:
            model = model.with_user(user)
        if companies:
            model = model.with_context(allowed_company_ids=companies.ids)
        return model.get_dashboard_data(today=today)

    def card(self, data, key):
        return next(card for card in data["cards"] if card["key"] == key)

    def assertLight(self, data, key, light):
        card = self.card(data, key)
        self.assertEqual(card["light"], light, f"{key} card: {card}")


class DashboardCase(AccountTestInvoicingCommon, DashboardAssertions):
    """A fresh company (post_install) with nothing open in it; the dashboard looks at it alone."""

    def dashboard(self, today, user=None, companies=None):
        return super().dashboard(today, user=user, companies=companies or self.company_data["company"])


class CopilotTourCase(FusionAgentCase):
    """Tours of the co-pilot page as a Fusion Manager; turns run inside the request instead of the cron job."""

    def setUp(self):
        super().setUp()
        agent_class = type(self.env["fusion.accounting.agent"])

        def run_now(agent, session):
            session._notify()
            agent._run_queued_turn(session)

        self.startPatcher(patch.object(agent_class, "_queue_job", run_now))

    def tour(self, name):
        self.start_tour("/odoo/fusion-ai", name, login=self.manager.login)


def decided_proposal(
    env, tool, arguments, approver, when, *, approved=True, state="done", result='{"ok":true}', scenario=""
):
    """A tier-3 proposal of ``tool`` decided by ``approver`` at ``when`` and counted, as an approval records it.

    ``state``/``result`` are what the execution gave (``failed`` for a run that raised or
    refused); ``scenario`` the ``fusion_scenario`` it was filed under.
    """
    record = (
        env["fusion.accounting.match.history"]
        .sudo()
        .create(
            {
                "company_id": env.company.id,
                "user_id": approver.id,
                "tool_name": tool,
                "tier": "3",
                "tool_params": canonical_json(arguments),
                "arguments_hash": arguments_hash(arguments),
                "proposed_at": when,
                "decision": "approved" if approved else "rejected",
                "decided_at": when,
                "decided_by": approver.id,
                "execution_state": state if approved else "not_run",
                "tool_result": result if approved else False,
                "fusion_scenario": scenario or False,
            }
        )
    )
    record._fusion_learn()
    return record


def pending_proposal(env, tool, arguments, user):
    """A pending tier-3 proposal of ``tool`` by ``user``, stored as the agent stores one."""
    return (
        env["fusion.accounting.match.history"]
        .sudo()
        .create(
            {
                "company_id": env.company.id,
                "user_id": user.id,
                "tool_name": tool,
                "tier": "3",
                "tool_params": canonical_json(arguments),
                "arguments_hash": arguments_hash(arguments),
            }
        )
    )
