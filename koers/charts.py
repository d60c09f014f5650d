"""Bar charts drawn on the server, for every page that draws one (the one home of charts).

This module works out the geometry (bars, ticks, labels) in the SVG's own units; a template
writes the elements (calendar/partials/_chart.html). The page needs no JavaScript and every
label is real text, readable by a screen reader and sharp when printed. Pure: no models.
The calendar's year overview (koers/calendar/charts.py) and the feedback results
(koers/feedback/results/charts.py) build their charts from these pieces.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import get_language

from koers import formatting


@dataclass(frozen=True)
class Series:
    label: str
    css: str
    values: Sequence[float]


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str


@dataclass(frozen=True)
class Bar:
    title: str  # the bar in words: the tooltip, and what a screen reader says
    rects: list[Rect]
    label: str = ""  # the value written above the bar, if any
    x: float = 0.0  # the middle of the bar
    y: float = 0.0  # its top

    @property
    def label_y(self) -> float:
        return self.y - 5


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass
class BarChart:
    key: str  # unique on the page: the ids of the title and description
    title: str
    desc: str
    y_label: str
    bars: list[Bar] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # label, css class
    width: int = 640
    height: int = 300
    left: int = 64
    right: int = 12
    top: int = 20
    bottom: int = 28

    @property
    def base(self) -> int:
        """The y of the x axis."""
        return self.height - self.bottom

    @property
    def end(self) -> int:
        """The x where the plot ends on the right."""
        return self.width - self.right

    @property
    def middle(self) -> float:
        return (self.top + self.base) / 2

    @property
    def y_tick_x(self) -> int:
        return self.left - 8

    @property
    def x_tick_y(self) -> int:
        return self.base + 18


def whole_number(value: int) -> str:
    return formatting.whole_number(value, get_language())


def decimal(value: float) -> str:
    return formatting.decimal(value, get_language())


def nice_ticks(highest: float, count: int = 5, least: float = 1) -> list[float]:
    """Round steps from 0 to at least `highest`: 0, 250, 500, ... rather than 0, 217, 434.
    No step is smaller than `least`: there is no half a contact."""
    if highest <= 0:
        return [0.0, least]
    rough = highest / count
    power = 10 ** math.floor(math.log10(rough))
    step = max(least, next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough))
    steps = math.ceil(highest / step - 1e-9)
    return [round(i * step, 6) for i in range(steps + 1)]


def number_label(value: float) -> str:
    return whole_number(round(value)) if float(value).is_integer() else decimal(value)


def stacked_bars(
    chart: BarChart,
    series: Sequence[Series],
    titles: Sequence[str],
    *,
    value_labels: bool = False,
    least: float = 1,
    label: Callable[[float], str] = number_label,
) -> BarChart:
    """Fill `chart` with one bar per title, each stacking the series' values bottom up."""
    count = len(titles)
    totals = [sum(s.values[i] for s in series) for i in range(count)]
    ticks = nice_ticks(max(totals, default=0), least=least)
    height, top_value = chart.base - chart.top, ticks[-1]
    slot = (chart.end - chart.left) / max(count, 1)
    width = slot * (0.7 if count <= 24 else 0.8)
    for index, title in enumerate(titles):
        x = chart.left + index * slot + (slot - width) / 2
        y = float(chart.base)
        rects = []
        for one in series:
            size = one.values[index] / top_value * height
            if size > 0:
                y -= size
                rects.append(
                    Rect(round(x, 2), round(y, 2), round(width, 2), round(size, 2), one.css)
                )
        shown = label(totals[index]) if value_labels and totals[index] else ""
        chart.bars.append(Bar(title, rects, shown, round(x + width / 2, 2), round(y, 2)))
    chart.y_ticks = [Tick(round(chart.base - t / top_value * height, 2), label(t)) for t in ticks]
    chart.legend = [(one.label, one.css) for one in series]
    return chart
