"""A person's choices per event, and one-click unsubscribe links."""

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from notifications.events import get_event
from notifications.models import (
    DIGEST_MODES,
    DeliveryMode,
    Notification,
    Preference,
)
from notifications.services.common import ALL_EVENTS, UNSUBSCRIBE_SALT, NotificationError
from tenants.models import Tenant

# --- Preferences and unsubscribing ----------------------------------------------


def preference_set(*, tenant: Tenant, user, event: str, delivery: str) -> Preference:
    """Set how `user` hears of `event` in `tenant`. Transactional events refuse.

    Notifications already waiting for a digest follow the new choice: to the
    other digest, or out of the e-mail altogether when e-mails are turned off.
    """
    spec = get_event(event)
    if spec.transactional:
        raise NotificationError(
            _("This message is part of a service you use: it cannot be turned off."),
            code="transactional",
        )
    if delivery not in {value for value, _label in spec.choices()}:
        raise NotificationError(
            _("Choose one of the offered options."), fields={"delivery": [delivery]}
        )
    with transaction.atomic():
        preference, _created = Preference.objects.update_or_create(
            tenant=tenant, user=user, event=spec.name, defaults={"delivery": delivery}
        )
        waiting = Notification.objects.filter(
            tenant=tenant, recipient=user, event=spec.name, digest__isnull=True
        ).exclude(digest_kind="")
        if delivery in DIGEST_MODES:
            waiting.exclude(digest_kind=delivery).update(digest_kind=delivery)
        elif delivery in (DeliveryMode.OFF, DeliveryMode.IN_APP):
            waiting.update(digest_kind="")
        # Switching to "at once" leaves them in the digest they wait for: it
        # still comes, and nothing is sent twice.
    return preference


def unsubscribe_token(*, tenant: Tenant, user, event: str | None = None) -> str:
    """A signed, non-expiring token for one-click unsubscribing from `event`'s
    e-mails (or from every optional e-mail, with None) in `tenant`."""
    payload = {"t": tenant.pk, "u": str(user.public_id), "e": event or ALL_EVENTS}
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(*, token: str, tenant: Tenant):
    """(user, event or "*") for a valid token of this tenant; NotificationError otherwise."""
    invalid = NotificationError(_("This unsubscribe link is not valid."), code="bad_token")
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise invalid from None
    if not isinstance(payload, dict) or payload.get("t") != tenant.pk:
        raise invalid
    user = get_user_model().objects.filter(public_id=payload.get("u")).first()
    if user is None:
        raise invalid
    return user, payload.get("e", ALL_EVENTS)


def unsubscribe(*, tenant: Tenant, user, event: str = ALL_EVENTS) -> list[str]:
    """Stop the e-mails of `event` (every optional event with "*") in `tenant`;
    the bell keeps telling. Returns the names of the events changed."""
    if event == ALL_EVENTS:
        from notifications.events import all_events

        specs = [spec for spec in all_events() if not spec.transactional]
    else:
        spec = get_event(event)
        specs = [] if spec.transactional else [spec]
    changed = []
    with transaction.atomic():
        for spec in specs:
            quiet = DeliveryMode.IN_APP if spec.in_app else DeliveryMode.OFF
            preference_set(tenant=tenant, user=user, event=spec.name, delivery=quiet)
            changed.append(spec.name)
    return changed
