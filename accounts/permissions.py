"""Who may do what in a tenant: the one permission helper of the console, the
jury and the API.

Roles are ranked: an owner can do everything an admin can, an admin everything
a moderator can. Jurors are apart: they score, they do not run the console.

    require_role(request, Membership.Role.ADMIN)       # in a view
    has_role(user, tenant, Membership.Role.MODERATOR)  # anywhere
    HasTenantRole.of(Membership.Role.ADMIN)            # DRF permission class

A signed-in person who is not on the tenant's team gets 404 (the console does not
exist for them, the same as another tenant's objects); a team member without
the role gets 403.
"""

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework.permissions import BasePermission

from accounts.models import Membership

Role = Membership.Role
CONSOLE_ROLES = (Role.OWNER, Role.ADMIN, Role.MODERATOR)
RANK = {Role.OWNER: 3, Role.ADMIN: 2, Role.MODERATOR: 1}


def role_of(user, tenant) -> str | None:
    """The user's role in the tenant, cached on the user for the request."""
    if tenant is None or not getattr(user, "is_authenticated", False):
        return None
    cache = user.__dict__.setdefault("_roles_by_tenant", {})
    if tenant.pk not in cache:
        cache[tenant.pk] = (
            Membership.objects.filter(tenant=tenant, user=user)
            .values_list("role", flat=True)
            .first()
        )
    return cache[tenant.pk]


def role_satisfies(role: str | None, needed: str) -> bool:
    if role is None:
        return False
    if needed == Role.JUROR or role == Role.JUROR:
        return role == needed
    return RANK[role] >= RANK[needed]


def has_role(user, tenant, *needed: str) -> bool:
    """True when the user holds one of `needed` (or a higher console role)."""
    role = role_of(user, tenant)
    return any(role_satisfies(role, n) for n in needed)


def require_role(request, *needed: str) -> str:
    """The user's role, or Http404 (not on the team) / PermissionDenied (too low).

    Anonymous users are sent to sign in by `console_view`/`login_required`
    before this runs."""
    role = role_of(request.user, request.tenant)
    if role is None:
        raise Http404
    if not any(role_satisfies(role, n) for n in needed):
        raise PermissionDenied
    return role


class HasTenantRole(BasePermission):
    """DRF: the same rule for the API. Use `HasTenantRole.of(Role.ADMIN)`."""

    roles: tuple[str, ...] = CONSOLE_ROLES

    @classmethod
    def of(cls, *roles: str):
        return type(f"HasTenantRole_{'_'.join(roles)}", (cls,), {"roles": roles})

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        require_role(request, *self.roles)
        return True


# Named rules, for templates ({% has_perm 'tenant.view_console' user tenant %})
# and for code that prefers asking by name.
@rules.predicate
def is_console_member(user, tenant):
    return has_role(user, tenant, *CONSOLE_ROLES)


@rules.predicate
def is_tenant_admin(user, tenant):
    return has_role(user, tenant, Role.ADMIN)


@rules.predicate
def is_tenant_owner(user, tenant):
    return has_role(user, tenant, Role.OWNER)


rules.add_perm("tenants.view_console", is_console_member)
rules.add_perm("tenants.manage_team", is_tenant_admin)
rules.add_perm("tenants.manage_brand", is_tenant_admin)


def console_view(*needed: str):
    """View decorator: sign-in required, then `require_role(request, *needed)`."""
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login

    needed = needed or CONSOLE_ROLES

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            request.role = require_role(request, *needed)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# --- Taking part: signed in and the tenant's current terms accepted ------------------
# Other apps compose their rules from these, e.g.
#     can_vote = is_signed_in & has_accepted_terms & round_is_open & ~is_author


@rules.predicate
def is_signed_in(user):
    return bool(getattr(user, "is_authenticated", False))


@rules.predicate
def has_accepted_terms(user, tenant):
    from accounts.selectors import has_accepted_current_terms

    return has_accepted_current_terms(user, tenant)


@rules.predicate
def is_tenant_staff(user, tenant):
    """A verified address at one of the tenant's staff domains, or a sign-in with
    its own OpenID Connect provider: who may enter an employees-only challenge."""
    from accounts.selectors import staff_email_verified

    return staff_email_verified(user, tenant)


rules.add_perm("accounts.participate", is_signed_in & has_accepted_terms)
rules.add_perm("accounts.enter_staff_challenge", is_signed_in & is_tenant_staff)
