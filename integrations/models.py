"""Outbound webhooks: the brand's endpoints and every delivery made to them.

A WebhookEndpoint is a URL of the brand's with the events it wants and the
secret its deliveries are signed with. Its `kind` says what it receives: the
signed JSON envelope, or — a team chat's incoming webhook (Slack, Teams) — a
message people read, in the brand's language. During a rotation the previous secret
stays valid until `previous_secret_expires_at`: each delivery then carries two
signatures, so the receiver can switch at its own pace.

A WebhookDelivery is one event for one endpoint: its payload is frozen at
publication, and the row is the unit of work of the delivery task, which
claims it with a conditional UPDATE (`claimed_until`) before sending, so a
duplicate task or a beat sweep never sends twice at once.
"""

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from tenants.models import Tenant


class WebhookEndpoint(models.Model):
    class Kind(models.TextChoices):
        # The signed JSON envelope, for the brand's own systems.
        STANDARD = "standard", _("Signed JSON (Standard Webhooks), for your systems")
        # A chat's incoming webhook: messages people read (integrations/chat.py).
        SLACK = "slack", _("Slack (or compatible: Mattermost, Rocket.Chat)")
        TEAMS = "teams", _("Microsoft Teams")

    class DisabledReason(models.TextChoices):
        NONE = "", _("Enabled")
        BY_TEAM = "by_team", _("Disabled by the team")
        FAILING = "failing", _("Disabled after failing deliveries")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    url = models.URLField(max_length=500)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.STANDARD)
    description = models.CharField(max_length=200, blank=True)
    events = ArrayField(models.CharField(max_length=64), default=list)
    # `whsec_<base64>`, as the Standard Webhooks convention shows them.
    secret = models.CharField(max_length=100)
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    enabled = models.BooleanField(default=True)
    disabled_reason = models.CharField(
        max_length=16, blank=True, choices=DisabledReason.choices, default=""
    )
    # Deliveries that died in a row (reset by any success): the disabling rule.
    failure_streak = models.PositiveIntegerField(default=0)
    last_success_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.url

    def signing_secrets(self, now=None) -> list[str]:
        """The secrets a delivery is signed with now: the current one, and the
        previous one while its grace period lasts."""
        now = now or timezone.now()
        secrets = [self.secret]
        if (
            self.previous_secret
            and self.previous_secret_expires_at
            and (self.previous_secret_expires_at > now)
        ):
            secrets.append(self.previous_secret)
        return secrets


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed, will retry")
        DEAD = "dead", _("Failed, given up")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    # The event's id (`webhook-id`): the same for every attempt and every replay,
    # so receivers can drop duplicates.
    event_id = models.CharField(max_length=64)
    event_type = models.CharField(max_length=64)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # A lease taken by the task that sends it; another worker skips it until then.
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_response_code = models.PositiveIntegerField(null=True, blank=True)
    last_response_excerpt = models.TextField(blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    last_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The beat sweep: deliveries due again.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=["pending", "failed"]),
                name="webhook_delivery_due",
            ),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log"),
        ]

    def __str__(self):
        return f"{self.event_type} {self.event_id} → {self.endpoint_id}"


class EmbedSettings(models.Model):
    """Where a brand's challenge, gallery and winners may be embedded: the
    origins (`https://www.brand.example`) allowed to frame them. None listed:
    no site may (the embeddable pages then answer `frame-ancestors 'none'`)."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="+")
    allowed_origins = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("embed settings")
        verbose_name_plural = _("embed settings")

    def __str__(self):
        return f"{self.tenant} · {len(self.allowed_origins)}"
