"""Files attached in the chat, read into the text the model (and its tools) receive.

QuickBooks Online exports its reports as CSV, XLSX or PDF; the payroll parser
reads CSV or pasted text.  A workbook's cells and a PDF's table become the
same rows the CSV export has, written back as CSV, so one parser serves all
three.  Bytes in, text out; nothing here knows about Odoo.

>>> upload_text("summary.csv", b"\\xef\\xbb\\xbfEmployee,Net Pay\\r\\nAvery,100")
'Employee,Net Pay\\nAvery,100'
>>> upload_text("notes.docx", b"PK...")
Traceback (most recent call last):
...
fusion_accounting_core.services.uploads.UploadError: notes.docx: only CSV, TXT, TSV, XLSX and PDF files can be read.
"""

import csv
import io
import zipfile
from datetime import date, datetime, time

import openpyxl
from pypdf import PdfReader
from pypdf.errors import PdfReadError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # a payroll summary is a few kB; this leaves room for a long PDF
MAX_TEXT_CHARS = 200_000  # what one message may carry to the model
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
LINE_TOLERANCE = 2.0  # points: text drawn this close vertically is on one line of a PDF
COLUMN_TOLERANCE = 3.0  # points: cells starting this close horizontally are in one column


class UploadError(ValueError):
    """The file cannot be read; the message names it and says why, for the user."""


def upload_text(filename, data):
    """The text of an uploaded file: CSV/TXT/TSV decoded, XLSX and PDF tables as CSV.

    Raises :class:`UploadError` for another type, a damaged file or a PDF without text.
    """
    name = filename or "the file"
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(f"{name}: the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
    suffix = name.lower().rpartition(".")[2]
    if f".{suffix}" in TEXT_SUFFIXES:
        text = _decode(data).replace("\r\n", "\n")
    elif suffix == "xlsx":
        text = rows_to_csv(xlsx_rows(data, name))
    elif suffix == "pdf":
        text = rows_to_csv(pdf_rows(data, name))
    else:
        raise UploadError(f"{name}: only CSV, TXT, TSV, XLSX and PDF files can be read.")
    if not text.strip():
        raise UploadError(f"{name}: the file holds no text.")
    return text[:MAX_TEXT_CHARS]


def _decode(data):
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:  # an export from Excel on Windows
        return data.decode("cp1252", errors="replace")


def rows_to_csv(rows):
    """``rows`` (lists of strings) as CSV text, which :func:`csv.reader` reads back to the same rows."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().rstrip("\n")


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def xlsx_rows(data, name="the workbook"):
    """The cells of the workbook's active sheet, as strings, trailing empty cells dropped.

    Numbers are written as Python prints them (``2000``, ``-110.99``), dates as ISO dates.
    """
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UploadError(f"{name}: not a readable Excel workbook ({error}).") from None
    try:
        rows = []
        for values in workbook.active.iter_rows(values_only=True):
            row = [_cell_text(value) for value in values]
            while row and not row[-1].strip():
                row.pop()
            rows.append(row)
        return rows
    finally:
        workbook.close()


def pdf_rows(data, name="the PDF"):
    """The table of a PDF with a text layer, rebuilt from where each piece of text is drawn.

    Pieces on one line (within :data:`LINE_TOLERANCE`) form a row; the
    horizontal start of each piece, clustered over the whole document
    (within :data:`COLUMN_TOLERANCE`), gives its column, so an empty cell
    (no hours on a salary line) stays an empty cell as in the CSV export.
    """
    try:
        reader = PdfReader(io.BytesIO(data))
        pieces = [piece for number, page in enumerate(reader.pages) for piece in _page_pieces(page, number)]
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise UploadError(f"{name}: not a readable PDF ({error}).") from None
    if not pieces:
        raise UploadError(f"{name}: the PDF holds no text (a scanned image cannot be read).")
    column_of = _columns(sorted({x for _, _, x, _ in pieces}))
    rows = []
    for line in _lines(sorted(pieces)):
        row = {}
        for _, _, x, text in sorted(line, key=lambda piece: piece[2]):
            column = column_of[x]
            row[column] = row.get(column, "") + text
        rows.append([row.get(i, "") for i in range(max(row) + 1)])
    return rows


def _page_pieces(page, number):
    """``(page, -y, x, text)`` for each piece of text drawn on ``page``, in points."""
    pieces = []

    def visit(text, cm, tm, *_font_and_size):
        text = text.replace("\n", "")
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            pieces.append((number, -y, x, text))

    page.extract_text(visitor_text=visit)
    return pieces


def _lines(pieces):
    """Pieces (sorted by page, then top to bottom) grouped into lines."""
    lines = []
    for piece in pieces:
        first = lines[-1][0] if lines else None
        if first and first[0] == piece[0] and piece[1] - first[1] <= LINE_TOLERANCE:
            lines[-1].append(piece)
        else:
            lines.append([piece])
    return lines


def _columns(starts):
    """``{x: column index}`` for sorted horizontal starts, close ones sharing a column."""
    column_of, column, first = {}, -1, None
    for x in starts:
        if first is None or x - first > COLUMN_TOLERANCE:
            column, first = column + 1, x
        column_of[x] = column
    return column_of
