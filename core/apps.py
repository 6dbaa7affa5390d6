from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from core import metrics

        # Tasks' durations and outcomes, in whichever process runs them.
        metrics.connect_celery_signals()
        metrics.register_platform_readings()
