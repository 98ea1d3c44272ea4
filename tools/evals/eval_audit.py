"""Evaluation of the audit's duplicate checks (``fusion_accounting/services/duplicates.py``).

Each seed builds four companies, each a year of vendor bills and journal entries in its own
style of references:

* **numbered**: every vendor writes its own invoice numbers (``INV-1234``, ``ACME/2025/1234``...);
* **messy**: the same, typed by hand (``inv 1234``, ``#01234``, missing now and then);
* **sparse**: most bills are entered without the vendor's reference;
* **account_number**: some vendors' bills carry the customer account number, the same on every bill.

Every company holds the books' ordinary look-alikes, which must not be flagged: a cleaning
service of a fixed amount every week and a bi-weekly one (each bill its own number), monthly
rent of one amount, two deliveries of one amount in one week, a bill and its credit note, a
cancelled copy, a bill of another vendor and one of another company with the same number
and amount, drafts of entries, equal pay and card payment entries on one day each settling
its own document, monthly depreciation of one amount.  The sparse companies also hold two
deliveries of one amount in one week with no reference on either: nothing tells them from a
copy but the days between them, so the checks' window for such bills is measured there.

Planted in each company (must be found): bills entered twice, the same day, days later, a
month later (at receipt, then at the statement), with the reference typed differently, with
the bill date mistyped, or without the reference on the same day or a few days later; and
entries posted twice.

A planted copy is found when a group holds it and its original, or holds it after another
document.  Every other member of a group beyond its first is spurious.  The last line of
stdout is one JSON object: precision and recall per check, recall per planted kind, spurious
per style, per seed.

Usage: ``python tools/evals/eval_audit.py --seeds 20``
"""

import argparse
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # pure_addons, also when loaded by a test
import pure_addons


def _load_pure():
    """Import the pure service without running the addon's ``__init__`` (which needs Odoo)."""
    pure_addons.register("fusion_accounting")
    from fusion_accounting.services import duplicates

    return duplicates


dup = _load_pure()

STYLES = ("numbered", "messy", "sparse", "account_number")
BILL_KINDS = (
    "same_day",
    "days_later",
    "month_later",
    "ref_variant",
    "date_mistyped",
    "no_ref_same_date",
    "no_ref_days_later",
)
ENTRY_KINDS = ("posted_twice", "posted_twice_settled")
CHECKS = ("duplicate_bill", "duplicate_entry")
YEAR = 2025
WORDS = "acme nova prime delta orbit cedar maple north summit vista harbor granite".split()


@dataclass
class Bill:
    """A vendor bill or credit note as Odoo holds it."""

    id: int
    company_id: int
    vendor_id: int
    amount: int  # cents
    date: date
    ref: str = ""
    move_type: str = "in_invoice"
    state: str = "posted"


@dataclass
class Entry:
    """A miscellaneous journal entry; ``settles`` the documents its items are reconciled with."""

    id: int
    company_id: int
    journal_id: int
    partner_id: int | None
    amount: int
    date: date
    ref: str = ""
    state: str = "posted"
    settles: frozenset = field(default_factory=frozenset)


def _day(rng, month):
    return date(YEAR, month, rng.randrange(1, 29))


class Company:
    """One generated company: its bills and entries, the copies planted in them and its style."""

    def __init__(self, rng, seed, index, style, vendor_ids):
        self.rng, self.style = rng, style
        self.id = seed * 10 + index
        self.bills, self.entries, self.planted = [], [], []
        self._next = self.id * 100_000
        self.vendors = vendor_ids
        # One way of numbering per vendor: ``ACME-1234``, ``1234``, ``NOVA/2025/001234``...
        self.formats = {vendor: rng.randrange(4) for vendor in vendor_ids}
        self.numbers = {vendor: rng.randrange(1000, 90000) for vendor in vendor_ids}
        self.prefixes = {vendor: rng.choice(WORDS).upper()[: rng.choice((2, 3, 4))] for vendor in vendor_ids}
        self.accounts = {vendor: f"ACCT {rng.randrange(10000, 99999)}" for vendor in vendor_ids}
        self.standing = set(rng.sample(vendor_ids, 3)) if style == "account_number" else set()
        self.worded = set()  # bills whose reference is words and a month, not a number the vendor gave

    def next_id(self):
        self._next += 1
        return self._next

    # ------------------------------------------------------------------ references

    def number(self, vendor):
        self.numbers[vendor] += self.rng.randrange(1, 40)
        return self.numbers[vendor]

    def written(self, vendor, number):
        """The reference as the vendor prints it."""
        prefix = self.prefixes[vendor]
        return (
            f"{prefix}-{number}",
            f"{number}",
            f"{prefix}/{YEAR}/{number:06d}",
            f"INV{number}",
        )[self.formats[vendor]]

    def typed(self, vendor, number):
        """The reference as a bookkeeper types it by hand: case, separators, zeros and prefix vary."""
        prefix, fmt = self.prefixes[vendor], self.formats[vendor]
        if fmt == 2:
            return self.rng.choice(
                (f"{prefix.lower()} {YEAR}-{number}", f"{YEAR}/{number}", f"{prefix}{YEAR}{number:06d}")
            )
        return self.rng.choice(
            (f"{prefix.lower()} {number}", f"{number}", f"#0{number}", f"inv {number}", f"No. {number}")
        )

    def ref_for(self, vendor):
        """The reference entered on a new bill of ``vendor``, in the company's style."""
        if vendor in self.standing:
            return self.accounts[vendor]
        number = self.number(vendor)
        if self.style == "sparse" and self.rng.random() < 0.7:
            return ""
        if self.style == "messy":
            roll = self.rng.random()
            if roll < 0.15:
                return ""
            if roll < 0.6:
                return self.typed(vendor, number)
        return self.written(vendor, number)

    # ------------------------------------------------------------------ documents

    def bill(self, vendor, amount, day, ref=None, **values):
        bill = Bill(
            self.next_id(), self.id, vendor, amount, day, self.ref_for(vendor) if ref is None else ref, **values
        )
        self.bills.append(bill)
        return bill

    def entry(self, journal, partner, amount, day, ref="", **values):
        entry = Entry(self.next_id(), self.id, journal, partner, amount, day, ref, **values)
        self.entries.append(entry)
        return entry


def _ordinary_bills(company, rng):
    """A year of bills: recurring services, rent, deliveries, utilities and one-offs."""
    cleaner, gardener, landlord, supplier, utility, *others = company.vendors
    start = date(YEAR, 1, rng.randrange(1, 8))
    weekly = rng.choice((25000, 18000, 32000))
    for week in range(52):
        company.bill(cleaner, weekly, start + timedelta(days=7 * week))
    biweekly = rng.choice((48000, 61000))
    for fortnight in range(26):
        company.bill(gardener, biweekly, start + timedelta(days=14 * fortnight + 3))
    rent, rent_day = rng.choice((320000, 275000)), rng.choice((1, 1, 5))
    for month in range(1, 13):
        ref = company.ref_for(landlord)
        worded = company.style != "account_number" and ref and rng.random() < 0.5
        if worded:
            ref = f"Rent {date(YEAR, month, 1):%B} {YEAR}"
        bill = company.bill(landlord, rent, date(YEAR, month, rent_day), ref=ref)
        if worded:
            company.worded.add(bill.id)
        company.bill(utility, rng.randrange(9000, 40000), _day(rng, month))
    for month in range(1, 13):
        for _ in range(2):
            company.bill(supplier, rng.randrange(20000, 900000), _day(rng, month))
        for vendor in others:
            if rng.random() < 0.6:
                company.bill(vendor, rng.randrange(5000, 500000), _day(rng, month))
    # Two deliveries of one amount in one week, each its own invoice.
    day = _day(rng, rng.randrange(1, 12))
    amount = rng.randrange(20000, 300000)
    number = company.number(supplier)
    company.bill(supplier, amount, day, ref=company.written(supplier, number))
    company.bill(supplier, amount, day + timedelta(days=rng.randrange(1, 6)), ref=company.written(supplier, number + 1))
    if company.style == "sparse":
        amount = rng.randrange(20000, 300000)
        company.bill(supplier, amount, day, ref="")
        company.bill(supplier, amount, day + timedelta(days=rng.randrange(1, 7)), ref="")


def _bill_distractors(company, rng, neighbour):
    """Look-alikes of a copy that are not copies."""
    supplier, others = company.vendors[3], company.vendors[5:]
    original = rng.choice([b for b in company.bills if b.vendor_id == supplier and b.ref])
    # Its credit note: same vendor, amount and often the same reference.
    company.bill(
        supplier,
        original.amount,
        original.date + timedelta(days=rng.randrange(0, 20)),
        ref=rng.choice((original.ref, f"CN-{original.ref}")),
        move_type="in_refund",
    )
    # A copy cancelled when noticed.
    company.bill(supplier, original.amount, original.date, ref=original.ref, state="cancel")
    # Another vendor numbering its invoices the same way, for the same amount.
    company.bill(others[0], original.amount, original.date + timedelta(days=rng.randrange(0, 3)), ref=original.ref)
    # The same vendor billing another company of the group: same number, same amount.
    neighbour.bill(supplier, original.amount, original.date, ref=original.ref)


def _plant_bills(company, rng):
    """Bills entered twice: three kinds or more, each once."""
    candidates = [b for b in company.bills if b.state == "posted" and b.move_type == "in_invoice"]
    numbered = [b for b in candidates if b.ref and b.vendor_id not in company.standing]
    kinds, used = rng.sample(BILL_KINDS, rng.randrange(3, len(BILL_KINDS) + 1)), set()
    for kind in kinds:
        # One copy per original: a bill entered three times would be a kind of its own.
        pool = candidates if kind.startswith("no_ref") else numbered
        # A reference typed differently is a number typed differently.
        pool = [b for b in pool if b.id not in used and not (kind == "ref_variant" and b.id in company.worded)]
        original = rng.choice(pool)
        used.add(original.id)
        copy = replace(original, id=company.next_id(), state=rng.choice(("posted", "posted", "draft")))
        if kind == "days_later":
            copy.date += timedelta(days=rng.randrange(1, 8))
        elif kind == "month_later":
            copy.date += timedelta(days=rng.randrange(25, 45))
        elif kind == "ref_variant":
            number = int("".join(ch for ch in original.ref if ch.isdigit())[-5:])
            copy.ref = (
                company.typed(original.vendor_id, number)
                if company.formats[original.vendor_id] != 2
                else original.ref.lower().replace("/", " ")
            )
            copy.date += timedelta(days=rng.randrange(0, 30))
        elif kind == "date_mistyped":
            day = original.date
            swapped = date(day.year, day.day, day.month) if day.day <= 12 and day.day != day.month else None
            copy.date = swapped or rng.choice((day.replace(year=day.year - 1), day + timedelta(days=10)))
        elif kind == "no_ref_same_date":
            copy.ref = ""
        elif kind == "no_ref_days_later":  # the bill date typed from the statement, not the bill
            copy.ref, copy.date = "", copy.date + timedelta(days=rng.randrange(1, 4))
        company.bills.append(copy)
        company.planted.append(("duplicate_bill", kind, original.id, copy.id))


def _entries(company, rng):
    """Pay runs, card payments, depreciation; their look-alikes; and entries posted twice."""
    misc, payroll, cards = (company.id * 10 + n for n in (1, 2, 3))
    employees = [company.id * 1000 + n for n in range(rng.randrange(3, 7))]
    net = rng.randrange(150000, 400000)
    for month in range(1, 13):
        company.entry(
            misc, None, rng.choice((91700, 125000)), date(YEAR, month, 28), ref=f"Depreciation {month:02d}/{YEAR}"
        )
        for pay_day in (15, 28):
            day = date(YEAR, month, pay_day)
            ref = f"Payroll {day.isoformat()}"
            # Two employees on one salary, each paid from their own payslip, the entries without partner.
            for employee in employees:
                company.entry(
                    payroll,
                    employee,
                    net + rng.randrange(-5000, 5000),
                    day,
                    ref=ref,
                    settles=frozenset({employee + month * 100 + pay_day}),
                )
            for slip in range(2):
                company.entry(payroll, None, net, day, ref=ref, settles=frozenset({company.next_id() + slip}))
        # Walk-in card sales of one amount, each paying its own invoice, all in one batch deposit.
        day, batch = _day(rng, month), company.next_id()
        for _ in range(rng.randrange(2, 4)):
            company.entry(cards, 77, 34465, day, ref="Card payment", settles=frozenset({company.next_id(), batch}))
    accrual = company.entry(misc, None, rng.randrange(50000, 200000), _day(rng, 6), ref="Audit fee accrual")
    company.entry(misc, None, accrual.amount, accrual.date, ref=accrual.ref, state="draft")
    company.entry(cards + 1, None, accrual.amount, accrual.date, ref=accrual.ref)  # another journal
    for kind in rng.sample(ENTRY_KINDS, rng.randrange(1, 3)):
        if kind == "posted_twice":
            original = rng.choice([e for e in company.entries if e.journal_id == misc and e.state == "posted"])
        else:
            original = rng.choice([e for e in company.entries if e.journal_id == cards])
        copy = replace(original, id=company.next_id(), settles=frozenset())
        company.entries.append(copy)
        company.planted.append(("duplicate_entry", kind, original.id, copy.id))


def build(seed):
    """The four companies of one seed, one per style; vendors are shared, as partners are in Odoo."""
    rng = random.Random(seed)
    vendors = [seed * 1000 + n for n in range(1, 9)]
    companies = [
        Company(random.Random(f"{seed}-{style}"), seed, index, style, vendors) for index, style in enumerate(STYLES)
    ]
    for company in companies:
        _ordinary_bills(company, company.rng)
    for index, company in enumerate(companies):
        _bill_distractors(company, company.rng, companies[(index + 1) % len(companies)])
    for company in companies:
        _plant_bills(company, company.rng)
        _entries(company, company.rng)
        company.rng.shuffle(company.bills)
    rng.shuffle(companies)
    return companies


def run_checks(bills, entries, window_days=dup.DEFAULT_WINDOW_DAYS):
    """What the two adapters hand the pure service, and its groups: ``{check: [ids of a group]}``."""
    bill_docs = [
        dup.Document(b.id, b.company_id, b.vendor_id, b.amount, b.date, b.ref, b.move_type)
        for b in bills
        if b.state in dup.BILL_STATES
    ]
    entry_docs = [
        dup.Document(e.id, e.company_id, e.partner_id, e.amount, e.date, e.ref, e.journal_id, e.settles)
        for e in entries
        if e.state == "posted"
    ]
    return {
        "duplicate_bill": [g.ids for g in dup.bill_duplicates(bill_docs, window_days)],
        "duplicate_entry": [g.ids for g in dup.entry_duplicates(entry_docs)],
    }


def judge(groups, planted):
    """``(found planted [(check, kind, hit)], spurious count per check)``."""
    where = {}
    for check, check_groups in groups.items():
        for number, ids in enumerate(check_groups):
            where.update({(check, i): number for i in ids})
    found, explained = [], Counter()
    firsts = {(check, ids[0]) for check, check_groups in groups.items() for ids in check_groups}
    for check, kind, original, copy in planted:
        # A copy of one of several equal documents may be paired with another of them: still caught.
        grouped = (check, copy) in where and (check, copy) not in firsts
        hit = grouped or ((check, copy) in where and where[check, copy] == where.get((check, original)))
        found.append((check, kind, hit))
        explained[check, where.get((check, copy))] += hit
    spurious = Counter()
    for check, check_groups in groups.items():
        for number, ids in enumerate(check_groups):
            spurious[check] += len(ids) - 1 - explained[check, number]
    return found, spurious


def _example(company, check_groups):
    """The first group holding a document planted nowhere: its references and dates."""
    planted = {i for *_kind, original, copy in company.planted for i in (original, copy)}
    docs = {d.id: d for d in company.bills + company.entries}
    ids = next(ids for ids in check_groups if not set(ids) <= planted)
    return {"refs": [docs[i].ref for i in ids], "dates": [docs[i].date.isoformat() for i in ids]}


def _ratio(part, whole):
    return round(part / whole, 4) if whole else None


def evaluate(seeds):
    planted, hits, flagged, spurious_check, spurious_style = Counter(), Counter(), Counter(), Counter(), Counter()
    per_seed, misses, examples = [], [], []
    for seed in range(seeds):
        row = {"seed": seed}
        for company in build(seed):
            groups = run_checks(company.bills, company.entries)
            found, spurious = judge(groups, company.planted)
            for check, kind, hit in found:
                planted[check, kind] += 1
                hits[check, kind] += hit
                if not hit:
                    misses.append({"seed": seed, "style": company.style, "check": check, "kind": kind})
            for check in CHECKS:
                flagged[check] += sum(len(ids) - 1 for ids in groups[check])
                spurious_check[check] += spurious[check]
                spurious_style[company.style] += spurious[check]
                if spurious[check] and len(examples) < 10:
                    examples.append(
                        {"seed": seed, "style": company.style, "check": check, **_example(company, groups[check])}
                    )
            row[company.style] = {
                "planted": len(found),
                "found": sum(hit for *_rest, hit in found),
                "spurious": sum(spurious.values()),
            }
        per_seed.append(row)
    per_check = {
        check: {
            "planted": sum(n for (c, _k), n in planted.items() if c == check),
            "recall": _ratio(
                sum(n for (c, _k), n in hits.items() if c == check),
                sum(n for (c, _k), n in planted.items() if c == check),
            ),
            "flagged": flagged[check],
            "precision": _ratio(flagged[check] - spurious_check[check], flagged[check]),
        }
        for check in CHECKS
    }
    return {
        "companies": seeds * len(STYLES),
        "per_check": per_check,
        "recall_per_kind": {f"{c}:{k}": _ratio(hits[c, k], n) for (c, k), n in sorted(planted.items())},
        "planted_per_kind": {f"{c}:{k}": n for (c, k), n in sorted(planted.items())},
        "spurious_per_style": {style: spurious_style[style] for style in STYLES},
        "misses": misses[:20],
        "spurious_examples": examples,
        "per_seed": per_seed,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=20)
    print(json.dumps(evaluate(parser.parse_args().seeds), sort_keys=True))


if __name__ == "__main__":
    main()
