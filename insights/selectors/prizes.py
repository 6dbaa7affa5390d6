"""Prize spend per currency: what the challenges promise (their prizes, each
round's times the number of rounds), what was awarded to winners, what the
brand approved for payment (approved, sent to the bank or paid) and what is paid."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Prize, Round
from insights.selection import Selection
from rewards.models import Award, Payout

APPROVED = (Payout.State.APPROVED, Payout.State.EXPORTED, Payout.State.PAID)
ZERO = Decimal("0")


@dataclass
class Spend:
    currency: str
    promised: Decimal = ZERO
    awarded: Decimal = ZERO
    approved: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def steps(self) -> list[tuple[str, Decimal]]:
        return [
            (_("Promised"), self.promised),
            (_("Awarded"), self.awarded),
            (_("Approved"), self.approved),
            (_("Paid"), self.paid),
        ]


def prize_spend(*, selection: Selection) -> list[Spend]:
    """Three queries. With a round chosen: that round's prizes, awards and payouts."""
    spend: dict[str, Spend] = {}

    def of(currency) -> Spend:
        return spend.setdefault(currency, Spend(currency=currency))

    prizes = Prize.objects.filter(tenant=selection.tenant).exclude(
        campaign__status=Campaign.Status.DRAFT
    )
    awards = Award.objects.filter(tenant=selection.tenant)
    payouts = Payout.objects.filter(tenant=selection.tenant, state__in=APPROVED)
    if selection.campaign is not None:
        prizes = prizes.filter(campaign=selection.campaign)
        awards = awards.filter(campaign=selection.campaign)
        payouts = payouts.filter(campaign=selection.campaign)
    if selection.round is not None:
        prizes = prizes.filter(round_kind=selection.round.kind).annotate(
            times=Value(1, IntegerField())
        )
        awards = awards.filter(round=selection.round)
        payouts = payouts.filter(award__round=selection.round)
    else:
        weekly_rounds = (
            Round.objects.filter(campaign=OuterRef("campaign"), kind=Round.Kind.WEEKLY)
            .values("campaign")
            .annotate(n=Count("id"))
            .values("n")
        )
        prizes = prizes.annotate(
            times=Case(
                When(round_kind=Round.Kind.WEEKLY, then=Coalesce(Subquery(weekly_rounds), 0)),
                default=1,
                output_field=IntegerField(),
            )
        )
    money = DecimalField(max_digits=14, decimal_places=2)
    for row in (
        prizes.values("currency")
        .annotate(total=Sum(F("amount") * F("times"), output_field=money))
        .order_by()
    ):
        of(row["currency"]).promised = row["total"] or ZERO
    for row in awards.values("currency").annotate(total=Sum("amount")).order_by():
        of(row["currency"]).awarded = row["total"] or ZERO
    for row in (
        payouts.values("currency")
        .annotate(
            approved=Sum("amount"),
            paid=Sum("amount", filter=Q(state=Payout.State.PAID)),
        )
        .order_by()
    ):
        entry = of(row["currency"])
        entry.approved, entry.paid = row["approved"] or ZERO, row["paid"] or ZERO
    return sorted(spend.values(), key=lambda s: s.currency)
