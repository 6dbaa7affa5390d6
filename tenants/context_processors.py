from django.conf import settings


def tenant(request):
    return {
        "tenant": getattr(request, "tenant", None),
        "platform_name": settings.PLATFORM_NAME,
    }
