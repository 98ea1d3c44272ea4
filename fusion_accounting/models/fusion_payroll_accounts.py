"""Payroll accounts and journal by role: the code set in the settings, else found by name in the company's chart."""

from odoo import api, models

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
# Roles whose balance is owed to the CRA (source deductions and employer contributions).
CRA_ROLES = ("cpp_payable", "ei_payable", "income_tax_payable")
_NAME_PATTERNS = {
    "wages": ("%wages%", "%salar%"),
    "employer_contributions": ("%employer%CPP%", "%employer%contribution%", "%payroll tax%"),
    "cpp_payable": ("CPP%payable%", "%CPP%payable%", "%pension plan%payable%"),
    "ei_payable": ("EI%payable%", "%employment insurance%payable%"),
    "income_tax_payable": ("%income tax withheld%", "%tax%withh%", "%source deduction%"),
    "net_pay_payable": ("%net pay%", "%wages payable%", "%salaries payable%"),
    "deductions_payable": ("%deductions payable%", "%benefits payable%"),
}


class FusionPayrollAccounts(models.AbstractModel):
    _name = "fusion.payroll.accounts"
    _description = "Fusion: payroll accounts by role"

    @api.model
    def _account(self, company, role):
        Account = self.env["account.account"].with_company(company)
        base = Account._check_company_domain(company)
        code = (self.env["ir.config_parameter"].sudo().get_param(PAYROLL_ROLE_PARAMS[role]) or "").strip()
        if code:
            return Account.search([*base, ("code", "=", code)], limit=1)
        for pattern in _NAME_PATTERNS[role]:
            account = Account.search([*base, ("name", "=ilike", pattern), ("active", "=", True)], order="code", limit=1)
            if account:
                return account
        return Account

    @api.model
    def _accounts(self, role):
        found = self.env["account.account"]
        for company in self.env.companies:
            found |= self._account(company, role)
        return found

    @api.model
    def _journals(self):
        """Payroll journals of the selected companies: the configured code, else journals named like payroll."""
        Journal = self.env["account.journal"]
        code = (self.env["ir.config_parameter"].sudo().get_param(PAYROLL_JOURNAL_PARAM) or "").strip()
        domain = [("company_id", "in", self.env.companies.ids)]
        if code:
            return Journal.search([*domain, ("code", "=", code)])
        return Journal.search(
            [*domain, ("type", "=", "general"), "|", ("name", "ilike", "payroll"), ("code", "=ilike", "PAY%")]
        )
