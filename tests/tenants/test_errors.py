"""Error pages: the tenant's look on its host, JSON under /api/."""

import pytest
from django.test import RequestFactory

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
