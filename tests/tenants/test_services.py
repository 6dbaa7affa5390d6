import pytest
from django_scopes import scopes_disabled

from tenants import services
from tenants.models import Domain, Tenant

pytestmark = pytest.mark.django_db


def test_tenant_create_adds_its_platform_host(settings):
    tenant = services.tenant_create(slug="ing", name="ING Direct", default_language="es")
    with scopes_disabled():
        domain = Domain.objects.get(tenant=tenant)
    assert domain.hostname == f"ing.{settings.PLATFORM_DOMAIN}"
    assert domain.is_primary


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("Not A Slug", "lower-case"),
        ("-ing", "lower-case"),
        ("admin", "reserved"),
        ("a" * 41, "lower-case"),
    ],
)
def test_bad_slugs_are_refused_with_a_reason(slug, message):
    with pytest.raises(services.TenantError, match=message):
        services.tenant_create(slug=slug, name="X")
    assert not Tenant.objects.exists()


def test_duplicate_slug_is_refused_and_nothing_written(ing):
    with pytest.raises(services.TenantError) as error:
        services.tenant_create(slug="ing", name="Another")
    assert error.value.code == "slug_taken"
    assert Tenant.objects.count() == 1


def test_bad_colour_is_refused(db):
    with pytest.raises(Exception, match="colour"):
        services.tenant_create(slug="x", name="X", primary_colour="red")
    assert not Tenant.objects.exists()


def test_a_host_name_serves_one_tenant_only(ing, decathlon):
    services.domain_add(tenant=ing, hostname="ideas.example.com")
    with pytest.raises(services.TenantError) as error:
        services.domain_add(tenant=decathlon, hostname="IDEAS.example.com")
    assert error.value.code == "hostname_taken"


def test_bad_host_name_is_refused(ing):
    with pytest.raises(services.TenantError):
        services.domain_add(tenant=ing, hostname="not a host")


def test_making_a_custom_domain_primary_demotes_the_old_one(ing):
    services.domain_add(tenant=ing, hostname="ideas.ing.es", is_primary=True)
    with scopes_disabled():
        primary = list(Domain.objects.filter(tenant=ing, is_primary=True))
    assert [d.hostname for d in primary] == ["ideas.ing.es"]


def test_tenant_update_writes_only_what_changed(ing):
    changed = services.tenant_update(tenant=ing, name="ING", languages=["en", "es"])
    assert sorted(changed) == ["languages", "name"]
    ing.refresh_from_db()
    assert (ing.name, ing.languages) == ("ING", ["es", "en"])  # kept in the platform's order


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"languages": []}, "languages"),
        ({"languages": ["es", "de"]}, "languages"),
        ({"languages": ["fr"]}, "default_language"),  # ING's default is Spanish
        ({"default_language": "de"}, "default_language"),
        ({"time_zone": "Madrid"}, "time_zone"),
        ({"accent_colour": "blue"}, "accent_colour"),
    ],
)
def test_tenant_update_names_each_bad_field_and_writes_nothing(ing, changes, field):
    with pytest.raises(services.TenantError) as error:
        services.tenant_update(tenant=ing, **{"name": "Changed", **changes})
    assert field in error.value.fields
    ing.refresh_from_db()
    assert ing.name == "ING Direct"


def test_removing_the_main_custom_domain_gives_the_platform_host_back(ing):
    custom = services.domain_add(tenant=ing, hostname="ideas.ing.es", is_primary=True)
    services.domain_remove(domain=custom)
    with scopes_disabled():
        assert list(Domain.objects.filter(tenant=ing).values_list("hostname", "is_primary")) == [
            ("ing.localhost", True)
        ]


def test_the_platform_host_cannot_be_removed(ing):
    with scopes_disabled():
        own = Domain.objects.get(tenant=ing)
    with pytest.raises(services.TenantError) as error:
        services.domain_remove(domain=own)
    assert error.value.code == "platform_host"


def test_set_primary_moves_the_main_address(ing):
    custom = services.domain_add(tenant=ing, hostname="ideas.ing.es")
    services.domain_set_primary(domain=custom)
    with scopes_disabled():
        assert Domain.objects.get(tenant=ing, is_primary=True).hostname == "ideas.ing.es"
