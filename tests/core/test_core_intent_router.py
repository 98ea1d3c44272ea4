"""The offline co-pilot's intent router, against the real tool catalog (read from the addons' source).

A plain question must find the tool an accountant would run, in English and
in French; the router never offers a tool the caller may not use, never runs a
tool that writes, and a tool it runs goes through the agent loop and the gate.
"""

from datetime import date

import pytest
from core_fake_books import MANAGER_CALLER, REGISTRY, STAFF_CALLER, Books, make_agent
from core_tool_catalog import CATALOG_GROUP, catalog
from hypothesis import given, settings
from hypothesis import strategies as st

from fusion_accounting_core.services.agent import Caller, TurnStatus, Verdict, gate
from fusion_accounting_core.services.agent.intent_router import (
    ARGUMENT_WORDS,
    Action,
    IntentRouter,
    choice_json,
    form_fields,
    needed_words,
    route,
    search,
    to_run,
    words,
)
from fusion_accounting_core.services.providers import Message, ModelRequest, ToolDefinition
from fusion_accounting_core.services.providers.offline import OfflineProvider
from fusion_accounting_core.services.tools import Tier

TODAY = date(2026, 12, 2)
MANAGER_GROUP = "fusion_accounting_core.group_fusion_manager"
STAFF = Caller(user_id=1, groups=frozenset({CATALOG_GROUP}), may_write=False)
MANAGER = Caller(user_id=2, groups=frozenset({CATALOG_GROUP, MANAGER_GROUP}), may_write=True)
NOBODY = Caller(user_id=3)


def best(question, caller=STAFF):
    choices = route(question, catalog(), caller, today=TODAY)
    return choices[0].name if choices else None


# Real questions and the tool an accountant runs for them (staff: reading tools).
QUESTIONS = [
    ("What is my AR aging?", "get_ar_aging"),
    ("AR aging", "get_ar_aging"),
    ("Show me the aged receivables", "get_ar_aging"),
    ("Quel est le vieillissement de mes comptes clients ?", "get_ar_aging"),
    ("Who owes us money?", "get_ar_aging"),
    ("recievable aging", "get_ar_aging"),
    ("AP aging", "get_ap_aging"),
    ("What do we owe vendors?", "get_ap_aging"),
    ("Quelles factures fournisseurs sont impayées ?", "get_unpaid_bills"),
    ("unpaid bills", "get_unpaid_bills"),
    ("unmatched bank lines", "get_unreconciled_bank_lines"),
    ("Show unreconciled bank transactions", "get_unreconciled_bank_lines"),
    ("Lignes bancaires non rapprochées", "get_unreconciled_bank_lines"),
    ("How much HST do I owe?", "calculate_hst_balance"),
    ("HST for last quarter", "calculate_hst_balance"),
    ("TPS/TVH à payer", "calculate_hst_balance"),
    ("GST return status", "get_tax_return_status"),
    ("Month-end close checklist", "get_close_checklist"),
    ("entries in a locked period", "find_entries_in_locked_period"),
    ("Run a full audit", "run_full_audit"),
    ("duplicate bills", "find_duplicate_bills"),
    ("doublons de factures", "find_duplicate_bills"),
    ("draft entries", "find_draft_entries"),
    ("écritures en brouillon", "find_draft_entries"),
    ("trial balance", "get_trial_balance"),
    ("profit and loss this year", "get_profit_loss"),
    ("balance sheet", "get_balance_sheet"),
    ("cash flow", "get_cash_flow"),
    ("follow-up overdue customers", "followup_list_overdue"),
    ("stock valuation", "get_stock_valuation"),
    ("payroll cost", "get_payroll_cost_report"),
    ("bank reconciliation suggestions", "get_reconcile_suggestions"),
]


@pytest.mark.parametrize(("question", "expected"), QUESTIONS)
def test_a_plain_question_finds_the_tool(question, expected):
    assert best(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Clôture du mois", {"get_close_checklist", "find_entries_in_locked_period"}),
        ("relances clients", {"followup_list_overdue", "followup_get_partner", "get_followup_report"}),
        ("CRA remittance", {"get_cra_remittance_due", "get_cra_remittance_status"}),
        ("Which customers are overdue?", {"followup_list_overdue", "get_overdue_invoices"}),
    ],
)
def test_a_vaguer_question_offers_the_tools_that_fit(question, expected):
    names = {choice.name for choice in route(question, catalog(), STAFF, today=TODAY)}
    assert names & expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [("Generate the T4 slips for 2025", "generate_t4"), ("Generate an ROE", "generate_roe")],
)
def test_writing_tools_are_suggested_to_managers_never_run(question, expected):
    choices = route(question, catalog(), MANAGER, today=TODAY)
    chosen = {choice.name: choice for choice in choices}
    assert expected in chosen and chosen[expected].action is Action.SUGGEST
    assert expected not in {choice.name for choice in route(question, catalog(), STAFF, today=TODAY)}


def test_what_is_my_ar_aging_runs_get_ar_aging():
    choices = route("What is my AR aging?", catalog(), STAFF, today=TODAY)
    assert to_run(choices).name == "get_ar_aging" and to_run(choices).action is Action.RUN


def test_named_periods_fill_the_dates():
    (choice, *_rest) = route("HST for last quarter", catalog(), STAFF, today=TODAY)
    assert choice.action is Action.RUN
    assert choice.arguments == {"date_from": "2026-07-01", "date_to": "2026-09-30"}
    (choice, *_rest) = route("profit et perte du mois dernier", catalog(), STAFF, today=TODAY)
    assert (choice.name, choice.arguments) == ("get_profit_loss", {"date_from": "2026-11-01", "date_to": "2026-11-30"})


def test_a_missing_period_asks_with_a_form_prefilled():
    (choice, *_rest) = route("cash flow", catalog(), STAFF, today=TODAY)
    assert choice.action is Action.FORM and choice.missing == ("date_from", "date_to")
    defaults = {f.name: f.default for f in choice.fields}
    assert defaults["date_from"] == "2026-12-01" and defaults["date_to"] == "2026-12-02"
    assert [f.kind for f in choice.fields if f.required] == ["date", "date"]


def test_the_form_is_built_from_the_schema():
    schema = {
        "properties": {
            "partner_id": {"type": "integer", "description": "The customer."},
            "as_of": {"type": ["string", "null"], "format": "date"},
            "kind": {"type": "string", "enum": ["a", "b"]},
            "flag": {"type": "boolean", "default": False},
        },
        "required": ["partner_id"],
    }
    shaped = [(f.name, f.label, f.kind, f.required) for f in form_fields(schema)]
    assert shaped == [
        ("partner_id", "Customer or vendor", "integer", True),
        ("as_of", "Date", "date", False),
        ("kind", "Kind", "choice", False),
        ("flag", "Flag", "boolean", False),
    ]


def test_the_offline_reply_asks_for_missing_arguments_in_words():
    tools = tuple(ToolDefinition(spec.name, spec.description, spec.parameters) for spec in catalog())
    provider = OfflineProvider(router=IntentRouter(catalog(), STAFF, today=TODAY))
    reply = provider.complete(ModelRequest("", (Message.user("cash flow"),), tools)).message.text
    assert "- Cash flow: " in reply
    assert "(needs a start date and an end date)" in reply
    assert "date_from" not in reply and "get_cash_flow" not in reply


def test_every_required_argument_of_the_catalog_has_its_words():
    required = {name for spec in catalog() for name in spec.parameters["required"]}
    assert required <= set(ARGUMENT_WORDS), sorted(required - set(ARGUMENT_WORDS))
    for label, phrase in ARGUMENT_WORDS.values():
        assert "_" not in label + phrase and label[0].isupper() and phrase[0].islower()


@pytest.mark.parametrize(
    ("names", "said"),
    [
        ((), ""),
        (("date_to",), "an end date"),
        (("date_from", "date_to"), "a start date and an end date"),
        (("partner_id", "date_from", "date_to"), "a customer or vendor, a start date and an end date"),
        (("journal_id",), "the journal"),  # no entry: the name in words, never the identifier
        (("x_y_z_ids",), "the x y z ids"),
    ],
)
def test_needed_arguments_in_words(names, said):
    assert needed_words(names) == said


def test_the_picker_lists_labels_and_keeps_the_key_for_the_command():
    (choice, *_rest) = search("cash flow", catalog(), STAFF, today=TODAY)
    shown = choice_json(choice)
    assert (shown["name"], shown["label"]) == ("get_cash_flow", "Cash flow")
    assert [f["label"] for f in shown["fields"] if f["required"]] == ["Start date", "End date"]


@pytest.mark.parametrize("question", ["", "   ", "?!", "the and of", "bonjour", "x" * 5000, "\x00\x01"])
def test_hostile_or_empty_questions_pick_nothing_or_fail_soft(question):
    choices = route(question, catalog(), STAFF, today=TODAY)
    assert all(choice.action is not Action.RUN or choice.tier == Tier.READ for choice in choices)


def test_nobody_gets_no_tool():
    assert route("What is my AR aging?", catalog(), NOBODY, today=TODAY) == ()
    assert search("", catalog(), NOBODY) == ()


def test_the_picker_lists_every_allowed_tool_and_searches():
    everything = search("", catalog(), STAFF)
    assert len(everything) == sum(gate(spec, STAFF).verdict is not Verdict.REFUSE for spec in catalog())
    assert search("aging", catalog(), STAFF)[0].name in {"get_ar_aging", "get_ap_aging"}
    assert choice_json(everything[0])["fields"] is not None


def test_words_drop_stop_words_and_accents():
    assert words("Quelles lignes bancaires ne sont pas rapprochées ?") == ("lignes", "bancaires", "rapprochees")


QUESTION_WORDS = st.lists(
    st.sampled_from([w for q, _ in QUESTIONS for w in q.split()] + ["bank", "payroll", "T4", "x", "2025"]),
    max_size=8,
).map(" ".join)
CALLERS = st.sampled_from([STAFF, MANAGER, NOBODY, Caller(user_id=4, groups=frozenset({MANAGER_GROUP}))])


@settings(max_examples=150, deadline=None)
@given(question=st.one_of(QUESTION_WORDS, st.text(max_size=60)), caller=CALLERS)
def test_router_never_picks_what_the_caller_may_not_run_nor_runs_a_write(question, caller):
    specs = {spec.name: spec for spec in catalog()}
    for choice in route(question, catalog(), caller, today=TODAY):
        spec = specs[choice.name]
        assert gate(spec, caller).verdict is not Verdict.REFUSE
        if choice.action is Action.RUN:
            assert spec.tier == Tier.READ and gate(spec, caller).verdict is Verdict.RUN and not choice.missing
        if spec.tier == Tier.APPROVAL:
            assert choice.action is Action.SUGGEST


# --- the offline provider with the router, through the loop and the gate -------------------------


def offline_agent(caller=STAFF_CALLER):
    books = Books()
    agent = make_agent(OfflineProvider(), books, caller=caller)
    router = IntentRouter(tuple(agent._tools.values()), caller, today=TODAY)
    agent.provider = OfflineProvider(status="Claude selected, no API key: set it in Settings.").with_router(router)
    return agent, books


def test_offline_question_runs_the_tool_through_the_loop():
    agent, _books = offline_agent()
    result = agent.run((), "What is my AR aging?")
    assert result.status is TurnStatus.ANSWERED
    assert [record.tool for record in result.executions] == ["get_ar_aging"]
    assert result.messages[1].text.startswith("Claude selected, no API key: set it in Settings.")


def test_offline_question_never_runs_a_tier3_tool():
    agent, books = offline_agent(caller=MANAGER_CALLER)
    result = agent.run((), "reconcile payment to invoice")
    assert books.writes == [] and result.executions == () and result.proposals == ()
    assert "reconcile_payment_to_invoice" in result.text


def test_offline_question_without_a_fit_says_so_briefly():
    agent, _books = offline_agent()
    result = agent.run((), "bonjour")
    assert result.executions == () and "No tool I know fits" in result.text


def test_offline_provider_ignores_choices_outside_its_tools():
    provider = OfflineProvider().with_router(lambda text: route(text, catalog(), MANAGER, today=TODAY))
    reply = provider.complete(ModelRequest("", (Message.user("What is my AR aging?"),), ()))
    assert reply.message.tool_calls == ()


def test_registry_of_the_fake_books_is_routable():
    assert best_fake("unreconciled bank lines") == "get_unreconciled_bank_lines"


def best_fake(question):
    choices = route(question, tuple(REGISTRY), STAFF_CALLER, today=TODAY)
    return choices[0].name if choices else None
