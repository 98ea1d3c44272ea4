"""The accrual codes of the old comma-separated setting become each company's picked accrual accounts
(those its chart holds under the codes); the role accounts' adoption runs again, it only fills empty picks."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["fusion.account.roles"]._adopt_legacy_codes()
