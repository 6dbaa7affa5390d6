"""The notification events ideas adds to the registry (notifications/events.py
declares the shared ones: idea.approved, idea.rejected, idea.hidden,
comment.on_my_idea, comment.reply, moderation.queue_waiting). Registered from
IdeasConfig.ready(); their templates live in ideas/templates/notifications/events/."""

from django.utils.translation import gettext_lazy

from notifications.events import Event, register
from notifications.models import DeliveryMode

_IDEA = {"idea_title": "Redondea tus compras", "url": "/ideas/redondea/"}


def register_events() -> None:
    register(
        Event(
            "idea.media_failed",
            gettext_lazy("My idea's image or video could not be used"),
            required=("idea_title", "reason"),
            example={**_IDEA, "reason": "The video lasts 300 seconds; at most 120."},
            action_label=gettext_lazy("Fix your idea"),
            in_app_template="notifications/events/idea.media_failed/in_app.txt",
        )
    )
    register(
        Event(
            "idea.merged",
            gettext_lazy("My idea is merged into a similar one"),
            required=("idea_title", "into_title"),
            example={**_IDEA, "into_title": "Redondeo automático"},
            action_label=gettext_lazy("See the idea"),
        )
    )
    register(
        Event(
            "comment.on_followed_idea",
            gettext_lazy("A comment on an idea I follow"),
            default_delivery=DeliveryMode.DAILY,
            required=("idea_title", "author_name", "excerpt"),
            example={**_IDEA, "author_name": "Marc D.", "excerpt": "¡Muy buena idea!"},
            action_label=gettext_lazy("Read the comment"),
        )
    )
