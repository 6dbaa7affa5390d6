"""Tenant isolation: another tenant's rows are invisible everywhere (views, API,
tasks), and a query outside any scope fails loudly."""

import pytest
from django_scopes import ScopeError, scope

from accounts.models import Membership
from core.tasks import tenant_task

pytestmark = pytest.mark.django_db


def _membership(tenant, user):
    with scope(tenant=tenant):
        return Membership.objects.get(user=user)


def test_query_outside_a_scope_raises(owner):
    with pytest.raises(ScopeError):
        list(Membership.objects.all())


def test_scope_shows_only_its_tenants_rows(ing, decathlon, owner, stranger):
    with scope(tenant=decathlon):
        assert list(Membership.objects.values_list("user__email", flat=True)) == [stranger.email]


def test_other_tenants_membership_is_404_in_the_console(
    ing, decathlon, owner, stranger, client_for
):
    ing_membership = _membership(ing, owner)
    response = client_for(decathlon, stranger).get(f"/console/team/{ing_membership.public_id}/")
    assert response.status_code == 404


def test_other_tenants_membership_is_404_in_the_api(ing, decathlon, owner, stranger, client_for):
    ing_membership = _membership(ing, owner)
    response = client_for(decathlon, stranger).get(
        f"/api/v1/console/team/{ing_membership.public_id}"
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_team_list_shows_only_this_tenants_team(ing, decathlon, owner, stranger, client_for):
    response = client_for(decathlon, stranger).get("/api/v1/console/team")
    assert [m["email"] for m in response.json()] == [stranger.email]


def test_own_membership_is_visible(ing, owner, client_for):
    membership = _membership(ing, owner)
    response = client_for(ing, owner).get(f"/api/v1/console/team/{membership.public_id}")
    assert response.status_code == 200
    assert response.json()["role"] == "owner"


@tenant_task
def count_visible_memberships(*, tenant_id, membership_public_id):
    """A task as every app writes them: it sees its tenant's rows only."""
    from django.core.cache import cache

    found = Membership.objects.filter(public_id=membership_public_id).count()
    cache.set(f"seen:{membership_public_id}:{tenant_id}", found)


def test_task_runs_in_its_tenants_scope(celery_worker, ing, decathlon, owner, stranger):
    from django.core.cache import cache

    ing_membership = _membership(ing, owner)
    key = ing_membership.public_id
    count_visible_memberships.delay(tenant_id=decathlon.pk, membership_public_id=str(key))
    count_visible_memberships.delay(tenant_id=ing.pk, membership_public_id=str(key))

    import time

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        seen_b = cache.get(f"seen:{key}:{decathlon.pk}")
        seen_a = cache.get(f"seen:{key}:{ing.pk}")
        if seen_a is not None and seen_b is not None:
            break
        time.sleep(0.1)
    assert (seen_a, seen_b) == (1, 0)


def test_task_without_tenant_is_refused():
    with pytest.raises(TypeError, match="tenant_id"):
        count_visible_memberships.apply(kwargs={"membership_public_id": "x"}).get()
