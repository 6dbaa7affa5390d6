"""The signed-in person's notifications on a tenant's site: the list, marking
read (htmx or plain forms), opening one, and the preferences page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError
from notifications import selectors, services

PAGE_SIZE = 20


def _page(request):
    notifications = selectors.inbox(tenant=request.tenant, user=request.user)
    return Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))


def _bell(request) -> str:
    """The bell, to swap out-of-band after an htmx change."""
    unread = selectors.unread_count(tenant=request.tenant, user=request.user)
    return render_to_string(
        "notifications/partials/bell.html",
        {"show": True, "unread": unread, "oob": True},
        request=request,
    )


@require_GET
@login_required
def inbox(request):
    return render(request, "notifications/inbox.html", {"page": _page(request)})


@require_POST
@login_required
def mark_read(request, public_id):
    notification = selectors.notification_for_viewer(request, public_id)
    services.notification_mark_read(notification=notification)
    if request.htmx:
        item = render_to_string(
            "notifications/partials/item.html", {"notification": notification}, request=request
        )
        return HttpResponse(item + _bell(request))
    return redirect(_back(request))


@require_POST
@login_required
def mark_all_read(request):
    services.notifications_mark_all_read(tenant=request.tenant, user=request.user)
    if request.htmx:
        listing = render_to_string(
            "notifications/partials/list.html", {"page": _page(request)}, request=request
        )
        return HttpResponse(listing + _bell(request))
    return redirect(_back(request))


@require_GET
@login_required
def open_notification(request, public_id):
    """Mark it read and follow its link (a path on this site, or the list)."""
    notification = selectors.notification_for_viewer(request, public_id)
    services.notification_mark_read(notification=notification)
    url = notification.url
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        url = reverse("notifications:inbox")
    return redirect(url)


def _back(request) -> str:
    target = request.POST.get("next", "")
    # A path: anything else would be read as a URL name by redirect().
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return reverse("notifications:inbox")


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request):
    rows = selectors.preferences_of(tenant=request.tenant, user=request.user)
    if request.method == "POST":
        changed = 0
        try:
            for event, current, _chosen in rows:
                wanted = request.POST.get(f"event:{event.name}")
                if event.transactional or wanted is None or wanted == current:
                    continue
                services.preference_set(
                    tenant=request.tenant, user=request.user, event=event.name, delivery=wanted
                )
                changed += 1
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if changed:
                messages.success(request, _("Your choices are saved."))
            return redirect("notifications:preferences")
        rows = selectors.preferences_of(tenant=request.tenant, user=request.user)
    return render(request, "notifications/preferences.html", {"rows": rows})
