"""Encryption of the secrets brands give us (their OAuth client secrets).

Keys come from settings.SIGNIN_SECRETS_KEYS (the first encrypts, all decrypt,
so a key can be rotated by putting the new one first); without any, a key is
derived from SECRET_KEY. Each configured value is stretched to a Fernet key, so
any long random string will do.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SecretUnreadable(Exception):
    """The stored secret was encrypted with a key we no longer have."""


def _fernet() -> MultiFernet:
    keys = list(getattr(settings, "SIGNIN_SECRETS_KEYS", None) or []) or [settings.SECRET_KEY]
    return MultiFernet(
        [
            Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"ruche.secrets:{k}".encode()).digest()))
            for k in keys
        ]
    )


def encrypt_secret(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt_secret(value: str) -> str:
    if not value:
        return ""
    try:
        return _fernet().decrypt(value.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable from exc
