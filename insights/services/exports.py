"""The exports' one write: the tenant's pseudonym key, made on first use."""

import hashlib
import hmac
import secrets

from django.db import IntegrityError, transaction

from insights.models import PseudonymKey


def pseudonym_key(*, tenant) -> bytes:
    """The tenant's key for pseudonymous ids (made once; a concurrent first
    export finds the one the other made)."""
    key = PseudonymKey.objects.filter(tenant=tenant).values_list("secret", flat=True).first()
    if key is None:
        try:
            with transaction.atomic():
                key = PseudonymKey.objects.create(
                    tenant=tenant, secret=secrets.token_hex(32)
                ).secret
        except IntegrityError:
            key = PseudonymKey.objects.values_list("secret", flat=True).get(tenant=tenant)
    return bytes.fromhex(key)


def pseudonym(key: bytes, user_id: int | None) -> str:
    """A person's id in this tenant's files: stable, and not their id."""
    if user_id is None:
        return ""
    return hmac.new(key, f"person:{user_id}".encode(), hashlib.sha256).hexdigest()[:20]
