"""A local stand-in for Google, Facebook, X and an OpenID Connect provider:
a threaded HTTP server that speaks their OAuth 2.0 protocols (authorize →
code → token with client authentication and PKCE → profile).

    server = FakeOAuth(); server.start()
    server.identity["google"] = {...}        # who "signs in" at the provider
    server.behaviour = "cancel"              # the person says no
    server.token_status = 503                # the token endpoint is down

The authorize endpoint answers at once with the redirect a provider sends
after the person agreed (or cancelled), so tests follow it like a browser.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt

# The relying party fetched the token itself over a direct channel, so it does
# not check the id_token's signature (OpenID Connect Core 3.1.3.7): any key will do.
SIGNING_KEY = "a-fake-provider-signing-key-of-32-bytes-or-more"

DEFAULT_IDENTITIES = {
    "google": {"sub": "g-100", "email": "ana@gmail.example", "email_verified": True,
               "name": "Ana García", "picture": "https://example.com/ana.png"},
    "facebook": {"id": "fb-200", "email": "marc@facebook.example", "name": "Marc Dupont",
                 "first_name": "Marc", "last_name": "Dupont"},
    "x": {"id": "x-300", "name": "Sam P", "username": "samp",
          "confirmed_email": "sam@x.example"},
    "oidc": {"sub": "oidc-400", "email": "lucia@ing.example", "email_verified": True,
             "name": "Lucía Staff"},
}  # fmt: skip


class FakeOAuth:
    def __init__(self):
        self.identity = {k: dict(v) for k, v in DEFAULT_IDENTITIES.items()}
        self.behaviour = "approve"
        self.token_status = 200
        self.requests: list[tuple[str, str, dict]] = []  # (method, path, params)
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, tuple[str, dict]] = {}
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> FakeOAuth:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def seen(self, path: str) -> list[dict]:
        return [params for _m, p, params in self.requests if p == path]

    # --- What each endpoint does ---------------------------------------------------

    def authorize(self, provider: str, params: dict) -> tuple[int, dict, bytes]:
        redirect_uri = params["redirect_uri"]
        state = params.get("state", "")
        if self.behaviour == "cancel":
            query = {"error": "access_denied", "state": state}
            if provider == "facebook":
                query |= {"error_reason": "user_denied"}
            return 302, {"Location": f"{redirect_uri}?{urlencode(query)}"}, b""
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "provider": provider,
            "client_id": params["client_id"],
            "redirect_uri": redirect_uri,
            "code_challenge": params.get("code_challenge"),
            "nonce": params.get("nonce"),
        }
        location = f"{redirect_uri}?{urlencode({'code': code, 'state': state})}"
        return 302, {"Location": location}, b""

    def token(self, provider: str, params: dict, headers) -> tuple[int, dict, bytes]:
        if self.token_status != 200:
            return self.token_status, {}, b"Service Unavailable"
        client_id, client_secret = params.get("client_id"), params.get("client_secret")
        auth = headers.get("Authorization", "")
        if auth.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(auth[6:]).decode().partition(":")
        grant = self.codes.pop(params.get("code", ""), None)
        problems = []
        if grant is None or grant["provider"] != provider:
            problems.append("unknown code")
        elif grant["client_id"] != client_id or not client_secret:
            problems.append("client authentication failed")
        elif grant["redirect_uri"] != params.get("redirect_uri"):
            problems.append("redirect_uri mismatch")
        elif grant["code_challenge"]:
            verifier = params.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            if digest.decode().rstrip("=") != grant["code_challenge"]:
                problems.append("PKCE verification failed")
        if problems:
            body = {"error": "invalid_grant", "error_description": problems[0]}
            return 400, {"Content-Type": "application/json"}, json.dumps(body).encode()
        access_token = secrets.token_urlsafe(20)
        self.tokens[access_token] = (provider, grant)
        body = {"access_token": access_token, "token_type": "Bearer", "expires_in": 3600}
        if provider in ("google", "oidc"):
            claims = dict(self.identity[provider])
            claims.update(
                iss=self.issuer(provider), aud=client_id, iat=int(time.time()),
                exp=int(time.time()) + 600,
            )  # fmt: skip
            if grant.get("nonce"):
                claims["nonce"] = grant["nonce"]
            body["id_token"] = jwt.encode(
                claims, "a-fake-provider-signing-key-of-32-bytes-or-more", algorithm="HS256"
            )
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()

    def issuer(self, provider: str) -> str:
        return "https://accounts.google.com" if provider == "google" else f"{self.url}/oidc"

    def profile(self, provider: str, access_token: str) -> tuple[int, dict, bytes]:
        known = self.tokens.get(access_token)
        if known is None or known[0] != provider:
            return 401, {"Content-Type": "application/json"}, b'{"error": "invalid_token"}'
        data = dict(self.identity[provider])
        if provider == "x":
            data = {"data": data}
        return 200, {"Content-Type": "application/json"}, json.dumps(data).encode()

    def discovery(self) -> tuple[int, dict, bytes]:
        base = f"{self.url}/oidc"
        body = {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "userinfo_endpoint": f"{base}/userinfo",
            "jwks_uri": f"{base}/jwks",
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["HS256"],
        }
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()

    # --- Routing ---------------------------------------------------------------------

    def route(self, method: str, path: str, params: dict, headers) -> tuple[int, dict, bytes]:
        bearer = headers.get("Authorization", "").removeprefix("Bearer ").strip()
        fb_token = params.get("access_token", "")
        routes = {
            ("GET", "/google/authorize"): lambda: self.authorize("google", params),
            ("POST", "/google/token"): lambda: self.token("google", params, headers),
            ("GET", "/google/userinfo"): lambda: self.profile("google", bearer),
            ("GET", "/facebook/dialog/oauth"): lambda: self.authorize("facebook", params),
            ("GET", "/facebook/oauth/access_token"): lambda: self.token(
                "facebook", params, headers
            ),
            ("GET", "/facebook/me"): lambda: self.profile("facebook", fb_token),
            ("GET", "/x/authorize"): lambda: self.authorize("x", params),
            ("POST", "/x/token"): lambda: self.token("x", params, headers),
            ("GET", "/x/users/me"): lambda: self.profile("x", bearer),
            ("GET", "/oidc/.well-known/openid-configuration"): self.discovery,
            ("GET", "/oidc/authorize"): lambda: self.authorize("oidc", params),
            ("POST", "/oidc/token"): lambda: self.token("oidc", params, headers),
            ("GET", "/oidc/userinfo"): lambda: self.profile("oidc", bearer),
        }  # fmt: skip
        handler = routes.get((method, path))
        if handler is None:
            return 404, {}, b"not found"
        return handler()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method):
                url = urlparse(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                if method == "POST":
                    length = int(self.headers.get("Content-Length") or 0)
                    body = self.rfile.read(length).decode()
                    params |= {k: v[0] for k, v in parse_qs(body).items()}
                fake.requests.append((method, url.path, params))
                status, headers, body = fake.route(method, url.path, params, self.headers)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

            def log_message(self, *args):
                pass

        return Handler


def point_allauth_at(fake: FakeOAuth, monkeypatch) -> None:
    """Aim allauth's Google, Facebook and X adapters at the fake (the OpenID
    Connect provider is configured by its issuer URL, like a real brand's)."""
    from allauth.socialaccount.providers.facebook import flows as facebook_flows
    from allauth.socialaccount.providers.facebook.views import FacebookOAuth2Adapter
    from allauth.socialaccount.providers.google.views import GoogleOAuth2Adapter
    from allauth.socialaccount.providers.twitter_oauth2.views import TwitterOAuth2Adapter

    monkeypatch.setattr(GoogleOAuth2Adapter, "authorize_url", f"{fake.url}/google/authorize")
    monkeypatch.setattr(GoogleOAuth2Adapter, "access_token_url", f"{fake.url}/google/token")
    monkeypatch.setattr(GoogleOAuth2Adapter, "identity_url", f"{fake.url}/google/userinfo")
    monkeypatch.setattr(FacebookOAuth2Adapter, "authorize_url", f"{fake.url}/facebook/dialog/oauth")
    monkeypatch.setattr(
        FacebookOAuth2Adapter, "access_token_url", f"{fake.url}/facebook/oauth/access_token"
    )
    monkeypatch.setattr(facebook_flows, "GRAPH_API_URL", f"{fake.url}/facebook")
    monkeypatch.setattr(TwitterOAuth2Adapter, "authorize_url", f"{fake.url}/x/authorize")
    monkeypatch.setattr(TwitterOAuth2Adapter, "access_token_url", f"{fake.url}/x/token")
    monkeypatch.setattr(TwitterOAuth2Adapter, "profile_url", f"{fake.url}/x/users/me")
