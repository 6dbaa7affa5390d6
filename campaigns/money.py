"""Money shown the way each language writes it: "€1,500" (en), "1 500 €" (fr),
"1500 €" / "15.000 €" (es).

Amounts are Decimals; a whole amount is shown without cents ("500 €"), any
other with two decimals ("12,50 €").
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF"}
NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space: the French thousands separator

# language → (decimal separator, thousands separator, min digits before grouping, symbol first)
STYLES = {
    "en": (".", ",", 4, True),
    "fr": (",", NNBSP, 4, False),
    # Spanish groups only from five digits on (CLDR): 1500 €, 15.000 €.
    "es": (",", ".", 5, False),
}


def _group(digits: str, separator: str, minimum: int) -> str:
    if len(digits) < minimum:
        return digits
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return separator.join(groups)


def format_number(amount: Decimal, language: str | None = None) -> str:
    language = (language or translation.get_language() or "en")[:2]
    decimal_sep, thousands_sep, minimum, _symbol_first = STYLES.get(language, STYLES["en"])
    amount = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    negative = amount < 0
    whole, cents = f"{abs(amount):.2f}".split(".")
    text = _group(whole, thousands_sep, minimum)
    if cents != "00":
        text += decimal_sep + cents
    return f"-{text}" if negative else text


def format_money(amount: Decimal, currency: str, language: str | None = None) -> str:
    language = (language or translation.get_language() or "en")[:2]
    _decimal, _thousands, _minimum, symbol_first = STYLES.get(language, STYLES["en"])
    number = format_number(amount, language)
    symbol = SYMBOLS.get(currency, currency)
    if symbol_first:
        # "€500", "$500", "£500", but "CHF 500": letters need a space.
        return f"{symbol}{NBSP if symbol.isalpha() else ''}{number}"
    return f"{number}{NBSP}{symbol}"


def format_percent(value: Decimal, language: str | None = None) -> str:
    """A percentage the way each language writes it: "50%" (en), "50 %" (fr, es),
    "33,33 %" — a no-break space keeps the sign with its number."""
    language = (language or translation.get_language() or "en")[:2]
    number = format_number(value, language)
    return f"{number}%" if language not in ("fr", "es") else f"{number}{NBSP}%"
