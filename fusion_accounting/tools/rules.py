"""Fusion rules as tools: the AI reads the rules and proposes new ones (design 4.2)."""

from typing import Literal

from .common import ToolRefusal, company_domain, ref, register

DOMAIN = "rules"
RuleType = Literal["match", "classify", "audit", "fee", "routing", "followup"]


def _rule_summary(rule):
    return {
        "id": rule.id,
        "name": rule.name,
        "type": rule.rule_type,
        "tier": rule.approval_tier,
        "created_by": rule.created_by,
        "confidence": round(rule.confidence_score, 3),
        "uses": rule.total_uses,
        "version": rule.version,
        "match_logic": rule.match_logic or "",
        "deterministic": bool(rule.match_code),
        "fee_account": ref(rule.fee_account_id),
    }


@register(DOMAIN, 1, label="Active rules")
def get_rules(env, rule_type: RuleType | None = None) -> dict:
    """The active Fusion rules in the order they apply: admin rules, proven AI rules, proposed AI rules.

    Args:
        rule_type: Only rules of this type.
    """
    rules = env["fusion.accounting.rule"]._get_rules_in_priority([rule_type] if rule_type else None)
    return {"rules": [_rule_summary(rule) for rule in rules]}


@register(DOMAIN, 3, label="Create a rule")
def propose_rule(
    env,
    *,
    name: str,
    match_logic: str,
    rule_type: RuleType = "match",
    description: str = "",
    fee_account_code: str = "",
    evidence: str = "",
) -> dict:
    """Create a Fusion rule for a pattern seen in three or more identical approved matches.

    The rule starts at "needs approval" and is promoted only by its measured
    approval rate. Propose a rule only for a repeated pattern (same partner or
    label words, same fee account and fee ratio), never for a single case.

    Args:
        name: Short name, e.g. "Elavon card batches".
        match_logic: Instructions for applying the rule, in plain language.
        rule_type: What the rule does.
        description: Why the rule exists.
        fee_account_code: Code of the account receiving the fee or difference, if any.
        evidence: The approved matches the pattern rests on (history ids, dates, amounts).
    """
    fee_account = env["account.account"]
    if fee_account_code:
        fee_account = fee_account.search(
            [*company_domain(env, "company_ids"), ("code", "=", fee_account_code)], limit=1
        )
        if not fee_account:
            raise ToolRefusal(f"no account with code {fee_account_code}")
    rule = env["fusion.accounting.rule.wizard"]._create_rule(
        {
            "name": name,
            "rule_type": rule_type,
            "description": description,
            "match_logic": match_logic,
            "fee_account_id": fee_account.id,
            "created_by": "ai",
            "notes": evidence,
        }
    )
    return {"rule": _rule_summary(rule)}
