"""1.1.0: the shipped follow-up e-mails list credits and a total; those nobody edited get the new text."""

from odoo import SUPERUSER_ID, api

from odoo.addons.fusion_accounting_followup.template_upgrade import refresh_untouched_templates


def migrate(cr, version):
    refresh_untouched_templates(api.Environment(cr, SUPERUSER_ID, {}))
