"""A running turn reports each tool call to its observer as it happens (started, done, waiting)."""

from core_fake_books import Books, make_agent

from fusion_accounting_core.services.agent import ProgressKind, ScriptedProvider, TurnStatus, call, calls

STARTED, DONE, WAITING = ProgressKind.STARTED, ProgressKind.DONE, ProgressKind.AWAITING_APPROVAL


def steps(events):
    return [(e.kind, e.call_id, e.ok, e.rows) for e in events]


def test_each_call_is_reported_before_the_turn_ends():
    events = []
    seen_by_the_model = []

    def second_answer(request):
        seen_by_the_model.append(steps(events))
        return calls(
            call("explode", "c2"),
            call("drop_database", "c3"),
            call("reconcile_payment_to_invoice", "c4", payment_id=1, invoice_id=2),
        )

    provider = ScriptedProvider(
        calls(call("get_unreconciled_bank_lines", "c1")),
        second_answer,
    )
    books = Books(bank_labels=["a", "b", "c"])
    result = make_agent(provider, books, observer=events.append).run((), "match the bank")
    assert result.status is TurnStatus.AWAITING_APPROVAL
    # Before the model was asked again, the first call had already been reported done, with its rows.
    assert seen_by_the_model == [[(STARTED, "c1", True, None), (DONE, "c1", True, 3)]]
    assert steps(events)[2:] == [
        (STARTED, "c2", True, None),
        (DONE, "c2", False, None),
        (STARTED, "c3", True, None),
        (DONE, "c3", False, None),
        (STARTED, "c4", True, None),
        (WAITING, "c4", True, None),
    ]
    assert "division by zero" in events[3].detail
    assert "Unknown tool" in events[5].detail
    assert books.writes == [], "a proposal is reported, never run"


def test_calls_over_the_limit_are_reported_as_not_run():
    events = []
    provider = ScriptedProvider(calls(call("get_ar_aging", "c1"), call("get_ar_aging", "c2")))
    make_agent(provider, Books(), max_tool_calls=1, observer=events.append).run((), "many")
    assert steps(events) == [(STARTED, "c1", True, None), (DONE, "c1", True, 1), (DONE, "c2", False, None)]
    assert "limit of 1" in events[-1].detail


def test_the_panel_gets_short_arguments_without_the_reasoning():
    events = []
    provider = ScriptedProvider(
        calls(call("reconcile_payment_to_invoice", "c1", payment_id=7, invoice_id=9, ai_reasoning="x" * 500))
    )
    make_agent(provider, Books(), observer=events.append).run((), "match")
    shown = events[-1].as_json()
    assert shown == {
        "kind": "awaiting_approval",
        "call_id": "c1",
        "tool": "reconcile_payment_to_invoice",
        "arguments": {"payment_id": "7", "invoice_id": "9"},
        "ok": True,
        "rows": None,
        "detail": "",
    }


def test_without_an_observer_the_turn_is_unchanged():
    provider = ScriptedProvider(calls(call("get_ar_aging", "c1")), "Acme owes 100.")
    result = make_agent(provider, Books()).run((), "who owes?")
    assert result.text == "Acme owes 100."
    assert result.executions[0].rows == 1
