"""Every write on awards and payouts: splits, payout details, approval, the
bank export, the bank run's outcome, the brand's paying account.

Money rules, each enforced here and guarded by the database (models.py):

- a payout's state changes only through `payout_move`, which follows
  `Payout.TRANSITIONS` (declared once) and refuses anything else with a
  `PayoutStateError`; every change is on record (`audit_record`);
- payouts are locked (`select_for_update`) before they change, so two admins
  (or a double click) never approve, export or pay one twice; an exported
  payout is in one live batch line, and the database refuses a second one;
- services validate first and write afterwards, inside one transaction:
  bad input raises `RewardsError` with one message per field and nothing is
  half-written. Notifications go through `notify` (its e-mails leave after
  commit) with dedupe keys, so running a step again tells nobody twice.

The round cycle that creates awards and payouts lives in `cycle.py`; it uses
`award_ensure` below.
"""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.selectors import public_names
from accounts.services import audit_record
from campaigns.models import Prize
from campaigns.money import format_money
from core.errors import DomainError, NotAllowed
from core.permissions import has_role
from ideas.models import Coauthor, Idea
from notifications.services import notify
from rewards import banking, providers, splits
from rewards.models import (
    FULL_SHARE,
    Award,
    Payout,
    PayoutBatch,
    PayoutBatchLine,
    PayoutDetails,
    PayoutSettings,
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
        tenant=payout.tenant,
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


# --- Awards and splits ------------------------------------------------------------------


def _contributors(idea: Idea) -> list:
    """The idea's author, then its accepted co-authors by the date they joined."""
    from django.contrib.auth import get_user_model

    people = []
    if idea.author_id:
        people.append(idea.author_id)
    people += [
        uid
        for uid in Coauthor.objects.filter(
            idea=idea, status=Coauthor.Status.ACCEPTED, user__isnull=False
        )
        .order_by("accepted_at", "pk")
        .values_list("user_id", flat=True)
        if uid not in people
    ]
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=people)}
    return [users[uid] for uid in people if uid in users]


def contributors_of(award: Award) -> list:
    """Who may share the award: its idea's author and accepted co-authors."""
    return _contributors(award.idea) if award.idea_id else []


def default_split(award: Award, idea: Idea | None) -> list[tuple]:
    """[(user, basis points)] for a new award: everything to the author, or equal
    shares between author and co-authors when the prize says so. A prize the
    brand splits itself starts with the author (the brand sets the shares)."""
    if idea is None:
        return []
    people = _contributors(idea)
    if not people:
        return []
    if award.split_rule == Prize.SplitRule.EQUAL and len(people) > 1:
        return list(zip(people, splits.equal_shares(len(people)), strict=True))
    author = people[0] if idea.author_id else None
    return [(author, FULL_SHARE)] if author is not None else []


def _payout_key(award: Award, user, attempt: int) -> str:
    return f"{award.public_id}:{user.public_id}:{attempt}"


def _write_split(award: Award, shares: list[tuple], *, now: dt.datetime) -> list[Payout]:
    """Create or update the award's live payouts to match `shares`; payouts of
    people no longer in the split are cancelled. Call holding the award's lock,
    with no payout of the award approved or further on."""
    amounts = splits.split_amount(award.amount, [bp for _user, bp in shares]) if shares else []
    live = {
        p.recipient_id: p
        for p in Payout.objects.select_for_update()
        .filter(award=award)
        .exclude(state=Payout.State.CANCELLED)
    }
    names = public_names(tenant=award.tenant, user_ids=[u.pk for u, _bp in shares])
    details = set(
        PayoutDetails.objects.filter(
            tenant=award.tenant, user_id__in=[u.pk for u, _bp in shares]
        ).values_list("user_id", flat=True)
    )

    def state_for(user) -> str:
        return Payout.State.READY if user.pk in details else Payout.State.AWAITING_DETAILS

    kept = []
    for (user, share_bp), amount in zip(shares, amounts, strict=True):
        payout = live.pop(user.pk, None)
        if payout is not None:
            if (payout.share_bp, payout.amount) != (share_bp, amount):
                payout.share_bp, payout.amount = share_bp, amount
                payout.save(update_fields=["share_bp", "amount", "updated_at"])
            kept.append(payout)
            continue
        attempt = Payout.objects.filter(award=award, recipient=user).count() + 1
        payout, _created = Payout.objects.get_or_create(
            tenant=award.tenant,
            idempotency_key=_payout_key(award, user, attempt),
            defaults={
                "award": award,
                "campaign_id": award.campaign_id,
                "recipient": user,
                "recipient_name": names.get(user.pk, ""),
                "share_bp": share_bp,
                "amount": amount,
                "currency": award.currency,
                "state": state_for(user),
                "created_at": now,
            },
        )
        kept.append(payout)
    for payout in live.values():
        payout_move(payout=payout, to=Payout.State.CANCELLED, reason="split changed", now=now)
    return kept


def award_ensure(*, round, prize: Prize, idea: Idea, rank: int, now: dt.datetime) -> Award:
    """The award of `prize` in `round` to `idea`, with its payouts: created the
    first time, returned as it is afterwards (get_or_create against the unique
    constraint on round and place), so the round cycle may run it twice or on
    two workers at once. Call inside a transaction."""
    award, created = Award.objects.get_or_create(
        tenant_id=round.tenant_id,
        round=round,
        rank=rank,
        defaults={
            "campaign_id": round.campaign_id,
            "prize": prize,
            "idea": idea,
            "idea_title": idea.title,
            "label": prize.label,
            "amount": prize.amount,
            "currency": prize.currency,
            "split_rule": prize.split_rule,
            "created_at": now,
        },
    )
    if created:
        shares = default_split(award, idea)
        _write_split(award, shares, now=now)
        audit_record(
            tenant=award.tenant,
            actor=None,
            action="award.create",
            target=award,
            data={
                "round": str(round.public_id),
                "idea": str(idea.public_id),
                "amount": str(award.amount),
                "currency": award.currency,
                "shares": {str(u.public_id): bp for u, bp in shares},
            },
        )
    elif not Payout.objects.filter(award=award).exists():
        # Created by a run that stopped before its payouts: finish it.
        _write_split(award, default_split(award, idea), now=now)
    return award


def award_split_set(*, award: Award, shares: list[tuple], actor) -> list[Payout]:
    """The brand shares a prize between the idea's author and co-authors (the
    Quirky model): [(user, basis points)], adding up to 10,000. Allowed until
    one of the award's payouts is approved; on record."""
    _check_manager(actor, award.tenant)
    errors: dict[str, list[str]] = {}
    if not shares:
        errors["shares"] = [_("Give the prize to at least one person.")]
    elif any(bp <= 0 for _user, bp in shares):
        errors["shares"] = [_("Give each person a share above zero, or leave them out.")]
    elif sum(bp for _user, bp in shares) != FULL_SHARE:
        errors["shares"] = [
            _("The shares must add up to 100%% (they add up to %(total)s%%).")
            % {"total": splits.percent(sum(bp for _user, bp in shares))}
        ]
    elif len({u.pk for u, _bp in shares}) != len(shares):
        errors["shares"] = [_("List each person once.")]
    if errors:
        _fail(errors)
    with transaction.atomic():
        award = (
            Award.objects.select_for_update(of=("self",))
            .select_related("tenant", "idea")
            .get(pk=award.pk)
        )
        allowed = {u.pk for u in _contributors(award.idea)} if award.idea else set()
        if any(u.pk not in allowed for u, _bp in shares):
            _fail({"shares": [_("Only the idea's author and co-authors can share the prize.")]})
        amounts = splits.split_amount(award.amount, [bp for _u, bp in shares])
        if any(a <= 0 for a in amounts):
            _fail({"shares": [_("A share is too small for this prize (less than a cent).")]})
        if (
            Payout.objects.filter(award=award)
            .exclude(
                state__in=[
                    Payout.State.AWAITING_DETAILS,
                    Payout.State.READY,
                    Payout.State.CANCELLED,
                ]
            )
            .exists()
        ):
            raise RewardsError(
                _("This prize's payouts are approved: its split can no longer change."),
                code="split_locked",
            )
        payouts = _write_split(award, shares, now=timezone.now())
        audit_record(
            tenant=award.tenant,
            actor=actor,
            action="award.split",
            target=award,
            data={"shares": {str(u.public_id): bp for u, bp in shares}},
        )
    return payouts


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
            tenant=tenant,
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
            tenant=tenant,
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
            if payout.recipient is not None:
                notify(
                    recipient=payout.recipient,
                    event="payout.approved",
                    tenant=tenant,
                    context={
                        "amount": money_text(payout.amount, payout.currency, payout.recipient),
                        "url": MY_PAYOUTS_URL,
                    },
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
        payouts = [
            p
            for p in Payout.objects.select_for_update(of=("self",))
            .filter(tenant=tenant, state=Payout.State.APPROVED, provider=provider.key)
            .select_related("tenant", "award", "recipient")
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
        transfers = []
        for payout in payouts:
            account = details[payout.recipient_id]
            transfers.append(
                providers.Transfer(
                    end_to_end_id=payout.public_id.hex[:35],
                    amount=payout.amount,
                    currency=payout.currency,
                    creditor_name=account.holder_name,
                    iban=banking.decrypt_iban(account.iban_encrypted),
                    bic=account.bic,
                    description=f"{tenant.name} - {payout.award.idea_title}"[:140],
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
        for payout in payouts:
            payout_move(
                payout=payout,
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
        paid = []
        for payout in _lock_payouts(batch.tenant, [line.payout_id for line in lines]):
            payout_move(
                payout=payout,
                to=Payout.State.PAID,
                actor=actor,
                data={"batch": str(batch.public_id)},
                now=now,
            )
            paid.append(payout)
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
            if payout.recipient is not None:
                notify(
                    recipient=payout.recipient,
                    event="payout.paid",
                    tenant=batch.tenant,
                    context={
                        "amount": money_text(payout.amount, payout.currency, payout.recipient),
                        "url": MY_PAYOUTS_URL,
                    },
                    dedupe_key=f"payout.paid:{payout.public_id}",
                )
    return batch


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
        if payout.recipient is not None:
            notify(
                recipient=payout.recipient,
                event="payout.failed",
                tenant=payout.tenant,
                context={
                    "amount": money_text(payout.amount, payout.currency, payout.recipient),
                    "reason": reason,
                    "url": MY_PAYOUTS_URL,
                },
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
