"""Reads of the integrations app used by the console and the API."""

from django.db.models import Count, QuerySet
from django.http import Http404

from integrations.models import EmbedSettings, WebhookDelivery, WebhookEndpoint

DELIVERY_LOG_SIZE = 50


def endpoint_list(*, tenant) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(tenant=tenant).annotate(
        delivery_count=Count("deliveries")
    )


def endpoint_for_console(request, public_id) -> WebhookEndpoint:
    """The request's tenant's endpoint with this id, or 404 — the same 404 for
    "missing" and "another tenant's"."""
    endpoint = WebhookEndpoint.objects.filter(tenant=request.tenant, public_id=public_id).first()
    if endpoint is None:
        raise Http404
    return endpoint


def delivery_log(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """The endpoint's deliveries, newest first."""
    return WebhookDelivery.objects.filter(tenant=endpoint.tenant_id, endpoint=endpoint).order_by(
        "-created_at", "-id"
    )


def delivery_for_console(*, endpoint: WebhookEndpoint, public_id) -> WebhookDelivery:
    delivery = (
        WebhookDelivery.objects.filter(endpoint=endpoint, public_id=public_id)
        .select_related("endpoint")
        .first()
    )
    if delivery is None:
        raise Http404
    return delivery


def embed_origins(*, tenant) -> list[str]:
    """The origins allowed to frame the brand's embeddable pages ([]: none)."""
    row = EmbedSettings.objects.filter(tenant=tenant).values_list("allowed_origins", flat=True)
    return list(row.first() or [])
