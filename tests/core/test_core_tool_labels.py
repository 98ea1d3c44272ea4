"""What people read for a tool: a label declared with it, never its key dressed up as words."""

import re

import pytest
from core_tool_catalog import catalog

from fusion_accounting_core.services.tools import REGISTRY, Tier, ToolRegistry, ToolSpec


def humanised(key):
    """The key as a sentence, the way the cards used to title themselves ("Followup send now")."""
    return key.replace("_", " ").strip().lower()


TIER_3 = [spec for spec in catalog() if spec.tier == Tier.APPROVAL]


def test_the_catalog_has_tier_3_tools_to_check():
    assert {"followup_send_now", "followup_escalate", "match_bank_line_to_payments"} <= {s.name for s in TIER_3}


@pytest.mark.parametrize("spec", TIER_3, ids=lambda spec: spec.name)
def test_no_approval_card_title_is_the_humanised_key(spec):
    assert spec.title.strip() and spec.title != spec.name, f"{spec.name} has no label"
    assert spec.title.lower() != humanised(spec.name), f"{spec.name}: {spec.title!r} is its key in words"


@pytest.mark.parametrize("spec", catalog(), ids=lambda spec: spec.name)
def test_every_tool_has_a_label_people_read(spec):
    """The picker and the dashboard show the label: a sentence without identifiers."""
    assert spec.label, f"{spec.name} declares no label"
    assert not re.search(r"[_{}]|\b[a-z]+_[a-z]+\b", spec.label)
    assert spec.label[0].isupper() and not spec.label.endswith(".")
    assert len(spec.label) <= 45, "a label is a title, the description says the rest"


def test_follow_up_titles_are_what_an_accountant_says():
    titles = {spec.name: spec.title for spec in TIER_3}
    assert titles["followup_send_now"] == "Send follow-up now"
    assert titles["followup_escalate"] == "Escalate follow-up"


@pytest.mark.parametrize(
    ("registered", "name", "title"),
    [
        (ToolSpec("t", "d", "x", Tier.APPROVAL, label="Book it"), "t", "Book it"),
        (ToolSpec("t", "d", "x", Tier.APPROVAL), "t", "t"),  # no label: the key, not invented words
        (None, "removed_tool", "removed_tool"),  # a proposal of a tool the code no longer has
        (None, "", ""),
    ],
)
def test_title_of_a_tool_name(registered, name, title):
    registry = ToolRegistry()
    if registered:
        registry.register(registered)
    assert registry.title_of(name) == title


def test_the_process_registry_answers_for_names_it_does_not_hold():
    assert REGISTRY.title_of("no_such_tool_anywhere") == "no_such_tool_anywhere"
