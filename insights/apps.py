from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = _("Insights")

    def ready(self):
        from insights import permissions  # noqa: F401 - named rules
        from insights.events import register_events

        register_events()  # the weekly report to the brand's team
