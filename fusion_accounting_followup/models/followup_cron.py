import logging

from odoo import api, models

_logger = logging.getLogger(__name__)
DAILY_CRON = "fusion_accounting_followup.ir_cron_followup_daily_scan"


class FusionFollowupCron(models.AbstractModel):
    """Scheduled entry points: the daily scan (no cap, one partner at a time) and the weekly risk refresh."""

    _name = "fusion.followup.cron"
    _description = "Fusion: follow-up scheduled jobs"

    @api.model
    def _cron_daily_scan(self):
        """Process every partner due a follow-up, in every company, committing after each partner.

        A partner that fails is rolled back to its savepoint, recorded (failed
        run plus chatter note) and skipped; the scan goes on.  When the cron's
        time is up it re-triggers itself; already-sent partners are then no-ops,
        so a rerun (also after a crash) never emails anyone twice.
        """
        ir_cron = self.env["ir.cron"]
        # A system job: it reads and writes every company, whichever user the cron runs as.
        for company in self.env["res.company"].sudo().search([]):
            engine = self.env["fusion.followup.engine"].sudo().with_company(company)
            partner_ids = self._scan_partner_ids(engine)
            for index, partner_id in enumerate(partner_ids, start=1):
                self._scan_partner(engine, partner_id)
                if not ir_cron._commit_progress(1, remaining=len(partner_ids) - index):
                    self.env.ref(DAILY_CRON)._trigger()
                    return

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
