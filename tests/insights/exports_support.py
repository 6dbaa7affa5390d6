"""The exports' and weekly report's tests' fixtures: the rewards tests'
challenge, ideas, votes, juries and winners (tests/rewards/conftest.py, itself
on the juries' fixtures), imported by those test modules (they take precedence
over the dashboard's fixtures of the same name in this folder's conftest), and
a file reader for the exports.

read_csv        the rows of a streamed CSV response
read_xlsx       the rows of an XLSX response, opened with openpyxl (and the sheet)
"""
# ruff: noqa: F401

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.rewards.conftest import (
    advance,
    announced,
    chair,
    client_for,
    decide,
    elena,
    genios,
    jorge,
    jury,
    make_author,
    make_challenge,
    make_idea,
    make_person,
    seat_jury,
    vote,
)

__all__ = [
    "advance",
    "announced",
    "body_of",
    "chair",
    "client_for",
    "decide",
    "elena",
    "genios",
    "jorge",
    "jury",
    "make_author",
    "make_challenge",
    "make_idea",
    "make_person",
    "read_csv",
    "read_xlsx",
    "seat_jury",
    "vote",
]


def body_of(response) -> bytes:
    assert response.streaming, "an export is streamed"
    return b"".join(response.streaming_content)


def read_csv(response) -> list[list[str]]:
    text = body_of(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def read_xlsx(response):
    workbook = load_workbook(io.BytesIO(body_of(response)))
    sheet = workbook.active
    return [[cell.value for cell in row] for row in sheet.iter_rows()], sheet
