"""Writes on people, team memberships, consent, sign-in settings, people's own
data and the audit trail."""

import re
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope
from rest_framework import status

from accounts import personal_data, selectors
from accounts.crypto import encrypt_secret
from accounts.models import (
    AuditEntry,
    Consent,
    Invitation,
    Membership,
    ParticipantProfile,
    ProviderCredential,
    SignInPolicy,
    SignInProvider,
    TermsVersion,
    User,
)
from accounts.permissions import role_of
from config.api import DomainError
from config.images import ImageRejected, clean_image
from tenants.models import Tenant


class MembershipError(DomainError):
    code = "membership_invalid"


class NotAllowed(DomainError):
    code = "permission_denied"
    status = status.HTTP_403_FORBIDDEN


class InvitationError(DomainError):
    code = "invitation_invalid"


class ConsentError(DomainError):
    code = "consent_invalid"


class SignInSettingsError(DomainError):
    code = "signin_settings_invalid"


class PrivacyError(DomainError):
    code = "privacy_invalid"


def audit_record(
    *,
    tenant: Tenant,
    actor: User | None,
    action: str,
    target,
    reason: str = "",
    data: dict | None = None,
) -> AuditEntry:
    """Append to the tenant's audit trail. `target` is any model instance."""
    return AuditEntry.objects.create(
        tenant=tenant,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(getattr(target, "public_id", target.pk)),
        reason=reason,
        data=data or {},
    )


def user_create(
    *, email: str, password: str | None = None, display_name: str = "", language: str = ""
) -> User:
    """An account the platform creates itself (an operator, the demo, a person
    who accepts an e-mailed team invitation): its address is on record as
    verified. People who sign up on their own go through allauth, which
    verifies their address with a code first."""
    from allauth.account.models import EmailAddress

    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(
            _("An account with this e-mail address already exists."), code="email_taken"
        )
    with transaction.atomic():
        user = User.objects.create_user(
            email, password, display_name=display_name.strip(), language=language
        )
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def membership_grant(
    *, tenant: Tenant, user: User, role: str, actor: User | None = None
) -> Membership:
    """Put `user` on the tenant's team with `role` (or change their role)."""
    if role not in Membership.Role.values:
        raise MembershipError(_("Unknown role."))
    with transaction.atomic():
        membership, created = Membership.objects.select_for_update().get_or_create(
            tenant=tenant, user=user, defaults={"role": role}
        )
        if created:
            audit_record(
                tenant=tenant,
                actor=actor,
                action="membership.grant",
                target=membership,
                data={"role": role, "user": str(user.public_id)},
            )
            return membership
        return membership_set_role(membership=membership, role=role, actor=actor)


def membership_set_role(
    *, membership: Membership, role: str, actor: User | None = None
) -> Membership:
    if role not in Membership.Role.values:
        raise MembershipError(_("Unknown role."))
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == role:
            return membership
        if membership.role == Membership.Role.OWNER:
            _ensure_another_owner(membership)
        previous = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        audit_record(
            tenant=membership.tenant,
            actor=actor,
            action="membership.role",
            target=membership,
            data={"from": previous, "to": role},
        )
    return membership


def membership_revoke(*, membership: Membership, actor: User | None = None) -> None:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == Membership.Role.OWNER:
            _ensure_another_owner(membership)
        audit_record(
            tenant=membership.tenant,
            actor=actor,
            action="membership.revoke",
            target=membership,
            data={"role": membership.role, "user": str(membership.user.public_id)},
        )
        membership.delete()


def _ensure_another_owner(membership: Membership) -> None:
    """Call while holding the membership's row lock. Locks every owner row of the
    tenant so two admins demoting the last two owners at once cannot both pass."""
    owners = list(
        Membership.objects.select_for_update()
        .filter(tenant=membership.tenant, role=Membership.Role.OWNER)
        .values_list("pk", flat=True)
    )
    if [pk for pk in owners if pk != membership.pk] == []:
        raise MembershipError(
            _("A tenant keeps at least one owner: name another owner first."), code="last_owner"
        )


# --- Team: who may change whom --------------------------------------------------------

MANAGERS = (Membership.Role.OWNER, Membership.Role.ADMIN)
INVITABLE_ROLES = (Membership.Role.ADMIN, Membership.Role.MODERATOR, Membership.Role.JUROR)


def _check_may_manage(*, tenant: Tenant, actor: User, roles: tuple[str, ...]) -> None:
    """Owners and administrators manage the team; only an owner names, changes
    or removes an owner."""
    actor_role = role_of(actor, tenant)
    if actor_role not in MANAGERS:
        raise NotAllowed(_("Only owners and administrators manage the team."))
    if Membership.Role.OWNER in roles and actor_role != Membership.Role.OWNER:
        raise NotAllowed(_("Only an owner can name, change or remove an owner."))


def _forget_roles(*users: User) -> None:
    for user in users:
        user.__dict__.pop("_roles_by_tenant", None)


def membership_change_role(*, membership: Membership, role: str, actor: User) -> Membership:
    """A manager changes a team member's role (the last-owner rule holds)."""
    if role not in Membership.Role.values:
        raise MembershipError(_("Unknown role."), fields={"role": [_("Unknown role.")]})
    _check_may_manage(tenant=membership.tenant, actor=actor, roles=(membership.role, role))
    membership = membership_set_role(membership=membership, role=role, actor=actor)
    _forget_roles(actor, membership.user)
    return membership


def membership_remove(*, membership: Membership, actor: User) -> None:
    """A manager takes someone off the team (or leaves it)."""
    _check_may_manage(tenant=membership.tenant, actor=actor, roles=(membership.role,))
    membership_revoke(membership=membership, actor=actor)
    _forget_roles(actor, membership.user)


# --- Team invitations ----------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(str(invitation.public_id), salt=selectors.INVITATION_SALT)


def invitation_path(invitation: Invitation) -> str:
    return f"/team/invitations/{invitation_token(invitation)}/"


def invitation_create(*, tenant: Tenant, email: str, role: str, actor: User) -> Invitation:
    """Invite `email` to the team as admin, moderator or juror. Inviting the same
    address again replaces the pending invitation (and sends a fresh link)."""
    _check_may_manage(tenant=tenant, actor=actor, roles=(role,))
    if role not in INVITABLE_ROLES:
        raise InvitationError(
            _("Invite people as administrator, moderator or juror."),
            fields={"role": [_("Choose administrator, moderator or juror.")]},
        )
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvitationError(
            _("Enter a valid e-mail address."),
            fields={"email": [_("Enter a valid e-mail address.")]},
        ) from exc
    if Membership.objects.filter(tenant=tenant, user__email__iexact=email).exists():
        raise InvitationError(
            _("This person is already on the team: change their role instead."),
            code="already_member",
            fields={"email": [_("Already on the team.")]},
        )
    days = getattr(settings, "TEAM_INVITATION_DAYS", 7)
    with transaction.atomic():
        Invitation.objects.select_for_update().filter(
            tenant=tenant, email__iexact=email, status=Invitation.Status.PENDING
        ).update(status=Invitation.Status.WITHDRAWN, responded_at=timezone.now())
        invitation = Invitation.objects.create(
            tenant=tenant,
            email=email,
            role=role,
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit_record(
            tenant=tenant,
            actor=actor,
            action="invitation.create",
            target=invitation,
            data={"role": role},
        )
        _invitation_send(invitation)
    return invitation


def _invitation_send(invitation: Invitation) -> None:
    """Existing accounts are told through notifications (bell and e-mail); an
    address without an account gets the e-mail alone, on commit."""
    from accounts import tasks

    invitee = User.objects.filter(email__iexact=invitation.email, is_active=True).first()
    if invitee is not None:
        from notifications.services import notify

        inviter = invitation.invited_by
        notify(
            recipient=invitee,
            event="team.invitation",
            tenant=invitation.tenant,
            context={
                "inviter_name": inviter.public_name if inviter else invitation.tenant.name,
                "role": str(invitation.get_role_display()),
                "url": invitation_path(invitation),
            },
            dedupe_key=f"team.invitation:{invitation.public_id}",
        )
        return
    transaction.on_commit(
        partial(
            tasks.invitation_email_send.delay,
            tenant_id=invitation.tenant_id,
            invitation_id=invitation.pk,
        )
    )


def invitation_withdraw(*, invitation: Invitation, actor: User) -> Invitation:
    _check_may_manage(tenant=invitation.tenant, actor=actor, roles=(invitation.role,))
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != Invitation.Status.PENDING:
            raise InvitationError(_("This invitation was already answered or withdrawn."))
        invitation.status = Invitation.Status.WITHDRAWN
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at"])
        audit_record(
            tenant=invitation.tenant, actor=actor, action="invitation.withdraw", target=invitation
        )
    return invitation


def _check_invitation_open(invitation: Invitation) -> None:
    if invitation.status != Invitation.Status.PENDING:
        raise InvitationError(
            _("This invitation was already used or withdrawn."), code="invitation_closed"
        )
    if invitation.is_expired:
        raise InvitationError(
            _("This invitation has expired: ask for a new one."), code="invitation_expired"
        )


def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """The invited person joins the team. They must be signed in with the
    address the invitation was sent to (the link proves they read that
    mailbox, so the address is then on record as verified)."""
    from allauth.account.models import EmailAddress

    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        _check_invitation_open(invitation)
        addresses = {user.email.lower()} | {
            e.lower()
            for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
        }
        if invitation.email.lower() not in addresses:
            raise InvitationError(
                _("This invitation was sent to another address: sign in with that address."),
                code="wrong_account",
            )
        EmailAddress.objects.filter(user=user, email__iexact=invitation.email).update(verified=True)
        membership = Membership.objects.filter(tenant=invitation.tenant, user=user).first()
        if membership is None:
            membership = membership_grant(
                tenant=invitation.tenant, user=user, role=invitation.role, actor=user
            )
        invitation.status = Invitation.Status.ACCEPTED
        invitation.accepted_by = user
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "accepted_by", "responded_at"])
        audit_record(
            tenant=invitation.tenant,
            actor=user,
            action="invitation.accept",
            target=invitation,
            data={"role": membership.role},
        )
    _forget_roles(user)
    return membership


def invitation_accept_as_new_account(*, invitation: Invitation) -> User:
    """The invited address has no account yet: create it (verified, the link
    proves the mailbox) and join the team, in one step."""
    with transaction.atomic():
        _check_invitation_open(invitation)
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise InvitationError(
                _("An account with this address exists: sign in to accept."), code="sign_in_first"
            )
        user = user_create(email=invitation.email)
        invitation_accept(invitation=invitation, user=user)
    return user


# --- Consent and participant profiles --------------------------------------------------


def terms_default_text(tenant: Tenant) -> tuple[str, str]:
    """The platform's standard terms and privacy notice, in the tenant's language,
    used as version 1 until the brand publishes its own."""
    with translation.override(tenant.default_language):
        context = {"tenant": tenant, "platform_name": settings.PLATFORM_NAME}
        terms = render_to_string("accounts/terms/default_terms.txt", context).strip()
        privacy = render_to_string("accounts/terms/default_privacy.txt", context).strip()
    return terms, privacy


def terms_publish(
    *, tenant: Tenant, terms: str, privacy_notice: str, actor: User | None = None
) -> TermsVersion:
    """Publish a new version: everyone is asked again before their next contribution."""
    terms, privacy_notice = (terms or "").strip(), (privacy_notice or "").strip()
    fields = {}
    if not terms:
        fields["terms"] = [_("Write the terms and conditions.")]
    if not privacy_notice:
        fields["privacy_notice"] = [_("Write the privacy notice.")]
    if fields:
        raise ConsentError(_("Write both the terms and the privacy notice."), fields=fields)
    with transaction.atomic():
        Tenant.objects.select_for_update().filter(pk=tenant.pk).first()  # one publisher at a time
        last = TermsVersion.objects.filter(tenant=tenant).order_by("-version").first()
        version = TermsVersion.objects.create(
            tenant=tenant,
            version=(last.version + 1) if last else 1,
            terms=terms,
            privacy_notice=privacy_notice,
            published_by=actor,
        )
        audit_record(
            tenant=tenant,
            actor=actor,
            action="terms.publish",
            target=version,
            data={"version": version.version},
        )
    return version


def _terms_to_accept(*, tenant: Tenant, version: int) -> TermsVersion:
    current = selectors.terms_current(tenant=tenant)
    if current is None and version == 1:
        terms, privacy = terms_default_text(tenant)
        try:
            with transaction.atomic():
                return TermsVersion.objects.create(
                    tenant=tenant, version=1, terms=terms, privacy_notice=privacy
                )
        except IntegrityError:  # another acceptance created it first
            return TermsVersion.objects.get(tenant=tenant, version=1)
    if current is None or current.version != version:
        raise ConsentError(
            _("The terms changed while you were reading them: please read the new version."),
            code="terms_changed",
        )
    return current


def _display_name(value: str | None) -> str:
    """A public name as typed, trimmed. A NUL byte (nobody types one, the
    database cannot keep one) is refused with a field error, as the API does."""
    value = (value or "").strip()
    if "\x00" in value:
        raise ConsentError(
            _("Your name contains a character that cannot be used."),
            fields={"display_name": [_("Remove the invisible character (a NUL byte).")]},
        )
    return value[:80]


def consent_accept(
    *,
    tenant: Tenant,
    user: User,
    version: int,
    display_name: str = "",
    marketing_opt_in: bool | None = None,
) -> Consent:
    """The person accepts the tenant's terms and privacy notice (the version they
    read). The first acceptance creates their participant profile."""
    display_name = _display_name(display_name)
    with transaction.atomic():
        terms_version = _terms_to_accept(tenant=tenant, version=version)
        profile = (
            ParticipantProfile.objects.select_for_update().filter(tenant=tenant, user=user).first()
        )
        if profile is None:
            name = display_name or user.display_name.strip()
            if not name:
                raise ConsentError(
                    _("Choose the name others will see next to your ideas."),
                    fields={"display_name": [_("This field is required.")]},
                )
            profile = ParticipantProfile.objects.create(
                tenant=tenant,
                user=user,
                display_name=name,
                marketing_opt_in=bool(marketing_opt_in),
                marketing_opt_in_at=timezone.now() if marketing_opt_in else None,
            )
        else:
            _profile_apply(profile, display_name=display_name, marketing_opt_in=marketing_opt_in)
        consent, created = Consent.objects.get_or_create(
            tenant=tenant, user=user, terms_version=terms_version
        )
        if created:
            audit_record(
                tenant=tenant,
                actor=user,
                action="consent.accept",
                target=profile,
                data={"version": terms_version.version},
            )
    selectors.forget_terms_cache(user)
    return consent


def _profile_apply(profile, *, display_name: str | None, marketing_opt_in: bool | None) -> None:
    changed = []
    if display_name and display_name != profile.display_name:
        profile.display_name = display_name
        changed.append("display_name")
    if marketing_opt_in is not None and marketing_opt_in != profile.marketing_opt_in:
        profile.marketing_opt_in = marketing_opt_in
        profile.marketing_opt_in_at = timezone.now() if marketing_opt_in else None
        changed += ["marketing_opt_in", "marketing_opt_in_at"]
    if changed:
        profile.save(update_fields=changed)


AVATAR_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
AVATAR_SIZE = 256


def _avatar_png(upload) -> ContentFile:
    """The upload as a 256px PNG, checked by content and stripped of metadata
    (EXIF location…) by the platform's image check."""
    try:
        return clean_image(
            upload, max_mb=5, max_side=AVATAR_SIZE, formats=AVATAR_FORMATS, output_format="PNG"
        )
    except ImageRejected as exc:
        raise ConsentError(str(exc), fields={"avatar": [str(exc)]}) from exc


def profile_update(
    *,
    tenant: Tenant,
    user: User,
    display_name: str | None = None,
    marketing_opt_in: bool | None = None,
    avatar=None,
    remove_avatar: bool = False,
) -> ParticipantProfile:
    profile = ParticipantProfile.objects.filter(tenant=tenant, user=user).first()
    if profile is None:
        raise ConsentError(
            _("Accept the terms first: your profile is created then."), code="no_profile"
        )
    if display_name is not None:
        display_name = _display_name(display_name)
    if display_name is not None and not display_name:
        raise ConsentError(
            _("Choose the name others will see next to your ideas."),
            fields={"display_name": [_("This field is required.")]},
        )
    new_avatar = _avatar_png(avatar) if avatar is not None else None
    with transaction.atomic():
        profile = ParticipantProfile.objects.select_for_update().get(pk=profile.pk)
        _profile_apply(
            profile,
            display_name=display_name or None,
            marketing_opt_in=marketing_opt_in,
        )
        old_name = profile.avatar.name if profile.avatar else ""
        if new_avatar is not None or remove_avatar:
            if new_avatar is not None:
                profile.avatar.save(new_avatar.name, new_avatar, save=False)
            else:
                profile.avatar = ""
            profile.save(update_fields=["avatar"])
            if old_name:
                storage = profile.avatar.storage
                transaction.on_commit(partial(storage.delete, old_name))
    return profile


# --- Sign-in settings ----------------------------------------------------------------

DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](-?[a-z0-9])*\.)+[a-z]{2,63}$")


def _check_issuer_url(url: str) -> str:
    url = (url or "").strip().rstrip("/")
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError as exc:
        raise SignInSettingsError(
            _("Enter the issuer URL of your identity provider."),
            fields={"server_url": [_("Enter a valid URL.")]},
        ) from exc
    host = url.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0]
    if url.startswith("http://") and host not in {"localhost", "127.0.0.1"}:
        raise SignInSettingsError(
            _("The issuer URL must use https."),
            fields={"server_url": [_("The issuer URL must use https.")]},
        )
    return url


def provider_credential_save(
    *,
    tenant: Tenant,
    provider: str,
    client_id: str,
    secret: str = "",
    name: str = "",
    server_url: str = "",
    enabled: bool = True,
    actor: User,
) -> ProviderCredential:
    """Set the brand's own OAuth app for a provider. A blank secret keeps the
    stored one; the secret is never shown again."""
    if provider not in SignInProvider.values:
        raise SignInSettingsError(
            _("Unknown provider."), fields={"provider": [_("Unknown provider.")]}
        )
    client_id, secret = (client_id or "").strip(), (secret or "").strip()
    fields = {}
    if not client_id:
        fields["client_id"] = [_("This field is required.")]
    elif len(client_id) > 255:
        fields["client_id"] = [_("A client id has at most 255 characters.")]
    existing = ProviderCredential.objects.filter(tenant=tenant, provider=provider).first()
    if not secret and (existing is None or not existing.secret_encrypted):
        fields["secret"] = [_("This field is required.")]
    if fields:
        raise SignInSettingsError(_("Enter the client id and secret."), fields=fields)
    oidc = provider == SignInProvider.OPENID_CONNECT
    server_url = _check_issuer_url(server_url) if oidc else ""
    with transaction.atomic():
        credential = existing or ProviderCredential(tenant=tenant, provider=provider)
        credential.client_id = client_id
        credential.name = (name or "").strip()[:80]
        credential.server_url = server_url
        credential.enabled = enabled
        if secret:
            credential.secret_encrypted = encrypt_secret(secret)
        credential.save()
        audit_record(
            tenant=tenant,
            actor=actor,
            action="signin.credential.save",
            target=credential,
            data={"provider": provider, "client_id": client_id, "enabled": enabled},
        )
    return credential


def provider_credential_delete(*, credential: ProviderCredential, actor: User) -> None:
    with transaction.atomic():
        audit_record(
            tenant=credential.tenant,
            actor=actor,
            action="signin.credential.delete",
            target=credential,
            data={"provider": credential.provider},
        )
        credential.delete()


def signin_policy_update(
    *,
    tenant: Tenant,
    refuse_disposable_emails: bool,
    staff_email_domains,
    actor: User,
) -> SignInPolicy:
    if isinstance(staff_email_domains, str):
        staff_email_domains = re.split(r"[\s,;]+", staff_email_domains)
    domains = []
    for raw in staff_email_domains or []:
        domain = raw.strip().lower().lstrip("@").rstrip(".")
        if not domain:
            continue
        if not DOMAIN.match(domain):
            raise SignInSettingsError(
                _("“%(domain)s” is not a domain name such as ing.es.") % {"domain": raw.strip()},
                fields={"staff_email_domains": [_("Enter domain names such as ing.es.")]},
            )
        if domain not in domains:
            domains.append(domain)
    with transaction.atomic():
        policy, _created = SignInPolicy.objects.select_for_update().get_or_create(tenant=tenant)
        policy.refuse_disposable_emails = bool(refuse_disposable_emails)
        policy.staff_email_domains = domains
        policy.save(update_fields=["refuse_disposable_emails", "staff_email_domains", "updated_at"])
        audit_record(
            tenant=tenant,
            actor=actor,
            action="signin.policy.update",
            target=tenant,
            data={
                "refuse_disposable_emails": policy.refuse_disposable_emails,
                "staff_email_domains": domains,
            },
        )
    return policy


# --- API tokens ----------------------------------------------------------------------


def api_token_issue(*, user: User, tenant: Tenant):
    """A new API token for the person (the previous one stops working)."""
    from rest_framework.authtoken.models import Token

    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
        audit_record(tenant=tenant, actor=user, action="api_token.issue", target=user)
    return token


def api_token_revoke(*, user: User, tenant: Tenant) -> None:
    from rest_framework.authtoken.models import Token

    with transaction.atomic():
        if Token.objects.filter(user=user).delete()[0]:
            audit_record(tenant=tenant, actor=user, action="api_token.revoke", target=user)


# --- People's own data: export, erasure, deletion ---------------------------------------

ERASED = "[erased]"


def personal_data_export(*, user: User, tenant: Tenant | None = None) -> dict:
    """Everything the platform holds about the person, as JSON-ready data: for
    one tenant (what that tenant holds), or the whole platform (their account
    and every tenant they took part in)."""
    export = {
        "format": "ruche.personal-data/1",
        "generated_at": timezone.now().isoformat(),
        "scope": "tenant" if tenant is not None else "platform",
    }
    if tenant is None:
        export["account"] = {
            section.name: section.export(user=user, tenant=None)
            for section in personal_data.sections(per_tenant=False)
        }
    tenants = [tenant] if tenant is not None else selectors.tenants_of(user)
    export["tenants"] = []
    for each in tenants:
        with scope(tenant=each):
            export["tenants"].append(
                {
                    "tenant": {"name": each.name, "slug": each.slug},
                    "data": {
                        section.name: section.export(user=user, tenant=each)
                        for section in personal_data.sections(per_tenant=True)
                    },
                }
            )
    return export


def _check_mode(mode: str) -> None:
    if mode not in personal_data.MODES:
        raise PrivacyError(
            _("Choose whether your ideas and comments are anonymised or removed."),
            fields={"mode": [_("Choose anonymise or remove.")]},
        )


def _identifiers_of(user: User, tenant: Tenant) -> set[str]:
    """The strings by which the tenant's audit trail may point at the person."""
    ids = {str(user.public_id), user.email.lower()}
    ids |= {
        str(pid)
        for pid in ParticipantProfile.objects.filter(tenant=tenant, user=user).values_list(
            "public_id", flat=True
        )
    }
    ids |= {
        str(pid)
        for pid in Membership.objects.filter(tenant=tenant, user=user).values_list(
            "public_id", flat=True
        )
    }
    return ids


def _redact(value, identifiers: set[str]):
    if isinstance(value, dict):
        return {k: _redact(v, identifiers) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v, identifiers) for v in value]
    if isinstance(value, str):
        for identifier in identifiers:
            value = re.sub(re.escape(identifier), ERASED, value, flags=re.IGNORECASE)
        return value
    return value


def _audit_scrub(*, tenant: Tenant, user: User, identifiers: set[str]) -> int:
    """The tenant's audit trail keeps what was decided, not who it was about:
    the person's ids and address are replaced, their actor link cut."""
    matches = Q(actor=user) | Q(target_id__in=identifiers)
    for identifier in identifiers:
        matches |= Q(data_text__icontains=identifier) | Q(reason__icontains=identifier)
    entries = list(
        AuditEntry.objects.filter(tenant=tenant)
        .annotate(data_text=Cast("data", TextField()))
        .filter(matches)
    )
    for entry in entries:
        entry.actor = None if entry.actor_id == user.pk else entry.actor
        entry.target_id = ERASED if entry.target_id in identifiers else entry.target_id
        entry.reason = _redact(entry.reason, identifiers)
        entry.data = _redact(entry.data, identifiers)
        entry.save(update_fields=["actor", "target_id", "reason", "data"])
    return len(entries)


def _erase_in_tenant(*, user: User, tenant: Tenant, mode: str) -> None:
    """Call inside a transaction and the tenant's scope."""
    identifiers = _identifiers_of(user, tenant)
    for section in reversed(personal_data.sections(per_tenant=True)):
        section.erase(user=user, tenant=tenant, mode=mode)
    _audit_scrub(tenant=tenant, user=user, identifiers=identifiers)


def participant_erase(
    *, tenant: Tenant, profile: ParticipantProfile, mode: str, actor: User
) -> None:
    """On the person's request, a tenant administrator erases what the tenant
    holds about them (their account elsewhere is untouched)."""
    _check_mode(mode)
    if role_of(actor, tenant) not in MANAGERS:
        raise NotAllowed(_("Only owners and administrators handle people's data requests."))
    with transaction.atomic():
        _erase_in_tenant(user=profile.user, tenant=tenant, mode=mode)
        audit_record(
            tenant=tenant,
            actor=actor,
            action="participant.erase",
            target=tenant,
            data={"mode": mode},
        )
    selectors.forget_terms_cache(profile.user)


def account_delete(*, user: User, mode: str) -> None:
    """The person deletes their account: in every tenant their contributions are
    anonymised or removed (their choice) by each app's eraser, the audit trail
    loses their identity, then the account itself goes."""
    _check_mode(mode)
    tenants = selectors.tenants_of(user)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        for tenant in tenants:
            with scope(tenant=tenant):
                owns = Membership.objects.filter(
                    tenant=tenant, user=user, role=Membership.Role.OWNER
                ).exists()
                others = (
                    Membership.objects.filter(tenant=tenant, role=Membership.Role.OWNER)
                    .exclude(user=user)
                    .exists()
                )
            if owns and not others:
                raise PrivacyError(
                    _("You are the only owner of %(name)s: name another owner first.")
                    % {"name": tenant.name},
                    code="last_owner",
                )
        for tenant in tenants:
            with scope(tenant=tenant):
                _erase_in_tenant(user=user, tenant=tenant, mode=mode)
                audit_record(
                    tenant=tenant,
                    actor=None,
                    action="person.delete_account",
                    target=tenant,
                    data={"mode": mode},
                )
        for section in reversed(personal_data.sections(per_tenant=False)):
            section.erase(user=user, tenant=None, mode=mode)
        user.delete()
