"""The notification event integrations adds to the registry: the brand's
owners and admins hear that an endpoint was disabled after failing deliveries.
Registered from IntegrationsConfig.ready(); its templates live in
integrations/templates/notifications/events/."""

from django.utils.translation import gettext_lazy

from notifications.events import Event, register


def register_events() -> None:
    register(
        Event(
            "webhooks.endpoint_disabled",
            gettext_lazy("A webhook endpoint is disabled after failing deliveries"),
            transactional=True,
            required=("endpoint_url",),
            example={"endpoint_url": "https://crm.example.com/hooks", "url": "/console/webhooks/"},
            action_label=gettext_lazy("Open the webhooks"),
        )
    )
