"""The contract every payout method follows.

A provider turns approved payouts into money on its way:

- a *file* provider (`kind = "file"`, the SEPA credit-transfer file) writes
  one file for a batch of transfers; the brand takes it to its bank and later
  records the bank run (paid, or failed with a reason) in the console;
- an *API* provider (`kind = "api"`: Stripe Connect, PayPal Payouts…) would
  send the same batch through a third party's API and report each transfer's
  outcome; it implements `export` by calling that API and returning the
  provider's receipt as the batch file.

Everything a provider receives is plain data (`Debtor`, `Transfer`): no model,
no database access, no request. Amounts are `Decimal` in the transfer's
currency, never floats. A provider raises `PayoutError` and nothing else:
`permanent=True` when retrying cannot help (a currency it cannot pay, an
account it refuses), `permanent=False` for a passing failure (a timeout, a
provider's 5xx) that the caller may retry.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


class PayoutError(Exception):
    """A payout method could not do what was asked."""

    def __init__(self, message: str, *, permanent: bool = False, code: str = "payout_failed"):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.code = code


@dataclass(frozen=True)
class Debtor:
    """The brand's account the money leaves from."""

    name: str
    iban: str
    bic: str = ""


@dataclass(frozen=True)
class Transfer:
    """One payment to make: who, where, how much, and the reference both
    sides will see (`end_to_end_id` comes back in the bank's statements)."""

    end_to_end_id: str
    amount: Decimal
    currency: str
    creditor_name: str
    iban: str
    bic: str
    description: str


@dataclass(frozen=True)
class BatchFile:
    """What the brand downloads (or the provider's receipt for an API provider)."""

    content: bytes
    file_name: str
    content_type: str
    reference: str
    total: Decimal
    count: int


class PayoutProvider:
    """Subclass, set the class attributes, implement `export`."""

    key: str = ""
    label: str = ""
    kind: str = "file"  # "file" or "api"
    currencies: tuple[str, ...] = ()

    def supports(self, currency: str) -> bool:
        return currency in self.currencies

    def check_debtor(self, debtor: Debtor) -> None:
        """Raise PayoutError(permanent=True) when the brand's account cannot pay."""

    def export(
        self,
        *,
        debtor: Debtor,
        transfers: list[Transfer],
        reference: str,
        execution_date: dt.date,
    ) -> BatchFile:
        raise NotImplementedError
