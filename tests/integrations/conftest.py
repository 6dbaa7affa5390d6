import pytest
from django.conf import settings
from django.test import override_settings

from integrations import services
from tests.integrations.receiver import Receiver

URL = "http://127.0.0.1:9/hooks"


@pytest.fixture
def receiver():
    """`receiver(statuses)`: a started loopback receiver, stopped after the test.
    Private hosts are allowed for the test that uses it (only the loopback one)."""
    started = []

    def make(statuses=(200,), redirect_to=""):
        server = Receiver(list(statuses), redirect_to=redirect_to).start()
        started.append(server)
        return server

    with override_settings(WEBHOOKS_ALLOW_PRIVATE_HOSTS=True):
        yield make
    for server in started:
        server.stop()


@pytest.fixture
def client_for(client_for):
    """The suite's client, reading pages in English (ING speaks Spanish)."""

    def make(tenant=None, user=None, language="en", **defaults):
        client = client_for(tenant, user, **defaults)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make


@pytest.fixture
def endpoint(ing, in_scope):
    """An endpoint of ING at the loopback URL, listening to published ideas."""
    with override_settings(WEBHOOKS_ALLOW_PRIVATE_HOSTS=True), in_scope(tenant=ing):
        return services.endpoint_create(tenant=ing, url=URL, events=["idea.published"])
