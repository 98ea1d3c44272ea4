import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..services.agent import Verdict, arguments_hash, data_text, gate
from ..services.tools import ToolArgumentError, ToolRefusal, validate_arguments

MANAGER = "fusion_accounting_core.group_fusion_manager"


class FusionAccountingProposalDecision(models.Model):
    """Approving and rejecting proposals, enforced here on the server (design 6.3, 7).

    Approving runs the stored arguments, once, with the approver's rights; the
    row is locked and must still be pending, unexpired and untampered.  Every
    refusal raises, so nothing of the attempt is written.
    """

    _inherit = "fusion.accounting.match.history"

    def _check_can_decide(self):
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a Fusion Manager may approve or reject proposals."))

    def _check_visible(self):
        """Refuse, as for a missing id, a proposal the user may not read (another company's, another's).

        Runs before anything reads the row, so that neither its decision nor its existence leaks.
        """
        mine = self.with_env(self.env(su=False)).search([("id", "in", self.ids)])
        if not self or len(mine) != len(set(self.ids)):
            raise UserError(self.env._("No such proposal."))

    def _lock_pending(self):
        """Lock the row, then check it is still a pending proposal (so two approvals execute once)."""
        self.ensure_one()
        self._check_visible()
        try:
            self.env.cr.execute(
                "SELECT decision FROM fusion_accounting_match_history WHERE id = %s FOR UPDATE NOWAIT", [self.id]
            )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(self.env._("Someone else is deciding this proposal right now.")) from None
        row = self.env.cr.fetchone()
        if not row or row[0] != "pending" or self.tier != "3":
            raise UserError(self.env._("This proposal was already decided (%(state)s).", state=row and row[0]))
        self.invalidate_recordset()
        if self.expires_at and self.expires_at < fields.Datetime.now():
            raise UserError(
                self.env._("This proposal expired on %(date)s; ask the co-pilot again.", date=self.expires_at)
            )

    def _check_arguments(self, expected_hash=None, arguments=None):
        stored = self._arguments()
        if arguments_hash(stored) != self.arguments_hash:
            raise UserError(self.env._("The stored arguments no longer match their hash; refusing to run them."))
        if expected_hash is not None and expected_hash != self.arguments_hash:
            raise UserError(self.env._("The arguments differ from the proposal; approve the proposal as shown."))
        if arguments is not None and arguments_hash(arguments) != self.arguments_hash:
            raise UserError(self.env._("The arguments differ from the proposal; approve the proposal as shown."))
        return stored

    def action_approve(self, arguments_hash=None, arguments=None):
        """Approve and execute each proposal of ``self`` exactly once, with the current user's rights.

        ``arguments_hash`` / ``arguments`` (what the approver saw) must match the
        proposal when given.  Returns ``{id: result}``.
        """
        self._check_can_decide()
        agent = self.env["fusion.accounting.agent"]
        approver = self.with_env(self.env(su=False))
        results = {}
        for record in approver:
            record._lock_pending()
            stored = record._check_arguments(arguments_hash, arguments)
            spec = agent._available_spec(record.tool_name)
            # The gate, without what was learned: an approval runs the tier-3 call it was proposed as.
            if gate(spec, agent._caller()).verdict is not Verdict.PROPOSE:
                raise AccessError(self.env._("You may not approve %(tool)s.", tool=spec.name))
            try:
                validated = validate_arguments(spec.parameters, stored)
            except ToolArgumentError as error:
                raise UserError(str(error)) from None
            try:
                with self.env.cr.savepoint():
                    content, state = data_text(spec.call(approver.env, validated)), "done"
            except ToolRefusal as refusal:  # the tool could not do it: failed, in its own words
                content, state = data_text(refusal.result()), "failed"
            except Exception as error:  # the decision stands; the model and the user are told it failed
                content, state = f"{type(error).__name__}: {error}", "failed"
            record.sudo().write(
                {
                    "decision": "approved",
                    "decided_at": fields.Datetime.now(),
                    "decided_by": self.env.uid,
                    "tool_result": content,
                    "execution_state": state,
                }
            )
            self.env["fusion.accounting.tool"]._count_usage([spec.name])
            results[record.id] = {"execution_state": state, "result": content}
        self._queue_resumes()
        return results

    def action_reject(self, reason="", correct_action=""):
        """Reject each proposal of ``self``; ``reason`` (required) and ``correct_action`` teach the co-pilot."""
        self._check_can_decide()
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(self.env._("Say why you reject it: the co-pilot learns from your reason."))
        for record in self:
            record._lock_pending()
            record.sudo().write(
                {
                    "decision": "rejected",
                    "decided_at": fields.Datetime.now(),
                    "decided_by": self.env.uid,
                    "rejection_reason": reason or False,
                    "correct_action": correct_action or False,
                }
            )
        self._queue_resumes()
        return True

    @api.model
    def decide_batch(self, decisions):
        """Apply many decisions; each succeeds or fails alone.

        ``decisions``: ``[{"id", "approve": bool, "arguments_hash", "reason", "correct_action"}]``.
        Returns ``[{"id", "ok", "error"}]`` in the same order.
        """
        self._check_can_decide()
        outcomes = []
        for item in decisions:
            record = self.browse(int(item.get("id") or 0))
            try:
                with self.env.cr.savepoint():
                    record._check_visible()
                    if item.get("approve"):
                        record.action_approve(arguments_hash=item.get("arguments_hash"))
                    else:
                        record.action_reject(item.get("reason", ""), item.get("correct_action", ""))
                outcomes.append({"id": record.id, "ok": True, "error": ""})
            except (UserError, AccessError) as error:
                outcomes.append({"id": record.id, "ok": False, "error": str(error)})
        return outcomes

    @api.model
    def _cron_expire_proposals(self):
        """Job: pending proposals past their expiry become ``expired``; their conversations continue."""
        expired = self.sudo().search([("decision", "=", "pending"), ("expires_at", "<", fields.Datetime.now())])
        expired.write({"decision": "expired", "decided_at": fields.Datetime.now()})
        expired._queue_resumes()

    def _queue_resumes(self):
        """Sessions whose proposals are all decided resume their turn with the outcomes."""
        agent = self.env["fusion.accounting.agent"]
        for session in self.sudo().session_id:
            if session.state == "awaiting_approval" and not session.history_ids.filtered(
                lambda h: h.decision == "pending"
            ):
                session.write({"state": "queued"})
                agent._queue_job(session)
