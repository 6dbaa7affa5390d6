"""Who may do what in a tenant: the one permission helper of the console, the
jury and the API.

Roles are ranked: an owner can do everything an admin can, an admin everything
a moderator can. Jurors are apart: they score, they do not run the console.

    require_role(request, Role.ADMIN)         # in a view
    has_role(user, tenant, Role.MODERATOR)    # anywhere
    HasTenantRole.of(Role.ADMIN)              # DRF permission class
    @console_view(Role.ADMIN)                 # view decorator

A signed-in person who is not on the tenant's team gets 404 (the console does not
exist for them, the same as another tenant's objects); a team member without
the role gets 403.

Memberships are stored by the accounts app, which registers how to read a
person's role (`register_role_lookup`) and a tenant's team
(`register_team_lookup`): the ground floor imports no app.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Administrator")
    MODERATOR = "moderator", _("Moderator")
    JUROR = "juror", _("Juror")


CONSOLE_ROLES = (Role.OWNER, Role.ADMIN, Role.MODERATOR)
RANK = {Role.OWNER: 3, Role.ADMIN: 2, Role.MODERATOR: 1}

_role_lookup: Callable | None = None
_team_lookup: Callable | None = None


def register_role_lookup(lookup: Callable) -> None:
    """`lookup(user, tenant) -> str | None`: the user's stored role in the tenant."""
    global _role_lookup
    _role_lookup = lookup


def register_team_lookup(lookup: Callable) -> None:
    """`lookup(tenant, roles) -> list of users`: the people holding exactly one of
    `roles` in the tenant (apps below accounts use it to tell the team)."""
    global _team_lookup
    _team_lookup = lookup


def team_members(tenant, *roles: str) -> list:
    """The tenant's team members holding one of `roles` (exactly, not by rank)."""
    if _team_lookup is None:
        raise RuntimeError("no team lookup registered (accounts registers it)")
    return list(_team_lookup(tenant, roles))


def role_of(user, tenant) -> str | None:
    """The user's role in the tenant, cached on the user for the request."""
    if tenant is None or not getattr(user, "is_authenticated", False):
        return None
    # On the person, not on the request's lazy wrapper: `{% has_perm %}` asks
    # with the person itself, and must find the role the view already read.
    if isinstance(user, LazyObject):
        user = user._wrapped  # set up: is_authenticated was read above
    cache = user.__dict__.setdefault("_roles_by_tenant", {})
    if tenant.pk not in cache:
        if _role_lookup is None:
            raise RuntimeError("no role lookup registered (accounts registers it)")
        cache[tenant.pk] = _role_lookup(user, tenant)
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


def is_team(user, tenant) -> bool:
    """On the brand's console team (owner, admin or moderator)."""
    return has_role(user, tenant, *CONSOLE_ROLES)


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


def console_view(*needed: str):
    """View decorator: sign-in required, then `require_role(request, *needed)`."""
    # Imported here: auth's views load the user model, which needs these roles.
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
