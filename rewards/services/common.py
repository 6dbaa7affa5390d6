"""What every rewards service shares: the errors, moving a payout through its
states (Payout.TRANSITIONS), small helpers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.services import audit_record
from campaigns.money import format_money
from core.errors import DomainError, NotAllowed
from core.permissions import has_role
from rewards.models import (
    Payout,
)
from tenants.models import Tenant

REASON_MAX = 1000


MY_PAYOUTS_URL = "/me/payouts/"


CONSOLE_PAYOUTS_URL = "/console/payouts/"


class RewardsError(DomainError):
    code = "rewards_invalid"


class PayoutStateError(DomainError):
    code = "payout_state"
    status = 409


def _fail(fields: dict[str, list[str]], code: str = "rewards_invalid"):
    first = next(iter(fields.values()))[0]
    message = first if len(fields) == 1 else _("Some fields are not valid.")
    raise RewardsError(message, code=code, fields=fields)


def _check_manager(actor, tenant: Tenant) -> None:
    """Money moves on the word of the brand's owners and administrators only."""
    if not has_role(actor, tenant, Membership.Role.ADMIN):
        raise NotAllowed(_("Only the brand's owners and administrators handle payouts."))


def _clean_reason(reason, *, required: bool = True) -> str:
    text = str(reason or "").strip()
    if required and not text:
        message = _("Write the reason.")
        raise RewardsError(message, code="reason_required", fields={"reason": [message]})
    if len(text) > REASON_MAX:
        message = _("Keep the reason under %(n)s characters.") % {"n": REASON_MAX}
        raise RewardsError(message, fields={"reason": [message]})
    return text


def money_text(amount: Decimal, currency: str, user=None, tenant=None) -> str:
    language = getattr(user, "language", "") or getattr(tenant, "default_language", "") or "en"
    return format_money(amount, currency, language)


def _managers(tenant: Tenant) -> list:
    from django.contrib.auth import get_user_model

    ids = Membership.objects.filter(
        tenant=tenant, role__in=[Membership.Role.OWNER, Membership.Role.ADMIN]
    ).values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=list(ids)).order_by("pk"))


# --- The state machine ----------------------------------------------------------------


def payout_move(
    *,
    payout: Payout,
    to: str,
    actor=None,
    reason: str = "",
    data: dict | None = None,
    now: dt.datetime | None = None,
) -> Payout:
    """Move a payout to `to`, if `Payout.TRANSITIONS` allows it; on record.
    Call inside a transaction, holding the payout's row lock."""
    if not payout.can_move_to(to):
        raise PayoutStateError(
            _("A payout that is “%(state)s” cannot become “%(to)s”.")
            % {"state": Payout.State(payout.state).label, "to": Payout.State(to).label}
        )
    now = now or timezone.now()
    previous = payout.state
    payout.state = to
    fields = ["state", "updated_at"]
    stamps = {
        Payout.State.APPROVED: "approved_at",
        Payout.State.EXPORTED: "exported_at",
        Payout.State.PAID: "paid_at",
    }
    if to in stamps:
        setattr(payout, stamps[to], now)
        fields.append(stamps[to])
    if to == Payout.State.APPROVED:
        payout.approved_by = actor if getattr(actor, "is_authenticated", False) else None
        fields.append("approved_by")
    if to == Payout.State.FAILED or previous == Payout.State.FAILED:
        # The reason shows while it is failed; the batch line keeps it for good.
        payout.failure_reason = reason if to == Payout.State.FAILED else ""
        fields.append("failure_reason")
    payout.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=f"payout.{to}",
        target=payout,
        reason=reason,
        data={
            "from": previous,
            "amount": str(payout.amount),
            "currency": payout.currency,
            **(data or {}),
        },
    )
    return payout


def _lock_payouts(tenant: Tenant, ids) -> list[Payout]:
    return list(
        Payout.objects.select_for_update(of=("self",))
        .filter(tenant=tenant, pk__in=list(ids))
        .select_related("tenant", "award", "recipient")
        .order_by("pk")
    )
