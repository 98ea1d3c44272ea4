"""Plan a year of books for an Ontario mobility-equipment dealer.

How to use::

    plan = build_plan("small", seed=42, today=date(2026, 11, 22))

The plan covers ``size.months`` whole months up to ``today``.  Everything is
drawn from one ``random.Random(seed)`` in a fixed order, so the same
arguments always give the same plan.  Payments happen on the day the
customer's behaviour says; what would happen after ``today`` does not exist
yet, so those documents stay open.  Bank lines of the last
``size.unreconciled_days`` days are left unreconciled.

>>> plan = build_plan("small", seed=7, today=date(2026, 3, 15))
>>> plan.start, plan.lock_date
(datetime.date(2025, 3, 1), datetime.date(2025, 11, 30))
>>> sorted({d.kind for d in plan.defects}) == sorted(DEFECT_KINDS)
True
"""

import random
from dataclasses import replace
from datetime import date, timedelta

from .card_batches import SUNDAY, batch_of, card_fee
from .chart import ACCOUNTS
from .close_plan import plan_close
from .model import (
    BEHAVIOURS,
    BankLine,
    Counterpart,
    Defect,
    DemoPlan,
    Entry,
    EntryLine,
    Invoice,
    InvoiceLine,
    OrderLine,
    Partner,
    PurchaseOrder,
)
from .names import NameMaker
from .payroll import biweekly_pay
from .sizes import Size, size_named

DEFECT_KINDS = (
    "duplicate_entry",
    "duplicate_bill",
    "wrong_direction_balance",
    "taxable_invoice_without_tax",
    "bill_without_itc",
    "entry_in_locked_period",
    "suspense_balance",
    "sequence_gap",
    "forgotten_draft",
)
# Planted only when the database has the Purchase app: the answer key lists them then.
PURCHASE_DEFECT_KIND = "bill_po_mismatch"
ORDER_QUANTITIES = (1, 2, 4, 5, 10)  # each divides a whole-dollar amount in cents exactly
COMPANY_NAME = "Maple Mobility Supply Inc."
PAYMENT_TERM_DAYS = 30
ADP_SHARE_PERCENT = 75  # ADP pays 75 % of the approved price; the client pays the rest.
PRODUCTS = (
    ("Rollator walker", 180, 420),
    ("Bath safety kit", 60, 250),
    ("Wheelchair cushion", 90, 380),
    ("Compression stockings", 40, 140),
    ("Lift chair", 900, 1_800),
    ("Repair service", 80, 400),
)
ADP_DEVICES = (("Manual wheelchair", 1_200, 3_200), ("Power wheelchair", 4_000, 9_000), ("Power scooter", 2_500, 4_500))
GOVERNMENT = {"gov_adp": "Ontario Ministry of Health - ADP", "gov_cra": "Canada Revenue Agency"}
AGENCIES = {"card_processor": "Elavon Canada", "bank": "RBC Royal Bank", "city": "City of Toronto"}


def _month_starts(first, last):
    day = first
    while day <= last:
        yield day
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _month_end(day):
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _months_back(day, months):
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _open_day(day):
    """The shop is closed on Sundays: a Sunday moves to Monday."""
    return day + timedelta(days=1) if day.weekday() == SUNDAY else day


class _Planner:
    def __init__(self, size: Size, seed: int, today: date):
        self.size, self.seed, self.today = size, seed, today
        self.rng = random.Random(seed)
        self.names = NameMaker(self.rng)
        self.start = _months_back(today, size.months - 1)
        self.lock_date = _month_end(_months_back(today, 4))
        self.partners, self.invoices, self.entries, self.bank_lines, self.defects = [], [], [], [], []
        self.facts = {"disputed_invoices": [], "adp_never_paid": [], "open_credit_notes": []}
        self.counters = {}
        self.card_sales = []  # (day, item key, amount)
        self.adp_items = []  # (day, item key, amount)
        self.invoice_count = {}  # customer key -> invoices planned so far
        self.cheque_number = 1000

    def key(self, prefix):
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}_{self.counters[prefix]:06d}"

    def day_in(self, month_start):
        last = min(_month_end(month_start), self.today)
        return _open_day(month_start + timedelta(days=self.rng.randrange((last - month_start).days + 1)))

    def next_cheque(self):
        self.cheque_number += 1
        return self.cheque_number

    # Partners ---------------------------------------------------------------

    def plan_partners(self):
        for key, name in {**GOVERNMENT, **AGENCIES}.items():
            self.partners.append(Partner(key, name, "agency"))
        self.partners.append(Partner("cus_counter", "Counter Sales (walk-in)", "customer", "on_time"))
        weights = (40, 25, 10, 8, 7, 10)
        for index in range(self.size.customers):
            # The first customers cover every behaviour, whatever the draw.
            behaviour = BEHAVIOURS[index] if index < len(BEHAVIOURS) else self.rng.choices(BEHAVIOURS, weights)[0]
            # The first customers are ordinary (non-ADP) businesses, so defects always find one.
            adp = index >= len(BEHAVIOURS) and behaviour != "disputed" and self.rng.random() < self.size.adp_share
            name = self.names.person() if adp else self.names.company("clinic")
            late = self.rng.randint(10, 60) if behaviour in ("late", "partial", "disputed") else 0
            self.partners.append(Partner(f"cus_{index + 1:06d}", name, "customer", behaviour, late, adp))
        for index in range(self.size.vendors):
            registered = index == 0 or self.rng.random() < 0.85
            role = self.rng.choice(("purchases", "purchases", "supplies", "utilities", "other_expenses"))
            self.partners.append(
                Partner(
                    f"ven_{index + 1:06d}",
                    self.names.company("vendor"),
                    "vendor",
                    hst_registered=registered,
                    expense_role=role,
                )
            )
        for index in range(self.size.employees):
            salary = self.rng.randrange(42_000, 86_000, 1_000) * 100
            self.partners.append(Partner(f"emp_{index + 1:06d}", self.names.person(), "employee", annual_salary=salary))

    def of_role(self, role):
        return [p for p in self.partners if p.role == role]

    # Customers --------------------------------------------------------------

    def invoice_lines(self, customer):
        if customer.adp:
            label, low, high = self.rng.choice(ADP_DEVICES)
            return (InvoiceLine(label, self.rng.randint(low, high) * 100, "zero_sale", "sales"),)
        lines = []
        for _ in range(self.rng.choice((1, 1, 2, 3))):
            label, low, high = self.rng.choice(PRODUCTS)
            account = "services" if label == "Repair service" else "sales"
            lines.append(InvoiceLine(label, self.rng.randint(low, high) * 100, "hst13_sale", account))
        return tuple(lines)

    def new_invoice(self, customer, day, lines, move_type="out_invoice"):
        invoice = Invoice(
            self.key("inv" if move_type == "out_invoice" else "crn"),
            move_type,
            customer.key,
            day,
            day + timedelta(days=PAYMENT_TERM_DAYS),
            "",
            lines,
        )
        self.invoices.append(invoice)
        return invoice

    def plan_customer_invoices(self):
        customers = [p for p in self.of_role("customer") if p.key != "cus_counter"]
        counter = next(p for p in self.partners if p.key == "cus_counter")
        for month in _month_starts(self.start, self.today):
            drafted = []
            for customer in customers:
                for _ in range(self._poisson(self.size.invoices_per_customer_month)):
                    drafted.append((self.day_in(month), customer, self.invoice_lines(customer)))
            day = month
            while day <= min(_month_end(month), self.today):
                if day.weekday() != SUNDAY:
                    for _ in range(self._poisson(self.size.counter_sales_per_day)):
                        label, low, high = self.rng.choice(PRODUCTS[:4])
                        line = InvoiceLine(label, self.rng.randint(low, high) * 100, "hst13_sale", "sales")
                        drafted.append((day, counter, (line,)))
                day += timedelta(days=1)
            drafted.sort(key=lambda d: (d[0], d[1].key))
            for day, customer, lines in drafted:
                invoice = self.new_invoice(customer, day, lines)
                self.plan_collection(customer, invoice)

    def _poisson(self, mean):
        whole = int(mean)
        return whole + (1 if self.rng.random() < mean - whole else 0)

    def plan_collection(self, customer, invoice):
        """Payments of one invoice as the customer's behaviour says."""
        rng, total = self.rng, invoice.total
        receivable = total
        if customer.adp:
            receivable = self.plan_adp_split(customer, invoice)
        paid_so_far = self.invoice_count[customer.key] = self.invoice_count.get(customer.key, -1) + 1
        behaviour = customer.behaviour
        if customer.key == "cus_counter":
            self.pay_by_card(customer, invoice, invoice.date, receivable)
        elif behaviour == "on_time":
            day = invoice.date + timedelta(days=rng.randint(3, PAYMENT_TERM_DAYS))
            if rng.random() < 0.35:
                self.pay_by_card(customer, invoice, _open_day(day), receivable)
            else:
                self.pay_by_bank(customer, ((invoice, receivable),), day)
        elif behaviour == "late":
            self.pay_by_bank(
                customer,
                ((invoice, receivable),),
                invoice.due_date + timedelta(days=max(1, customer.late_days + rng.randint(-7, 7))),
            )
        elif behaviour == "partial":
            first = receivable * rng.randint(40, 70) // 100
            self.pay_by_bank(customer, ((invoice, first),), invoice.due_date + timedelta(days=rng.randint(0, 20)))
            if rng.random() < 0.5:
                self.pay_by_bank(
                    customer, ((invoice, receivable - first),), invoice.due_date + timedelta(days=rng.randint(45, 90))
                )
        elif behaviour == "non_payer":
            if paid_so_far < 2:
                self.pay_by_bank(customer, ((invoice, receivable),), invoice.due_date + timedelta(days=60))
        elif behaviour == "disputed":
            if paid_so_far % 3 == 1:
                self.facts["disputed_invoices"].append(invoice.key)
            else:
                self.pay_by_bank(
                    customer,
                    ((invoice, receivable),),
                    invoice.due_date + timedelta(days=rng.randint(0, customer.late_days)),
                )
        elif behaviour == "with_credits":
            self.pay_by_bank(customer, ((invoice, receivable),), invoice.date + timedelta(days=rng.randint(5, 25)))
            if paid_so_far % 4 == 0:
                line = invoice.lines[0]
                credit = InvoiceLine(
                    f"Credit: {line.label}",
                    line.amount * rng.randint(10, 30) // 100 // 100 * 100 or 100,
                    line.tax_role,
                    line.account,
                )
                note = self.new_invoice(
                    customer, min(invoice.date + timedelta(days=7), self.today), (credit,), "out_refund"
                )
                self.facts["open_credit_notes"].append(note.key)
        else:  # pragma: no cover - BEHAVIOURS is closed
            raise AssertionError(behaviour)

    def plan_adp_split(self, customer, invoice):
        """Move ADP's share of the invoice to the ADP receivable; return the client's portion."""
        share = invoice.total * ADP_SHARE_PERCENT // 100
        item = self.key("adp")
        self.entries.append(
            Entry(
                self.key("adpsplit"),
                "misc",
                invoice.date,
                f"ADP portion {customer.name}",
                (
                    EntryLine("adp_receivable", share, "gov_adp", f"ADP portion of {customer.name}", item=item),
                    EntryLine("receivable", -share, customer.key, "ADP portion", settles=invoice.key),
                ),
                "adp_split",
            )
        )
        self.adp_items.append((invoice.date, item, share))
        return invoice.total - share

    def pay_by_bank(self, customer, allocations, day):
        if day > self.today:
            return
        amount = sum(a for _i, a in allocations)
        refs = " ".join("{%s}" % i.key for i, _a in allocations)
        if self.rng.random() < 0.25:  # the bank mangled or dropped the reference
            label = f"E-TFR {self.rng.randint(1000, 9999)} {customer.name.upper()[:14]}"
        else:
            label = self.rng.choice(("Payment {refs}", "E-TRANSFER {refs}", "DEPOSIT {refs}")).format(refs=refs)
        self.bank_lines.append(
            BankLine(
                self.key("bnk"),
                day,
                amount,
                label,
                "customer_payment",
                tuple(Counterpart(-a, item=i.key, partner=customer.key) for i, a in allocations),
                customer.key,
            )
        )

    def pay_by_card(self, customer, invoice, day, amount):
        if day > self.today:
            return
        item = self.key("card")
        self.entries.append(
            Entry(
                self.key("cardpay"),
                "card",
                day,
                f"Card payment {customer.name}",
                (
                    EntryLine("card_clearing", amount, "card_processor", f"Card {customer.name}", item=item),
                    EntryLine("receivable", -amount, customer.key, "Card payment", settles=invoice.key),
                ),
                "card_payment",
            )
        )
        self.card_sales.append((day, item, amount))

    def plan_card_batches(self):
        batches = {}
        for day, item, amount in self.card_sales:
            batches.setdefault(batch_of(day), []).append((item, amount))
        for (batch_day, deposit_day), sales in sorted(batches.items()):
            if deposit_day > self.today:
                continue
            gross = sum(a for _i, a in sales)
            fee = card_fee(gross)
            counterparts = (*(Counterpart(-a, item=i) for i, a in sales), Counterpart(fee, account="card_fees"))
            self.bank_lines.append(
                BankLine(
                    self.key("bnk"),
                    deposit_day,
                    gross - fee,
                    f"ELAVON MERCH DEP {batch_day:%m%d} BATCH {len(sales)}",
                    "card_batch",
                    counterparts,
                    "card_processor",
                )
            )

    def plan_adp_deposits(self):
        by_month = {}
        for day, item, amount in self.adp_items:
            by_month.setdefault(day.replace(day=1), []).append((item, amount))
        for month, items in sorted(by_month.items()):
            deposit_day = _open_day(_months_back(month, -2) + timedelta(days=19))
            paid = []
            for item, amount in items:
                if self.rng.random() < 0.1:
                    self.facts["adp_never_paid"].append(item)
                else:
                    paid.append((item, amount))
            if deposit_day > self.today or not paid:
                continue
            self.bank_lines.append(
                BankLine(
                    self.key("bnk"),
                    deposit_day,
                    sum(a for _i, a in paid),
                    f"ONT MIN HEALTH ADP PMT {month:%Y%m}",
                    "adp_deposit",
                    tuple(Counterpart(-a, item=i, partner="gov_adp") for i, a in paid),
                    "gov_adp",
                )
            )

    # Vendors ----------------------------------------------------------------

    def plan_bills(self):
        vendors = self.of_role("vendor")
        for month in _month_starts(self.start, self.today):
            drafted = []
            for vendor in vendors:
                for _ in range(self._poisson(self.size.bills_per_vendor_month)):
                    drafted.append((self.day_in(month), vendor))
            drafted.sort(key=lambda d: (d[0], d[1].key))
            for day, vendor in drafted:
                tax = "hst13_purchase" if vendor.hst_registered else None
                lines = tuple(
                    InvoiceLine(
                        f"{vendor.expense_role.replace('_', ' ').title()}",
                        self.rng.randint(50, 1_200) * 100,
                        tax,
                        vendor.expense_role,
                    )
                    for _ in range(self.rng.choice((1, 1, 2)))
                )
                bill = Invoice(
                    self.key("bill"),
                    "in_invoice",
                    vendor.key,
                    day,
                    day + timedelta(days=PAYMENT_TERM_DAYS),
                    f"{vendor.name.split()[0][:3].upper()}-{self.rng.randint(10_000, 99_999)}",
                    lines,
                )
                self.invoices.append(bill)
                self.pay_bill(vendor, bill, day + timedelta(days=self.rng.randint(20, 40)))

    def pay_bill(self, vendor, bill, day):
        if day > self.today:
            return
        if self.rng.random() < 0.5:
            label = f"CHQ {self.next_cheque()}"
        else:
            label = f"EFT {vendor.name.upper()[:18]} {bill.ref}"
        self.bank_lines.append(
            BankLine(
                self.key("bnk"),
                day,
                -bill.total,
                label,
                "vendor_payment",
                (Counterpart(bill.total, item=bill.key, partner=vendor.key),),
                vendor.key,
            )
        )

    # Payroll ----------------------------------------------------------------

    def plan_payroll(self):
        payday = self.start + timedelta(days=(4 - self.start.weekday()) % 7)  # first Friday
        to_date = {}
        remit = {}
        while payday <= self.today:
            for employee in self.of_role("employee"):
                cpp_ytd, ei_ytd = to_date.get((employee.key, payday.year), (0, 0))
                pay = biweekly_pay(employee.annual_salary, cpp_ytd, ei_ytd)
                to_date[(employee.key, payday.year)] = (cpp_ytd + pay.cpp, ei_ytd + pay.ei)
                item = self.key("net")
                self.entries.append(
                    Entry(
                        self.key("payrun"),
                        "payroll",
                        payday,
                        f"Payroll {payday} {employee.name}",
                        (
                            EntryLine("wages", pay.gross, employee.key, "Gross pay"),
                            EntryLine(
                                "employer_payroll", pay.employer_cpp + pay.employer_ei, employee.key, "Employer CPP/EI"
                            ),
                            EntryLine("cpp_payable", -(pay.cpp + pay.employer_cpp), employee.key, "CPP"),
                            EntryLine("ei_payable", -(pay.ei + pay.employer_ei), employee.key, "EI"),
                            EntryLine("tax_withheld", -pay.income_tax, employee.key, "Income tax"),
                            EntryLine("net_pay", -pay.net, employee.key, "Net pay", item=item),
                        ),
                        "payroll",
                    )
                )
                month = remit.setdefault(payday.replace(day=1), {"cpp_payable": 0, "ei_payable": 0, "tax_withheld": 0})
                month["cpp_payable"] += pay.cpp + pay.employer_cpp
                month["ei_payable"] += pay.ei + pay.employer_ei
                month["tax_withheld"] += pay.income_tax
                cheque_day = payday + timedelta(days=self.rng.randint(0, 3))
                if cheque_day <= self.today:
                    self.bank_lines.append(
                        BankLine(
                            self.key("bnk"),
                            cheque_day,
                            -pay.net,
                            f"CHQ {self.next_cheque()}",
                            "payroll_cheque",
                            (Counterpart(pay.net, item=item, partner=employee.key),),
                            employee.key,
                        )
                    )
            payday += timedelta(days=14)
        for month, amounts in sorted(remit.items()):
            day = _open_day(_months_back(month, -1) + timedelta(days=14))
            if day <= self.today:
                self.bank_lines.append(
                    BankLine(
                        self.key("bnk"),
                        day,
                        -sum(amounts.values()),
                        f"CRA PAYROLL REMIT RP0001 {month:%Y%m}",
                        "cra_remittance",
                        tuple(Counterpart(v, account=a) for a, v in amounts.items()),
                        "gov_cra",
                    )
                )

    # Bank -------------------------------------------------------------------

    def plan_bank_routine(self):
        opening = 15_000_000 * max(1, self.size.customers // 40)
        self.bank_lines.append(
            BankLine(
                self.key("bnk"),
                self.start,
                opening,
                "OPENING BALANCE",
                "opening",
                (Counterpart(-opening, account="opening_equity"),),
                "bank",
            )
        )
        for month in _month_starts(self.start, self.today):
            day = _month_end(month)
            if day <= self.today:
                fee = self.rng.randint(1_500, 4_500)
                self.bank_lines.append(
                    BankLine(
                        self.key("bnk"),
                        day,
                        -fee,
                        "MONTHLY ACCOUNT FEE",
                        "bank_fee",
                        (Counterpart(fee, account="bank_fees"),),
                        "bank",
                    )
                )

    # Defects ----------------------------------------------------------------

    def plant_defects(self):
        rng = self.rng
        payroll = [e for e in self.entries if e.kind == "payroll" and e.date > self.lock_date]
        original = payroll[len(payroll) // 2]
        twin_key = self.key("payrun")
        twin = replace(
            original,
            key=twin_key,
            lines=tuple(replace(line, item=self.key("net")) if line.item else line for line in original.lines),
        )
        self.entries.append(twin)
        self.defects.append(Defect("duplicate_entry", (original.key, twin_key)))

        bills = [b for b in self.invoices if b.move_type == "in_invoice" and b.date > self.lock_date]
        for bill in rng.sample(bills, min(self.size.duplicate_bills, len(bills))):
            twin = replace(bill, key=self.key("bill"), ref=bill.ref.replace("-", ""))
            self.invoices.append(twin)
            self.defects.append(Defect("duplicate_bill", (bill.key, twin.key)))

        refund_day = self.day_in(_months_back(self.today, 2))
        refund = BankLine(
            self.key("bnk"),
            refund_day,
            185_000,
            "REFUND CITY OF TORONTO LIC",
            "refund",
            (Counterpart(-185_000, account="licences"),),
            "city",
        )
        self.bank_lines.append(refund)
        self.defects.append(
            Defect(
                "wrong_direction_balance",
                (refund.key,),
                {"account_code": ACCOUNTS["licences"].code, "expected_direction": "debit", "balance": -185_000},
            )
        )

        regular = next(
            p for p in self.of_role("customer") if p.behaviour == "on_time" and not p.adp and p.key != "cus_counter"
        )
        day = self.day_in(_months_back(self.today, 1))
        no_tax = self.new_invoice(regular, day, (InvoiceLine("Lift chair", 1_450_00, None, "sales"),))
        self.defects.append(Defect("taxable_invoice_without_tax", (no_tax.key,)))

        vendor = next(p for p in self.of_role("vendor") if p.hst_registered)
        bill = Invoice(
            self.key("bill"),
            "in_invoice",
            vendor.key,
            day,
            day + timedelta(days=PAYMENT_TERM_DAYS),
            f"NOITC-{rng.randint(10_000, 99_999)}",
            (InvoiceLine("Supplies", 2_340_00, None, "supplies"),),
        )
        self.invoices.append(bill)
        self.defects.append(Defect("bill_without_itc", (bill.key,)))

        locked_day = self.lock_date - timedelta(days=10)
        late_entry = Entry(
            self.key("misc"),
            "misc",
            locked_day,
            "Inventory count adjustment",
            (
                EntryLine("supplies", 312_500, label="Inventory count adjustment"),
                EntryLine("purchases", -312_500, label="Inventory count adjustment"),
            ),
            "adjustment",
        )
        self.entries.append(late_entry)
        self.defects.append(
            Defect(
                "entry_in_locked_period",
                (late_entry.key,),
                {"created_on": min(self.today, self.lock_date + timedelta(days=25))},
            )
        )

        transfer = BankLine(
            self.key("bnk"),
            self.day_in(_months_back(self.today, 3)),
            -500_000,
            "TRANSFER TO SAVINGS 4471",
            "transfer",
            (Counterpart(500_000, account="clearing"),),
            "bank",
        )
        self.bank_lines.append(transfer)
        self.defects.append(
            Defect("suspense_balance", (transfer.key,), {"account_code": ACCOUNTS["clearing"].code, "balance": 500_000})
        )

        gap_year = self.start.year
        last_of_year = [i for i in self.invoices if i.move_type == "out_invoice" and i.date.year == gap_year]
        self.defects.append(Defect("sequence_gap", (max(last_of_year, key=lambda i: (i.date, i.key)).key,)))

        draft_day = self.day_in(_months_back(self.today, 3))
        draft = Invoice(
            self.key("bill"),
            "in_invoice",
            vendor.key,
            draft_day,
            draft_day + timedelta(days=PAYMENT_TERM_DAYS),
            f"DRAFT-{rng.randint(100, 999)}",
            (InvoiceLine("Supplies", 780_00, "hst13_purchase", "supplies"),),
            state="draft",
        )
        self.invoices.append(draft)
        self.defects.append(Defect("forgotten_draft", (draft.key,)))

    # Purchase orders -------------------------------------------------------

    def plan_purchase_orders(self):
        """Some stock-purchase bills bill a purchase order; two of them disagree with it.

        Drawn from a generator of their own, so that the rest of the plan, and
        thus the books of a database without Purchase, do not depend on them.
        """
        rng = random.Random(f"{self.seed}/purchase")
        vendors = {p.key for p in self.of_role("vendor") if p.expense_role == "purchases"}
        planted = {key for defect in self.defects for key in defect.keys}
        candidates = [
            b
            for b in self.invoices
            if b.move_type == "in_invoice" and b.state == "posted" and b.partner in vendors and b.key not in planted
        ]
        chosen = sorted(rng.sample(candidates, min(self.size.purchase_orders, len(candidates))), key=lambda b: b.key)
        mismatches = ("price", "quantity") if len(chosen) > 2 else ()
        position = {invoice.key: index for index, invoice in enumerate(self.invoices)}
        orders = []
        for index, bill in enumerate(chosen):
            mismatch = mismatches[index] if index < len(mismatches) else ""
            lines = [replace(line, quantity=rng.choice(ORDER_QUANTITIES)) for line in bill.lines]
            if mismatch == "quantity":  # billed more than was ordered and received
                lines[0] = replace(lines[0], quantity=5)
            self.invoices[position[bill.key]] = replace(bill, lines=tuple(lines))
            ordered = [OrderLine(line.quantity, line.price_unit) for line in lines]
            if mismatch == "price":  # billed above the agreed price
                ordered[0] = OrderLine(ordered[0].quantity, ordered[0].price_unit * 95 // 100)
            elif mismatch == "quantity":
                ordered[0] = OrderLine(ordered[0].quantity - 1, ordered[0].price_unit)
            day = max(self.start, bill.date - timedelta(days=rng.randint(5, 20)))
            orders.append(PurchaseOrder(self.key("po"), bill.key, bill.partner, day, tuple(ordered), mismatch))
        self.purchase_orders = orders

    def leave_recent_unreconciled(self):
        cutoff = self.today - timedelta(days=self.size.unreconciled_days)
        self.bank_lines = [
            replace(line, reconciled=False) if line.date > cutoff and line.kind not in ("refund", "transfer") else line
            for line in self.bank_lines
        ]

    def build(self):
        self.plan_partners()
        self.plan_customer_invoices()
        self.plan_card_batches()
        self.plan_adp_deposits()
        self.plan_bills()
        self.plan_payroll()
        self.plan_bank_routine()
        self.plant_defects()
        self.plan_purchase_orders()
        self.leave_recent_unreconciled()
        close_entries, close_gaps = plan_close(self.start, self.today, self.seed, lambda: self.key("close"))
        self.entries += close_entries
        self.invoices.sort(key=lambda i: (i.date, i.key))
        self.entries.sort(key=lambda e: (e.date, e.key))
        self.bank_lines.sort(key=lambda b: (b.date, b.key))
        return DemoPlan(
            self.size.name,
            self.seed,
            self.today,
            self.start,
            self.lock_date,
            COMPANY_NAME,
            tuple(self.partners),
            tuple(self.invoices),
            tuple(self.entries),
            tuple(self.bank_lines),
            tuple(self.defects),
            self.facts,
            tuple(self.purchase_orders),
            tuple(close_gaps),
        )


def build_plan(size, seed, today):
    """The :class:`DemoPlan` of ``size`` (a name or a :class:`Size`) for ``seed``, ending on ``today``."""
    return _Planner(size_named(size) if isinstance(size, str) else size, seed, today).build()
