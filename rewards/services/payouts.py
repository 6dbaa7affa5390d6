"""Payouts: a winner's details, the brand's approval, cancellation and failures."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record
from notifications.services import notify
from rewards import banking
from rewards.models import (
    Payout,
    PayoutBatchLine,
    PayoutDetails,
    PayoutSettings,
)
from rewards.services.bank import _close_if_done
from rewards.services.common import (
    CONSOLE_PAYOUTS_URL,
    PayoutStateError,
    RewardsError,
    _check_manager,
    _clean_reason,
    _fail,
    _lock_payouts,
    _managers,
    _tell_winner,
    money_text,
    payout_move,
)
from tenants.models import Tenant

# --- The winner's payout details -----------------------------------------------------------


def payout_details_save(*, tenant: Tenant, user, holder_name: str, iban: str, bic: str = ""):
    """The person says where the brand pays them. Their payouts waiting for
    details, or failed at the bank, become ready for approval; an approved one
    goes back to ready when the account changes (the brand approves the new
    account). The IBAN is stored encrypted; the audit trail sees it masked."""
    account, errors = banking.clean_account(holder_name=holder_name, iban=iban, bic=bic)
    if errors:
        _fail(errors, code="payout_details_invalid")
    with transaction.atomic():
        details = PayoutDetails.objects.select_for_update().filter(tenant=tenant, user=user).first()
        changed = True
        if details is None:
            details = PayoutDetails(tenant=tenant, user=user)
        else:
            changed = (
                banking.decrypt_iban(details.iban_encrypted) != account.iban
                or details.holder_name != account.holder_name
                or details.bic != account.bic
            )
        details.holder_name = account.holder_name
        details.iban_encrypted = banking.encrypt_iban(account.iban)
        details.iban_country = account.country
        details.iban_last4 = account.iban[-4:]
        details.bic = account.bic
        details.save()
        audit_record(
            actor=user,
            action="payout.details_save",
            target=details,
            data={"iban": banking.mask_iban(account.iban), "bic": account.bic},
        )
        moving = [Payout.State.AWAITING_DETAILS, Payout.State.FAILED]
        if changed:
            moving.append(Payout.State.APPROVED)
        ids = Payout.objects.filter(tenant=tenant, recipient=user, state__in=moving).values_list(
            "pk", flat=True
        )
        ready = []
        for payout in _lock_payouts(tenant, ids):
            if payout.state in moving:
                payout_move(payout=payout, to=Payout.State.READY, actor=user)
                ready.append(payout)
        for payout in ready:
            _tell_managers_ready(payout)
    return details


def _tell_managers_ready(payout: Payout) -> None:
    attempt = payout.batch_lines.count()
    for manager in _managers(payout.tenant):
        notify(
            recipient=manager,
            event="payout.requested",
            tenant=payout.tenant,
            context={
                "winner_name": payout.recipient_name or str(_("Participant")),
                "amount": money_text(payout.amount, payout.currency, manager, payout.tenant),
                "idea_title": payout.award.idea_title,
                "url": CONSOLE_PAYOUTS_URL,
            },
            dedupe_key=f"payout.requested:{payout.public_id}:{attempt}",
        )


# --- The brand's side: settings, approval, export, the bank run -------------------------------


def payout_settings_save(
    *, tenant: Tenant, actor, debtor_name: str, debtor_iban: str, debtor_bic: str = ""
) -> PayoutSettings:
    """The brand's account the prizes are paid from (the SEPA file's debtor)."""
    _check_manager(actor, tenant)
    account, errors = banking.clean_account(
        holder_name=debtor_name, iban=debtor_iban, bic=debtor_bic
    )
    if errors:
        renamed = {
            {"holder_name": "debtor_name", "iban": "debtor_iban", "bic": "debtor_bic"}[k]: v
            for k, v in errors.items()
        }
        _fail(renamed)
    with transaction.atomic():
        settings, _created = PayoutSettings.objects.select_for_update().get_or_create(
            tenant=tenant,
            defaults={"debtor_name": account.holder_name, "debtor_iban": account.iban},
        )
        settings.debtor_name = account.holder_name
        settings.debtor_iban = account.iban
        settings.debtor_bic = account.bic
        settings.save()
        audit_record(
            actor=actor,
            action="payout.settings",
            target=tenant,
            data={"name": account.holder_name, "iban": banking.mask_iban(account.iban)},
        )
    return settings


def payouts_approve(*, tenant: Tenant, payouts, actor) -> list[Payout]:
    """Approve payouts that are ready (details entered). Approving twice changes
    nothing; a payout in another state is refused and nothing is approved."""
    _check_manager(actor, tenant)
    ids = [p.pk for p in payouts]
    if not ids:
        raise RewardsError(_("Choose the payouts to approve."), code="nothing_chosen")
    with transaction.atomic():
        locked = _lock_payouts(tenant, ids)
        if len(locked) != len(set(ids)):
            raise RewardsError(_("Some of these payouts do not exist."), code="not_found")
        refused = [p for p in locked if p.state not in (Payout.State.READY, Payout.State.APPROVED)]
        if refused:
            raise PayoutStateError(
                _("Only payouts ready for approval can be approved (%(n)s are not).")
                % {"n": len(refused)}
            )
        approved = []
        for payout in locked:
            if payout.state == Payout.State.APPROVED:
                continue
            payout_move(payout=payout, to=Payout.State.APPROVED, actor=actor)
            approved.append(payout)
            _tell_winner(
                payout,
                "payout.approved",
                dedupe_key=f"payout.approved:{payout.public_id}:{payout.batch_lines.count()}",
            )
    return approved


def payout_cancel(*, payout: Payout, actor, reason: str) -> Payout:
    """The brand will not pay this payout (the winner declined, broke the
    rules…), with the reason on record. Not once it is with the bank."""
    _check_manager(actor, payout.tenant)
    reason = _clean_reason(reason)
    with transaction.atomic():
        payout = _lock_payouts(payout.tenant, [payout.pk])[0]
        if payout.state == Payout.State.CANCELLED:
            return payout
        return payout_move(payout=payout, to=Payout.State.CANCELLED, actor=actor, reason=reason)


def payout_mark_failed(
    *, payout: Payout, actor, reason: str, now: dt.datetime | None = None
) -> Payout:
    """The bank returned this payout (a closed account, a wrong name…): it is
    failed with the reason, the winner is told, and it becomes ready again once
    they fix their details."""
    _check_manager(actor, payout.tenant)
    reason = _clean_reason(reason)
    now = now or timezone.now()
    with transaction.atomic():
        payout = _lock_payouts(payout.tenant, [payout.pk])[0]
        if payout.state == Payout.State.FAILED:
            return payout
        line = (
            PayoutBatchLine.objects.select_for_update()
            .filter(payout=payout, outcome=PayoutBatchLine.Outcome.PENDING)
            .select_related("batch")
            .first()
        )
        if line is None or payout.state != Payout.State.EXPORTED:
            raise PayoutStateError(_("Only a payout sent to the bank and not paid can fail."))
        line.outcome = PayoutBatchLine.Outcome.FAILED
        line.failure_reason = reason
        line.save(update_fields=["outcome", "failure_reason"])
        payout_move(
            payout=payout,
            to=Payout.State.FAILED,
            actor=actor,
            reason=reason,
            data={"batch": str(line.batch.public_id)},
            now=now,
        )
        _close_if_done(line.batch, now)
        _tell_winner(
            payout,
            "payout.failed",
            reason=reason,
            dedupe_key=f"payout.failed:{payout.public_id}:{line.pk}",
        )
    return payout


# --- People's data -------------------------------------------------------------------------------


def rewards_erase(*, user, tenant: Tenant) -> None:
    """People's data: the person's bank details go; paid (and exported) payouts
    stay in the books without their name or link to them; what was not paid
    yet is cancelled (nobody is left to pay). Runs inside the caller's
    transaction and the tenant's scope."""
    PayoutDetails.objects.filter(tenant=tenant, user=user).delete()
    ids = Payout.objects.filter(tenant=tenant, recipient=user).values_list("pk", flat=True)
    for payout in _lock_payouts(tenant, ids):
        if payout.state in (
            Payout.State.AWAITING_DETAILS,
            Payout.State.READY,
            Payout.State.APPROVED,
            Payout.State.FAILED,
        ):
            payout_move(payout=payout, to=Payout.State.CANCELLED, reason="personal data erased")
    Payout.objects.filter(tenant=tenant, recipient=user).update(recipient=None, recipient_name="")
