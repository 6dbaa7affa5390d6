"""What the dashboard counts: page views of the public pages (no IP address, no
cookie, a visitor key that changes every day), and the daily figures folded from
them and from the other apps' records by the beat task (insights.tasks).

Thin on purpose: writes are in `services/`, reads in `selectors/`.

    PageView         one view of a public page by a person (bots are never written)
    DailyFigures     per tenant, challenge (NULL = the whole brand) and day
    DailySource      per tenant, challenge, idea (NULL = the challenge) and day, by source
    DailyAudience    per tenant, challenge and day, visitors by device, language, new/returning
    Participation    per challenge, round and person: what they did (the funnel's rows)
    FunnelFigures    per challenge and round (NULL = the challenge): the funnel's counts
    PseudonymKey     per tenant: the secret of the exports' pseudonymous ids
    WeeklyReport     per tenant and week: the weekly report, claimed once
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from campaigns.models import Campaign, Round
from ideas.models import Idea
from tenants.models import Tenant


class Source(models.TextChoices):
    """Where a visit came from: a share link's `?src=`, else the referrer grouped."""

    DIRECT = "direct", _("Direct or unknown")
    SEARCH = "search", _("Search engines")
    BRAND = "brand", _("The brand's own site")
    X = "x", "X"
    FACEBOOK = "facebook", "Facebook"
    LINKEDIN = "linkedin", "LinkedIn"
    WHATSAPP = "whatsapp", "WhatsApp"
    INSTAGRAM = "instagram", "Instagram"
    EMAIL = "email", _("E-mail")
    LINK = "link", _("Copied link")
    OTHER = "other", _("Other websites")


class Device(models.TextChoices):
    PHONE = "phone", _("Phone")
    TABLET = "tablet", _("Tablet")
    DESKTOP = "desktop", _("Desktop")


class PageView(models.Model):
    """One view of a tenant's public page (home, challenge, gallery, idea).

    `visitor_key` is a hash of the day's salt, the tenant, the address and the
    browser: the same person on the same day has the same key, the next day
    another one, and the salt is deleted, so no key can be linked to an address
    or to another day. Neither the address nor a cookie is ever stored. `user` is
    set only for people signed in (they have an account already)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+", db_index=False)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_index=False,
    )
    # Written by the request (a random id): folding the same batch twice adds nothing.
    event_id = models.UUIDField(unique=True)
    viewed_at = models.DateTimeField()
    day = models.DateField()  # in the tenant's time zone
    visitor_key = models.CharField(max_length=32)
    page = models.CharField(max_length=12)  # home, challenge, gallery, idea
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.DIRECT)
    # True for a page reached from another page of the same site (not an arrival).
    internal = models.BooleanField(default=False)
    # True for an arrival through a share button's link (its `?src=`).
    shared = models.BooleanField(default=False)
    device = models.CharField(max_length=8, choices=Device.choices)
    language = models.CharField(max_length=8, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        indexes = [
            models.Index(fields=["tenant", "day", "visitor_key"], name="pageview_day"),
            models.Index(
                fields=["tenant", "user", "day"],
                condition=models.Q(user__isnull=False),
                name="pageview_user",
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.page} {self.visitor_key[:8]}"


class DailyFigures(models.Model):
    """A day's figures of a challenge, or of the whole brand when `campaign` is
    NULL (its visitors are counted once even when they saw several challenges)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+", db_index=False)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    day = models.DateField()
    visitors = models.PositiveIntegerField(default=0)
    page_views = models.PositiveIntegerField(default=0)
    signups = models.PositiveIntegerField(default=0)
    consents = models.PositiveIntegerField(default=0)
    ideas = models.PositiveIntegerField(default=0)
    votes = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    shares = models.PositiveIntegerField(default=0)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "campaign", "day"], name="dailyfigures_once_per_day"
            ),
            models.UniqueConstraint(
                fields=["tenant", "day"],
                condition=models.Q(campaign__isnull=True),
                name="dailyfigures_brand_once_per_day",
            ),
        ]

    def __str__(self):
        return f"{self.day} · {self.campaign_id or 'brand'}"


class DailySource(models.Model):
    """Visits, sign-ups and votes a source brought on a day, to a challenge
    (`idea` NULL) or to one of its ideas; `campaign` NULL: the whole brand."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+", db_index=False)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    day = models.DateField()
    source = models.CharField(max_length=12, choices=Source.choices)
    visits = models.PositiveIntegerField(default=0)
    signups = models.PositiveIntegerField(default=0)
    votes = models.PositiveIntegerField(default=0)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        indexes = [
            models.Index(fields=["tenant", "campaign", "idea", "day"], name="dailysource_lookup"),
        ]

    def __str__(self):
        return f"{self.day} · {self.source}"


class DailyAudience(models.Model):
    """A day's visitors of a challenge (`campaign` NULL: the brand) by one trait:
    `dimension` device (phone, tablet, desktop), language (a code), or visitor
    (new, returning, unknown — only signed-in people can be known again)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+", db_index=False)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    day = models.DateField()
    dimension = models.CharField(max_length=12)
    value = models.CharField(max_length=12)
    visitors = models.PositiveIntegerField(default=0)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        indexes = [
            models.Index(fields=["tenant", "campaign", "day"], name="dailyaudience_lookup"),
        ]

    def __str__(self):
        return f"{self.day} · {self.dimension}={self.value}"


class Participation(models.Model):
    """What one signed-in person did in one round of a challenge: seen on its
    pages, accepted the brand's terms, submitted, voted, commented. The funnel
    counts these rows; `is_employee` says whether the person signed in as the
    brand's staff (accounts.selectors.staff_email_verified)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+", db_index=False)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+", db_index=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    consented = models.BooleanField(default=False)
    submitted = models.BooleanField(default=False)
    voted = models.BooleanField(default=False)
    commented = models.BooleanField(default=False)
    is_employee = models.BooleanField(default=False)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "round", "user"], name="participation_once_per_round"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} in {self.round_id}"


class FunnelFigures(models.Model):
    """The funnel of a challenge's round (`round` NULL: the whole challenge),
    counted from Participation by the beat task; visitors are summed from
    DailyFigures when read."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+", db_index=False)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    signed_in = models.PositiveIntegerField(default=0)
    consented = models.PositiveIntegerField(default=0)
    submitted = models.PositiveIntegerField(default=0)
    voted = models.PositiveIntegerField(default=0)
    came_back = models.PositiveIntegerField(default=0)
    employees = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "round"], name="funnel_once_per_round"),
            models.UniqueConstraint(
                fields=["campaign"],
                condition=models.Q(round__isnull=True),
                name="funnel_once_per_campaign",
            ),
        ]

    def __str__(self):
        return f"{self.campaign_id} · {self.round_id or 'all'}"


class PseudonymKey(models.Model):
    """A tenant's secret for the pseudonymous ids of its exports: an HMAC of a
    person's id with it names the same person the same way in every file of
    the tenant, and differently in every other tenant; without the key, the id
    leads back to nobody. Made on first use, never shown, never exported."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="+")
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("pseudonym key")

    def __str__(self):
        return f"pseudonym key of tenant {self.tenant_id}"  # never the secret


class WeeklyReport(models.Model):
    """The weekly report of a tenant for the week starting on `week_start` (a
    Monday, in the tenant's time zone): claimed before it is sent, so a second
    run of the task, or a second worker, finds the week taken and sends nothing."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    figures = models.JSONField(default=dict)
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("weekly report")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "week_start"], name="weekly_report_one_per_week"
            )
        ]

    def __str__(self):
        return f"{self.tenant_id} {self.week_start}"
