"""Every write of the integrations app, one module per topic; import from here.

common.py       the errors
endpoints.py    the brand's endpoints: register, change, rotate, enable, delete
deliveries.py   one delivery attempt, retries and disabling, replays, test events
embeds.py       where the brand's pages may be embedded
"""

from integrations.services.common import WebhookError
from integrations.services.deliveries import (
    deliveries_due,
    delivery_attempt,
    delivery_replay,
    endpoint_test_send,
    retry_delays,
)
from integrations.services.embeds import EmbedError, embed_origins_set
from integrations.services.endpoints import (
    ROTATION_GRACE,
    endpoint_create,
    endpoint_delete,
    endpoint_disable,
    endpoint_enable,
    endpoint_secret_rotate,
    endpoint_update,
)

__all__ = [
    "ROTATION_GRACE",
    "EmbedError",
    "WebhookError",
    "deliveries_due",
    "delivery_attempt",
    "delivery_replay",
    "embed_origins_set",
    "endpoint_create",
    "endpoint_delete",
    "endpoint_disable",
    "endpoint_enable",
    "endpoint_secret_rotate",
    "endpoint_test_send",
    "endpoint_update",
    "retry_delays",
]
