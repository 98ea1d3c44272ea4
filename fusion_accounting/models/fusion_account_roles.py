from odoo import Command, api, models

from ..services.tax_accounts import TaxLine, resolve_tax_accounts
from .res_company import role_field
from .res_config_settings import ROLE_PARAMS
from .res_config_settings_payroll_close import ACCRUAL_CODES_PARAM, PAYROLL_JOURNAL_PARAM, PAYROLL_ROLE_PARAMS

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
# Liability accounts whose names say they hold accruals, for a company with none picked.
_ACCRUAL_NAME_PATTERNS = ("%accru%", "%vacation%", "%sick%", "%holiday pay%")
_LIABILITIES = ("liability_current", "liability_non_current")


class FusionAccountRoles(models.AbstractModel):
    """Accounts the co-pilot speaks of by role (design codes 1122, 2005, 2006, 1069, 5010, 1101, 60545),
    the payroll accounts (wages, CPP/EI/tax payable, net pay...) and the payroll journal.

    A role is resolved per company at read time: the account picked for the company
    in the settings, else the account code stored by the settings before they were
    per-company pickers, else a default found in the company's chart.
    Nothing here writes; a missing account is returned as an empty recordset.
    """

    _name = "fusion.account.roles"
    _description = "Fusion: accounts by role"

    @api.model
    def _picked(self, company, role):
        """The account picked for ``company`` in the settings (empty recordset when none)."""
        return company[role_field(role)]

    @api.model
    def _adopt_legacy_codes(self):
        """Pick, for each company without one, the account its chart holds under the role's old code setting,
        and the accrual accounts its chart holds under the old comma-separated accrual codes.

        The code setting stays: it is still the fallback of a company whose chart lacks the code.
        Runs as superuser (the upgrade does): every company's chart is read, whoever is logged in.
        """
        roles = self.sudo()
        for company in roles.env["res.company"].search([("chart_template", "!=", False)]):
            values = {}
            for role in _PARAMS:
                code = roles._configured_code(role)
                if code and not roles._picked(company, role):
                    account = roles._by_code(company, code)
                    if account:
                        values[role_field(role)] = account.id
            codes = roles._accrual_codes()
            if codes and not company.fusion_accrual_account_ids:
                accrued = roles._by_codes(company, codes)
                if accrued:
                    values["fusion_accrual_account_ids"] = [Command.set(accrued.ids)]
            if values:
                company.write(values)

    @api.model
    def _configured_code(self, role):
        return (self.env["ir.config_parameter"].sudo().get_param(_PARAMS[role]) or "").strip()

    @api.model
    def _by_code(self, company, code):
        return self._by_codes(company, [code], limit=1)

    @api.model
    def _by_codes(self, company, codes, limit=None):
        Account = self.env["account.account"].with_company(company)
        return Account.search([*Account._check_company_domain(company), ("code", "in", list(codes))], limit=limit)

    @api.model
    def _accrual_codes(self):
        """The codes of the old comma-separated accrual setting (empty once nobody set it)."""
        value = self.env["ir.config_parameter"].sudo().get_param(ACCRUAL_CODES_PARAM) or ""
        return [code.strip() for code in value.split(",") if code.strip()]

    @api.model
    def _accrual_accounts(self, companies):
        """The accounts the close reviews as accruals in ``companies``: each company's picked accounts,
        else those its chart holds under the old code setting, else its liabilities named like accruals."""
        Account = self.env["account.account"]
        found, codes = Account, self._accrual_codes()
        for company in companies:
            accounts = company.fusion_accrual_account_ids or (self._by_codes(company, codes) if codes else Account)
            if not accounts:
                in_company = Account.with_company(company)
                base = [*Account._check_company_domain(company), ("account_type", "in", _LIABILITIES)]
                for pattern in _ACCRUAL_NAME_PATTERNS:
                    accounts |= in_company.search([*base, ("name", "=ilike", pattern)])
            found |= accounts
        return found

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
        """The account of ``role`` in ``company``: the picked account, the legacy code, then the chart's default."""
        picked = self._picked(company, role)
        if picked:
            return picked
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
        the settings' accounts (picked, else by code) win over what the company's taxes' tags say."""
        overrides = {}
        for role in ("hst_collected", "hst_itc"):
            code = self._configured_code(role)
            picked = self._picked(company, role) or (self._by_code(company, code) if code else None)
            overrides[role] = tuple(picked.ids) if picked else ()
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
        """Payroll journals of the selected companies: the picked journal, else the legacy code setting,
        else journals named like payroll; each company without a picked journal falls back on its own."""
        Journal = self.env["account.journal"]
        picked = self.env.companies.fusion_payroll_journal_id
        unpicked = self.env.companies.filtered(lambda company: not company.fusion_payroll_journal_id)
        if not unpicked:
            return picked
        code = (self.env["ir.config_parameter"].sudo().get_param(PAYROLL_JOURNAL_PARAM) or "").strip()
        domain = [("company_id", "in", unpicked.ids)]
        if code:
            return picked | Journal.search([*domain, ("code", "=", code)])
        return picked | Journal.search(
            [*domain, ("type", "=", "general"), "|", ("name", "ilike", "payroll"), ("code", "=ilike", "PAY%")]
        )

    @api.model
    def _int_param(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(f"fusion_accounting.{key}")
        try:
            return int(value) if value not in (None, "", False) else default
        except ValueError:
            return default
