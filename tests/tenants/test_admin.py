"""Operators create and suspend tenants from the Django admin on the platform host."""

import pytest
from django_scopes import scopes_disabled

from accounts.services import user_create
from tenants.models import Domain, Tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    user = user_create(email="operator@ruche.example", password="pw-Secret-123")
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def test_operator_creates_a_tenant_with_its_host(operator, client_for):
    client = client_for(None, operator)
    response = client.post(
        "/admin/tenants/tenant/add/",
        {
            "slug": "lego", "name": "LEGO Ideas", "status": "active",
            "default_language": "en", "time_zone": "Europe/Copenhagen",
            "primary_colour": "#d01012", "accent_colour": "#ffcf00",
            "domains-TOTAL_FORMS": "0", "domains-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content
    lego = Tenant.objects.get(slug="lego")
    with scopes_disabled():
        assert Domain.objects.get(tenant=lego).hostname == "lego.localhost"


def test_reserved_slug_is_a_form_error_not_a_500(operator, client_for):
    response = client_for(None, operator).post(
        "/admin/tenants/tenant/add/",
        {
            "slug": "admin", "name": "X", "status": "active", "default_language": "en",
            "time_zone": "Europe/Paris", "primary_colour": "#000000", "accent_colour": "#ffffff",
            "domains-TOTAL_FORMS": "0", "domains-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "reserved" in response.text
    assert not Tenant.objects.exists()


def test_operator_suspends_a_tenant(operator, ing, client_for):
    response = client_for(None, operator).post(
        "/admin/tenants/tenant/",
        {"action": "suspend", "_selected_action": [ing.pk]},
    )
    assert response.status_code == 302
    ing.refresh_from_db()
    assert ing.status == Tenant.Status.SUSPENDED
    assert client_for(ing).get("/").status_code == 503


def test_admin_is_for_operators_only(owner, client_for):
    response = client_for(None, owner).get("/admin/tenants/tenant/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
