from odoo import api, fields, models

from ..services.migration_tone import tones_for_delays

LEGACY_MODEL = "account_followup.followup.line"


class FusionMigrationWizard(models.TransientModel):
    """Backfill ``fusion.followup.level`` from Enterprise follow-up lines; safe to run again."""

    _name = "fusion.migration.wizard"
    _description = "Fusion: import Enterprise follow-up levels"

    enterprise_available = fields.Boolean(compute="_compute_enterprise_available")
    message = fields.Text(readonly=True)

    @api.depends_context("uid")
    def _compute_enterprise_available(self):
        for wizard in self:
            wizard.enterprise_available = LEGACY_MODEL in self.env

    def action_migrate(self):
        self.ensure_one()
        if LEGACY_MODEL not in self.env:
            self.message = self.env._(
                "Enterprise Follow-up (account_followup) is not installed: there are no follow-up levels to import."
            )
            return self._reopen()
        counts = self._migrate()
        self.message = self.env._(
            "%(created)s levels created, %(linked)s linked to an existing level with the same delay, "
            "%(skipped)s already imported.",
            **counts,
        )
        return self._reopen()

    def _migrate(self):
        """Import every legacy line once; a level with the same company and delay is linked, not duplicated."""
        legacy = self.env[LEGACY_MODEL].sudo().with_context(active_test=False)
        levels = self.env["fusion.followup.level"].sudo().with_context(active_test=False)
        counts = {"created": 0, "linked": 0, "skipped": 0}
        for company in legacy.search([]).company_id:
            lines = legacy.search([("company_id", "=", company.id)])
            # Tones come from the order of the delays of the whole ladder, whatever their values.
            for line, tone in zip(lines, tones_for_delays(lines.mapped("delay")), strict=True):
                company_levels = levels.search([("company_id", "=", company.id)])
                if line.id in company_levels.mapped("legacy_followup_line_id"):
                    counts["skipped"] += 1
                    continue
                same_delay = company_levels.filtered(lambda level, line=line: level.delay_days == line.delay)
                if same_delay:
                    same_delay[:1].legacy_followup_line_id = line.id
                    counts["linked"] += 1
                    continue
                template = line.mail_template_id if line.send_email else self.env["mail.template"]
                levels.create(
                    {
                        "name": line.name,
                        "company_id": company.id,
                        "delay_days": line.delay,
                        "tone": tone,
                        "mail_template_id": template.id if template.model == "res.partner" else False,
                        "legacy_followup_line_id": line.id,
                    }
                )
                counts["created"] += 1
        return counts

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
