"""Community ``account.reconcile.model`` records, evaluated by our own code.

Odoo 19 Community stores reconciliation models but applies them only in
Enterprise; this module reads the same fields as plain values and answers
two questions: does a model apply to a statement line, and which write-off
lines (account, amount in cents) does it book?

>>> rule = RuleSpec(1, "Bank fees", match_label="contains", match_label_param="fee",
...                 lines=(RuleLineSpec(account_id=9, amount_type="percentage", amount_string="100"),))
>>> line = LineFacts(journal_id=3, amount=-1250, label="Monthly FEE", partner_id=None)
>>> rule_applies(rule, line)
(True, 'label contains "fee"')
>>> [(w.account_id, w.amount) for w in write_offs(rule, line)]
[(9, 1250)]
"""

import re
from dataclasses import dataclass

from .money import to_cents


class RuleError(ValueError):
    """A model cannot be applied as configured (bad regex, amount not found in the label)."""


@dataclass(frozen=True)
class RuleLineSpec:
    """One ``account.reconcile.model.line``: what to book, and how its amount is found."""

    account_id: int
    amount_type: str
    amount_string: str
    label: str = ""
    partner_id: int | None = None


@dataclass(frozen=True)
class RuleSpec:
    """The matching conditions of one ``account.reconcile.model`` (amounts in currency units as stored)."""

    id: int
    name: str
    journal_ids: tuple = ()
    match_amount: str = ""
    match_amount_min: float = 0.0
    match_amount_max: float = 0.0
    match_label: str = ""
    match_label_param: str = ""
    partner_ids: tuple = ()
    lines: tuple = ()


@dataclass(frozen=True)
class LineFacts:
    """What a model looks at on a statement line; ``amount`` (cents) is what is still open."""

    journal_id: int
    amount: int
    label: str
    partner_id: int | None


@dataclass(frozen=True)
class WriteOff:
    """A journal item to book on the statement line: ``amount`` in cents, debit positive."""

    account_id: int
    amount: int
    label: str
    partner_id: int | None


def rule_applies(rule, line):
    """``(applies, reason)``; the reason names the first condition that failed or the label test that passed."""
    if rule.journal_ids and line.journal_id not in rule.journal_ids:
        return False, "other journal"
    amount = abs(line.amount)
    low, high = to_cents(rule.match_amount_min), to_cents(rule.match_amount_max)
    if rule.match_amount == "lower" and amount > high:
        return False, "amount above the maximum"
    if rule.match_amount == "greater" and amount < low:
        return False, "amount below the minimum"
    if rule.match_amount == "between" and not low <= amount <= high:
        return False, "amount outside the range"
    if rule.partner_ids and line.partner_id not in rule.partner_ids:
        return False, "other partner"
    label, param = (line.label or "").lower(), (rule.match_label_param or "").lower()
    if rule.match_label == "contains":
        return (param in label, f'label contains "{rule.match_label_param}"')
    if rule.match_label == "not_contains":
        return (param not in label, f'label does not contain "{rule.match_label_param}"')
    if rule.match_label == "match_regex":
        try:
            found = re.search(rule.match_label_param or "", line.label or "", re.IGNORECASE)
        except re.error as error:
            raise RuleError(f"model {rule.name!r}: invalid label regex: {error}") from None
        return (bool(found), f"label matches /{rule.match_label_param}/")
    return True, "no label condition"


def _regex_amount(spec, label):
    try:
        found = re.search(spec.amount_string, label or "")
    except re.error as error:
        raise RuleError(f"invalid amount regex: {error}") from None
    if not found or not found.groups():
        raise RuleError(f"no amount found in the label with /{spec.amount_string}/")
    return to_cents(found.group(1).replace(",", "."))


def write_offs(rule, line):
    """The write-off items ``rule`` books on ``line``, in the model's line order.

    Amounts balance what is open: for a withdrawal (``amount`` < 0) they are
    debits; "percentage" is of what the previous write-offs left open.
    """
    open_amount = -line.amount  # what the counterparts must add up to
    result = []
    for spec in rule.lines:
        if spec.amount_type == "percentage":
            cents = round(open_amount * float(spec.amount_string) / 100)
        elif spec.amount_type == "percentage_st_line":
            cents = round(-line.amount * float(spec.amount_string) / 100)
        elif spec.amount_type == "fixed":
            # Odoo's convention: a positive fixed amount is a credit.
            cents = -to_cents(float(spec.amount_string))
        elif spec.amount_type == "regex":
            cents = _regex_amount(spec, line.label) * (1 if open_amount > 0 else -1)
        else:
            raise RuleError(f"model {rule.name!r}: amount type {spec.amount_type!r} is not supported")
        if cents:
            result.append(
                WriteOff(spec.account_id, cents, spec.label or line.label, spec.partner_id or line.partner_id)
            )
            open_amount -= cents
    return result
