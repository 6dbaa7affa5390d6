"""How a prize is shared between an idea's author and co-authors.

Shares are integer basis points (10,000 = 100 %) that add up to exactly
10,000; money is split in cents, each share rounded down and the last one
taking the remainder, so the parts always add up to the prize to the cent.
Pure functions: no database.
"""

from decimal import Decimal

FULL = 10_000
CENT = Decimal("0.01")


def equal_shares(count: int) -> list[int]:
    """[3334, 3333, 3333] for three people: the first takes the odd basis points."""
    if count < 1:
        raise ValueError("a split needs at least one person")
    base, extra = divmod(FULL, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def split_amount(amount: Decimal, shares: list[int]) -> list[Decimal]:
    """The amount of each share; the parts add up to `amount` exactly."""
    if not shares or any(s <= 0 for s in shares) or sum(shares) != FULL:
        raise ValueError("shares must be positive and add up to 10,000 basis points")
    cents = amount.quantize(CENT)
    if cents != amount:
        raise ValueError("amounts have at most two decimals")
    total = int(cents * 100)
    parts = [total * share // FULL for share in shares[:-1]]
    parts.append(total - sum(parts))
    return [(Decimal(part) / 100).quantize(CENT) for part in parts]


def percent(share_bp: int) -> Decimal:
    """Basis points as a percentage: 3333 → Decimal("33.33")."""
    return (Decimal(share_bp) / 100).quantize(CENT)


def parse_percent(text) -> int | None:
    """ "33.33" / "33,33" / 33 → 3333 basis points; None when it is not a number
    with at most two decimals between 0 and 100."""
    try:
        value = Decimal(str(text).strip().replace(",", ".").rstrip("%").strip())
    except ArithmeticError:
        return None
    if not value.is_finite() or value != value.quantize(CENT) or not 0 < value <= 100:
        return None
    return int(value * 100)
