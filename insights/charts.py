"""Charts drawn on the server as SVG: no script, no library, readable offline
and by every browser. Colours come from the stylesheet (the brand's --brand
and --accent), numbers are formatted in the page's language, and every chart
is shown with its figures as a table next to it (the templates do that).

Coordinates are written here with a dot as decimal separator, so the
templates never localise them ("12,5" is not an SVG number)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.utils import formats

from campaigns.money import format_number

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 30


TICKS = 4  # gridlines above zero


def nice_step(value: float) -> int:
    """The smallest whole 1, 2 or 5 x 10^k step such that TICKS steps reach
    `value`: the axis of counts reads 0, 1, 2, 3, 4 — never 1.25."""
    needed = max(value / TICKS, 1)
    magnitude = 10 ** math.floor(math.log10(needed))
    for step in (1, 2, 5, 10):
        if needed <= step * magnitude:
            return int(step * magnitude)
    return int(10 * magnitude)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass
class Series:
    label: str
    values: list[float]
    css: str = "series-1"  # the stylesheet's colour for it


@dataclass
class LineChart:
    """Daily values as lines, with vertical markers (round boundaries)."""

    days: list[dt.date]
    series: list[Series]
    markers: list[tuple[dt.date, str]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def height(self) -> int:
        return HEIGHT

    @property
    def top(self) -> int:
        largest = max((v for s in self.series for v in s.values), default=0)
        return nice_step(largest) * TICKS

    def _x(self, index: int) -> float:
        span = max(len(self.days) - 1, 1)
        return LEFT + (WIDTH - LEFT - RIGHT) * index / span

    def _y(self, value: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / self.top)

    @property
    def lines(self) -> list[dict]:
        drawn = []
        for s in self.series:
            points = " ".join(
                f"{_num(self._x(i))},{_num(self._y(v))}" for i, v in enumerate(s.values)
            )
            drawn.append({"label": s.label, "css": s.css, "points": points})
        return drawn

    @property
    def y_ticks(self) -> list[dict]:
        top = self.top
        return [
            {"y": _num(self._y(top * n / 4)), "label": format_number(top * n / 4)} for n in range(5)
        ]

    @property
    def x_ticks(self) -> list[dict]:
        """About six dates along the axis, the first and the last included."""
        count = len(self.days)
        if not count:
            return []
        step = max(1, math.ceil(count / 6))
        picked = list(range(0, count, step))
        if picked[-1] != count - 1 and count > 1:
            if count - 1 - picked[-1] < step / 2:
                picked.pop()
            picked.append(count - 1)
        return [
            {
                "x": _num(self._x(i)),
                "label": formats.date_format(self.days[i], "SHORT_DATE_FORMAT")
                if count > 62
                else formats.date_format(self.days[i], "j M"),
                "anchor": "start" if i == 0 else "end" if i == count - 1 else "middle",
            }
            for i in picked
        ]

    @property
    def marks(self) -> list[dict]:
        """Vertical lines at the markers' days that fall inside the chart."""
        index = {day: i for i, day in enumerate(self.days)}
        return [
            {"x": _num(self._x(index[day])), "label": label}
            for day, label in self.markers
            if day in index
        ]

    @property
    def rows(self) -> list[dict]:
        """The figures day by day, for the table beside the chart."""
        return [
            {"day": day, "values": [s.values[i] for s in self.series]}
            for i, day in enumerate(self.days)
        ]

    @property
    def axis(self) -> dict:
        return {
            "left": LEFT,
            "right": WIDTH - RIGHT,
            "top": TOP,
            "bottom": HEIGHT - BOTTOM,
            "label_y": HEIGHT - 10,
        }


def bar_length(value, largest) -> str:
    """A bar's length out of 100 (the viewBox of the templates' bars)."""
    if not largest or not value:
        return "0"
    return _num(max(0.5, 100 * float(value) / float(largest)))
