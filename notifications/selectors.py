"""Reads on notifications, preferences and follows."""

from django.db.models import QuerySet
from django.http import Http404

from notifications.events import Event, all_events
from notifications.models import Follow, Notification, Preference


def inbox(*, tenant, user) -> QuerySet[Notification]:
    """What the bell lists, newest first."""
    return Notification.objects.filter(tenant=tenant, recipient=user, in_app=True).order_by(
        "-created_at", "-id"
    )


def unread_count(*, tenant, user) -> int:
    return Notification.objects.filter(
        tenant=tenant, recipient=user, in_app=True, read_at__isnull=True
    ).count()


def notification_for_viewer(request, public_id) -> Notification:
    """The signed-in person's notification in this tenant, or 404 — the same 404
    for "missing", "someone else's" and "another tenant's"."""
    notification = (
        inbox(tenant=request.tenant, user=request.user).filter(public_id=public_id).first()
    )
    if notification is None:
        raise Http404
    return notification


def preferences_of(*, tenant, user) -> list[tuple[Event, str, bool]]:
    """Every event, with the person's delivery for it and whether they chose it."""
    chosen = dict(
        Preference.objects.filter(tenant=tenant, user=user).values_list("event", "delivery")
    )
    return [
        (event, event.delivery_for(chosen.get(event.name)), event.name in chosen)
        for event in all_events()
    ]


def is_following(*, tenant, user, target_type: str, target_id) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(
        tenant=tenant, user=user, target_type=target_type, target_id=str(target_id)
    ).exists()
