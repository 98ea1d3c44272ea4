import json
from unittest.mock import patch

from odoo.tests import tagged

from ..services.agent import call, calls
from .agent_common import FusionAgentCase


@tagged("post_install", "-at_install")
class TestTurnProgress(FusionAgentCase):
    """The tool calls of a running turn reach the user's bus channel while the turn still runs."""

    def progress(self, partner):
        """The progress notifications sent to ``partner`` so far, oldest first."""
        channel = json.dumps([self.env.cr.dbname, "res.partner", partner.id], separators=(",", ":"))
        rows = self.env["bus.bus"].sudo().search([("channel", "=", channel)], order="id")
        messages = [json.loads(row.message) for row in rows]
        return [m["payload"] for m in messages if m["type"] == "fusion_ai/progress"]

    def steps(self, events):
        return [(e["call_id"], e["tool"], e["kind"], e["ok"]) for e in events]

    def test_tool_calls_are_published_before_the_turn_ends(self):
        seen_mid_turn = []

        def second_answer(request):
            # The model is asked again: the turn has not stored anything yet, but the user already saw the call.
            session = self.env["fusion.accounting.session"].sudo().search([("user_id", "=", self.manager.id)])
            seen_mid_turn.append((session.state, self.steps(self.progress(self.manager.partner_id))))
            return calls(call("reconcile_payment_to_invoice", "c2", ai_confidence=0.9, **self.reconcile_args()))

        self.script(calls(call("get_ar_aging", "c1")), second_answer)
        session = self.post(self.manager, "Who owes us, and match Northwind's payment")

        self.assertEqual(
            seen_mid_turn,
            [("queued", [("c1", "get_ar_aging", "started", True), ("c1", "get_ar_aging", "done", True)])],
        )
        events = self.progress(self.manager.partner_id)
        self.assertEqual(
            self.steps(events[2:]),
            [
                ("c2", "reconcile_payment_to_invoice", "started", True),
                ("c2", "reconcile_payment_to_invoice", "awaiting_approval", True),
            ],
        )
        self.assertEqual({e["session_id"] for e in events}, {session.id})
        self.assertEqual(events[-1]["arguments"], {k: str(v) for k, v in self.reconcile_args().items()})
        self.assertEqual(events[-1]["label"], "Reconcile a payment with an invoice", "what the waiting line reads")
        self.assertFalse(self.progress(self.staff.partner_id), "only the session's user hears of it")
        # Progress is a view: the durable record is the conversation and the proposal, as before.
        self.assertEqual(session.state, "awaiting_approval")
        self.assertEqual(self.history(session_id=session.id).call_id, "c2")

    def test_a_failing_tool_is_published_as_failed(self):
        self.script(calls(call("get_ar_aging", "c1", as_of="not a date")), "Sorry.")
        self.post(self.manager, "aging?")
        self.assertEqual(
            self.steps(self.progress(self.manager.partner_id)),
            [
                ("c1", "get_ar_aging", "started", True),
                ("c1", "get_ar_aging", "done", False),
            ],
        )

    def test_a_broken_bus_does_not_break_the_turn(self):
        self.script(calls(call("get_ar_aging", "c1")), "Nothing is overdue.")
        bus = type(self.env["bus.bus"])
        send = bus._sendone

        def progress_down(records, target, kind, message):
            if kind == "fusion_ai/progress":
                raise RuntimeError("bus down")
            return send(records, target, kind, message)

        with (
            patch.object(bus, "_sendone", progress_down),
            self.assertLogs("odoo.addons.fusion_accounting_core.models.fusion_agent", "WARNING") as logs,
        ):
            session = self.post(self.manager, "aging?")
        self.assertEqual(
            (session.state, session.transcript.splitlines()[-1]), ("idle", "assistant: Nothing is overdue.")
        )
        self.assertIn("not published", logs.output[0])
