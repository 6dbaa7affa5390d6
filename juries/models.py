"""Juries: members, the shortlist of each round, assignments, scores and decisions.

Thin on purpose: every write is in `services.py`, the arithmetic of the
aggregate in `aggregation.py`, the shared reads in `selectors.py`. The database
holds what must never be wrong: one jury per challenge, one chair per jury, one
shortlist per round, an idea once per shortlist, one assignment per juror and
idea, one score per criterion, one decision per round and a winner once per
decision.

What a jury is made of, and where each part lives:

- The challenge (campaigns.Campaign) keeps the settings the console's challenge
  form edits: the rubric (campaigns.Criterion), the jury's size, the shortlist
  size, blind review (`jury_blind`, on by default) and the guidance text for
  jurors (`jury_guidance`). `Jury.blind` and `Jury.guidance` read them.
- `Jury` adds who sits on it (`JuryMember`: chair or member) and how review
  runs: days given to jurors, jurors per idea on a large shortlist, and the
  normalisation of jurors' scores.
- When a round's voting closes, its `Shortlist` is built from the frozen
  ranking, the challenge's rubric is copied into `RoundCriterion` rows (so
  editing the rubric later changes the next rounds, never scores already
  given), and each juror gets an `Assignment` per idea they score.
- The chair's `Decision` freezes the scores and the aggregate it was made on.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from campaigns.models import Campaign, Round
from ideas.models import Idea
from tenants.models import Tenant


class Jury(models.Model):
    """The jury of one challenge."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="jury")
    review_days = models.PositiveSmallIntegerField(
        _("days jurors have to score a shortlist"), default=3
    )
    jurors_per_idea = models.PositiveSmallIntegerField(
        _("jurors per idea on a large shortlist"),
        null=True,
        blank=True,
        help_text=_("Empty: every juror scores every idea."),
    )
    everyone_up_to = models.PositiveSmallIntegerField(
        _("every juror scores every idea up to this many ideas"), default=15
    )
    normalise = models.BooleanField(
        _("normalise each juror's scores (z-scores within the round)"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("jury")
        verbose_name_plural = _("juries")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "campaign"], name="jury_one_per_campaign"),
            models.CheckConstraint(
                condition=models.Q(review_days__gte=1), name="jury_review_days_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(jurors_per_idea__isnull=True) | models.Q(jurors_per_idea__gte=1),
                name="jury_jurors_per_idea_positive",
            ),
        ]

    def __str__(self):
        return str(self.campaign)

    @property
    def blind(self) -> bool:
        return self.campaign.jury_blind

    @property
    def guidance(self) -> str:
        return self.campaign.jury_guidance


class JuryMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jury_seats"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")
        ordering = ["jury_id", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "jury", "user"], name="jurymember_once"),
            models.UniqueConstraint(
                fields=["tenant", "jury"],
                condition=models.Q(role="chair"),
                name="jurymember_one_chair",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} · {self.role} · {self.jury_id}"

    @property
    def is_chair(self) -> bool:
        return self.role == self.Role.CHAIR


class Shortlist(models.Model):
    """The ideas a round's jury scores, and until when."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="shortlist")
    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="shortlists")
    size = models.PositiveSmallIntegerField(_("shortlist size"))
    deadline = models.DateTimeField(_("deadline"))
    # How this round's ideas were shared out (frozen at build: later changes of
    # the jury's settings apply to the next rounds).
    jurors_per_idea = models.PositiveSmallIntegerField(null=True, blank=True)
    built_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("shortlist")
        verbose_name_plural = _("shortlists")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "round"], name="shortlist_one_per_round"),
        ]

    def __str__(self):
        return f"{self.round} · {self.size}"


class ShortlistEntry(models.Model):
    class Source(models.TextChoices):
        RANKING = "ranking", _("Most voted")
        WILDCARD = "wildcard", _("Wildcard")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="entries")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    reason = models.TextField(_("reason"), blank=True)
    # The idea's place and counted votes in the round's frozen ranking (wildcards
    # too, when they are in it): the first tie-break of the aggregate.
    ranking_rank = models.PositiveIntegerField(null=True, blank=True)
    round_votes = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("shortlisted idea")
        verbose_name_plural = _("shortlisted ideas")
        ordering = ["shortlist_id", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "shortlist", "idea"], name="shortlistentry_idea_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(source="wildcard") | ~models.Q(reason=""),
                name="shortlistentry_wildcard_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.shortlist_id} · {self.idea_id} · {self.source}"


class RoundCriterion(models.Model):
    """One line of the rubric as it stood when the round's review began."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("criterion"), max_length=80)
    description = models.CharField(_("description"), max_length=240, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    scale_min = models.SmallIntegerField(_("lowest score"))
    scale_max = models.SmallIntegerField(_("highest score"))

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("criterion of a round")
        verbose_name_plural = _("criteria of a round")
        ordering = ["shortlist_id", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="roundcriterion_scale_not_empty",
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="roundcriterion_weight_positive"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.weight} %)"

    @property
    def steps(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class Assignment(models.Model):
    """One juror x one shortlisted idea of a round: pending → submitted, or recused."""

    class State(models.TextChoices):
        PENDING = "pending", _("To score")
        SUBMITTED = "submitted", _("Submitted")
        RECUSED = "recused", _("Recused")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(ShortlistEntry, on_delete=models.CASCADE, related_name="assignments")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jury_assignments"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    # Seen by its juror only: never in the aggregate, the exports or the decision.
    note = models.TextField(_("private note"), blank=True)
    recusal_reason = models.TextField(_("conflict of interest"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)  # order on the juror's list
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    recused_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["round_id", "juror_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "round", "idea", "juror"], name="assignment_once_per_juror"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="submitted") | models.Q(submitted_at__isnull=False),
                name="assignment_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="recused")
                | (models.Q(recused_at__isnull=False) & ~models.Q(recusal_reason="")),
                name="assignment_recused_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "juror", "state"], name="assignment_by_juror")]

    def __str__(self):
        return f"{self.round_id} · {self.idea_id} · {self.juror_id} · {self.state}"


class Score(models.Model):
    """A juror's score on one criterion of one assignment (autosaved)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RoundCriterion, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(_("score"))
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "assignment", "criterion"], name="score_once_per_criterion"
            ),
        ]

    def __str__(self):
        return f"{self.assignment_id} · {self.criterion_id} = {self.value}"


class Decision(models.Model):
    """The chair's decision on a round, with what it was made on, frozen."""

    class Kind(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed the aggregate's proposal")
        OVERRIDDEN = "overridden", _("Overrode the aggregate")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="jury_decision")
    kind = models.CharField(_("decision"), max_length=12, choices=Kind.choices)
    reason = models.TextField(_("reason"), blank=True)
    # The aggregate's proposal (ideas' public ids, best first), the whole
    # aggregate and every submitted score, as they were when the chair decided.
    proposed = models.JSONField(default=list)
    aggregate = models.JSONField(default=dict)
    scores = models.JSONField(default=list)
    missing_assignments = models.PositiveIntegerField(default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("jury decision")
        verbose_name_plural = _("jury decisions")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "round"], name="decision_one_per_round"),
            models.CheckConstraint(
                condition=~models.Q(kind="overridden") | ~models.Q(reason=""),
                name="decision_override_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.kind}"


class DecisionWinner(models.Model):
    """A winning idea of a decision, in prize order (1 = first prize)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="winners")
    # An idea erased with its author's account leaves the decision's frozen
    # aggregate as the record of what was decided.
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("winner")
        verbose_name_plural = _("winners")
        ordering = ["decision_id", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "decision", "rank"], name="decisionwinner_rank_once"
            ),
            models.UniqueConstraint(
                fields=["tenant", "decision", "idea"], name="decisionwinner_idea_once"
            ),
            models.CheckConstraint(
                condition=models.Q(rank__gte=1), name="decisionwinner_rank_positive"
            ),
        ]

    def __str__(self):
        return f"{self.decision_id} #{self.rank}: {self.idea_id}"
