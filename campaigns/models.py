"""Challenges (Campaign), their rounds, prizes, jury rubric and invitation links.

Thin on purpose: the rules live in `services.py` (writes) and `lifecycle.py`
(what is allowed at a given time). The database holds the invariants that
matter: one slug per tenant, one round per index, one grand round, positive
prize amounts, an end after the start.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from tenants.models import Tenant

# Currencies a prize can be promised in (the SEPA export pays EUR; the others are
# paid by the brand by its own means and recorded here).
CURRENCIES = [
    ("EUR", _("Euro (EUR)")),
    ("USD", _("US dollar (USD)")),
    ("GBP", _("Pound sterling (GBP)")),
    ("CHF", _("Swiss franc (CHF)")),
]
CURRENCY_CODES = [code for code, _label in CURRENCIES]


class Campaign(models.Model):
    """A challenge: what a brand asks its community, when, and what it pays."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        EMPLOYEES = "employees", _("Employees only")
        INVITE_ONLY = "invite_only", _("By invitation only")

    class Moderation(models.TextChoices):
        PRE = "pre", _("Check ideas before they appear")
        POST = "post", _("Publish at once, moderate afterwards")

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        DAYS = "days", _("Every N days")
        SINGLE = "single", _("One single round")

    class Voters(models.TextChoices):
        AUDIENCE = "audience", _("Everyone who may take part")
        CONTRIBUTORS = "contributors", _("Only people who submitted an idea")

    class RoundCovers(models.TextChoices):
        SUBMITTED_IN_ROUND = "submitted_in_round", _("Ideas submitted during the round")
        NOT_YET_AWARDED = "not_yet_awarded", _("Every idea not awarded yet")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="campaigns")
    slug = models.SlugField(_("address"), max_length=60)
    title = models.CharField(_("title"), max_length=120)
    pitch = models.CharField(_("short pitch"), max_length=240, blank=True)
    # Sanitised HTML (nh3) written by the services only.
    description = models.TextField(_("description"), blank=True)
    cover = models.ImageField(_("cover image"), upload_to="campaigns/covers/", blank=True)
    themes = ArrayField(
        models.CharField(max_length=40), verbose_name=_("themes"), default=list, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )

    # Who takes part.
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.PUBLIC
    )
    employee_email_domains = ArrayField(
        models.CharField(max_length=253),
        verbose_name=_("employee e-mail domains"),
        default=list,
        blank=True,
    )

    # What people submit.
    allow_text = models.BooleanField(_("text"), default=True)
    allow_image = models.BooleanField(_("image"), default=True)
    allow_video = models.BooleanField(_("video"), default=False)
    text_max_chars = models.PositiveIntegerField(_("text length (characters)"), default=1000)
    image_max_mb = models.PositiveSmallIntegerField(_("image size (MB)"), default=10)
    video_max_mb = models.PositiveSmallIntegerField(_("video size (MB)"), default=200)
    video_max_seconds = models.PositiveSmallIntegerField(_("video length (seconds)"), default=120)
    moderation = models.CharField(
        _("moderation"), max_length=8, choices=Moderation.choices, default=Moderation.POST
    )
    flags_to_hide = models.PositiveSmallIntegerField(
        _("flags before an idea is hidden for review"), default=3
    )

    # How people vote.
    voters = models.CharField(
        _("who may vote"), max_length=16, choices=Voters.choices, default=Voters.AUDIENCE
    )
    votes_per_round = models.PositiveSmallIntegerField(
        _("votes per person per round"), null=True, blank=True, help_text=_("Empty: unlimited.")
    )
    self_vote_allowed = models.BooleanField(
        _("authors may vote for their own ideas"), default=False
    )
    show_vote_counts = models.BooleanField(
        _("show vote totals while a round is open"), default=True
    )
    round_covers = models.CharField(
        _("ideas a round covers"),
        max_length=24,
        choices=RoundCovers.choices,
        default=RoundCovers.SUBMITTED_IN_ROUND,
    )

    # When.
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    cadence = models.CharField(
        _("rounds"), max_length=8, choices=Cadence.choices, default=Cadence.WEEKLY
    )
    cadence_days = models.PositiveSmallIntegerField(_("days per round"), null=True, blank=True)

    # The jury (filled in by the jury app: members, assignments, scores).
    shortlist_size = models.PositiveSmallIntegerField(
        _("shortlist size"), default=10, validators=[MinValueValidator(1)]
    )
    weekly_winners_can_win_grand = models.BooleanField(
        _("round winners may also win the grand prize"), default=True
    )
    jury_size = models.PositiveSmallIntegerField(_("jury size"), default=3)
    jury_blind = models.BooleanField(_("jurors do not see who wrote an idea"), default=True)
    jury_guidance = models.TextField(_("guidance for jurors"), blank=True)

    terms_text = models.TextField(_("terms and conditions"), blank=True)
    terms_version = models.PositiveIntegerField(_("terms version"), default=1)

    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "slug"], name="campaign_slug_per_tenant"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="campaign_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(allow_text=True)
                | models.Q(allow_image=True)
                | models.Q(allow_video=True),
                name="campaign_accepts_some_kind",
            ),
            models.CheckConstraint(
                condition=~models.Q(cadence="days") | models.Q(cadence_days__gte=1),
                name="campaign_days_cadence_has_days",
            ),
            models.CheckConstraint(
                condition=models.Q(shortlist_size__gte=1), name="campaign_shortlist_not_empty"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "status", "starts_at"])]

    def __str__(self):
        return self.title

    @property
    def round_days(self) -> int | None:
        """Length of a round in days; None for a single round."""
        if self.cadence == self.Cadence.WEEKLY:
            return 7
        if self.cadence == self.Cadence.DAYS:
            return self.cadence_days
        return None

    @property
    def is_published(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def submission_kinds(self) -> list[str]:
        kinds = [
            ("text", self.allow_text),
            ("image", self.allow_image),
            ("video", self.allow_video),
        ]
        return [kind for kind, allowed in kinds if allowed]


class Round(models.Model):
    """A period whose ideas and votes a jury judges.

    Weekly (or every-N-days) rounds cut the challenge in windows; the grand round
    covers the whole challenge and is judged after the last window closes. The
    states are shared by every app (DESIGN.md); the round cycle moves them.

    Submissions count in [starts_at, ends_at); votes in [starts_at, voting_ends_at).
    """

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("Round")
        GRAND = "grand", _("Grand round")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        VOTING_CLOSED = "voting_closed", _("Voting closed")
        IN_REVIEW = "in_review", _("In review")
        DECIDED = "decided", _("Decided")
        ANNOUNCED = "announced", _("Announced")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="rounds")
    index = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    voting_ends_at = models.DateTimeField(_("voting ends"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.SCHEDULED
    )
    # The round's own copy of the challenge's rule, as published: a change of the
    # challenge's setting reaches the rounds that have not started only.
    votes_per_round = models.PositiveSmallIntegerField(
        _("votes per person in this round"), null=True, blank=True, help_text=_("Empty: unlimited.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["campaign_id", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "campaign", "index"], name="round_index_per_campaign"
            ),
            models.UniqueConstraint(
                fields=["tenant", "campaign"],
                condition=models.Q(kind="grand"),
                name="round_one_grand_per_campaign",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="round_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(voting_ends_at__gte=models.F("ends_at")),
                name="round_voting_ends_after_round",
            ),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.index}"

    @property
    def is_grand(self) -> bool:
        return self.kind == self.Kind.GRAND


class Prize(models.Model):
    """What a round's winner(s) receive. One row per round kind and place."""

    class SplitRule(models.TextChoices):
        AUTHOR = "author", _("All to the idea's author")
        EQUAL = "equal", _("Equal shares between co-authors")
        CUSTOM = "custom", _("Shares set by the brand")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="prizes")
    round_kind = models.CharField(_("round"), max_length=8, choices=Round.Kind.choices)
    rank = models.PositiveSmallIntegerField(_("place"), default=1)
    label = models.CharField(_("label"), max_length=120, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="EUR")
    split_rule = models.CharField(
        _("split between co-authors"),
        max_length=8,
        choices=SplitRule.choices,
        default=SplitRule.AUTHOR,
    )

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")
        ordering = ["campaign_id", "round_kind", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "campaign", "round_kind", "rank"], name="prize_one_per_place"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=Decimal("0")), name="prize_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(currency__in=CURRENCY_CODES), name="prize_currency_supported"
            ),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.round_kind} #{self.rank}: {self.amount} {self.currency}"


class Criterion(models.Model):
    """One line of the jury's rubric (the jury app scores against it)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("criterion"), max_length=80)
    description = models.CharField(_("description"), max_length=240, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    scale_min = models.SmallIntegerField(_("lowest score"), default=1)
    scale_max = models.SmallIntegerField(_("highest score"), default=10)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["campaign_id", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="criterion_scale_not_empty",
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0) & models.Q(weight__lte=100),
                name="criterion_weight_percent",
            ),
        ]

    # What a copy of a rubric line keeps: a duplicated challenge's rubric, and
    # the frozen rubric a round's jury scores against (juries.RoundCriterion).
    RUBRIC_FIELDS = ("name", "description", "weight", "scale_min", "scale_max")

    def __str__(self):
        return f"{self.name} ({self.weight} %)"

    def rubric(self) -> dict:
        return {field: getattr(self, field) for field in self.RUBRIC_FIELDS}


class Invitation(models.Model):
    """A shareable link that lets people into an invite-only challenge."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=120, blank=True)
    uses = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("invitation link")
        verbose_name_plural = _("invitation links")
        ordering = ["-created_at"]

    def __str__(self):
        return self.label or self.token[:8]

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
