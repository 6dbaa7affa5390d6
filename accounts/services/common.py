"""What every accounts service shares: the errors, the audit trail, creating a user."""

import json
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    AuditEntry,
    User,
)
from core.errors import DomainError
from core.text import clean_text
from tenants.models import Tenant


class MembershipError(DomainError):
    code = "membership_invalid"


class InvitationError(DomainError):
    code = "invitation_invalid"


class ConsentError(DomainError):
    code = "consent_invalid"


class SignInSettingsError(DomainError):
    code = "signin_settings_invalid"


class PrivacyError(DomainError):
    code = "privacy_invalid"


def audit_record(
    *,
    actor: User | None,
    action: str,
    target,
    reason: str = "",
    data: dict | None = None,
    tenant: Tenant | None = None,
) -> AuditEntry:
    """Append to the audit trail of the target's tenant (the brand's own when
    the target is the tenant). `target` is any model instance; `tenant` is
    needed only when the target belongs to no tenant (a user)."""
    if tenant is None:
        tenant = target if isinstance(target, Tenant) else target.tenant
    return AuditEntry.objects.create(
        tenant=tenant,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(getattr(target, "public_id", target.pk)),
        reason=reason,
        data=data or {},
    )


def audit_record_many(
    *,
    tenant: Tenant,
    actor: User | None,
    action: str,
    entries: Iterable[tuple[Any, dict]],
    reason: str = "",
) -> int:
    """Append one entry per (target, data) of `entries` to the tenant's audit
    trail, each as `audit_record` would write it, in one INSERT: what a service
    that moves many rows at once (a bank file of a thousand payouts) records.
    Returns how many entries were written.

    The rows go to PostgreSQL as three arrays, not as model instances: for a
    thousand entries, `bulk_create` spent more time building and flattening the
    instances than the database spent writing them (`make bench-sepa`)."""
    types, ids, datas = [], [], []
    for target, data in entries:
        types.append(target._meta.label_lower)
        ids.append(str(getattr(target, "public_id", target.pk)))
        datas.append(json.dumps(data or {}))
    if not ids:
        return 0
    meta = AuditEntry._meta
    columns = ", ".join(
        connection.ops.quote_name(meta.get_field(name).column)
        for name in (
            "tenant",
            "actor",
            "action",
            "reason",
            "created_at",
            "target_type",
            "target_id",
            "data",
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(
            # Names from the model, values as parameters.
            f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) "  # noqa: S608
            "SELECT %s, %s, %s, %s, %s, row.type, row.id, row.data::jsonb "
            "FROM unnest(%s::text[], %s::text[], %s::text[]) AS row(type, id, data)",
            [
                tenant.pk,
                actor.pk if actor is not None and actor.is_authenticated else None,
                action,
                reason,
                timezone.now(),
                types,
                ids,
                datas,
            ],
        )
        return cursor.rowcount


def clean_display_name(name: str | None) -> str:
    """A name as others will see it: one line, at most 80 characters, without
    control or direction-changing characters (a name must not read backwards)."""
    return clean_text(name, single_line=True)[:80]


def _display_name(value: str | None) -> str:
    """A public name as typed, trimmed. A NUL byte (nobody types one, the
    database cannot keep one) is refused with a field error, as the API does."""
    if "\x00" in (value or ""):
        raise ConsentError(
            _("Your name contains a character that cannot be used."),
            fields={"display_name": [_("Remove the invisible character (a NUL byte).")]},
        )
    return clean_display_name(value)


def user_create(
    *, email: str, password: str | None = None, display_name: str = "", language: str = ""
) -> User:
    """An account the platform creates itself (an operator, the demo, a person
    who accepts an e-mailed team invitation): its address is on record as
    verified. People who sign up on their own go through allauth, which
    verifies their address with a code first."""
    from allauth.account.models import EmailAddress

    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(
            _("An account with this e-mail address already exists."), code="email_taken"
        )
    with transaction.atomic():
        user = User.objects.create_user(
            email, password, display_name=clean_display_name(display_name), language=language
        )
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user
