"""The console's webhook pages, for owners and administrators: the endpoints,
adding and changing one, its secret and its delivery log."""

import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError
from core.permissions import Role, console_view
from integrations import selectors, services
from integrations.events import CATALOGUE, event_choices

FORM = "integrations/console/endpoint_form.html"


@require_GET
@console_view(Role.ADMIN)
def webhooks(request):
    return render(
        request,
        "integrations/console/webhooks.html",
        {"endpoints": selectors.endpoint_list(tenant=request.tenant)},
    )


def _form_values(request) -> dict:
    return {
        "url": request.POST.get("url", ""),
        "description": request.POST.get("description", ""),
        "events": request.POST.getlist("events"),
    }


def _form(request, *, endpoint=None, values=None, errors=None, status=200):
    return render(
        request,
        FORM,
        {
            "endpoint": endpoint,
            "values": values,
            "errors": errors or {},
            "event_choices": event_choices(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@console_view(Role.ADMIN)
def webhook_add(request):
    if request.method == "GET":
        return _form(request, values={"url": "", "description": "", "events": []})
    values = _form_values(request)
    try:
        endpoint = services.endpoint_create(tenant=request.tenant, **values)
    except DomainError as exc:
        return _form(
            request, values=values, errors=exc.fields or {"form": [exc.message]}, status=400
        )
    messages.success(request, _("Endpoint added. Copy its signing secret below."))
    return redirect("console:webhook", endpoint.public_id)


@require_http_methods(["GET", "POST"])
@console_view(Role.ADMIN)
def webhook_edit(request, public_id):
    endpoint = selectors.endpoint_for_console(request, public_id)
    if request.method == "GET":
        values = {
            "url": endpoint.url,
            "description": endpoint.description,
            "events": endpoint.events,
        }
        return _form(request, endpoint=endpoint, values=values)
    values = _form_values(request)
    try:
        services.endpoint_update(endpoint=endpoint, **values)
    except DomainError as exc:
        return _form(
            request,
            endpoint=endpoint,
            values=values,
            errors=exc.fields or {"form": [exc.message]},
            status=400,
        )
    messages.success(request, _("Endpoint saved."))
    return redirect("console:webhook", endpoint.public_id)


@require_GET
@console_view(Role.ADMIN)
def webhook_detail(request, public_id):
    endpoint = selectors.endpoint_for_console(request, public_id)
    deliveries = list(selectors.delivery_log(endpoint=endpoint)[: selectors.DELIVERY_LOG_SIZE])
    for delivery in deliveries:
        delivery.body_text = json.dumps(delivery.payload, indent=2, ensure_ascii=False)
    return render(
        request,
        "integrations/console/webhook.html",
        {
            "endpoint": endpoint,
            "deliveries": deliveries,
            "event_labels": [CATALOGUE[e].label for e in endpoint.events if e in CATALOGUE],
        },
    )


def _act(request, public_id, action, success: str):
    """Run `action(endpoint)`; a refusal becomes an error message. Back to the endpoint."""
    endpoint = selectors.endpoint_for_console(request, public_id)
    try:
        action(endpoint)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("console:webhook", endpoint.public_id)


@require_POST
@console_view(Role.ADMIN)
def webhook_rotate(request, public_id):
    return _act(
        request,
        public_id,
        lambda e: services.endpoint_secret_rotate(endpoint=e),
        _("New secret made. The previous one stays valid for 24 hours."),
    )


@require_POST
@console_view(Role.ADMIN)
def webhook_enable(request, public_id):
    return _act(
        request, public_id, lambda e: services.endpoint_enable(endpoint=e), _("Endpoint enabled.")
    )


@require_POST
@console_view(Role.ADMIN)
def webhook_disable(request, public_id):
    return _act(
        request, public_id, lambda e: services.endpoint_disable(endpoint=e), _("Endpoint disabled.")
    )


@require_POST
@console_view(Role.ADMIN)
def webhook_test(request, public_id):
    return _act(
        request,
        public_id,
        lambda e: services.endpoint_test_send(endpoint=e),
        _("Test event sent: it appears in the log below."),
    )


@require_POST
@console_view(Role.ADMIN)
def delivery_replay(request, public_id, delivery_id):
    endpoint = selectors.endpoint_for_console(request, public_id)
    delivery = selectors.delivery_for_console(endpoint=endpoint, public_id=delivery_id)
    try:
        services.delivery_replay(delivery=delivery)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Delivery sent again: it appears in the log below."))
    return redirect("console:webhook", endpoint.public_id)


@require_http_methods(["GET", "POST"])
@console_view(Role.ADMIN)
def webhook_delete(request, public_id):
    """A confirmation page, then the deletion."""
    endpoint = selectors.endpoint_for_console(request, public_id)
    if request.method == "POST":
        services.endpoint_delete(endpoint=endpoint)
        messages.success(request, _("Endpoint deleted."))
        return redirect("console:webhooks")
    return render(request, "integrations/console/webhook_delete.html", {"endpoint": endpoint})
