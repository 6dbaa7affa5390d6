"""Insights' own rows: the key of the pseudonyms its exports give people, and
one record per weekly report sent (what makes the report go out once a week)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from tenants.models import Tenant


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
