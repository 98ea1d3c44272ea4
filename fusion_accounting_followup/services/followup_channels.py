"""A follow-up level's channels: which go out for a send, what the SMS says, the rows of a printed letter.

A level sends on any mix of e-mail, SMS, printed letter and call activity
(:class:`LevelChannels`); one with none of them is refused, and an SMS counts
only where Odoo's SMS app is installed.  The send path asks
:meth:`LevelChannels.deliveries` what to do; the statement goes out only as an
e-mail attachment.

An SMS is short (two segments at most), names the company, the amount and at
most three invoices, in the customer's language (French for ``fr*``, else
English).  A letter lists every item the follow-up chases with its days late, and the past-due
credits that lower them (negative), so that its total adds up.

>>> from datetime import date
>>> from decimal import Decimal
>>> sms_text("Acme", Decimal("1234.5"), "CAD", ["INV/1", "INV/2"], "en_US")
'Acme: 1,234.50 CAD is overdue (INV/1, INV/2). Please pay or reply to this message. Thank you.'
>>> sms_text("Acme", Decimal("10"), "CAD", ["A", "B", "C", "D", "E"], "fr_CA")
'Acme : 10,00 CAD en retard (A, B, C +2). Merci de régler ou de répondre à ce message.'
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from .open_item import OpenItem
from .partner_overdue import is_shown

SMS_MAX = 320  # two SMS segments
SMS_REFS = 3
NO_CHANNEL = "A follow-up level must send at least one of: an e-mail, an SMS, a letter or a call activity."
SMS_UNAVAILABLE = "This level only sends an SMS, and the SMS app is not installed."


@dataclass(frozen=True)
class LevelChannels:
    """The channels a level sends on (its switches); the statement is a PDF attached to the e-mail.

    >>> LevelChannels(email=False, letter=True).deliveries(sms_available=False)
    LevelChannels(email=False, sms=False, letter=True, activity=False, statement=False)
    >>> LevelChannels(email=False, sms=True).problem(sms_available=False) == SMS_UNAVAILABLE
    True
    """

    email: bool = True
    sms: bool = False
    letter: bool = False
    activity: bool = False
    statement: bool = False

    def deliveries(self, *, sms_available: bool) -> "LevelChannels":
        """What a send of this level does: an SMS only with the SMS app, the statement only with an e-mail."""
        return replace(self, sms=self.sms and sms_available, statement=self.statement and self.email)

    def problem(self, *, sms_available: bool) -> str | None:
        """Why a level with these channels cannot be saved (English; the adapter translates), or None."""
        if not self.sends_anything:
            return NO_CHANNEL
        if not self.deliveries(sms_available=sms_available).sends_anything:
            return SMS_UNAVAILABLE
        return None

    @property
    def sends_anything(self) -> bool:
        return self.email or self.sms or self.letter or self.activity


EMAIL_ONLY = LevelChannels()


def _amount(value: Decimal, french: bool) -> str:
    text = f"{value:,.2f}"
    return text.replace(",", "\u202f").replace(".", ",") if french else text


def sms_text(company: str, total: Decimal, currency: str, references: Sequence[str], lang: str) -> str:
    """The SMS of a follow-up: company, total overdue, the first invoices, what to do."""
    french = (lang or "").startswith("fr")
    refs = ", ".join(references[:SMS_REFS]) + (f" +{len(references) - SMS_REFS}" if len(references) > SMS_REFS else "")
    listed = f" ({refs})" if refs else ""
    if french:
        text = (
            f"{company} : {_amount(total, True)} {currency} en retard{listed}. "
            "Merci de régler ou de répondre à ce message."
        )
    else:
        text = (
            f"{company}: {_amount(total, False)} {currency} is overdue{listed}. "
            "Please pay or reply to this message. Thank you."
        )
    return text[:SMS_MAX]


@dataclass(frozen=True)
class LetterRow:
    reference: str
    date_maturity: date
    days_late: int
    amount: Decimal


def letter_rows(items: Iterable[OpenItem], today: date) -> tuple[LetterRow, ...]:
    """The rows of a letter: the items a follow-up lists (``is_shown``), oldest first, with their days late.

    >>> rows = letter_rows([OpenItem(2, Decimal("5"), date(2025, 6, 1), "B"), OpenItem(1, Decimal("7"),
    ...                     date(2025, 5, 1), "A"), OpenItem(3, Decimal("-2"), date(2025, 6, 2), "RINV")],
    ...                    date(2025, 6, 30))
    >>> [(row.reference, row.days_late, row.amount) for row in rows]
    [('A', 60, Decimal('7')), ('B', 29, Decimal('5')), ('RINV', 28, Decimal('-2'))]
    """
    chased = [item for item in items if is_shown(item, today)]
    return tuple(
        LetterRow(item.reference, item.date_maturity, item.days_overdue(today), item.amount_residual)
        for item in sorted(chased, key=lambda item: (item.date_maturity, item.line_id))
    )
