"""A QBO payroll summary uploaded as CSV, XLSX or PDF reads into the same pay run; other files are refused."""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen import canvas
from reportlab.platypus import SimpleDocTemplate, Table

from fusion_accounting.services.payroll_parser import parse_payroll_summary
from fusion_accounting_core.services.uploads import MAX_UPLOAD_BYTES, UploadError, upload_text, xlsx_rows

SAMPLE_PATH = Path(__file__).parent / "data" / "qbo_payroll_summary_2026-01-16.csv"
SAMPLE = SAMPLE_PATH.read_text()
ROWS = list(csv.reader(io.StringIO(SAMPLE)))
AMOUNT = re.compile(r"^-?[\d,]+\.\d\d$")


def xlsx_of(rows):
    """The summary as QBO's Excel export holds it: amounts as numbers, labels as text."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([float(cell.replace(",", "")) if AMOUNT.match(cell) else (cell or None) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pdf_of(rows):
    """The summary printed as a table, as QBO's PDF export prints it."""
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=landscape(letter)).build([Table(rows)])
    return out.getvalue()


def test_the_csv_upload_is_the_csv_export():
    assert upload_text("payroll.csv", SAMPLE.encode()) == SAMPLE


def test_an_xlsx_export_reads_as_the_csv_export():
    expected = parse_payroll_summary(SAMPLE)
    run = parse_payroll_summary(upload_text("Payroll Summary.XLSX", xlsx_of(ROWS)))
    assert run == expected
    assert len(run.employees) == 4 and run.company == "Maple Mobility Supplies Ltd."


def test_xlsx_cells_become_the_csv_rows():
    rows = xlsx_rows(xlsx_of(ROWS))
    assert rows[5] == ["", "Lee, Avery", "", "Singh, Priya", "", "Tremblay, Marc", "", "Okafor, Chidi", "", "TOTAL"]
    assert rows[8][:3] == ["Salary", "80", "2000"]  # numbers as numbers, the parser reads both


def test_a_pdf_export_reads_as_the_csv_export():
    run = parse_payroll_summary(upload_text("payroll.pdf", pdf_of(ROWS)))
    assert run == parse_payroll_summary(SAMPLE)
    assert run.employees[2].name == "Tremblay, Marc" and run.employees[2].net == Decimal("1208.37")


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("notes.docx", b"PK\x03\x04 a word document", "only CSV, TXT, TSV, XLSX and PDF files can be read"),
        ("scan.png", b"\x89PNG\r\n", "only CSV, TXT, TSV, XLSX and PDF files can be read"),
        ("payroll.xlsx", b"this is not a workbook", "not a readable Excel workbook"),
        ("payroll.pdf", b"%PDF-1.4 truncated", "not a readable PDF"),
        ("empty.csv", b" \n ", "the file holds no text"),
        ("huge.csv", b"x" * (MAX_UPLOAD_BYTES + 1), "larger than 5 MB"),
    ],
)
def test_other_or_damaged_files_are_refused_with_the_reason(name, data, why):
    with pytest.raises(UploadError, match=re.escape(why)) as refused:
        upload_text(name, data)
    assert str(refused.value).startswith(f"{name}: ")


def test_a_scanned_pdf_is_refused():
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.rect(50, 50, 200, 100, fill=1)  # an image of a table has no text layer
    page.save()
    with pytest.raises(UploadError, match="holds no text"):
        upload_text("scan.pdf", out.getvalue())
