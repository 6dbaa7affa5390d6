"""Outbound HTTP for webhooks, guarded against server-side request forgery.

A brand's URL must not reach our own network: a URL whose host is, or resolves
to (every A/AAAA record), a private, loopback, link-local, multicast, reserved,
shared or unspecified address is refused — when the endpoint is registered and
again before each delivery, since DNS answers change. The request then goes to
the address that was checked (no second lookup a rebinding DNS could answer
differently), redirects are never followed (a 3xx is a failed delivery), the
timeout is short and only the first bytes of the answer are read.

`WEBHOOKS_ALLOW_PRIVATE_HOSTS` lifts the address check (only that) for tests
that run a receiver on the loopback; it is off everywhere else.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import DomainError


class UnsafeURL(DomainError):
    code = "unsafe_url"


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


@dataclass(frozen=True)
class Answer:
    status: int | None
    excerpt: str
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    refused = (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )
    return not refused and ip.is_global


def url_check(url: str) -> Target:
    """The URL's checked target, or UnsafeURL saying why it is refused."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeURL(_("Enter a valid URL.")) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURL(_("Enter an http:// or https:// URL."))
    if parts.username or parts.password:
        raise UnsafeURL(_("The URL must not contain a user name or password."))
    host = parts.hostname
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise UnsafeURL(_("The URL's host name does not resolve.")) from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise UnsafeURL(_("The URL's host name does not resolve."))
    if not settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS and not all(_is_public(a) for a in addresses):
        raise UnsafeURL(_("The URL points to a private or reserved network address."))
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port, path, addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, whatever DNS says now."""

    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, *, body: bytes, headers: dict) -> Answer:
    """POST `body` to `url` once; never raises for the network's failures."""
    started = time.monotonic()

    def answer(status=None, excerpt="", error=""):
        elapsed = int((time.monotonic() - started) * 1000)
        return Answer(status, excerpt, error[:300], elapsed)

    try:
        target = url_check(url)
    except UnsafeURL as exc:
        return answer(error=exc.message)
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target, timeout=settings.WEBHOOKS_TIMEOUT_SECONDS)
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={
                **headers,
                "Content-Type": "application/json",
                "User-Agent": "Ruche-Webhooks/1",
            },
        )
        response = connection.getresponse()
        raw = response.read(settings.WEBHOOKS_RESPONSE_CAP_BYTES)
    except (OSError, http.client.HTTPException) as exc:
        return answer(error=f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()
    excerpt = raw.decode("utf-8", errors="replace")
    if 300 <= response.status < 400:
        return answer(response.status, excerpt, _("Redirects are not followed."))
    return answer(response.status, excerpt)
