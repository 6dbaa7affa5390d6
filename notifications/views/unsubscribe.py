"""One-click unsubscribing from e-mails, signed in or not.

The link in every optional e-mail carries a signed token (who, which tenant,
which event). Opening it shows one button; pressing it unsubscribes. A GET
never unsubscribes by itself, because mail scanners open links. Mail clients
that support RFC 8058 POST `List-Unsubscribe=One-Click` to the same address,
without cookies: the token is the credential, so the view is CSRF-exempt.
"""

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from notifications import services
from notifications.events import get_event


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        user, event = services.unsubscribe_read(token=token, tenant=request.tenant)
        label = None if event == services.ALL_EVENTS else get_event(event).label
    except DomainError as error:
        return render(
            request, "notifications/unsubscribe.html", {"error": error.message}, status=400
        )
    done = False
    if request.method == "POST":
        services.unsubscribe(tenant=request.tenant, user=user, event=event)
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {"label": label, "done": done},
    )
