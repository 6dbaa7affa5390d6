"""A person's own pages on a tenant's site: the terms, consent, their profile,
their data, deleting their account, and team invitations."""

import json

from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import extensions, intents, selectors, services
from accounts.consent import gate_context, participation_block
from accounts.models import User
from accounts.signin import safe_next
from core.elision import elide
from core.errors import DomainError
from core.middleware import checks_nul_bytes
from core.permissions import role_of


def _next(request) -> str:
    return safe_next(request.POST.get("next") or request.GET.get("next"), request.get_host())


@require_GET
def terms(request):
    """The tenant's current terms and privacy notice, in full."""
    current = selectors.terms_current(tenant=request.tenant)
    if current is None:
        terms_text, privacy_text = services.terms_default_text(request.tenant)
        version, published_at = 1, None
    else:
        terms_text, privacy_text = current.terms, current.privacy_notice
        version, published_at = current.version, current.published_at
    return render(
        request,
        "accounts/terms.html",
        {"terms_text": terms_text, "privacy_text": privacy_text, "version": version,
         "published_at": published_at},
    )  # fmt: skip


@login_required
@require_GET
def consent(request):
    """The consent form as a page (for requests without htmx)."""
    if selectors.has_accepted_current_terms(request.user, request.tenant):
        return redirect(_next(request))
    return render(
        request, "accounts/consent/page.html", gate_context(request, next_url=_next(request))
    )


def _parse_bool(value) -> bool:
    return str(value).lower() in {"1", "true", "on", "yes"}


@checks_nul_bytes  # the public name's field says it
@login_required
@require_POST
def consent_accept(request):
    """Accept the current terms, then go on to `next` — the page the person
    was on, or the continue page that does what they clicked (htmx:
    `HX-Redirect`). A panel on a page with no action waiting is swapped for a
    confirmation and `ruche:terms-accepted` is triggered instead, so nothing
    typed on that page is lost."""
    next_url = _next(request)
    values = {
        "display_name": request.POST.get("display_name", "").strip(),
        "marketing_opt_in": _parse_bool(request.POST.get("marketing_opt_in")),
    }
    errors = {}
    if not _parse_bool(request.POST.get("accept")):
        errors["accept"] = [_("Tick the box to accept the terms and the privacy notice.")]
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0
    if not errors:
        try:
            services.consent_accept(
                tenant=request.tenant,
                user=request.user,
                version=version,
                display_name=values["display_name"],
                marketing_opt_in=values["marketing_opt_in"],
            )
        except DomainError as exc:
            errors = exc.fields or {"form": [exc.message]}
    if errors:
        context = gate_context(request, next_url=next_url, errors=errors, values=values)
        context["as_panel"] = _parse_bool(request.POST.get("as_panel"))
        if request.htmx:
            return render(request, "accounts/consent/form.html", context)
        return render(request, "accounts/consent/page.html", context, status=400)
    waiting = next_url.startswith(reverse("intent_continue"))
    if request.htmx and _parse_bool(request.POST.get("as_panel")) and not waiting:
        response = render(request, "accounts/consent/accepted.html", {"next": next_url})
        response["HX-Trigger"] = "ruche:terms-accepted"
        return response
    if not waiting:  # what they clicked says how it went instead
        messages.success(request, _("Thank you: you can take part now."))
    if request.htmx:
        return HttpResponse(status=200, headers={"HX-Redirect": next_url})
    return redirect(next_url)


@never_cache
@require_GET
def intent_continue(request):
    """What the person clicked before signing in or accepting the terms (a
    vote, a follow), done now, once — then back to the page (accounts.intents)."""
    blocked = participation_block(request)  # signed out, or the terms first
    if blocked is not None:
        return blocked
    try:
        intent = intents.read_intent(
            request.GET.get("intent", ""),
            tenant=request.tenant,
            browser_cookie=request.COOKIES.get(intents.COOKIE, ""),
            host=request.get_host(),
        )
    except intents.IntentInvalid:
        messages.warning(
            request,
            _("What you clicked before signing in could not be done: it took too long or the "
              "link was changed. Please click it again."),
        )  # fmt: skip
        return redirect(_next(request))
    if not intents.mark_done(intent):
        return redirect(intent.back)  # a reload: done already
    try:
        message = intents.handler_for(intent.kind)(request, intent.target)
    except DomainError as exc:
        messages.error(request, exc.message)
    except Http404:
        messages.error(request, _("This is no longer available."))
    else:
        if message:
            messages.success(request, message)
    return redirect(intent.back)


@checks_nul_bytes  # the public name's field says it
@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The person's profile in this tenant (public name, avatar, news opt-in)."""
    profile = selectors.profile_of(request.user, request.tenant)
    errors = {}
    if request.method == "POST" and profile is not None:
        try:
            services.profile_update(
                tenant=request.tenant,
                user=request.user,
                display_name=request.POST.get("display_name", ""),
                marketing_opt_in=_parse_bool(request.POST.get("marketing_opt_in")),
                avatar=request.FILES.get("avatar"),
                remove_avatar=_parse_bool(request.POST.get("remove_avatar")),
            )
        except DomainError as exc:
            errors = exc.fields or {"form": [exc.message]}
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("profile")
    return render(
        request,
        "accounts/profile.html",
        {"profile": profile, "errors": errors, "role": role_of(request.user, request.tenant),
         "accepted": selectors.has_accepted_current_terms(request.user, request.tenant),
         "links": extensions.profile_links()},
        status=400 if errors else 200,
    )  # fmt: skip


def json_download(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def data_export(request):
    """All the person's data as JSON: ?scope=tenant (this brand) or platform (all)."""
    whole = request.GET.get("scope") == "platform"
    data = services.personal_data_export(
        user=request.user, tenant=None if whole else request.tenant
    )
    name = "ruche-my-data.json" if whole else f"{request.tenant.slug}-my-data.json"
    return json_download(data, name)


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """Delete the account: type the e-mail address to confirm, choose what
    happens to ideas and comments."""
    errors = {}
    mode = request.POST.get("mode", "")
    if request.method == "POST":
        if request.POST.get("confirm_email", "").strip().lower() != request.user.email.lower():
            errors["confirm_email"] = [_("Type your e-mail address to confirm.")]
        else:
            try:
                services.account_delete(user=request.user, mode=mode)
            except DomainError as exc:
                errors = exc.fields or {"form": [exc.message]}
            else:
                auth.logout(request)
                messages.success(request, _("Your account and your data are deleted. Goodbye."))
                return redirect("/")
    return render(
        request,
        "accounts/account_delete.html",
        {"errors": errors, "mode": mode},
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """The page an invitation e-mail links to: join the team in one click."""
    invitation = selectors.invitation_from_token(tenant=request.tenant, token=token)
    account_exists = User.objects.filter(email__iexact=invitation.email).exists()
    error = None
    is_open = invitation.status == invitation.Status.PENDING and not invitation.is_expired
    if request.method == "POST" and not is_open:
        error = _("This invitation was already used, withdrawn, or has expired.")
    elif request.method == "POST":
        try:
            if request.user.is_authenticated:
                services.invitation_accept(invitation=invitation, user=request.user)
            elif not account_exists:
                user = services.invitation_accept_as_new_account(invitation=invitation)
                auth.login(
                    request, user, backend="allauth.account.auth_backends.AuthenticationBackend"
                )
            else:
                return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                elide(
                    _("Welcome to the team of %(name)s.") % {"name": request.tenant.name},
                    request.tenant.name,
                ),
            )
            return redirect("console:home" if invitation.role != "juror" else "/")
    invitation.refresh_from_db()
    return render(
        request,
        "accounts/invitation.html",
        {"invitation": invitation, "account_exists": account_exists, "error": error,
         "open": invitation.status == invitation.Status.PENDING and not invitation.is_expired},
        status=400 if error else 200,
    )  # fmt: skip
