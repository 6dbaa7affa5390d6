"""The brand's API keys: make one (its secret shown once), revoke it, and what
each use leaves behind (last use, the audit trail)."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, BrandApiKey, User
from accounts.services.common import audit_record, clean_display_name
from core.errors import DomainError, FieldErrors
from core.permissions import KeyScope
from tenants.models import Tenant

KEY_PREFIX = "rk_"
NAME_MAX_LENGTH = 80
# Last use is written at most this often per key: not on every request.
LAST_USE_PRECISION = timedelta(minutes=1)


class ApiKeyError(DomainError):
    code = "api_key_invalid"


def api_key_digest(key: str) -> str:
    """What is kept of a key: its SHA-256 (keys are random: a plain hash is enough)."""
    return hashlib.sha256(key.encode()).hexdigest()


def api_key_matches(key: BrandApiKey, presented: str) -> bool:
    """Constant-time: the time taken says nothing of how much of it was right."""
    return hmac.compare_digest(key.key_digest, api_key_digest(presented))


def api_key_split(presented: str) -> str | None:
    """The lookup prefix of `rk_<prefix>_<secret>`, or None when it is not one."""
    if not presented.startswith(KEY_PREFIX):
        return None
    prefix, _sep, secret = presented[len(KEY_PREFIX) :].partition("_")
    if not prefix or not secret or len(prefix) > 16:
        return None
    return prefix


def _checked(*, name: str, scopes: list[str], expires_at: datetime | None) -> tuple:
    errors = FieldErrors()
    name = clean_display_name(name)
    if not name:
        errors.add("name", _("Give the key a name that says what uses it (“CRM sync”)."))
    scopes = list(dict.fromkeys(scopes or []))
    unknown = [s for s in scopes if s not in KeyScope.values]
    if unknown:
        errors.add("scopes", _("Unknown scope: %(names)s.") % {"names": ", ".join(unknown)})
    elif not scopes:
        errors.add("scopes", _("Choose at least one scope."))
    if expires_at is not None and expires_at <= timezone.now():
        errors.add("expires_at", _("The expiry date must be in the future."))
    errors.raise_if_any(ApiKeyError)
    return name, scopes


def api_key_create(
    *,
    tenant: Tenant,
    name: str,
    scopes: list[str],
    created_by: User,
    expires_at: datetime | None = None,
) -> tuple[BrandApiKey, str]:
    """A new key of the brand. Returns the key and its secret, to show this once:
    only its digest is kept."""
    name, scopes = _checked(name=name, scopes=scopes, expires_at=expires_at)
    prefix = secrets.token_hex(6)
    presented = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        principal = User.objects.create(
            # A reserved domain (RFC 2606): no mail reaches it, nobody signs in as it.
            email=f"key-{prefix}@api-keys.invalid",
            display_name=clean_display_name(_("API key “%(name)s”") % {"name": name}),
            password=make_password(None),
        )
        key = BrandApiKey.objects.create(
            tenant=tenant,
            name=name,
            prefix=prefix,
            key_digest=api_key_digest(presented),
            scopes=scopes,
            principal=principal,
            created_by=created_by,
            expires_at=expires_at,
        )
        audit_record(
            actor=created_by,
            action="api_key.create",
            target=key,
            data={"name": name, "scopes": scopes},
        )
    return key, presented


def api_key_revoke(*, key: BrandApiKey, by: User) -> BrandApiKey:
    """The key stops working at once. Revoking twice changes nothing."""
    with transaction.atomic():
        key = BrandApiKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked_at is None:
            key.revoked_at, key.revoked_by = timezone.now(), by
            key.save(update_fields=["revoked_at", "revoked_by"])
            audit_record(actor=by, action="api_key.revoke", target=key, data={"name": key.name})
    return key


def api_key_touch(*, key: BrandApiKey) -> bool:
    """Note the key's use, at most once per LAST_USE_PRECISION (concurrent
    requests write it once: the UPDATE is conditional). True when this call
    wrote it: the read it comes with is the one sampled into the audit trail."""
    now = timezone.now()
    if key.last_used_at is not None and now - key.last_used_at < LAST_USE_PRECISION:
        return False
    written = (
        BrandApiKey.objects.filter(pk=key.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USE_PRECISION))
        .update(last_used_at=now)
    )
    key.last_used_at = now
    return written == 1


def api_key_use_record(*, key: BrandApiKey, method: str, path: str, status: int) -> AuditEntry:
    """One use of the key in its brand's audit trail. The caller records every
    write, and of the reads the sampled one (the first of its minute, see
    `api_key_touch`)."""
    return audit_record(
        actor=key.principal,
        action="api_key.read" if method in ("GET", "HEAD", "OPTIONS") else "api_key.write",
        target=key,
        data={"name": key.name, "method": method, "path": path[:300], "status": status},
    )
