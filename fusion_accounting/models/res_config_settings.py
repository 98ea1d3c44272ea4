from odoo import fields, models

# Role -> ir.config_parameter key holding an account code.  Codes, not ids:
# one setting serves every company, each resolving the code in its own chart.
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


class ResConfigSettings(models.TransientModel):
    """Accounts and thresholds of the co-pilot's tools; empty codes mean "find it in the chart"."""

    _inherit = "res.config.settings"

    fusion_outstanding_receipts_account_code = fields.Char(
        string="Outstanding Receipts Account", config_parameter=ROLE_PARAMS["outstanding_receipts"]
    )
    fusion_outstanding_payments_account_code = fields.Char(
        string="Outstanding Payments Account", config_parameter=ROLE_PARAMS["outstanding_payments"]
    )
    fusion_hst_collected_account_code = fields.Char(
        string="GST/HST Collected Account", config_parameter=ROLE_PARAMS["hst_collected"]
    )
    fusion_hst_itc_account_code = fields.Char(
        string="GST/HST Input Tax Credits Account", config_parameter=ROLE_PARAMS["hst_itc"]
    )
    fusion_stock_account_code = fields.Char(string="Stock in Hand Account", config_parameter=ROLE_PARAMS["stock"])
    fusion_price_difference_account_code = fields.Char(
        string="Price Difference Account", config_parameter=ROLE_PARAMS["price_difference"]
    )
    fusion_adp_receivable_account_code = fields.Char(
        string="ADP Receivable Account", config_parameter=ROLE_PARAMS["adp_receivable"]
    )
    fusion_card_fee_account_code = fields.Char(
        string="Card Processing Fee Account", config_parameter=ROLE_PARAMS["card_fee"]
    )
    fusion_card_clearing_account_code = fields.Char(
        string="Card Payments Clearing Account", config_parameter=ROLE_PARAMS["card_clearing"]
    )
    fusion_clearing_account_code = fields.Char(
        string="Clearing Account Reviewed for Balances", config_parameter=ROLE_PARAMS["clearing"]
    )
    fusion_card_fee_bps = fields.Integer(
        string="Card Fee (basis points)",
        default=160,
        config_parameter="fusion_accounting.card_fee_bps",
        help="The card processor's usual fee: 160 basis points is 1.6 % of a batch.",
    )
    fusion_duplicate_bill_window_days = fields.Integer(
        string="Duplicate Bill Window (days)",
        default=7,
        config_parameter="fusion_accounting.duplicate_bill_window_days",
    )
