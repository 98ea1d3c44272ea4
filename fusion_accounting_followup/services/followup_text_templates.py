"""Offline follow-up texts per language and tone, for when no model answers.

Languages are matched on the code's prefix (``fr_CA`` uses ``fr``); an
unknown language falls back to English.

>>> template_for("fr_CA", "firm").subject.startswith("Rappel")
True
>>> template_for("xx_XX", "legal") == TEMPLATES["en"]["legal"]
True
"""

from dataclasses import dataclass

DEFAULT_LANG = "en"


@dataclass(frozen=True)
class TextTemplate:
    """``str.format`` patterns over ``partner``, ``company``, ``total``, ``items`` and ``sender``."""

    subject: str
    body: str


TEMPLATES = {
    "en": {
        "gentle": TextTemplate(
            "Friendly reminder: overdue balance with {company}",
            "Dear {partner},\n\nOur records show the following items past their due date:\n{items}\n\n"
            "Total overdue: {total}.\n\nIf you have already paid, please disregard this message. "
            "Otherwise, we would be grateful for your payment at your earliest convenience.\n\n"
            "Kind regards,\n{sender}",
        ),
        "firm": TextTemplate(
            "Payment overdue: {total} owed to {company}",
            "Dear {partner},\n\nDespite our previous reminder, the following items remain unpaid:\n{items}\n\n"
            "Total overdue: {total}.\n\nPlease settle this amount within 7 days, or contact us to explain the "
            "delay.\n\nRegards,\n{sender}",
        ),
        "legal": TextTemplate(
            "Final notice before collection: {total} owed to {company}",
            "Dear {partner},\n\nThis is our final notice regarding the following overdue items:\n{items}\n\n"
            "Total overdue: {total}.\n\nUnless payment is received promptly, we will refer this matter to "
            "collection or legal counsel without further notice.\n\n{sender}",
        ),
    },
    "fr": {
        "gentle": TextTemplate(
            "Rappel amical : solde en souffrance chez {company}",
            "Bonjour {partner},\n\nSauf erreur de notre part, les pièces suivantes sont échues :\n{items}\n\n"
            "Total échu : {total}.\n\nSi vous avez déjà payé, veuillez ignorer ce message. Sinon, nous vous "
            "remercions de régler ce montant dès que possible.\n\nCordialement,\n{sender}",
        ),
        "firm": TextTemplate(
            "Rappel : paiement en retard de {total} dû à {company}",
            "Bonjour {partner},\n\nMalgré notre précédent rappel, les pièces suivantes restent impayées :\n"
            "{items}\n\nTotal échu : {total}.\n\nMerci de régler ce montant sous 7 jours ou de nous contacter "
            "pour nous expliquer ce retard.\n\nCordialement,\n{sender}",
        ),
        "legal": TextTemplate(
            "Mise en demeure : {total} dû à {company}",
            "Madame, Monsieur,\n\nCeci est notre dernier avis concernant les pièces échues suivantes :\n{items}\n\n"
            "Total échu : {total}.\n\nÀ défaut de paiement rapide, ce dossier sera transmis à un service de "
            "recouvrement ou à notre conseil juridique sans autre avis.\n\n{sender}",
        ),
    },
    "es": {
        "gentle": TextTemplate(
            "Recordatorio amistoso: saldo vencido con {company}",
            "Estimado/a {partner}:\n\nSegún nuestros registros, las siguientes partidas están vencidas:\n{items}\n\n"
            "Total vencido: {total}.\n\nSi ya ha realizado el pago, ignore este mensaje. De lo contrario, le "
            "agradeceremos que lo realice a la mayor brevedad.\n\nAtentamente,\n{sender}",
        ),
        "firm": TextTemplate(
            "Pago vencido: {total} adeudado a {company}",
            "Estimado/a {partner}:\n\nA pesar de nuestro recordatorio anterior, las siguientes partidas siguen "
            "impagadas:\n{items}\n\nTotal vencido: {total}.\n\nLe rogamos que abone este importe en un plazo de "
            "7 días o que nos explique el motivo del retraso.\n\nAtentamente,\n{sender}",
        ),
        "legal": TextTemplate(
            "Último aviso antes del cobro judicial: {total} adeudado a {company}",
            "Estimado/a {partner}:\n\nEste es nuestro último aviso sobre las siguientes partidas vencidas:\n"
            "{items}\n\nTotal vencido: {total}.\n\nSi no recibimos el pago en breve, remitiremos este asunto a una "
            "agencia de cobro o a nuestros abogados sin más aviso.\n\n{sender}",
        ),
    },
}


def template_for(lang: str | None, tone: str) -> TextTemplate:
    """The template for a language code (``en_US``, ``fr_CA``...) and a tone."""
    prefix = (lang or DEFAULT_LANG).split("_")[0].lower()
    return TEMPLATES.get(prefix, TEMPLATES[DEFAULT_LANG])[tone]


def has_language(lang: str | None) -> bool:
    """True when :data:`TEMPLATES` speaks ``lang`` (otherwise English is used)."""
    return (lang or DEFAULT_LANG).split("_")[0].lower() in TEMPLATES
