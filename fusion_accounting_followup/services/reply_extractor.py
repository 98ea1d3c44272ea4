"""Promises to pay and disputes in a customer's reply, in English and French, without a model.

:func:`extract_reply` reads the plain text of a reply (the quoted earlier
e-mail is dropped), splits it into sentences and proposes, with the sentence
quoted:

* a **promise** for a sentence that says the customer will pay and names a
  day not in the past ("next Friday", "le 15 janvier", "15/01", "Jan 15th",
  "in 10 days", "fin du mois"), with the amount when one is written
  ("1,234.56", "1 234,56 $", "$1234", "CAD 500") and the invoices it names;
* a **dispute** for a sentence that contests, says goods or an invoice were
  wrong, missing or already paid, with the invoice it names (or the only
  invoice the reply names) and the sentence as the reason.

It is deterministic (``today`` is an argument) and proposes only: a person
accepts, edits or rejects.  Month names are read by ``dateparser``; numeric
and relative days are worked out here, so that "05/06" means what the
customer's language means (day first in French, ``day_first`` to override).

>>> from datetime import date
>>> [p.kind for p in extract_reply("We will pay $1,200.00 next Friday. Thanks!", date(2025, 6, 30))]
['promise']
>>> proposal = extract_reply("We will pay $1,200.00 next Friday.", date(2025, 6, 30))[0]
>>> proposal.promised_date, proposal.amount
(datetime.date(2025, 7, 4), Decimal('1200.00'))
>>> extract_reply("La facture INV/7 est erronée.", date(2025, 6, 30), invoice_refs=["INV/7"])[0].invoice_refs
('INV/7',)
"""

import re
import unicodedata
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Literal

import dateparser

WEEKDAYS = {
    **{
        name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    },
    **{name: i for i, name in enumerate(("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"))},
}
MONTHS = (
    r"jan(?:uary|vier)?|feb(?:ruary)?|f[ée]v(?:rier)?|mar(?:ch|s)?|apr(?:il)?|avr(?:il)?|may|mai|june?|juin|"
    r"july?|juil(?:let)?|aug(?:ust)?|ao[uû]t|sept?(?:ember|embre)?|oct(?:ober|obre)?|nov(?:ember|embre)?|"
    r"dec(?:ember)?|d[ée]c(?:embre)?"
)
WEEKDAY_RE = "|".join(WEEKDAYS)
# Candidate spans of a day; each is read by _read_date (None: not a day after all).
DATE_PATTERNS = (
    ("iso", re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")),
    ("numeric", re.compile(r"(?<![\d/.,-])(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?(?![\d/,-]|\.\d)")),
    (
        "named",
        re.compile(
            rf"\b(?:(?:le\s+)?\d{{1,2}}(?:st|nd|rd|th|er)?\s+(?:of\s+)?(?:{MONTHS})\.?(?:,?\s+\d{{4}})?"
            rf"|(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)\b",
            re.IGNORECASE,
        ),
    ),
    ("in_days", re.compile(r"\b(?:in|within|dans|d'ici|sous)\s+(\d{1,3})\s+(days?|weeks?|jours?|semaines?)\b", re.I)),
    ("weekday", re.compile(rf"\b(next|this|coming|ce|cette)?\s*({WEEKDAY_RE})\s*(prochain)?\b", re.IGNORECASE)),
    ("week", re.compile(r"\b(next week|la semaine prochaine|semaine prochaine)\b", re.IGNORECASE)),
    (
        "month_end",
        re.compile(r"\b(end of (?:the |this )?month|month[- ]end|fin (?:du|de) mois|fin du mois)\b", re.IGNORECASE),
    ),
    ("tomorrow", re.compile(r"\b(tomorrow|demain)\b", re.IGNORECASE)),
    ("today", re.compile(r"\b(today|aujourd['\u2019]hui)\b", re.IGNORECASE)),
    ("ordinal", re.compile(r"\b(?:on|by|before|the|le)\s+(\d{1,2})(?:st|nd|rd|th|er)\b", re.IGNORECASE)),
)
CURRENCY = r"(?:\$|CAD|USD|EUR|€|dollars?|\$\s?CA|CA\$)"
NUMBER = r"\d{1,3}(?:[ \u00a0\u202f,.]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
AMOUNT_RE = re.compile(
    rf"(?:{CURRENCY}\s?(?P<before>{NUMBER}))|(?:(?P<after>{NUMBER})\s?{CURRENCY})"
    rf"|(?P<bare>\d{{1,3}}(?:[ ,]\d{{3}})*[.,]\d{{2}})\b",
    re.IGNORECASE,
)
PROMISE_RE = re.compile(
    r"\b(?:will|shall|'ll|going to|plan to|intend to|expect to|can)\s+(?:\w+\s+){0,3}?"
    r"(?:pay|send|transfer|wire|settle|remit|mail|process|release|clear)"
    r"|\bpayment\s+(?:will|should|is scheduled|is planned|goes out|is going out)"
    r"|\b(?:cheque|check|wire|transfer|payment)\s+(?:is\s+)?(?:in the mail|on (?:its|the) way|scheduled)"
    r"|\bexpect (?:the )?payment"
    r"|\b(?:paierons|payerons|réglerons|reglerons|verserons|enverrons|effectuerons|ferons)\b"
    r"|\b(?:vais|allons|va|pourrons|pouvons)\s+(?:\w+\s+){0,2}?(?:payer|régler|regler|verser|envoyer|effectuer)"
    r"|\b(?:paiement|virement|règlement|reglement|chèque|cheque)\s+(?:sera|partira|est prévu|est prevu|suivra)"
    r"|\bsera\s+(?:payée?s?|réglée?s?|reglee?s?|versée?s?)",
    re.IGNORECASE,
)
# "We can't pay until the 15th" promises the 15th; a plain "we will not pay" promises nothing.
DEFERRAL_RE = re.compile(
    r"\b(?:can't|cannot|can not|won't be able to|unable to|not able to)\s+(?:\w+\s+){0,3}?(?:until|till|before)\b"
    r"|\b(?:pas|plus)\s+(?:\w+\s+){0,2}?avant\b",
    re.IGNORECASE,
)
REFUSAL_RE = re.compile(
    r"\b(?:will not|won't|cannot|can't|refuse to|not going to)\s+(?:\w+\s+){0,2}?pay"
    r"|\bne\s+(?:\w+\s+){0,2}?(?:paierons|payerons|réglerons|pourrons|pouvons|allons)\s+pas"
    r"|\brefus(?:ons|e)\s+de\s+(?:payer|régler)",
    re.IGNORECASE,
)
DISPUTE_RE = re.compile(
    r"\b(?:disput\w*|contest\w*|conteste\w*|litige|incorrect\w*|wrong|erron\w*|erreur|mistake\w*|error"
    r"|overcharg\w*|double[- ]?(?:billed|charged)|charged twice|billed twice|factur\w* deux fois"
    r"|damaged|broken on arrival|defective|endommag\w*|d[ée]fectueu\w*|ab[iî]m[ée]\w*"
    r"|never (?:received|ordered|got)|not received|did(?: not|n't) (?:receive|order|get)|have(?: not|n't) received"
    r"|(?:pas|jamais)\s+(?:[ée]t[ée]\s+)?(?:re[çc]u|livr[ée]|command[ée])\w*|non re[çc]u\w*|missing|manquant\w*"
    r"|already paid|d[ée]j[àa] (?:pay[ée]|r[ée]gl[ée])\w*|refuse to pay|refus\w* de (?:payer|r[ée]gler)"
    r"|do(?:es)? not (?:owe|agree)|don't (?:owe|agree)|pas d'accord)",
    re.IGNORECASE,
)
QUOTE_START_RE = re.compile(
    r"^(?:on .{0,200}wrote:|le .{0,200}a [ée]crit\s?:|-{2,}\s*original message|-{2,}\s*message d'origine"
    r"|from:\s|de\s?:\s)",
    re.IGNORECASE | re.MULTILINE,
)
SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ0-9\"'(])|\n+")


@dataclass(frozen=True)
class ReplyProposal:
    """One proposal drawn from a reply; ``quote`` is the sentence it comes from."""

    kind: Literal["promise", "dispute"]
    quote: str
    promised_date: date | None = None
    amount: Decimal | None = None
    invoice_refs: tuple[str, ...] = ()
    reason: str = ""


def extract_reply(
    text: str, today: date, *, invoice_refs=(), lang: str = "", day_first: bool | None = None
) -> tuple[ReplyProposal, ...]:
    """Proposals of the reply ``text`` as of ``today`` (see the module).

    ``invoice_refs`` are the references of the customer's invoices a sentence may
    name; ``lang`` (``fr_CA``, ``en_US``...) and ``day_first`` decide how "05/06" reads.
    """
    body = _own_text(text or "")
    french = lang.startswith("fr") or _looks_french(body)
    day_first = french if day_first is None else day_first
    refs = _named_refs(body, invoice_refs)
    proposals = []
    for sentence in _sentences(body):
        named = _named_refs(sentence, invoice_refs)
        if DISPUTE_RE.search(sentence):
            proposals.append(
                ReplyProposal(
                    "dispute", sentence, invoice_refs=named or (refs if len(refs) == 1 else ()), reason=sentence
                )
            )
            continue
        deferred = DEFERRAL_RE.search(sentence)
        if not deferred and (REFUSAL_RE.search(sentence) or not PROMISE_RE.search(sentence)):
            continue
        days, masked = _dates(sentence, today, day_first)
        days = [day for day in days if day >= today]
        if days:
            proposals.append(
                ReplyProposal("promise", sentence, promised_date=max(days), amount=_amount(masked), invoice_refs=named)
            )
    return tuple(proposals)


def _own_text(text):
    """The reply without the quoted earlier e-mail (``>`` lines, "On ... wrote:" and what follows)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    match = QUOTE_START_RE.search(text)
    if match:
        text = text[: match.start()]
    return "\n".join(line for line in text.split("\n") if not line.lstrip().startswith(">"))


def _looks_french(text):
    words = re.findall(r"[a-zàâçéèêëîïôûùüÿœ']+", text.lower())
    french = {"le", "la", "les", "nous", "vous", "de", "des", "facture", "paiement", "est", "sera", "et", "pour"}
    english = {"the", "we", "you", "of", "invoice", "payment", "is", "will", "and", "for", "to"}
    return sum(word in french for word in words) > sum(word in english for word in words)


def _sentences(text):
    return [" ".join(part.split()) for part in SENTENCE_RE.split(text) if part and part.strip()]


def _named_refs(text, refs):
    """The references of ``refs`` written in ``text`` as a whole word ("INV/9" is not in "INV/90")."""
    return tuple(
        ref for ref in sorted(set(refs)) if ref and re.search(rf"(?<![\w/-]){re.escape(ref)}(?![\w/-])", text, re.I)
    )


def _dates(sentence, today, day_first):
    """(days found in ``sentence``, the sentence with their spans blanked so no amount is read in them)."""
    days, spans = [], []
    for kind, pattern in DATE_PATTERNS:
        for match in pattern.finditer(sentence):
            if any(start < match.end() and match.start() < end for start, end in spans):
                continue
            day = _read_date(kind, match, today, day_first)
            if day is not None:
                days.append(day)
                spans.append(match.span())
    masked = sentence
    for start, end in spans:
        masked = masked[:start] + " " * (end - start) + masked[end:]
    return days, masked


def _read_date(kind, match, today, day_first):
    if kind == "iso":
        return _safe_date(*(int(group) for group in match.groups()))
    if kind == "numeric":
        return _numeric(match, today, day_first)
    if kind == "named":
        return _named(match.group(0), today)
    if kind == "in_days":
        count = int(match.group(1))
        return today + timedelta(days=count * (7 if match.group(2).lower().startswith(("week", "semaine")) else 1))
    if kind == "weekday":
        # "Friday" is the coming one (today on a Friday); "next Friday", "vendredi prochain" never today.
        ahead = (WEEKDAYS[match.group(2).lower()] - today.weekday()) % 7
        upcoming = (match.group(1) or "").lower() in ("next", "coming") or bool(match.group(3))
        return today + timedelta(days=ahead or (7 if upcoming else 0))
    if kind == "week":
        return today + timedelta(days=7 - today.weekday() + 4)  # Friday of next week
    if kind == "month_end":
        return today.replace(day=monthrange(today.year, today.month)[1])
    if kind == "tomorrow":
        return today + timedelta(days=1)
    if kind == "today":
        return today
    return _next_day_of_month(int(match.group(1)), today)  # "on the 15th", "le 1er"


def _safe_date(year, month, day):
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _numeric(match, today, day_first):
    """A numeric day; when both readings are possible, the language's, unless only the other is not past."""
    first, second, year = int(match.group(1)), int(match.group(2)), match.group(3)
    readings = [(first, second), (second, first)] if day_first else [(second, first), (first, second)]
    readings = [(day, month) for day, month in readings if month <= 12 and day <= 31]
    found = [_numeric_day(day, month, year, today, rolls=len(readings) == 1) for day, month in readings]
    found = [day for day in found if day is not None]
    return next((day for day in found if day >= today), found[0] if found else None)


def _numeric_day(day, month, year, today, *, rolls):
    if year:
        return _safe_date(int(year) + (2000 if len(year) == 2 else 0), month, day)
    found = _safe_date(today.year, month, day)
    if rolls and found is not None and found < today - timedelta(days=31):  # "15/01" written in June: next January
        found = _safe_date(today.year + 1, month, day)
    return found


def _named(text, today):
    cleaned = re.sub(r"^le\s+", "", text.strip(), flags=re.IGNORECASE)
    cleaned = re.sub(r"(\d)(?:st|nd|rd|th|er)\b", r"\1", cleaned, flags=re.IGNORECASE)
    cleaned = re.sub(r"\bof\s+", "", cleaned, flags=re.IGNORECASE)
    parsed = dateparser.parse(
        cleaned,
        languages=["en", "fr"],
        settings={
            "RELATIVE_BASE": datetime(today.year, today.month, today.day),
            "PREFER_DATES_FROM": "future",
            "PREFER_DAY_OF_MONTH": "first",
        },
    )
    return parsed.date() if parsed else None


def _next_day_of_month(day, today):
    for months_ahead in range(3):
        year, month = today.year + (today.month - 1 + months_ahead) // 12, (today.month - 1 + months_ahead) % 12 + 1
        found = _safe_date(year, month, day)
        if found is not None and found >= today:
            return found
    return None


def _amount(sentence):
    """The largest amount written in ``sentence`` (``None``: none), read with either decimal separator."""
    amounts = []
    for match in AMOUNT_RE.finditer(sentence):
        raw = match.group("before") or match.group("after") or match.group("bare")
        value = _number(raw)
        if value is not None and value > 0:
            amounts.append(value)
    return max(amounts, default=None)


def _number(raw):
    digits = re.sub(r"[ \u00a0\u202f]", "", raw)
    if "," in digits and "." in digits:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
    elif "," in digits or "." in digits:
        mark = "," if "," in digits else "."
        decimal_mark = mark if len(digits) - digits.rfind(mark) - 1 in (1, 2) else None
    else:
        decimal_mark = None
    thousands = {",", "."} - {decimal_mark}
    for mark in thousands:
        digits = digits.replace(mark, "")
    if decimal_mark:
        digits = digits.replace(decimal_mark, ".")
    try:
        return Decimal(digits).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
