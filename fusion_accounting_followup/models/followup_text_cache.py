from odoo import fields, models


class FusionFollowupTextCache(models.Model):
    """AI-written follow-up texts, reused while the prompt's fingerprint is unchanged (saves model calls)."""

    _name = "fusion.followup.text.cache"
    _description = "Fusion: cached follow-up text"
    _order = "write_date desc"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    level_id = fields.Many2one("fusion.followup.level", required=True, ondelete="cascade")
    tone = fields.Selection([("gentle", "Gentle"), ("firm", "Firm"), ("legal", "Legal")], required=True)
    fingerprint = fields.Char(required=True, help="SHA-256 of the prompt the text answered.")
    lang = fields.Char()
    subject = fields.Char(required=True)
    body = fields.Text(required=True)
    hit_count = fields.Integer(default=0)

    _key_uniq = models.Constraint(
        "unique(partner_id, level_id, tone, fingerprint)", "A text is cached once per partner, level, tone and prompt."
    )

    def _lookup(self, partner, level, tone):
        """A ``fingerprint -> (subject, body)`` callable for the text generator; counts hits."""

        def lookup(fingerprint):
            entry = self.sudo().search(
                [
                    ("partner_id", "=", partner.id),
                    ("level_id", "=", level.id),
                    ("tone", "=", tone),
                    ("fingerprint", "=", fingerprint),
                ],
                limit=1,
            )
            if not entry:
                return None
            entry.hit_count += 1
            return entry.subject, entry.body

        return lookup

    def _store(self, partner, level, text):
        """Keep an AI-written ``text`` (a ``FollowupText``) for the next identical prompt."""
        self.sudo().create(
            {
                "partner_id": partner.id,
                "company_id": level.company_id.id,
                "level_id": level.id,
                "tone": text.tone,
                "fingerprint": text.fingerprint,
                "lang": text.lang,
                "subject": text.subject,
                "body": text.body,
            }
        )
