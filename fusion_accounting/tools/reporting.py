"""Domain 10, financial reporting (design 3.11), computed on Community.

Statements come from ``fusion.statement.engine`` (one ``_read_group`` on posted
journal items, the pure statement service on top); exports render them with a
QWeb report (PDF) or ``xlsxwriter`` (XLSX).  ``answer_financial_question``
runs only a whitelisted ``_read_group``: never SQL written by the model.
"""

import base64
import io
from dataclasses import dataclass
from datetime import date
from typing import Literal

import xlsxwriter

from odoo.exceptions import UserError

from ..services.financial_statements import compare_statements
from ..services.question_query import QueryRefusedError, QuestionRequest, build_query, filter_from_text
from .common import ToolRefusal, register

DOMAIN = "reporting"
Report = Literal["profit_and_loss", "balance_sheet", "trial_balance", "cash_flow"]
PDF_REPORT = "fusion_accounting.action_report_financial_statement"


def _engine(env):
    return env["fusion.statement.engine"]


def _check_period(env, date_from, date_to):
    if date_from and date_from > date_to:
        raise UserError(env._("date_from must be on or before date_to"))


@register(DOMAIN, 1, label="Profit and loss")
def get_profit_loss(env, date_from: date, date_to: date) -> dict:
    """Profit and loss of a period: revenue, cost of revenue, expenses and net income, per account.

    Args:
        date_from: First day of the period.
        date_to: Last day of the period.
    """
    _check_period(env, date_from, date_to)
    return _engine(env).report_json("profit_and_loss", date_from, date_to)


@register(DOMAIN, 1, label="Balance sheet")
def get_balance_sheet(env, date_to: date) -> dict:
    """Balance sheet at a date: assets, liabilities, equity with retained and current-year earnings.

    Args:
        date_to: The balance sheet date.
    """
    return _engine(env).report_json("balance_sheet", None, date_to)


@register(DOMAIN, 1, label="Trial balance")
def get_trial_balance(env, date_to: date) -> dict:
    """Trial balance at a date: each account's balance in a debit or credit column; totals must agree.

    Income and expense accounts hold the fiscal year's movements; earlier years' results are on the
    unaffected earnings account.

    Args:
        date_to: The trial balance date.
    """
    return _engine(env).report_json("trial_balance", None, date_to)


@register(DOMAIN, 1, label="Cash flow")
def get_cash_flow(env, date_from: date, date_to: date) -> dict:
    """Cash flow statement (indirect method): operating, investing and financing flows explaining the change in cash.

    Args:
        date_from: First day of the period.
        date_to: Last day of the period.
    """
    _check_period(env, date_from, date_to)
    return _engine(env).report_json("cash_flow", date_from, date_to)


def _statement(env, report, date_from, date_to):
    engine = _engine(env)
    if report == "profit_and_loss":
        return engine.profit_and_loss(date_from, date_to)
    if report == "balance_sheet":
        return engine.balance_sheet(date_to)
    if report == "cash_flow":
        return engine.cash_flow(date_from, date_to)
    raise UserError(env._("compare_periods compares profit_and_loss, balance_sheet or cash_flow"))


@register(DOMAIN, 1, label="Compare two periods")
def compare_periods(
    env,
    *,
    report: Literal["profit_and_loss", "balance_sheet", "cash_flow"],
    date_from: date,
    date_to: date,
    previous_date_from: date,
    previous_date_to: date,
) -> dict:
    """Two periods of one statement side by side, with the change and the change in percent per line and total.

    Args:
        report: Which statement to compare.
        date_from: First day of the current period (ignored for the balance sheet).
        date_to: Last day of the current period.
        previous_date_from: First day of the period compared with.
        previous_date_to: Last day of the period compared with.
    """
    _check_period(env, date_from, date_to)
    _check_period(env, previous_date_from, previous_date_to)
    rows = compare_statements(
        _statement(env, report, date_from, date_to), _statement(env, report, previous_date_from, previous_date_to)
    )
    return {
        "report": report,
        "current": {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()},
        "previous": {"date_from": previous_date_from.isoformat(), "date_to": previous_date_to.isoformat()},
        "rows": [
            {
                "section": r.section,
                "code": r.code,
                "name": r.name,
                "current": float(r.current),
                "previous": float(r.previous),
                "change": float(r.change),
                "change_pct": float(r.change_pct) if r.change_pct is not None else None,
            }
            for r in rows
        ],
    }


@dataclass
class QuestionFilter:
    """One condition of a question: ``field operator value``."""

    field: str
    operator: Literal["=", "!=", "<", "<=", ">", ">=", "in", "not in", "ilike"]
    value: str


def _json_value(value):
    if hasattr(value, "_name"):
        return {"id": value.id, "name": value.display_name} if value else None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 2)
    return value


@register(DOMAIN, 1, label="Answer a question about the books")
def answer_financial_question(
    env,
    *,
    model: Literal["account.move.line", "account.move", "account.payment", "account.bank.statement.line"],
    measures: list[str],
    group_by: list[str] | None = None,
    filters: list[QuestionFilter] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    order: str | None = None,
    limit: int = 50,
) -> dict:
    """Answer a question about the books with one read-only grouped query over whitelisted models and fields.

    Example: sales by month = model "account.move", measures ["amount_total_signed:sum"],
    group_by ["invoice_date:month"], filters [{"field": "move_type", "operator": "=", "value": "out_invoice"},
    {"field": "state", "operator": "=", "value": "posted"}].

    Args:
        model: The model to query.
        measures: "field:aggregate" (sum, avg, min, max, count) on number fields, or "__count".
        group_by: Fields to group by; dates as "date:month" (day, week, month, quarter, year).
        filters: Conditions; for "in" give comma-separated values, for relations give record ids.
        date_from: Keep records dated on or after this day.
        date_to: Keep records dated on or before this day.
        order: A measure or group-by, then asc or desc, e.g. "balance:sum desc".
        limit: At most this many groups (1 to 200).
    """
    try:
        request = QuestionRequest(
            model=model,
            measures=tuple(measures),
            group_by=tuple(group_by or ()),
            filters=tuple(filter_from_text(model, f.field, f.operator, f.value) for f in filters or ()),
            date_from=date_from.isoformat() if date_from else None,
            date_to=date_to.isoformat() if date_to else None,
            limit=limit,
            order=order,
        )
        spec = build_query(request)
    except QueryRefusedError as error:
        raise ToolRefusal(str(error)) from None
    domain = [*spec.domain, ("company_id", "in", env.companies.ids)]
    groups = env[spec.model]._read_group(
        domain, list(spec.groupby), list(spec.aggregates), limit=spec.limit, order=spec.order
    )
    columns = [*spec.groupby, *spec.aggregates]
    return {
        "model": spec.model,
        "domain": [list(term) for term in domain],
        "columns": columns,
        "rows": [dict(zip(columns, map(_json_value, row), strict=True)) for row in groups],
        "truncated": len(groups) >= spec.limit,
    }


def _report_data(env, report, date_from, date_to):
    data = _engine(env).report_json(report, date_from, date_to)
    if report == "trial_balance":
        data["lines"] = [
            {"section": "", "code": r["code"], "name": r["name"], "amount": round(r["debit"] - r["credit"], 2)}
            for r in data["rows"]
        ]
    return data


def render_pdf(env, data):
    """``(content, format)`` of the QWeb statement: ``pdf``, or ``html`` when Odoo renders reports as HTML (tests)."""
    content, kind = env["ir.actions.report"]._render_qweb_pdf(PDF_REPORT, env.company.ids, data={"statement": data})
    return content, kind


def render_xlsx(data):
    """The statement as an XLSX workbook (bytes): one sheet, lines then totals."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(data["title"][:31])
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    period = f"{data.get('date_from') or ''} - {data['date_to']}".strip(" -")
    sheet.write(0, 0, data["title"], bold)
    sheet.write(1, 0, f"{', '.join(data['companies'])} ({data['currency']}) {period}")
    row = 3
    if data["report"] == "trial_balance":
        for col, title in enumerate(("Code", "Account", "Debit", "Credit")):
            sheet.write(row, col, title, bold)
        for line in data["rows"]:
            row += 1
            sheet.write(row, 0, line["code"])
            sheet.write(row, 1, line["name"])
            sheet.write_number(row, 2, line["debit"], money)
            sheet.write_number(row, 3, line["credit"], money)
    else:
        for col, title in enumerate(("Section", "Code", "Account", "Amount")):
            sheet.write(row, col, title, bold)
        for line in data["lines"]:
            row += 1
            sheet.write(row, 0, line["section"])
            sheet.write(row, 1, line["code"])
            sheet.write(row, 2, line["name"])
            sheet.write_number(row, 3, line["amount"], money)
    row += 2
    for name, value in data["totals"].items():
        sheet.write(row, 2, name.replace("_", " "), bold)
        sheet.write_number(row, 3, value, money)
        row += 1
    sheet.set_column(1, 2, 40)
    book.close()
    return buffer.getvalue()


@register(DOMAIN, 2, label="Export a statement")
def export_report(
    env, report: Report, date_to: date, file_format: Literal["pdf", "xlsx"] = "pdf", date_from: date | None = None
) -> dict:
    """Export a statement as a PDF or XLSX file attached to the company; returns its download link.

    Args:
        report: Which statement to export.
        date_to: Last day of the period (the date of a balance sheet or trial balance).
        file_format: pdf or xlsx.
        date_from: First day of the period (profit and loss, cash flow).
    """
    if report in ("profit_and_loss", "cash_flow") and not date_from:
        raise ToolRefusal(f"{report} needs date_from")
    _check_period(env, date_from, date_to)
    data = _report_data(env, report, date_from, date_to)
    if file_format == "xlsx":
        content, kind, mimetype = (
            render_xlsx(data),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        try:
            content, kind = render_pdf(env, data)
        except UserError as error:  # no wkhtmltopdf on the server
            raise ToolRefusal(str(error)) from None
        mimetype = "application/pdf" if kind == "pdf" else "text/html"
        content = content if isinstance(content, bytes) else content.encode()
    name = f"{report}_{date_to.isoformat()}.{kind}"
    attachment = env["ir.attachment"].create(
        {
            "name": name,
            "datas": base64.b64encode(content),
            "mimetype": mimetype,
            "res_model": "res.company",
            "res_id": env.company.id,
        }
    )
    return {
        "attachment_id": attachment.id,
        "name": name,
        "format": kind,
        "url": f"/web/content/{attachment.id}?download=true",
        "totals": data["totals"],
    }
