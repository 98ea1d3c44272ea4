"""The reply extractor on a table of real-looking customer replies (English and French, dates written many ways)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fusion_accounting_followup.services.reply_extractor import extract_reply

TODAY = date(2025, 6, 30)  # a Monday
REFS = ("INV/2025/00012", "INV/2025/00007", "F-2025-118")

# (reply, lang, kind, promised date, amount, invoices)
PROMISES = [
    ("Hi, we will pay next Friday. Best, Sam", "en_US", date(2025, 7, 4), None, ()),
    ("We'll pay $1,200.00 on July 15.", "en_US", date(2025, 7, 15), Decimal("1200.00"), ()),
    ("Payment will be sent Jan 15th.", "en_US", date(2026, 1, 15), None, ()),
    ("The cheque is in the mail, you should have it by July 4.", "en_US", date(2025, 7, 4), None, ()),
    ("I'll transfer 500 CAD in 10 days.", "en_CA", date(2025, 7, 10), Decimal("500.00"), ()),
    ("We can't pay until August 1st, sorry.", "en_US", date(2025, 8, 1), None, ()),
    ("Our AP team will process INV/2025/00012 on 2025-07-09.", "en_US", date(2025, 7, 9), None, ("INV/2025/00012",)),
    ("We will send $1234 by the 15th.", "en_US", date(2025, 7, 15), Decimal("1234.00"), ()),
    ("We plan to wire the balance tomorrow.", "en_US", date(2025, 7, 1), None, ()),
    ("Payment is scheduled for 07/18.", "en_US", date(2025, 7, 18), None, ()),
    ("We will pay by the end of the month.", "en_US", date(2025, 6, 30), None, ()),
    ("Nous paierons 1 234,56 $ d'ici le 15/07.", "fr_CA", date(2025, 7, 15), Decimal("1234.56"), ()),
    (
        "Bonjour, nous allons payer la facture F-2025-118 le 15 juillet. Merci",
        "fr_CA",
        date(2025, 7, 15),
        None,
        ("F-2025-118",),
    ),
    ("Le virement sera effectué vendredi prochain.", "fr_CA", date(2025, 7, 4), None, ()),
    ("Le paiement sera fait le 1er août.", "fr_FR", date(2025, 8, 1), None, ()),
    ("Nous réglerons 2 500,00 € dans 2 semaines.", "fr_FR", date(2025, 7, 14), Decimal("2500.00"), ()),
    ("Je vais vous payer demain sans faute.", "fr_CA", date(2025, 7, 1), None, ()),
    ("Nous ne pourrons pas payer avant le 10/08.", "fr_CA", date(2025, 8, 10), None, ()),
    ("Le chèque partira à la fin du mois.", "fr_CA", date(2025, 6, 30), None, ()),
    ("Nous paierons le 05/07.", "fr_CA", date(2025, 7, 5), None, ()),  # day first in French
    ("We will pay on 05/07.", "en_US", date(2025, 7, 5), None, ()),  # May 7 is past: the other reading
]

DISPUTES = [
    ("We never received the goods on INV/2025/00007.", "en_US", ("INV/2025/00007",)),
    ("Invoice INV/2025/00012 was charged twice, please fix it.", "en_US", ("INV/2025/00012",)),
    ("The pallets arrived damaged; we dispute this invoice.", "en_US", ()),
    ("We already paid this on June 3.", "en_US", ()),
    ("The price on F-2025-118 is wrong: we agreed on 20 per unit.", "en_US", ("F-2025-118",)),
    ("Nous contestons la facture INV/2025/00007.", "fr_CA", ("INV/2025/00007",)),
    ("La marchandise n'a jamais été reçue.", "fr_CA", ()),
    ("Cette facture est erronée, le montant ne correspond pas au bon de commande.", "fr_CA", ()),
    ("Nous avons déjà payé cette facture le 3 juin.", "fr_FR", ()),
]

NOTHING = [
    "Thanks for the reminder, I forwarded it to accounting.",
    "Who is this? Please remove me from your list.",
    "Merci, je transmets à la comptabilité.",
    "We will not pay this.",
    "We paid $500 last Friday.",  # a past payment: a person checks the bank, no promise
    "Thanks.\n\nOn Mon, Jun 30, 2025 at 9:00 AM Acme Billing <billing@acme.test> wrote:\n> we will pay next friday",
    "Merci.\n\nLe lun. 30 juin 2025, Acme a écrit :\n> nous paierons demain",
    "> We will pay $900 tomorrow.",
    "",
]


def only(reply, lang, kind):
    proposals = [p for p in extract_reply(reply, TODAY, invoice_refs=REFS, lang=lang) if p.kind == kind]
    assert len(proposals) <= 1, proposals
    return proposals[0] if proposals else None


@pytest.mark.parametrize(("reply", "lang", "day", "amount", "refs"), PROMISES)
def test_promises(reply, lang, day, amount, refs):
    proposal = only(reply, lang, "promise")
    if day < TODAY:
        assert proposal is None, "a day in the past is never promised"
        return
    assert proposal is not None, reply
    assert (proposal.promised_date, proposal.amount, proposal.invoice_refs) == (day, amount, refs)
    assert proposal.quote in " ".join(reply.split())


@pytest.mark.parametrize(("reply", "lang", "refs"), DISPUTES)
def test_disputes(reply, lang, refs):
    proposal = only(reply, lang, "dispute")
    assert proposal is not None, reply
    assert proposal.invoice_refs == refs
    assert proposal.reason == proposal.quote
    assert not only(reply, lang, "promise")


@pytest.mark.parametrize("reply", NOTHING)
def test_nothing_to_propose(reply):
    assert extract_reply(reply, TODAY, invoice_refs=REFS) == ()


def test_a_reply_with_a_promise_and_a_dispute_gives_both_with_their_sentences():
    reply = (
        "Hello,\n\nINV/2025/00007 is wrong, we never ordered the second pallet. "
        "We will pay INV/2025/00012 ($450.00) next Friday.\n\nRegards"
    )
    dispute, promise = extract_reply(reply, TODAY, invoice_refs=REFS)
    assert (dispute.kind, dispute.invoice_refs) == ("dispute", ("INV/2025/00007",))
    assert (promise.kind, promise.promised_date, promise.amount) == ("promise", date(2025, 7, 4), Decimal("450.00"))
    assert promise.invoice_refs == ("INV/2025/00012",)


def test_a_dispute_names_the_only_invoice_of_the_reply():
    reply = "About INV/2025/00012.\nThe goods were defective."
    (dispute,) = extract_reply(reply, TODAY, invoice_refs=REFS)
    assert dispute.invoice_refs == ("INV/2025/00012",)


def test_a_reference_is_a_whole_word():
    assert extract_reply("INV/2025/000123 is wrong.", TODAY, invoice_refs=REFS)[0].invoice_refs == ()


def test_day_first_can_be_forced():
    (proposal,) = extract_reply("We will pay on 05/08.", TODAY, day_first=True)
    assert proposal.promised_date == date(2025, 8, 5)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_proposals_quoting_it_never_a_crash(text):
    for proposal in extract_reply(text, TODAY, invoice_refs=REFS):
        assert proposal.quote
        assert proposal.kind in ("promise", "dispute")
        if proposal.kind == "promise":
            assert proposal.promised_date >= TODAY
            assert proposal.amount is None or proposal.amount > 0


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 365), st.sampled_from(["en_US", "fr_CA"]))
def test_in_n_days_is_n_days_after_today(days, lang):
    reply = f"We will pay in {days} days." if lang == "en_US" else f"Nous paierons dans {days} jours."
    (proposal,) = extract_reply(reply, TODAY, lang=lang)
    assert (proposal.promised_date - TODAY).days == days
