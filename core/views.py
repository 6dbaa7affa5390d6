"""What views of every app share."""

import uuid
import zoneinfo
from functools import wraps

from django.utils import timezone


def in_tenant_time_zone(view):
    """Forms read and pages show times on the tenant's clock."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        tenant = getattr(request, "tenant", None)
        if tenant is None:
            return view(request, *args, **kwargs)
        with timezone.override(zoneinfo.ZoneInfo(tenant.time_zone)):
            return view(request, *args, **kwargs)

    return wrapper


def valid_uuids(values) -> list[str]:
    """The public ids among values sent by a form (checkboxes, a pasted
    link's last part); anything else is dropped, so a bad value finds nothing
    rather than raising."""
    ids = []
    for value in values:
        try:
            ids.append(str(uuid.UUID(str(value))))
        except ValueError:
            continue
    return ids
