"""What a dashboard shows: one brand, or one of its challenges, over a period,
optionally narrowed to a round (and compared with another). Every selector of
the dashboard takes a `Selection`, so the filters are read and checked once."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.utils import timezone

from campaigns.models import Campaign, Round
from tenants.models import Tenant


@dataclass(frozen=True)
class Selection:
    tenant: Tenant
    start_day: dt.date  # first day shown, on the brand's clock
    end_day: dt.date  # last day shown (included)
    campaign: Campaign | None = None
    round: Round | None = None
    compare: Round | None = None
    rounds: tuple[Round, ...] = field(default=())  # the challenge's rounds, by index

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.tenant.time_zone)

    @property
    def start(self) -> dt.datetime:
        """The period's first instant (midnight of the first day, brand's clock)."""
        return dt.datetime.combine(self.start_day, dt.time.min, tzinfo=self.tz)

    @property
    def end(self) -> dt.datetime:
        """The instant just after the period (midnight after the last day)."""
        return dt.datetime.combine(self.end_day + dt.timedelta(days=1), dt.time.min, tzinfo=self.tz)

    @property
    def days(self) -> list[dt.date]:
        count = (self.end_day - self.start_day).days + 1
        return [self.start_day + dt.timedelta(days=n) for n in range(count)]


def local_day(moment: dt.datetime, tz=None) -> dt.date:
    return timezone.localtime(moment, tz).date()


def last_local_day(moment: dt.datetime, tz=None) -> dt.date:
    """The last day a period ending at `moment` (excluded) touches."""
    return timezone.localtime(moment - dt.timedelta(microseconds=1), tz).date()
