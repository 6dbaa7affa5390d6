"""How people sign in to a brand: its own provider credentials, its sign-in
policy, and personal API tokens."""

import re
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.authentication import api_token_digest
from accounts.crypto import encrypt_secret
from accounts.models import (
    ApiToken,
    ProviderCredential,
    SignInPolicy,
    SignInProvider,
    User,
)
from accounts.services.common import SignInSettingsError, audit_record
from tenants.models import Tenant

# --- Sign-in settings ----------------------------------------------------------------

DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](-?[a-z0-9])*\.)+[a-z]{2,63}$")


def _check_issuer_url(url: str) -> str:
    url = (url or "").strip().rstrip("/")
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError as exc:
        raise SignInSettingsError(
            _("Enter the issuer URL of your identity provider."),
            fields={"server_url": [_("Enter a valid URL.")]},
        ) from exc
    host = url.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0]
    if url.startswith("http://") and host not in {"localhost", "127.0.0.1"}:
        raise SignInSettingsError(
            _("The issuer URL must use https."),
            fields={"server_url": [_("The issuer URL must use https.")]},
        )
    return url


def provider_credential_save(
    *,
    tenant: Tenant,
    provider: str,
    client_id: str,
    secret: str = "",
    name: str = "",
    server_url: str = "",
    enabled: bool = True,
    actor: User,
) -> ProviderCredential:
    """Set the brand's own OAuth app for a provider. A blank secret keeps the
    stored one; the secret is never shown again."""
    if provider not in SignInProvider.values:
        raise SignInSettingsError(
            _("Unknown provider."), fields={"provider": [_("Unknown provider.")]}
        )
    client_id, secret = (client_id or "").strip(), (secret or "").strip()
    fields = {}
    if not client_id:
        fields["client_id"] = [_("This field is required.")]
    elif len(client_id) > 255:
        fields["client_id"] = [_("A client id has at most 255 characters.")]
    existing = ProviderCredential.objects.filter(tenant=tenant, provider=provider).first()
    if not secret and (existing is None or not existing.secret_encrypted):
        fields["secret"] = [_("This field is required.")]
    if fields:
        raise SignInSettingsError(_("Enter the client id and secret."), fields=fields)
    oidc = provider == SignInProvider.OPENID_CONNECT
    server_url = _check_issuer_url(server_url) if oidc else ""
    with transaction.atomic():
        credential = existing or ProviderCredential(tenant=tenant, provider=provider)
        credential.client_id = client_id
        credential.name = (name or "").strip()[:80]
        credential.server_url = server_url
        credential.enabled = enabled
        if secret:
            credential.secret_encrypted = encrypt_secret(secret)
        credential.save()
        audit_record(
            actor=actor,
            action="signin.credential.save",
            target=credential,
            data={"provider": provider, "client_id": client_id, "enabled": enabled},
        )
    return credential


def provider_credential_delete(*, credential: ProviderCredential, actor: User) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="signin.credential.delete",
            target=credential,
            data={"provider": credential.provider},
        )
        credential.delete()


def signin_policy_update(
    *,
    tenant: Tenant,
    refuse_disposable_emails: bool,
    staff_email_domains,
    actor: User,
) -> SignInPolicy:
    if isinstance(staff_email_domains, str):
        staff_email_domains = re.split(r"[\s,;]+", staff_email_domains)
    domains = []
    for raw in staff_email_domains or []:
        domain = raw.strip().lower().lstrip("@").rstrip(".")
        if not domain:
            continue
        if not DOMAIN.match(domain):
            raise SignInSettingsError(
                _("“%(domain)s” is not a domain name such as ing.es.") % {"domain": raw.strip()},
                fields={"staff_email_domains": [_("Enter domain names such as ing.es.")]},
            )
        if domain not in domains:
            domains.append(domain)
    with transaction.atomic():
        policy, _created = SignInPolicy.objects.select_for_update().get_or_create(tenant=tenant)
        policy.refuse_disposable_emails = bool(refuse_disposable_emails)
        policy.staff_email_domains = domains
        policy.save(update_fields=["refuse_disposable_emails", "staff_email_domains", "updated_at"])
        audit_record(
            actor=actor,
            action="signin.policy.update",
            target=tenant,
            data={
                "refuse_disposable_emails": policy.refuse_disposable_emails,
                "staff_email_domains": domains,
            },
        )
    return policy


# --- API tokens ----------------------------------------------------------------------


def api_token_issue(*, user: User, tenant: Tenant) -> str:
    """A new API token for the person on this tenant's hosts (their previous one
    there stops working; those of other tenants are untouched). Returns the key,
    shown this once: only its digest is kept."""
    key = secrets.token_hex(20)
    with transaction.atomic():
        ApiToken.objects.update_or_create(
            tenant=tenant,
            user=user,
            defaults={"key_digest": api_token_digest(key), "created_at": timezone.now()},
        )
        audit_record(tenant=tenant, actor=user, action="api_token.issue", target=user)
    return key


def api_token_revoke(*, user: User, tenant: Tenant) -> None:
    """Revoke the person's token on this tenant's hosts."""
    with transaction.atomic():
        if ApiToken.objects.filter(tenant=tenant, user=user).delete()[0]:
            audit_record(tenant=tenant, actor=user, action="api_token.revoke", target=user)
