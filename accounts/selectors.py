"""Reads on people and teams."""

from django.core import signing
from django.db.models import Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import scope, scopes_disabled

from accounts.models import (
    ApiToken,
    AuditEntry,
    BrandApiKey,
    Consent,
    Invitation,
    Membership,
    ParticipantProfile,
    ProviderCredential,
    SignInPolicy,
    TermsVersion,
)
from core.access import tenant_row_or_404
from tenants.models import Tenant

INVITATION_SALT = "ruche.team.invitation"


def membership_role(user, tenant) -> str | None:
    """The user's stored role in the tenant (core.permissions.role_of caches it)."""
    return (
        Membership.objects.filter(tenant=tenant, user=user).values_list("role", flat=True).first()
    )


def team_list(*, tenant) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(tenant=tenant)
        .select_related("user")
        .order_by("role", "user__display_name", "user__email")
    )


def team_with_roles(tenant, roles) -> list:
    """The users holding one of `roles` in the tenant (core.permissions.team_members)."""
    return [m.user for m in team_list(tenant=tenant).filter(role__in=roles)]


def membership_for_console(request, public_id) -> Membership:
    """The membership of the request's tenant with this id, or 404 — the same 404
    for "missing" and "another tenant's"."""
    return tenant_row_or_404(
        request, Membership.objects.select_related("user"), public_id=public_id
    )


# --- Sign-in policy -----------------------------------------------------------------


def signin_policy(tenant):
    """The tenant's policy, or an unsaved default one (nothing refused, no staff domains)."""
    with scope(tenant=tenant):
        policy = SignInPolicy.objects.filter(tenant=tenant).first()
    return policy or SignInPolicy(tenant=tenant)


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower().rstrip(".")


def is_disposable_email(email: str) -> bool:
    """True for an address at a known throwaway domain (or a sub-domain of one),
    from the maintained `disposable-email-domains` list."""
    from disposable_email_domains import blocklist

    domain = email_domain(email)
    parts = domain.split(".")
    return any(".".join(parts[i:]) in blocklist for i in range(len(parts) - 1))


def email_refused_by(tenant, email: str) -> bool:
    return (
        bool(email)
        and signin_policy(tenant).refuse_disposable_emails
        and (is_disposable_email(email))
    )


def provider_credentials(*, tenant) -> dict:
    """{provider: ProviderCredential} of the tenant's own apps."""
    return {c.provider: c for c in ProviderCredential.objects.filter(tenant=tenant)}


# --- Consent and participants ---------------------------------------------------------


def terms_current(*, tenant) -> TermsVersion | None:
    return TermsVersion.objects.filter(tenant=tenant).order_by("-version").first()


def has_accepted_current_terms(user, tenant) -> bool:
    """One query: a consent of this person to the tenant's latest terms version.
    Cached on the user object for the request."""
    if tenant is None or not getattr(user, "is_authenticated", False):
        return False
    cache = user.__dict__.setdefault("_terms_accepted_by_tenant", {})
    if tenant.pk not in cache:
        latest = TermsVersion.objects.filter(tenant=tenant).order_by("-version").values("pk")[:1]
        cache[tenant.pk] = Consent.objects.filter(
            tenant=tenant, user=user, terms_version=Subquery(latest)
        ).exists()
    return cache[tenant.pk]


def forget_terms_cache(user) -> None:
    user.__dict__.pop("_terms_accepted_by_tenant", None)


def profile_of(user, tenant) -> ParticipantProfile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return ParticipantProfile.objects.filter(tenant=tenant, user=user).first()


def participant_list(*, tenant) -> QuerySet[ParticipantProfile]:
    """The people who took part in the tenant's challenges (they accepted its
    terms): nobody else is ever listed to a tenant."""
    return (
        ParticipantProfile.objects.filter(tenant=tenant)
        .select_related("user")
        .order_by("-created_at", "pk")
    )


def participant_for_console(request, public_id) -> ParticipantProfile:
    """A participant of the request's tenant, or 404 (the same 404 for "missing"
    and "took part elsewhere only")."""
    return tenant_row_or_404(
        request, ParticipantProfile.objects.select_related("user"), public_id=public_id
    )


def public_names(*, tenant, user_ids) -> dict:
    """{user_id: the name shown publicly in this tenant}, in one query, for the
    apps that list contributions (ideas, comments, winners)."""
    names = dict(
        ParticipantProfile.objects.filter(tenant=tenant, user_id__in=set(user_ids)).values_list(
            "user_id", "display_name"
        )
    )
    return {uid: names.get(uid) or str(_("Participant")) for uid in user_ids}


def public_name_expression(user_field: str):
    """An expression for querysets of other apps: the public name in the row's
    tenant of the person in `user_field` ("" when they have none), so an export
    names every author in the same query as their rows."""
    from django.db.models import OuterRef, Value
    from django.db.models.functions import Coalesce

    names = ParticipantProfile.objects.filter(
        tenant=OuterRef("tenant"), user=OuterRef(user_field)
    ).values("display_name")[:1]
    return Coalesce(Subquery(names), Value(""))


def new_participants_count(*, tenant, start, end) -> int:
    """People who first took part in the tenant (their profile was made) in [start, end)."""
    return ParticipantProfile.objects.filter(
        tenant=tenant, created_at__gte=start, created_at__lt=end
    ).count()


def marketing_contacts(*, tenant) -> QuerySet[ParticipantProfile]:
    """Participants who agreed to hear from the brand: what the brand may export."""
    return (
        ParticipantProfile.objects.filter(tenant=tenant, marketing_opt_in=True)
        .select_related("user")
        .order_by("marketing_opt_in_at", "pk")
    )


def tenants_of(user) -> list:
    """Every tenant a person took part in or works for (reviewed unscoped read:
    it spans tenants by nature, for the person's own export and deletion)."""
    with scopes_disabled():
        ids = set(ParticipantProfile.objects.filter(user=user).values_list("tenant_id", flat=True))
        ids |= set(Consent.objects.filter(user=user).values_list("tenant_id", flat=True))
        ids |= set(Membership.objects.filter(user=user).values_list("tenant_id", flat=True))
        ids |= set(ApiToken.objects.filter(user=user).values_list("tenant_id", flat=True))
    return list(Tenant.objects.filter(pk__in=ids).order_by("name"))


# --- Invitations ---------------------------------------------------------------------


def invitations_pending(*, tenant) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(
            tenant=tenant, status=Invitation.Status.PENDING, expires_at__gt=timezone.now()
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitation_for_console(request, public_id) -> Invitation:
    return tenant_row_or_404(request, Invitation.objects.all(), public_id=public_id)


def invitation_from_token(*, tenant, token: str) -> Invitation:
    """The invitation a link points to, or Http404 — forged, for another tenant,
    or unknown alike. Expired or used invitations are returned: the page says so."""
    try:
        public_id = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature as exc:
        raise Http404 from exc
    invitation = Invitation.objects.filter(tenant=tenant, public_id=public_id).first()
    if invitation is None:
        raise Http404
    return invitation


def staff_email_verified(user, tenant) -> bool:
    """True when the person has a verified address at one of the tenant's staff
    domains, or signed in with the tenant's own OpenID Connect provider: who may
    enter an employees-only challenge."""
    if not getattr(user, "is_authenticated", False):
        return False
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    from accounts.signin import oidc_provider_id

    domains = {d.lower() for d in signin_policy(tenant).staff_email_domains}
    if domains:
        for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        ):
            if email_domain(email) in domains:
                return True
    return SocialAccount.objects.filter(user=user, provider=oidc_provider_id(tenant)).exists()


def audit_trail(*, tenant, targets, limit: int = 200) -> list[AuditEntry]:
    """The audit entries of the given objects, newest first (who, when, why).

    `targets` is an iterable of model instances, possibly of several models
    (an idea and its comments); entries are matched by model label and public
    id, as `services.audit_record` writes them."""
    by_type: dict[str, list[str]] = {}
    for target in targets:
        by_type.setdefault(target._meta.label_lower, []).append(
            str(getattr(target, "public_id", target.pk))
        )
    if not by_type:
        return []
    condition = Q()
    for target_type, ids in by_type.items():
        condition |= Q(target_type=target_type, target_id__in=ids)
    return list(
        AuditEntry.objects.filter(tenant=tenant)
        .filter(condition)
        .select_related("actor")
        .order_by("-created_at", "-pk")[:limit]
    )


# --- Brand API keys ----------------------------------------------------------------


def api_key_list(*, tenant) -> QuerySet[BrandApiKey]:
    """The brand's keys, newest first, revoked ones included (the trail names them)."""
    return BrandApiKey.objects.filter(tenant=tenant).select_related("created_by", "revoked_by")


def api_key_for_console(request, public_id) -> BrandApiKey:
    return tenant_row_or_404(request, api_key_list(tenant=request.tenant), public_id=public_id)


def api_key_by_prefix(prefix: str) -> BrandApiKey | None:
    """The key of that prefix, whatever its brand: the caller tells "unknown"
    (401) from "another brand's" (404). One of the few reviewed places that look
    across tenants."""
    with scopes_disabled():
        return (
            BrandApiKey.objects.filter(prefix=prefix).select_related("principal", "tenant").first()
        )


# --- For the dashboard's figures (insights) ------------------------------------------


def signups_between(*, tenant, since, until) -> list[dict]:
    """People who joined the tenant (their first acceptance of its terms made
    their participant profile) in [since, until)."""
    return list(
        ParticipantProfile.objects.filter(
            tenant=tenant, created_at__gte=since, created_at__lt=until
        )
        .values("user_id", "created_at")
        .order_by("created_at", "pk")
    )


def consents_between(*, tenant, since, until) -> list[dict]:
    """Acceptances of the tenant's terms (any version) in [since, until)."""
    return list(
        Consent.objects.filter(tenant=tenant, accepted_at__gte=since, accepted_at__lt=until)
        .values("user_id", "accepted_at")
        .order_by("accepted_at", "pk")
    )


def consented_user_ids(*, tenant, user_ids) -> set[int]:
    """Those of these people who accepted the tenant's terms (any version)."""
    return set(
        Consent.objects.filter(tenant=tenant, user_id__in=set(user_ids)).values_list(
            "user_id", flat=True
        )
    )


def staff_user_ids(*, tenant, user_ids) -> set[int]:
    """Those of these people who are the brand's staff, as staff_email_verified
    decides, in two queries whatever their number."""
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    from accounts.signin import oidc_provider_id

    user_ids = set(user_ids)
    if not user_ids:
        return set()
    staff = set(
        SocialAccount.objects.filter(
            user_id__in=user_ids, provider=oidc_provider_id(tenant)
        ).values_list("user_id", flat=True)
    )
    domains = {d.lower() for d in signin_policy(tenant).staff_email_domains}
    if domains:
        for user_id, email in EmailAddress.objects.filter(
            user_id__in=user_ids, verified=True
        ).values_list("user_id", "email"):
            if email_domain(email) in domains:
                staff.add(user_id)
    return staff
