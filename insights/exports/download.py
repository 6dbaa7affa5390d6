"""One export asked for by the console or the API: the checks, then the file.

The same rules for both: the kind must exist (404) and be the person's to
download (403); a challenge must be one of the tenant's (404); the format
must be csv or xlsx, and a brand-wide file cannot be asked for one challenge
(400, a clear message).
"""

import zoneinfo

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns import selectors as campaign_selectors
from core.errors import DomainError
from core.exports import FORMATS, download
from insights.exports.kinds import KINDS, export_table


class ExportError(DomainError):
    code = "export_invalid"


def export_response(request, *, kind_name: str, file_format: str, challenge: str = ""):
    """The download of `kind_name` for the request's tenant (or its challenge
    `challenge`), headers and labels in the brand's language, times on its clock."""
    kind = KINDS.get(kind_name)
    if kind is None:
        raise Http404
    if not kind.allowed(request.user, request.tenant):
        raise PermissionDenied
    if file_format not in FORMATS:
        raise ExportError(
            _("Choose the CSV or XLSX format."), fields={"format": [_("csv or xlsx")]}
        )
    campaign = None
    if challenge:
        campaign = campaign_selectors.campaign_for_console(request, challenge[:60])
        if not kind.per_challenge:
            raise ExportError(
                _("This file exists only for the whole brand."), code="export_brand_only"
            )
    tenant = request.tenant
    with (
        translation.override(tenant.default_language),
        timezone.override(zoneinfo.ZoneInfo(tenant.time_zone)),
    ):
        return download(export_table(kind=kind, tenant=tenant, campaign=campaign), file_format)
