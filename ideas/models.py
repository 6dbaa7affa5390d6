"""Ideas, their media, comments, flags, co-authors and the tenant's moderation rules.

Thin on purpose: every write is in `services.py`, every shared read in
`selectors.py`. The database holds what must never be wrong: one flag per person
and object, a merged idea points at the idea it went into, counters never go
below zero, one media per idea.

Counters kept on the idea (denormalised so the gallery sorts on an index and
its page costs the same number of queries at 10 or 100,000 ideas):

- `vote_count`        counted votes, all rounds. Kept by the voting app's
                      services (ideas never writes it after creation).
- `round_vote_count`  counted votes cast in the round people are in now:
                      "most voted this round". Kept by the voting app too
                      (incremented with each counted vote of the running round,
                      set to 0 for every idea of a challenge when its next round
                      opens). Until the voting app exists both stay at 0.
- `comment_count`     published comments (ideas' services).
- `flag_count`        flags not yet resolved by a moderator (ideas' services).
- `trending_score`    recent activity weighted by age, refreshed by the
                      `ideas-trending` beat entry and by the services that
                      change the activity (see services.trending_formula).
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from campaigns.models import Campaign, Round
from tenants.models import Tenant


class Idea(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        MERGED = "merged", _("Merged into another idea")

    class Stage(models.TextChoices):
        """The brand's side of an idea, apart from its moderation state."""

        NONE = "none", _("No stage")
        UNDER_REVIEW = "under_review", _("Under review")
        SELECTED = "selected", _("Selected")
        IN_DEVELOPMENT = "in_development", _("In development")
        LAUNCHED = "launched", _("Launched")
        DECLINED = "declined", _("Declined")

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        IMAGE = "image", _("Image")
        VIDEO = "video", _("Video")

    class Hold(models.TextChoices):
        """Why an idea (or a comment) waits for a moderator."""

        PRE_MODERATION = "pre_moderation", _("Checked before publication")
        BLOCKED_WORD = "blocked_word", _("Contains a blocked word")
        LINK = "link", _("Contains a link")
        FLAGS = "flags", _("Flagged by participants")
        MEDIA = "media", _("Media being processed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="ideas")
    round = models.ForeignKey(
        Round, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Null once the author's account is gone and they chose to keep their ideas.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.TEXT)
    title = models.CharField(_("title"), max_length=120)
    # Plain text as typed; escaped when shown (never rendered as HTML).
    body = models.TextField(_("text"), blank=True)
    tags = ArrayField(models.CharField(max_length=30), verbose_name=_("tags"), default=list)
    # A video link: the provider and the video's id, never the URL as typed.
    video_provider = models.CharField(max_length=16, blank=True)
    video_ref = models.CharField(max_length=64, blank=True)

    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    hold_reasons = ArrayField(models.CharField(max_length=24), default=list, blank=True)
    # The reason of the last moderation decision, shown to the author.
    moderation_reason = models.TextField(blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_ideas"
    )

    # What the brand made of the idea, apart from its moderation: see
    # services/stages.py for the moves allowed and who is told.
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.NONE)
    # Why a declined idea was declined: the author and the public read it.
    stage_note = models.TextField(_("public note"), blank=True)
    # The brand chose to list this declined idea (and its note) on the challenge page.
    stage_note_shown = models.BooleanField(default=False)
    stage_changed_at = models.DateTimeField(null=True, blank=True)
    # The person on the brand's team who follows the idea up (console only).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    vote_count = models.IntegerField(default=0)
    round_vote_count = models.IntegerField(default=0)
    comment_count = models.IntegerField(default=0)
    flag_count = models.IntegerField(default=0)
    trending_score = models.FloatField(default=0.0)
    search_vector = SearchVectorField(null=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="merged") | models.Q(merged_into__isnull=False),
                name="idea_merged_points_somewhere",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="published") | models.Q(published_at__isnull=False),
                name="idea_published_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(vote_count__gte=0)
                & models.Q(round_vote_count__gte=0)
                & models.Q(comment_count__gte=0)
                & models.Q(flag_count__gte=0),
                name="idea_counts_not_negative",
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="idea_search_gin"),
            GinIndex(fields=["tags"], name="idea_tags_gin"),
            models.Index(fields=["tenant", "author", "-created_at"], name="idea_by_author"),
            models.Index(fields=["tenant", "state", "-created_at"], name="idea_by_state"),
            # The gallery's sorts: published ideas of one challenge, keyset by (key, id).
            models.Index(
                fields=["campaign", "-published_at", "-id"],
                condition=models.Q(state="published"),
                name="idea_gallery_newest",
            ),
            models.Index(
                fields=["campaign", "-vote_count", "-id"],
                condition=models.Q(state="published"),
                name="idea_gallery_votes",
            ),
            models.Index(
                fields=["campaign", "-round_vote_count", "-id"],
                condition=models.Q(state="published"),
                name="idea_gallery_round_votes",
            ),
            models.Index(
                fields=["campaign", "-trending_score", "-id"],
                condition=models.Q(state="published"),
                name="idea_gallery_trending",
            ),
            # "What became of the ideas": the few ideas past a stage, per challenge.
            models.Index(
                fields=["campaign", "stage", "-stage_changed_at"],
                condition=~models.Q(stage="none"),
                name="idea_by_stage",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("ideas:detail", kwargs={"public_id": self.public_id})

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def is_processing(self) -> bool:
        return self.Hold.MEDIA in self.hold_reasons


def media_path(media, filename: str) -> str:
    """ideas/<media>/<random>-<name>: unguessable, and new on every replacement so
    caches and CDNs never serve an old file under a new name. Named after the
    media row, never the idea: a juror reviewing blind must not get from a file's
    address to the idea's public page and its author."""
    return f"ideas/{media.public_id}/{uuid.uuid4().hex[:12]}-{filename}"


class Media(models.Model):
    """The image or video of an idea: the upload while it waits for the media
    task, then its renditions. The upload (with its EXIF, location included) is
    deleted once the renditions exist or the upload is refused."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        VIDEO = "video", _("Video")

    class Status(models.TextChoices):
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    idea = models.OneToOneField(Idea, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PROCESSING, db_index=True
    )
    failure = models.TextField(blank=True)  # the reason, in words the author understands

    upload = models.FileField(upload_to=media_path, max_length=255, blank=True)
    upload_name = models.CharField(max_length=255, blank=True)
    upload_size = models.BigIntegerField(default=0)
    detected_format = models.CharField(max_length=32, blank=True)
    # A processing run claims the media by stamping it (tasks may run twice).
    claimed_at = models.DateTimeField(null=True, blank=True)

    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration = models.FloatField(null=True, blank=True)  # seconds, videos only

    thumbnail = models.FileField(upload_to=media_path, max_length=255, blank=True)
    detail = models.FileField(upload_to=media_path, max_length=255, blank=True)
    share_card = models.FileField(upload_to=media_path, max_length=255, blank=True)
    video = models.FileField(upload_to=media_path, max_length=255, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("media")
        verbose_name_plural = _("media")

    def __str__(self):
        return f"{self.kind} · {self.idea_id} · {self.status}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    def rendition_files(self) -> list:
        return [f for f in (self.thumbnail, self.detail, self.share_card, self.video) if f]


class Comment(models.Model):
    """A comment on an idea, or a reply to one (one level: a reply's parent is
    always a top-level comment)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Deleted by its author")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="idea_comments",
    )
    body = models.TextField(_("comment"))
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    hold_reasons = ArrayField(models.CharField(max_length=24), default=list, blank=True)
    moderation_reason = models.TextField(blank=True)
    flag_count = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["idea", "state", "created_at"], name="comment_by_idea"),
            models.Index(fields=["tenant", "state", "-created_at"], name="comment_by_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(flag_count__gte=0), name="comment_flags_not_negative"
            ),
        ]

    def __str__(self):
        return self.body[:60]


class Flag(models.Model):
    """A participant's report on an idea or a comment."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Abusive, hateful or harassing")
        OFF_TOPIC = "off_topic", _("Off topic")
        COPYRIGHT = "copyright", _("Not the author's own work")
        PERSONAL_DATA = "personal_data", _("Shows someone's personal data")
        DUPLICATE = "duplicate", _("Duplicate of another idea")
        OTHER = "other", _("Something else")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_flags"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    note = models.CharField(_("details"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(idea__isnull=False, comment__isnull=True)
                | models.Q(idea__isnull=True, comment__isnull=False),
                name="flag_one_target",
            ),
            models.UniqueConstraint(
                fields=["tenant", "reporter", "idea"],
                condition=models.Q(idea__isnull=False),
                name="flag_once_per_idea",
            ),
            models.UniqueConstraint(
                fields=["tenant", "reporter", "comment"],
                condition=models.Q(comment__isnull=False),
                name="flag_once_per_comment",
            ),
        ]

    def __str__(self):
        return f"{self.reason} · {self.idea_id or self.comment_id}"


class Coauthor(models.Model):
    """A person credited on an idea besides its author: invited by a link the
    author shares, or credited when their duplicate was merged into the idea.
    Their share of a prize is the rewards app's to set."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Co-author")
        REVOKED = "revoked", _("Removed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="coauthors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="idea_coauthorships",
    )
    token = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    via_merge = models.BooleanField(default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("co-author")
        verbose_name_plural = _("co-authors")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "idea", "user"],
                condition=models.Q(user__isnull=False),
                name="coauthor_once_per_idea",
            ),
        ]

    def __str__(self):
        return f"{self.idea_id} · {self.user_id or 'invited'}"


class ModerationRules(models.Model):
    """A tenant's words and link rules that hold a submission for a moderator."""

    class Links(models.TextChoices):
        ALLOW = "allow", _("Links are allowed")
        HOLD = "hold", _("Hold every contribution with a link for review")
        HOLD_UNLISTED = "hold_unlisted", _("Hold links except to the domains listed")

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="+")
    blocked_words = ArrayField(
        models.CharField(max_length=60), verbose_name=_("blocked words"), default=list, blank=True
    )
    links = models.CharField(
        _("links"), max_length=16, choices=Links.choices, default=Links.HOLD_UNLISTED
    )
    allowed_domains = ArrayField(
        models.CharField(max_length=253),
        verbose_name=_("domains always allowed"),
        default=list,
        blank=True,
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("moderation rules")
        verbose_name_plural = _("moderation rules")

    def __str__(self):
        return f"{self.tenant}"


class Label(models.Model):
    """An internal label of the brand's team (never shown to participants)."""

    class Colour(models.TextChoices):
        # A fixed palette: each colour reads with dark text at AA contrast.
        GREY = "grey", _("Grey")
        RED = "red", _("Red")
        ORANGE = "orange", _("Orange")
        YELLOW = "yellow", _("Yellow")
        GREEN = "green", _("Green")
        TEAL = "teal", _("Teal")
        BLUE = "blue", _("Blue")
        PURPLE = "purple", _("Purple")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=40)
    colour = models.CharField(
        _("colour"), max_length=8, choices=Colour.choices, default=Colour.GREY
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = pgettext_lazy("internal label", "label")
        verbose_name_plural = pgettext_lazy("internal label", "labels")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint("tenant", Lower("name"), name="label_name_once_per_tenant"),
        ]

    def __str__(self):
        return self.name


class IdeaLabel(models.Model):
    """A label put on an idea."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="label_links")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="idea_links")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "idea", "label"], name="idea_label_once"),
        ]

    def __str__(self):
        return f"{self.idea_id} · {self.label_id}"
