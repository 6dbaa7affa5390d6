"""The named rules of the accounts app, for templates
({% has_perm 'tenants.view_console' user tenant %}) and for code that prefers
asking by name; the role mechanics themselves live in core.permissions.
"""

import rules

from core.permissions import CONSOLE_ROLES, Role, has_role


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
