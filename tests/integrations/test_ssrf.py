"""Outbound requests never reach private, loopback or link-local addresses:
refused at registration and again at each delivery (DNS answers change)."""

import socket

import pytest

from integrations import outbound, services, tasks
from integrations.events import publish
from integrations.models import WebhookDelivery

pytestmark = pytest.mark.django_db

REAL_GETADDRINFO = socket.getaddrinfo


@pytest.fixture
def dns(monkeypatch):
    """`dns["hooks.brand.example"] = "10.0.0.1"`: names this test resolves itself."""
    answers = {}

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            family = socket.AF_INET6 if ":" in answers[host] else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (answers[host], port))]
        return REAL_GETADDRINFO(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


def _register(tenant, url):
    return services.endpoint_create(tenant=tenant, url=url, events=["idea.published"])


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.0.0.1:8000/hooks",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://10.1.2.3/",
        "http://192.168.0.10/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://2130706433/",  # 127.0.0.1 written as one number
    ],
)
def test_private_addresses_are_refused_at_registration(ing, in_scope, url):
    with in_scope(tenant=ing), pytest.raises(services.WebhookError) as refused:
        _register(ing, url)
    assert "url" in refused.value.fields


def test_a_name_resolving_to_a_private_address_is_refused(ing, in_scope, dns):
    dns["hooks.brand.example"] = "10.0.0.1"
    with in_scope(tenant=ing), pytest.raises(services.WebhookError) as refused:
        _register(ing, "https://hooks.brand.example/ruche")
    assert refused.value.fields["url"] == [
        "The URL points to a private or reserved network address."
    ]


def test_a_name_with_one_private_record_among_public_ones_is_refused(dns, monkeypatch):
    def getaddrinfo(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("fe80::1", port, 0, 0)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(outbound.UnsafeURL):
        outbound.url_check("https://hooks.brand.example/")


@pytest.mark.parametrize(
    "url, message",
    [
        ("ftp://hooks.brand.example/", "Enter an http:// or https:// URL."),
        ("file:///etc/passwd", "Enter an http:// or https:// URL."),
        ("https://user:pw@hooks.brand.example/", "must not contain a user name"),
        ("not a url", "Enter an http:// or https:// URL."),
        ("http://hooks.brand.example:99999/", "Enter a valid URL."),
    ],
)
def test_other_bad_urls_are_refused_with_a_clear_message(ing, in_scope, dns, url, message):
    dns["hooks.brand.example"] = "93.184.215.14"
    with in_scope(tenant=ing), pytest.raises(services.WebhookError) as refused:
        _register(ing, url)
    assert message in refused.value.fields["url"][0]


def test_a_public_name_is_accepted(ing, in_scope, dns):
    dns["hooks.brand.example"] = "93.184.215.14"
    with in_scope(tenant=ing):
        endpoint = _register(ing, "https://hooks.brand.example/ruche")
    assert endpoint.secret.startswith("whsec_")


def test_a_name_that_turns_private_after_registration_is_not_called(ing, in_scope, dns):
    dns["hooks.brand.example"] = "93.184.215.14"
    with in_scope(tenant=ing):
        _register(ing, "http://hooks.brand.example/ruche")
        dns["hooks.brand.example"] = "127.0.0.1"
        [delivery] = publish(tenant=ing, event="idea.published", data={})
        assert tasks.webhook_deliver(tenant_id=ing.pk, delivery_id=delivery.pk) == "failed"
        delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.last_response_code is None
    assert delivery.last_error == "The URL points to a private or reserved network address."
