"""Settings of the close, payroll and audit tools: accounts by role per company (empty: found in the chart)."""

from odoo import models

from .res_config_settings import account_setting, company_setting

# Payroll role -> ir.config_parameter key of the account code stored before the per-company
# pickers; read as a fallback (see ``fusion.account.roles``).
PAYROLL_ROLE_PARAMS = {
    "wages": "fusion_accounting.payroll_wages_account_code",
    "employer_contributions": "fusion_accounting.payroll_employer_account_code",
    "cpp_payable": "fusion_accounting.payroll_cpp_account_code",
    "ei_payable": "fusion_accounting.payroll_ei_account_code",
    "income_tax_payable": "fusion_accounting.payroll_tax_account_code",
    "net_pay_payable": "fusion_accounting.payroll_net_pay_account_code",
    "deductions_payable": "fusion_accounting.payroll_deductions_account_code",
}
PAYROLL_JOURNAL_PARAM = "fusion_accounting.payroll_journal_code"
# The accrual accounts' codes (comma-separated) the settings stored before the per-company picker.
ACCRUAL_CODES_PARAM = "fusion_accounting.accrual_account_codes"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    fusion_wages_account_id = account_setting("wages")
    fusion_employer_contributions_account_id = account_setting("employer_contributions")
    fusion_cpp_payable_account_id = account_setting("cpp_payable")
    fusion_ei_payable_account_id = account_setting("ei_payable")
    fusion_income_tax_payable_account_id = account_setting("income_tax_payable")
    fusion_net_pay_payable_account_id = account_setting("net_pay_payable")
    fusion_deductions_payable_account_id = account_setting("deductions_payable")
    fusion_payroll_journal_id = company_setting("fusion_payroll_journal_id", "account.journal")
    fusion_accrual_account_ids = company_setting("fusion_accrual_account_ids", many=True)
