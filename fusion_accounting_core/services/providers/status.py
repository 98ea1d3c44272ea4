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

The sentences come from :data:`SENTENCES` through ``say(key, **params)`` (English
by default; the Odoo adapter passes one that translates them).
"""

from dataclasses import asdict, dataclass

from .registry import PROVIDERS, provider_config, selected_provider

# How the status names each provider in a sentence (the settings selection has the long label):
# a brand as it is, else the key of a sentence said in the user's language.
SHORT_NAMES = {"claude": "Claude", "openai": "OpenAI"}
NAME_SENTENCES = {"openai_compatible": "openai_compatible_name"}
SENTENCES = {
    "openai_compatible_name": "OpenAI-compatible server",
    "offline_mode": "Offline mode, no AI model: I pick the tools that fit the words of your question.",
    "unknown": 'Unknown AI provider "%(provider)s": choose one in Settings.',
    "no_api_key": "%(provider)s selected, no API key: set it in Settings.",
    "no_base_url": "%(provider)s selected, no server address: set it in Settings.",
}


def english(key, **params):
    """The English sentence ``key`` with ``params``."""
    sentence = SENTENCES[key]
    return sentence % params if params else sentence


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


def provider_status(get_param, say=english):
    """The :class:`ProviderStatus` of the settings ``get_param(key)`` reads (keys are read, never returned).

    ``say(key, **params)`` words the message (see :data:`SENTENCES`).
    """
    name = selected_provider(get_param)
    entry = PROVIDERS.get(name)
    if entry is None:
        return ProviderStatus(name, name, False, "provider", say("unknown", provider=name))
    if not entry.uses_model:
        return ProviderStatus(name, entry.label, False, "", say("offline_mode"))
    short = SHORT_NAMES.get(name) or (say(NAME_SENTENCES[name]) if name in NAME_SENTENCES else entry.label)
    config = provider_config(name, get_param)
    if entry.needs_key and not config.api_key:
        return ProviderStatus(name, entry.label, False, "api_key", say("no_api_key", provider=short))
    if entry.takes_base_url and not config.base_url:
        return ProviderStatus(name, entry.label, False, "base_url", say("no_base_url", provider=short))
    return ProviderStatus(name, entry.label, True)
