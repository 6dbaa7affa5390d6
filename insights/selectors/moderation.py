"""The moderators' workload, from the ideas' states and the moderation audit
trail: the queue over time, how long a held idea waits for a decision, how
many submissions the brand's rules held on their own, and the flags.

An idea joins the queue when it is submitted and held (pre-moderation, a
blocked word, a link — not media still processing) or hidden by participants'
flags; it leaves it at a moderator's decision (approved, hidden or rejected
while waiting) or when its author withdraws it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import CharField, Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast, TruncDate

from accounts.models import AuditEntry
from ideas.models import Flag, Idea
from insights.selection import Selection
from insights.selectors.common import Median, Seconds, campaign_q, period_q, share

WAITING = ("pending", "hidden")
JOINED = Q(action="idea.submit", data__state="pending") & ~Q(data__holds=["media"]) | Q(
    action="idea.auto_hide"
)
DECIDED = Q(action__in=["idea.approve", "idea.hide", "idea.reject"], data__from__in=WAITING)
LEFT = DECIDED | Q(action="idea.withdraw", data__from="pending")
SUBMITTED = Q(action="idea.submit")
BY_A_RULE = Q(action="idea.submit") & (
    Q(data__holds__contains=["blocked_word"]) | Q(data__holds__contains=["link"])
)


@dataclass
class Workload:
    queue_now: int = 0
    days: list[dict] = field(default_factory=list)  # {day, joined, left, queue}
    decisions: int = 0
    median_hours: float | None = None
    submitted: int = 0
    held_by_rules: int = 0
    hidden_by_flags: int = 0
    flags: int = 0
    flags_open: int = 0

    @property
    def held_by_rules_share(self) -> float | None:
        return share(self.held_by_rules, self.submitted)


def _trail(selection: Selection):
    """The audit entries of the selection's ideas."""
    entries = AuditEntry.objects.filter(tenant=selection.tenant, target_type="ideas.idea")
    if selection.campaign is not None:
        ids = (
            Idea.objects.filter(tenant=selection.tenant, campaign=selection.campaign)
            .annotate(key=Cast("public_id", CharField()))
            .values("key")
        )
        entries = entries.filter(target_id__in=ids)
    return entries


def workload(*, selection: Selection) -> Workload:
    """Four queries, whatever the number of ideas and decisions."""
    result = Workload()
    trail = _trail(selection)
    # The queue on each day: what joined minus what left, from the first entry on.
    per_day = (
        trail.filter(created_at__lt=selection.end)
        .annotate(day=TruncDate("created_at", tzinfo=selection.tz))
        .values("day")
        .annotate(
            joined=Count("id", filter=JOINED),
            left=Count("id", filter=LEFT),
            submitted=Count("id", filter=SUBMITTED & period_q(selection, "created_at")),
            by_rules=Count("id", filter=BY_A_RULE & period_q(selection, "created_at")),
            by_flags=Count(
                "id", filter=Q(action="idea.auto_hide") & period_q(selection, "created_at")
            ),
            decided=Count("id", filter=DECIDED & period_q(selection, "created_at")),
        )
        .order_by("day")
    )
    counts = {row["day"]: row for row in per_day}
    queue = 0
    for row in counts.values():
        if row["day"] < selection.start_day:
            queue = max(0, queue + row["joined"] - row["left"])
        result.submitted += row["submitted"]
        result.held_by_rules += row["by_rules"]
        result.hidden_by_flags += row["by_flags"]
        result.decisions += row["decided"]
    for day in selection.days:
        row = counts.get(day, {"joined": 0, "left": 0})
        queue = max(0, queue + row["joined"] - row["left"])
        result.days.append(
            {"day": day, "joined": row["joined"], "left": row["left"], "queue": queue}
        )
    result.median_hours = _median_wait_hours(selection, trail)
    flags = Flag.objects.filter(
        campaign_q(selection, "idea__campaign") | campaign_q(selection, "comment__idea__campaign"),
        period_q(selection, "created_at"),
        tenant=selection.tenant,
    ).aggregate(n=Count("id"), open=Count("id", filter=Q(resolved_at__isnull=True)))
    result.flags, result.flags_open = flags["n"], flags["open"]
    held = Q(state=Idea.State.PENDING) | Q(
        state=Idea.State.HIDDEN, hold_reasons__contains=[Idea.Hold.FLAGS]
    )
    result.queue_now = (
        Idea.objects.filter(held, campaign_q(selection), tenant=selection.tenant)
        .exclude(hold_reasons__contains=[Idea.Hold.MEDIA])
        .count()
    )
    return result


def _median_wait_hours(selection: Selection, trail) -> float | None:
    """The median time from joining the queue to the decision, over the
    decisions of the period (one query)."""
    joined_at = (
        AuditEntry.objects.filter(
            JOINED,
            tenant=selection.tenant,
            target_type="ideas.idea",
            target_id=OuterRef("target_id"),
            created_at__lte=OuterRef("created_at"),
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    waited = (
        trail.filter(DECIDED, period_q(selection, "created_at"))
        .annotate(joined_at=Subquery(joined_at))
        .filter(joined_at__isnull=False)
        .aggregate(median=Median(Seconds(F("created_at") - F("joined_at"))))
    )
    seconds = waited["median"]
    return None if seconds is None else round(seconds / 3600, 1)
