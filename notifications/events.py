"""The events people can be told about: one registry, declared here.

Each event has a name (`idea.approved`), a label for the preferences page,
whether it is transactional (it cannot be turned off: a sign-in code, a payout),
its default delivery, the context keys its templates need, an example context
(used by the tests that render every template in every language), and its
templates:

    notifications/events/<name>/subject.txt   the e-mail subject; also the
                                              in-app text unless the event
                                              names another template
    notifications/events/<name>/body.txt      the e-mail's text part
    notifications/email/event.html            the HTML part (shared layout that
                                              shows the text part's paragraphs;
                                              an event may name its own)

An event with `in_app=False` (the sign-in code) goes by e-mail only, and its
context is erased once the e-mail is sent or given up.

Templates receive the event's context, plus `tenant_name`, `recipient_name` and
`action_url` (the context's `url` made absolute on the tenant's host).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.template import Context, engines
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from notifications.models import DeliveryMode


class UnknownEvent(DomainError):
    code = "unknown_event"
    status = 404


@dataclass(frozen=True)
class Event:
    name: str
    label: Promise
    transactional: bool = False
    default_delivery: str = DeliveryMode.IMMEDIATE
    in_app: bool = True
    required: tuple[str, ...] = ()
    example: Mapping = field(default_factory=dict)
    action_label: Promise | None = None
    subject_template: str = ""
    text_template: str = ""
    html_template: str = "notifications/email/event.html"
    in_app_template: str = ""

    def __post_init__(self):
        folder = f"notifications/events/{self.name}/"
        defaults = {
            "subject_template": folder + "subject.txt",
            "text_template": folder + "body.txt",
        }
        for attribute, default in defaults.items():
            if not getattr(self, attribute):
                object.__setattr__(self, attribute, default)
        if not self.in_app_template:
            object.__setattr__(self, "in_app_template", self.subject_template)
        if self.transactional:
            # A transactional message always goes out at once, whatever the
            # person chose (they cannot choose).
            object.__setattr__(self, "default_delivery", DeliveryMode.IMMEDIATE)

    def delivery_for(self, chosen: str | None) -> str:
        """What to do for a person whose preference is `chosen` (None: no choice)."""
        if self.transactional:
            return DeliveryMode.IMMEDIATE
        if not self.in_app and chosen == DeliveryMode.IN_APP:
            return DeliveryMode.OFF
        return chosen or self.default_delivery

    def choices(self) -> list[tuple[str, str]]:
        """The delivery modes a person may pick for this event."""
        if self.transactional:
            return []
        modes = DeliveryMode.choices
        if not self.in_app:
            modes = [(v, label) for v, label in modes if v != DeliveryMode.IN_APP]
        return modes


_registry: dict[str, Event] = {}


def register(event: Event) -> Event:
    if event.name in _registry:
        raise ValueError(f"notification event {event.name!r} is registered twice")
    _registry[event.name] = event
    return event


def get_event(name: str) -> Event:
    try:
        return _registry[name]
    except KeyError:
        raise UnknownEvent(_("Unknown notification event."), fields={"event": [name]}) from None


def all_events() -> list[Event]:
    return list(_registry.values())


def render_plain(template_name: str, context: Mapping) -> str:
    """A text template rendered without HTML escaping (subjects, text parts)."""
    template = engines["django"].get_template(template_name)
    return template.template.render(Context(dict(context), autoescape=False)).strip()


def in_app_text(event_name: str, context: Mapping) -> str:
    """The one-line text under the bell, in the active language."""
    event = _registry.get(event_name)
    if event is None:  # an event since retired: still show something
        return event_name
    return " ".join(render_plain(event.in_app_template, context or {}).split())


# --- The events -----------------------------------------------------------------

_IDEA = {"idea_title": "Redondea tus compras", "url": "/ideas/redondea/"}

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
        "idea.shortlisted",
        gettext_lazy("My idea is shortlisted"),
        required=("idea_title", "round_name"),
        example={**_IDEA, "round_name": "Semana 2"},
        action_label=gettext_lazy("See your idea"),
    )
)
register(
    Event(
        "idea.won",
        gettext_lazy("My idea wins a prize"),
        required=("idea_title", "prize"),
        example={**_IDEA, "prize": "500 EUR"},
        action_label=gettext_lazy("Claim your prize"),
    )
)
register(
    Event(
        "round.results",
        gettext_lazy("Results of a round I follow"),
        required=("campaign_title", "round_name"),
        example={"campaign_title": "Genios del Ahorro", "round_name": "Semana 2", "url": "/c/1/"},
        action_label=gettext_lazy("See the winners"),
    )
)
register(
    Event(
        "payout.requested",
        gettext_lazy("A payout awaits approval"),
        transactional=True,
        required=("winner_name", "amount", "idea_title"),
        example={**_IDEA, "winner_name": "Ana G.", "amount": "500 EUR"},
        action_label=gettext_lazy("Review the payout"),
    )
)
register(
    Event(
        "payout.approved",
        gettext_lazy("My payout is approved"),
        transactional=True,
        required=("amount",),
        example={"amount": "500 EUR", "url": "/me/payouts/"},
        action_label=gettext_lazy("See your payouts"),
    )
)
register(
    Event(
        "payout.paid",
        gettext_lazy("My payout is paid"),
        transactional=True,
        required=("amount",),
        example={"amount": "500 EUR", "url": "/me/payouts/"},
        action_label=gettext_lazy("See your payouts"),
    )
)
register(
    Event(
        "payout.failed",
        gettext_lazy("My payout failed"),
        transactional=True,
        required=("amount", "reason"),
        example={"amount": "500 EUR", "reason": "IBAN rejected", "url": "/me/payouts/"},
        action_label=gettext_lazy("Check your payment details"),
        in_app_template="notifications/events/payout.failed/in_app.txt",
    )
)
register(
    Event(
        "jury.shortlist_ready",
        gettext_lazy("A shortlist is ready for the jury"),
        required=("round_name", "deadline"),
        example={"round_name": "Semana 2", "deadline": "2026-03-09T18:00:00+00:00", "url": "/j/"},
        action_label=gettext_lazy("Score the shortlist"),
    )
)
register(
    Event(
        "jury.deadline_reminder",
        gettext_lazy("Reminder of a jury deadline"),
        required=("round_name", "deadline"),
        example={"round_name": "Semana 2", "deadline": "2026-03-09T18:00:00+00:00", "url": "/j/"},
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
        "moderation.queue_waiting",
        gettext_lazy("Contributions wait for moderation"),
        required=("waiting_count",),
        example={"waiting_count": 12, "url": "/console/moderation/"},
        action_label=gettext_lazy("Open the queue"),
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
