"""Financial statements on Community: balances read with one ``_read_group``, statements built by the pure service.

Enterprise's ``account.report`` engine is absent on Community, so this adapter
reads posted journal items grouped by account and hands plain values to
:mod:`..services.financial_statements`.  Only posted items count, as in the
official reports; the user's record rules apply (no ``sudo``).
"""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from odoo import api, models

from ..services import financial_statements as fs

REPORTS = ("profit_and_loss", "balance_sheet", "trial_balance", "cash_flow")
UNDISTRIBUTED = "Undistributed Profits/Losses"


def _amount(value):
    return float(value)


def statement_json(statement):
    """A statement as JSON-ready data: lines and totals in floats rounded to the cent."""
    return {
        "title": statement.title,
        "lines": [
            {"section": line.section, "code": line.code, "name": line.name, "amount": _amount(line.amount)}
            for line in statement.lines
        ],
        "totals": {name: _amount(value) for name, value in statement.totals.items()},
    }


def trial_balance_json(tb):
    return {
        "title": "Trial Balance",
        "rows": [
            {
                "code": r.code,
                "name": r.name,
                "account_type": r.account_type,
                "debit": _amount(r.debit),
                "credit": _amount(r.credit),
            }
            for r in tb.rows
        ],
        "totals": {
            "debit": _amount(tb.total_debit),
            "credit": _amount(tb.total_credit),
            "difference": _amount(tb.total_debit - tb.total_credit),
        },
        "balanced": tb.balanced,
    }


class FusionStatementEngine(models.AbstractModel):
    _name = "fusion.statement.engine"
    _description = "Fusion: financial statements computed on Community"

    @api.model
    def _balances(self, date_to, date_from=None, account_types=None):
        """Posted balance per account of the user's companies, up to ``date_to`` (from ``date_from`` when given)."""
        domain = [
            ("company_id", "in", self.env.companies.ids),
            ("parent_state", "=", "posted"),
            ("date", "<=", date_to),
        ]
        if date_from:
            domain.append(("date", ">=", date_from))
        if account_types:
            domain.append(("account_id.account_type", "in", list(account_types)))
        # Per company too: an account's code is company-dependent, and read in the current company another
        # selected company's account has none (its rows would merge into one nameless row and cancel out).
        # An account shared by several companies stays one row.
        groups = self.env["account.move.line"]._read_group(domain, ["company_id", "account_id"], ["balance:sum"])
        by_account = defaultdict(float)
        for company, account, balance in groups:
            if account:
                by_account[account, account.with_company(company).code or ""] += balance
        currency = self.env.company.currency_id
        return [
            fs.AccountBalance(code, account.name, account.account_type, Decimal(str(currency.round(balance))))
            for (account, code), balance in by_account.items()
        ]

    @api.model
    def _fiscal_year_start(self, day):
        return self.env.company.compute_fiscalyear_dates(day)["date_from"]

    @api.model
    def profit_and_loss(self, date_from, date_to):
        return fs.profit_and_loss(self._balances(date_to, date_from, fs.PL_TYPES))

    @api.model
    def balance_sheet(self, date_to):
        current_year = self._balances(date_to, self._fiscal_year_start(date_to), fs.PL_TYPES)
        return fs.balance_sheet(self._balances(date_to), current_year)

    @api.model
    def trial_balance(self, date_to, date_from=None):
        """Trial balance at ``date_to``; only the period's movements when ``date_from`` is given.

        At a date, balance sheet accounts carry their cumulative balance while income, expense and
        unaffected earnings accounts carry only the fiscal year's movements: earlier years' results
        are brought forward as one undistributed profit or loss on the unaffected earnings account,
        as after a year-end close (Enterprise's trial balance shows that amount on a line of its own).
        """
        if date_from:
            return fs.trial_balance(self._balances(date_to, date_from))
        year_start = self._fiscal_year_start(date_to)
        reset = (*fs.PL_TYPES, "equity_unaffected")
        brought_forward = [row for row in self._balances(date_to) if row.account_type not in reset]
        this_year = self._balances(date_to, year_start, reset)
        earlier = sum((row.balance for row in self._balances(year_start - timedelta(days=1), None, reset)), fs.ZERO)
        if earlier:
            account = self.env["account.account"].search(
                [
                    *self.env["account.account"]._check_company_domain(self.env.company),
                    ("account_type", "=", "equity_unaffected"),
                ],
                limit=1,
            )
            this_year.append(
                fs.AccountBalance(account.code or "", account.name or UNDISTRIBUTED, "equity_unaffected", earlier)
            )
        return fs.trial_balance(brought_forward + this_year)

    @api.model
    def cash_flow(self, date_from, date_to):
        return fs.cash_flow(self._balances(date_from - timedelta(days=1)), self._balances(date_to))

    @api.model
    def report_json(self, report, date_from, date_to):
        """``report`` (one of :data:`REPORTS`) as JSON-ready data, with its period."""
        if report == "trial_balance":
            data = trial_balance_json(self.trial_balance(date_to))
        elif report == "balance_sheet":
            data = statement_json(self.balance_sheet(date_to))
        elif report == "cash_flow":
            data = statement_json(self.cash_flow(date_from, date_to))
        elif report == "profit_and_loss":
            data = statement_json(self.profit_and_loss(date_from, date_to))
        else:
            raise ValueError(f"unknown report {report!r}; expected one of {', '.join(REPORTS)}")
        data.update(
            {
                "report": report,
                "date_from": date_from.isoformat() if report not in ("balance_sheet", "trial_balance") else None,
                "date_to": date_to.isoformat(),
                "currency": self.env.company.currency_id.name,
                "companies": self.env.companies.mapped("name"),
            }
        )
        return data
