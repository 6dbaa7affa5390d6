"""Following a challenge or an idea, and telling its followers."""

from django.contrib.auth import get_user_model
from django_scopes import scope

from notifications.models import (
    Follow,
    Notification,
)
from notifications.services.sending import _tenant_or_scope, notify
from tenants.models import Tenant

# --- Following --------------------------------------------------------------------


def follow(*, user, target_type: str, target_id, tenant: Tenant | None = None) -> Follow:
    """`user` follows the object (idempotent). `target_type` names the kind of
    object ("campaign", "idea"), `target_id` its public id."""
    tenant = _tenant_or_scope(tenant)
    with scope(tenant=tenant):
        follow_row, _created = Follow.objects.get_or_create(
            tenant=tenant, user=user, target_type=target_type, target_id=str(target_id)
        )
    return follow_row


def unfollow(*, user, target_type: str, target_id, tenant: Tenant | None = None) -> bool:
    """Stop following; False when `user` did not follow it."""
    tenant = _tenant_or_scope(tenant)
    with scope(tenant=tenant):
        deleted, _rows = Follow.objects.filter(
            tenant=tenant, user=user, target_type=target_type, target_id=str(target_id)
        ).delete()
    return deleted > 0


def followers_of(target_type: str, target_id, *, tenant: Tenant | None = None):
    """The active people who follow the object, as a User queryset."""
    tenant = _tenant_or_scope(tenant)
    with scope(tenant=tenant):
        user_ids = list(
            Follow.objects.filter(
                tenant=tenant, target_type=target_type, target_id=str(target_id)
            ).values_list("user_id", flat=True)
        )
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk")


def notify_followers(
    *,
    target_type: str,
    target_id,
    event: str,
    tenant: Tenant | None = None,
    context: dict | None = None,
    exclude=(),
    dedupe_key: str | None = None,
) -> list[Notification]:
    """`notify` every follower of the object, except the people in `exclude`
    (the actor, or someone told already by a more precise event)."""
    tenant = _tenant_or_scope(tenant)
    excluded = {getattr(person, "pk", person) for person in exclude}
    told = []
    for follower in followers_of(target_type, target_id, tenant=tenant):
        if follower.pk in excluded:
            continue
        notification = notify(
            recipient=follower,
            event=event,
            tenant=tenant,
            context=context,
            dedupe_key=dedupe_key,
        )
        if notification is not None:
            told.append(notification)
    return told
