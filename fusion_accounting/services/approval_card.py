"""What a tier-3 approval card says (design 6.3), from the records a proposal names.

A bank match shows the bank line, the items it is matched with and the
difference between them: the fee or write-off approved along with it.

>>> facts = CardFacts("match_bank_line_to_payments", bank_label="Mar 4 elavon mrch svc", bank_amount=697.61,
...                   items=(("4 card payments", 709.14),), fee_account="60545 Elavon Fee")
>>> [(line.label, line.amount) for line in card_lines(facts)]
[('Bank: Mar 4 elavon mrch svc', 697.61), ('↔ 4 card payments', 709.14), ('Fee to 60545 Elavon Fee', 11.53)]

Without a bank line, the open items it would reconcile are listed with their
signed residuals; a non-zero sum is what would be left open or written off.

>>> facts = CardFacts("reconcile_payment_to_invoice", items=(("INV/1", 500.0), ("PAY/7", -480.0)), partner="Acme")
>>> [(line.label, line.amount) for line in card_lines(facts)]
[('Counterpart: Acme', None), ('INV/1', 500.0), ('PAY/7', -480.0), ('Difference', 20.0)]

A tool whose addon states its own facts (a follow-up: the customer, the level, the
channels) shows them instead of the counterpart, then its other arguments.

>>> facts = CardFacts("followup_send_now", partner="Acme", tool_lines=("Customer: Acme", "Level: Reminder"),
...                   arguments={"partner_id": 7, "note": "call first"})
>>> [line.label for line in card_lines(facts)]
['Customer: Acme', 'Level: Reminder', 'note: call first']

The card's title is the tool's label, declared with the tool (``REGISTRY.title_of``).
"""

from dataclasses import dataclass, field

# Arguments that name records (shown through them) or the fee (its own line) are not repeated as text.
HIDDEN_ARGUMENT_SUFFIXES = ("_id", "_ids")
HIDDEN_ARGUMENTS = ("fee_amount", "fee_account_code")
MAX_ITEM_LINES = 4
MAX_ARGUMENT_LINES = 4


@dataclass(frozen=True)
class CardFacts:
    tool: str
    bank_label: str = ""
    bank_amount: float | None = None
    items: tuple = ()  # (label, signed open amount) of the journal items involved
    partner: str = ""
    amount: float | None = None
    fee_account: str = ""
    fee_amount: float = 0.0  # the fee the proposal books (its ``fee_amount`` argument)
    arguments: dict = field(default_factory=dict)
    tool_lines: tuple = ()  # the lines the tool's own addon states (a follow-up's customer, level, channels)


@dataclass(frozen=True)
class CardLine:
    label: str
    amount: float | None = None  # None: a fact without an amount


def _bank_lines(facts):
    """The bank line, the items, the fee when one is booked, and what stays open: nothing else is written off."""
    total = round(sum(abs(amount) for _label, amount in facts.items), 2)
    label = facts.items[0][0] if len(facts.items) == 1 else f"{len(facts.items)} items"
    lines = [CardLine(f"Bank: {facts.bank_label}", facts.bank_amount), CardLine(f"↔ {label}", total)]
    difference = round(total - abs(facts.bank_amount or 0.0), 2)
    fee = facts.fee_amount if facts.fee_amount else (difference if facts.fee_account else 0.0)
    if fee:
        lines.append(CardLine(f"Fee to {facts.fee_account}" if facts.fee_account else "Fee", round(fee, 2)))
    left = round(difference - fee, 2)
    if left:
        # The tool settles the items up to the bank amount: a gap is left open, never written off.
        where = "on the items" if left > 0 else "on the bank line"
        lines.append(CardLine(f"Difference, left open {where}", left))
    return lines


def _item_lines(facts):
    lines = [CardLine(label, amount) for label, amount in facts.items[:MAX_ITEM_LINES]]
    if len(facts.items) > MAX_ITEM_LINES:
        lines.append(CardLine(f"… {len(facts.items) - MAX_ITEM_LINES} more items"))
    difference = round(sum(amount for _label, amount in facts.items), 2)
    if difference:
        lines.append(CardLine("Difference", difference))
    return lines


def _record_lines(facts):
    """The counterpart, the bank line and the items the proposal names."""
    lines = []
    if facts.partner:
        lines.append(CardLine(f"Counterpart: {facts.partner}", None if facts.items else facts.amount))
    if facts.bank_label and facts.items:
        lines += _bank_lines(facts)
    elif facts.bank_label:
        lines.append(CardLine(f"Bank: {facts.bank_label}", facts.bank_amount))
    elif facts.items:
        lines += _item_lines(facts)
    elif not facts.partner and facts.amount is not None:
        lines.append(CardLine("Amount", facts.amount))
    return lines


def card_lines(facts):
    """The lines of the card, top to bottom: the tool's own lines stand for the counterpart and items."""
    lines = [CardLine(label) for label in facts.tool_lines] or _record_lines(facts)
    shown = [
        (key, value)
        for key, value in sorted(facts.arguments.items())
        if not key.endswith(HIDDEN_ARGUMENT_SUFFIXES)
        and key not in HIDDEN_ARGUMENTS
        and not isinstance(value, (dict, list))
    ]
    lines += [CardLine(f"{key.replace('_', ' ')}: {value}") for key, value in shown[:MAX_ARGUMENT_LINES]]
    return tuple(lines)
