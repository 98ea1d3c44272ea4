"""Audit checks (design 3.12) over a period, set-based, each returning findings as plain dicts.

A finding is ``{kind, severity, name, message, recommendation, res_model,
res_id, account_id, amount}``; the finding model stores and ranks them.
Checks read with the user's rights, except the hash chain, which Odoo's own
``res.company._check_hash_integrity`` computes.  A check that fails on one
company's data returns an ``audit_check_failed`` finding instead of sinking
the audit.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_is_zero

_logger = logging.getLogger(__name__)

# Account types whose balance should lie on one side; cash (overdrafts), fixed
# assets (accumulated depreciation), receivables/payables (credit notes) and
# equity (drawings) legitimately hold either side and are left out.
_DEBIT_TYPES = (
    "asset_current",
    "asset_prepayments",
    "asset_non_current",
    "expense",
    "expense_direct_cost",
    "expense_other",
    "expense_depreciation",
)
_CREDIT_TYPES = ("liability_current", "liability_non_current", "liability_credit_card", "income", "income_other")
_PL_TYPES = ("income", "income_other", "expense", "expense_direct_cost", "expense_other", "expense_depreciation")
DRAFT_AGE_DAYS = 30


def _finding(kind, severity, name, message, recommendation, *, record=None, account=None, amount=0.0):
    return {
        "kind": kind,
        "severity": severity,
        "name": name,
        "message": message,
        "recommendation": recommendation,
        "res_model": record._name if record else None,
        "res_id": record.id if record else None,
        "account_id": account.id if account else None,
        "amount": round(abs(amount or 0.0), 2),
    }


class FusionAuditEngine(models.AbstractModel):
    _name = "fusion.audit.engine"
    _description = "Fusion: audit checks"

    # Check name -> (method, kinds it reports); the order is the report's order.
    _CHECKS = {
        "entries": (
            "_check_entries",
            (
                "duplicate_entry",
                "duplicate_bill",
                "forgotten_draft",
                "entry_in_locked_period",
                "draft_in_locked_period",
            ),
        ),
        "balances": ("_check_balances", ("wrong_direction_balance", "suspense_balance")),
        "tax": ("_check_tax", ("taxable_invoice_without_tax", "bill_without_itc")),
        "reconciliation": ("_check_reconciliation", ("reconciliation_mismatch",)),
        "hash_chain": ("_check_hash_chain", ("hash_corrupted",)),
        "sequence": ("_check_sequence_gaps", ("sequence_gap",)),
        "adp": ("_check_adp", ("adp_split_mismatch",)),
    }
    _ALL_KINDS = tuple(kind for _method, kinds in _CHECKS.values() for kind in kinds)

    # ------------------------------------------------------------------ helpers

    @api.model
    def _company_domain(self, field="company_id"):
        return [(field, "in", self.env.companies.ids)]

    @api.model
    def _moves(self, date_from, date_to, extra=()):
        return self.env["account.move"].search(
            [*self._company_domain(), ("date", ">=", date_from), ("date", "<=", date_to), *extra], order="date, id"
        )

    @api.model
    def run_check(self, check, date_from, date_to, move_ids=None):
        """Run one check; its failure becomes a finding, never an exception."""
        method, _kinds = self._CHECKS[check]
        try:
            with self.env.cr.savepoint():
                return getattr(self, method)(date_from, date_to, move_ids=move_ids)
        except (UserError, AccessError, ValueError) as error:
            _logger.info("audit check %s could not run: %s", check, error)
            return [
                _finding(
                    "audit_check_failed",
                    "info",
                    f"Check {check} could not run",
                    str(error),
                    "Ask an accountant with full access to run the audit.",
                )
            ]

    @api.model
    def run_all(self, date_from, date_to, checks=None, move_ids=None):
        """Every check (or those named in ``checks``) over the period; findings of all of them, in check order."""
        findings = []
        for check in checks or self._CHECKS:
            findings.extend(self.run_check(check, date_from, date_to, move_ids=move_ids))
        return findings

    # ------------------------------------------------------------------ entries

    @api.model
    def _check_entries(self, date_from, date_to, move_ids=None):
        extra = [("id", "in", move_ids)] if move_ids else []
        findings = []
        posted = self._moves(date_from, date_to, [("state", "=", "posted"), *extra])
        if move_ids:
            # A copy may predate the entry audited: look at all posted entries of those dates, keep pairs with it.
            pool = self._moves(date_from, date_to, [("state", "=", "posted")])
            findings += [f for f in self._duplicates(pool) if f["res_id"] in move_ids or f["original_id"] in move_ids]
        else:
            findings += self._duplicates(posted)
        drafts = self._moves(date_from, date_to, [("state", "=", "draft"), *extra])
        cutoff = date_to - timedelta(days=DRAFT_AGE_DAYS)
        for move in drafts.filtered(lambda m: m.date <= cutoff):
            findings.append(
                _finding(
                    "forgotten_draft",
                    "low",
                    f"Draft {move.display_name} of {move.date}",
                    f"{move.display_name} has been a draft since {move.date} ({move.amount_total:.2f}).",
                    "Post it if it is real, otherwise delete it.",
                    record=move,
                    amount=move.amount_total,
                )
            )
        findings += self._locked_period(posted, drafts)
        return findings

    @api.model
    def _duplicates(self, moves):
        findings = []
        groups = defaultdict(list)
        for move in moves:
            if move.move_type == "entry":
                key = ("entry", move.journal_id.id, move.date, move.ref or "", round(move.amount_total, 2))
            elif move.move_type in ("in_invoice", "in_refund"):
                key = ("bill", move.partner_id.id, move.invoice_date, move.move_type, round(move.amount_total, 2))
            else:
                continue
            if key[-1]:
                groups[key].append(move)
        for key, twins in groups.items():
            if len(twins) < 2:
                continue
            if key[0] == "entry":
                lines = {tuple(sorted((aml.account_id.id, round(aml.balance, 2)) for aml in m.line_ids)) for m in twins}
                if len(lines) > 1:
                    continue  # same total, different lines: not a copy
            kind = "duplicate_entry" if key[0] == "entry" else "duplicate_bill"
            same = "journal, date, reference and lines" if kind == "duplicate_entry" else "vendor, date and total"
            original = twins[0]
            for twin in twins[1:]:
                findings.append(
                    {
                        **_finding(
                            kind,
                            "high",
                            f"{twin.display_name} duplicates {original.display_name}",
                            f"{twin.display_name} repeats {original.display_name}: "
                            f"same {same} ({twin.amount_total:.2f}).",
                            "Reverse or cancel the copy after checking it was not a genuine second document.",
                            record=twin,
                            amount=twin.amount_total,
                        ),
                        "original_id": original.id,
                    }
                )
        return findings

    @api.model
    def _lock_date(self, company):
        return max(filter(None, (company.fiscalyear_lock_date, company.hard_lock_date)), default=None)

    @api.model
    def _locked_period(self, posted, drafts):
        findings = []
        for move in posted | drafts:
            lock = self._lock_date(move.company_id)
            if not lock or move.date > lock:
                continue
            if move.state == "draft":
                findings.append(
                    _finding(
                        "draft_in_locked_period",
                        "medium",
                        f"Draft {move.display_name} in the locked period",
                        f"{move.display_name} is dated {move.date}, on or before the lock date {lock}; "
                        "it cannot be posted.",
                        "Delete it, or date it in the open period.",
                        record=move,
                        amount=move.amount_total,
                    )
                )
            elif move.create_date and move.create_date.date() > lock:
                findings.append(
                    _finding(
                        "entry_in_locked_period",
                        "high",
                        f"{move.display_name} posted into the locked period",
                        f"{move.display_name} is dated {move.date} but was created on {move.create_date.date()}, after "
                        f"the period was locked on {lock}.",
                        "Check who reopened the period and why; reverse it in the open period if it is wrong.",
                        record=move,
                        amount=move.amount_total,
                    )
                )
        return findings

    # ------------------------------------------------------------------ balances

    @api.model
    def _account_balances(self, date_to, date_from=None, types=()):
        domain = [*self._company_domain(), ("parent_state", "=", "posted"), ("date", "<=", date_to)]
        if date_from:
            domain.append(("date", ">=", date_from))
        if types:
            domain.append(("account_id.account_type", "in", list(types)))
        return self.env["account.move.line"]._read_group(domain, ["account_id"], ["balance:sum"])

    @api.model
    def _check_balances(self, date_from, date_to, move_ids=None):
        if move_ids:
            return []  # account-level checks have nothing to say about one entry
        findings = []
        currency = self.env.company.currency_id
        balance_sheet = self._account_balances(
            date_to, types=[t for t in _DEBIT_TYPES + _CREDIT_TYPES if t not in _PL_TYPES]
        )
        pl = self._account_balances(date_to, date_from, types=_PL_TYPES)
        for account, balance in balance_sheet + pl:
            if float_is_zero(balance, precision_rounding=currency.rounding):
                continue
            wrong = (account.account_type in _DEBIT_TYPES and balance < 0) or (
                account.account_type in _CREDIT_TYPES and balance > 0
            )
            if wrong:
                side = "credit" if balance < 0 else "debit"
                findings.append(
                    _finding(
                        "wrong_direction_balance",
                        "medium",
                        f"{account.display_name} has a {side} balance",
                        f"{account.display_name} ({account.account_type}) shows a {side} balance "
                        f"of {abs(balance):.2f}.",
                        "Look for a receipt or refund booked to this account; it usually belongs elsewhere.",
                        account=account,
                        amount=balance,
                    )
                )
        suspense = self._suspense_accounts()
        domain = [
            *self._company_domain(),
            ("parent_state", "=", "posted"),
            ("date", "<=", date_to),
            ("account_id", "in", suspense.ids),
        ]
        for account, balance in self.env["account.move.line"]._read_group(domain, ["account_id"], ["balance:sum"]):
            if not float_is_zero(balance, precision_rounding=currency.rounding):
                findings.append(
                    _finding(
                        "suspense_balance",
                        "medium",
                        f"{account.display_name} is not cleared",
                        f"Clearing/suspense account {account.display_name} holds {balance:.2f} at {date_to}.",
                        "Book each remaining amount to its real account.",
                        account=account,
                        amount=balance,
                    )
                )
        return findings

    @api.model
    def _suspense_accounts(self):
        """Accounts that should be empty at a close: bank suspense and clearing accounts (card clearing excepted,
        it holds the card sales waiting for their batch)."""
        Account = self.env["account.account"]
        accounts = self.env.companies.account_journal_suspense_account_id
        roles = self.env["fusion.account.roles"]
        card_clearing = roles._accounts(self.env.companies, "card_clearing")
        accounts |= roles._accounts(self.env.companies, "clearing")
        for company in self.env.companies:
            accounts |= Account.with_company(company).search(
                [
                    *Account._check_company_domain(company),
                    ("account_type", "in", ("asset_current", "liability_current")),
                    "|",
                    ("name", "=ilike", "%clearing%"),
                    ("name", "=ilike", "%suspense%"),
                ]
            )
        return accounts - card_clearing

    # ------------------------------------------------------------------ tax

    @api.model
    def _check_tax(self, date_from, date_to, move_ids=None):
        extra = [("id", "in", move_ids)] if move_ids else []
        moves = self._moves(
            date_from, date_to, [("state", "=", "posted"), ("move_type", "in", ("out_invoice", "in_invoice")), *extra]
        )
        lines = moves.invoice_line_ids.filtered(lambda aml: aml.display_type == "product")
        untaxed = lines.filtered(lambda aml: not aml.tax_ids)
        findings = []
        # A vendor who is HST-registered usually charges it: compare with its other bills.
        taxed_vendors = set(
            self.env["account.move"]
            .search(
                [
                    *self._company_domain(),
                    ("move_type", "=", "in_invoice"),
                    ("state", "=", "posted"),
                    ("date", ">=", date_from - timedelta(days=365)),
                    ("amount_tax", "!=", 0),
                ]
            )
            .partner_id.ids
        )
        for move in untaxed.move_id:
            amount = sum(untaxed.filtered(lambda aml, m=move: aml.move_id == m).mapped("price_subtotal"))
            if move.move_type == "out_invoice":
                findings.append(
                    _finding(
                        "taxable_invoice_without_tax",
                        "medium",
                        f"{move.display_name} has lines without tax",
                        f"{move.display_name} to {move.partner_id.display_name} has {amount:.2f} of sales with no tax "
                        "(not even a zero-rated or exempt one).",
                        "Add HST, or the zero-rated/exempt tax that applies, with a credit note and a new invoice.",
                        record=move,
                        amount=amount,
                    )
                )
            elif move.partner_id.id in taxed_vendors:
                findings.append(
                    _finding(
                        "bill_without_itc",
                        "low",
                        f"{move.display_name} claims no input tax credit",
                        f"{move.display_name} from {move.partner_id.display_name} has {amount:.2f} without tax, though "
                        "this vendor usually charges HST.",
                        "Check the vendor's invoice; if it shows HST, add the tax to claim the ITC.",
                        record=move,
                        amount=amount,
                    )
                )
        return findings

    # ------------------------------------------------------------------ reconciliation

    @api.model
    def _check_reconciliation(self, date_from, date_to, move_ids=None):
        findings = []
        domain = [*self._company_domain(), ("max_date", ">=", date_from), ("max_date", "<=", date_to)]
        if move_ids:
            domain += ["|", ("debit_move_id.move_id", "in", move_ids), ("credit_move_id.move_id", "in", move_ids)]
        partials = self.env["account.partial.reconcile"].search(domain)
        for partial in partials.filtered(lambda p: p.debit_move_id.account_id != p.credit_move_id.account_id):
            findings.append(
                _finding(
                    "reconciliation_mismatch",
                    "high",
                    f"Reconciliation across accounts ({partial.id})",
                    f"{partial.debit_move_id.move_id.display_name} "
                    f"({partial.debit_move_id.account_id.code}) is matched "
                    f"with {partial.credit_move_id.move_id.display_name} ({partial.credit_move_id.account_id.code}).",
                    "Unreconcile and match items of the same account.",
                    record=partial.debit_move_id.move_id,
                    amount=partial.amount,
                )
            )
        currency = self.env.company.currency_id
        for full in partials.full_reconcile_id:
            total = sum(full.reconciled_line_ids.mapped("balance"))
            if not float_is_zero(total, precision_rounding=currency.rounding):
                findings.append(
                    _finding(
                        "reconciliation_mismatch",
                        "high",
                        f"Full reconciliation {full.name or full.id} does not balance",
                        f"Its items add up to {total:.2f} instead of zero.",
                        "Unreconcile and redo the matching.",
                        record=full.reconciled_line_ids[:1].move_id,
                        amount=total,
                    )
                )
        return findings

    # ------------------------------------------------------------------ hash chain and sequences

    @api.model
    def hash_integrity(self):
        """Odoo's own hash check per company: ``[{company, results}]``; corrupted chains have status ``corrupted``."""
        report = []
        for company in self.env.companies:
            result = company._check_hash_integrity()
            report.append({"company": company.name, "results": result.get("results", [])})
        return report

    @api.model
    def _check_hash_chain(self, date_from, date_to, move_ids=None):
        if move_ids:
            return []
        findings = []
        for company_report in self.hash_integrity():
            for result in company_report["results"]:
                if result.get("status") == "corrupted":
                    findings.append(
                        _finding(
                            "hash_corrupted",
                            "critical",
                            f"Hash chain broken: {result.get('journal_name')}",
                            str(result.get("msg_cover")),
                            "A locked entry was altered: find who changed it (audit trail) and report it.",
                        )
                    )
        return findings

    @api.model
    def _check_sequence_gaps(self, date_from, date_to, move_ids=None):
        extra = [("id", "in", move_ids)] if move_ids else []
        gaps = self._moves(date_from, date_to, [("state", "=", "posted"), ("made_sequence_gap", "=", True), *extra])
        return [
            _finding(
                "sequence_gap",
                "medium",
                f"Sequence gap before {move.name}",
                f"The number before {move.name} in {move.journal_id.display_name} is missing.",
                "Find the deleted or cancelled document, or note why the number was skipped.",
                record=move,
                amount=move.amount_total,
            )
            for move in gaps
        ]

    # ------------------------------------------------------------------ ADP

    @api.model
    def _check_adp(self, date_from, date_to, move_ids=None):
        findings = []
        for row in self.env["fusion.adp.books"]._invoice_splits(date_from, date_to, move_ids=move_ids):
            if row["difference"]:
                move = self.env["account.move"].browse(row["invoice_id"])
                findings.append(
                    _finding(
                        "adp_split_mismatch",
                        "medium",
                        f"ADP split of {move.display_name} does not add up",
                        f"Customer portion {row['customer_portion']:.2f} + ADP portion {row['adp_portion']:.2f} "
                        f"differs from the total {row['total']:.2f} by {row['difference']:.2f}.",
                        "Correct the ADP split entry so both portions add up to the invoice.",
                        record=move,
                        amount=row["difference"],
                    )
                )
        return findings
