"""Account codes stored by the old settings become each company's picked account (where its chart has the code)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["fusion.account.roles"]._adopt_legacy_codes()
