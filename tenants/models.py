"""A tenant is a brand running challenges on the platform, reached by its domains."""

import uuid
import zoneinfo

from django.contrib.postgres.fields import ArrayField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

HEX_COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #ff6200."))
TIME_ZONES = sorted((tz, tz) for tz in zoneinfo.available_timezones() if "/" in tz)


def all_languages() -> list[str]:
    return ["fr", "es", "en"]


class Tenant(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    class Language(models.TextChoices):
        FR = "fr", _("French")
        ES = "es", _("Spanish")
        EN = "en", _("English")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(
        _("slug"),
        max_length=40,
        unique=True,
        help_text=_("Used in the address: <slug>.<platform domain>."),
    )
    name = models.CharField(_("name"), max_length=120)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    default_language = models.CharField(
        _("default language"), max_length=5, choices=Language.choices, default=Language.EN
    )
    languages = ArrayField(
        models.CharField(max_length=5, choices=Language.choices),
        verbose_name=_("languages"),
        default=all_languages,
        help_text=_("The languages visitors can switch to; the default language is one of them."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONES, default="Europe/Paris"
    )
    logo = models.ImageField(_("logo"), upload_to="tenants/logos/", blank=True)
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#1f4fd1", validators=[HEX_COLOUR]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#ff6200", validators=[HEX_COLOUR]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Domain(models.Model):
    """A host name that serves a tenant. Each tenant has `<slug>.<PLATFORM_DOMAIN>`
    (primary until a custom domain is made primary) and may add its own."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="domains")
    hostname = models.CharField(_("host name"), max_length=253)
    is_primary = models.BooleanField(_("primary"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        constraints = [
            # Host names are global: one host never serves two tenants.
            models.UniqueConstraint(Lower("hostname"), name="domain_hostname_unique"),
            models.UniqueConstraint(
                fields=["tenant"],
                condition=models.Q(is_primary=True),
                name="domain_one_primary_per_tenant",
            ),
        ]

    def __str__(self):
        return self.hostname
