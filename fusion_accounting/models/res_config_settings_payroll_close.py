"""Settings of the close, payroll and audit tools: account codes by role (empty: found in the chart)."""

from odoo import fields, models

# Payroll role -> ir.config_parameter key holding an account code (see ``fusion.account.roles``).
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


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    fusion_payroll_wages_account_code = fields.Char(
        string="Wages Expense Account", config_parameter=PAYROLL_ROLE_PARAMS["wages"]
    )
    fusion_payroll_employer_account_code = fields.Char(
        string="Employer CPP/EI Expense Account", config_parameter=PAYROLL_ROLE_PARAMS["employer_contributions"]
    )
    fusion_payroll_cpp_account_code = fields.Char(
        string="CPP Payable Account", config_parameter=PAYROLL_ROLE_PARAMS["cpp_payable"]
    )
    fusion_payroll_ei_account_code = fields.Char(
        string="EI Payable Account", config_parameter=PAYROLL_ROLE_PARAMS["ei_payable"]
    )
    fusion_payroll_tax_account_code = fields.Char(
        string="Income Tax Withheld Account", config_parameter=PAYROLL_ROLE_PARAMS["income_tax_payable"]
    )
    fusion_payroll_net_pay_account_code = fields.Char(
        string="Net Pay Payable Account", config_parameter=PAYROLL_ROLE_PARAMS["net_pay_payable"]
    )
    fusion_payroll_deductions_account_code = fields.Char(
        string="Other Payroll Deductions Account", config_parameter=PAYROLL_ROLE_PARAMS["deductions_payable"]
    )
    fusion_payroll_journal_code = fields.Char(string="Payroll Journal Code", config_parameter=PAYROLL_JOURNAL_PARAM)
    fusion_accrual_account_codes = fields.Char(
        string="Accrual Accounts",
        config_parameter="fusion_accounting.accrual_account_codes",
        help="Comma-separated account codes (vacation, sick pay...) that the close reviews.",
    )
