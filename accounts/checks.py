"""System checks: the demo sign-in (anyone can become anyone) stays out of
production."""

from django.conf import settings
from django.core.checks import Error, register

DEMO_PROVIDER_APP = "allauth.socialaccount.providers.dummy"


@register()
def demo_sign_in_is_deliberate(app_configs=None, **kwargs):
    errors = []
    installed = DEMO_PROVIDER_APP in settings.INSTALLED_APPS
    if installed and not getattr(settings, "DEMO_SIGN_IN", False):
        errors.append(
            Error(
                "The demo sign-in provider is installed but DEMO_SIGN_IN is off.",
                hint="Remove allauth.socialaccount.providers.dummy from INSTALLED_APPS; "
                "it is added by the local and test settings only.",
                id="accounts.E001",
            )
        )
    if getattr(settings, "DEMO_SIGN_IN", False) and not getattr(
        settings, "DEMO_SIGN_IN_ALLOWED", False
    ):
        errors.append(
            Error(
                "DEMO_SIGN_IN is on in settings that do not allow it.",
                hint="Only config.settings.local and config.settings.test may enable it.",
                id="accounts.E002",
            )
        )
    return errors
