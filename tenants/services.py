"""Writes on tenants and their domains."""

import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from config.api import DomainError
from tenants.models import Domain, Tenant

HOSTNAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9](-?[a-z0-9])*\.)+[a-z]{2,63}$|^[a-z0-9-]+\.localhost$"
)
RESERVED_SLUGS = {"www", "api", "admin", "static", "media", "platform", "signin", "mail"}


class TenantError(DomainError):
    code = "tenant_invalid"


def platform_hostname(slug: str) -> str:
    return f"{slug}.{settings.PLATFORM_DOMAIN}"


def tenant_create(
    *,
    slug: str,
    name: str,
    default_language: str = "en",
    time_zone: str = "Europe/Paris",
    primary_colour: str | None = None,
    accent_colour: str | None = None,
) -> Tenant:
    """Create a tenant with its platform host name `<slug>.<PLATFORM_DOMAIN>`."""
    slug = slug_check(slug)
    if default_language not in Tenant.Language.values:
        raise TenantError(_("Unsupported language."))
    tenant = Tenant(
        slug=slug, name=name.strip(), default_language=default_language, time_zone=time_zone
    )
    if primary_colour:
        tenant.primary_colour = primary_colour
    if accent_colour:
        tenant.accent_colour = accent_colour
    tenant.full_clean(exclude=["logo"], validate_unique=False)
    with transaction.atomic(), scopes_disabled():
        if Tenant.objects.filter(slug=slug).exists():
            raise TenantError(_("A tenant with this slug already exists."), code="slug_taken")
        tenant.save()
        _domain_add(tenant=tenant, hostname=platform_hostname(slug), is_primary=True)
    return tenant


def slug_check(slug: str) -> str:
    """The normalised slug, or TenantError saying what is wrong with it."""
    slug = slug.strip().lower()
    if not re.fullmatch(r"[a-z0-9](-?[a-z0-9])*", slug) or len(slug) > 40:
        raise TenantError(_("A slug uses lower-case letters, digits and single hyphens."))
    if slug in RESERVED_SLUGS:
        raise TenantError(_("This slug is reserved."))
    return slug


def tenant_set_status(*, tenant: Tenant, status: str) -> Tenant:
    if status not in Tenant.Status.values:
        raise TenantError(_("Unknown status."))
    if tenant.status != status:
        tenant.status = status
        tenant.save(update_fields=["status"])
    return tenant


def domain_add(*, tenant: Tenant, hostname: str, is_primary: bool = False) -> Domain:
    """Attach a custom domain; the brand then points its DNS at the platform."""
    hostname = hostname.strip().lower().rstrip(".")
    if not HOSTNAME.match(hostname):
        raise TenantError(_("Enter a host name such as ideas.example.com."), code="bad_hostname")
    return _domain_add(tenant=tenant, hostname=hostname, is_primary=is_primary)


def _domain_add(*, tenant: Tenant, hostname: str, is_primary: bool) -> Domain:
    with transaction.atomic(), scopes_disabled():
        if Domain.objects.annotate(h=Lower("hostname")).filter(h=hostname).exists():
            raise TenantError(_("This host name is already in use."), code="hostname_taken")
        if is_primary:
            Domain.objects.filter(tenant=tenant, is_primary=True).update(is_primary=False)
        try:
            with transaction.atomic():
                return Domain.objects.create(
                    tenant=tenant, hostname=hostname, is_primary=is_primary
                )
        except IntegrityError as exc:  # a concurrent request took it first
            raise TenantError(
                _("This host name is already in use."), code="hostname_taken"
            ) from exc
