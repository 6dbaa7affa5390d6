from django.conf import settings


def tenant(request):
    """`tenant`: the host's tenant (None on the platform host). `brand`: whose
    look and name the page wears, the host's tenant or, on the sign-in host, the
    tenant the person is signing in to (set by accounts' LanguageMiddleware)."""
    host_tenant = getattr(request, "tenant", None)
    return {
        "tenant": host_tenant,
        "brand": host_tenant or getattr(request, "signin_tenant", None),
        "platform_name": settings.PLATFORM_NAME,
    }
