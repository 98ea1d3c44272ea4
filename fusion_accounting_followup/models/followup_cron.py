import logging

from odoo import api, models

_logger = logging.getLogger(__name__)
DAILY_CRON = "fusion_accounting_followup.ir_cron_followup_daily_scan"


class FusionFollowupCron(models.AbstractModel):
    """Scheduled entry points: the daily scan (no cap, a batch of partners at a time) and the weekly risk refresh."""

    _name = "fusion.followup.cron"
    _description = "Fusion: follow-up scheduled jobs"
    # Partners per batch and per commit: large enough that the batch's fixed queries and the
    # template rendering setup are shared, small enough that a retried batch costs little.
    _scan_batch_size = 200

    @api.model
    def _cron_daily_scan(self):
        """Process every partner due a follow-up, in every company, committing after each batch of partners.

        A batch is one savepoint: if it fails as a whole, it is rolled back and
        its partners are processed again one at a time, each in its own savepoint
        (a partner that fails then is recorded, as a failed run plus a chatter
        note, and skipped; the scan goes on).  The cache is emptied after every
        commit so that memory stays flat.  When the cron's time is up it
        re-triggers itself; already-sent partners are then no-ops, so a rerun
        (also after a crash) never emails anyone twice.  Before a company's scan,
        its open promises to pay are judged (kept, broken and escalated, or left open).
        """
        ir_cron = self.env["ir.cron"]
        # A system job: it reads and writes every company, whichever user the cron runs as.
        for company in self.env["res.company"].sudo().search([]):
            engine = self.env["fusion.followup.engine"].sudo().with_company(company)
            # Promises first: a broken one escalates today, and the scan then sees that send.
            engine._check_promises()
            partner_ids = self._scan_partner_ids(engine)
            for start in range(0, len(partner_ids), self._scan_batch_size):
                batch = partner_ids[start : start + self._scan_batch_size]
                self._scan_batch(engine, batch)
                remaining = len(partner_ids) - start - len(batch)
                if not ir_cron._commit_progress(len(batch), remaining=remaining):
                    self.env.ref(DAILY_CRON)._trigger()
                    return
                self.env.invalidate_all()

    def _scan_partner_ids(self, engine):
        """Partners with an item old enough for the first level, plus those whose stored status must clear."""
        levels = self.env["fusion.followup.level"].sudo().search([("company_id", "=", engine.env.company.id)])
        if not levels:
            return []
        today = engine._today()
        due = engine.env["fusion.followup.ledger"]._candidate_partner_ids(today, min(levels.mapped("delay_days")))
        flagged = (
            engine.env["res.partner"]
            .sudo()
            .search([("fusion_followup_status", "in", ("overdue", "action_needed", "paused"))])
            .ids
        )
        return sorted(set(due) | set(flagged))

    def _scan_batch(self, engine, partner_ids):
        try:
            with engine.env.cr.savepoint():
                engine._scheduled_followup_batch(partner_ids)
        except Exception as error:  # retried partner by partner below, where each failure is recorded
            _logger.info(
                "Follow-up scan batch failed (%s); processing its %d partners one by one", error, len(partner_ids)
            )
            for partner_id in partner_ids:
                self._scan_partner(engine, partner_id)

    def _scan_partner(self, engine, partner_id):
        partner = engine.env["res.partner"].sudo().browse(partner_id)
        try:
            with engine.env.cr.savepoint():
                engine._scheduled_followup(partner)
        except Exception as error:  # isolate the partner: whatever broke, the other partners still get processed
            _logger.exception("Follow-up scan failed for partner %s", partner_id)
            engine._record_failure(partner, error)

    @api.model
    def _cron_weekly_risk_refresh(self):
        """Re-score every partner with open receivables, company by company."""
        for company in self.env["res.company"].sudo().search([]):
            self.env["fusion.followup.engine"].sudo().with_company(company)._refresh_risk_scores()
            self.env["ir.cron"]._commit_progress(1)
