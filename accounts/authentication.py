"""Personal API tokens, valid on the hosts of the tenant they were issued on."""

import hashlib

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.models import ApiToken


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
