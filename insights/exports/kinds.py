"""The files the brand downloads: one `ExportKind` per file, each building a
`core.exports.Table` from its app's selector.

Rows are read with `.iterator(chunk_size=…)` from querysets joined as the rows
read them: an export runs the same queries for 10 rows or 100,000, and never
holds them all in memory. Headers and labels are in the active language (the
brand's, set by the caller); times on the active clock (the brand's).

Who may download: the brand's owners and administrators; payouts, whoever
may manage payouts (`rewards.manage_payouts`).
"""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import rules
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import selectors as account_selectors
from campaigns.pages import round_label
from core.exports import Table
from ideas import selectors as idea_selectors
from ideas.models import Comment, Idea
from insights import selectors, services
from rewards import selectors as reward_selectors
from rewards import splits
from rewards.models import Payout
from voting import selectors as vote_selectors
from voting.models import Vote

CHUNK = 2000


@dataclass(frozen=True)
class ExportKind:
    name: str
    label: Promise
    description: Promise
    build: Callable  # (tenant, campaign or None) -> (header, rows)
    permission: str = "insights.export"
    per_challenge: bool = True  # False: only for the whole brand

    def allowed(self, user, tenant) -> bool:
        return rules.has_perm(self.permission, user, tenant)


def _round(campaign, round_) -> str:
    return round_label(campaign, round_) if round_ is not None else ""


# --- Ideas, votes, comments ------------------------------------------------------------------


def _ideas(tenant, campaign):
    header = [
        _("Idea id"),
        _("Challenge"),
        _("Round"),
        _("Title"),
        _("Text"),
        _("Kind"),
        _("State"),
        _("Author"),
        _("Tags"),
        _("Votes"),
        _("Comments"),
        _("Submitted at"),
        _("Published at"),
    ]
    ideas = idea_selectors.ideas_for_export(tenant=tenant, campaign=campaign)

    def rows() -> Iterator[list]:
        for idea in ideas.iterator(chunk_size=CHUNK):
            yield [
                idea.public_id,
                idea.campaign.title,
                _round(idea.campaign, idea.round),
                idea.title,
                idea.body,
                Idea.Kind(idea.kind).label,
                Idea.State(idea.state).label,
                idea.author_name or _("Former participant"),
                ", ".join(idea.tags),
                idea.vote_count,
                idea.comment_count,
                idea.submitted_at,
                idea.published_at,
            ]

    return header, rows()


def _votes(tenant, campaign):
    header = [
        _("Vote id"),
        _("Idea id"),
        _("Idea"),
        _("Challenge"),
        _("Round"),
        _("Voter (pseudonymous id)"),
        _("Status"),
        _("Cast at"),
    ]
    key = services.pseudonym_key(tenant=tenant)
    votes = vote_selectors.votes_for_export(tenant=tenant, campaign=campaign)

    def rows() -> Iterator[list]:
        for vote in votes.iterator(chunk_size=CHUNK):
            yield [
                vote.public_id,
                vote.idea.public_id,
                vote.idea.title,
                vote.idea.campaign.title,
                _round(vote.idea.campaign, vote.round),
                services.pseudonym(key, vote.voter_id),
                Vote.Status(vote.status).label,
                vote.cast_at,
            ]

    return header, rows()


def _comments(tenant, campaign):
    header = [
        _("Comment id"),
        _("Idea id"),
        _("Idea"),
        _("Challenge"),
        _("Reply to"),
        _("Author"),
        _("Comment text"),
        _("State"),
        _("Written at"),
    ]
    comments = idea_selectors.comments_for_export(tenant=tenant, campaign=campaign)

    def rows() -> Iterator[list]:
        for comment in comments.iterator(chunk_size=CHUNK):
            yield [
                comment.public_id,
                comment.idea.public_id,
                comment.idea.title,
                comment.idea.campaign.title,
                comment.parent.public_id if comment.parent else "",
                comment.author_name or _("Former participant"),
                comment.body,
                Comment.State(comment.state).label,
                comment.created_at,
            ]

    return header, rows()


# --- People, awards, payouts ----------------------------------------------------------------


def _participants(tenant, campaign):
    """Only the people who agreed to hear from the brand (as the news contacts'
    file): the others' addresses are not the brand's to take away."""
    header = [_("E-mail"), _("Public name"), _("Language"), _("Agreed on"), _("Taking part since")]
    contacts = account_selectors.marketing_contacts(tenant=tenant)

    def rows() -> Iterator[list]:
        for profile in contacts.iterator(chunk_size=CHUNK):
            yield [
                profile.user.email,
                profile.display_name,
                profile.user.language,
                profile.marketing_opt_in_at,
                profile.created_at,
            ]

    return header, rows()


def _awards(tenant, campaign):
    header = [
        _("Award id"),
        _("Challenge"),
        _("Round"),
        _("Place"),
        _("Idea"),
        _("Prize"),
        _("Amount"),
        _("Currency"),
        _("Awarded at"),
    ]
    awards = reward_selectors.awards_for_export(tenant=tenant, campaign=campaign)

    def rows() -> Iterator[list]:
        for award in awards.iterator(chunk_size=CHUNK):
            yield [
                award.public_id,
                award.campaign.title,
                _round(award.campaign, award.round),
                award.rank,
                award.idea_title,
                award.label,
                award.amount,
                award.currency,
                award.created_at,
            ]

    return header, rows()


def _payouts(tenant, campaign):
    header = [
        _("Payout id"),
        _("Award id"),
        _("Challenge"),
        _("Round"),
        _("Idea"),
        _("Recipient"),
        _("Share (%)"),
        _("Amount"),
        _("Currency"),
        _("State"),
        _("Approved at"),
        _("Exported at"),
        _("Paid at"),
    ]
    payouts = reward_selectors.payouts_for_export(tenant=tenant, campaign=campaign)

    def rows() -> Iterator[list]:
        for payout in payouts.iterator(chunk_size=CHUNK):
            yield [
                payout.public_id,
                payout.award.public_id,
                payout.campaign.title,
                _round(payout.campaign, payout.award.round),
                payout.award.idea_title,
                payout.recipient_name,
                splits.percent(payout.share_bp),
                payout.amount,
                payout.currency,
                Payout.State(payout.state).label,
                payout.approved_at,
                payout.exported_at,
                payout.paid_at,
            ]

    return header, rows()


# --- The daily series (the dashboard's aggregate tables) ------------------------------------

SERIES_COLUMNS = [
    ("visitors", gettext_lazy("Visitors")),
    ("signups", gettext_lazy("Sign-ups")),
    ("consents", gettext_lazy("Terms accepted")),
    ("ideas", gettext_lazy("Ideas")),
    ("votes", gettext_lazy("Votes")),
    ("comments", gettext_lazy("Comments")),
    ("shares", gettext_lazy("Shares")),
    ("page_views", gettext_lazy("Page views")),
]


def _series_days(tenant, campaign) -> tuple[dt.date, dt.date]:
    """A challenge's days from its start to its end (or today, if sooner); the
    whole brand's from the day it opened to today."""
    today = services.local_day(tenant, timezone.now())
    if campaign is None:
        return services.local_day(tenant, tenant.created_at), today
    start = services.local_day(tenant, campaign.starts_at)
    end = services.local_day(tenant, campaign.ends_at - dt.timedelta(microseconds=1))
    return start, max(start, min(end, today))


def _daily_series(tenant, campaign):
    """One row a day (the tenant's days): each figure, then its running total
    since the first day. Two queries, whatever the number of days."""
    header = [
        _("Day"),
        *[str(label) for _name, label in SERIES_COLUMNS],
        *[_("%(figure)s, in all") % {"figure": label} for _name, label in SERIES_COLUMNS],
    ]
    start, end = _series_days(tenant, campaign)
    points = selectors.daily_series(campaign=campaign, tenant=tenant, start=start, end=end)
    rows = (
        [
            point["day"],
            *[point[name] for name, _label in SERIES_COLUMNS],
            *[point[f"cumulative_{name}"] for name, _label in SERIES_COLUMNS],
        ]
        for point in points
    )
    return header, rows


KINDS: dict[str, ExportKind] = {
    kind.name: kind
    for kind in [
        ExportKind(
            "ideas",
            gettext_lazy("Ideas"),
            gettext_lazy("Every idea past its draft: text, state, author, votes, comments."),
            _ideas,
        ),
        ExportKind(
            "votes",
            gettext_lazy("Votes"),
            gettext_lazy("Every vote, its status and time; voters by a pseudonymous id."),
            _votes,
        ),
        ExportKind(
            "comments",
            gettext_lazy("Comments"),
            gettext_lazy("Every comment, its idea, author and state."),
            _comments,
        ),
        ExportKind(
            "participants",
            gettext_lazy("Participants"),
            gettext_lazy("Only the people who agreed to hear from the brand."),
            _participants,
            per_challenge=False,
        ),
        ExportKind(
            "awards",
            gettext_lazy("Awards"),
            gettext_lazy("Every prize awarded: round, place, idea, amount."),
            _awards,
        ),
        ExportKind(
            "payouts",
            gettext_lazy("Payouts"),
            gettext_lazy("Every payout, its recipient, share and state (no bank details)."),
            _payouts,
            permission="rewards.manage_payouts",
        ),
        ExportKind(
            "daily",
            gettext_lazy("Daily series"),
            gettext_lazy(
                "One line a day: visitors, sign-ups, terms accepted, ideas, votes, comments,"
                " shares, page views, and their running totals."
            ),
            _daily_series,
        ),
    ]
}


def export_table(*, kind: ExportKind, tenant, campaign=None) -> Table:
    """The table of `kind` for the tenant (or one of its challenges), named
    `<brand>-<challenge or "all">-<kind>-<date>`."""
    header, rows = kind.build(tenant, campaign)
    scope_name = campaign.slug if campaign is not None else "all"
    today = timezone.localdate().isoformat()
    return Table(
        filename=slugify(f"{tenant.slug}-{scope_name}-{kind.name}-{today}"),
        header=header,
        rows=rows,
        sheet=str(kind.label),
    )


def kinds_for(user, tenant, *, per_challenge: bool) -> list[ExportKind]:
    """The files this person may download, for a challenge or the whole brand."""
    return [
        kind
        for kind in KINDS.values()
        if kind.allowed(user, tenant) and (kind.per_challenge or not per_challenge)
    ]
