"""What every rewards service shares: the errors, moving a payout through its
states (Payout.TRANSITIONS), small helpers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.services import audit_record, audit_record_many
from campaigns.money import format_money
from core.errors import DomainError, NotAllowed
from core.permissions import has_role
from integrations.events import publish, subscribed
from notifications.services import notify
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


_STAMPS = {
    Payout.State.APPROVED: "approved_at",
    Payout.State.EXPORTED: "exported_at",
    Payout.State.PAID: "paid_at",
}


def _check_move(payout: Payout, to: str) -> None:
    if not payout.can_move_to(to):
        raise PayoutStateError(
            _("A payout that is “%(state)s” cannot become “%(to)s”.")
            % {"state": Payout.State(payout.state).label, "to": Payout.State(to).label}
        )


def _apply_move(payout: Payout, *, to: str, actor, reason: str, now: dt.datetime) -> list[str]:
    """Check the move against `Payout.TRANSITIONS` and make it on the instance;
    return the fields it changed (nothing is written here)."""
    _check_move(payout, to)
    previous = payout.state
    payout.state = to
    fields = ["state", "updated_at"]
    if to in _STAMPS:
        setattr(payout, _STAMPS[to], now)
        fields.append(_STAMPS[to])
    if to == Payout.State.APPROVED:
        payout.approved_by = actor if getattr(actor, "is_authenticated", False) else None
        fields.append("approved_by")
    if to == Payout.State.FAILED or previous == Payout.State.FAILED:
        # The reason shows while it is failed; the batch line keeps it for good.
        payout.failure_reason = reason if to == Payout.State.FAILED else ""
        fields.append("failure_reason")
    return fields


def _audit_data(payout: Payout, previous: str, data: dict | None) -> dict:
    return {
        "from": previous,
        "amount": str(payout.amount),
        "currency": payout.currency,
        **(data or {}),
    }


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
    now = now or timezone.now()
    previous = payout.state
    fields = _apply_move(payout, to=to, actor=actor, reason=reason, now=now)
    payout.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=f"payout.{to}",
        target=payout,
        reason=reason,
        data=_audit_data(payout, previous, data),
    )
    if to in (Payout.State.READY, Payout.State.APPROVED, Payout.State.PAID):
        publish_payout(payout)
    return payout


def publish_payout(payout: Payout) -> None:
    """payout.ready / .approved / .paid for the brand's webhooks and team chat
    (no bank details)."""
    award = payout.award
    publish(
        tenant=payout.tenant,
        event=f"payout.{payout.state}",
        data={
            "payout_id": payout.public_id,
            "award_id": award.public_id,
            "idea_id": award.idea.public_id if award.idea_id else None,
            "amount": payout.amount,
            "currency": payout.currency,
            "state": payout.state,
        },
    )


def payouts_move(
    *,
    tenant: Tenant,
    payouts: list[Payout],
    to: str,
    actor=None,
    reason: str = "",
    data: dict | None = None,
    now: dt.datetime | None = None,
) -> list[Payout]:
    """`payout_move` for many payouts of a tenant at once (a bank file's
    thousand): the same rules, the same audit entry per payout, written in a
    few statements whatever their number — one UPDATE per state they leave
    (each guarded by that state) and one INSERT of the audit entries. Any
    payout that may not move refuses the whole lot. Call inside a transaction,
    holding the payouts' row locks."""
    now = now or timezone.now()
    leaving: dict[str, list[Payout]] = {}
    for payout in payouts:
        _check_move(payout, to)  # all of them first: a refusal leaves every one as it was
        leaving.setdefault(payout.state, []).append(payout)
    entries = []
    for previous, group in leaving.items():
        for payout in group:
            fields = _apply_move(payout, to=to, actor=actor, reason=reason, now=now)
            entries.append((payout, _audit_data(payout, previous, data)))
        # Every payout of the group changed the same fields to the same values
        # (same target, moment, actor and reason): one UPDATE sets them all.
        sample = group[0]
        values = {f: getattr(sample, f) for f in fields if f != "updated_at"}
        values["updated_at"] = timezone.now()
        moved = Payout.objects.filter(
            tenant=tenant, pk__in=[p.pk for p in group], state=previous
        ).update(**values)
        if moved != len(group):  # a row changed under us: the lock was not held
            raise PayoutStateError(_("A payout changed meanwhile: try again."))
    audit_record_many(
        tenant=tenant, actor=actor, action=f"payout.{to}", entries=entries, reason=reason
    )
    # Webhooks: only for a brand that listens (one query otherwise, whatever the number).
    if to in (Payout.State.READY, Payout.State.APPROVED, Payout.State.PAID) and subscribed(
        tenant=tenant, event=f"payout.{to}"
    ):
        for payout in payouts:
            publish_payout(payout)
    return payouts


def _lock_payouts(tenant: Tenant, ids) -> list[Payout]:
    return list(
        Payout.objects.select_for_update(of=("self",))
        .filter(tenant=tenant, pk__in=list(ids))
        .select_related("tenant", "award", "recipient")
        .order_by("pk")
    )


def _tell_winner(payout: Payout, event: str, *, dedupe_key: str, **context) -> None:
    """Tell the payout's winner (unless erased) of `event`: the amount in their
    words, a link to their payouts, and `context`."""
    if payout.recipient is None:
        return
    notify(
        recipient=payout.recipient,
        event=event,
        tenant=payout.tenant,
        context={
            "amount": money_text(payout.amount, payout.currency, payout.recipient),
            **context,
            "url": MY_PAYOUTS_URL,
        },
        dedupe_key=dedupe_key,
    )
