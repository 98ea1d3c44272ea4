from odoo import fields, models

from ..services.duplicates import DEFAULT_WINDOW_DAYS
from .res_company import role_field

# Role -> ir.config_parameter key of the account *code* the settings stored before they
# became per-company account pickers (``res.company.fusion_<role>_account_id``).  Still read
# as a fallback when a company has no account picked, so existing databases keep working.
ROLE_PARAMS = {
    "outstanding_receipts": "fusion_accounting.outstanding_receipts_account_code",
    "outstanding_payments": "fusion_accounting.outstanding_payments_account_code",
    "hst_collected": "fusion_accounting.hst_collected_account_code",
    "hst_itc": "fusion_accounting.hst_itc_account_code",
    "stock": "fusion_accounting.stock_account_code",
    "price_difference": "fusion_accounting.price_difference_account_code",
    "adp_receivable": "fusion_accounting.adp_receivable_account_code",
    "card_fee": "fusion_accounting.card_fee_account_code",
    "card_clearing": "fusion_accounting.card_clearing_account_code",
    "clearing": "fusion_accounting.clearing_account_code",
}


def company_setting(company_field, comodel="account.account", many=False):
    """A settings picker of the settings' company's ``company_field``: each company keeps its own choice.

    The one rule of every per-company picker of these settings (accounts by role, the payroll
    journal, the accrual accounts): related to the company, editable, limited to its records.
    """
    kind = fields.Many2many if many else fields.Many2one
    return kind(comodel, related=f"company_id.{company_field}", readonly=False, check_company=True)


def account_setting(role):
    """The settings' picker of ``role``: the account of the settings' company."""
    return company_setting(role_field(role))


class ResConfigSettings(models.TransientModel):
    """Accounts and thresholds of the co-pilot's tools; an empty account means "find it in the chart"."""

    _inherit = "res.config.settings"

    fusion_outstanding_receipts_account_id = account_setting("outstanding_receipts")
    fusion_outstanding_payments_account_id = account_setting("outstanding_payments")
    fusion_hst_collected_account_id = account_setting("hst_collected")
    fusion_hst_itc_account_id = account_setting("hst_itc")
    fusion_stock_account_id = account_setting("stock")
    fusion_price_difference_account_id = account_setting("price_difference")
    fusion_adp_receivable_account_id = account_setting("adp_receivable")
    fusion_card_fee_account_id = account_setting("card_fee")
    fusion_card_clearing_account_id = account_setting("card_clearing")
    fusion_clearing_account_id = account_setting("clearing")
    fusion_card_fee_bps = fields.Integer(
        string="Card Fee (basis points)",
        default=160,
        config_parameter="fusion_accounting.card_fee_bps",
        help="The card processor's usual fee: 160 basis points is 1.6 % of a batch.",
    )
    fusion_duplicate_bill_window_days = fields.Integer(
        string="Duplicate Bill Window (days)",
        default=DEFAULT_WINDOW_DAYS,
        config_parameter="fusion_accounting.duplicate_bill_window_days",
        help="Largest gap between the bill dates of two copies whose vendor references cannot tell them apart "
        "(one is missing). Bills with the same reference are copies even months apart; with different ones, never.",
    )
