"""Money and rules in plain words, per language."""

from decimal import Decimal

import pytest
from django.utils import translation

from campaigns.money import format_money

NBSP = "\u00a0"
NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("amount", "currency", "language", "expected"),
    [
        ("500", "EUR", "en", "€500"),
        ("500", "EUR", "fr", f"500{NBSP}€"),
        ("500", "EUR", "es", f"500{NBSP}€"),
        ("1500", "EUR", "en", "€1,500"),
        ("1500", "EUR", "fr", f"1{NNBSP}500{NBSP}€"),
        ("1500", "EUR", "es", f"1500{NBSP}€"),  # Spanish groups from five digits on
        ("15000", "EUR", "es", f"15.000{NBSP}€"),
        ("12.5", "EUR", "fr", f"12,50{NBSP}€"),
        ("12.5", "USD", "en", "$12.50"),
        ("99.99", "GBP", "en", "£99.99"),
        ("1000000", "CHF", "en", f"CHF{NBSP}1,000,000"),
        ("1000000", "CHF", "fr", f"1{NNBSP}000{NNBSP}000{NBSP}CHF"),
    ],
)
def test_money_is_written_the_way_each_language_writes_it(amount, currency, language, expected):
    assert format_money(Decimal(amount), currency, language) == expected


def test_the_active_language_is_used_by_default():
    with translation.override("fr"):
        assert format_money(Decimal("500"), "EUR") == f"500{NBSP}€"
    with translation.override("en"):
        assert format_money(Decimal("500"), "EUR") == "€500"
