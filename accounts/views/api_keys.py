"""The console's page of the brand's API keys, for owners and administrators:
the list, making one (its secret shown on the answer to the form, once) and
revoking one (after a confirmation)."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts import selectors, services
from core.errors import DomainError
from core.permissions import KeyScope, Role, console_view

PAGE = "accounts/console/api_keys.html"

# The lifetimes offered in the form, in days ("" : no expiry).
EXPIRIES = [
    ("30", gettext_lazy("30 days")),
    ("90", gettext_lazy("90 days")),
    ("365", gettext_lazy("1 year")),
    ("", gettext_lazy("Never")),
]

SCOPE_HELP = {
    KeyScope.READ: gettext_lazy("Read challenges, ideas, votes, people and statistics."),
    KeyScope.CONSOLE_WRITE: gettext_lazy("Change challenges, rounds, juries and settings."),
    KeyScope.MODERATION: gettext_lazy("Approve, hide and reject ideas and comments."),
    KeyScope.PAYOUTS: gettext_lazy("Read, approve and export payouts, bank details included."),
}


def _page(request, *, values=None, errors=None, created=None, status=200):
    return render(
        request,
        PAGE,
        {
            "keys": selectors.api_key_list(tenant=request.tenant),
            "scopes": [(s.value, s.label, SCOPE_HELP[s]) for s in KeyScope],
            "expiries": EXPIRIES,
            "values": values or {"name": "", "scopes": [KeyScope.READ], "expiry": "90"},
            "errors": errors or {},
            "created": created,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@console_view(Role.ADMIN)
def api_keys(request):
    if request.method == "GET":
        return _page(request)
    values = {
        "name": request.POST.get("name", ""),
        "scopes": request.POST.getlist("scopes"),
        "expiry": request.POST.get("expiry", ""),
    }
    expires_at = None
    if values["expiry"]:
        if values["expiry"] not in {days for days, _label in EXPIRIES}:
            errors = {"expiry": [_("Choose one of the lifetimes offered.")]}
            return _page(request, values=values, errors=errors, status=400)
        expires_at = timezone.now() + timedelta(days=int(values["expiry"]))
    try:
        key, presented = services.api_key_create(
            tenant=request.tenant,
            name=values["name"],
            scopes=values["scopes"],
            expires_at=expires_at,
            created_by=request.user,
        )
    except DomainError as exc:
        errors = exc.fields or {"form": [exc.message]}
        return _page(request, values=values, errors=errors, status=400)
    # Shown in this answer only, never stored: no redirect, so a reload cannot show it again.
    response = _page(request, created={"key": key, "secret": presented})
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@console_view(Role.ADMIN)
def api_key_revoke(request, public_id):
    """A confirmation page, then the revocation."""
    key = selectors.api_key_for_console(request, public_id)
    if request.method == "POST":
        services.api_key_revoke(key=key, by=request.user)
        messages.success(request, _("The key “%(name)s” is revoked.") % {"name": key.name})
        return redirect("console:api_keys")
    return render(request, "accounts/console/api_key_revoke.html", {"key": key})
