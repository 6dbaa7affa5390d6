"""The figures of a brand's weekly report, read from each app's selectors.

A week runs from Monday 00:00 to the next Monday 00:00 on the tenant's clock.
The figures are plain JSON (numbers, titles, relative links): they are stored
with the report and the notification, and the e-mail renders them in each
reader's language when it is sent.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.urls import reverse

from accounts import selectors as account_selectors
from ideas import selectors as idea_selectors
from juries import selectors as jury_selectors
from voting import selectors as vote_selectors

TOP_IDEAS = 5
# Monday, from this hour on the tenant's clock, the past week's report is due.
SEND_HOUR = 7


def last_week(now: dt.datetime, zone: ZoneInfo) -> tuple[dt.date, dt.datetime, dt.datetime]:
    """(its Monday, start, end) of the last complete week before `now`, in `zone`."""
    today = now.astimezone(zone).date()
    monday = today - dt.timedelta(days=today.weekday() + 7)
    start = dt.datetime.combine(monday, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(0), tzinfo=zone)
    return monday, start, end


def is_due(now: dt.datetime, zone: ZoneInfo) -> bool:
    """Monday morning (from SEND_HOUR) or later in the week: the last week's
    report may go (once: the caller claims the week)."""
    local = now.astimezone(zone)
    return not (local.weekday() == 0 and local.hour < SEND_HOUR)


def week_figures(*, tenant, start: dt.datetime, end: dt.datetime) -> dict:
    """What the brand's team reads on Monday: the week's counts, its most voted
    ideas, the jury's picks, and what waits for the moderators now."""
    counts = idea_selectors.period_counts(tenant=tenant, start=start, end=end)
    votes, top = vote_selectors.period_votes(tenant=tenant, start=start, end=end, top=TOP_IDEAS)
    picks = jury_selectors.decisions_between(tenant=tenant, start=start, end=end)
    return {
        "week_start": start.date().isoformat(),
        "week_end": (end - dt.timedelta(days=1)).date().isoformat(),
        "ideas": counts["ideas"],
        "votes": votes,
        "comments": counts["comments"],
        "participants": account_selectors.new_participants_count(
            tenant=tenant, start=start, end=end
        ),
        "top_ideas": [
            {
                "title": idea.title,
                "challenge": idea.campaign.title,
                "votes": idea.period_votes,
                "url": reverse("ideas:detail", kwargs={"public_id": idea.public_id}),
            }
            for idea in top
        ],
        "jury_picks": [
            {
                "challenge": decision.round.campaign.title,
                "round": decision.round.index,
                "grand": decision.round.kind == decision.round.Kind.GRAND,
                "weekly": decision.round.campaign.round_days == 7,
                "ideas": [winner.idea.title for winner in decision.winners.all()],
            }
            for decision in picks
        ],
        "queue": {
            "ideas": idea_selectors.waiting_count(tenant=tenant),
            "comments": counts["comments_waiting"],
            "votes": vote_selectors.waiting_count(tenant=tenant),
        },
        "url": reverse("console:home"),
    }
