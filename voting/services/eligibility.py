"""Who may vote for an idea now, and the round the vote counts in: the one
rule the vote button, the view, the API and `vote_cast` ask."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from accounts.selectors import has_accepted_current_terms
from campaigns import lifecycle
from campaigns.models import Campaign, Round
from core.elision import elide
from core.errors import NotAllowed
from ideas.models import Coauthor, Idea
from voting.services.common import VoteError

# --- Who may vote, and where a vote goes ------------------------------------------------------


def voting_round(campaign: Campaign, at: dt.datetime | None = None, rounds=None) -> Round | None:
    """The round a vote cast at `at` belongs to: the newest weekly round taking
    votes, or the single round of a one-round challenge; None when voting is shut."""
    votable = lifecycle.voting_rounds(campaign, at, rounds)
    weekly = [r for r in votable if r.kind == Round.Kind.WEEKLY]
    pool = weekly or votable
    return max(pool, key=lambda r: r.index) if pool else None


def is_own_idea(user, idea: Idea) -> bool:
    """The author, or an accepted co-author (they share the prize)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if idea.author_id == user.pk:
        return True
    coauthored = getattr(idea, "coauthored", None)  # set for a whole gallery page
    if coauthored is not None:
        return coauthored
    return Coauthor.objects.filter(
        tenant=idea.tenant_id, idea=idea, user=user, status=Coauthor.Status.ACCEPTED
    ).exists()


def _has_submitted(user, campaign: Campaign) -> bool:
    return Idea.objects.filter(
        tenant=campaign.tenant_id, campaign=campaign, author=user, submitted_at__isnull=False
    ).exists()


def check_can_vote(*, idea: Idea, voter, at: dt.datetime | None = None, rounds=None) -> Round:
    """The round the vote would go to, or the reason why not (a DomainError).
    The view, the API and the template ask this same rule (permissions.py)."""
    campaign = idea.campaign
    if not getattr(voter, "is_authenticated", False):
        raise NotAllowed(_("Sign in to vote."), code="not_signed_in")
    if not has_accepted_current_terms(voter, campaign.tenant):
        raise NotAllowed(
            elide(
                _("Accept the terms of %(name)s before voting.") % {"name": campaign.tenant.name},
                campaign.tenant.name,
            ),
            code="terms_not_accepted",
        )
    if idea.state != Idea.State.PUBLISHED:
        raise VoteError(_("Only published ideas can be voted for."), code="idea_not_published")
    round_ = voting_round(campaign, at, rounds)
    if round_ is None:
        raise VoteError(_("Voting is not open in this challenge now."), code="voting_closed")
    if not campaign.self_vote_allowed and is_own_idea(voter, idea):
        raise VoteError(_("You cannot vote for your own idea."), code="own_idea")
    if campaign.voters == Campaign.Voters.CONTRIBUTORS and not _has_submitted(voter, campaign):
        raise VoteError(
            _("In this challenge, only people who submitted an idea may vote."),
            code="contributors_only",
        )
    return round_
