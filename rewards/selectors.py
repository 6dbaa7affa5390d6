"""Reads on awards, payouts and points: the winners of a challenge (with their
shares), a person's payouts, the console's payouts and books, the leaderboard.

Every list runs a constant number of queries whatever its length: rows are
loaded with what their template reads (`select_related`), shares and names in
one query each.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from accounts.selectors import public_names
from campaigns import lifecycle
from campaigns.models import Campaign, Round
from campaigns.pages import round_label
from core.access import tenant_row_or_404
from ideas.models import Comment, Idea
from juries.models import ShortlistEntry
from rewards import splits
from rewards.models import Award, Payout, PayoutBatch, PayoutDetails, PayoutSettings

# --- Awarded ideas (voting's hook) ---------------------------------------------------------


def awarded_idea_ids(campaign) -> set[int]:
    """Ideas of the challenge that won a prize (one query)."""
    return set(
        Award.objects.filter(campaign_id=campaign.pk, idea__isnull=False).values_list(
            "idea_id", flat=True
        )
    )


# --- Winners ---------------------------------------------------------------------------------


@dataclass
class Share:
    name: str
    percent: Decimal
    amount: Decimal


@dataclass
class Winner:
    award: Award
    round_label: str
    shares: list[Share] = field(default_factory=list)


def _shown_awards(awards: QuerySet[Award]) -> QuerySet[Award]:
    """Winners are public once their round is announced."""
    return awards.filter(round__state=Round.State.ANNOUNCED)


def winners_by_campaign(campaigns) -> dict[int, list[Winner]]:
    """{campaign.pk: [Winner]} of announced rounds, best first within a round,
    rounds in order: three queries whatever the number of challenges."""
    campaigns = list(campaigns)
    by_pk = {c.pk: c for c in campaigns}
    if not by_pk:
        return {}
    awards = list(
        _shown_awards(Award.objects.filter(campaign_id__in=list(by_pk)))
        .select_related("round", "idea")
        .order_by("campaign_id", "round__index", "rank")
    )
    payouts = list(
        Payout.objects.filter(award__in=[a.pk for a in awards])
        .exclude(state=Payout.State.CANCELLED)
        .order_by("award_id", "-share_bp", "pk")
        .values("award_id", "recipient_id", "share_bp", "amount")
    )
    tenant = campaigns[0].tenant
    names = public_names(
        tenant=tenant, user_ids=[p["recipient_id"] for p in payouts if p["recipient_id"]]
    )
    shares: dict[int, list[Share]] = defaultdict(list)
    for p in payouts:
        name = names.get(p["recipient_id"]) if p["recipient_id"] else None
        shares[p["award_id"]].append(
            Share(
                name=name or str(_("Former participant")),
                percent=splits.percent(p["share_bp"]),
                amount=p["amount"],
            )
        )
    result: dict[int, list[Winner]] = defaultdict(list)
    for award in awards:
        campaign = by_pk[award.campaign_id]
        award.campaign = campaign
        result[award.campaign_id].append(
            Winner(
                award=award,
                round_label=round_label(campaign, award.round),
                shares=shares.get(award.pk, []),
            )
        )
    return dict(result)


def winners_of(campaign: Campaign) -> list[Winner]:
    return winners_by_campaign([campaign]).get(campaign.pk, [])


def awards_of_idea(idea: Idea) -> list[Winner]:
    """The prizes an idea won in announced rounds, with their shares."""
    campaign = idea.campaign
    return [w for w in winners_of(campaign) if w.award.idea_id == idea.pk]


# --- A person's payouts ----------------------------------------------------------------------


def my_payouts(*, tenant, user) -> list[Payout]:
    return list(
        Payout.objects.filter(tenant=tenant, recipient=user)
        .select_related("award", "award__round", "award__idea", "campaign")
        .order_by("-created_at", "-pk")
    )


def details_of(*, tenant, user) -> PayoutDetails | None:
    return PayoutDetails.objects.filter(tenant=tenant, user=user).first()


# --- The console -----------------------------------------------------------------------------

CONSOLE_FILTERS = ["ready", "awaiting_details", "approved", "exported", "failed", "paid", "all"]


def console_payouts(*, tenant, state: str = "ready", campaign: str = "", limit: int = 200):
    """The payouts for the brand's admins, with their award and challenge (one
    query), newest first; `state` is one of CONSOLE_FILTERS."""
    payouts = Payout.objects.filter(tenant=tenant)
    if state != "all":
        payouts = payouts.filter(state=state)
    if campaign:
        payouts = payouts.filter(campaign__slug=campaign)
    return list(
        payouts.select_related("award", "award__round", "campaign").order_by("-created_at", "-pk")[
            :limit
        ]
    )


def awards_for_export(*, tenant, campaign=None) -> QuerySet[Award]:
    """Every award, in the order they were made, with its round and challenge."""
    awards = Award.objects.filter(tenant=tenant)
    if campaign is not None:
        awards = awards.filter(campaign=campaign)
    return awards.select_related("campaign", "round").order_by("created_at", "rank", "pk")


def payouts_for_export(*, tenant, campaign=None) -> QuerySet[Payout]:
    """Every payout, in the order they were made, with its award and challenge
    (no bank details: they stay encrypted, in the bank file only)."""
    payouts = Payout.objects.filter(tenant=tenant)
    if campaign is not None:
        payouts = payouts.filter(campaign=campaign)
    return payouts.select_related("award", "award__round", "campaign").order_by("created_at", "pk")


def state_counts(*, tenant) -> dict[str, int]:
    return dict(
        Payout.objects.filter(tenant=tenant)
        .values("state")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("state", "n")
    )


def payouts_by_ids(*, tenant, public_ids) -> list[Payout]:
    return list(Payout.objects.filter(tenant=tenant, public_id__in=list(public_ids)))


def payout_for_console(request, public_id) -> Payout:
    return tenant_row_or_404(
        request, Payout.objects.select_related("award", "campaign", "tenant"), public_id=public_id
    )


def batches(*, tenant, limit: int = 50) -> list[PayoutBatch]:
    return list(
        PayoutBatch.objects.filter(tenant=tenant)
        .select_related("created_by")
        .order_by("-created_at", "-pk")[:limit]
    )


def batch_for_console(request, public_id) -> PayoutBatch:
    return tenant_row_or_404(
        request, PayoutBatch.objects.select_related("tenant"), public_id=public_id
    )


def batch_lines(batch: PayoutBatch) -> list:
    return list(batch.lines.select_related("payout", "payout__award").order_by("pk"))


def award_for_console(request, public_id) -> Award:
    return tenant_row_or_404(
        request,
        Award.objects.select_related("campaign", "round", "idea", "tenant"),
        public_id=public_id,
    )


def payout_settings(*, tenant) -> PayoutSettings | None:
    return PayoutSettings.objects.filter(tenant=tenant).first()


# --- The books --------------------------------------------------------------------------------


@dataclass
class Books:
    """A challenge's prize money, per currency: what was promised (every award)
    and where it stands. `promised == withdrawn + to_pay + approved + exported + paid`:
    the live payouts of an award add up to its amount (splits.split_amount),
    and an award without any live payout is withdrawn."""

    currency: str
    awards: int = 0
    promised: Decimal = Decimal("0")
    to_pay: Decimal = Decimal("0")  # awaiting details, ready, failed
    approved: Decimal = Decimal("0")
    exported: Decimal = Decimal("0")
    paid: Decimal = Decimal("0")
    withdrawn: Decimal = Decimal("0")

    @property
    def balanced(self) -> bool:
        return self.promised == (
            self.withdrawn + self.to_pay + self.approved + self.exported + self.paid
        )


def books_of(campaign: Campaign) -> list[Books]:
    """Three queries, whatever the number of awards and payouts."""
    books: dict[str, Books] = {}

    def of(currency):
        return books.setdefault(currency, Books(currency=currency))

    awarded = (
        Award.objects.filter(campaign=campaign)
        .values("currency")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by()
    )
    for row in awarded:
        entry = of(row["currency"])
        entry.awards, entry.promised = row["n"], row["total"]
    live = Payout.objects.filter(campaign=campaign).exclude(state=Payout.State.CANCELLED)
    for row in live.values("currency", "state").annotate(total=Sum("amount")).order_by():
        entry = of(row["currency"])
        if row["state"] in Payout.OPEN_STATES:
            entry.to_pay += row["total"]
        elif row["state"] == Payout.State.APPROVED:
            entry.approved += row["total"]
        elif row["state"] == Payout.State.EXPORTED:
            entry.exported += row["total"]
        elif row["state"] == Payout.State.PAID:
            entry.paid += row["total"]
    withdrawn = (
        Award.objects.filter(campaign=campaign)
        .exclude(pk__in=live.values("award_id"))
        .values("currency")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in withdrawn:
        of(row["currency"]).withdrawn += row["total"]
    return sorted(books.values(), key=lambda b: b.currency)


def awards_for_books(campaign: Campaign) -> list[Award]:
    """The challenge's awards with their payouts (two queries), by round and place."""
    return list(
        Award.objects.filter(campaign=campaign)
        .select_related("round")
        .prefetch_related("payouts")
        .order_by("round__index", "rank")
    )


def books_campaigns(*, tenant) -> list[Campaign]:
    return list(
        Campaign.objects.filter(tenant=tenant)
        .exclude(status=Campaign.Status.DRAFT)
        .order_by("-starts_at", "pk")
    )


# --- Points and the leaderboard ----------------------------------------------------------------

POINTS = {
    "idea": 10,  # a published idea
    "vote": 1,  # each counted vote its ideas received
    "shortlisted": 20,  # each time one of its ideas reached a jury
    "win": 50,  # each prize shared
    "comment": 2,  # a published comment on someone else's idea
}
LEADERBOARD_SECONDS = 60


@dataclass
class Contributor:
    user_id: int
    name: str = ""
    ideas: int = 0
    votes: int = 0
    shortlisted: int = 0
    wins: int = 0
    comments: int = 0
    rank: int = 0

    @property
    def points(self) -> int:
        return (
            POINTS["idea"] * self.ideas
            + POINTS["vote"] * self.votes
            + POINTS["shortlisted"] * self.shortlisted
            + POINTS["win"] * self.wins
            + POINTS["comment"] * self.comments
        )


def _contributions(tenant, campaign) -> dict[int, Contributor]:
    people: dict[int, Contributor] = {}

    def person(user_id) -> Contributor:
        return people.setdefault(user_id, Contributor(user_id=user_id))

    ideas = Idea.objects.filter(tenant=tenant, state=Idea.State.PUBLISHED, author__isnull=False)
    comments = Comment.objects.filter(
        tenant=tenant, state=Comment.State.PUBLISHED, author__isnull=False
    ).exclude(author=F("idea__author"))
    entries = ShortlistEntry.objects.filter(tenant=tenant, idea__author__isnull=False)
    wins = Payout.objects.filter(tenant=tenant, recipient__isnull=False).exclude(
        state=Payout.State.CANCELLED
    )
    if campaign is not None:
        ideas = ideas.filter(campaign=campaign)
        comments = comments.filter(idea__campaign=campaign)
        entries = entries.filter(idea__campaign=campaign)
        wins = wins.filter(campaign=campaign)
    # Votes received count only where the totals show: while a challenge hides
    # them (voting open), the leaderboard — public, cached, the same for all —
    # must not give them away, nor the ranking they make.
    hidden = _totals_hidden_campaigns(tenant, campaign)
    votes = Sum("vote_count", filter=~Q(campaign_id__in=hidden)) if hidden else Sum("vote_count")
    for row in ideas.values("author_id").annotate(n=Count("id"), votes=votes).order_by():
        entry = person(row["author_id"])
        entry.ideas, entry.votes = row["n"], row["votes"] or 0
    for row in entries.values("idea__author_id").annotate(n=Count("id")).order_by():
        person(row["idea__author_id"]).shortlisted = row["n"]
    for row in wins.values("recipient_id").annotate(n=Count("award", distinct=True)).order_by():
        person(row["recipient_id"]).wins = row["n"]
    for row in comments.values("author_id").annotate(n=Count("id")).order_by():
        person(row["author_id"]).comments = row["n"]
    return people


def _totals_hidden_campaigns(tenant, campaign: Campaign | None) -> list[int]:
    """Challenges that hide their vote totals now (one query, two when some
    may: their rounds say whether voting is open)."""
    candidates = Campaign.objects.filter(tenant=tenant, show_vote_counts=False).exclude(
        status__in=(Campaign.Status.DRAFT, Campaign.Status.ARCHIVED)
    )
    if campaign is not None:
        candidates = candidates.filter(pk=campaign.pk)
    return [c.pk for c in candidates.prefetch_related("rounds") if lifecycle.totals_hidden(c)]


def leaderboard(*, tenant, campaign: Campaign | None = None, limit: int = 20) -> list[Contributor]:
    """The most active contributors of a challenge (or of the whole tenant),
    most points first. Five queries whatever the number of ideas, votes and
    comments, and cached for a minute (pages show it at no cost)."""
    key = f"rewards:leaderboard:{tenant.pk}:{campaign.pk if campaign else 'all'}:{limit}"
    rows = cache.get(key)
    if rows is None:
        people = _contributions(tenant, campaign)
        ranked = sorted(people.values(), key=lambda c: (-c.points, c.user_id))[:limit]
        names = public_names(tenant=tenant, user_ids=[c.user_id for c in ranked]) if ranked else {}
        previous, rank = None, 0
        for position, contributor in enumerate(ranked, start=1):
            contributor.name = names.get(contributor.user_id, "")
            if contributor.points != previous:
                rank, previous = position, contributor.points
            contributor.rank = rank
        rows = [c for c in ranked if c.points > 0]
        cache.set(key, rows, LEADERBOARD_SECONDS)
    return rows


def points_of(*, tenant, user, campaign: Campaign | None = None) -> Contributor:
    people = _contributions(tenant, campaign)
    return people.get(user.pk, Contributor(user_id=user.pk))
