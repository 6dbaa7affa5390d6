"""The brand's look (name, colours, logo, language) and its domains."""

from django.db import transaction

from accounts.services import audit_record
from campaigns.services.common import CampaignError
from core.images import ImageRejected, clean_image
from tenants import services as tenant_services
from tenants.models import Tenant

# --- Brand settings ---------------------------------------------------------------------


def brand_update(
    *, tenant: Tenant, actor, logo=None, remove_logo: bool = False, **changes
) -> Tenant:
    """The brand's name, languages, time zone, colours and logo, from the console.

    The tenants app validates and writes the brand's fields; the logo goes
    through the same image checks as a challenge's cover. On record.
    """
    logo_file = None
    if logo is not None:
        try:
            logo_file = clean_image(logo, max_mb=2, max_side=600)
        except ImageRejected as exc:
            raise CampaignError(str(exc), fields={"logo": [str(exc)]}) from exc
    with transaction.atomic():
        try:
            fields = tenant_services.tenant_update(tenant=tenant, **changes)
        except tenant_services.TenantError as exc:
            raise CampaignError(exc.message, fields=exc.fields) from exc
        if logo_file is not None:
            tenant.logo.save(logo_file.name, logo_file, save=False)
            fields.append("logo")
        elif remove_logo and tenant.logo:
            tenant.logo = ""
            fields.append("logo")
        if "logo" in fields:
            tenant.save(update_fields=["logo"])
        if fields:
            audit_record(
                actor=actor, action="brand.update", target=tenant, data={"fields": sorted(fields)}
            )
    return tenant


def brand_domain_add(*, tenant: Tenant, actor, hostname: str):
    """Attach a custom domain (the tenants app checks and stores it), on record."""
    try:
        with transaction.atomic():
            domain = tenant_services.domain_add(tenant=tenant, hostname=hostname)
            audit_record(
                actor=actor,
                action="brand.domain_add",
                target=tenant,
                data={"hostname": domain.hostname},
            )
    except tenant_services.TenantError as exc:
        raise CampaignError(exc.message, code=exc.code, fields={"hostname": [exc.message]}) from exc
    return domain


def brand_domain_set_primary(*, tenant: Tenant, actor, domain) -> None:
    """Make a domain the brand's main address (links and e-mails use it), on record."""
    with transaction.atomic():
        tenant_services.domain_set_primary(domain=domain)
        audit_record(
            actor=actor,
            action="brand.domain_primary",
            target=tenant,
            data={"hostname": domain.hostname},
        )


def brand_domain_remove(*, tenant: Tenant, actor, domain) -> None:
    """Detach a custom domain, on record."""
    try:
        with transaction.atomic():
            tenant_services.domain_remove(domain=domain)
            audit_record(
                actor=actor,
                action="brand.domain_remove",
                target=tenant,
                data={"hostname": domain.hostname},
            )
    except tenant_services.TenantError as exc:
        raise CampaignError(exc.message, code=exc.code) from exc
