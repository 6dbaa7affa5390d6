"""The events people can be told about: one registry; each app declares its own
events in its `events.py`, registered from its AppConfig.ready().

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
