from odoo import api, models

from ..services.tax_accounts import TaxLine, resolve_tax_accounts
from .res_config_settings import ROLE_PARAMS
from .res_config_settings_payroll_close import PAYROLL_JOURNAL_PARAM, PAYROLL_ROLE_PARAMS

# Every role's setting: the co-pilot's accounts and the payroll accounts share one model.
_PARAMS = {**ROLE_PARAMS, **PAYROLL_ROLE_PARAMS}
assert len(_PARAMS) == len(ROLE_PARAMS) + len(PAYROLL_ROLE_PARAMS), "a role is named once"
# Roles whose balance is owed to the CRA (source deductions and employer contributions).
CRA_ROLES = ("cpp_payable", "ei_payable", "income_tax_payable")

# Name patterns (ilike) that find an account of a role in a chart that was not
# configured, tried in order; the first account found wins.
_NAME_PATTERNS = {
    "card_fee": ("%merchant%fee%", "%card%fee%", "%credit card%charge%"),
    "card_clearing": ("%card%clearing%", "%card%payment%", "%merchant%clearing%"),
    "clearing": ("%clearing%", "%suspense%"),
    "wages": ("%wages%", "%salar%"),
    "employer_contributions": ("%employer%CPP%", "%employer%contribution%", "%payroll tax%"),
    "cpp_payable": ("CPP%payable%", "%CPP%payable%", "%pension plan%payable%"),
    "ei_payable": ("EI%payable%", "%employment insurance%payable%"),
    "income_tax_payable": ("%income tax withheld%", "%tax%withh%", "%source deduction%"),
    "net_pay_payable": ("%net pay%", "%wages payable%", "%salaries payable%"),
    "deductions_payable": ("%deductions payable%", "%benefits payable%"),
}


class FusionAccountRoles(models.AbstractModel):
    """Accounts the co-pilot speaks of by role (design codes 1122, 2005, 2006, 1069, 5010, 1101, 60545),
    the payroll accounts (wages, CPP/EI/tax payable, net pay...) and the payroll journal.

    A role is resolved per company at read time: the account code set in the
    settings when there is one, else a default found in the company's chart.
    Nothing here writes; a missing account is returned as an empty recordset.
    """

    _name = "fusion.account.roles"
    _description = "Fusion: accounts by role"

    @api.model
    def _configured_code(self, role):
        return (self.env["ir.config_parameter"].sudo().get_param(_PARAMS[role]) or "").strip()

    @api.model
    def _by_code(self, company, code):
        return (
            self.env["account.account"]
            .with_company(company)
            .search([*self.env["account.account"]._check_company_domain(company), ("code", "=", code)], limit=1)
        )

    @api.model
    def _by_name(self, company, role):
        Account = self.env["account.account"].with_company(company)
        for pattern in _NAME_PATTERNS.get(role, ()):
            account = Account.search(
                [*Account._check_company_domain(company), ("name", "=ilike", pattern), ("active", "=", True)],
                order="code",
                limit=1,
            )
            if account:
                return account
        return Account

    @api.model
    def _chart_ref(self, company, xmlid):
        chart = self.env["account.chart.template"].with_company(company)
        return chart.ref(xmlid, raise_if_not_found=False) or self.env["account.account"]

    @api.model
    def _account(self, company, role):
        """The account of ``role`` in ``company``: settings code first, then the chart's default."""
        code = self._configured_code(role)
        if code:
            return self._by_code(company, code)
        if role in ("outstanding_receipts", "outstanding_payments"):
            # The account Odoo's payments use on Community (account.payment._get_outstanding_account).
            xmlid = "account_journal_payment_%s_account_id" % ("debit" if role == "outstanding_receipts" else "credit")
            return self._chart_ref(company, xmlid) or company.transfer_account_id
        if role in ("hst_collected", "hst_itc"):
            accounts = self._tax_accounts(company)
            ids = accounts.collected if role == "hst_collected" else accounts.itc
            return self.env["account.account"].browse(ids[:1])
        return self._by_name(company, role)

    @api.model
    def _tax_accounts(self, company):
        """GST/HST collected and ITC accounts of ``company`` (a :class:`TaxAccounts` of account ids):
        the settings codes win over what the company's taxes' tags say."""
        overrides = {}
        for role in ("hst_collected", "hst_itc"):
            code = self._configured_code(role)
            overrides[role] = tuple(self._by_code(company, code).ids) if code else ()
        repartition = (
            self.env["account.tax.repartition.line"]
            .sudo()
            .search_fetch(
                [
                    ("company_id", "=", company.id),
                    ("repartition_type", "=", "tax"),
                    ("tax_id.type_tax_use", "in", ("sale", "purchase")),
                    ("account_id", "!=", False),
                ],
                ["tax_id", "account_id", "tag_ids"],
            )
        )
        lines = [
            TaxLine(line.tax_id.id, line.tax_id.type_tax_use, line.account_id.id, tuple(line.tag_ids.mapped("name")))
            for line in repartition
        ]
        return resolve_tax_accounts(lines, overrides["hst_collected"], overrides["hst_itc"])

    @api.model
    def _accounts(self, companies, role):
        """The role's account in each of ``companies``, as one recordset."""
        found = self.env["account.account"]
        for company in companies:
            found |= self._account(company, role)
        return found

    @api.model
    def _payroll_journals(self):
        """Payroll journals of the selected companies: the configured code, else journals named like payroll."""
        Journal = self.env["account.journal"]
        code = (self.env["ir.config_parameter"].sudo().get_param(PAYROLL_JOURNAL_PARAM) or "").strip()
        domain = [("company_id", "in", self.env.companies.ids)]
        if code:
            return Journal.search([*domain, ("code", "=", code)])
        return Journal.search(
            [*domain, ("type", "=", "general"), "|", ("name", "ilike", "payroll"), ("code", "=ilike", "PAY%")]
        )

    @api.model
    def _int_param(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(f"fusion_accounting.{key}")
        try:
            return int(value) if value not in (None, "", False) else default
        except ValueError:
            return default
