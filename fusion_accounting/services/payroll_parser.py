"""Read a QuickBooks Online payroll summary (CSV export or text pasted from the screen) into a :class:`PayrollRun`.

Two layouts are understood:

* **wide**, QBO's *Payroll Summary* report: a column pair (Hours, Amount) per
  employee, one row per pay item, grouped in sections (*Gross Pay*, *Taxes
  Withheld*, *Deductions from Net Pay*, *Net Pay*, *Employer Taxes and
  Contributions*).  CPP and EI appear twice; the section says whose they are.
* **long**, one row per employee with a header naming the columns
  (``Employee, Gross Pay, CPP, EI, Income Tax, Net Pay, ...``).

Pasted text is tab-separated (a copied table) or aligned with runs of spaces.
Withholdings may be shown negative, as QBO does; amounts are kept positive.

>>> run = parse_payroll_summary('''Pay date: 2026-01-16
... Employee,Gross Pay,CPP,EI,Income Tax,Net Pay
... Avery Lee,"2,000.00",-110.99,-32.60,-254.83,"1,601.58"''')
>>> run.pay_date, run.employees[0].name, run.employees[0].cpp, run.totals().net
(datetime.date(2026, 1, 16), 'Avery Lee', Decimal('110.99'), Decimal('1601.58'))
>>> parse_payroll_summary("nothing, useful")
Traceback (most recent call last):
...
fusion_accounting.services.payroll_parser.PayrollParseError: no employee columns or header row found
"""

import csv
import io
import re
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

ZERO = Decimal("0")
AMOUNT_FIELDS = (
    "gross",
    "income_tax",
    "cpp",
    "cpp2",
    "ei",
    "other_deductions",
    "net",
    "employer_cpp",
    "employer_cpp2",
    "employer_ei",
)


class PayrollParseError(ValueError):
    """The text is not a payroll summary we can read; the message says where."""


@dataclass(frozen=True)
class EmployeePay:
    """One employee's line of the run; every amount positive, in dollars."""

    name: str
    gross: Decimal = ZERO
    income_tax: Decimal = ZERO
    cpp: Decimal = ZERO
    cpp2: Decimal = ZERO
    ei: Decimal = ZERO
    other_deductions: Decimal = ZERO
    net: Decimal = ZERO
    employer_cpp: Decimal = ZERO
    employer_cpp2: Decimal = ZERO
    employer_ei: Decimal = ZERO

    @property
    def withheld(self):
        return self.income_tax + self.cpp + self.cpp2 + self.ei

    @property
    def net_difference(self):
        """Gross minus withholdings and deductions minus net: zero on a consistent line."""
        return self.gross - self.withheld - self.other_deductions - self.net


@dataclass(frozen=True)
class PayrollRun:
    """A pay run: its dates (``None`` when the summary does not say) and its employees."""

    employees: tuple
    pay_date: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    company: str = ""

    def totals(self):
        """All employees added up, as an :class:`EmployeePay` named ``TOTAL``."""
        sums = {name: sum((getattr(e, name) for e in self.employees), ZERO) for name in AMOUNT_FIELDS}
        return EmployeePay("TOTAL", **sums)


# Row labels (lower case, without trailing colon) -> field, per section kind.
_EMPLOYEE_ROWS = {
    "income tax": "income_tax",
    "federal income tax": "income_tax",
    "provincial income tax": "income_tax",
    "cpp": "cpp",
    "canada pension plan": "cpp",
    "cpp2": "cpp2",
    "ei": "ei",
    "employment insurance": "ei",
}
_EMPLOYER_ROWS = {
    "cpp": "employer_cpp",
    "canada pension plan": "employer_cpp",
    "cpp2": "employer_cpp2",
    "ei": "employer_ei",
    "employment insurance": "employer_ei",
}
_LONG_HEADERS = {
    "employee": "name",
    "employee name": "name",
    "name": "name",
    "gross pay": "gross",
    "gross": "gross",
    "total gross pay": "gross",
    "income tax": "income_tax",
    "cpp": "cpp",
    "cpp2": "cpp2",
    "ei": "ei",
    "other deductions": "other_deductions",
    "deductions": "other_deductions",
    "net pay": "net",
    "net": "net",
    "employer cpp": "employer_cpp",
    "employer cpp2": "employer_cpp2",
    "employer ei": "employer_ei",
}
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y")
_META_RE = re.compile(r"^\s*(pay date|pay period|company)\s*[:,]\s*(.+?)\s*,*\s*$", re.IGNORECASE)


def parse_amount(text):
    """A QBO amount: thousands separators, ``$``, parentheses or a minus sign; blank is zero.

    >>> parse_amount("$1,234.50"), parse_amount("(12.00)"), parse_amount("")
    (Decimal('1234.50'), Decimal('-12.00'), Decimal('0'))
    """
    cleaned = (text or "").strip().replace("$", "").replace(",", "").replace(" ", "")
    if not cleaned:
        return ZERO
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    cleaned = cleaned.strip("()")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise PayrollParseError(f"not an amount: {text!r}") from None
    if not value.is_finite():
        raise PayrollParseError(f"not an amount: {text!r}")
    return -value if negative else value


def parse_date(text):
    """A date as QBO prints it (``2026-01-16``, ``01/16/2026``, ``January 16, 2026``)."""
    text = text.strip().strip('"')
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise PayrollParseError(f"not a date: {text!r}")


def _rows(text):
    lines = [line for line in text.replace("\r\n", "\n").split("\n")]
    if any("\t" in line for line in lines):
        return [line.split("\t") for line in lines]
    if any("," in line for line in lines):
        return list(csv.reader(io.StringIO("\n".join(lines))))
    return [re.split(r"\s{2,}", line.strip()) for line in lines]


def _label(cell):
    return cell.strip().rstrip(":").strip().lower()


def _read_meta(rows):
    meta, rest = {}, []
    for row in rows:
        match = _META_RE.match(",".join(row)) if row and len([c for c in row if c.strip()]) <= 2 else None
        if match:
            meta[match.group(1).lower()] = match.group(2).strip().strip('"')
        else:
            rest.append(row)
    # QBO prints the report title, then the company name, on lines of their own.
    if "company" not in meta and len(rest) > 1 and _label(rest[0][0] if rest[0] else "") == "payroll summary":
        single = [cell.strip() for cell in rest[1] if cell.strip()]
        if len(single) == 1:
            meta["company"] = single[0]
    pay_date = parse_date(meta["pay date"]) if "pay date" in meta else None
    start = end = None
    if "pay period" in meta:
        parts = re.split(r"\s+(?:-|to|\u2013)\s+", meta["pay period"])
        if len(parts) != 2:
            raise PayrollParseError(f"pay period is not 'start - end': {meta['pay period']!r}")
        start, end = parse_date(parts[0]), parse_date(parts[1])
    return rest, {"pay_date": pay_date, "period_start": start, "period_end": end, "company": meta.get("company", "")}


def _long_layout(rows):
    for index, row in enumerate(rows):
        labels = [_label(cell) for cell in row]
        if "gross pay" in labels or "gross" in labels:
            if not any(_LONG_HEADERS.get(label) == "name" for label in labels):
                continue
            columns = {i: _LONG_HEADERS[label] for i, label in enumerate(labels) if label in _LONG_HEADERS}
            employees = []
            for line_no, data in enumerate(rows[index + 1 :], start=index + 2):
                if not any(cell.strip() for cell in data):
                    continue
                values = {}
                for i, name in columns.items():
                    cell = data[i] if i < len(data) else ""
                    if name == "name":
                        values[name] = cell.strip()
                    else:
                        try:
                            values[name] = values.get(name, ZERO) + abs(parse_amount(cell))
                        except PayrollParseError as error:
                            raise PayrollParseError(f"line {line_no}: {error}") from None
                if values.get("name", "").lower() in ("total", ""):
                    continue
                employees.append(EmployeePay(**values))
            return employees
    return None


def _wide_columns(rows):
    """Employee name -> amount column, from the name row and its (Hours, Amount) sub-header."""
    for index, row in enumerate(rows):
        if not row or row[0].strip() or len([c for c in row if c.strip()]) < 1:
            continue
        names = {i: cell.strip() for i, cell in enumerate(row) if cell.strip()}
        below = rows[index + 1] if index + 1 < len(rows) else []
        sub = [_label(cell) for cell in below]
        columns = {}
        for i, name in names.items():
            if name.lower() == "total":
                continue
            amount_col = next((j for j in range(i, min(i + 3, len(sub))) if sub[j] == "amount"), None)
            columns[name] = amount_col if amount_col is not None else i
        if columns:
            start = index + (2 if "amount" in sub else 1)
            return columns, rows[start:]
    return None, None


def _wide_layout(rows):
    columns, body = _wide_columns(rows)
    if not columns:
        return None
    amounts = {name: dict.fromkeys(AMOUNT_FIELDS, ZERO) for name in columns}
    section = "gross"
    for row in body:
        if not row or not row[0].strip():
            continue
        label = _label(row[0])
        values = [row[col] if col < len(row) else "" for col in columns.values()]
        has_values = any(v.strip() for v in values)
        if label.startswith("employer"):
            section = "employer"
        elif label in ("taxes withheld", "employee taxes", "taxes"):
            section = "employee"
        elif label.startswith("deductions"):
            section = "deductions"
        elif label.startswith("gross pay"):
            section = "gross"
        if not has_values or (label.startswith("total") and label != "total gross pay"):
            continue
        if label == "total gross pay":
            target = "gross"
        elif label == "net pay":
            target = "net"
        elif section == "employee":
            target = _EMPLOYEE_ROWS.get(label)
        elif section == "employer":
            target = _EMPLOYER_ROWS.get(label)
        elif section == "deductions":
            target = "other_deductions"
        else:
            continue  # gross pay items: "Total Gross Pay" carries their sum
        if target is None:
            raise PayrollParseError(f"unknown {section} item {row[0].strip()!r}")
        for name, cell in zip(columns, values, strict=True):
            amounts[name][target] += abs(parse_amount(cell))
    return [EmployeePay(name, **values) for name, values in amounts.items()]


def parse_payroll_summary(text):
    """Parse a QBO payroll summary (CSV or pasted text) into a :class:`PayrollRun`.

    Raises :class:`PayrollParseError` when no employee can be read.
    """
    if not isinstance(text, str) or not text.strip():
        raise PayrollParseError("the payroll summary is empty")
    rows, meta = _read_meta(_rows(text))
    employees = _long_layout(rows)
    if employees is None:
        employees = _wide_layout(rows)
    if not employees:
        raise PayrollParseError("no employee columns or header row found")
    return PayrollRun(tuple(employees), **meta)


def _money(value):
    return f"{value:,.2f}" if value else "0.00"


def render_payroll_summary(run):
    """Write ``run`` as a QBO-style wide *Payroll Summary* CSV that :func:`parse_payroll_summary` reads back."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Payroll Summary"])
    if run.company:
        writer.writerow([f"Company: {run.company}"])
    if run.pay_date:
        writer.writerow([f"Pay date: {run.pay_date.isoformat()}"])
    if run.period_start and run.period_end:
        writer.writerow([f"Pay period: {run.period_start.isoformat()} - {run.period_end.isoformat()}"])
    people = [*run.employees, replace(run.totals(), name="TOTAL")]
    header = [""]
    for person in people:
        header += [person.name, ""]
    writer.writerow(header)
    writer.writerow(["", *(["Hours", "Amount"] * len(people))])

    def line(label, field_name, sign=1):
        writer.writerow([label, *(x for p in people for x in ("", _money(sign * getattr(p, field_name))))])

    writer.writerow(["Gross Pay"])
    line("Total Gross Pay", "gross")
    writer.writerow(["Taxes Withheld"])
    line("Income Tax", "income_tax", -1)
    line("CPP", "cpp", -1)
    line("CPP2", "cpp2", -1)
    line("EI", "ei", -1)
    writer.writerow(["Deductions from Net Pay"])
    line("Other Deductions", "other_deductions", -1)
    line("Net Pay", "net")
    writer.writerow(["Employer Taxes and Contributions"])
    line("CPP", "employer_cpp")
    line("CPP2", "employer_cpp2")
    line("EI", "employer_ei")
    return out.getvalue()


def amounts_of(employee):
    """``{field: amount}`` of ``employee``: the JSON-friendly view tools return."""
    return {f.name: getattr(employee, f.name) for f in fields(employee)}
