"""The answer key speaks of real records and its matches add up to the bank amounts."""

import json
from itertools import count

import pytest
from demo_plan_helpers import TODAY

from fusion_accounting_core.demo_company.answer_key import build_answer_key
from fusion_accounting_core.demo_company.chart import ACCOUNTS
from fusion_accounting_core.demo_company.model import Written
from fusion_accounting_core.demo_company.planner import DEFECT_KINDS, build_plan


def fake_written(plan):
    """Ids as a writer would hand them out, without a database."""
    ids = count(1)
    written = Written(company_id=1)
    written.partners = {p.key: next(ids) for p in plan.partners}
    for document in (*plan.invoices, *plan.entries, *plan.bank_lines):
        written.moves[document.key] = next(ids)
        written.move_names[document.key] = f"DOC/{document.key}"
    written.statement_lines = {b.key: next(ids) for b in plan.bank_lines}
    written.items = {key: next(ids) for key in plan.items()}
    written.accounts = {role: next(ids) for role in ACCOUNTS}
    return written


@pytest.fixture(scope="module")
def key():
    plan = build_plan("small", 42, TODAY)
    return build_answer_key(plan, fake_written(plan))


def test_the_key_is_json(key):
    assert json.loads(json.dumps(key)) == key


def test_each_open_bank_line_is_fully_explained(key):
    for line in key["unreconciled_statement_lines"]:
        settled = sum(m["amount"] for m in line["matches"]) * (1 if line["amount"] > 0 else -1)
        booked = -sum(w["balance"] for w in line["write_offs"])
        assert round(settled + booked, 2) == line["amount"], line["key"]


def test_card_batches_match_many_payments_plus_their_fee(key):
    batches = [line for line in key["unreconciled_statement_lines"] if line["kind"] == "card_batch"]
    assert batches
    for batch in batches:
        assert round(sum(m["amount"] for m in batch["matches"]) - batch["fee"], 2) == batch["amount"]


def test_every_defect_kind_is_listed_with_records(key):
    assert {d["kind"] for d in key["defects"]} == set(DEFECT_KINDS)
    assert all(d["records"] for d in key["defects"])


def test_labels_name_invoices_not_plan_keys(key):
    assert not any("{" in line["label"] for line in key["unreconciled_statement_lines"])
