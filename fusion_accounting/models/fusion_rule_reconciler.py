from bisect import bisect_left

from odoo import api, fields, models

from odoo.addons.fusion_accounting_core.services.tools import REGISTRY, Tier

from ..services.bank_matching import Suggestion
from ..services.money import from_cents, to_cents
from ..services.scoring import AUTO

# A rule sees the open items of the line's direction, most recent first, at most this many:
# the sandbox caps every value's size, and a statement line is settled by recent documents.
_RULE_CANDIDATES = 500
# Confidence shown for a rule's match: an admin or proven rule is trusted like an exact reference.
_TRUSTED_RULE_CONFIDENCE = 0.99
_PROPOSED_RULE_FLOOR = 0.6
# The tool whose run books automatic matches; the history of a rule's automatic use is filed under it.
AUTO_RECONCILE_TOOL = "auto_reconcile_bank_lines"
# Context key: the fee account of the rule booking each statement line (id -> account id).
_RULE_FEE_ACCOUNTS = "fusion_rule_fee_accounts"


class FusionBankReconcilerRules(models.AbstractModel):
    """Fusion rules come before the matching engine's own suggestions (design 4.2, step 2)."""

    _inherit = "fusion.bank.reconciler"

    @api.model
    def _suggestions(self, st_line, limit=5):
        # EXTENDS fusion_accounting: deterministic rule matches first, then the engine's other suggestions.
        engine = super()._suggestions(st_line, limit)
        ruled = self._rule_suggestions(st_line)
        taken = {frozenset(suggestion.item_ids) for suggestion in ruled}
        return (ruled + [s for s in engine if frozenset(s.item_ids) not in taken])[:limit]

    @api.model
    def _rule_suggestions(self, st_line):
        """Suggestions of the ``match``/``fee`` rules with ``match_code`` for ``st_line``, in rule priority."""
        _items, records = self._open_items(st_line)
        Rule = self.env["fusion.accounting.rule"]
        return [
            self._rule_suggestion(Rule.browse(match["rule_id"]), match)
            for match in self._rule_matches(st_line, records)
        ]

    @api.model
    def _rule_matches(self, st_lines, records):
        """The ``_apply_rules`` matches of the ``match``/``fee`` rules for ``st_lines`` (one journal and company).

        Each line sees the ``records`` of its company and direction dated within
        its item horizon, most recent first, at most ``_RULE_CANDIDATES``.
        """
        if not st_lines:
            return []
        line = st_lines[0]
        # Newest first, once: each line then walks down from its own date instead of scanning every item.
        ordered = sorted(
            (aml for aml in records.values() if aml.company_id == line.company_id),
            key=lambda aml: (aml.date, aml.id),
            reverse=True,
        )
        days_back = [-aml.date.toordinal() for aml in ordered]
        selections = []
        for st_line in st_lines:
            positive = self._open_amount(st_line) > 0
            horizon = self._horizon(st_line.date)
            selected = []
            for index in range(bisect_left(days_back, -st_line.date.toordinal()), len(ordered)):
                if ordered[index].date < horizon or len(selected) == _RULE_CANDIDATES:
                    break
                if (ordered[index].amount_residual > 0) == positive:
                    selected.append(index)
            selections.append(selected)
        # Each candidate's plain values are built once for the run, then shared by the lines that see it.
        Rule = self.env["fusion.accounting.rule"]
        needed = sorted(set().union(*selections))
        values = Rule._statement_line_payload(line, [ordered[index] for index in needed])["variables"]["candidates"]
        by_index = dict(zip(needed, values, strict=True))
        payloads = []
        for st_line, selected in zip(st_lines, selections, strict=True):
            payload = Rule._statement_line_payload(st_line, [])
            payload["variables"]["candidates"] = [by_index[index] for index in selected]
            payloads.append(payload)
        outcome = Rule._apply_rules(["match", "fee"], payloads, journal=line.journal_id, company=line.company_id)
        return outcome["matches"]

    @api.model
    def _rule_suggestion(self, rule, match):
        trusted = rule.created_by == "admin" or rule.approval_tier == AUTO
        confidence = _TRUSTED_RULE_CONFIDENCE if trusted else max(rule.confidence_score, _PROPOSED_RULE_FLOOR)
        reason = match["reason"]
        if match["fee"] and rule.fee_account_id:
            reason += self.env._(", fee to account %s", rule.fee_account_id.code)
        return Suggestion(tuple(match["item_ids"]), confidence, "rule", reason, fee=to_cents(match["fee"]))

    # -- automatic booking --------------------------------------------------------

    @api.model
    def _auto_reconcile(self, st_lines):
        # EXTENDS fusion_accounting: automatic rules book their matches first, with no approval
        # (design 4.3); the engine then plans the lines they left.
        ruled, failed = self._book_auto_rules(st_lines.filtered(lambda line: not line.is_reconciled))
        matched, left, engine_failed = super()._auto_reconcile(st_lines.filtered(lambda line: not line.is_reconciled))
        return ruled + matched, left, {**engine_failed, **failed}

    @api.model
    def _book_auto_rules(self, st_lines):
        """Book the matches of automatic rules on ``st_lines``; ``(matched, failed)`` as ``_auto_reconcile``.

        Only a match claimed by an ``auto`` rule is booked (a needs-approval rule
        claiming a line first leaves it for review); an item is booked once per
        run.  Each booking counts a use on its rule and is logged in the match
        history as an automatic decision.
        """
        if not st_lines or not self._auto_rules(st_lines.company_id):
            return [], {}
        _items, records = self._open_items(st_lines)
        Rule = self.env["fusion.accounting.rule"]
        chosen, rules, fee_accounts, used = [], {}, {}, set()
        for _key, group in st_lines.grouped(lambda line: (line.company_id, line.journal_id)).items():
            lines = {line.id: line for line in group}
            for match in self._rule_matches(group, records):
                rule = Rule.browse(match["rule_id"])
                if match["tier"] != AUTO or used & set(match["item_ids"]):
                    continue
                used |= set(match["item_ids"])
                st_line = lines[match["key"]]
                chosen.append((st_line, self._rule_suggestion(rule, match)))
                rules[st_line.id] = rule
                if match["fee"] and rule.fee_account_id:
                    fee_accounts[st_line.id] = rule.fee_account_id.id
        if not chosen:
            return [], {}
        # Isolated: a line one rule cannot book (lock date, fee account...) must not stop the others.
        booker = self.with_context(**{_RULE_FEE_ACCOUNTS: fee_accounts})
        matched, to_reconcile, failed = booker._book_all(chosen, records, isolate=True)
        self._reconcile(to_reconcile)
        lines = {st_line.id: st_line for st_line, _suggestion in chosen}
        for line_id, suggestion in matched:
            self._log_auto_rule_use(lines[line_id], suggestion, rules[line_id], records)
        return matched, failed

    @api.model
    def _auto_rules(self, companies):
        Rule = self.env["fusion.accounting.rule"].sudo()
        return Rule.search(
            [
                ("company_id", "in", companies.ids),
                ("rule_type", "in", ("match", "fee")),
                ("approval_tier", "=", AUTO),
                ("match_code", "!=", False),
            ],
            limit=1,
        )

    @api.model
    def _fee_write_off(self, st_line, fee):
        # EXTENDS fusion_accounting: an automatic rule's fee goes to the rule's fee account.
        account_id = self.env.context.get(_RULE_FEE_ACCOUNTS, {}).get(st_line.id)
        if not account_id:
            return super()._fee_write_off(st_line, fee)
        account = self.env["account.account"].browse(account_id)
        return [(account, fee, self.env._("Fee (%s)", account.name), st_line.partner_id)]

    @api.model
    def _log_auto_rule_use(self, st_line, suggestion, rule, records):
        """Count the use on ``rule`` and keep what was booked, by which rule and how sure, in the history."""
        rule._record_use()
        items = self.env["account.move.line"].union(*(records[item_id] for item_id in suggestion.item_ids))
        arguments = {
            "statement_line_id": st_line.id,
            "move_line_ids": list(suggestion.item_ids),
            "fee_amount": from_cents(suggestion.fee),
        }
        # The one writer of history rows; the rule's own run is a logged (tier 2) write, decided "auto".
        self.env["fusion.accounting.agent"]._create_history(
            REGISTRY.get(AUTO_RECONCILE_TOOL),
            arguments,
            tier=Tier.LOGGED_WRITE,
            decision="auto",
            state="done",
            company_id=st_line.company_id.id,
            ai_reasoning=self.env._(
                "%(reason)s; booked without approval (rule confidence %(confidence).3f)",
                reason=suggestion.reason,
                confidence=rule.confidence_score,
            ),
            ai_confidence=suggestion.confidence,
            rule_id=rule.id,
            bank_statement_line_id=st_line.id,
            move_line_ids=[fields.Command.set(items.ids)],
            partner_id=(items.partner_id[:1] or st_line.partner_id).id,
            amount=st_line.amount,
        )
