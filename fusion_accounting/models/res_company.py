"""Per-company settings of the co-pilot: the accounts it speaks of by role, and when the audit last ran."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

ACCOUNT = "account.account"


def role_field(role):
    """The ``res.company`` (and settings) field holding the account of ``role``."""
    return f"fusion_{role}_account_id"


class ResCompany(models.Model):
    _inherit = "res.company"

    # The co-pilot's accounts (see ``fusion.account.roles``); empty: found in the company's chart.
    fusion_outstanding_receipts_account_id = fields.Many2one(
        ACCOUNT, string="Outstanding Receipts Account", check_company=True
    )
    fusion_outstanding_payments_account_id = fields.Many2one(
        ACCOUNT, string="Outstanding Payments Account", check_company=True
    )
    fusion_hst_collected_account_id = fields.Many2one(ACCOUNT, string="GST/HST Collected Account", check_company=True)
    fusion_hst_itc_account_id = fields.Many2one(ACCOUNT, string="GST/HST Input Tax Credits Account", check_company=True)
    fusion_stock_account_id = fields.Many2one(ACCOUNT, string="Stock in Hand Account", check_company=True)
    fusion_price_difference_account_id = fields.Many2one(
        ACCOUNT, string="Purchase Price Difference Account", check_company=True
    )
    fusion_adp_receivable_account_id = fields.Many2one(ACCOUNT, string="ADP Receivable Account", check_company=True)
    fusion_card_fee_account_id = fields.Many2one(ACCOUNT, string="Card Processing Fee Account", check_company=True)
    fusion_card_clearing_account_id = fields.Many2one(
        ACCOUNT, string="Card Payments Clearing Account", check_company=True
    )
    fusion_clearing_account_id = fields.Many2one(
        ACCOUNT, string="Clearing Account Reviewed for Balances", check_company=True
    )
    # Payroll.
    fusion_wages_account_id = fields.Many2one(ACCOUNT, string="Wages Expense Account", check_company=True)
    fusion_employer_contributions_account_id = fields.Many2one(
        ACCOUNT, string="Employer CPP/EI Expense Account", check_company=True
    )
    fusion_cpp_payable_account_id = fields.Many2one(ACCOUNT, string="CPP Payable Account", check_company=True)
    fusion_ei_payable_account_id = fields.Many2one(ACCOUNT, string="EI Payable Account", check_company=True)
    fusion_income_tax_payable_account_id = fields.Many2one(
        ACCOUNT, string="Income Tax Withheld Account", check_company=True
    )
    fusion_net_pay_payable_account_id = fields.Many2one(ACCOUNT, string="Net Pay Payable Account", check_company=True)
    fusion_deductions_payable_account_id = fields.Many2one(
        ACCOUNT, string="Other Payroll Deductions Account", check_company=True
    )
    fusion_payroll_journal_id = fields.Many2one(
        "account.journal", string="Payroll Journal", check_company=True, domain="[('type', '=', 'general')]"
    )
    # The accounts the month-end close reviews as accruals (vacation, sick pay...); empty: found by name.
    fusion_accrual_account_ids = fields.Many2many(
        ACCOUNT,
        "fusion_company_accrual_account_rel",
        "company_id",
        "account_id",
        string="Accrual Accounts",
        check_company=True,
    )

    # Written by the periodic audit (and its "run now" button): the dashboard never shows a
    # clean score for a company the audit has not looked at within its period.
    fusion_audit_checked_on = fields.Date(string="Audit Last Run", readonly=True, copy=False)

    @api.constrains(lambda self: self._fusion_account_fields())
    def _check_fusion_accounts_company(self):
        """A picked account belongs to the company (or a parent): ``check_company`` only filters the picker."""
        for company in self:
            for name in self._fusion_account_fields():
                for account in company[name]:
                    if account.sudo().company_ids & company.parent_ids:
                        continue
                    raise ValidationError(
                        self.env._(
                            "%(account)s does not belong to %(company)s.",
                            account=account.display_name,
                            company=company.display_name,
                        )
                    )

    @api.model
    def _fusion_account_fields(self):
        return [
            name
            for name in self._fields
            if name.startswith("fusion_") and name.endswith(("_account_id", "_account_ids"))
        ]
