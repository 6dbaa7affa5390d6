"""The notification events of accounts (team invitations, sign-in codes), registered from
AccountsConfig.ready(); their templates live in
accounts/templates/notifications/events/."""

from django.utils.translation import gettext_lazy

from notifications.events import Event, register


def register_events() -> None:
    register(
        Event(
            "team.invitation",
            gettext_lazy("An invitation to a brand's team"),
            transactional=True,
            required=("inviter_name",),
            example={"inviter_name": "Lucía Martín", "url": "/console/"},
            action_label=gettext_lazy("See the invitation"),
        )
    )
    register(
        Event(
            "account.sign_in_code",
            gettext_lazy("My sign-in code"),
            transactional=True,
            in_app=False,
            required=("code",),
            example={"code": "482 913"},
            html_template="notifications/events/account.sign_in_code/body.html",
        )
    )
