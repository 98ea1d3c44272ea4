"""Evaluation of the month-end close review (``fusion_accounting/services/close_review.py``).

Each seed builds three companies, each a year of ordinary monthly bookkeeping with its own
chart (random codes and names): revenue, cost of sales, goods received, rent, payroll paid
on the 25th with a month-end accrual for the days after it (reversed on the 1st), two
recurring accruals reversed the next month (one billed, one paid from the bank), monthly
depreciation, prepaid insurance amortized monthly, utilities of varying amounts.

* **clean**: nothing else;
* **distractors**: a lease that legitimately ended (its last entry says so), a prepaid
  subscription fully used, a cleaning contract starting mid-year, a quarterly software
  bill, a one-off of the rent's amount, a rent raise, a monitoring contract that ended at the
  date its bills state ("to 30/06/2025", "until 2025-06-30", "ends June 2025"), a fees accrual
  missed in an earlier month whose bill was expensed the month after (a catch-up would count
  it twice);
* **planted**: the distractors and 4 to 6 closing errors in random months of the year, each
  of a different kind: a missing accrual (the service not billed since either), skipped
  depreciation, skipped amortization, a missing payroll cut-off accrual, an accrual never
  released, goods received never posted,
  a missing rent bill, a rent bill posted twice; and in most of these companies open receivables,
  payables or a bank account in US dollars not revalued at the period-end rate.

Every company but the clean ones also holds foreign-currency items that need no revaluation:
items in the company's own currency, euro items already revalued (Odoo's revaluation lines in
euros with no foreign amount), pound items booked at the period-end rate.

Styles vary per company: label formats (month names, numbers, none), synonyms, pay day,
accruals released by reversal or settled from the bank, depreciation on a contra account or
on the asset, goods received as a fixed order or as what was sold.

A planted error is found when an adjustment of its kind has its accounts and its amount
(within 1%) and names its month.  Every other adjustment is spurious.  The last line of
stdout is one JSON object: recall per kind, spurious adjustments per company style, per seed.

Usage: ``python tools/evals/eval_close.py --seeds 20``
"""

import argparse
import json
import random
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # pure_addons, also when loaded by a test
import pure_addons


def _load_pure():
    """Import the pure services without running the addons' ``__init__`` (which needs Odoo)."""
    pure_addons.register("fusion_accounting")
    from fusion_accounting.services import close_books, close_fx, close_review

    return close_books, close_fx, close_review


books_mod, fx_mod, review_mod = _load_pure()
Account, Books, Entry, Line = books_mod.Account, books_mod.Books, books_mod.Entry, books_mod.Line
month_end = books_mod.month_end

KINDS = (
    "missing_accrual",
    "missing_depreciation",
    "missing_amortization",
    "payroll_cutoff",
    "unreleased_accrual",
    "missing_receipt",
    "missing_recurring",
    "duplicate_period",
)
FX_KIND = "fx_revaluation"
COMPANY_CURRENCY = "CAD"
FX_ROLES = {"fx_gain": "income_other", "fx_loss": "expense", "bank_usd": "asset_cash"}
GENERAL, PURCHASE, SALE, BANK = 1, 2, 3, 4
JOURNAL_TYPES = {GENERAL: "general", PURCHASE: "purchase", SALE: "sale", BANK: "bank"}
ROLES = {
    "bank": "asset_cash",
    "receivable": "asset_receivable",
    "inventory": "asset_current",
    "prepaid": "asset_prepayments",
    "prepaid_software": "asset_prepayments",
    "equipment": "asset_fixed",
    "accumulated": "asset_fixed",
    "payable": "liability_payable",
    "accrued": "liability_current",
    "accrued_payroll": "liability_current",
    "revenue": "income",
    "cogs": "expense_direct_cost",
    "rent": "expense",
    "wages": "expense",
    "fees": "expense",
    "interest": "expense",
    "utilities": "expense",
    "insurance": "expense",
    "software": "expense",
    "cleaning": "expense",
    "lease": "expense",
    "depreciation": "expense_depreciation",
}
SYNONYMS = {
    "rent": ("Rent", "Office lease", "Premises"),
    "depreciation": ("Depreciation", "Amortization of equipment", "Dep."),
    "insurance": ("Insurance amortization", "Prepaid insurance expensed", "Insurance"),
    "interest": ("Loan interest", "Interest charge", "Bank interest"),
}
WORDS = "alpha nova prime delta orbit cedar maple north summit vista harbor granite".split()


def cents(rng, low, high):
    return rng.randrange(low, high) * 100


class Company:
    """One generated company: its chart, its entries and the errors planted in them."""

    def __init__(self, rng, style):
        self.rng, self.style = rng, style
        self.year = rng.choice((2024, 2025, 2026))
        self.close_month = rng.choice((12, 12, 11, 9, 8))
        codes = rng.sample(range(1000, 99999), len(ROLES))
        self.accounts = {
            role: Account(index + 10, str(codes[index]), account_type)
            for index, (role, account_type) in enumerate(ROLES.items())
        }
        self.names = {role: f"{rng.choice(WORDS)} {rng.randrange(100)}" for role in ROLES}
        self.entries, self.planted, self._next_id = [], [], 1000
        self.style_label = rng.randrange(4)
        self.pay_day = rng.choice((25, 25, 20, 22, 26))
        self.settles = rng.random() < 0.5
        self.restocks_sold = rng.random() < 0.5
        self.depreciated = rng.choice(("accumulated", "equipment"))
        self.synonyms = {role: rng.choice(words) for role, words in SYNONYMS.items()}
        self.partners = {name: 200 + i for i, name in enumerate(("landlord", "supplier", "utility", "firm", "soft"))}
        self.fx = None  # the open foreign-currency items at the period end (close_fx.FxBooks)

    def name(self, role):
        return self.synonyms[role]

    def when(self, month):
        """The date part of a label, in this company's style (or none)."""
        styles = (f"{_month_name(month)} {self.year}", f"{month:02d}/{self.year}", f"{self.year}{month:02d}", "")
        return styles[self.style_label]

    def acc(self, role):
        return self.accounts[role].id

    def day(self, month, day):
        return date(self.year + (month - 1) // 12, (month - 1) % 12 + 1, day)

    def post(self, journal, day, ref, lines, partner=None, tag=None):  # noqa: PLR0917 (an entry's fields)
        self._next_id += 1
        entry = Entry(
            self._next_id,
            day,
            journal,
            JOURNAL_TYPES[journal],
            ref,
            tuple(
                Line(self.acc(role), amount, partner if role in ("payable",) else None, ref) for role, amount in lines
            ),
        )
        self.entries.append((tag, entry))
        return entry


def month_end_of(company, month):
    return month_end(company.year * 12 + month - 1)


def _month_name(month):
    return date(2000, month, 1).strftime("%b")


def build(rng, style, extra_rng=None):
    """A company of ``style`` (clean, distractors, planted) with its planted errors.

    ``extra_rng`` draws what later versions added (foreign-currency items, a contract ended at its
    stated date, an accrual missed but billed): their own stream, so the rest of the books stays as it was.
    """
    c = Company(rng, style)
    months = range(1, c.close_month + 1)
    rent, wages = cents(rng, 2000, 6000), cents(rng, 15000, 40000)
    fees, interest = cents(rng, 1500, 3000), cents(rng, 300, 900)
    depreciation, insurance = cents(rng, 400, 1500), cents(rng, 200, 700)
    receipts = cents(rng, 20000, 30000)
    raise_month = rng.randrange(4, 10) if style != "clean" else None
    opening = {
        c.acc("inventory"): receipts * 3,
        c.acc("equipment"): depreciation * 60,
        c.acc("accumulated"): -depreciation * 20,
        c.acc("bank"): 500000_00,
    }
    c.post(
        PURCHASE, c.day(1, 2), f"Insurance policy {c.year}", [("prepaid", insurance * 12), ("payable", -insurance * 12)]
    )
    for m in months:
        label = c.when(m)
        end = month_end_of(c, m)
        for n in range(rng.randrange(2, 5)):
            sale = cents(rng, 8000, 20000)
            c.post(SALE, c.day(m, 3 + 7 * n), f"INV/{c.year}/{m:02d}{n}", [("receivable", sale), ("revenue", -sale)])
        cogs = receipts * rng.randrange(85, 110) // 100
        c.post(GENERAL, end, f"Cost of sales {label}", [("cogs", cogs), ("inventory", -cogs)])
        received = cogs if c.restocks_sold else receipts  # what was sold is bought again, or a fixed order
        c.post(
            PURCHASE,
            c.day(m, 6),
            f"Goods received {label}",
            [("inventory", received), ("payable", -received)],
            c.partners["supplier"],
            tag=("missing_receipt", m),
        )
        month_rent = rent + (rent // 10 if raise_month and m >= raise_month else 0)
        c.post(
            PURCHASE,
            c.day(m, 1),
            f"{c.name('rent')} {label}",
            [("rent", month_rent), ("payable", -month_rent)],
            c.partners["landlord"],
            tag=("missing_recurring", m),
        )
        c.post(BANK, c.day(m, c.pay_day), f"Payroll {c.year}-{m:02d}-{c.pay_day}", [("wages", wages), ("bank", -wages)])
        cutoff = round(wages * (end.day - c.pay_day) / end.day)
        c.post(
            GENERAL,
            end,
            f"Payroll accrual {label}",
            [("wages", cutoff), ("accrued_payroll", -cutoff)],
            tag=("payroll_cutoff", m),
        )
        c.post(
            GENERAL,
            c.day(m + 1, 1),
            f"Reversal of payroll accrual {label}",
            [("accrued_payroll", cutoff), ("wages", -cutoff)],
            tag=("payroll_cutoff_release", m),
        )
        c.post(
            GENERAL,
            end,
            f"Accrued professional fees {label}",
            [("fees", fees), ("accrued", -fees)],
            tag=("missing_accrual", m),
        )
        c.post(
            GENERAL,
            c.day(m + 1, 1),
            f"Reversal accrued fees {label}",
            [("accrued", fees), ("fees", -fees)],
            tag=("missing_accrual_release", m),
        )
        if m > 1:
            c.post(
                PURCHASE,
                c.day(m, 10),
                f"Fees invoice {label}",
                [("fees", fees), ("payable", -fees)],
                c.partners["firm"],
                tag=("fees_bill", m),
            )
        c.post(GENERAL, end, f"Accrued interest {label}", [("interest", interest), ("accrued", -interest)])
        if c.settles:  # the bank's charge is booked against the accrual
            release = [("accrued", interest), ("bank", -interest)]
            c.post(BANK, c.day(m + 1, 5), f"{c.name('interest')} {label}", release, tag=("unreleased_accrual", m))
        else:
            release = [("accrued", interest), ("interest", -interest)]
            c.post(
                GENERAL, c.day(m + 1, 2), f"Release accrued interest {label}", release, tag=("unreleased_accrual", m)
            )
        c.post(
            GENERAL,
            end,
            f"{c.name('depreciation')} {label}",
            [("depreciation", depreciation), (c.depreciated, -depreciation)],
            tag=("missing_depreciation", m),
        )
        c.post(
            GENERAL,
            end,
            f"{c.name('insurance')} {label}",
            [("insurance", insurance), ("prepaid", -insurance)],
            tag=("missing_amortization", m),
        )
        utility = cents(rng, 300, 900)
        c.post(
            PURCHASE,
            c.day(m, 15),
            f"Hydro {label}",
            [("utilities", utility), ("payable", -utility)],
            c.partners["utility"],
        )
    if style != "clean":
        _distractors(c, rng, rent)
    entries = [entry for tag, entry in c.entries if tag is None or not tag[0].endswith("_release")]
    releases = [(tag, entry) for tag, entry in c.entries if tag and tag[0].endswith("_release")]
    if style == "planted":
        entries, releases = _plant(c, rng, entries, releases, {"raise_month": raise_month})
    entries = _with_extras(c, extra_rng or random.Random(f"extra-{style}"), entries, releases)
    period_end = month_end_of(c, c.close_month)
    kept = tuple(e for e in entries if e.date <= period_end)
    accounts = {a.id: a for a in c.accounts.values()}
    return c, Books(accounts, kept, opening), period_end


def _booked(rng, rate, count, shift):
    """``count`` open items ``(foreign amount, company cents)`` booked at ``rate x (1 + shift)``."""
    items = []
    for _ in range(count):
        foreign = rng.randrange(50_000, 2_000_000) / 100
        items.append((foreign, round(foreign * rate * (1 + shift) * 100)))
    return items


def _foreign_items(c, rng, period_end):
    """The company's open foreign-currency items at the period end (``close_fx.FxBooks``); plants one
    unrevalued currency in most planted companies."""
    codes = rng.sample(range(100000, 999999), len(FX_ROLES))
    first = max(a.id for a in c.accounts.values()) + 1
    for index, (role, account_type) in enumerate(FX_ROLES.items()):
        c.accounts[role] = Account(first + index, str(codes[index]), account_type)
    rates = {"USD": rng.uniform(1.2, 1.45), "EUR": rng.uniform(1.4, 1.6), "GBP": rng.uniform(1.6, 1.9)}
    items, ids = [], iter(range(5000, 6000))

    def item(role, currency, foreign, booked, account_currency=""):
        account = c.accounts[role]
        sign = -1 if account.account_type == "liability_payable" else 1
        items.append(
            fx_mod.FxItem(
                next(ids), account.id, account.account_type, currency, sign * foreign, sign * booked, account_currency
            )
        )

    for foreign, _booked_cents in _booked(rng, 1.0, rng.randrange(1, 4), 0.0):
        item("receivable", COMPANY_CURRENCY, foreign, round(foreign * 100))  # the company's own currency
    if c.style != "clean":
        for role in ("receivable", "payable"):
            for foreign, booked in _booked(rng, rates["GBP"], rng.randrange(1, 4), 0.0):
                item(role, "GBP", foreign, booked)  # booked at the period-end rate: nothing to revalue
            revalued = _booked(rng, rates["EUR"], rng.randrange(1, 4), rng.uniform(-0.05, 0.05))
            for foreign, booked in revalued:
                item(role, "EUR", foreign, booked)
            difference = round(sum(f for f, _b in revalued) * rates["EUR"] * 100) - sum(b for _f, b in revalued)
            item(role, "EUR", 0.0, difference)  # the revaluation already posted for the period
    if c.style == "planted" and rng.random() < 0.75:
        role = rng.choice(("receivable", "payable", "bank_usd"))
        shift = rng.choice((-1, 1)) * rng.uniform(0.01, 0.06)
        planted = _booked(rng, rates["USD"], rng.randrange(1, 6) if role != "bank_usd" else 1, shift)
        for foreign, booked in planted:
            item(role, "USD", foreign, booked, "USD" if role == "bank_usd" else "")
        sign = -1 if role == "payable" else 1
        total = sign * (round(sum(f for f, _b in planted) * rates["USD"] * 100) - sum(b for _f, b in planted))
        account, gain, loss = (c.acc(r) for r in (role, "fx_gain", "fx_loss"))
        debit, credit = (account, gain) if total > 0 else (loss, account)
        c.planted.append(
            {
                "kind": FX_KIND,
                "month": period_end.isoformat()[:7],
                "debit": debit,
                "credit": credit,
                "amount": abs(total),
            }
        )
    return fx_mod.FxBooks(COMPANY_CURRENCY, rates, tuple(items), c.acc("fx_gain"), c.acc("fx_loss"))


def _distractors(c, rng, rent):
    lease_end = rng.randrange(4, c.close_month - 2)
    lease = cents(rng, 500, 1500)
    for m in range(1, lease_end + 1):
        ref = f"Equipment lease {m}/{lease_end}" + (" final payment" if m == lease_end else "")
        c.post(PURCHASE, c.day(m, 12), ref, [("lease", lease), ("payable", -lease)], c.partners["soft"])
    used_by = rng.randrange(3, c.close_month - 1)
    monthly = cents(rng, 100, 400)
    c.post(
        PURCHASE,
        c.day(1, 3),
        "Annual subscription",
        [("prepaid_software", monthly * used_by), ("payable", -monthly * used_by)],
    )
    for m in range(1, used_by + 1):
        c.post(
            GENERAL,
            month_end_of(c, m),
            f"Subscription amortization {_month_name(m)}",
            [("software", monthly), ("prepaid_software", -monthly)],
        )
    for m in range(rng.randrange(4, 8), c.close_month + 1):
        c.post(PURCHASE, c.day(m, 20), f"Cleaning {_month_name(m)}", [("cleaning", 45000), ("payable", -45000)])
    for m in (3, 6, 9, 12):
        if m <= c.close_month:
            c.post(PURCHASE, c.day(m, 18), f"Software Q{m // 3}", [("software", 120000), ("payable", -120000)])
    m = rng.randrange(2, c.close_month + 1)
    c.post(PURCHASE, c.day(m, 21), "Storage deposit", [("rent", rent), ("payable", -rent)], c.partners["landlord"])


def _with_extras(c, rng, entries, releases):
    """The entries with the releases and the later distractors; the foreign-currency items on ``c.fx``."""
    if c.style != "clean":
        entries, releases = _billed_late(c, rng, entries, releases)
        entries = entries + _stated_end(c, rng)
    c.fx = _foreign_items(c, rng, month_end_of(c, c.close_month))
    return entries + [entry for _tag, entry in releases]


def _billed_late(c, rng, entries, releases):
    """The fees accrual of a month missed (and so not reversed), its bill booked the next month all the same:
    the expense is in the books, a catch-up would count it twice."""
    planted = [int(p["month"][5:]) for p in c.planted if p["kind"] == "missing_accrual"]
    months = [m for m in range(2, c.close_month - 1) if all(abs(m - p) > 3 for p in planted)]
    if not months:
        return entries, releases
    month = rng.choice(months)
    tagged = {id(e): tag for tag, e in c.entries}
    entries = [e for e in entries if tagged.get(id(e)) != ("missing_accrual", month)]
    return entries, [(tag, e) for tag, e in releases if tag != ("missing_accrual_release", month)]


def _stated_end(c, rng):
    """A monitoring contract billed monthly until the end its bills state, a month or two before the close."""
    last = c.close_month - rng.choice((1, 2))
    end = month_end_of(c, last)
    stated = rng.choice((f"contract to {end:%d/%m/%Y}", f"until {end.isoformat()}", f"ends {end:%B %Y}"))
    amount = cents(rng, 200, 900)
    entries = []
    for m in range(1, last + 1):
        ref = f"Alarm monitoring {_month_name(m)}, {stated}"
        entries.append(c.post(PURCHASE, c.day(m, 8), ref, [("cleaning", amount), ("payable", -amount)]))
    return entries


def _plant(c, rng, entries, releases, amounts):
    """Remove or copy entries for 4 to 6 errors of different kinds; record what the close should propose."""
    close = c.close_month
    kinds = rng.sample(KINDS, rng.randrange(4, 7))
    rent_months = set()
    for kind in kinds:
        if kind == "unreleased_accrual":
            month = rng.randrange(1, close - 1)
        else:
            month = rng.randrange(2, close + 1)
        if kind in ("missing_recurring", "duplicate_period"):
            # A rent missing next to its raise has no one right amount: plant it away from the raise,
            # and the two rent errors in different months.
            raised = amounts["raise_month"] or 99
            month = rng.choice([m for m in range(2, close + 1) if abs(m - raised) > 1 and m not in rent_months])
            rent_months.add(month)
        tagged = {id(e): tag for tag, e in c.entries}
        target = next(
            e
            for e in entries
            if tagged.get(id(e)) == (kind if kind != "duplicate_period" else "missing_recurring", month)
        )
        expected = _expected(c, kind, target)
        if kind == "duplicate_period":
            c._next_id += 1
            entries.append(
                Entry(
                    c._next_id,
                    target.date + timedelta(days=3),
                    target.journal_id,
                    target.journal_type,
                    target.ref,
                    target.lines,
                )
            )
        else:
            entries.remove(target)
            if kind == "missing_accrual":
                # Nor was the service billed since: missed and never expensed (a bill booked later is a
                # distractor, see _billed_late).
                entries = [e for e in entries if tagged.get(id(e)) != ("fees_bill", month + 1)]
            if kind == "unreleased_accrual" and c.settles:
                # The charge is paid all the same, booked to the expense: counted twice.
                c._next_id += 1
                paid = (Line(c.acc("interest"), target.amount), Line(c.acc("bank"), -target.amount))
                entries.append(Entry(c._next_id, target.date, BANK, "bank", target.ref, paid))
            releases = [(tag, e) for tag, e in releases if tag != (f"{kind}_release", month)]
        c.planted.append({"kind": kind, "month": f"{c.year}-{month:02d}", **expected})
    return entries, releases


def _expected(c, kind, target):
    debits, credits = target.debits(), target.credits()
    debit, credit = next(iter(debits)), next(iter(credits))
    if kind in ("missing_recurring", "missing_receipt"):
        credit = c.acc("accrued")
    if kind == "unreleased_accrual":
        credit = c.acc("interest")  # the release takes the expense back, whoever paid
    if kind == "unreleased_accrual":
        credit = c.acc("interest")  # the release takes the expense back, whoever paid
    if kind == "duplicate_period":
        debit, credit = credit, debit
    return {"debit": debit, "credit": credit, "amount": target.amount}


def _month_of(finding):
    evidence = finding.evidence
    if "period" in evidence:
        return evidence["period"][:7]
    if "date" in evidence:
        return evidence["date"][:7]
    return None


def _matches(finding, planted):
    debit = {line.account_id for line in finding.lines if line.debit}
    credit = {line.account_id for line in finding.lines if line.credit}
    return (
        finding.kind == planted["kind"]
        and planted["debit"] in debit
        and planted["credit"] in credit
        and abs(finding.amount - planted["amount"]) <= max(1, planted["amount"] // 100)
        and _month_of(finding) in (None, planted["month"])
    )


def judge(company, findings):
    adjustments = [f for f in findings if f.lines]
    assert all(books_mod.balanced(f.lines) for f in adjustments), "an adjustment does not balance"
    found, used = [], set()
    for planted in company.planted:
        hit = next((f for f in adjustments if f.key not in used and _matches(f, planted)), None)
        if hit:
            used.add(hit.key)
        found.append((planted["kind"], hit is not None))
    spurious = [f for f in adjustments if f.key not in used]
    return found, spurious


def evaluate(seeds):
    recall, spurious, per_seed, misses, examples = Counter(), Counter(), [], [], []
    planted_total = Counter()
    for seed in range(seeds):
        rng = random.Random(seed)
        row = {"seed": seed}
        for style in ("clean", "distractors", "planted"):
            company, books, period_end = build(rng, style, random.Random(f"{seed}-{style}-extra"))
            findings = review_mod.review_close(books, period_end.replace(day=1), period_end, fx=company.fx)
            found, wrong = judge(company, findings)
            for kind, hit in found:
                planted_total[kind] += 1
                recall[kind] += hit
                if not hit:
                    misses.append({"seed": seed, "kind": kind})
            spurious[style] += len(wrong)
            examples += [{"seed": seed, "style": style, "kind": f.kind, "memo": f.memo} for f in wrong[:2]]
            row[style] = {"planted": len(found), "found": sum(h for _k, h in found), "spurious": len(wrong)}
        per_seed.append(row)
    total = sum(planted_total.values())
    return {
        "companies": seeds * 3,
        "recall": round(sum(recall.values()) / total, 4) if total else None,
        "recall_per_kind": {k: round(recall[k] / planted_total[k], 4) for k in sorted(planted_total)},
        "planted_per_kind": dict(sorted(planted_total.items())),
        "spurious": dict(spurious),
        "spurious_per_10_companies_with_distractors": round(
            10 * (spurious["distractors"] + spurious["planted"]) / (2 * seeds), 3
        )
        if seeds
        else None,
        "misses": misses[:20],
        "spurious_examples": examples[:10],
        "per_seed": per_seed,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=20)
    print(json.dumps(evaluate(parser.parse_args().seeds), sort_keys=True))


if __name__ == "__main__":
    main()
