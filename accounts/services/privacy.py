"""Personal data: exported, erased from a brand, or the whole account deleted."""

import re

from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts import personal_data, selectors
from accounts.models import (
    AuditEntry,
    Membership,
    ParticipantProfile,
    User,
)
from accounts.services.common import PrivacyError, audit_record
from accounts.services.team import MANAGERS
from core.errors import NotAllowed
from core.permissions import role_of
from integrations.events import publish
from tenants.models import Tenant

# --- People's own data: export, erasure, deletion ---------------------------------------

ERASED = "[erased]"


def personal_data_export(*, user: User, tenant: Tenant | None = None) -> dict:
    """Everything the platform holds about the person, as JSON-ready data: for
    one tenant (what that tenant holds), or the whole platform (their account
    and every tenant they took part in)."""
    export = {
        "format": "ruche.personal-data/1",
        "generated_at": timezone.now().isoformat(),
        "scope": "tenant" if tenant is not None else "platform",
    }
    if tenant is None:
        export["account"] = {
            section.name: section.export(user=user, tenant=None)
            for section in personal_data.sections(per_tenant=False)
        }
    tenants = [tenant] if tenant is not None else selectors.tenants_of(user)
    export["tenants"] = []
    for each in tenants:
        with scope(tenant=each):
            export["tenants"].append(
                {
                    "tenant": {"name": each.name, "slug": each.slug},
                    "data": {
                        section.name: section.export(user=user, tenant=each)
                        for section in personal_data.sections(per_tenant=True)
                    },
                }
            )
    return export


def _check_mode(mode: str) -> None:
    if mode not in personal_data.MODES:
        raise PrivacyError(
            _("Choose whether your ideas and comments are anonymised or removed."),
            fields={"mode": [_("Choose anonymise or remove.")]},
        )


def _identifiers_of(user: User, tenant: Tenant) -> set[str]:
    """The strings by which the tenant's audit trail may point at the person."""
    ids = {str(user.public_id), user.email.lower()}
    ids |= {
        str(pid)
        for pid in ParticipantProfile.objects.filter(tenant=tenant, user=user).values_list(
            "public_id", flat=True
        )
    }
    ids |= {
        str(pid)
        for pid in Membership.objects.filter(tenant=tenant, user=user).values_list(
            "public_id", flat=True
        )
    }
    return ids


def _redact(value, identifiers: set[str]):
    if isinstance(value, dict):
        return {k: _redact(v, identifiers) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v, identifiers) for v in value]
    if isinstance(value, str):
        for identifier in identifiers:
            value = re.sub(re.escape(identifier), ERASED, value, flags=re.IGNORECASE)
        return value
    return value


def _audit_scrub(*, tenant: Tenant, user: User, identifiers: set[str]) -> int:
    """The tenant's audit trail keeps what was decided, not who it was about:
    the person's ids and address are replaced, their actor link cut."""
    matches = Q(actor=user) | Q(target_id__in=identifiers)
    for identifier in identifiers:
        matches |= Q(data_text__icontains=identifier) | Q(reason__icontains=identifier)
    entries = list(
        AuditEntry.objects.filter(tenant=tenant)
        .annotate(data_text=Cast("data", TextField()))
        .filter(matches)
    )
    for entry in entries:
        entry.actor = None if entry.actor_id == user.pk else entry.actor
        entry.target_id = ERASED if entry.target_id in identifiers else entry.target_id
        entry.reason = _redact(entry.reason, identifiers)
        entry.data = _redact(entry.data, identifiers)
        entry.save(update_fields=["actor", "target_id", "reason", "data"])
    return len(entries)


def _erase_in_tenant(*, user: User, tenant: Tenant, mode: str) -> None:
    """Call inside a transaction and the tenant's scope."""
    identifiers = _identifiers_of(user, tenant)
    for section in reversed(personal_data.sections(per_tenant=True)):
        section.erase(user=user, tenant=tenant, mode=mode)
    _audit_scrub(tenant=tenant, user=user, identifiers=identifiers)
    # The brand's own systems (CRM, warehouse) erase the person too.
    publish(
        tenant=tenant,
        event="participant.erased",
        data={"participant_id": user.public_id, "mode": mode},
    )


def participant_erase(
    *, tenant: Tenant, profile: ParticipantProfile, mode: str, actor: User
) -> None:
    """On the person's request, a tenant administrator erases what the tenant
    holds about them (their account elsewhere is untouched)."""
    _check_mode(mode)
    if role_of(actor, tenant) not in MANAGERS:
        raise NotAllowed(_("Only owners and administrators handle people's data requests."))
    with transaction.atomic():
        _erase_in_tenant(user=profile.user, tenant=tenant, mode=mode)
        audit_record(actor=actor, action="participant.erase", target=tenant, data={"mode": mode})
    selectors.forget_terms_cache(profile.user)


def account_delete(*, user: User, mode: str) -> None:
    """The person deletes their account: in every tenant their contributions are
    anonymised or removed (their choice) by each app's eraser, the audit trail
    loses their identity, then the account itself goes."""
    _check_mode(mode)
    tenants = selectors.tenants_of(user)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        for tenant in tenants:
            with scope(tenant=tenant):
                owns = Membership.objects.filter(
                    tenant=tenant, user=user, role=Membership.Role.OWNER
                ).exists()
                others = (
                    Membership.objects.filter(tenant=tenant, role=Membership.Role.OWNER)
                    .exclude(user=user)
                    .exists()
                )
            if owns and not others:
                raise PrivacyError(
                    _("You are the only owner of %(name)s: name another owner first.")
                    % {"name": tenant.name},
                    code="last_owner",
                )
        for tenant in tenants:
            with scope(tenant=tenant):
                _erase_in_tenant(user=user, tenant=tenant, mode=mode)
                audit_record(
                    actor=None, action="person.delete_account", target=tenant, data={"mode": mode}
                )
        for section in reversed(personal_data.sections(per_tenant=False)):
            section.erase(user=user, tenant=None, mode=mode)
        user.delete()
