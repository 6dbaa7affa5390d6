"""core.exports: the one writer of the brand's tables, CSV and XLSX."""

import csv
import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from core.exports import Table, csv_cell, csv_response, download, xlsx_response

MADRID = ZoneInfo("Europe/Madrid")


@pytest.mark.parametrize(
    "value", ["=1+1", "+33 6 12", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x","y")']
)
def test_text_that_would_start_a_formula_gets_an_apostrophe(value):
    assert csv_cell(value) == "'" + value


def test_numbers_none_and_times_are_written_plainly():
    assert csv_cell(-2) == "-2"
    assert csv_cell(Decimal("-1.50")) == "-1.50"
    assert csv_cell(None) == ""
    moment = dt.datetime(2026, 12, 5, 9, 30, tzinfo=dt.UTC)
    with timezone.override(MADRID):
        assert csv_cell(moment) == "2026-12-05T10:30:00+01:00"


def _rows():
    yield ["=1+1", -2, Decimal("2.50")]
    yield ["plain\x07bell", None, dt.datetime(2026, 12, 5, 9, 30, tzinfo=dt.UTC)]


def test_the_csv_is_streamed_line_by_line_with_a_byte_order_mark():
    response = csv_response(Table(filename="f", header=["a", "b", "c"], rows=_rows()))
    assert response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) == 3  # the header, then one chunk a row
    text = b"".join(chunks).decode()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1] == ["'=1+1", "-2", "2.50"]
    assert response["Content-Disposition"] == 'attachment; filename="f.csv"'


def test_the_xlsx_holds_strings_never_formulas_and_keeps_numbers():
    with timezone.override(MADRID):
        response = xlsx_response(Table(filename="f", header=["a", "b", "c"], rows=_rows()))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -2 and sheet["C2"].value == 2.5
    assert sheet["A3"].value == "plainbell"  # a control character XLSX cannot hold
    assert sheet["C3"].value.isoformat() == "2026-12-05T10:30:00"  # on Madrid's clock


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError):
        download(Table(filename="f", header=[], rows=[]), "pdf")
