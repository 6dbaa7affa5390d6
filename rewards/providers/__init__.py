"""Payout methods behind one small contract (README: "Prizes and payouts").

    from rewards import providers

    provider = providers.get("sepa_file")
    batch_file = provider.export(debtor=..., transfers=[...], reference=..., execution_date=...)

A provider is a subclass of `providers.base.PayoutProvider` registered with
`providers.register(...)` (the SEPA file provider is registered here). The
services pick a payout's provider by its `provider` key, hand it the
transfers to make, and turn a `PayoutError` into a clean message: a permanent
error (a bad account, a currency the method cannot pay) needs a person to act,
a transient one (a provider's API is down) may be tried again.
"""

from rewards.providers.base import (
    BatchFile,
    Debtor,
    PayoutError,
    PayoutProvider,
    Transfer,
)
from rewards.providers.sepa import SepaFileProvider

_registry: dict[str, PayoutProvider] = {}


def register(provider: PayoutProvider) -> PayoutProvider:
    """Make a provider available under its `key` (replacing one of the same key)."""
    if not provider.key:
        raise ValueError("a payout provider needs a key")
    _registry[provider.key] = provider
    return provider


def unregister(key: str) -> None:
    _registry.pop(key, None)


def get(key: str) -> PayoutProvider:
    try:
        return _registry[key]
    except KeyError:
        raise PayoutError(f"no payout provider {key!r}", permanent=True) from None


def available() -> list[PayoutProvider]:
    return list(_registry.values())


DEFAULT = register(SepaFileProvider()).key

__all__ = [
    "DEFAULT",
    "BatchFile",
    "Debtor",
    "PayoutError",
    "PayoutProvider",
    "Transfer",
    "available",
    "get",
    "register",
    "unregister",
]
