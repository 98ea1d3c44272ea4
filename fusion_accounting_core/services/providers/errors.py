"""Typed provider failures.  Each message is meant for the chat: short, plain, no secret.

>>> str(redact("key sk-ant-abc123DEF456ghi789 refused", ["sk-ant-abc123DEF456ghi789"]))
'key [redacted] refused'
"""

import re

# Anything shaped like a vendor key, in case a server echoes one we do not hold.
_KEY_SHAPES = re.compile(r"\b(sk-[A-Za-z0-9_\-]{8,}|sk-ant-[A-Za-z0-9_\-]{8,})")


def redact(text, secrets=()):
    """``text`` with every secret and every key-shaped token replaced."""
    text = str(text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return _KEY_SHAPES.sub("[redacted]", text)


class ProviderError(Exception):
    """A model could not answer.  ``retryable`` failures may succeed if tried again."""

    retryable = False


class ProviderConfigError(ProviderError):
    """The provider is not configured (no key, unknown provider name, bad base URL)."""


class ProviderAuthError(ProviderError):
    """The vendor refused the credentials."""


class ProviderRequestError(ProviderError):
    """The vendor refused the request itself (HTTP 4xx other than 401/403/429)."""


class ProviderBadResponse(ProviderError):
    """The vendor answered something we cannot read."""


class ProviderUnavailable(ProviderError):
    """Network failure or HTTP 5xx."""

    retryable = True


class ProviderTimeout(ProviderUnavailable):
    """No answer within the client timeout."""


class RateLimited(ProviderUnavailable):
    """HTTP 429; ``retry_after`` is the server's hint in seconds, when it gave one."""

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after
