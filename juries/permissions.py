"""Named rules of the juries, for templates ({% has_perm %}) and code alike.

    juries.view_juries    everyone on the console (owner, admin, moderator)
    juries.manage_jury    owners and admins: seat jurors, settings, deadline, exports
    juries.add_wildcard   moderators and above: add a wildcard to a shortlist
    juries.use_jury_area  anyone on the team, jurors included (the /jury/ pages,
                          where each round then asks for a seat on its jury)

Loaded by JuriesConfig.ready() (not named rules.py: see campaigns/permissions.py).
"""

import rules

from accounts.models import Membership
from accounts.permissions import is_console_member, is_tenant_admin
from core.permissions import has_role, role_of


@rules.predicate
def is_moderator(user, tenant):
    return has_role(user, tenant, Membership.Role.MODERATOR)


@rules.predicate
def is_on_the_team(user, tenant):
    return role_of(user, tenant) is not None


rules.add_perm("juries.view_juries", is_console_member)
rules.add_perm("juries.manage_jury", is_tenant_admin)
rules.add_perm("juries.add_wildcard", is_moderator)
rules.add_perm("juries.use_jury_area", is_on_the_team)
