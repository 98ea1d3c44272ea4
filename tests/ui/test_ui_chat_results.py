"""What the chat shows people: tool results as tables and facts, and approval cards that never overstate."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fusion_accounting.services.approval_card import CardFacts, card_lines
from fusion_accounting_core.services.agent.result_view import column_order, result_view


def test_a_bank_match_gap_is_left_open_never_called_a_write_off():
    facts = CardFacts("match_bank_line_to_payments", bank_label="b", bank_amount=254.01, items=(("INV/33", 330.64),))
    labels = {line.label: line.amount for line in card_lines(facts)}
    assert labels["Difference, left open on the items"] == 76.63
    assert not any("write-off" in label or "Fee" in label for label in labels)


def test_a_fee_is_shown_only_when_the_proposal_books_one():
    facts = CardFacts(
        "match_bank_line_to_payments", bank_label="b", bank_amount=697.61, items=(("4", 709.14),), fee_amount=11.53
    )
    labels = {line.label: line.amount for line in card_lines(facts)}
    assert labels == {"Bank: b": 697.61, "↔ 4": 709.14, "Fee": 11.53}


def test_aging_columns_read_in_days_and_rows_link_to_partners():
    content = json.dumps(
        {
            "as_of": "2026-11-30",
            "partners": [
                {
                    "partner": "A",
                    "partner_id": 3,
                    "currency": "CAD",
                    "1-30": 1.0,
                    "120+": 2.0,
                    "31-60": 0.0,
                    "total": 3.0,
                }
            ],
        },
        sort_keys=True,
    )
    (table,) = result_view("get_ar_aging", content)["tables"]
    assert [c["key"] for c in table["columns"]] == ["partner", "1-30", "31-60", "120+", "total"]
    assert table["rows"][0]["partner"] == {"model": "res.partner", "id": 3, "name": "A"}


def test_no_totals_row_when_the_result_lists_a_top_of_more():
    content = json.dumps(
        {"partner_count": 26, "partners": [{"partner": "A", "total": 1.0}, {"partner": "B", "total": 2.0}]}
    )
    (table,) = result_view("get_ar_aging", content)["tables"]
    assert table["totals"] == {}


def test_a_refusal_is_its_sentence():
    assert result_view("x", '{"ok": false, "error": "no statement line 9 in your companies"}')["text"] == (
        "no statement line 9 in your companies"
    )


@pytest.mark.parametrize("content", ["", "not json", "[1, 2]", "null", '"text"', "{}", '{"a": {"b": {"c": []}}}'])
def test_any_content_is_shown_without_failing(content):
    view = result_view("x", content)
    assert set(view) == {"tables", "facts", "text"}


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_result_view_takes_any_json(value):
    view = result_view("get_x", json.dumps(value))
    for table in view["tables"]:
        keys = [c["key"] for c in table["columns"]]
        assert len(keys) == len(set(keys)) and len(table["rows"]) <= table["total_rows"]
    json.dumps(view)  # the panel reads it as JSON


def test_column_order_keeps_unknown_columns():
    assert column_order(["b", "a"], {"a": "text", "b": "text"}) == ["b", "a"]
