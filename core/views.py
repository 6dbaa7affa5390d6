"""What views of every app share."""

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
