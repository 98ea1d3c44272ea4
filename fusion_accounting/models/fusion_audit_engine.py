"""Audit checks (design 3.12) over a period, set-based, each returning findings as plain dicts.

A finding is ``{kind, severity, name, message, recommendation, res_model,
res_id, account_id, amount}``; the finding model stores and ranks them.
Each check reports what the finders of the other domains compute (journal
review, payables, HST): one implementation per check, the audit only words
and ranks it.  Active ``audit`` Fusion rules with ``match_code`` run first,
over every posted entry of the period.  Checks read with the user's rights,
except the hash chain, which Odoo's own ``res.company._check_hash_integrity``
computes.  A check that fails on one company's data returns an
``audit_check_failed`` finding instead of sinking the audit.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, models
from odoo.exceptions import AccessError, UserError

from ..tools.hst import missing_itc_lines, missing_tax_lines
from ..tools.journal_review import (
    duplicate_entry_groups,
    forgotten_draft_domain,
    reconciliation_problems,
    sequence_gap_domain,
    unexplained_balances,
    wrong_direction_accounts,
)
from ..tools.payables import duplicate_bill_groups
from .fusion_rule import normalize_flag

_logger = logging.getLogger(__name__)

DRAFT_AGE_DAYS = 30
# Audit rules judge at most this many entries of the period (the latest): a rule is a sandboxed
# interpreter run per entry, and the periodic audit must stay within the cron's time.
MAX_RULE_MOVES = 5_000


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

    # Check name -> (method, kinds it reports); the order is the report's order, rules first (design 4.2).
    _CHECKS = {
        "rules": ("_check_rules", ("rule",)),
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

    @api.model
    def rule_instructions(self):
        """The active ``audit`` rules without ``match_code``, as numbered instructions for the model."""
        return self.env["fusion.accounting.rule"]._apply_rules(["audit"], [])["instructions"]

    # ------------------------------------------------------------------ Fusion rules

    @api.model
    def _check_rules(self, date_from, date_to, move_ids=None):
        """Findings of the active ``audit`` rules with ``match_code``, one per rule and entry it flags.

        A rule that fails is noted on the rule (``last_error``) and the audit
        goes on; its errors are not findings about the books.
        """
        Rule = self.env["fusion.accounting.rule"]
        extra = [("id", "in", move_ids)] if move_ids else []
        findings = []
        for company in self.env.companies:
            if not Rule.search_count(
                [("company_id", "=", company.id), ("rule_type", "=", "audit"), ("match_code", "!=", False)]
            ):
                continue
            moves = self.env["account.move"].search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "posted"),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                    *extra,
                ],
                order="date desc, id desc",
                limit=MAX_RULE_MOVES,
            )
            for journal, journal_moves in moves.grouped("journal_id").items():
                outcome = Rule._apply_rules(
                    ["audit"],
                    [Rule._move_payload(move) for move in journal_moves],
                    journal=journal,
                    company=company,
                    claim=False,
                    normalize=normalize_flag,
                )
                findings += [self._rule_finding(match) for match in outcome["matches"]]
        return findings

    @api.model
    def _rule_finding(self, match):
        rule = self.env["fusion.accounting.rule"].browse(match["rule_id"])
        move = self.env["account.move"].browse(match["key"])
        return {
            **_finding(
                "rule",
                match.get("severity", "medium"),
                f"Rule {rule.name}: {move.display_name}",
                match["message"] or f"{move.display_name} matches the audit rule {rule.name} (v{rule.version}).",
                match.get("recommendation") or rule.description or "Review the entry against the rule.",
                record=move,
                amount=move.amount_total,
            ),
            "rule_id": rule.id,
        }

    # ------------------------------------------------------------------ entries

    @api.model
    def _check_entries(self, date_from, date_to, move_ids=None):
        extra = [("id", "in", move_ids)] if move_ids else []
        findings = self._duplicate_entries(date_from, date_to, move_ids) + self._duplicate_bills(
            date_from, date_to, move_ids
        )
        cutoff = date_to - timedelta(days=DRAFT_AGE_DAYS)
        forgotten = self.env["account.move"].search(
            [*forgotten_draft_domain(self.env, cutoff), ("date", ">=", date_from), *extra], order="date, id"
        )
        for move in forgotten:
            findings.append(
                _finding(
                    "forgotten_draft",
                    "low",
                    f"{move.display_name} of {move.date}",  # a draft's display name says "Draft Bill"
                    f"{move.display_name} has been a draft since {move.date} ({move.amount_total:.2f}).",
                    "Post it if it is real, otherwise delete it.",
                    record=move,
                    amount=move.amount_total,
                )
            )
        findings += self._locked_period(self._moves(date_from, date_to, [("state", "in", ("draft", "posted")), *extra]))
        return findings

    @api.model
    def _copies(self, groups, move_ids):
        """``[(original id, copy id, reason)]`` of duplicate groups; with ``move_ids``, only groups holding one of
        them (a copy may predate the entry audited)."""
        wanted = set(move_ids or ())
        return [
            (group.ids[0], copy_id, reason)
            for group in groups
            if not wanted or wanted & set(group.ids)
            for copy_id, reason in zip(group.ids[1:], group.reasons, strict=True)
        ]

    @api.model
    def _duplicate_findings(self, kind, found, move_ids, recommendation):
        """A finding per copy of the duplicate groups ``found`` (``(groups, by_id)``, as a finder returns them),
        saying why the pure rule holds it a copy."""
        groups, by_id = found
        findings = []
        for original_id, copy_id, reason in self._copies(groups, move_ids):
            original, twin = by_id[original_id], by_id[copy_id]
            finding = _finding(
                kind,
                "high",
                f"{twin.display_name} duplicates {original.display_name}",
                f"{twin.display_name} repeats {original.display_name}: {reason}.",
                recommendation,
                record=twin,
                amount=twin.amount_total,
            )
            findings.append({**finding, "original_id": original.id})
        return findings

    @api.model
    def _duplicate_entries(self, date_from, date_to, move_ids=None):
        return self._duplicate_findings(
            "duplicate_entry",
            duplicate_entry_groups(self.env, date_from, date_to),
            move_ids,
            "Reverse the copy after checking it was not a genuine second entry.",
        )

    @api.model
    def _duplicate_bills(self, date_from, date_to, move_ids=None):
        return self._duplicate_findings(
            "duplicate_bill",
            duplicate_bill_groups(self.env, date_from, date_to),
            move_ids,
            "Cancel the copy after checking it was not a genuine second bill.",
        )

    @api.model
    def _lock_date(self, company):
        return max(filter(None, (company.fiscalyear_lock_date, company.hard_lock_date)), default=None)

    @api.model
    def _locked_period(self, moves):
        findings = []
        for move in moves:
            lock = self._lock_date(move.company_id)
            if not lock or move.date > lock:
                continue
            if move.state == "draft":
                findings.append(
                    _finding(
                        "draft_in_locked_period",
                        "medium",
                        f"{move.display_name} in the locked period",
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
    def _check_balances(self, date_from, date_to, move_ids=None):
        if move_ids:
            return []  # account-level checks have nothing to say about one entry
        findings = []
        for account, balance in wrong_direction_accounts(self.env, date_to):
            side = "credit" if balance < 0 else "debit"
            findings.append(
                _finding(
                    "wrong_direction_balance",
                    "medium",
                    f"{account.display_name} has a {side} balance",
                    f"{account.display_name} ({account.account_type}) shows a {side} balance of {abs(balance):.2f}.",
                    "Look for a receipt or refund booked to this account; it usually belongs elsewhere.",
                    account=account,
                    amount=balance,
                )
            )
        for account, amount, kind in unexplained_balances(self.env, date_to):
            findings.append(
                _finding(
                    "suspense_balance",
                    "medium",
                    f"{account.display_name} is not cleared",
                    f"The {kind} account {account.display_name} holds {amount:.2f} nothing explains at {date_to}.",
                    "Book each remaining amount to its real account.",
                    account=account,
                    amount=amount,
                )
            )
        return findings

    # ------------------------------------------------------------------ tax

    @api.model
    def _check_tax(self, date_from, date_to, move_ids=None):
        findings = []
        for move, amount, reasons in self._untaxed_by_move(*missing_tax_lines(self.env, date_from, date_to, move_ids)):
            findings.append(
                _finding(
                    "taxable_invoice_without_tax",
                    "medium",
                    f"{move.display_name} has lines without tax",
                    f"{move.display_name} to {move.partner_id.display_name} has {amount:.2f} of sales with no tax "
                    f"({reasons}).",
                    "Add HST, or the zero-rated/exempt tax that applies, with a credit note and a new invoice.",
                    record=move,
                    amount=amount,
                )
            )
        for move, amount, reasons in self._untaxed_by_move(*missing_itc_lines(self.env, date_from, date_to, move_ids)):
            findings.append(
                _finding(
                    "bill_without_itc",
                    "low",
                    f"{move.display_name} claims no input tax credit",
                    f"{move.display_name} from {move.partner_id.display_name} has {amount:.2f} without tax: {reasons}.",
                    "Check the vendor's invoice; if it shows HST, add the tax to claim the ITC.",
                    record=move,
                    amount=amount,
                )
            )
        return findings

    @api.model
    def _untaxed_by_move(self, lines, reasons):
        """``[(move, untaxed amount, reasons)]`` of flagged lines, one per entry."""
        by_move = defaultdict(lambda: [0.0, []])
        for line, why in zip(lines, reasons, strict=True):
            row = by_move[line.move_id]
            row[0] += line.price_subtotal
            if why not in row[1]:
                row[1].append(why)
        return [(move, amount, "; ".join(whys)) for move, (amount, whys) in by_move.items()]

    # ------------------------------------------------------------------ reconciliation

    @api.model
    def _check_reconciliation(self, date_from, date_to, move_ids=None):
        """Reconciliations that do not add up, whatever their date: a broken one stays broken until fixed."""
        problems = reconciliation_problems(self.env)
        AML = self.env["account.move.line"]
        items = AML.search([("id", "in", [i for row in problems for i in row[2:] if i]), *self._company_domain()])
        by_id = {aml.id: aml for aml in items}
        findings = []
        for partial_id, problem, first_id, second_id in problems:
            found = [by_id[item_id] for item_id in (first_id, second_id) if item_id in by_id]
            if not found or (move_ids and not set(move_ids) & set(AML.concat(*found).move_id.ids)):
                continue
            described = " with ".join(f"{aml.move_id.display_name} ({aml.account_id.code})" for aml in found)
            findings.append(
                _finding(
                    "reconciliation_mismatch",
                    "high",
                    f"Reconciliation problem: {problem} ({partial_id or found[0].id})",
                    f"{described}: {problem}.",
                    "Unreconcile and match items of the same account and company.",
                    record=found[0].move_id,
                    amount=found[0].amount_residual or found[0].balance,
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
        gaps = self.env["account.move"].search([*sequence_gap_domain(self.env, date_from, date_to), *extra])
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
