"""A challenge's jury, its members, and what a juror may open (or 404)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from campaigns.models import Campaign, Prize
from core.permissions import role_of
from ideas.models import Idea
from juries.models import (
    Assignment,
    Decision,
    Jury,
    JuryMember,
    Shortlist,
    ShortlistEntry,
)

# What the jury never reads of an idea: its author (blind review), and what
# only moderators and search need.
JURY_NEVER_READS = ("author", "moderation_reason", "search_vector")


def _ideas_for_jury() -> QuerySet[Idea]:
    """Ideas as the jury reads them: never their author (nor what only
    moderators and search need)."""
    return Idea.objects.defer(*JURY_NEVER_READS)


# --- Who sits where --------------------------------------------------------------


def jury_of(campaign: Campaign) -> Jury | None:
    return Jury.objects.filter(campaign=campaign).first()


def members_of(jury: Jury | None) -> list[JuryMember]:
    if jury is None:
        return []
    return list(
        JuryMember.objects.filter(jury=jury).select_related("user").order_by("created_at", "pk")
    )


def seated_count(campaign: Campaign) -> int:
    return JuryMember.objects.filter(jury__campaign=campaign).count()


def on_the_team(request) -> bool:
    """Jurors and the console's roles may use the jury area (if they sit on a jury)."""
    return role_of(request.user, request.tenant) is not None


def seats_of(user, tenant) -> list[JuryMember]:
    return list(
        JuryMember.objects.filter(tenant=tenant, user=user)
        .select_related("jury", "jury__campaign")
        .order_by("jury__campaign__starts_at", "pk")
    )


def _member(user, jury_id) -> JuryMember | None:
    return JuryMember.objects.filter(jury_id=jury_id, user=user).first()


def round_for_member(request, public_id) -> tuple[Shortlist, JuryMember]:
    """A round under review (or decided) whose jury the person sits on, or 404."""
    if not on_the_team(request):
        raise Http404
    shortlist = (
        Shortlist.objects.filter(tenant=request.tenant, round__public_id=public_id)
        .select_related("round", "round__campaign", "round__tenant", "jury")
        .annotate(
            # What the round's page would otherwise ask in queries of their own.
            has_decision=Exists(Decision.objects.filter(round_id=OuterRef("round_id"))),
            prize_count=Subquery(
                Prize.objects.filter(
                    campaign_id=OuterRef("round__campaign_id"), round_kind=OuterRef("round__kind")
                )
                .order_by()
                .values("campaign_id")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .first()
    )
    if shortlist is None:
        raise Http404
    shortlist.round.known_prize_count = shortlist.prize_count or 0  # read by prize_places
    member = _member(request.user, shortlist.jury_id)
    if member is None:
        raise Http404
    return shortlist, member


def assignment_for_juror(request, public_id, *, lock: bool = False) -> Assignment:
    """The person's own assignment, while they sit on its jury, or 404."""
    if not on_the_team(request):
        raise Http404
    assignment = (
        Assignment.objects.filter(tenant=request.tenant, public_id=public_id, juror=request.user)
        .select_related("round", "round__campaign", "entry", "entry__shortlist")
        .prefetch_related(Prefetch("idea", queryset=_ideas_for_jury().select_related("media")))
        .first()
    )
    if assignment is None or _member(request.user, assignment.entry.shortlist.jury_id) is None:
        raise Http404
    return assignment


def entries_for_decision(shortlist: Shortlist, public_ids) -> list[ShortlistEntry | None]:
    """Shortlist entries by public id, in the order given; None for an id that is
    not on the shortlist (the service refuses such a list with a clear message)."""
    rows = {
        str(e.public_id): e
        for e in ShortlistEntry.objects.filter(
            shortlist=shortlist, public_id__in=[p for p in public_ids if is_uuid(p)]
        )
    }
    return [rows.get(str(p)) for p in public_ids]


def is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
