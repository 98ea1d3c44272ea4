"""answer_financial_question only ever runs a whitelisted, read-only grouped query."""

import pytest

from fusion_accounting.services.question_query import (
    MAX_LIMIT,
    QueryFilter,
    QueryRefusedError,
    QuestionRequest,
    build_query,
    filter_from_text,
)


def test_a_sales_by_month_question_becomes_a_read_group():
    spec = build_query(
        QuestionRequest(
            model="account.move",
            measures=("amount_total_signed:sum", "__count"),
            group_by=("invoice_date:month", "partner_id"),
            filters=(
                QueryFilter("move_type", "in", ["out_invoice", "out_refund"]),
                QueryFilter("state", "=", "posted"),
            ),
            date_from="2026-01-01",
            order="amount_total_signed:sum desc",
            limit=12,
        )
    )
    assert spec.model == "account.move"
    assert spec.domain == (
        ("move_type", "in", ("out_invoice", "out_refund")),
        ("state", "=", "posted"),
        ("date", ">=", "2026-01-01"),
    )
    assert spec.groupby == ("invoice_date:month", "partner_id")
    assert spec.aggregates == ("amount_total_signed:sum", "__count")
    assert (spec.order, spec.limit) == ("amount_total_signed:sum desc", 12)


def test_a_date_group_by_defaults_to_months():
    assert build_query(QuestionRequest("account.move.line", group_by=("date",))).groupby == ("date:month",)


HOSTILE = [
    ("other model", QuestionRequest("res.users")),
    ("system table", QuestionRequest("ir.config_parameter")),
    ("sql as model", QuestionRequest("account_move; DROP TABLE account_move")),
    ("secret field", QuestionRequest("account.move.line", measures=("password:sum",))),
    ("dotted path", QuestionRequest("account.move.line", group_by=("partner_id.user_ids",))),
    ("dotted filter", QuestionRequest("account.move.line", filters=(QueryFilter("partner_id.email", "=", "x"),))),
    ("sql in field", QuestionRequest("account.move.line", measures=("balance) FROM res_users --:sum",))),
    ("raw aggregate", QuestionRequest("account.move.line", measures=("balance:array_agg",))),
    ("bare field measure", QuestionRequest("account.move.line", measures=("balance",))),
    ("no measure", QuestionRequest("account.move.line", measures=())),
    ("sum of a relation", QuestionRequest("account.move.line", measures=("partner_id:sum",))),
    ("group by number", QuestionRequest("account.move.line", group_by=("balance",))),
    ("bad granularity", QuestionRequest("account.move.line", group_by=("date:second",))),
    ("granularity on relation", QuestionRequest("account.move.line", group_by=("partner_id:month",))),
    ("child_of", QuestionRequest("account.move.line", filters=(QueryFilter("account_id", "child_of", 1),))),
    ("=like", QuestionRequest("account.move.line", filters=(QueryFilter("name", "=like", "%"),))),
    ("ilike on id", QuestionRequest("account.move.line", filters=(QueryFilter("account_id", "ilike", "1"),))),
    ("dict value", QuestionRequest("account.move.line", filters=(QueryFilter("account_id", "=", {"id": 1}),))),
    ("bool as id", QuestionRequest("account.move.line", filters=(QueryFilter("account_id", "=", True),))),
    ("empty in", QuestionRequest("account.move.line", filters=(QueryFilter("account_id", "in", []),))),
    ("huge in", QuestionRequest("account.move.line", filters=(QueryFilter("account_id", "in", list(range(1, 500))),))),
    ("raw tuple filter", QuestionRequest("account.move.line", filters=(("id", "=", 1),))),
    ("bad date", QuestionRequest("account.move.line", date_from="2026-02-30")),
    ("date injection", QuestionRequest("account.move.line", date_to="2026-01-01' OR 1=1")),
    ("limit too big", QuestionRequest("account.move.line", limit=MAX_LIMIT + 1)),
    ("limit zero", QuestionRequest("account.move.line", limit=0)),
    ("order by other", QuestionRequest("account.move.line", order="id desc")),
    ("order injection", QuestionRequest("account.move.line", measures=("balance:sum",), order="balance:sum; DROP")),
    ("too many filters", QuestionRequest("account.move.line", filters=(QueryFilter("debit", ">", 0),) * 11)),
]


@pytest.mark.parametrize(("case", "request_"), HOSTILE, ids=[case for case, _ in HOSTILE])
def test_anything_outside_the_whitelist_is_refused(case, request_):
    with pytest.raises(QueryRefusedError):
        build_query(request_)


def test_a_refusal_tells_the_model_what_is_allowed():
    with pytest.raises(QueryRefusedError, match=r"allowed: .*balance"):
        build_query(QuestionRequest("account.move.line", measures=("secret:sum",)))


@pytest.mark.parametrize(
    ("field", "operator", "text"),
    [
        ("balance", ">", "ten"),
        ("balance", ">", "nan"),
        ("balance", ">", "inf"),
        ("account_id", "=", "1.5"),
        ("account_id", "in", "1, two"),
        ("reconciled", "=", "1"),
        ("password", "=", "x"),
        ("partner_id.name", "=", "x"),
    ],
)
def test_filter_text_that_does_not_fit_its_field_is_refused(field, operator, text):
    with pytest.raises(QueryRefusedError):
        filter_from_text("account.move.line", field, operator, text)


def test_filter_text_is_typed_by_the_field():
    assert filter_from_text("account.move.line", "reconciled", "=", "FALSE").value is False
    assert filter_from_text("account.move", "move_type", "in", "out_invoice, out_refund").value == [
        "out_invoice",
        "out_refund",
    ]
