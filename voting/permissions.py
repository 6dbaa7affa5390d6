"""Named rules of voting, for templates ({% has_perm %}) and code alike.

    can_vote   = signed in & terms accepted & voting open & published idea
                 & (not the author, unless the challenge allows it)
                 & (a contributor, when only contributors vote)
                 — services.check_can_vote, the one place that says why not
    can_review = moderator, admin or owner of the tenant

Loaded by VotingConfig.ready() (not named rules.py: see campaigns/permissions.py).
"""

import rules

from accounts.models import Membership
from core.errors import DomainError
from core.permissions import has_role
from voting import services


@rules.predicate
def can_vote_for(user, idea):
    try:
        services.check_can_vote(idea=idea, voter=user)
    except DomainError:
        return False
    return True


@rules.predicate
def is_moderator(user, tenant):
    return has_role(user, tenant, Membership.Role.MODERATOR)


rules.add_perm("voting.vote", can_vote_for)
rules.add_perm("voting.review", is_moderator)
