import pytest

from tenants import services
from tenants.models import Tenant
from tests.conftest import host_of

pytestmark = pytest.mark.django_db


def test_tenant_host_shows_the_brand(ing, client_for):
    response = client_for(ing).get("/")
    assert response.status_code == 200
    assert "ING Direct" in response.text
    assert "--brand: #ff6200" in response.text


def test_tenant_page_speaks_the_tenants_language_by_default(ing, client_for):
    response = client_for(ing).get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="es">' in response.text
    assert response.headers["Content-Language"] == "es"


def test_chosen_language_wins_over_the_tenants(ing, client_for):
    client = client_for(ing)
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="fr">' in client.get("/").text


def test_unknown_host_is_a_plain_404(ing, client):
    response = client.get("/", HTTP_HOST="nobody.localhost")
    assert response.status_code == 404
    assert "ING" not in response.text
    assert "No site is served at this address" in response.text


def test_unknown_host_never_reaches_the_api(ing, client):
    response = client.get("/api/v1/me", HTTP_HOST="evil.example.com")
    assert response.status_code == 404


def test_suspended_tenant_is_temporarily_unavailable(ing, client_for):
    services.tenant_set_status(tenant=ing, status=Tenant.Status.SUSPENDED)
    response = client_for(ing).get("/")
    assert response.status_code == 503
    assert "ING Direct" in response.text


def test_host_with_port_and_capitals_resolves(ing, client):
    response = client.get("/", HTTP_HOST="ING.localhost:8000")
    assert response.status_code == 200
    assert "ING Direct" in response.text


def test_custom_domain_serves_the_tenant(ing, client):
    services.domain_add(tenant=ing, hostname="ideas.ing.es")
    response = client.get("/", HTTP_HOST="ideas.ing.es")
    assert response.status_code == 200
    assert "ING Direct" in response.text


def test_platform_host_serves_the_landing_page(ing, client):
    response = client.get("/", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert "ING Direct" not in response.text


def test_platform_host_has_no_console(client):
    assert client.get("/console/", HTTP_HOST="localhost").status_code == 404


def test_tenant_host_has_no_operator_area(ing, client_for):
    assert client_for(ing).get("/admin/").status_code == 404


def test_404_page_wears_the_tenants_look(ing, client_for):
    response = client_for(ing).get("/no-such-page/")
    assert response.status_code == 404
    assert "ING Direct" in response.text
    assert "--brand: #ff6200" in response.text


def test_healthz_reports_database_and_redis(client):
    response = client.get("/healthz", HTTP_HOST="10.0.0.1")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


def test_security_headers_are_set(ing, client_for):
    response = client_for(ing).get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_only_the_languages_the_brand_offers_are_used(ing, client_for):
    services.tenant_update(tenant=ing, languages=["es", "en"])
    client = client_for(ing)
    client.cookies["django_language"] = "fr"  # chosen elsewhere, not offered here
    response = client.get("/")
    assert '<html lang="es">' in response.text
    assert 'value="fr"' not in response.text
    assert 'value="en"' in response.text


def test_a_single_language_site_has_no_switcher(ing, client_for):
    services.tenant_update(tenant=ing, languages=["es"])
    assert "language-switcher" not in client_for(ing).get("/").text


def test_readyz_reports_every_part_on_any_host(client, ing):
    for host in ("10.0.0.1", host_of(ing)):
        response = client.get("/readyz", HTTP_HOST=host)
        assert response.status_code == 200
        assert response.json() == {
            "status": "ok",
            "checks": {"database": "ok", "redis": "ok", "storage": "ok", "migrations": "ok"},
        }


def test_readyz_is_not_ready_while_a_migration_is_pending(client, monkeypatch):
    """The database one migration behind the code (rolled back with the test's
    transaction): not ready, saying why."""
    from django.core.management import call_command

    from tenants.views import platform

    monkeypatch.setattr(platform, "_migrated", False)  # forget what this process saw
    call_command("migrate", "integrations", "0002", verbosity=0)
    response = client.get("/readyz", HTTP_HOST="10.0.0.1")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "error: RuntimeError"
    assert response.json()["checks"]["database"] == "ok"
    call_command("migrate", "integrations", verbosity=0)
    assert client.get("/readyz", HTTP_HOST="10.0.0.1").status_code == 200


def test_the_tls_proxy_gets_certificates_only_for_hosts_the_platform_serves(client, ing, decathlon):
    services.domain_add(tenant=ing, hostname="ideas.ing.example")
    services.tenant_set_status(tenant=decathlon, status=Tenant.Status.SUSPENDED)

    def ask(domain, host="caddy-internal"):
        return client.get("/internal/tls-allowed", {"domain": domain}, HTTP_HOST=host).status_code

    assert ask("localhost") == 200  # the platform's own host
    assert ask(host_of(ing)) == 200
    assert ask("IDEAS.ING.EXAMPLE") == 200  # a custom domain, whatever its case
    assert ask(host_of(decathlon)) == 404  # suspended
    assert ask("evil.example") == 404
    assert ask("") == 404
    # Never on a brand's host.
    assert ask("ideas.ing.example", host=host_of(ing)) == 404
