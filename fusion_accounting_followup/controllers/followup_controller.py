"""JSON-RPC endpoints of the follow-up dashboard; each one is a thin call into the engine."""

from dataclasses import asdict

from odoo import http
from odoo.http import request


def _run(run):
    return {
        "id": run.id,
        "state": run.state,
        "level_id": run.level_id.id or None,
        "level": run.level_id.name or "",
        "text_source": run.text_source or "",
        "ai_generated": run.ai_generated,
        "error": run.error or "",
        "skip_reason": run.skip_reason or "",
    }


def _decision(decision):
    return {
        "level_id": decision.level.id if decision.level else None,
        "level": decision.level.name if decision.level else "",
        "tone": decision.level.tone if decision.level else "",
        "needs_action": decision.needs_action,
        "max_days_overdue": decision.max_days_overdue,
        "due_line_ids": list(decision.due_line_ids),
    }


class FusionFollowupController(http.Controller):
    def _engine(self):
        return request.env["fusion.followup.engine"]

    @http.route("/fusion/followup/list_overdue", type="jsonrpc", auth="user")
    def list_overdue(self, offset=0, limit=80, search=None, order="overdue"):
        return self._engine().list_overdue(offset=offset, limit=limit, search=search, order=order)

    @http.route("/fusion/followup/get_partner", type="jsonrpc", auth="user")
    def get_partner(self, partner_id):
        engine = self._engine()
        overdue = engine.get_overdue_for_partner(partner_id)
        risk = engine.get_partner_risk(partner_id)
        return {
            **overdue.to_dict(),
            "level": _decision(engine.compute_followup_level(partner_id)),
            "risk": {"score": risk.score, "band": risk.band, "drivers": [asdict(d) for d in risk.drivers]},
            "state": engine.get_followup_state(partner_id),
        }

    @http.route("/fusion/followup/compute_level", type="jsonrpc", auth="user")
    def compute_level(self, partner_id):
        return _decision(self._engine().compute_followup_level(partner_id))

    @http.route("/fusion/followup/send", type="jsonrpc", auth="user")
    def send(self, partner_id, level_id=None, force=False):
        return _run(self._engine().send_followup_email(partner_id, level=level_id, force=bool(force)))

    @http.route("/fusion/followup/escalate", type="jsonrpc", auth="user")
    def escalate(self, partner_id):
        return _run(self._engine().escalate_to_next_level(partner_id))

    @http.route("/fusion/followup/pause", type="jsonrpc", auth="user")
    def pause(self, partner_id, until_date=None):
        return self._engine().pause_followup(partner_id, until_date=until_date)

    @http.route("/fusion/followup/reset", type="jsonrpc", auth="user")
    def reset(self, partner_id):
        return self._engine().reset_followup(partner_id)

    @http.route("/fusion/followup/history", type="jsonrpc", auth="user")
    def history(self, partner_id, limit=50):
        return self._engine().snapshot_followup_history(partner_id, limit=min(int(limit), 500))

    @http.route("/fusion/followup/generate_text", type="jsonrpc", auth="user")
    def generate_text(self, partner_id, level_id=None):
        return self._engine().generate_followup_text(partner_id, level=level_id)
