"""In-app and e-mail notifications, preferences, digests and follows.

A Notification is what a person sees under the bell. Its e-mail travels as an
EmailDelivery (one per notification sent immediately, one per digest), the row
that makes sending idempotent: the task claims it with a conditional UPDATE
before talking to the mail server, so a retry or a duplicate task never sends
twice.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from tenants.models import Tenant


class DeliveryMode(models.TextChoices):
    """How a person wants one kind of event: nothing, the bell only, or the bell
    and an e-mail (at once, or gathered in a daily or weekly digest)."""

    OFF = "off", _("Off")
    IN_APP = "in_app", _("On this site only")
    IMMEDIATE = "immediate", _("By e-mail, at once")
    DAILY = "daily", _("By e-mail, in a daily digest")
    WEEKLY = "weekly", _("By e-mail, in a weekly digest")


DIGEST_MODES = (DeliveryMode.DAILY, DeliveryMode.WEEKLY)


class Notification(models.Model):
    """One event told to one person in one tenant.

    The text is rendered when shown, from `event` and `context`, so each reader
    gets it in their own language. `digest_kind` says that the e-mail waits for
    a daily or weekly digest; `digest` is set, once, when a digest takes it.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(max_length=64)
    context = models.JSONField(default=dict, blank=True)
    # False for e-mail-only events (a sign-in code): never under the bell.
    in_app = models.BooleanField(default=True)
    dedupe_key = models.CharField(max_length=200, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    digest_kind = models.CharField(
        max_length=16,
        blank=True,
        choices=[(m.value, m.label) for m in DIGEST_MODES],
    )
    digest = models.ForeignKey(
        "Digest", null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_dedupe_once",
            ),
        ]
        indexes = [
            # The bell and the notifications page.
            models.Index(fields=["tenant", "recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["tenant", "recipient"],
                condition=Q(read_at__isnull=True, in_app=True),
                name="notification_unread",
            ),
            # What the digest builder looks for.
            models.Index(
                fields=["digest_kind", "tenant", "recipient", "created_at"],
                condition=Q(digest__isnull=True) & ~Q(digest_kind=""),
                name="notification_digest_waiting",
            ),
        ]

    def __str__(self):
        return f"{self.event} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def text(self) -> str:
        """The one-line text, in the active language."""
        from notifications.events import in_app_text

        return in_app_text(self.event, self.context)

    @property
    def url(self) -> str:
        return self.context.get("url", "") if isinstance(self.context, dict) else ""


class Preference(models.Model):
    """A person's choice for one event in one tenant. No row: the event's default."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=64)
    delivery = models.CharField(max_length=16, choices=DeliveryMode.choices)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "user", "event"], name="preference_one_per_event"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} · {self.event}: {self.delivery}"


class Digest(models.Model):
    """The e-mail that gathers one person's waiting notifications of one tenant for
    one period. The unique constraint is what makes "never twice for the same
    period" hold, whatever runs the builder twice."""

    class Kind(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "tenant", "kind", "period_start"],
                name="digest_once_per_period",
            ),
        ]

    def __str__(self):
        return f"{self.kind} digest {self.period_start:%Y-%m-%d} → {self.recipient_id}"


class EmailDelivery(models.Model):
    """One e-mail to send: a notification's, or a digest's.

    pending → sending → sent, or failed. `sending` is claimed by a conditional
    UPDATE (only one worker wins it); a transient error puts it back to pending
    for the next retry, until `attempts` reaches the setting's maximum. A worker
    killed in the middle of sending leaves the row `sending`: nothing retries it,
    because the message may have left (at most once, on purpose); operators see
    such rows in the admin.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    notification = models.OneToOneField(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="email"
    )
    digest = models.OneToOneField(
        Digest, null=True, blank=True, on_delete=models.CASCADE, related_name="email"
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        constraints = [
            models.CheckConstraint(
                condition=Q(notification__isnull=False, digest__isnull=True)
                | Q(notification__isnull=True, digest__isnull=False),
                name="email_delivery_one_source",
            ),
        ]

    def __str__(self):
        return f"e-mail {self.public_id} ({self.status})"


class Follow(models.Model):
    """A person follows something (a challenge, an idea) and hears of its events.

    The followed object belongs to an app above this one, so it is named, not
    referenced: `target_type` ("campaign", "idea") and `target_id` (its public id).
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    target_type = models.CharField(max_length=32)
    target_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "user", "target_type", "target_id"],
                name="follow_once",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "target_type", "target_id"], name="follow_target"),
        ]

    def __str__(self):
        return f"{self.user_id} follows {self.target_type}:{self.target_id}"
