"""Awards: one per winner whose place has a prize, split into payouts among the
author and co-authors."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import public_names
from accounts.services import audit_record
from campaigns.models import Prize
from ideas.models import Coauthor, Idea
from rewards import splits
from rewards.models import (
    FULL_SHARE,
    Award,
    Payout,
    PayoutDetails,
)
from rewards.services.common import (
    RewardsError,
    _check_manager,
    _fail,
    payout_move,
    publish_payout,
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
        if _created and payout.state == Payout.State.READY:
            publish_payout(payout)  # the winner's details are known: to approve
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
            actor=actor,
            action="award.split",
            target=award,
            data={"shares": {str(u.public_id): bp for u, bp in shares}},
        )
    return payouts
