"""Fixtures of the accounts tests: the fake OAuth providers, and a browser that
keeps one cookie jar per host (the tenant host and the sign-in host never share
cookies, as in a real browser)."""

import html
import re
from urllib.parse import urljoin, urlparse

import pytest
import requests
from django.conf import settings
from django.test import Client

from tests.accounts.fake_oauth import FakeOAuth, point_allauth_at

META_REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')


@pytest.fixture
def fake_oauth(monkeypatch):
    fake = FakeOAuth().start()
    point_allauth_at(fake, monkeypatch)
    yield fake
    fake.stop()


class Page:
    """A response from any host: status, Location, body."""

    def __init__(self, url, status_code, headers, text, django_response=None):
        self.url, self.status_code, self.headers, self.text = url, status_code, headers, text
        self.response = django_response

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")


class TwoHostBrowser:
    def __init__(self):
        self.clients: dict[str, Client] = {}
        self.history: list[Page] = []

    def client(self, host: str) -> Client:
        if host not in self.clients:
            self.clients[host] = Client(HTTP_HOST=host)
            # The messages the tests read are the English ones (ING speaks Spanish).
            self.clients[host].cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return self.clients[host]

    def request(self, method: str, url: str, data=None) -> Page:
        parsed = urlparse(url)
        if parsed.hostname == "127.0.0.1":  # the fake provider: real HTTP
            response = requests.request(method, url, data=data, allow_redirects=False, timeout=5)
            page = Page(url, response.status_code, response.headers, response.text)
        else:
            client = self.client(parsed.netloc)
            path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            response = getattr(client, method.lower())(path, data=data or {})
            headers = dict(response.headers.items())
            text = response.content.decode() if not getattr(response, "streaming", False) else ""
            page = Page(url, response.status_code, headers, text, response)
        self.history.append(page)
        return page

    def follow(self, page: Page, limit: int = 15) -> Page:
        """Follow redirects, and the sign-in's "one moment" pages (meta refresh)."""
        while limit:
            limit -= 1
            if page.status_code in (301, 302, 303):
                page = self.request("GET", urljoin(page.url, page.location))
                continue
            refresh = META_REFRESH.search(page.text) if page.status_code == 200 else None
            if refresh is None:
                break
            page = self.request("GET", html.unescape(refresh.group(1)))
        return page

    def signed_in_user_id(self, host: str):
        session = self.client(host).session
        return session.get("_auth_user_id")


@pytest.fixture
def browser_on():
    return TwoHostBrowser()
