"""The rules of a challenge in plain words, generated from its settings.

    "Every Sunday at 23:59, the jury picks the best of the 10 most-voted ideas of
     the week and awards €500."

Works on saved challenges and on the console's unsaved preview alike: rounds
may be `Round` rows or `schedule.Window`s, prizes `Prize` rows or unsaved ones.
Sentences come out in the active language, times in the tenant's time zone.
"""

import datetime as dt
import zoneinfo

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.models import Campaign
from campaigns.money import format_money

ONE_MINUTE = dt.timedelta(minutes=1)


def deadline_local(moment: dt.datetime, time_zone: str) -> dt.datetime:
    """A deadline as people read it: a round ending at midnight ends "at 23:59"
    the day before (the round really runs until the last second of that minute)."""
    local = moment.astimezone(zoneinfo.ZoneInfo(time_zone))
    if local.hour == 0 and local.minute == 0:
        local -= ONE_MINUTE
    return local


def format_deadline(moment: dt.datetime, time_zone: str) -> str:
    local = deadline_local(moment, time_zone)
    return _("%(date)s at %(time)s") % {
        "date": formats.date_format(local, "DATE_FORMAT"),
        "time": formats.time_format(local, "H:i"),
    }


def join_or(parts: list[str]) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return _("%(list)s or %(last)s") % {"list": ", ".join(parts[:-1]), "last": parts[-1]}


def _duration(seconds: int) -> str:
    if seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}
    return ngettext("%(n)s second", "%(n)s seconds", seconds) % {"n": seconds}


def _prize(prizes, kind: str):
    candidates = [p for p in prizes if p.round_kind == kind]
    return min(candidates, key=lambda p: p.rank) if candidates else None


def round_sentence(campaign: Campaign, rounds, prizes, time_zone: str) -> str | None:
    weekly = [r for r in rounds if r.kind == "weekly"]
    if not weekly:
        return None
    prize = _prize(prizes, "weekly")
    award = (
        _("awards %(prize)s") % {"prize": format_money(prize.amount, prize.currency)}
        if prize
        else _("names the winner")
    )
    first_end = deadline_local(weekly[0].ends_at, time_zone)
    n = campaign.shortlist_size
    values = {
        "n": n,
        "award": award,
        "weekday": formats.date_format(first_end, "l"),
        "time": formats.time_format(first_end, "H:i"),
    }
    if campaign.round_days == 7:
        return (
            ngettext(
                "Every %(weekday)s at %(time)s, the jury confirms the most-voted idea "
                "of the week and %(award)s.",
                "Every %(weekday)s at %(time)s, the jury picks the best of the %(n)s "
                "most-voted ideas of the week and %(award)s.",
                n,
            )
            % values
        )
    days = campaign.round_days or 1
    values["every"] = ngettext("every day", "every %(days)s days", days) % {"days": days}
    values["date"] = format_deadline(weekly[0].ends_at, time_zone)
    return (
        ngettext(
            "At the end of each round (%(every)s, the first on %(date)s), the jury "
            "confirms the most-voted idea of the round and %(award)s.",
            "At the end of each round (%(every)s, the first on %(date)s), the jury "
            "picks the best of the %(n)s most-voted ideas of the round and %(award)s.",
            n,
        )
        % values
    )


def grand_sentence(campaign: Campaign, rounds, prizes, time_zone: str) -> str:
    prize = _prize(prizes, "grand")
    n = campaign.shortlist_size
    values = {
        "n": n,
        "date": format_deadline(campaign.ends_at, time_zone),
        "award": _("awards the grand prize of %(prize)s")
        % {"prize": format_money(prize.amount, prize.currency)}
        if prize
        else _("names the winner"),
    }
    return (
        ngettext(
            "When the challenge ends, on %(date)s, the jury confirms the most-voted idea "
            "of the whole challenge and %(award)s.",
            "When the challenge ends, on %(date)s, the jury picks the best of the %(n)s "
            "most-voted ideas of the whole challenge and %(award)s.",
            n,
        )
        % values
    )


def submission_sentence(campaign: Campaign) -> str | None:
    parts = []
    if campaign.allow_text:
        parts.append(
            ngettext(
                "a text of up to %(n)s character",
                "a text of up to %(n)s characters",
                campaign.text_max_chars,
            )
            % {"n": formats.number_format(campaign.text_max_chars, force_grouping=True)}
        )
    if campaign.allow_image:
        parts.append(_("an image (up to %(mb)s MB)") % {"mb": campaign.image_max_mb})
    if campaign.allow_video:
        parts.append(
            _("a video (up to %(mb)s MB and %(duration)s)")
            % {"mb": campaign.video_max_mb, "duration": _duration(campaign.video_max_seconds)}
        )
    if not parts:
        return None
    return _("Share your idea as %(kinds)s.") % {"kinds": join_or(parts)}


def votes_sentences(campaign: Campaign, rounds) -> list[str]:
    """The votes per person. A change made during a round applies from the next
    one: then the round under way says its own rule, and the next rounds theirs."""
    now = timezone.now()
    running = [
        r for r in rounds if hasattr(r, "votes_per_round") and r.starts_at <= now < r.voting_ends_at
    ]
    weekly = [r for r in running if r.kind == "weekly"]
    current = max(weekly or running, key=lambda r: r.index, default=None)
    if current is not None and current.votes_per_round != campaign.votes_per_round:
        if current.votes_per_round:
            now_sentence = ngettext(
                "You have %(n)s vote in this round.",
                "You have %(n)s votes in this round.",
                current.votes_per_round,
            ) % {"n": current.votes_per_round}
        else:
            now_sentence = _("In this round, vote for as many ideas as you like.")
        if campaign.votes_per_round:
            next_sentence = ngettext(
                "From the next round on: %(n)s vote per round.",
                "From the next round on: %(n)s votes per round.",
                campaign.votes_per_round,
            ) % {"n": campaign.votes_per_round}
        else:
            next_sentence = _("From the next round on: as many votes as you like.")
        return [now_sentence, next_sentence]
    if campaign.votes_per_round:
        return [
            ngettext(
                "You have %(n)s vote per round.",
                "You have %(n)s votes per round.",
                campaign.votes_per_round,
            )
            % {"n": campaign.votes_per_round}
        ]
    return [_("Vote for as many ideas as you like.")]


def challenge_rules(campaign: Campaign, *, rounds, prizes, time_zone: str) -> list[str]:
    """Every rule of the challenge, one sentence each, most important first."""
    rounds = sorted(rounds, key=lambda r: r.index)
    weekly = [r for r in rounds if r.kind == "weekly"]
    sentences = []

    if campaign.audience == Campaign.Audience.EMPLOYEES:
        sentences.append(_("This challenge is open to employees only."))
    elif campaign.audience == Campaign.Audience.INVITE_ONLY:
        sentences.append(_("This challenge is open to invited people only."))

    submission = submission_sentence(campaign)
    if submission:
        sentences.append(submission)

    if campaign.moderation == Campaign.Moderation.PRE:
        sentences.append(_("A moderator checks each idea before it appears."))
    else:
        sentences.append(
            _("Ideas appear at once; moderators remove anything that breaks the rules.")
        )

    sentences += votes_sentences(campaign, rounds)
    if campaign.voters == Campaign.Voters.CONTRIBUTORS:
        sentences.append(_("Only people who have submitted an idea can vote."))
    if campaign.self_vote_allowed:
        sentences.append(_("You may vote for your own ideas."))
    else:
        sentences.append(_("You cannot vote for your own ideas."))

    weekly_sentence = round_sentence(campaign, rounds, prizes, time_zone)
    if weekly_sentence:
        sentences.append(weekly_sentence)
        if len(weekly) > 1:
            full = weekly[0].ends_at - weekly[0].starts_at
            last = weekly[-1]
            if last.ends_at - last.starts_at < full - dt.timedelta(hours=2):
                sentences.append(
                    _("The last round is shorter: it ends with the challenge, on %(date)s.")
                    % {"date": format_deadline(last.ends_at, time_zone)}
                )
    sentences.append(grand_sentence(campaign, rounds, prizes, time_zone))
    if weekly and not campaign.weekly_winners_can_win_grand:
        sentences.append(_("Ideas that already won a round cannot win the grand prize."))

    split_rules = {p.split_rule for p in prizes}
    if "equal" in split_rules:
        sentences.append(_("When an idea has several authors, they share its prize equally."))
    elif "custom" in split_rules:
        sentences.append(
            _("When an idea has several authors, the brand sets each author's share of its prize.")
        )
    return sentences
