"""The console's webhook pages, for owners and administrators: the endpoints,
adding and changing one, its secret and its delivery log."""

import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError
from core.permissions import Role, console_view
from core.views import run_and_say
from integrations import selectors, services
from integrations.events import CATALOGUE, event_choices
from integrations.models import WebhookEndpoint

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
        "kind": request.POST.get("kind", WebhookEndpoint.Kind.STANDARD),
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
            "kind_choices": WebhookEndpoint.Kind.choices,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@console_view(Role.ADMIN)
def webhook_add(request):
    if request.method == "GET":
        return _form(
            request,
            values={
                "url": "",
                "kind": WebhookEndpoint.Kind.STANDARD,
                "description": "",
                "events": [],
            },
        )
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
            "kind": endpoint.kind,
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


def _endpoint_action(service, success):
    """A POST-only admin view running `service(endpoint=..., **more)` on one endpoint
    (`more`: the rest of the URL's values, such as a delivery's id); a
    refusal becomes an error message, `success` the message otherwise. Back to the
    endpoint."""

    @require_POST
    @console_view(Role.ADMIN)
    def view(request, public_id, **more):
        endpoint = selectors.endpoint_for_console(request, public_id)
        run_and_say(request, lambda: service(endpoint=endpoint, **more), success)
        return redirect("console:webhook", endpoint.public_id)

    return view


webhook_rotate = _endpoint_action(
    services.endpoint_secret_rotate,
    gettext_lazy("New secret made. The previous one stays valid for 24 hours."),
)
webhook_enable = _endpoint_action(services.endpoint_enable, gettext_lazy("Endpoint enabled."))
webhook_disable = _endpoint_action(services.endpoint_disable, gettext_lazy("Endpoint disabled."))
webhook_test = _endpoint_action(
    services.endpoint_test_send, gettext_lazy("Test event sent: it appears in the log below.")
)


def _replay(*, endpoint, delivery_id):
    services.delivery_replay(
        delivery=selectors.delivery_for_console(endpoint=endpoint, public_id=delivery_id)
    )


delivery_replay = _endpoint_action(
    _replay, gettext_lazy("Delivery sent again: it appears in the log below.")
)


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
