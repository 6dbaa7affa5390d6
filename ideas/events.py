"""The notification events of ideas, registered from IdeasConfig.ready(); their
templates live in ideas/templates/notifications/events/."""

from django.utils.translation import gettext_lazy

from notifications.events import Event, register
from notifications.models import DeliveryMode

_IDEA = {"idea_title": "Redondea tus compras", "url": "/ideas/redondea/"}


def register_events() -> None:
    register(
        Event(
            "idea.approved",
            gettext_lazy("My idea is approved"),
            required=("idea_title",),
            example=_IDEA,
            action_label=gettext_lazy("See your idea"),
        )
    )
    register(
        Event(
            "idea.rejected",
            gettext_lazy("My idea is rejected"),
            required=("idea_title", "reason"),
            example={**_IDEA, "reason": "Off topic"},
            action_label=gettext_lazy("See your ideas"),
            # The bell says why, as the e-mail does.
            in_app_template="notifications/events/idea.rejected/in_app.txt",
        )
    )
    register(
        Event(
            "idea.hidden",
            gettext_lazy("My idea is hidden by a moderator"),
            required=("idea_title", "reason"),
            example={**_IDEA, "reason": "Spam"},
            action_label=gettext_lazy("See your ideas"),
            # The bell says why, as the e-mail does.
            in_app_template="notifications/events/idea.hidden/in_app.txt",
        )
    )
    register(
        Event(
            "comment.on_my_idea",
            gettext_lazy("A comment on my idea"),
            default_delivery=DeliveryMode.DAILY,
            required=("idea_title", "author_name", "excerpt"),
            example={**_IDEA, "author_name": "Marc D.", "excerpt": "¡Muy buena idea!"},
            action_label=gettext_lazy("Read the comment"),
        )
    )
    register(
        Event(
            "comment.reply",
            gettext_lazy("A reply to my comment"),
            default_delivery=DeliveryMode.DAILY,
            required=("idea_title", "author_name", "excerpt"),
            example={**_IDEA, "author_name": "Sam P.", "excerpt": "I agree."},
            action_label=gettext_lazy("Read the reply"),
        )
    )
    register(
        Event(
            "moderation.queue_waiting",
            gettext_lazy("Contributions wait for moderation"),
            required=("waiting_count",),
            example={"waiting_count": 12, "url": "/console/moderation/"},
            action_label=gettext_lazy("Open the queue"),
        )
    )
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
    register(
        Event(
            "idea.stage_changed",
            gettext_lazy("What became of an idea I wrote or follow"),
            required=("idea_title", "stage"),
            example={**_IDEA, "stage": "declined", "note": "Ya existe en nuestra app."},
            action_label=gettext_lazy("See the idea"),
            in_app_template="notifications/events/idea.stage_changed/in_app.txt",
        )
    )
