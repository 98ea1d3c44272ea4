"""What the chat panel says about the AI provider: which one is selected and exactly what it lacks.

"No AI model is configured" tells a user nothing when Claude is selected and
only its key is missing; the status names the provider and the missing setting.

>>> settings = {"fusion_accounting.ai_provider": "claude"}
>>> provider_status(settings.get).message
'Claude selected, no API key: set it in Settings.'
>>> provider_status({"fusion_accounting.ai_provider": "claude", "fusion_accounting.anthropic_api_key": "k"}.get).ready
True
>>> provider_status({"fusion_accounting.ai_provider": "openai_compatible"}.get).message
'OpenAI-compatible server selected, no server address: set it in Settings.'
>>> provider_status({"fusion_accounting.ai_provider": "offline"}.get).missing
''
"""

from dataclasses import asdict, dataclass

from .registry import PROVIDERS, provider_config, selected_provider

# How the status names each provider in a sentence (the settings selection has the long label).
SHORT_NAMES = {"claude": "Claude", "openai": "OpenAI", "openai_compatible": "OpenAI-compatible server"}
OFFLINE_MESSAGE = "Offline mode, no AI model: I pick the tools that fit the words of your question."


@dataclass(frozen=True)
class ProviderStatus:
    """``ready``: a model answers.  ``missing``: the setting it lacks (``api_key``, ``base_url``, ``provider``)."""

    provider: str
    label: str
    ready: bool
    missing: str = ""
    message: str = ""

    def as_json(self):
        return asdict(self)


def provider_status(get_param):
    """The :class:`ProviderStatus` of the settings ``get_param(key)`` reads (keys are read, never returned)."""
    name = selected_provider(get_param)
    entry = PROVIDERS.get(name)
    if entry is None:
        return ProviderStatus(name, name, False, "provider", f"Unknown AI provider {name!r}: choose one in Settings.")
    if not entry.uses_model:
        return ProviderStatus(name, entry.label, False, "", OFFLINE_MESSAGE)
    short = SHORT_NAMES.get(name, entry.label)
    config = provider_config(name, get_param)
    if entry.needs_key and not config.api_key:
        return ProviderStatus(name, entry.label, False, "api_key", f"{short} selected, no API key: set it in Settings.")
    if entry.takes_base_url and not config.base_url:
        return ProviderStatus(
            name, entry.label, False, "base_url", f"{short} selected, no server address: set it in Settings."
        )
    return ProviderStatus(name, entry.label, True)
