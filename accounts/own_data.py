"""The accounts app's own sections of people's data (see accounts.personal_data)."""

from functools import partial

from django.db import transaction

from accounts import personal_data
from accounts.models import ApiToken, AuditEntry, Consent, Membership, ParticipantProfile


def _iso(value):
    return value.isoformat() if value else None


def profile_export(*, user, tenant):
    profile = ParticipantProfile.objects.filter(tenant=tenant, user=user).first()
    if profile is None:
        return None
    return {
        "public_name": profile.display_name,
        "avatar": profile.avatar.url if profile.avatar else None,
        "marketing_opt_in": profile.marketing_opt_in,
        "marketing_opt_in_at": _iso(profile.marketing_opt_in_at),
        "created_at": _iso(profile.created_at),
    }


def profile_erase(*, user, tenant, mode):
    for profile in ParticipantProfile.objects.filter(tenant=tenant, user=user):
        if profile.avatar:
            transaction.on_commit(partial(profile.avatar.storage.delete, profile.avatar.name))
        profile.delete()


def consents_export(*, user, tenant):
    return [
        {"terms_version": c.terms_version.version, "accepted_at": _iso(c.accepted_at)}
        for c in Consent.objects.filter(tenant=tenant, user=user)
        .select_related("terms_version")
        .order_by("accepted_at")
    ]


def consents_erase(*, user, tenant, mode):
    Consent.objects.filter(tenant=tenant, user=user).delete()


def team_export(*, user, tenant):
    membership = Membership.objects.filter(tenant=tenant, user=user).first()
    actions = [
        {"action": e.action, "at": _iso(e.created_at)}
        for e in AuditEntry.objects.filter(tenant=tenant, actor=user).order_by("created_at")
    ]
    if membership is None and not actions:
        return None
    return {
        "role": membership.role if membership else None,
        "since": _iso(membership.created_at) if membership else None,
        "actions_on_record": actions,
    }


def team_erase(*, user, tenant, mode):
    """Nothing: the membership goes with the account (a tenant's erasure of a
    participant leaves its team alone); the audit trail is scrubbed by the
    deletion service after every section."""


def api_token_export(*, user, tenant):
    token = ApiToken.objects.filter(tenant=tenant, user=user).first()
    return {"issued_at": _iso(token.created_at)} if token else None


def api_token_erase(*, user, tenant, mode):
    ApiToken.objects.filter(tenant=tenant, user=user).delete()


def account_export(*, user, tenant=None):
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    return {
        "id": str(user.public_id),
        "email": user.email,
        "display_name": user.display_name,
        "language": user.language,
        "joined_at": _iso(user.date_joined),
        "last_sign_in_at": _iso(user.last_login),
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "connected_accounts": [
            {"provider": a.provider, "since": _iso(a.date_joined)}
            for a in SocialAccount.objects.filter(user=user).order_by("provider")
        ],
    }


def account_erase(*, user, tenant=None, mode):
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    SocialAccount.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()


def register_all() -> None:
    personal_data.register(
        "account", export=account_export, erase=account_erase, order=0, per_tenant=False
    )
    personal_data.register("profile", export=profile_export, erase=profile_erase, order=10)
    personal_data.register("consents", export=consents_export, erase=consents_erase, order=11)
    personal_data.register("team", export=team_export, erase=team_erase, order=12)
    personal_data.register("api_token", export=api_token_export, erase=api_token_erase, order=13)
