"""Round windows on the tenant's wall clock, across daylight-saving changes."""

import datetime as dt
import itertools
import zoneinfo

import pytest

from campaigns.schedule import round_count, round_windows

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UTC = dt.UTC


def local(tz, *args):
    return dt.datetime(*args, tzinfo=tz)


def utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


def hours(window):
    return (window.ends_at - window.starts_at) / dt.timedelta(hours=1)


def test_weekly_rounds_across_spring_change_in_madrid_stay_at_local_midnight():
    # Spring forward on Sunday 31 March 2030 at 02:00 (CET → CEST).
    windows = round_windows(
        starts_at=local(MADRID, 2030, 3, 18),
        ends_at=local(MADRID, 2030, 4, 15),
        round_days=7,
        time_zone="Europe/Madrid",
    )
    weekly = [w for w in windows if w.kind == "weekly"]
    assert [w.ends_at for w in weekly] == [
        utc(2030, 3, 24, 23),  # Monday 25 March 00:00 CET
        utc(2030, 3, 31, 22),  # Monday 1 April 00:00 CEST
        utc(2030, 4, 7, 22),
        utc(2030, 4, 14, 22),
    ]
    assert [hours(w) for w in weekly] == [168, 167, 168, 168]
    for window in weekly:
        boundary = window.ends_at.astimezone(MADRID)
        assert (boundary.weekday(), boundary.hour, boundary.minute) == (0, 0, 0)


def test_weekly_rounds_across_autumn_change_in_madrid():
    # Fall back on Sunday 27 October 2030 at 03:00 (CEST → CET).
    windows = round_windows(
        starts_at=local(MADRID, 2030, 10, 14),
        ends_at=local(MADRID, 2030, 11, 4),
        round_days=7,
        time_zone="Europe/Madrid",
    )
    weekly = [w for w in windows if w.kind == "weekly"]
    assert [w.ends_at for w in weekly] == [
        utc(2030, 10, 20, 22),
        utc(2030, 10, 27, 23),  # Monday 28 October 00:00 CET
        utc(2030, 11, 3, 23),
    ]
    assert [hours(w) for w in weekly] == [168, 169, 168]


def test_rounds_in_paris_keep_their_evening_time_across_the_change():
    # A Sunday-evening cadence: every round ends on Sunday at 20:00, Paris time.
    windows = round_windows(
        starts_at=local(PARIS, 2030, 3, 17, 20),
        ends_at=local(PARIS, 2030, 4, 7, 20),
        round_days=7,
        time_zone="Europe/Paris",
    )
    ends = [w.ends_at.astimezone(PARIS) for w in windows if w.kind == "weekly"]
    assert [(e.month, e.day, e.hour) for e in ends] == [(3, 24, 20), (3, 31, 20), (4, 7, 20)]
    assert [e.utcoffset() for e in ends] == [
        dt.timedelta(hours=1),
        dt.timedelta(hours=2),
        dt.timedelta(hours=2),
    ]


def test_daily_rounds_through_the_skipped_hour_in_paris():
    # Rounds from 02:30, a time that does not exist on 31 March 2030 in Paris.
    windows = round_windows(
        starts_at=local(PARIS, 2030, 3, 29, 2, 30),
        ends_at=local(PARIS, 2030, 4, 2, 2, 30),
        round_days=1,
        time_zone="Europe/Paris",
    )
    weekly = [w for w in windows if w.kind == "weekly"]
    assert len(weekly) == 4
    # Contiguous, increasing, and back at 02:30 local once the change is past.
    for before, after in itertools.pairwise(weekly):
        assert before.ends_at == after.starts_at
        assert after.ends_at > after.starts_at
    assert [w.ends_at.astimezone(PARIS).strftime("%d %H:%M") for w in weekly] == [
        "30 02:30",
        "31 03:30",  # 02:30 does not exist that night: read as 02:30 CET = 03:30 CEST
        "01 02:30",
        "02 02:30",
    ]


def test_the_last_round_is_cut_at_the_end_and_the_grand_round_follows():
    windows = round_windows(
        starts_at=local(MADRID, 2030, 5, 6),
        ends_at=local(MADRID, 2030, 5, 26, 12),
        round_days=7,
        time_zone="Europe/Madrid",
    )
    assert [(w.index, w.kind) for w in windows] == [
        (1, "weekly"),
        (2, "weekly"),
        (3, "weekly"),
        (4, "grand"),
    ]
    last, grand = windows[2], windows[3]
    assert last.ends_at == local(MADRID, 2030, 5, 26, 12)
    assert hours(last) == 6 * 24 + 12
    assert (grand.starts_at, grand.ends_at) == (windows[0].starts_at, last.ends_at)
    assert grand.voting_ends_at == last.ends_at


def test_rounds_cover_the_challenge_without_gaps():
    windows = round_windows(
        starts_at=local(MADRID, 2030, 1, 7, 9),
        ends_at=local(MADRID, 2030, 12, 1),
        round_days=10,
        time_zone="Europe/Madrid",
    )
    weekly = [w for w in windows if w.kind == "weekly"]
    assert weekly[0].starts_at == local(MADRID, 2030, 1, 7, 9)
    assert all(a.ends_at == b.starts_at for a, b in itertools.pairwise(weekly))
    assert weekly[-1].ends_at == local(MADRID, 2030, 12, 1)
    assert all(w.voting_ends_at == w.ends_at for w in weekly)


def test_a_single_round_is_the_grand_round_alone():
    windows = round_windows(
        starts_at=local(MADRID, 2030, 5, 6),
        ends_at=local(MADRID, 2030, 6, 6),
        round_days=None,
        time_zone="Europe/Madrid",
    )
    assert [(w.index, w.kind) for w in windows] == [(1, "grand")]
    assert (
        round_count(
            starts_at=local(MADRID, 2030, 5, 6),
            ends_at=local(MADRID, 2030, 6, 6),
            round_days=None,
            time_zone="Europe/Madrid",
        )
        == 0
    )


@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [
        (dt.datetime(2030, 5, 6), local(MADRID, 2030, 6, 6)),  # noqa: DTZ001 - naive on purpose
        (local(MADRID, 2030, 6, 6), local(MADRID, 2030, 5, 6)),  # end before start
    ],
)
def test_bad_dates_are_refused(starts_at, ends_at):
    with pytest.raises(ValueError):
        round_windows(starts_at=starts_at, ends_at=ends_at, round_days=7, time_zone="Europe/Madrid")
