"""The sign-in buttons of a tenant, and the demo identity of the demo sign-in."""

import secrets

from django import template
from django.utils.translation import gettext as _

from accounts import signin

register = template.Library()

LABELS = {
    "google": lambda: _("Continue with Google"),
    "facebook": lambda: _("Continue with Facebook"),
    "twitter_oauth2": lambda: _("Continue with X"),
    "dummy": lambda: _("Demo sign-in (no real account)"),
}


@register.inclusion_tag("accounts/signin/buttons.html", takes_context=True)
def signin_buttons(context, process="login", next_url=None):
    """One POST button per provider the tenant offers (its own app or the
    platform's), plus the demo sign-in where it is allowed."""
    request = context["request"]
    tenant = getattr(request, "tenant", None)
    if tenant is None:
        return {"buttons": []}
    if next_url is None:
        next_url = request.GET.get("next") or (
            request.get_full_path() if process == "connect" else "/"
        )
    buttons = []
    for app in signin.apps_for(tenant):
        if app.provider == signin.OIDC:
            buttons.append(
                {"id": "oidc", "action": f"/accounts/oidc/{app.provider_id}/login/",
                 "label": _("Continue with %(name)s") % {"name": app.name}}
            )  # fmt: skip
        else:
            buttons.append(
                {"id": app.provider, "action": f"/accounts/{app.provider}/login/",
                 "label": LABELS[app.provider]()}
            )  # fmt: skip
    if signin.demo_enabled():
        buttons.append(
            {"id": "demo", "action": "/accounts/dummy/login/", "label": LABELS["dummy"]()}
        )
    return {
        "buttons": buttons,
        "process": process,
        "next": signin.safe_next(next_url, request.get_host()),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def signin_tenant(context):
    """On the sign-in host, the tenant the person is signing in to."""
    return signin.tenant_for_request(context.get("request"))


@register.simple_tag
def demo_identity():
    number = secrets.randbelow(9000) + 1000
    return {
        "id": secrets.randbelow(10**9) + 1,
        "email": f"demo-{number}@example.com",
        "first_name": _("Demo person %(number)s") % {"number": number},
    }
