"""Reads on tenants that several parts of the platform share."""

from django.conf import settings
from django_scopes import scopes_disabled

from tenants.models import Domain, Tenant


def normalise_host(host: str) -> str:
    """`Ing.Example.com:8000` → `ing.example.com` (IPv6 literals kept whole)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host


def is_platform_host(host: str) -> bool:
    return host == settings.PLATFORM_DOMAIN.lower()


def tenant_for_host(host: str) -> Tenant | None:
    """The tenant served on `host`, or None. One query, whatever the tenant count."""
    with scopes_disabled():  # resolving the scope itself: there is none yet
        domain = Domain.objects.select_related("tenant").filter(hostname=host).first()
    return domain.tenant if domain else None


def primary_hostname(tenant: Tenant) -> str:
    with scopes_disabled():
        domain = Domain.objects.filter(tenant=tenant, is_primary=True).first()
    return domain.hostname if domain else f"{tenant.slug}.{settings.PLATFORM_DOMAIN}"


def tenant_url(tenant: Tenant, path: str = "/") -> str:
    """The absolute address of `path` on the tenant's primary host (for e-mails)."""
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return f"{settings.PUBLIC_SCHEME}://{primary_hostname(tenant)}{port}{path}"


def hostnames_of(tenant: Tenant) -> list[str]:
    """Every host name that serves the tenant (its platform subdomain and custom domains)."""
    with scopes_disabled():
        return list(Domain.objects.filter(tenant=tenant).values_list("hostname", flat=True))
