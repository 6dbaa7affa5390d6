"""Invitations to the brand's team: made, sent, withdrawn, accepted."""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import selectors
from accounts.models import (
    Invitation,
    Membership,
    User,
)
from accounts.services.common import InvitationError, audit_record, user_create
from accounts.services.team import (
    INVITABLE_ROLES,
    _check_may_manage,
    _forget_roles,
    membership_grant,
)
from tenants.models import Tenant

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
            actor=actor, action="invitation.create", target=invitation, data={"role": role}
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
        audit_record(actor=actor, action="invitation.withdraw", target=invitation)
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
