"""The geometry of a bar chart of posts per day, for a template to draw as inline SVG:
coordinates in the SVG's own units (its viewBox), which CSS scales to the page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT = 480, 220
LEFT, RIGHT, TOP, BOTTOM = 34, 22, 10, 28  # room for the axis labels
BAR_SHARE = 0.7  # of each day's slot; the rest is the gap between bars
MAX_TICKS = 4
LABEL_EVERY = 7  # days between two date labels under the axis, counted back from today


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str  # "3 posts on 12 Nov"


@dataclass(frozen=True)
class Tick:
    """A value on the vertical axis and its height."""

    y: float
    label: str


@dataclass(frozen=True)
class DayLabel:
    """A date under the horizontal axis, centred on its day."""

    x: float
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    right: float  # x of the plot's right edge
    baseline: float  # y of the horizontal axis
    bars: list[Bar]
    ticks: list[Tick]
    day_labels: list[DayLabel]


def day_label(day: date) -> str:
    """ "12 Nov" """
    return f"{day.day} {day:%b}"


def bar_title(posts: int, day: date) -> str:
    return f"{posts} post{'' if posts == 1 else 's'} on {day_label(day)}"


def axis_step(peak: int) -> int:
    """The smallest round step (1, 2, 5, 10, 20, 50...) that reaches `peak` in at most
    MAX_TICKS steps."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if step * MAX_TICKS >= peak:
                return step
        magnitude *= 10


def bar_chart(counts: list[tuple[date, int]]) -> BarChart:
    """A bar per day that has posts (a day without posts has no bar: the data table lists
    it), the vertical axis's ticks from 0 to a round top, and a date label every
    LABEL_EVERY days ending with the last."""
    baseline = HEIGHT - BOTTOM
    plot_height = baseline - TOP
    slot = (WIDTH - LEFT - RIGHT) / max(len(counts), 1)
    peak = max((posts for _, posts in counts), default=0)
    step = axis_step(peak)
    top = step * max(1, -(-peak // step))  # the peak rounded up to a whole step

    def y_of(value: int) -> float:
        return round(baseline - plot_height * value / top, 1)

    bars = [
        Bar(
            x=round(LEFT + slot * n + slot * (1 - BAR_SHARE) / 2, 1),
            y=y_of(posts),
            width=round(slot * BAR_SHARE, 1),
            height=round(baseline - y_of(posts), 1),
            title=bar_title(posts, day),
        )
        for n, (day, posts) in enumerate(counts)
        if posts > 0
    ]
    ticks = [Tick(y_of(value), str(value)) for value in range(0, top + 1, step)]
    labelled = range(len(counts) - 1, -1, -LABEL_EVERY)
    day_labels = [
        DayLabel(round(LEFT + slot * (n + 0.5), 1), day_label(counts[n][0]))
        for n in sorted(labelled)
    ]
    return BarChart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, baseline, bars, ticks, day_labels)
