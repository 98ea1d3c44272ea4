"""Providers by name.  Adding a provider means adding one entry here, nowhere else.

Each entry says how it is built and which settings (``ir.config_parameter`` keys)
configure it; the settings form, the agent and the follow-up text generator are
all built from :data:`PROVIDERS` and :func:`provider_config`.

>>> from .base import ProviderConfig
>>> build_provider("offline", ProviderConfig()).label
'offline'
>>> build_provider("claude", ProviderConfig(model="m"))
Traceback (most recent call last):
...
fusion_accounting_core.services.providers.errors.ProviderConfigError: No API key is configured for claude.
>>> settings = {"fusion_accounting.openai_api_key": "sk-1"}
>>> provider_config("openai", settings.get)
ProviderConfig(model='gpt-4o', base_url='', timeout=60.0)
"""

from dataclasses import dataclass

from .base import ProviderConfig
from .errors import ProviderConfigError
from .retry import RetryingProvider

PREFIX = "fusion_accounting."
PROVIDER_PARAM = PREFIX + "ai_provider"  # the setting naming the provider
DEFAULT_PROVIDER = "claude"


@dataclass(frozen=True)
class ProviderEntry:
    """One provider: how it is built and the settings it is built from.

    ``factory(config)`` builds the provider; ``needs_key`` says whether a key is
    required.  ``model_param``, ``key_param`` and ``base_url_param`` are the
    ``ir.config_parameter`` keys of its model, API key and base URL ("" when it
    has no such setting); ``default_model`` is used when the model setting is
    empty; ``label`` names it in the settings selection.  ``uses_model`` is
    False for a provider that answers without a model (no AI text from it).
    """

    name: str
    label: str
    factory: object
    needs_key: bool
    model_param: str = ""
    key_param: str = ""
    default_model: str = ""
    base_url_param: str = ""
    retried: bool = True
    uses_model: bool = True

    @property
    def takes_base_url(self):
        return bool(self.base_url_param)


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


ANTHROPIC_API_KEY = PREFIX + "anthropic_api_key"
OPENAI_API_KEY = PREFIX + "openai_api_key"

PROVIDERS = {
    entry.name: entry
    for entry in (
        ProviderEntry(
            "claude",
            "Claude (Anthropic)",
            _anthropic,
            needs_key=True,
            model_param=PREFIX + "claude_model",
            key_param=ANTHROPIC_API_KEY,
            default_model="claude-sonnet-4-20250514",
        ),
        ProviderEntry(
            "openai",
            "OpenAI",
            _openai,
            needs_key=True,
            model_param=PREFIX + "openai_model",
            key_param=OPENAI_API_KEY,
            default_model="gpt-4o",
        ),
        ProviderEntry(
            "openai_compatible",
            "OpenAI-compatible server (Ollama, vLLM)",
            _openai_compatible,
            needs_key=False,
            model_param=PREFIX + "openai_model",
            key_param=OPENAI_API_KEY,
            default_model="llama3.1",
            base_url_param=PREFIX + "openai_base_url",
        ),
        ProviderEntry(
            "offline",
            "Offline (no model)",
            _offline,
            needs_key=False,
            default_model="offline",
            retried=False,
            uses_model=False,
        ),
    )
}

# The keys only administrators may read: every provider's API-key setting.
SECRET_PARAMS = frozenset(entry.key_param for entry in PROVIDERS.values() if entry.key_param)


def provider_entry(name):
    """The :class:`ProviderEntry` called ``name``; :class:`ProviderConfigError` when there is none."""
    entry = PROVIDERS.get(name)
    if entry is None:
        raise ProviderConfigError(f"Unknown AI provider {name!r}; expected one of {sorted(PROVIDERS)}.")
    return entry


def selected_provider(get_param):
    """The provider name the settings choose (``get_param(key)`` reads one setting)."""
    return get_param(PROVIDER_PARAM) or DEFAULT_PROVIDER


def provider_config(name, get_param, **options):
    """The :class:`ProviderConfig` of provider ``name`` from the settings ``get_param(key)`` reads.

    An empty model setting means the entry's default model; ``options`` (e.g.
    ``timeout``) are passed to the config.  Raises :class:`ProviderConfigError`
    for an unknown name.
    """
    entry = provider_entry(name)

    def read(key):
        return str(get_param(key) or "").strip() if key else ""

    return ProviderConfig(
        model=read(entry.model_param) or entry.default_model,
        api_key=read(entry.key_param),
        base_url=read(entry.base_url_param),
        **options,
    )


def model_defaults():
    """``{model setting: default model}``, the first entry using a setting giving its default."""
    defaults = {}
    for entry in PROVIDERS.values():
        if entry.model_param:
            defaults.setdefault(entry.model_param, entry.default_model)
    return defaults


def build_provider(name, config, *, attempts=3, sleep=None):
    """The provider called ``name``, wrapped in bounded retries when it talks to a network."""
    entry = provider_entry(name)
    if entry.needs_key and not config.api_key:
        raise ProviderConfigError(f"No API key is configured for {name}.")
    provider = entry.factory(config)
    if not entry.retried:
        return provider
    options = {"attempts": attempts} if sleep is None else {"attempts": attempts, "sleep": sleep}
    return RetryingProvider(provider, **options)


def configured_provider(get_param, **options):
    """``(entry, provider)`` the settings choose, built from them; :class:`ProviderConfigError` when unusable."""
    name = selected_provider(get_param)
    entry = provider_entry(name)
    return entry, build_provider(name, provider_config(name, get_param, **options))
