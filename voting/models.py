"""Votes, the rankings frozen when a round's voting closes, and what moderators
decide about them.

Thin on purpose: every write is in `services.py`, every shared read in
`selectors.py`. The database holds what must never be wrong: one vote per
person and idea (`vote_once_per_person`), one frozen ranking per round, one
place per idea in it.

A withdrawn vote is deleted, not marked: a row in `Vote` is a vote that exists,
so no count anywhere needs to remember to leave withdrawals out, and voting
again after a withdrawal is a plain insert. Frozen rankings do not read the
votes again, so a withdrawal after the freeze changes nothing in them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from campaigns.models import Campaign, Round
from ideas.models import Idea
from tenants.models import Tenant


class Vote(models.Model):
    """One person's vote for one idea.

    `round` is the round the vote was cast in (the running weekly round, or the
    single round of a one-round challenge): the allowance "votes per person per
    round" counts on it. Which rankings a vote counts in is decided by its time
    (`cast_at`), see selectors.ranking_votes.
    """

    class Status(models.TextChoices):
        COUNTED = "counted", _("Counted")
        QUARANTINED = "quarantined", _("Waiting for review")
        VOID = "void", _("Void")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The foreign keys below carry no index of their own: the composite indexes
    # of Meta cover every lookup, and each index costs on every insert.
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+", db_index=False)
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes", db_index=False)
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+", db_index=False)
    cast_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.COUNTED)

    # Why the vote is (or is not) trusted: 0 (nothing unusual) to 100, and the
    # signals behind the score, in words a moderator can check (voting.risk).
    risk_score = models.PositiveSmallIntegerField(default=0)
    evidence = models.JSONField(default=dict, blank=True)
    # The voter's network (IPv4 /24, IPv6 /48), never the full address, and a
    # hash of their browser's user-agent: enough to see concentrations.
    ip_network = models.CharField(max_length=43, blank=True)
    user_agent_hash = models.CharField(max_length=16, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "voter", "tenant"], name="vote_once_per_person"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["counted", "quarantined", "void"]),
                name="vote_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(risk_score__lte=100), name="vote_risk_score_percent"
            ),
        ]
        indexes = [
            # Rankings: counted votes of a round's window, by idea, index-only.
            models.Index(
                fields=["round", "status", "cast_at"], include=["idea"], name="vote_ranking"
            ),
            # The allowance per round, "my votes", people's data.
            models.Index(fields=["voter", "round"], name="vote_by_voter"),
            # The moderators' review: few rows, so a partial index.
            models.Index(
                fields=["tenant", "status", "-cast_at"],
                condition=~models.Q(status="counted"),
                name="vote_review",
            ),
        ]

    def __str__(self):
        return f"{self.voter_id} → {self.idea_id} ({self.status})"

    @property
    def is_counted(self) -> bool:
        return self.status == self.Status.COUNTED


class RoundCounter(models.Model):
    """Which round the `round_vote_count` of a challenge's ideas counts now.

    Moved by `services.round_counter_switch` when the next round starts (the
    voting tick); votes cast meanwhile add to `round_vote_count` only when they
    belong to the round named here, so the counter is never a mix of two rounds.
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    switched_at = models.DateTimeField()

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("round counter")
        verbose_name_plural = _("round counters")

    def __str__(self):
        return f"{self.campaign_id} → {self.round_id}"


class RankingSnapshot(models.Model):
    """A round's ranking frozen when its voting closed (`services.ranking_freeze`).

    Later votes, withdrawals and account deletions leave it as it is; the
    moderators' decisions on the round's votes (void, accept, disqualify)
    correct it, each correction on record in the audit trail."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="+")
    frozen_at = models.DateTimeField()
    corrected_at = models.DateTimeField(null=True, blank=True)
    # The counted votes of the round when it was frozen (with later corrections).
    total_votes = models.PositiveIntegerField(default=0)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("frozen ranking")
        verbose_name_plural = _("frozen rankings")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "round"], name="ranking_once_per_round"),
        ]

    def __str__(self):
        return f"{self.round_id} @ {self.frozen_at:%Y-%m-%d %H:%M}"


class RankingEntry(models.Model):
    """One idea's place in a frozen ranking.

    `rank` is shared by ties (1, 2, 2, 4); `position` orders everyone (ties
    broken by who reached the number first, then by the earlier idea) — the
    shortlist takes the first positions. A disqualified idea keeps its row,
    with no rank or position."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    snapshot = models.ForeignKey(RankingSnapshot, on_delete=models.CASCADE, related_name="entries")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    votes = models.IntegerField(default=0)
    rank = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(null=True, blank=True)
    # When the idea got the last vote counted for it in the round (tie-break).
    reached_at = models.DateTimeField(null=True, blank=True)
    disqualified = models.BooleanField(default=False)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        ordering = ["snapshot_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "snapshot", "idea"], name="ranking_entry_once_per_idea"
            ),
            # Checked at commit: a correction moves many positions in one UPDATE.
            # (A disqualified idea's position is NULL, and NULLs never collide.)
            models.UniqueConstraint(
                fields=["tenant", "snapshot", "position"],
                deferrable=models.Deferrable.DEFERRED,
                name="ranking_entry_one_per_position",
            ),
            models.CheckConstraint(
                condition=models.Q(votes__gte=0), name="ranking_entry_votes_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.snapshot_id} #{self.position}: {self.idea_id} ({self.votes})"


class Disqualification(models.Model):
    """A moderator took an idea out of the vote: it leaves every ranking (live
    and frozen) and takes no more votes. Its votes stay as they are."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    idea = models.OneToOneField(Idea, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("disqualification")
        verbose_name_plural = _("disqualifications")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "idea"], name="disqualified_once_per_idea"),
        ]

    def __str__(self):
        return f"{self.idea_id}"
