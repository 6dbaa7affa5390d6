"""Writes on people, team memberships and the audit trail."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, Membership, User
from config.api import DomainError
from tenants.models import Tenant


class MembershipError(DomainError):
    code = "membership_invalid"


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
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(
            _("An account with this e-mail address already exists."), code="email_taken"
        )
    return User.objects.create_user(
        email, password, display_name=display_name.strip(), language=language
    )


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
