"""Follow-up text from the cache, a model, or a template, saying which.

How it works: the prompt is built and fingerprinted; a cached text for that
fingerprint wins (``source="cache"``); otherwise the injected ``complete``
callable is asked (``source="ai"``); when there is no callable, or it fails,
or its answer is unusable, the offline template in the partner's language is
used (``source="template"``) and ``error`` says why.  The caller stores
``ai`` results in its cache; this module never touches storage or a network.

>>> from datetime import date
>>> from decimal import Decimal
>>> request = FollowupTextRequest("Acme", "Fusion", "fr_CA", "CAD", "gentle", "Reminder", Decimal("10.00"),
...                               (PromptItem("INV/1", date(2025, 1, 31), Decimal("10.00")),))
>>> text = generate_text(request)
>>> text.source.value, text.error, text.subject
('template', 'no model configured', 'Rappel amical : solde en souffrance chez Fusion')
>>> generate_text(request, complete=lambda prompt: "Subject: Hi\\n\\nPlease pay.").source.value
'ai'
>>> generate_text(request, cache_lookup=lambda fingerprint: ("Cached", "Body")).source.value
'cache'
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from .errors import TextGenerationError
from .followup_text_prompt import FollowupPrompt, FollowupTextRequest, PromptItem, build_prompt
from .followup_text_templates import template_for

__all__ = ["FollowupText", "FollowupTextRequest", "PromptItem", "TextSource", "generate_text", "parse_completion"]

MAX_SUBJECT = 200


class TextSource(str, Enum):
    AI = "ai"
    CACHE = "cache"
    TEMPLATE = "template"


@dataclass(frozen=True)
class FollowupText:
    subject: str
    body: str
    source: TextSource
    tone: str
    lang: str
    fingerprint: str
    error: str | None = None


def parse_completion(answer: str) -> tuple[str, str]:
    """Split a model answer into (subject, body); ``TextGenerationError`` when it has no such shape.

    >>> parse_completion("Subject: Overdue\\n\\nDear Acme,\\npay.")
    ('Overdue', 'Dear Acme,\\npay.')
    """
    head, _, body = (answer or "").strip().partition("\n")
    if not head.lower().startswith("subject:"):
        raise TextGenerationError("the answer does not start with 'Subject:'")
    subject = head.split(":", 1)[1].strip()
    body = body.strip()
    if not subject or not body:
        raise TextGenerationError("the answer has an empty subject or body")
    return subject[:MAX_SUBJECT], body


def _format_amount(amount, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def render_template(request: FollowupTextRequest) -> tuple[str, str]:
    """The offline (subject, body) for ``request``, in its language when a template exists."""
    template = template_for(request.lang, request.tone)
    items = "\n".join(
        f"- {item.reference}, due {item.date_maturity.isoformat()}: {_format_amount(item.amount, request.currency)}"
        for item in request.items
    )
    values = {
        "partner": request.partner_name,
        "company": request.company_name,
        "total": _format_amount(request.total_overdue, request.currency),
        "items": items,
        "sender": request.sender_name or request.company_name,
    }
    return template.subject.format(**values), template.body.format(**values)


def generate_text(
    request: FollowupTextRequest,
    *,
    complete: Callable[[FollowupPrompt], str] | None = None,
    cache_lookup: Callable[[str], tuple[str, str] | None] | None = None,
) -> FollowupText:
    """Text for ``request``: cached, else from ``complete``, else templated (see the module docstring)."""
    prompt = build_prompt(request)

    def result(subject, body, source, error=None):
        return FollowupText(subject, body, source, request.tone, request.lang, prompt.fingerprint, error)

    cached = cache_lookup(prompt.fingerprint) if cache_lookup else None
    if cached:
        return result(*cached, TextSource.CACHE)
    if complete is None:
        return result(*render_template(request), TextSource.TEMPLATE, "no model configured")
    try:
        subject, body = parse_completion(complete(prompt))
    except TextGenerationError as error:
        return result(*render_template(request), TextSource.TEMPLATE, str(error))
    except Exception as error:  # any provider failure (network, quota, SDK) must leave the feature usable
        return result(*render_template(request), TextSource.TEMPLATE, f"model call failed: {error}")
    return result(subject, body, TextSource.AI)
