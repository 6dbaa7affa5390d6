"""The brand's team: memberships granted, changed and removed, always one owner left."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import (
    Membership,
    User,
)
from accounts.services.common import MembershipError, audit_record
from core.errors import NotAllowed
from core.permissions import role_of
from tenants.models import Tenant


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
