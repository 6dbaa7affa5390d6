"""Personal API tokens and the brand's API keys, valid on the hosts of the
tenant they were issued on."""

import hashlib

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import (
    BaseAuthentication,
    TokenAuthentication,
    get_authorization_header,
)
from rest_framework.permissions import SAFE_METHODS

from accounts import selectors, services
from accounts.models import ApiToken, BrandApiKey
from core import ratelimit
from core.errors import NotAllowed
from core.permissions import BRAND_KEY_ROLE, HasTenantRole


def api_token_digest(key: str) -> str:
    """What the database keeps of a key (keys are random: a plain hash is enough)."""
    return hashlib.sha256(key.encode()).hexdigest()


class TenantTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, looked up among the request's tenant's
    tokens only: a token issued on one brand's site is unknown on another's
    (401) and on the platform's own host."""

    model = ApiToken

    def authenticate(self, request):
        # DRF builds one authenticator per request: the tenant is this request's.
        self.tenant = getattr(request, "tenant", None)
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        token = None
        if self.tenant is not None:
            token = (
                ApiToken.objects.filter(tenant=self.tenant, key_digest=api_token_digest(key))
                .select_related("user")
                .first()
            )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)


class BrandKeyAuthentication(BaseAuthentication):
    """`Authorization: Bearer rk_<prefix>_<secret>`: a brand's API key.

    - unknown, revoked or expired: 401;
    - another brand's key, or on the platform's host: 404, as if what was asked
      did not exist (a key says nothing of other brands);
    - over its rate limit (RATE_LIMITS["api_keys"], counted per key): 429;
    - on a view that is a person's (voting, submitting, one's own profile: no
      `HasTenantRole` in its permissions), writes are refused (403); public
      reads are answered as to a visitor.
    Its scopes are checked by `HasTenantRole` (core.permissions). Each use is
    noted for the audit trail by `BrandKeyAuditMiddleware`.
    """

    keyword = "Bearer"

    def authenticate_header(self, request):
        return self.keyword

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid API key header."))
        try:
            presented = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid API key.")) from exc
        key = self._key(request, presented)
        ratelimit.hit(
            action="api_keys", tenant_id=key.tenant_id, person=f"key:{key.prefix}", ip=None
        )
        # Seen by the audit middleware, which records the use once answered.
        request._request.brand_api_key = key
        request._request.brand_api_key_sampled = services.api_key_touch(key=key)
        view = (request.parser_context or {}).get("view")
        if not _for_the_team(view):
            if request.method not in SAFE_METHODS:
                raise NotAllowed(
                    _("An API key acts for the brand, not for a person: it cannot do this."),
                    code="api_key_not_allowed",
                )
            return (AnonymousUser(), key)
        principal = key.principal
        principal.__dict__.setdefault("_roles_by_tenant", {})[key.tenant_id] = BRAND_KEY_ROLE
        return (principal, key)

    @staticmethod
    def _key(request, presented: str) -> BrandApiKey:
        prefix = services.api_key_split(presented)
        key = selectors.api_key_by_prefix(prefix) if prefix else None
        if key is None or not services.api_key_matches(key, presented):
            raise exceptions.AuthenticationFailed(_("Invalid API key."))
        tenant = getattr(request, "tenant", None)
        if tenant is None or key.tenant_id != tenant.pk:
            raise exceptions.NotFound()
        if key.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This API key has been revoked."))
        if key.is_expired:
            raise exceptions.AuthenticationFailed(_("This API key has expired."))
        return key


def _for_the_team(view) -> bool:
    """True when the view is one of the brand team's (its permissions ask for a role)."""
    if view is None:
        return False
    return any(isinstance(p, HasTenantRole) for p in view.get_permissions())
