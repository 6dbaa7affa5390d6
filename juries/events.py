"""The notification events of the jury, registered from
JuriesConfig.ready(); their templates live in
juries/templates/notifications/events/."""

from django.utils.translation import gettext_lazy

from notifications.events import Event, register

_IDEA = {"idea_title": "Redondea tus compras", "url": "/ideas/redondea/"}
_DEADLINE = {"round_name": "Semana 2", "deadline": "2026-03-09T18:00:00+00:00", "url": "/j/"}


def register_events() -> None:
    register(
        Event(
            "idea.shortlisted",
            gettext_lazy("My idea is shortlisted"),
            required=("idea_title", "round_name"),
            example={**_IDEA, "round_name": "Semana 2"},
            action_label=gettext_lazy("See your idea"),
        )
    )
    # A shortlist to score and a reminder of its deadline say the same things.
    for name, label in (
        ("jury.shortlist_ready", gettext_lazy("A shortlist is ready for the jury")),
        ("jury.deadline_reminder", gettext_lazy("Reminder of a jury deadline")),
    ):
        register(
            Event(
                name,
                label,
                required=("round_name", "deadline"),
                example=_DEADLINE,
                action_label=gettext_lazy("Score the shortlist"),
            )
        )
    register(
        Event(
            "jury.jurors_late",
            gettext_lazy("Jurors are late (jury chair)"),
            required=("round_name", "late_count"),
            example={"round_name": "Semana 2", "late_count": 2, "url": "/j/"},
            action_label=gettext_lazy("See the jury"),
        )
    )
