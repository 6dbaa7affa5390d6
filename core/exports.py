"""The one writer of every file the brand downloads as a table (CSV or XLSX).

    table = Table(filename="genios-ideas", header=[_("Title"), …], rows=row_iterator)
    return download(table, "xlsx")

Safe for spreadsheets: a text cell that a spreadsheet would run as a formula
(it starts with = + - @, a tab or a carriage return) is written with a leading
apostrophe in CSV, and as a plain string cell in XLSX (never a formula).
Numbers stay numbers.

Streamed: rows are read from `rows` (an iterator: a queryset's
`.iterator(chunk_size=…)`) while the file is sent. A CSV is a
StreamingHttpResponse; an XLSX is written row by row (openpyxl's write-only
mode) to a temporary file, then streamed from it in blocks. Rows are produced
after the view has returned, so the tenant's scope, language and time zone of
the request are re-entered around them.

Dates and times are written in the active time zone (the tenant's, for the
console's pages): ISO 8601 with its offset in CSV, a local date-time in XLSX
(which has no time zones).
"""

import csv
import datetime as dt
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django_scopes import get_scope, scope

FORMATS = ("csv", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBERS = (int, float, Decimal)
# Control characters an XLSX file cannot hold (openpyxl refuses them).
_ILLEGAL_IN_XLSX = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f]")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    """A file to download: its name (without extension), header and rows.

    `rows` is any iterable of sequences, read once, while the file is sent."""

    filename: str
    header: Sequence
    rows: Iterable[Sequence]
    sheet: str = "Export"


def text_cell(value) -> str:
    """A text value as a spreadsheet will show it, never run: a leading
    apostrophe before what would start a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _plain(value):
    """A value as the file holds it: None → empty, numbers as they are, times
    in the active time zone, everything else as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, NUMBERS):
        return value
    if isinstance(value, dt.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value
    return str(value)


def csv_cell(value) -> str:
    value = _plain(value)
    if isinstance(value, NUMBERS):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return text_cell(value)


def csv_rows(table: Table) -> Iterator[str]:
    """The CSV's lines, one by one: a byte-order mark first (spreadsheets then
    read UTF-8 accents right), the header, then each row."""

    class _Line:
        def write(self, line: str) -> str:
            return line

    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow([csv_cell(v) for v in table.header])
    for row in table.rows:
        yield writer.writerow([csv_cell(v) for v in row])


def xlsx_file(table: Table):
    """The XLSX in a temporary file (deleted once closed), rewound to its start."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(table.sheet[:31])

    def cell(value):
        value = _plain(value)
        if isinstance(value, dt.datetime):
            value = value.replace(tzinfo=None)
        if isinstance(value, str):
            value = _ILLEGAL_IN_XLSX.sub("", value)
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            written.data_type = "s"  # a string, even if it starts with "="
        elif isinstance(value, dt.datetime):
            written.number_format = "yyyy-mm-dd hh:mm:ss"
        return written

    sheet.append([cell(v) for v in table.header])
    for row in table.rows:
        sheet.append([cell(v) for v in row])
    # Not a `with`: the response streams the file, then closes (and so deletes) it.
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(out)
    out.seek(0)
    return out


def _in_request_context(produce):
    """Wrap an iterator so that it runs in the scope, language and time zone
    active now (a streamed response reads its rows after the view returned)."""
    tenant_scope = dict(get_scope())  # with its "_enabled" flag, as it is now
    language = translation.get_language()
    zone = timezone.get_current_timezone()

    def rows():
        with (
            scope(**tenant_scope),
            translation.override(language),
            timezone.override(zone),
        ):
            yield from produce()

    return rows()


def csv_response(table: Table) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _in_request_context(lambda: csv_rows(table)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{table.filename}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def xlsx_response(table: Table) -> FileResponse:
    response = FileResponse(
        xlsx_file(table),
        as_attachment=True,
        filename=f"{table.filename}.xlsx",
        content_type=XLSX_TYPE,
    )
    response["Cache-Control"] = "no-store"
    return response


def download(table: Table, file_format: str):
    """The table as a download in `file_format` ("csv" or "xlsx")."""
    if file_format == "xlsx":
        return xlsx_response(table)
    if file_format == "csv":
        return csv_response(table)
    raise ValueError(f"unknown export format {file_format!r}")
