from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuriesConfig(AppConfig):
    name = "juries"
    verbose_name = _("Juries")

    def ready(self):
        from accounts import personal_data
        from juries import own_data, permissions  # noqa: F401 - registers the named rules

        personal_data.register(
            "jury", export=own_data.jury_export, erase=own_data.jury_erase, order=60
        )
