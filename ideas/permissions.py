"""Named rules of ideas, for templates ({% has_perm %}) and code alike.

    can_submit   = signed in & terms accepted          (the challenge's phase and
                                                        audience are asked by the
                                                        view: lifecycle, campaigns)
    can_edit     = author & not voted yet & still open  (services.can_edit)
    can_moderate = moderator, admin or owner of the tenant
    manage_stages = admin or owner (stages, labels, owners: services.stages)

Loaded by IdeasConfig.ready() (not named rules.py: see campaigns/permissions.py).
"""

import rules

from accounts.models import Membership
from accounts.permissions import has_accepted_terms, is_signed_in
from core.permissions import has_role
from ideas import services


@rules.predicate
def is_idea_author(user, idea):
    return services.is_author(user, idea)


@rules.predicate
def idea_is_editable(user, idea):
    return services.can_edit(user, idea)


@rules.predicate
def idea_is_withdrawable(user, idea):
    return services.can_withdraw(user, idea)


@rules.predicate
def is_moderator(user, tenant):
    return has_role(user, tenant, Membership.Role.MODERATOR)


@rules.predicate
def is_tenant_admin(user, tenant):
    return has_role(user, tenant, Membership.Role.ADMIN)


rules.add_perm("ideas.participate", is_signed_in & has_accepted_terms)
rules.add_perm("ideas.edit_idea", idea_is_editable)
rules.add_perm("ideas.withdraw_idea", idea_is_withdrawable)
rules.add_perm("ideas.moderate", is_moderator)
rules.add_perm("ideas.manage_rules", is_tenant_admin)
rules.add_perm("ideas.manage_stages", is_tenant_admin)
