from odoo import api, models

from ..services.bank_matching import Suggestion
from ..services.money import to_cents

# A rule sees the open items of the line's direction, most recent first, at most this many:
# the sandbox caps every value's size, and a statement line is settled by recent documents.
_RULE_CANDIDATES = 500
# Confidence shown for a rule's match: an admin or proven rule is trusted like an exact reference.
_TRUSTED_RULE_CONFIDENCE = 0.99
_PROPOSED_RULE_FLOOR = 0.6


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
        Rule = self.env["fusion.accounting.rule"]
        _items, records = self._open_items(st_line)
        amount = self._open_amount(st_line)
        same_direction = [aml for aml in records.values() if (aml.amount_residual > 0) == (amount > 0)]
        candidates = sorted(same_direction, key=lambda aml: (aml.date, aml.id), reverse=True)[:_RULE_CANDIDATES]
        payload = Rule._statement_line_payload(st_line, candidates)
        outcome = Rule._apply_rules(["match", "fee"], [payload], journal=st_line.journal_id, company=st_line.company_id)
        suggestions = []
        for match in outcome["matches"]:
            rule = Rule.browse(match["rule_id"])
            trusted = rule.created_by == "admin" or rule.approval_tier == "auto"
            confidence = _TRUSTED_RULE_CONFIDENCE if trusted else max(rule.confidence_score, _PROPOSED_RULE_FLOOR)
            reason = match["reason"]
            if match["fee"] and rule.fee_account_id:
                reason += self.env._(", fee to account %s", rule.fee_account_id.code)
            suggestions.append(
                Suggestion(tuple(match["item_ids"]), confidence, "rule", reason, fee=to_cents(match["fee"]))
            )
        return suggestions
