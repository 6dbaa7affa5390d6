"""Signing deliveries the Standard Webhooks way (https://www.standardwebhooks.com/):

    webhook-id:        the event's id (the same on every retry)
    webhook-timestamp: seconds since the epoch, when this attempt was made
    webhook-signature: "v1,<base64 HMAC-SHA256 of '{id}.{timestamp}.{body}'>",
                       space-separated, one per valid secret during a rotation

Secrets are shown as `whsec_<base64 of 32 random bytes>`; the HMAC key is the
decoded bytes. The reference library does the signing, so receivers using any
Standard Webhooks library verify our deliveries as they are.
"""

import base64
import secrets
from datetime import datetime

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret


def secret_generate() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signature_header(*, secrets_: list[str], msg_id: str, timestamp: datetime, body: bytes) -> str:
    return " ".join(
        Webhook(secret).sign(msg_id=msg_id, timestamp=timestamp, data=body) for secret in secrets_
    )


def signed_headers(*, secrets_: list[str], msg_id: str, timestamp: datetime, body: bytes) -> dict:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signature_header(
            secrets_=secrets_, msg_id=msg_id, timestamp=timestamp, body=body
        ),
    }
