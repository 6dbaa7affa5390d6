"""Paying through the bank: the SEPA credit-transfer file, then the batch marked paid."""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record
from rewards import banking, providers
from rewards.models import (
    Payout,
    PayoutBatch,
    PayoutBatchLine,
    PayoutDetails,
    PayoutSettings,
)
from rewards.services.common import (
    PayoutStateError,
    RewardsError,
    _check_manager,
    _lock_payouts,
    _tell_winner,
    payouts_move,
)
from tenants.models import Tenant


def _execution_date(tenant: Tenant, now: dt.datetime) -> dt.date:
    """The next working day on the brand's clock: what banks accept."""
    day = now.astimezone(zoneinfo.ZoneInfo(tenant.time_zone)).date() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _reference(now: dt.datetime) -> str:
    return f"RUCHE-{now:%Y%m%d%H%M%S}-{secrets.token_hex(4).upper()}"


def batch_export(
    *, tenant: Tenant, actor, provider_key: str = providers.DEFAULT, now: dt.datetime | None = None
) -> PayoutBatch:
    """Put every approved payout the provider can pay into one batch file (a
    SEPA credit-transfer file checked against its schema) and mark them
    exported. Exporting again finds none of them: they are exported, each in
    one live batch line (the database refuses a second)."""
    _check_manager(actor, tenant)
    now = now or timezone.now()
    provider = providers.get(provider_key)
    with transaction.atomic():
        settings = PayoutSettings.objects.filter(tenant=tenant).first()
        if settings is None:
            raise RewardsError(
                _("Set the brand's paying account first (Payouts → Settings)."), code="no_debtor"
            )
        # Only what the file, the batch lines and the moves read: a thousand
        # payouts are a thousand model instances, each field costs.
        payouts = [
            p
            for p in Payout.objects.select_for_update(of=("self",))
            .filter(tenant=tenant, state=Payout.State.APPROVED, provider=provider.key)
            .only("public_id", "state", "amount", "currency", "recipient_id", "provider")
            .annotate(idea_title=F("award__idea_title"))
            .order_by("pk")
            if provider.supports(p.currency)
        ]
        if not payouts:
            raise RewardsError(
                _("Nothing to export: approve payouts first."), code="nothing_to_export"
            )
        details = {
            d.user_id: d
            for d in PayoutDetails.objects.filter(
                tenant=tenant, user_id__in=[p.recipient_id for p in payouts]
            )
        }
        missing = [p for p in payouts if p.recipient_id not in details]
        if missing:
            raise RewardsError(
                _("%(n)s approved payouts have no payment details any more.") % {"n": len(missing)},
                code="details_missing",
            )
        reference = _reference(now)
        # One decryption per person, not per payout (a person may win often).
        ibans = {user_id: banking.decrypt_iban(d.iban_encrypted) for user_id, d in details.items()}
        transfers = []
        for payout in payouts:
            account = details[payout.recipient_id]
            transfers.append(
                providers.Transfer(
                    end_to_end_id=payout.public_id.hex[:35],
                    amount=payout.amount,
                    currency=payout.currency,
                    creditor_name=account.holder_name,
                    iban=ibans[payout.recipient_id],
                    bic=account.bic,
                    description=f"{tenant.name} - {payout.idea_title}"[:140],
                )
            )
        try:
            batch_file = provider.export(
                debtor=providers.Debtor(
                    name=settings.debtor_name, iban=settings.debtor_iban, bic=settings.debtor_bic
                ),
                transfers=transfers,
                reference=reference,
                execution_date=_execution_date(tenant, now),
            )
        except providers.PayoutError as error:
            raise RewardsError(
                _("The bank file could not be made: %(error)s") % {"error": error.message},
                code=error.code,
            ) from error
        currencies = {p.currency for p in payouts}
        batch = PayoutBatch.objects.create(
            tenant=tenant,
            provider=provider.key,
            reference=reference,
            currency=currencies.pop() if len(currencies) == 1 else "EUR",
            total=batch_file.total,
            count=batch_file.count,
            file_encrypted=banking.encrypt_iban(batch_file.content.decode()),
            file_name=batch_file.file_name,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            created_at=now,
        )
        try:
            with transaction.atomic():
                PayoutBatchLine.objects.bulk_create(
                    PayoutBatchLine(
                        tenant=tenant,
                        batch=batch,
                        payout=payout,
                        amount=payout.amount,
                        end_to_end_id=transfer.end_to_end_id,
                    )
                    for payout, transfer in zip(payouts, transfers, strict=True)
                )
        except IntegrityError as error:  # a payout already in a live batch: never twice
            raise PayoutStateError(_("A payout is already in another batch.")) from error
        # Each payout's move is checked and on record, written in two statements.
        payouts_move(
            tenant=tenant,
            payouts=payouts,
            to=Payout.State.EXPORTED,
            actor=actor,
            data={"batch": str(batch.public_id)},
            now=now,
        )
        audit_record(
            tenant=tenant,
            actor=actor,
            action="payout.batch_export",
            target=batch,
            data={"reference": reference, "count": batch.count, "total": str(batch.total)},
        )
    return batch


def batch_file(batch: PayoutBatch) -> bytes:
    return banking.decrypt_iban(batch.file_encrypted).encode()


def _close_if_done(batch: PayoutBatch, now: dt.datetime) -> None:
    if not batch.lines.filter(outcome=PayoutBatchLine.Outcome.PENDING).exists():
        batch.state = PayoutBatch.State.CLOSED
        batch.closed_at = now
        batch.save(update_fields=["state", "closed_at"])


def batch_mark_paid(*, batch: PayoutBatch, actor, now: dt.datetime | None = None) -> PayoutBatch:
    """After the bank run: every payout of the batch still waiting for the bank
    is paid (the ones marked failed before stay failed). Twice changes nothing."""
    _check_manager(actor, batch.tenant)
    now = now or timezone.now()
    with transaction.atomic():
        batch = PayoutBatch.objects.select_for_update().select_related("tenant").get(pk=batch.pk)
        lines = list(
            PayoutBatchLine.objects.select_for_update()
            .filter(batch=batch, outcome=PayoutBatchLine.Outcome.PENDING)
            .order_by("pk")
        )
        paid = payouts_move(
            tenant=batch.tenant,
            payouts=_lock_payouts(batch.tenant, [line.payout_id for line in lines]),
            to=Payout.State.PAID,
            actor=actor,
            data={"batch": str(batch.public_id)},
            now=now,
        )
        PayoutBatchLine.objects.filter(pk__in=[line.pk for line in lines]).update(
            outcome=PayoutBatchLine.Outcome.PAID
        )
        if lines:
            audit_record(
                tenant=batch.tenant,
                actor=actor,
                action="payout.batch_paid",
                target=batch,
                data={"paid": len(lines)},
            )
        _close_if_done(batch, now)
        for payout in paid:
            _tell_winner(payout, "payout.paid", dedupe_key=f"payout.paid:{payout.public_id}")
    return batch
