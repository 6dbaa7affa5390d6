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

A brand's API key (accounts.BrandApiKey) acts for the brand, not a person: it
holds scopes, not a role. `HasTenantRole` maps them onto the same rules: a
read (GET, HEAD, OPTIONS) needs `read`; a write needs the scope of what it
changes — `moderation` where a moderator may act, `console_write` where an
administrator must, `payouts` on the views that say so (`api_key_scope`).
A key without it gets a 403 naming the missing scope.

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
from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.errors import NotAllowed


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Administrator")
    MODERATOR = "moderator", _("Moderator")
    JUROR = "juror", _("Juror")


class KeyScope(models.TextChoices):
    """What a brand's API key may do."""

    READ = "read", _("Read")
    CONSOLE_WRITE = "console_write", _("Change the console's settings and challenges")
    MODERATION = "moderation", _("Moderate")
    PAYOUTS = "payouts", _("Manage payouts")


# `api_key_scope` of a view no brand key may call (managing keys, a person's own pages).
PEOPLE_ONLY = "people_only"

CONSOLE_ROLES = (Role.OWNER, Role.ADMIN, Role.MODERATOR)
# What a brand's key counts as once its scope let it in: the owner's own
# powers (handing over the brand, closing it) stay with people.
BRAND_KEY_ROLE = Role.ADMIN
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
    """The user's role in the tenant, cached on the user for the request (a
    brand key's principal has BRAND_KEY_ROLE put there when it authenticates)."""
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


def is_brand_key(auth) -> bool:
    """True when the request was authenticated by a brand's API key."""
    return getattr(auth, "is_brand_key", False)


def key_scope_needed(request, roles, declared: str | None = None) -> str:
    """The scope a brand's key needs for this request where a person would need
    one of `roles`. `declared`: the scope the permission names, which applies
    to reads too (payouts: bank details are read as carefully as they are
    changed), or PEOPLE_ONLY."""
    if declared == PEOPLE_ONLY or tuple(roles) == (Role.JUROR,):
        return PEOPLE_ONLY  # jurors score in person
    if declared:
        return declared
    if request.method in SAFE_METHODS:
        return KeyScope.READ
    if any(role_satisfies(Role.MODERATOR, r) for r in roles):
        return KeyScope.MODERATION
    return KeyScope.CONSOLE_WRITE


def require_key_scope(request, roles, declared: str | None = None) -> None:
    """Refuse (403, a clear message) a brand key without the scope this call needs."""
    needed = key_scope_needed(request, roles, declared)
    if needed == PEOPLE_ONLY:
        raise NotAllowed(
            _("An API key cannot do this: it needs a person of the team, signed in."),
            code="api_key_not_allowed",
        )
    if needed not in request.auth.scopes:
        raise NotAllowed(
            _("This API key does not have the “%(scope)s” scope this request needs.")
            % {"scope": KeyScope(needed).label},
            code="api_key_scope_missing",
        )


class HasTenantRole(BasePermission):
    """DRF: the same rule for the API. Use `HasTenantRole.of(Role.ADMIN)`.

    A brand's API key passes when it holds the scope the request needs
    (`key_scope_needed`; `key_scope=` names it where the role does not say
    enough: `KeyScope.PAYOUTS`, or PEOPLE_ONLY); it then counts as
    BRAND_KEY_ROLE for the rest of the request (`role_of`)."""

    roles: tuple[str, ...] = CONSOLE_ROLES
    key_scope: str | None = None

    @classmethod
    def of(cls, *roles: str, key_scope: str | None = None):
        name = f"HasTenantRole_{'_'.join(roles)}" + (f"_{key_scope}" if key_scope else "")
        return type(name, (cls,), {"roles": roles, "key_scope": key_scope})

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        if is_brand_key(request.auth):
            require_key_scope(request, self.roles, self.key_scope)
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
