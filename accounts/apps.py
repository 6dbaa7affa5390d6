from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts import (  # noqa: F401 - registers the system checks, the schema's key scheme
            checks,
            openapi,
            own_data,
            sessions,
        )

        own_data.register_all()

        from accounts.events import register_events

        register_events()  # team invitations and sign-in codes

        from accounts.selectors import membership_role, team_with_roles
        from core.permissions import register_role_lookup, register_team_lookup

        register_role_lookup(membership_role)
        register_team_lookup(team_with_roles)
        user_logged_in.connect(sessions.on_user_logged_in, dispatch_uid="accounts.bind_session")
