"""The brand's webhook endpoints: register, change, rotate the secret, enable,
disable, delete."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import FieldErrors
from integrations.events import CATALOGUE
from integrations.models import WebhookEndpoint
from integrations.outbound import UnsafeURL, url_check
from integrations.services.common import WebhookError
from integrations.signing import secret_generate
from tenants.models import Tenant

# How long the previous secret keeps signing deliveries after a rotation.
ROTATION_GRACE = timedelta(hours=24)
URL_MAX_LENGTH = 500
DESCRIPTION_MAX_LENGTH = 200


def _checked(
    *, url: str, description: str, events: list[str], kind: str, known_url: str = ""
) -> tuple[str, str, list[str]]:
    """The cleaned fields, or WebhookError naming every problem. A URL other than
    `known_url` is checked against the SSRF guard (every delivery checks it again)."""
    errors = FieldErrors()
    url = (url or "").strip()
    if not url:
        errors.add("url", _("Enter the URL deliveries are sent to."))
    elif len(url) > URL_MAX_LENGTH:
        errors.add("url", _("The URL is too long (%(max)s characters at most).") % {"max": 500})
    elif url != known_url:
        try:
            url_check(url)
        except UnsafeURL as exc:
            errors.add("url", exc.message)
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX_LENGTH:
        errors.add(
            "description",
            _("The description is too long (%(max)s characters at most).") % {"max": 200},
        )
    if kind not in WebhookEndpoint.Kind.values:
        errors.add("kind", _("Choose what the endpoint receives."))
    events = list(dict.fromkeys(events or []))
    unknown = [e for e in events if e not in CATALOGUE]
    if unknown:
        errors.add("events", _("Unknown event: %(names)s.") % {"names": ", ".join(unknown)})
    elif not events:
        errors.add("events", _("Choose at least one event."))
    errors.raise_if_any(WebhookError)
    return url, description, events


def endpoint_create(
    *,
    tenant: Tenant,
    url: str,
    events: list[str],
    description: str = "",
    kind: str = WebhookEndpoint.Kind.STANDARD,
) -> WebhookEndpoint:
    """A new endpoint: the brand's systems (signed JSON), or a team chat's
    incoming webhook (`kind` slack or teams: messages people read)."""
    url, description, events = _checked(url=url, description=description, events=events, kind=kind)
    return WebhookEndpoint.objects.create(
        tenant=tenant,
        url=url,
        kind=kind,
        description=description,
        events=events,
        secret=secret_generate(),
    )


def endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    url: str,
    events: list[str],
    description: str = "",
    kind: str | None = None,
) -> WebhookEndpoint:
    kind = kind or endpoint.kind
    url, description, events = _checked(
        url=url, description=description, events=events, kind=kind, known_url=endpoint.url
    )
    endpoint.url, endpoint.description, endpoint.events = url, description, events
    endpoint.kind = kind
    endpoint.save(update_fields=["url", "description", "events", "kind"])
    return endpoint


def endpoint_secret_rotate(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new secret; the current one still signs deliveries for ROTATION_GRACE,
    so the receiver can switch without losing any."""
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_expires_at = timezone.now() + ROTATION_GRACE
        endpoint.secret = secret_generate()
        endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
    return endpoint


def endpoint_enable(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Back on; its failure streak starts again from zero."""
    endpoint.enabled, endpoint.disabled_reason, endpoint.failure_streak = True, "", 0
    endpoint.save(update_fields=["enabled", "disabled_reason", "failure_streak"])
    return endpoint


def endpoint_disable(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    if endpoint.enabled:
        endpoint.enabled = False
        endpoint.disabled_reason = WebhookEndpoint.DisabledReason.BY_TEAM
        endpoint.save(update_fields=["enabled", "disabled_reason"])
    return endpoint


def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """The endpoint and its delivery log."""
    endpoint.delete()
