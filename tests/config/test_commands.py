import pytest
from django.core.management import CommandError, call_command
from django_scopes import scope, scopes_disabled

from accounts.models import Membership, User
from tenants.models import Domain, Tenant

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    counts = (Tenant.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (Tenant.objects.count(), User.objects.count()) == counts
    ing = Tenant.objects.get(slug="ing")
    assert ing.name == "ING Direct"
    assert ing.default_language == "es"
    with scope(tenant=ing):
        assert Membership.objects.filter(role=Membership.Role.OWNER).count() == 1
    with scopes_disabled():
        assert set(Domain.objects.values_list("hostname", flat=True)) >= {
            "ing.localhost",
            "decathlon.localhost",
        }
    assert User.objects.get(email="operator@ruche.localhost").is_staff


def test_demo_banner_prints_urls_and_sign_ins(capsys):
    call_command("seed_demo")
    call_command("demo_banner", "--port", "8000")
    out = capsys.readouterr().out
    assert "http://ing.localhost:8000/" in out
    assert "owner@ing.localhost" in out


def test_tenant_create_command_creates_tenant_and_owner(capsys):
    call_command(
        "tenant_create", "--slug", "lego", "--name", "LEGO Ideas", "--language", "en",
        "--owner", "owner@lego.example",
    )  # fmt: skip
    lego = Tenant.objects.get(slug="lego")
    with scope(tenant=lego):
        membership = Membership.objects.get()
    assert membership.user.email == "owner@lego.example"
    assert membership.role == Membership.Role.OWNER
    assert "lego.localhost" in capsys.readouterr().out


def test_tenant_create_command_explains_bad_input():
    with pytest.raises(CommandError, match="reserved"):
        call_command("tenant_create", "--slug", "admin", "--name", "X")
    with pytest.raises(CommandError, match="colour"):
        call_command("tenant_create", "--slug", "ok", "--name", "X", "--primary-colour", "red")
    assert not Tenant.objects.exists()
