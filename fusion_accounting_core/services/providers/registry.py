"""Providers by name.  Adding a provider means adding one entry here, nowhere else.

>>> from .base import ProviderConfig
>>> build_provider("offline", ProviderConfig()).label
'offline'
>>> build_provider("claude", ProviderConfig(model="m"))
Traceback (most recent call last):
...
fusion_accounting_core.services.providers.errors.ProviderConfigError: No API key is configured for claude.
"""

from dataclasses import dataclass

from .errors import ProviderConfigError
from .retry import RetryingProvider


@dataclass(frozen=True)
class ProviderEntry:
    """``factory(config)`` builds the provider; ``needs_key`` says whether a key is required."""

    name: str
    factory: object
    needs_key: bool
    retried: bool = True


def _anthropic(config):
    from .anthropic_provider import AnthropicProvider  # the SDK is only needed when chosen

    return AnthropicProvider(config)


def _openai(config):
    from .openai_responses import OpenAIResponsesProvider

    return OpenAIResponsesProvider(config)


def _openai_compatible(config):
    from .openai_chat import OpenAIChatProvider

    return OpenAIChatProvider(config)


def _offline(_config):
    from .offline import OfflineProvider

    return OfflineProvider()


PROVIDERS = {
    entry.name: entry
    for entry in (
        ProviderEntry("claude", _anthropic, needs_key=True),
        ProviderEntry("openai", _openai, needs_key=True),
        ProviderEntry("openai_compatible", _openai_compatible, needs_key=False),
        ProviderEntry("offline", _offline, needs_key=False, retried=False),
    )
}


def build_provider(name, config, *, attempts=3, sleep=None):
    """The provider called ``name``, wrapped in bounded retries when it talks to a network."""
    entry = PROVIDERS.get(name)
    if entry is None:
        raise ProviderConfigError(f"Unknown AI provider {name!r}; expected one of {sorted(PROVIDERS)}.")
    if entry.needs_key and not config.api_key:
        raise ProviderConfigError(f"No API key is configured for {name}.")
    provider = entry.factory(config)
    if not entry.retried:
        return provider
    options = {"attempts": attempts} if sleep is None else {"attempts": attempts, "sleep": sleep}
    return RetryingProvider(provider, **options)
