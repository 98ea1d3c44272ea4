"""Domains 7 and 12, payroll verification and management (design 3.8, 3.13), phase 1: the QBO bridge.

Pay runs arrive as a pasted or uploaded QuickBooks Online payroll summary; the
pure parser reads them and the pure deduction service checks them against the
CRA tables.  Accounts and the payroll journal are settings (``fusion.account.roles``).
T4 and ROE need the ``fusion_payroll`` module (phase 2).
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from statistics import median

from odoo import Command, fields

from odoo.addons.fusion_accounting_core.tools.modules import module_installed

from ..models.fusion_account_roles import CRA_ROLES
from ..services import payroll_parser
from ..services.payroll_parser import EmployeePay, PayrollParseError, PayrollRun, amounts_of
from ..services.payroll_tables import UnsupportedTaxYearError
from ..services.source_deductions import PayInput, Paystub, check_paystub
from .common import ToolRefusal, browse_own, money, not_available, page, ref, register

VERIFICATION = "payroll_verification"
MANAGEMENT = "payroll_management"
PAYROLL_MODULE = "fusion_payroll"
# Cheques cashed up to this many days after the pay date still match it.
CHEQUE_WINDOW_DAYS = 30


def _accounts(env):
    return env["fusion.account.roles"]


def _jsonable(values):
    return {k: float(v) if isinstance(v, Decimal) else v for k, v in values.items()}


def _parse(text):
    try:
        return payroll_parser.parse_payroll_summary(text)
    except PayrollParseError as error:
        raise ToolRefusal(f"could not read the payroll summary: {error}") from None


def _checks(run, pays_per_year, pay_date):
    day = run.pay_date or pay_date
    if day is None:
        raise UnsupportedTaxYearError("the summary has no pay date: pass pay_date")
    return [
        check_paystub(
            Paystub(
                e.name,
                PayInput(e.gross, pays_per_year, day),
                cpp=e.cpp,
                ei=e.ei,
                income_tax=e.income_tax,
                cpp2=e.cpp2,
                employer_cpp=e.employer_cpp or None,
                employer_ei=e.employer_ei or None,
            )
        )
        for e in run.employees
    ]


def _check_json(check):
    return {
        "employee": check.employee,
        "ok": check.ok,
        "expected": {
            "cpp": float(check.expected.cpp),
            "cpp2": float(check.expected.cpp2),
            "ei": float(check.expected.ei),
            "income_tax": float(check.expected.income_tax),
            "employer_ei": float(check.expected.employer_ei),
        },
        "findings": [
            {
                "kind": f.kind,
                "expected": float(f.expected),
                "actual": float(f.actual),
                "difference": float(f.difference),
                "severity": f.severity,
            }
            for f in check.findings
        ],
    }


def _run_json(run):
    return {
        "company": run.company,
        "pay_date": run.pay_date and run.pay_date.isoformat(),
        "period": [run.period_start and run.period_start.isoformat(), run.period_end and run.period_end.isoformat()],
        "employees": [_jsonable(amounts_of(e)) | {"net_difference": float(e.net_difference)} for e in run.employees],
        "totals": _jsonable(amounts_of(run.totals())),
    }


@register(MANAGEMENT, 1, label="Read a payroll summary")
def parse_payroll_summary(env, text: str) -> dict:
    """Read a pasted or uploaded QuickBooks Online payroll summary (CSV or copied table) into employees and totals.

    Args:
        text: The summary as exported or copied from QBO.
    """
    return _run_json(_parse(text))


def _verify(run, pays_per_year, pay_date):
    try:
        checks = _checks(run, pays_per_year, pay_date)
    except UnsupportedTaxYearError as error:
        raise ToolRefusal(str(error)) from None
    return {
        "pay_date": (run.pay_date or pay_date).isoformat(),
        "ok": all(c.ok for c in checks),
        "employees": [_check_json(c) for c in checks],
        "inconsistent_net": [e.name for e in run.employees if e.net_difference],
    }


@register(VERIFICATION, 1, label="Check payroll source deductions")
def verify_source_deductions(env, text: str, pays_per_year: int = 26, pay_date: date | None = None) -> dict:
    """Check each employee's CPP, CPP2, EI and income tax in a payroll summary against CRA's tables (T4127).

    Args:
        text: The QBO payroll summary (CSV or pasted).
        pays_per_year: Pay periods a year (52 weekly, 26 biweekly, 24 semi-monthly, 12 monthly).
        pay_date: The pay date, when the summary does not show it.
    """
    if pays_per_year not in (12, 24, 26, 52):
        raise ToolRefusal("pays_per_year must be 12, 24, 26 or 52")
    return _verify(_parse(text), pays_per_year, pay_date)


@register(MANAGEMENT, 1, label="Check an employee's deductions")
def verify_payroll_deductions(
    env,
    *,
    employee: str,
    gross: float,
    cpp: float,
    ei: float,
    income_tax: float,
    pay_date: date,
    pays_per_year: int = 26,
    cpp2: float | None = None,
) -> dict:
    """Check one employee's deductions for one pay against CRA's CPP, CPP2, EI and income-tax tables.

    Args:
        employee: Employee name, for the answer.
        gross: Gross pay of the period.
        cpp: CPP deducted (including CPP2 when cpp2 is not given).
        ei: EI premium deducted.
        income_tax: Federal plus Ontario income tax deducted.
        pay_date: The pay date (chooses the year's table).
        pays_per_year: Pay periods a year (52, 26, 24 or 12).
        cpp2: CPP2 deducted, when shown apart.
    """

    def d(value):
        return Decimal(str(value)) if value is not None else Decimal(0)

    run = PayrollRun(
        (EmployeePay(employee, gross=d(gross), cpp=d(cpp), cpp2=d(cpp2), ei=d(ei), income_tax=d(income_tax)),),
        pay_date=pay_date,
    )
    if pays_per_year not in (12, 24, 26, 52):
        raise ToolRefusal("pays_per_year must be 12, 24, 26 or 52")
    return _verify(run, pays_per_year, pay_date)


def _payroll_moves(env, date_from, date_to):
    journals = _accounts(env)._payroll_journals()
    if not journals:
        return env["account.move"]
    return env["account.move"].search(
        [
            ("journal_id", "in", journals.ids),
            ("state", "=", "posted"),
            ("date", ">=", date_from),
            ("date", "<=", date_to),
        ],
        order="date, id",
    )


def _role_sum(moves, accounts, sign=1):
    return round(sign * sum(moves.line_ids.filtered(lambda aml: aml.account_id in accounts).mapped("balance")), 2)


@register(VERIFICATION, 1, label="Payroll entries")
def get_payroll_entries(env, date_from: date, date_to: date, limit: int = 30) -> dict:
    """Posted journal entries of the payroll journal(s) in a period, with gross wages, net pay and deductions.

    Args:
        date_from: First day of the period.
        date_to: Last day of the period.
        limit: At most this many entries.
    """
    limit, _offset = page(limit, 0)
    moves = _payroll_moves(env, date_from, date_to)
    roles = _accounts(env)
    wages, net = roles._accounts(env.companies, "wages"), roles._accounts(env.companies, "net_pay_payable")
    cra = env["account.account"].union(*(roles._accounts(env.companies, role) for role in CRA_ROLES))
    rows = [
        {
            "move": ref(m),
            "date": m.date.isoformat(),
            "ref": m.ref or "",
            "gross": _role_sum(m, wages),
            "net_pay": _role_sum(m, net, -1),
            "source_deductions": _role_sum(m, cra, -1),
        }
        for m in moves[:limit]
    ]
    return {
        "journals": [ref(j) for j in roles._payroll_journals()],
        "count": len(moves),
        "total_gross": _role_sum(moves, wages),
        "total_net_pay": _role_sum(moves, net, -1),
        "entries": rows,
        "truncated": len(moves) > limit,
    }


def _net_pay_items(env, date_from, date_to):
    net = _accounts(env)._accounts(env.companies, "net_pay_payable")
    if not net:
        return env["account.move.line"]
    return env["account.move.line"].search(
        [
            ("account_id", "in", net.ids),
            ("parent_state", "=", "posted"),
            ("balance", "<", 0),
            ("date", ">=", date_from),
            ("date", "<=", date_to),
            ("company_id", "in", env.companies.ids),
        ],
        order="date, id",
    )


def _outgoing_bank_lines(env, date_from, date_to):
    return env["account.bank.statement.line"].search(
        [
            ("company_id", "in", env.companies.ids),
            ("amount", "<", 0),
            ("date", ">=", date_from),
            ("date", "<=", date_to + timedelta(days=CHEQUE_WINDOW_DAYS)),
        ],
        order="date, id",
    )


def _pair_cheques(items, bank_lines):
    """Net pay items and bank outflows of the same amount, the bank line on or after the pay date, oldest first."""
    by_amount = defaultdict(list)
    for line in bank_lines:
        by_amount[round(-line.amount, 2)].append(line)
    pairs, unmatched, used = [], [], set()
    for item in items:
        candidates = [
            line
            for line in by_amount.get(round(-item.balance, 2), [])
            if line.id not in used and item.date <= line.date <= item.date + timedelta(days=CHEQUE_WINDOW_DAYS)
        ]
        if candidates:
            used.add(candidates[0].id)
            pairs.append((item, candidates[0]))
        else:
            unmatched.append(item)
    return pairs, unmatched, used


@register(VERIFICATION, 1, label="Payroll against bank")
def compare_payroll_to_bank(env, date_from: date, date_to: date, limit: int = 30) -> dict:
    """Cross-reference net pay (payroll entries) with bank outflows of the same amount within 30 days.

    Args:
        date_from: First pay date of the period.
        date_to: Last pay date of the period.
        limit: At most this many rows per list.
    """
    limit, _offset = page(limit, 0)
    items = _net_pay_items(env, date_from, date_to)
    pairs, unmatched, _used = _pair_cheques(items, _outgoing_bank_lines(env, date_from, date_to))
    return {
        "net_pay_items": len(items),
        "matched": [
            {
                "item_id": i.id,
                "move": i.move_id.name,
                "partner": ref(i.partner_id),
                "amount": money(-i.balance),
                "bank_line_id": b.id,
                "bank_date": b.date.isoformat(),
                "bank_label": b.payment_ref,
                "bank_line_reconciled": b.is_reconciled,
            }
            for i, b in pairs[:limit]
        ],
        "without_bank_line": [
            {
                "item_id": i.id,
                "move": i.move_id.name,
                "partner": ref(i.partner_id),
                "amount": money(-i.balance),
                "date": i.date.isoformat(),
            }
            for i in unmatched[:limit]
        ],
    }


def _cheque_like(line):
    label = (line.payment_ref or "").lower()
    return any(word in label for word in ("cheque", "chq", "payroll", "pay ", "salary", "wage"))


@register(VERIFICATION, 1, label="Unmatched payroll cheques")
def find_unmatched_payroll_cheques(env, date_from: date, date_to: date, limit: int = 30) -> dict:
    """Outgoing bank lines that look like payroll cheques (label) but match no net pay of a payroll entry.

    Args:
        date_from: First day of the period.
        date_to: Last day of the period.
        limit: At most this many lines.
    """
    limit, _offset = page(limit, 0)
    bank = _outgoing_bank_lines(env, date_from, date_to).filtered(lambda aml: aml.date <= date_to and _cheque_like(aml))
    _pairs, _unmatched, used = _pair_cheques(
        _net_pay_items(env, date_from - timedelta(days=CHEQUE_WINDOW_DAYS), date_to), bank
    )
    lonely = bank.filtered(lambda aml: aml.id not in used)
    return {
        "count": len(lonely),
        "lines": [
            {
                "id": aml.id,
                "date": aml.date.isoformat(),
                "label": aml.payment_ref,
                "amount": money(aml.amount),
                "reconciled": aml.is_reconciled,
            }
            for aml in lonely[:limit]
        ],
    }


def _cra_position(env, date_from, date_to):
    roles = _accounts(env)
    rows, total_due = [], 0.0
    journals = roles._payroll_journals()
    for role in CRA_ROLES:
        accounts = roles._accounts(env.companies, role)
        if not accounts:
            rows.append({"role": role, "account": None, "note": "account not configured or found"})
            continue
        base = [
            ("account_id", "in", accounts.ids),
            ("parent_state", "=", "posted"),
            ("company_id", "in", env.companies.ids),
        ]
        lines = env["account.move.line"].search([*base, ("date", ">=", date_from), ("date", "<=", date_to)])
        accrued = -sum(lines.filtered(lambda aml: aml.journal_id in journals and aml.balance < 0).mapped("balance"))
        paid = sum(lines.filtered(lambda aml: aml.balance > 0).mapped("balance"))
        balance = -sum(env["account.move.line"].search([*base, ("date", "<=", date_to)]).mapped("balance"))
        total_due += balance
        rows.append(
            {
                "role": role,
                "account": ref(accounts[:1]),
                "accrued": round(accrued, 2),
                "paid": round(paid, 2),
                "balance_due": round(balance, 2),
            }
        )
    return rows, round(total_due, 2)


@register(VERIFICATION, 1, label="CRA source deductions")
def get_cra_remittance_status(env, date_from: date, date_to: date) -> dict:
    """CRA source deductions of a period (CPP, EI, income tax): accrued by payroll, paid, and the balance owed.

    Args:
        date_from: First day of the period.
        date_to: Last day of the period.
    """
    rows, total_due = _cra_position(env, date_from, date_to)
    return {
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "accounts": rows,
        "total_due": total_due,
    }


def _remittance_due_date(period_end):
    """Regular remitters pay by the 15th of the month after the deductions."""
    next_month = (period_end.replace(day=1) + timedelta(days=32)).replace(day=1)
    return next_month.replace(day=15)


@register(MANAGEMENT, 1, label="CRA remittance due")
def get_cra_remittance_due(env, month_end: date) -> dict:
    """What is owed to the CRA for a month's payroll and the regular remitter's due date (15th of the next month).

    Args:
        month_end: Any day of the month; the remittance covers deductions up to that month's end.
    """
    start = month_end.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    rows, total_due = _cra_position(env, start, end)
    due = _remittance_due_date(end)
    return {
        "month": start.isoformat()[:7],
        "due_date": due.isoformat(),
        "accounts": rows,
        "total_due": total_due,
        "overdue": fields.Date.context_today(env.user) > due and total_due > 0,
    }


@register(MANAGEMENT, 1, label="Pay dates")
def get_payroll_schedule(env, date_from: date, date_to: date) -> dict:
    """Pay dates of a period with gross and net per pay run, the usual interval and the next expected pay date.

    Args:
        date_from: First day of the period.
        date_to: Last day of the period.
    """
    moves = _payroll_moves(env, date_from, date_to)
    roles = _accounts(env)
    wages, net = roles._accounts(env.companies, "wages"), roles._accounts(env.companies, "net_pay_payable")
    by_date = defaultdict(lambda: env["account.move"])
    for move in moves:
        by_date[move.date] |= move
    days = sorted(by_date)
    gaps = [(b - a).days for a, b in pairwise(days)]
    interval = int(median(gaps)) if gaps else None
    return {
        "pay_runs": [
            {
                "date": day.isoformat(),
                "entries": len(by_date[day]),
                "gross": _role_sum(by_date[day], wages),
                "net_pay": _role_sum(by_date[day], net, -1),
            }
            for day in days
        ][-60:],
        "interval_days": interval,
        "next_pay_date": (days[-1] + timedelta(days=interval)).isoformat() if interval else None,
    }


@register(MANAGEMENT, 1, label="Payroll cost")
def get_payroll_cost_report(env, date_from: date, date_to: date) -> dict:
    """Payroll cost of a period by month and by employee (partner on net pay): gross, employer contributions, net.

    Args:
        date_from: First day of the period.
        date_to: Last day of the period.
    """
    roles = _accounts(env)
    wages = roles._accounts(env.companies, "wages")
    employer = roles._accounts(env.companies, "employer_contributions")
    accounts = wages | employer
    if not accounts:
        return not_available("No wages or employer contribution account is configured or found.")
    base = [
        ("account_id", "in", accounts.ids),
        ("parent_state", "=", "posted"),
        ("date", ">=", date_from),
        ("date", "<=", date_to),
        ("company_id", "in", env.companies.ids),
    ]
    Line = env["account.move.line"]
    monthly = Line._read_group(base, ["date:month", "account_id"], ["balance:sum"])
    months = defaultdict(lambda: {"gross": 0.0, "employer": 0.0})
    for month, account, balance in monthly:
        months[month]["gross" if account in wages else "employer"] += balance
    net_items = _net_pay_items(env, date_from, date_to)
    by_employee = Line._read_group([("id", "in", net_items.ids)], ["partner_id"], ["balance:sum", "__count"])
    return {
        "by_month": [
            {
                "month": m.isoformat()[:7],
                "gross": round(v["gross"], 2),
                "employer": round(v["employer"], 2),
                "total_cost": round(v["gross"] + v["employer"], 2),
            }
            for m, v in sorted(months.items())
        ],
        "by_employee": [{"employee": ref(p), "net_pay": round(-b, 2), "pays": n} for p, b, n in by_employee][:100],
        "departments": "not tracked on Community: the journal entries carry no department",
    }


def _line(account, balance, label, partner=None):
    return Command.create(
        {"account_id": account.id, "balance": balance, "name": label, "partner_id": partner.id if partner else False}
    )


@register(MANAGEMENT, 3, label="Book a pay run")
def create_payroll_journal_entry(env, text: str, pay_date: date | None = None, post: bool = True) -> dict:
    """Book a QBO pay run as one payroll journal entry: wages and employer contributions against CPP, EI,
    income tax, other deductions and net pay payable.

    Args:
        text: The QBO payroll summary of the run (CSV or pasted).
        pay_date: Entry date when the summary shows none.
        post: Post the entry (else leave it in draft).
    """
    run = _parse(text)
    day = run.pay_date or pay_date
    if not day:
        raise ToolRefusal("the summary has no pay date: pass pay_date")
    inconsistent = [e.name for e in run.employees if e.net_difference]
    if inconsistent:
        raise ToolRefusal(f"gross minus deductions is not net pay for: {', '.join(inconsistent)}")
    company = env.company
    roles = _accounts(env).with_company(company)
    needed = ["wages", "cpp_payable", "ei_payable", "income_tax_payable", "net_pay_payable"]
    t = run.totals()
    if t.employer_cpp or t.employer_cpp2 or t.employer_ei:
        needed.append("employer_contributions")
    if t.other_deductions:
        needed.append("deductions_payable")
    accounts = {role: roles._account(company, role) for role in needed}
    missing = [role for role, account in accounts.items() if not account]
    if missing:
        raise ToolRefusal(f"set the payroll accounts in the Fusion settings: {', '.join(missing)}")
    journal = roles._payroll_journals().filtered(lambda j: j.company_id == company)[:1]
    if not journal:
        raise ToolRefusal("no payroll journal: set fusion_accounting.payroll_journal_code")
    label = f"Payroll {day.isoformat()}"
    employer = t.employer_cpp + t.employer_cpp2 + t.employer_ei
    lines = [_line(accounts["wages"], float(t.gross), f"{label} gross wages")]
    if employer:
        lines.append(_line(accounts["employer_contributions"], float(employer), f"{label} employer CPP/EI"))
    lines += [
        _line(accounts["cpp_payable"], -float(t.cpp + t.cpp2 + t.employer_cpp + t.employer_cpp2), f"{label} CPP"),
        _line(accounts["ei_payable"], -float(t.ei + t.employer_ei), f"{label} EI"),
        _line(accounts["income_tax_payable"], -float(t.income_tax), f"{label} income tax"),
    ]
    if t.other_deductions:
        lines.append(_line(accounts["deductions_payable"], -float(t.other_deductions), f"{label} deductions"))
    lines += [_line(accounts["net_pay_payable"], -float(e.net), f"{label} net pay {e.name}") for e in run.employees]
    move = env["account.move"].create(
        {"move_type": "entry", "journal_id": journal.id, "date": day, "ref": label, "line_ids": lines}
    )
    if post:
        move.action_post()
    return {
        "ok": True,
        "move": ref(move),
        "state": move.state,
        "total_debit": money(sum(move.line_ids.mapped("debit"))),
    }


@register(MANAGEMENT, 3, label="Match cashed payroll cheques")
def match_payroll_cheques(env, date_from: date, date_to: date) -> dict:
    """Reconcile bank outflows with the open net pay item of the same amount (cheque cashed within 30 days).

    Args:
        date_from: First pay date of the period.
        date_to: Last pay date of the period.
    """
    items = _net_pay_items(env, date_from, date_to).filtered(lambda i: not i.reconciled)
    bank = _outgoing_bank_lines(env, date_from, date_to).filtered(lambda aml: not aml.is_reconciled)
    pairs, _unmatched, _used = _pair_cheques(items, bank)
    reconciler = env["fusion.bank.reconciler"]
    done = []
    for item, line in pairs:
        reconciler._match(line, item)
        done.append({"bank_line_id": line.id, "item_id": item.id, "amount": money(-item.balance)})
    return {"ok": True, "matched": done}


@register(MANAGEMENT, 3, label="Book the CRA remittance")
def prepare_cra_payment(env, month_end: date, bank_journal_id: int) -> dict:
    """Book the CRA remittance of a month: settle the CPP, EI and income tax balances against the bank
    journal's outstanding payments account (to be matched with the bank line when it clears).

    Args:
        month_end: Any day of the month whose deductions are remitted.
        bank_journal_id: The bank journal paying the CRA.
    """
    journal = browse_own(env, "account.journal", bank_journal_id)
    if not journal or journal.type != "bank":
        raise ToolRefusal(f"no bank journal {bank_journal_id} in your companies")
    company = journal.company_id
    start = month_end.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    # Only this company's deductions: the journal pays for its own company.
    company_env = journal.with_context(allowed_company_ids=company.ids).env
    rows, total = _cra_position(company_env, start, end)
    if total <= 0:
        raise ToolRefusal(f"nothing is owed to the CRA at {end}")
    outstanding = env["fusion.account.roles"]._account(company, "outstanding_payments")
    if not outstanding:
        raise ToolRefusal("no outstanding payments account: set it in the Fusion settings")
    roles = _accounts(env)
    lines = []
    for row in rows:
        if row.get("balance_due"):
            account = roles._account(company, row["role"])
            lines.append(_line(account, row["balance_due"], f"CRA remittance {start.isoformat()[:7]}"))
    lines.append(_line(outstanding, -total, f"CRA remittance {start.isoformat()[:7]}"))
    move = env["account.move"].create(
        {
            "move_type": "entry",
            "journal_id": journal.id,
            "date": min(fields.Date.context_today(env.user), _remittance_due_date(end)),
            "ref": f"CRA remittance {start.isoformat()[:7]}",
            "line_ids": lines,
        }
    )
    move.action_post()
    return {"ok": True, "move": ref(move), "amount": total}


def _needs_payroll(env, document):
    if not module_installed(env, PAYROLL_MODULE):
        return not_available(f"{document} generation requires {PAYROLL_MODULE}, which is not installed")
    # Phase 2 (design 3.13) calls fusion_payroll's own methods; until then the user runs them there.
    return not_available(f"{PAYROLL_MODULE} is installed: generate the {document} from its own menu (phase 2)")


@register(MANAGEMENT, 2, requires=(PAYROLL_MODULE,), label="T4 slips")
def generate_t4(env, year: int) -> dict:
    """Generate the employees' T4 slips for a year through fusion_payroll (phase 2).

    Args:
        year: The tax year.
    """
    return _needs_payroll(env, "T4")


@register(MANAGEMENT, 2, requires=(PAYROLL_MODULE,), label="Record of Employment")
def generate_roe(env, employee_name: str) -> dict:
    """Generate a Record of Employment for an employee through fusion_payroll (phase 2).

    Args:
        employee_name: The employee leaving.
    """
    return _needs_payroll(env, "ROE")
