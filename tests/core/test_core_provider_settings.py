"""Provider settings belong to the registry: one entry per provider, one function from settings to config."""

import re
from pathlib import Path

import pytest
from conftest import ADDONS, ROOT
from core_fake_vendor import FakeVendor, Reply, anthropic_message, chat_body, responses_body, responses_text
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting_core.services.providers import (
    DEFAULT_PROVIDER,
    PROVIDER_PARAM,
    PROVIDERS,
    SECRET_PARAMS,
    Message,
    ModelRequest,
    ProviderConfigError,
    build_provider,
    configured_provider,
    model_defaults,
    provider_config,
    selected_provider,
)

ENTRIES = sorted(PROVIDERS.values(), key=lambda entry: entry.name)


def settings_for(entry, **values):
    """The settings an administrator would save for ``entry`` (``model``, ``key``, ``base_url``)."""
    params = {PROVIDER_PARAM: entry.name}
    for field, key in (("model", entry.model_param), ("key", entry.key_param), ("base_url", entry.base_url_param)):
        if key and values.get(field) is not None:
            params[key] = values[field]
    return params


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.name)
def test_every_entry_yields_a_config_from_its_settings(entry):
    assert entry.label and entry.default_model
    assert entry.needs_key <= bool(entry.key_param), "a provider needing a key must name its key setting"
    config = provider_config(entry.name, settings_for(entry, model=" m-1 ", key="sk-1", base_url="http://h/v1").get)
    assert config.model == ("m-1" if entry.model_param else entry.default_model)
    assert config.api_key == ("sk-1" if entry.key_param else "")
    assert config.base_url == ("http://h/v1" if entry.takes_base_url else "")
    # empty settings: the entry's default model, the same for every caller of the one function
    assert provider_config(entry.name, {}.get).model == entry.default_model
    assert provider_config(entry.name, settings_for(entry, model="").get).model == entry.default_model
    assert provider_config(entry.name, {}.get, timeout=30.0).timeout == 30.0
    if not entry.needs_key:
        assert configured_provider(settings_for(entry, base_url="http://h/v1").get)[0] is entry


@given(
    name=st.sampled_from(sorted(PROVIDERS)),
    model=st.one_of(st.none(), st.text(max_size=20)),
    key=st.one_of(st.none(), st.text(max_size=20)),
)
def test_the_model_is_the_setting_or_the_default_and_a_key_is_needed_when_declared(name, model, key):
    entry = PROVIDERS[name]
    get = settings_for(entry, model=model, key=key).get
    config = provider_config(name, get)
    expected = (model or "").strip() if entry.model_param else ""
    assert config.model == (expected or entry.default_model)
    if entry.needs_key and not config.api_key:
        with pytest.raises(ProviderConfigError, match="No API key"):
            configured_provider(get)


def test_the_default_provider_unknown_names_and_the_secret_keys():
    assert selected_provider({}.get) == DEFAULT_PROVIDER in PROVIDERS
    assert selected_provider({PROVIDER_PARAM: ""}.get) == DEFAULT_PROVIDER
    for call in (lambda: provider_config("nope", {}.get), lambda: configured_provider({PROVIDER_PARAM: "nope"}.get)):
        with pytest.raises(ProviderConfigError, match="Unknown AI provider 'nope'"):
            call()
    assert SECRET_PARAMS == {entry.key_param for entry in ENTRIES if entry.key_param}
    # the settings form's default for a model setting is the default of the first entry using it
    for param, default in model_defaults().items():
        first = next(entry for entry in PROVIDERS.values() if entry.model_param == param)
        assert default == first.default_model


def test_providers_without_a_model_are_not_retried_and_write_no_text():
    for entry in ENTRIES:
        provider = configured_provider(settings_for(entry, key="sk-1", base_url="http://h/v1").get)[1]
        assert type(provider).__name__ == ("RetryingProvider" if entry.retried else "OfflineProvider")
        assert entry.uses_model == entry.retried


# --- settings -> provider -> SDK -> the wire ------------------------------------------------

WIRE = {  # how each network provider is answered, where it is called, and its SDK's base-URL variable
    "claude": (anthropic_message({"type": "text", "text": "hi"}), "/v1/messages", ("ANTHROPIC_BASE_URL", "")),
    "openai": (responses_body(responses_text("hi")), "/v1/responses", ("OPENAI_BASE_URL", "/v1")),
    "openai_compatible": (chat_body("hi"), "/v1/chat/completions", None),
}


def test_every_network_provider_has_a_wire_check():
    assert set(WIRE) == {entry.name for entry in ENTRIES if entry.uses_model}


@pytest.mark.parametrize("name", sorted(WIRE))
def test_settings_reach_the_vendor_with_the_default_model_and_the_key(name, monkeypatch):
    body, path, env_base_url = WIRE[name]
    entry = PROVIDERS[name]
    with FakeVendor() as vendor:
        vendor.queue(Reply(body=body))
        if env_base_url:  # a vendor without a base-URL setting: the SDK's own variable points it here
            variable, suffix = env_base_url
            monkeypatch.setenv(variable, vendor.url + suffix)
        settings = settings_for(entry, model="", key="sk-wire-KEY", base_url=vendor.url + "/v1")
        _entry, provider = configured_provider(settings.get, timeout=5.0)
        answer = provider.complete(ModelRequest("sys", (Message.user("hello"),), max_tokens=50))
    assert answer.message.text == "hi"
    (sent,) = vendor.received
    assert sent.path == path
    assert sent.body["model"] == entry.default_model
    assert "sk-wire-KEY" in sent.headers.get("x-api-key", sent.headers.get("authorization", ""))


# --- no provider name outside the registry ----------------------------------------------------

ADAPTER_DIRS = ("models", "controllers", "wizards", "views", "static/src")
NAMES = re.compile(r"""["'](%s)["']""" % "|".join(re.escape(name) for name in PROVIDERS))


def _adapter_files():
    for addon in ADDONS:
        for folder in ADAPTER_DIRS:
            for path in sorted((ROOT / addon / folder).rglob("*")):
                if path.suffix in {".py", ".xml", ".js"}:
                    yield path


@pytest.mark.parametrize("path", list(_adapter_files()), ids=lambda p: str(Path(p).relative_to(ROOT)))
def test_no_adapter_names_a_provider(path):
    found = NAMES.findall(path.read_text())
    assert not found, f"{path.relative_to(ROOT)} names providers {found}: read them from the registry"


def test_build_provider_is_unchanged_for_direct_callers():
    assert build_provider("offline", provider_config("offline", {}.get)).label == "offline"
