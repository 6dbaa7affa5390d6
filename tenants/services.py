"""Writes on tenants and their domains."""

import re
import zoneinfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from core.errors import DomainError, FieldErrors
from tenants import extensions
from tenants.models import HEX_COLOUR, Domain, Tenant

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


EDITABLE_FIELDS = (
    "name", "default_language", "languages", "time_zone", "primary_colour", "accent_colour",
)  # fmt: skip


def tenant_update(*, tenant: Tenant, **changes) -> list[str]:
    """Change the brand's name, languages, time zone or colours.

    Validates every field first and raises TenantError with `fields` naming
    each problem, writing nothing; returns the names of the fields that changed.
    The logo is the caller's (it needs image checks that live higher up).
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TenantError(_("Unknown setting: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    changes = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}
    errors = FieldErrors()

    if "name" in changes and not 1 <= len(changes["name"]) <= 120:
        errors.add("name", _("Give the brand a name (up to 120 characters)."))
    languages = changes.get("languages", tenant.languages)
    if "languages" in changes:
        languages = [code for code in Tenant.Language.values if code in set(languages)]
        if not languages or len(languages) != len(set(changes["languages"])):
            errors.add("languages", _("Choose at least one of the languages offered."))
        changes["languages"] = languages
    default = changes.get("default_language", tenant.default_language)
    if default not in Tenant.Language.values:
        errors.add("default_language", _("Choose one of the languages."))
    elif default not in languages:
        errors.add("default_language", _("The site's language must be one of its languages."))
    if "time_zone" in changes:
        try:
            if "/" not in changes["time_zone"]:
                raise ValueError
            zoneinfo.ZoneInfo(changes["time_zone"])
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            errors.add("time_zone", _("Choose a time zone such as Europe/Madrid."))
    for name in ("primary_colour", "accent_colour"):
        if name in changes:
            changes[name] = changes[name].lower()
            if not HEX_COLOUR.regex.match(changes[name]):
                errors.add(name, _("Use a colour like #ff6200."))
    errors.raise_if_any(TenantError)
    with transaction.atomic():
        locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
        changed = [name for name, value in changes.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, changes[name])
            setattr(tenant, name, changes[name])
        if changed:
            locked.save(update_fields=changed)
            extensions.settings_changed(tenant=tenant, fields=changed)
    return changed


def domain_add(*, tenant: Tenant, hostname: str, is_primary: bool = False) -> Domain:
    """Attach a custom domain; the brand then points its DNS at the platform."""
    hostname = hostname.strip().lower().rstrip(".")
    if not HOSTNAME.match(hostname):
        raise TenantError(_("Enter a host name such as ideas.example.com."), code="bad_hostname")
    return _domain_add(tenant=tenant, hostname=hostname, is_primary=is_primary)


def domain_set_primary(*, domain: Domain) -> Domain:
    """Make `domain` the tenant's main address (used in links and e-mails)."""
    with transaction.atomic(), scopes_disabled():
        domain = Domain.objects.select_for_update().get(pk=domain.pk)
        if not domain.is_primary:
            Domain.objects.filter(tenant_id=domain.tenant_id, is_primary=True).update(
                is_primary=False
            )
            domain.is_primary = True
            domain.save(update_fields=["is_primary"])
    return domain


def domain_remove(*, domain: Domain) -> None:
    """Detach a custom domain. The platform's own `<slug>.<PLATFORM_DOMAIN>` stays
    (it is how the brand's team always reaches the console); removing the main
    address makes the platform host the main one again."""
    with transaction.atomic(), scopes_disabled():
        domain = Domain.objects.select_for_update().select_related("tenant").get(pk=domain.pk)
        own = platform_hostname(domain.tenant.slug)
        if domain.hostname == own:
            raise TenantError(
                _("The platform address of the brand cannot be removed."), code="platform_host"
            )
        was_primary = domain.is_primary
        domain.delete()
        if was_primary:
            Domain.objects.filter(tenant_id=domain.tenant_id, hostname=own).update(is_primary=True)


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
