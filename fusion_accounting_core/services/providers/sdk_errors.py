"""Map the official SDKs' exceptions (both SDKs share one layout) to :mod:`.errors`."""

from .errors import (
    ProviderAuthError,
    ProviderBadResponse,
    ProviderRequestError,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
    redact,
)

_DETAIL_LIMIT = 200


def _detail(exc):
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        message = error.get("message") if isinstance(error, dict) else error
        if message:
            return str(message)[:_DETAIL_LIMIT]
    return ""


def _retry_after(exc):
    response = getattr(exc, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:  # an HTTP date: fall back to our own backoff
        return None


def unreadable(vendor, exc):
    """The error for an answer whose shape we did not expect (the SDK parses leniently)."""
    return ProviderBadResponse(f"{vendor} sent an answer that could not be read ({type(exc).__name__}).")


def from_sdk_error(exc, sdk, *, vendor, secrets=()):
    """The :class:`~.errors.ProviderError` for an exception raised by the ``sdk`` module."""
    if isinstance(exc, sdk.APITimeoutError):
        return ProviderTimeout(f"{vendor} did not answer in time.")
    if isinstance(exc, sdk.APIConnectionError):
        return ProviderUnavailable(f"{vendor} could not be reached.")
    if isinstance(exc, sdk.APIStatusError):
        status = exc.status_code
        detail = redact(_detail(exc), secrets)
        suffix = f": {detail}" if detail else ""
        if status == 429:
            return RateLimited(f"{vendor} is rate limiting requests (HTTP 429).", retry_after=_retry_after(exc))
        if status in (401, 403):
            return ProviderAuthError(f"{vendor} refused the API key (HTTP {status}). Check the key in the settings.")
        if status >= 500:
            return ProviderUnavailable(f"{vendor} had a server error (HTTP {status}).")
        return ProviderRequestError(f"{vendor} refused the request (HTTP {status}){suffix}")
    return unreadable(vendor, exc)
