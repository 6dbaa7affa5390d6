"""Where the brand's pages may be embedded: its list of allowed origins."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError, FieldErrors
from integrations.embeds import OriginError, origin_clean
from integrations.models import EmbedSettings
from tenants.models import Tenant

MAX_ORIGINS = 20


class EmbedError(DomainError):
    code = "embed_settings_invalid"


def embed_origins_set(*, tenant: Tenant, origins: list[str]) -> EmbedSettings:
    """Replace the brand's allowed origins (duplicates dropped, order kept);
    EmbedError naming every address that is not an origin, nothing saved."""
    errors = FieldErrors()
    cleaned: list[str] = []
    for text in origins:
        if not (text or "").strip():
            continue
        try:
            origin = origin_clean(text)
        except OriginError as exc:
            errors.add("allowed_origins", exc.message)
            continue
        if origin not in cleaned:
            cleaned.append(origin)
    if len(cleaned) > MAX_ORIGINS:
        errors.add(
            "allowed_origins",
            _("At most %(max)s sites may embed your pages.") % {"max": MAX_ORIGINS},
        )
    errors.raise_if_any(EmbedError)
    with transaction.atomic():
        embed_settings, _created = EmbedSettings.objects.select_for_update().get_or_create(
            tenant=tenant
        )
        embed_settings.allowed_origins = cleaned
        embed_settings.save(update_fields=["allowed_origins", "updated_at"])
    return embed_settings
