"""Reads on people and teams."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Membership


def team_list(*, tenant) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(tenant=tenant)
        .select_related("user")
        .order_by("role", "user__display_name", "user__email")
    )


def membership_for_console(request, public_id) -> Membership:
    """The membership of the request's tenant with this id, or 404 — the same 404
    for "missing" and "another tenant's"."""
    membership = (
        Membership.objects.filter(tenant=request.tenant, public_id=public_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Http404
    return membership
