"""The team, sign-in settings, terms, and people's data requests."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import selectors, services, signin
from accounts.models import Membership, SignInProvider
from accounts.views.public import json_download
from core.errors import DomainError
from core.exports import Table, csv_response
from core.permissions import CONSOLE_ROLES, Role, console_view
from core.views import run_and_say

MANAGERS = (Role.ADMIN,)  # an owner ranks above an admin


def _team_context(request, **extra) -> dict:
    return {
        "members": selectors.team_list(tenant=request.tenant),
        "invitations": selectors.invitations_pending(tenant=request.tenant),
        "can_manage": request.role in (Role.OWNER, Role.ADMIN),
        "is_owner": request.role == Role.OWNER,
        "invitable_roles": [(r, Membership.Role(r).label) for r in services.INVITABLE_ROLES],
        "all_roles": Membership.Role.choices,
        "errors": {},
        "values": {},
    } | extra


@require_GET
@console_view(*CONSOLE_ROLES)
def team(request):
    return render(request, "accounts/console/team.html", _team_context(request))


@require_POST
@console_view(*MANAGERS)
def invite(request):
    values = {"email": request.POST.get("email", ""), "role": request.POST.get("role", "")}
    try:
        invitation = services.invitation_create(
            tenant=request.tenant, email=values["email"], role=values["role"], actor=request.user
        )
    except DomainError as exc:
        context = _team_context(
            request, errors=exc.fields or {"form": [exc.message]}, values=values
        )
        return render(request, "accounts/console/team.html", context, status=400)
    messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
    return redirect("console:team")


@require_POST
@console_view(*MANAGERS)
def invitation_withdraw(request, public_id):
    invitation = selectors.invitation_for_console(request, public_id)
    run_and_say(
        request,
        lambda: services.invitation_withdraw(invitation=invitation, actor=request.user),
        _("Invitation withdrawn."),
    )
    return redirect("console:team")


@require_GET
@console_view(*CONSOLE_ROLES)
def member_detail(request, public_id):
    membership = selectors.membership_for_console(request, public_id)
    return render(
        request,
        "accounts/console/member.html",
        {"membership": membership, "all_roles": Membership.Role.choices,
         "can_manage": request.role in (Role.OWNER, Role.ADMIN), "errors": {}},
    )  # fmt: skip


@require_POST
@console_view(*MANAGERS)
def member_role(request, public_id):
    membership = selectors.membership_for_console(request, public_id)
    try:
        services.membership_change_role(
            membership=membership, role=request.POST.get("role", ""), actor=request.user
        )
    except DomainError as exc:
        return render(
            request,
            "accounts/console/member.html",
            {"membership": membership, "all_roles": Membership.Role.choices,
             "can_manage": True, "errors": exc.fields or {"form": [exc.message]}},
            status=exc.status,
        )  # fmt: skip
    messages.success(request, _("Role changed."))
    return redirect("console:member", public_id=membership.public_id)


@require_http_methods(["GET", "POST"])
@console_view(*MANAGERS)
def member_remove(request, public_id):
    """A confirmation page, then the removal."""
    membership = selectors.membership_for_console(request, public_id)
    error = None
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership, actor=request.user)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Removed from the team."))
            if membership.user_id == request.user.pk:
                return redirect("/")
            return redirect("console:team")
    return render(
        request,
        "accounts/console/member_remove.html",
        {"membership": membership, "error": error},
        status=400 if error else 200,
    )


# --- Sign-in settings -------------------------------------------------------------


def _signin_context(request, **extra) -> dict:
    credentials = selectors.provider_credentials(tenant=request.tenant)
    host = signin.sign_in_host(request)
    rows = []
    for value, label in SignInProvider.choices:
        if value == SignInProvider.OPENID_CONNECT:
            callback = (
                f"{host}/accounts/oidc/{signin.oidc_provider_id(request.tenant)}/login/callback/"
            )
        else:
            callback = f"{host}/accounts/{value}/login/callback/"
        rows.append(
            {"provider": value, "label": label, "credential": credentials.get(value),
             "callback": callback,
             "platform_default": value in signin.platform_apps()}
        )  # fmt: skip
    return {
        "rows": rows,
        "policy": selectors.signin_policy(request.tenant),
        "errors": {},
        "error_provider": None,
    } | extra


@require_GET
@console_view(*MANAGERS)
def signin_settings(request):
    return render(request, "accounts/console/signin.html", _signin_context(request))


@require_POST
@console_view(*MANAGERS)
def signin_credential(request, provider):
    try:
        if request.POST.get("action") == "delete":
            credential = selectors.provider_credentials(tenant=request.tenant).get(provider)
            if credential is not None:
                services.provider_credential_delete(credential=credential, actor=request.user)
            messages.success(request, _("The platform's default app is used again."))
        else:
            services.provider_credential_save(
                tenant=request.tenant,
                provider=provider,
                client_id=request.POST.get("client_id", ""),
                secret=request.POST.get("secret", ""),
                name=request.POST.get("name", ""),
                server_url=request.POST.get("server_url", ""),
                enabled=request.POST.get("enabled") == "on",
                actor=request.user,
            )
            messages.success(request, _("Sign-in settings saved."))
    except DomainError as exc:
        context = _signin_context(
            request, errors=exc.fields or {"form": [exc.message]}, error_provider=provider
        )
        return render(request, "accounts/console/signin.html", context, status=400)
    return redirect("console:signin")


@require_POST
@console_view(*MANAGERS)
def signin_policy(request):
    try:
        services.signin_policy_update(
            tenant=request.tenant,
            refuse_disposable_emails=request.POST.get("refuse_disposable_emails") == "on",
            staff_email_domains=request.POST.get("staff_email_domains", ""),
            actor=request.user,
        )
    except DomainError as exc:
        context = _signin_context(
            request, errors=exc.fields or {"form": [exc.message]}, error_provider="policy"
        )
        return render(request, "accounts/console/signin.html", context, status=400)
    messages.success(request, _("Sign-in settings saved."))
    return redirect("console:signin")


# --- Terms ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@console_view(*MANAGERS)
def terms(request):
    current = selectors.terms_current(tenant=request.tenant)
    if current is None:
        default_terms, default_privacy = services.terms_default_text(request.tenant)
    else:
        default_terms, default_privacy = current.terms, current.privacy_notice
    values = {"terms": default_terms, "privacy_notice": default_privacy}
    errors = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        try:
            version = services.terms_publish(tenant=request.tenant, actor=request.user, **values)
        except DomainError as exc:
            errors = exc.fields or {"form": [exc.message]}
        else:
            messages.success(
                request,
                _(
                    "Version %(version)s is published: participants accept it "
                    "before their next contribution."
                )
                % {"version": version.version},
            )
            return redirect("console:terms")
    return render(
        request,
        "accounts/console/terms.html",
        {"current": current, "values": values, "errors": errors},
        status=400 if errors else 200,
    )


# --- People (participants) and their data requests ------------------------------------

PEOPLE_PAGE = 50


@require_GET
@console_view(*MANAGERS)
def people(request):
    query = request.GET.get("q", "").strip()
    profiles = selectors.participant_list(tenant=request.tenant)
    if query:
        profiles = profiles.filter(user__email__iexact=query) | profiles.filter(
            display_name__icontains=query
        )
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    rows = list(profiles[(page - 1) * PEOPLE_PAGE : page * PEOPLE_PAGE + 1])
    return render(
        request,
        "accounts/console/people.html",
        {"profiles": rows[:PEOPLE_PAGE], "query": query, "page": page,
         "has_next": len(rows) > PEOPLE_PAGE},
    )  # fmt: skip


@require_GET
@console_view(*MANAGERS)
def person_detail(request, public_id):
    profile = selectors.participant_for_console(request, public_id)
    return render(request, "accounts/console/person.html", {"profile": profile, "errors": {}})


@require_GET
@console_view(*MANAGERS)
def person_export(request, public_id):
    profile = selectors.participant_for_console(request, public_id)
    data = services.personal_data_export(user=profile.user, tenant=request.tenant)
    return json_download(data, f"{request.tenant.slug}-person-{profile.public_id}.json")


@require_POST
@console_view(*MANAGERS)
def person_erase(request, public_id):
    profile = selectors.participant_for_console(request, public_id)
    errors = {}
    if request.POST.get("confirm") != "erase":
        errors["confirm"] = [_("Tick the box to confirm: this cannot be undone.")]
    else:
        try:
            services.participant_erase(
                tenant=request.tenant,
                profile=profile,
                mode=request.POST.get("mode", ""),
                actor=request.user,
            )
        except DomainError as exc:
            errors = exc.fields or {"form": [exc.message]}
    if errors:
        return render(
            request, "accounts/console/person.html", {"profile": profile, "errors": errors},
            status=400,
        )  # fmt: skip
    messages.success(request, _("This person's data in this space is erased."))
    return redirect("console:people")


@require_GET
@console_view(*MANAGERS)
def marketing_export(request):
    """The participants who agreed to hear from the brand, as CSV."""
    contacts = selectors.marketing_contacts(tenant=request.tenant).iterator(chunk_size=2000)
    rows = (
        [p.user.email, p.display_name, p.user.language, p.marketing_opt_in_at] for p in contacts
    )
    return csv_response(
        Table(
            filename=f"{request.tenant.slug}-news-contacts",
            header=["email", "public_name", "language", "opted_in_at"],
            rows=rows,
        )
    )
