"""The small pure rules of catalog I: aging, batches, tax accounts, journal review, reco models."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting.services.card_batches import batch_day, batches_by_day
from fusion_accounting.services.journal_rules import unlikely_product_account, wrong_direction
from fusion_accounting.services.money import to_cents
from fusion_accounting.services.reconcile_rules import (
    LineFacts,
    RuleError,
    RuleLineSpec,
    RuleSpec,
    rule_applies,
    write_offs,
)
from fusion_accounting.services.tax_accounts import TaxLine, resolve_tax_accounts

TODAY = date(2026, 3, 31)
days = st.integers(min_value=-400, max_value=400)


class TestCardBatches:
    def test_weekend_days_join_friday(self):
        friday = date(2026, 3, 6)
        assert [batch_day(friday + timedelta(days=n)) for n in range(4)] == [friday] * 3 + [date(2026, 3, 9)]

    @given(st.dictionaries(st.dates(date(2026, 1, 1), date(2026, 12, 31)), st.integers(0, 10**7), max_size=40))
    def test_batches_keep_every_cent(self, gross):
        batches = batches_by_day(gross, fee_bps=160)
        assert sum(b.gross for b in batches) == sum(gross.values())
        assert all(0 <= b.gross - b.expected_net <= b.gross for b in batches)


class TestTaxAccounts:
    LINES = [
        TaxLine(1, "sale", 21, ("Ca103",)),
        TaxLine(2, "purchase", 31, ("Ca106",)),
        TaxLine(3, "sale", 40, ("Pst",)),  # provincial sales tax: not GST/HST
    ]

    def test_tags_say_which_accounts_are_gst_hst(self):
        found = resolve_tax_accounts(self.LINES)
        assert (found.collected, found.itc, found.source) == ((21,), (31,), "tags")

    def test_without_tags_the_taxes_use_decides(self):
        found = resolve_tax_accounts([TaxLine(1, "sale", 21), TaxLine(2, "purchase", 31), TaxLine(3, "sale", None)])
        assert (found.collected, found.itc, found.source) == ((21,), (31,), "tax use")

    def test_settings_win(self):
        found = resolve_tax_accounts(self.LINES, collected_override=(7,), itc_override=(8,))
        assert (found.collected, found.itc, found.source) == ((7,), (8,), "settings")


class TestJournalRules:
    @pytest.mark.parametrize(
        ("account_type", "balance", "wrong"),
        [
            ("expense", -1, True),
            ("expense", 1, False),
            ("income", 1, True),
            ("liability_current", 1, True),
            ("asset_cash", -1, False),  # an overdraft is not a wrong direction
            ("asset_receivable", -1, False),  # nor a customer's credit
            ("equity", 1, False),
        ],
    )
    def test_wrong_direction(self, account_type, balance, wrong):
        assert wrong_direction(account_type, balance) is wrong

    @pytest.mark.parametrize(
        ("move_type", "account_type", "is_tax", "unlikely"),
        [
            ("out_invoice", "income", False, False),
            ("out_invoice", "liability_current", False, True),
            ("out_invoice", "income", True, True),
            ("in_invoice", "expense", False, False),
            ("in_invoice", "asset_fixed", False, False),
            ("in_invoice", "income", False, True),
            ("entry", "income", False, False),
        ],
    )
    def test_unlikely_product_account(self, move_type, account_type, is_tax, unlikely):
        assert unlikely_product_account(move_type, account_type, is_tax) is unlikely


class TestReconcileModels:
    FEE = RuleSpec(
        1,
        "Bank fee",
        match_label="contains",
        match_label_param="fee",
        match_amount="lower",
        match_amount_max=50.0,
        lines=(RuleLineSpec(9, "percentage", "100"),),
    )

    def test_applies_on_label_and_amount(self):
        assert rule_applies(self.FEE, LineFacts(3, -2500, "MONTHLY FEE", None))[0]
        assert not rule_applies(self.FEE, LineFacts(3, -9900, "MONTHLY FEE", None))[0]
        assert not rule_applies(self.FEE, LineFacts(3, -2500, "CHQ 12", None))[0]

    def test_write_offs_balance_the_line(self):
        rule = RuleSpec(2, "Split", lines=(RuleLineSpec(9, "percentage", "60"), RuleLineSpec(10, "percentage", "100")))
        booked = write_offs(rule, LineFacts(3, -10000, "x", None))
        assert [(w.account_id, w.amount) for w in booked] == [(9, 6000), (10, 4000)]

    def test_amount_from_the_label(self):
        rule = RuleSpec(3, "Regex", lines=(RuleLineSpec(9, "regex", r"BRT: ([\d,]+)"),))
        [booked] = write_offs(rule, LineFacts(3, -335807, "R:96 BRT: 3358,07 C:", None))
        assert booked.amount == 335807

    @pytest.mark.parametrize("pattern", ["(", "[a-", "(?P<x", "*"])
    def test_bad_regexes_are_errors_not_crashes(self, pattern):
        rule = RuleSpec(4, "Bad", match_label="match_regex", match_label_param=pattern)
        with pytest.raises(RuleError):
            rule_applies(rule, LineFacts(3, -100, "x", None))

    def test_no_amount_in_the_label_is_an_error(self):
        rule = RuleSpec(5, "Regex", lines=(RuleLineSpec(9, "regex", r"BRT: ([\d,]+)"),))
        with pytest.raises(RuleError):
            write_offs(rule, LineFacts(3, -100, "nothing here", None))


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_cents_are_exact_for_two_decimal_amounts(amount):
    assert to_cents(amount) == int(amount * 100)
