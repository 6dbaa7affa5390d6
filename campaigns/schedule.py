"""Round windows derived from a challenge's start, end and cadence.

Rounds are cut on the tenant's wall clock: a weekly challenge that starts on a
Monday at 00:00 in Madrid has every round start on a Monday at 00:00 in
Madrid, also across a daylight-saving change (so that round is 167 or 169
hours long). The last round is cut at the challenge's end. The grand round
covers the whole challenge and is judged after the last round.

Pure functions: no database, so the console's live preview uses them on
unsaved values.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

UTC = dt.UTC


@dataclass(frozen=True)
class Window:
    index: int
    kind: str  # "weekly" or "grand" (Round.Kind values)
    starts_at: dt.datetime
    ends_at: dt.datetime
    voting_ends_at: dt.datetime


def _wall_clock_plus(start: dt.datetime, tz: zoneinfo.ZoneInfo, days: int) -> dt.datetime:
    """`start` moved by `days` calendar days on the local wall clock, in UTC.

    A local time that does not exist (skipped by a spring-forward change) is
    read with the offset in force before the change, as zoneinfo does with
    fold=0; a repeated one (autumn) takes its first occurrence.
    """
    local = start.astimezone(tz).replace(tzinfo=None) + dt.timedelta(days=days)
    return local.replace(tzinfo=tz).astimezone(UTC)


def round_windows(
    *, starts_at: dt.datetime, ends_at: dt.datetime, round_days: int | None, time_zone: str
) -> list[Window]:
    """Every round of a challenge, in order; the grand round last.

    `round_days=None` means a single round: the grand round alone, which then
    also takes the submissions.
    """
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("round_windows needs aware datetimes")
    if ends_at <= starts_at:
        raise ValueError("a challenge ends after it starts")
    tz = zoneinfo.ZoneInfo(time_zone)
    starts_at = starts_at.astimezone(UTC)
    ends_at = ends_at.astimezone(UTC)

    windows: list[Window] = []
    if round_days:
        if round_days < 1:
            raise ValueError("a round lasts at least one day")
        index = 1
        start = starts_at
        while start < ends_at:
            end = min(_wall_clock_plus(starts_at, tz, index * round_days), ends_at)
            windows.append(Window(index, "weekly", start, end, end))
            start = end
            index += 1
    windows.append(Window(len(windows) + 1, "grand", starts_at, ends_at, ends_at))
    return windows


def round_end(*, starts_at: dt.datetime, round_days: int, time_zone: str, index: int = 1):
    """When round `index` of a challenge starting at `starts_at` ends, uncut."""
    return _wall_clock_plus(starts_at, zoneinfo.ZoneInfo(time_zone), index * round_days)


def round_count(*, starts_at, ends_at, round_days, time_zone) -> int:
    """How many rounds (not counting the grand round) the settings make."""
    windows = round_windows(
        starts_at=starts_at, ends_at=ends_at, round_days=round_days, time_zone=time_zone
    )
    return len(windows) - 1
