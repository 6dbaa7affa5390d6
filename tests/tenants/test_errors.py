"""Error pages: the tenant's look on its host, JSON under /api/."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tenants import services as tenant_services
from tenants.branding import palette
from tenants.views import errors

pytestmark = pytest.mark.django_db


def _request(tenant, path="/somewhere"):
    request = RequestFactory().get(path, HTTP_HOST="ing.localhost")
    request.tenant = tenant
    return request


@pytest.mark.parametrize(
    ("handler", "status"),
    [
        (errors.bad_request, 400),
        (errors.permission_denied, 403),
        (errors.page_not_found, 404),
        (errors.server_error, 500),
    ],
)
def test_error_pages_wear_the_tenants_look(ing, handler, status):
    request = _request(ing)
    response = handler(request) if status == 500 else handler(request, Exception())
    assert response.status_code == status
    body = response.content.decode()
    assert "ING Direct" in body
    assert f">{status}<" in body


def test_api_errors_are_json(ing):
    response = errors.server_error(_request(ing, "/api/v1/anything"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert b'"code": "server_error"' in response.content


def test_error_page_still_answers_when_the_template_fails(ing, settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False}
    ]  # no template can be found
    response = errors.server_error(_request(ing))
    assert response.status_code == 500
    assert b"500" in response.content


# --- Per brand and language, in the demo too (issue 20, item 7) -------------------

HEADINGS = {
    ("es", 403): "No puedes abrir esta página",
    ("fr", 403): "Vous ne pouvez pas ouvrir cette page",
    ("es", 404): "Esta página no existe",
    ("fr", 404): "existe pas",
    ("es", 500): "Algo ha fallado por nuestra parte",
    ("fr", 500): "Un problème est survenu de notre côté",
    ("es", 503): "No disponible temporalmente",
    ("fr", 503): "Temporairement indisponible",
}


def _branded(tenant, colour):
    tenant.primary_colour = colour
    tenant.save(update_fields=["primary_colour"])
    return tenant


@pytest.mark.parametrize("status", [403, 404, 500, 503])
@pytest.mark.parametrize(
    ("slug", "language", "colour"), [("ing", "es", "#ff6200"), ("decathlon", "fr", "#0082c3")]
)
def test_each_error_page_wears_the_brand_and_speaks_its_language(
    request, slug, language, colour, status
):
    tenant = _branded(request.getfixturevalue(slug), colour)
    handler = {
        403: lambda r: errors.permission_denied(r, Exception()),
        404: lambda r: errors.page_not_found(r, Exception()),
        500: errors.server_error,
        503: errors.service_unavailable,
    }[status]
    http_request = RequestFactory().get("/somewhere", HTTP_HOST=f"{slug}.localhost")
    http_request.tenant = tenant
    http_request.user = AnonymousUser()
    with translation.override(language):
        response = handler(http_request)
    body = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in body
    assert HEADINGS[(language, status)] in body
    assert f"--brand: {palette(colour)['fill']};" in body
    assert tenant.name in body


def test_the_500_page_needs_no_database_and_no_session(ing):
    request = RequestFactory().get("/somewhere", HTTP_HOST="ing.localhost")
    request.tenant = ing  # nothing else: no user, no session, no messages
    with CaptureQueriesContext(connection) as queries, translation.override("es"):
        response = errors.server_error(request)
    assert len(queries) == 0
    assert response.status_code == 500
    assert "Algo ha fallado por nuestra parte" in response.content.decode()


def test_a_500_before_the_language_was_chosen_speaks_the_brands(ing):
    request = RequestFactory().get("/somewhere", HTTP_HOST="ing.localhost")
    request.tenant = ing
    with translation.override("de"):  # a language the brand does not offer
        body = errors.server_error(request).content.decode()
    assert '<html lang="es">' in body


def test_the_503_asks_to_come_back(ing):
    request = RequestFactory().get("/", HTTP_HOST="ing.localhost")
    request.tenant = ing
    response = errors.service_unavailable(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "300"


def test_a_suspended_brand_says_so_in_its_language(ing, client_for):
    tenant_services.tenant_set_status(tenant=ing, status="suspended")
    response = client_for(ing).get("/", HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 503
    assert '<html lang="es">' in body
    assert "El espacio de ING Direct está cerrado por el momento" in body
    assert "--brand: #ff6200;" in body


def test_a_missing_page_in_the_demo_is_the_brands_404_not_djangos(ing, client_for, settings):
    settings.DEBUG = True  # as under `make run`
    settings.DEBUG_TECHNICAL_404 = False
    client = client_for(ing)
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Esta página no existe" in body
    assert "--brand: #ff6200;" in body
    assert "DEBUG = True" not in body
    # A view's own 404 (an idea that does not exist) too.
    response = client.get("/ideas/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert "Esta página no existe" in response.content.decode()


def test_a_developer_can_ask_for_djangos_technical_404(ing, client_for, settings):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_404 = True
    response = client_for(ing).get("/no-such-page/")
    assert response.status_code == 404
    assert "DEBUG = True" in response.content.decode()


def test_error_pages_of_one_tenant_show_nothing_of_another(ing, decathlon, client_for):
    _branded(ing, "#ff6200")
    body = client_for(decathlon).get("/no-such-page/").content.decode()
    assert "ING" not in body
    assert "#ff6200;" not in body.split("--accent-base")[0]
