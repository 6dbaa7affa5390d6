"""What every voting service shares: the errors, the vote's result, locks."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _

from accounts.models import Membership
from core.errors import DomainError, NotAllowed
from core.permissions import has_role
from ideas.models import Idea
from voting.models import (
    Vote,
)

REASON_MAX = 1000


class VoteError(DomainError):
    code = "vote_invalid"


class RankingError(DomainError):
    code = "ranking_invalid"


@dataclass
class VoteResult:
    """What a cast or a withdrawal did, and the idea's counts afterwards."""

    idea: Idea
    voted: bool  # the person has a vote for the idea now
    changed: bool  # this call wrote something (False: already voted / nothing to withdraw)
    status: str = ""  # the person's vote status ("" when none)
    vote_count: int = 0
    round_vote_count: int = 0
    votes_left: int | None = None  # the allowance left in the round; None: unlimited
    vote: Vote | None = None


# --- Locks --------------------------------------------------------------------------------


def _lock_key(*parts) -> str:
    return "ruche:voting:" + ":".join(str(p) for p in parts)


def _advisory_locks(*, counters_shared=(), counters_exclusive=(), others=()) -> None:
    """Take transaction advisory locks (released at commit), in one statement:
    the campaigns' counters locks (shared or exclusive), then others (exclusive)."""
    calls, params = [], []
    for campaign_id in sorted(set(counters_shared)):
        calls.append("pg_advisory_xact_lock_shared(hashtextextended(%s, 0))")
        params.append(_lock_key("counters", campaign_id))
    for campaign_id in sorted(set(counters_exclusive)):
        calls.append("pg_advisory_xact_lock(hashtextextended(%s, 0))")
        params.append(_lock_key("counters", campaign_id))
    for key in others:
        calls.append("pg_advisory_xact_lock(hashtextextended(%s, 0))")
        params.append(_lock_key(*key))
    if calls:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(calls)}", params)


def _check_moderator(actor, tenant) -> None:
    if not has_role(actor, tenant, Membership.Role.MODERATOR):
        raise NotAllowed(_("Only the brand's moderators can review votes."))


def _clean_reason(reason: str) -> str:
    return " ".join(str(reason or "").split())[:REASON_MAX]


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None
