"""What the feedback results pages show (pure): figures in words, interval bars, the trend.

Every figure goes out with its n and its 95% interval, in Dutch notation (+9,5 tot +39,1).
The charts are drawn on the server, as the year overview of the appreciation calendar draws
its bars (koers/charts.py, whose layout and ticks this module builds on): here the
geometry is worked out in the SVG's own units, and the templates only write the elements.
No JavaScript, and every label is real text for a screen reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from koers import formatting
from koers.calendar.checks import MONTHS_NL
from koers.calendar.overview import MONTHS_SHORT
from koers.charts import BarChart, Tick
from koers.feedback.stats import NpsResult, Rate, band, not_enough_text
from koers.touchpoints.choices import Channel

Result = NpsResult | Rate
MINUS = "\u2212"  # a real minus sign: as wide as the plus, and read out as "min"
UNKNOWN_CHANNEL = "onbekend"
# The scale every figure of one kind is drawn on, so bars and points can be compared:
# NPS runs from -100 to +100 points, a share of thumbs up from 0 to 100 percent.
NPS_SCALE = (-100.0, 100.0)
RATE_SCALE = (0.0, 100.0)
BAR_WIDTH, BAR_HEIGHT, BAR_PAD = 320, 22, 10
KIND_SHORT = {"nps": "NPS", "thumbs": gettext_lazy("duim"), "survey": gettext_lazy("vragenlijst")}
SCOPE_SHORT = {
    "relational": gettext_lazy("de relatie"),
    "transactional": gettext_lazy("één contactmoment"),
}
BAND_NL = {
    "promoter": gettext_lazy("promoter"),
    "passive": gettext_lazy("passief"),
    "detractor": gettext_lazy("criticaster"),
}


def whole_number(value: int) -> str:
    return formatting.whole_number(value, get_language())


def _rounded(value: float, decimals: int) -> Decimal:
    # Half away from zero, as people round: NPS 12,5 shows as +13, not the +12 of round().
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def signed(value: float, decimals: int = 0) -> str:
    """NPS points with their sign: +25, 0, and below zero the minus sign; +9,5."""
    number = _rounded(value, decimals)
    # A decimal comma in Dutch, a point in English.
    point = "." if (get_language() or "nl").startswith("en") else ","
    if number == 0:
        return f"{abs(number)}".replace(".", point)
    sign = "+" if number > 0 else MINUS
    return f"{sign}{abs(number)}".replace(".", point)


def percent(share: float) -> str:
    """A share from 0 to 1 as a whole percentage: 0.45 becomes 45%."""
    return f"{_rounded(share * 100, 0)}%"


def numbers(result: Result) -> tuple[float | None, float | None, float | None]:
    """The figure, its low and its high on the drawing scale (points, or percent)."""
    if isinstance(result, Rate):
        if result.rate is None or result.low is None or result.high is None:
            return None, None, None
        return result.rate * 100, result.low * 100, result.high * 100
    return result.score, result.low, result.high


def value_text(result: Result) -> str:
    figure, _low, _high = numbers(result)
    if figure is None:
        return ""
    return percent(figure / 100) if isinstance(result, Rate) else signed(figure)


def interval_text(result: Result) -> str:
    """ "+9,5 tot +39,1" for NPS, "61% tot 82%" for thumbs; "" without answers."""
    _figure, low, high = numbers(result)
    if low is None or high is None:
        return ""
    if isinstance(result, Rate):
        return _("%(low)s tot %(high)s") % {"low": percent(low / 100), "high": percent(high / 100)}
    return _("%(low)s tot %(high)s") % {"low": signed(low, 1), "high": signed(high, 1)}


def describe(result: Result) -> str:
    """The figure in one line, as a tooltip or a chart's description says it."""
    n = f"n = {whole_number(result.n)}"
    if not result.n:
        return _("geen antwoorden")
    if not result.enough:
        return _("%(n)s, te weinig antwoorden (minimaal %(minimum)s)") % {
            "n": n,
            "minimum": whole_number(result.minimum),
        }
    what = (
        _("%(value)s duim omhoog") % {"value": value_text(result)}
        if isinstance(result, Rate)
        else (f"NPS {value_text(result)}")
    )
    return f"{what} (95%: {interval_text(result)}), {n}"


def too_few_text(result: Result) -> str:
    """The list's words below the minimum: "nog niet genoeg antwoorden (12 van de minimaal 30)"."""
    if not result.n:
        return _("nog geen antwoorden")
    return _("nog niet genoeg antwoorden (%(n)s van de minimaal %(minimum)s)") % {
        "n": whole_number(result.n),
        "minimum": whole_number(result.minimum),
    }


@dataclass(frozen=True)
class IntervalBar:
    """A row's interval as a horizontal bar on the kind's fixed scale, with its point."""

    low: float
    high: float
    point: float
    zero: float
    title: str
    width: int = BAR_WIDTH
    height: int = BAR_HEIGHT

    @property
    def middle(self) -> float:
        return self.height / 2

    @property
    def span(self) -> float:
        return max(self.high - self.low, 1.0)


def _scale(result: Result) -> tuple[float, float]:
    return RATE_SCALE if isinstance(result, Rate) else NPS_SCALE


def _bar_x(value: float, scale: tuple[float, float]) -> float:
    bottom, top = scale
    return round(BAR_PAD + (value - bottom) / (top - bottom) * (BAR_WIDTH - 2 * BAR_PAD), 2)


def interval_bar(result: Result, label: str) -> IntervalBar | None:
    figure, low, high = numbers(result)
    if figure is None or low is None or high is None:
        return None
    scale = _scale(result)
    return IntervalBar(
        low=_bar_x(low, scale),
        high=_bar_x(high, scale),
        point=_bar_x(figure, scale),
        zero=_bar_x(max(scale[0], 0.0), scale),
        title=f"{label}: {describe(result)}",
    )


def bar_scale(rate: bool) -> list[Tick]:
    """The ticks above the bars' column: -100 to +100 points, or 0% to 100%."""
    if rate:
        return [Tick(_bar_x(v, RATE_SCALE), f"{v:.0f}%") for v in (0.0, 25.0, 50.0, 75.0, 100.0)]
    return [Tick(_bar_x(v, NPS_SCALE), signed(v)) for v in (-100.0, -50.0, 0.0, 50.0, 100.0)]


@dataclass(frozen=True)
class Shown:
    """One figure as a table row or a headline shows it."""

    label: str
    n: int
    value: str
    interval: str
    enough: bool
    note: str | None
    bar: IntervalBar | None


def shown(result: Result, label: str = "") -> Shown:
    return Shown(
        label=label,
        n=result.n,
        value=value_text(result),
        interval=interval_text(result),
        enough=result.enough,
        note=not_enough_text(result),
        bar=interval_bar(result, label),
    )


@dataclass(frozen=True)
class Part:
    """Promoters, passives or detractors: how many, and their share of n."""

    label: str
    scores: str
    count: int
    share: str
    css: str
    width: float  # percent of the distribution bar


def parts(result: NpsResult) -> list[Part]:
    groups = [
        (_("Promoters"), "9-10", result.promoters, "promoter"),
        (_("Passief"), "7-8", result.passives, "passive"),
        (_("Criticasters"), "0-6", result.detractors, "detractor"),
    ]
    n = result.n or 1
    return [
        Part(label, scores, count, percent(count / n), css, round(100 * count / n, 2))
        for label, scores, count, css in groups
    ]


def period_label(key: str, short: bool = False) -> str:
    """ "2026-11" becomes "november 2026" (short "nov 2026"); "2026-K4" "4e kwartaal 2026"."""
    year, _dash, within = key.partition("-")
    if within.startswith("K"):
        if short:
            return f"{within} {year}"
        return _("%(n)se kwartaal %(year)s") % {"n": within[1:], "year": year}
    if not within.isdigit() or not 1 <= int(within) <= 12:
        return key
    names = MONTHS_SHORT if short else MONTHS_NL
    return f"{names[int(within) - 1]} {year}"


def key_label(by: str, key: str) -> str:
    """A breakdown's key in words: a channel's name, a month's name; others as they are."""
    if by == "channel":
        return str(Channel(key).label) if key in Channel.values else key
    if by == "month":
        return period_label(key)
    return key


def channel_label(code: str) -> str:
    return key_label("channel", code or UNKNOWN_CHANNEL)


def score_label(score: int | None, kind: str) -> str:
    """What one answer's score means: its NPS band, or which way the thumb went."""
    if score is None:
        return ""
    if kind == "thumbs":
        return _("duim omhoog") if score == 1 else _("duim omlaag")
    return str(BAND_NL[band(score)])


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    title: str
    hollow: bool  # fewer answers than the minimum: drawn open, without a band


@dataclass(frozen=True)
class Run:
    """Consecutive periods with enough answers: one line and one shaded band."""

    line: str  # SVG points of the polyline
    band: str  # SVG points of the polygon: the highs left to right, the lows back


@dataclass
class TrendChart(BarChart):
    runs: list[Run] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    zero: float | None = None  # the y of NPS 0, drawn as a stronger line
    counts: list[Tick] = field(default_factory=list)  # n per period, under the labels
    empty: list[float] = field(default_factory=list)  # the x of each period without answers
    width: int = 760
    height: int = 310
    left: int = 56
    bottom: int = 48

    @property
    def count_y(self) -> int:
        return self.base + 36


def _y(chart: TrendChart, value: float, scale: tuple[float, float]) -> float:
    bottom, top = scale
    return round(chart.base - (value - bottom) / (top - bottom) * (chart.base - chart.top), 2)


# Below this width per period (SVG units) the n per period no longer fits under the axis.
MIN_COUNT_SLOT = 28
Spot = tuple[float, float, float, float]  # x, y of the figure, y of the high, y of the low


def _run(spots: list[Spot], slot: float) -> Run:
    """A lone period gets a narrow band of its own, so its interval still shows."""
    if len(spots) == 1:
        x, y, high, low = spots[0]
        half = min(slot * 0.18, 10)
        spots = [(round(x - half, 2), y, high, low), (round(x + half, 2), y, high, low)]
        line = ""
    else:
        line = " ".join(f"{x},{y}" for x, y, _high, _low in spots)
    band = [f"{x},{high}" for x, _y, high, _low in spots]
    band += [f"{x},{low}" for x, _y, _high, low in reversed(spots)]
    return Run(line, " ".join(band))


def _x_ticks(labels: Sequence[str], xs: Sequence[float]) -> list[Tick]:
    """At most about twelve labels; a month's year only where the year changes."""
    step = max(1, -(-len(labels) // 12))
    ticks, year = [], ""
    for index in range(0, len(labels), step):
        text = period_label(labels[index], short=True)
        if "K" not in labels[index] and labels[index][:4] == year:
            text = text.split(" ")[0]
        year = labels[index][:4]
        ticks.append(Tick(xs[index], text))
    return ticks


def _y_ticks(chart: TrendChart, rate: bool) -> list[Tick]:
    scale = RATE_SCALE if rate else NPS_SCALE
    values = (0.0, 25.0, 50.0, 75.0, 100.0) if rate else (-100.0, -50.0, 0.0, 50.0, 100.0)
    return [Tick(_y(chart, v, scale), f"{v:.0f}%" if rate else signed(v)) for v in values]


def _trend_desc(periods: Sequence[tuple[str, Result]], quarter: bool, rate: bool) -> str:
    what = _("het aandeel duim omhoog") if rate else _("de NPS")
    unit = _("kwartaal") if quarter else _("maand")
    text = _(
        "Lijn met %(what)s per %(unit)s, van %(first)s tot en met %(last)s, met het "
        "95%%-interval als lichte band eromheen. Een %(unit)s met te weinig antwoorden staat "
        "er als open punt zonder band in, een %(unit)s zonder antwoorden als onderbreking."
    ) % {
        "what": what,
        "unit": unit,
        "first": period_label(periods[0][0]),
        "last": period_label(periods[-1][0]),
    }
    last = [(label, result) for label, result in periods if result.enough]
    if last:
        label, result = last[-1]
        text += " " + _("Laatste %(unit)s met genoeg antwoorden: %(period)s, %(figure)s.") % {
            "unit": unit,
            "period": period_label(label),
            "figure": describe(result),
        }
    return text


def trend_chart(periods: Sequence[tuple[str, Result]], quarter: bool = False) -> TrendChart:
    """The figure per period as points on a line, the interval as a band around it. Periods
    below the minimum are open points outside any band; periods without answers are gaps."""
    rate = bool(periods) and isinstance(periods[0][1], Rate)
    if rate:
        title = _("Duim omhoog per kwartaal") if quarter else _("Duim omhoog per maand")
    else:
        title = _("NPS per kwartaal") if quarter else _("NPS per maand")
    desc = _trend_desc(periods, quarter, rate) if periods else _("Nog geen antwoorden.")
    # xgettext:no-python-format
    axis = _("% duim omhoog") if rate else "NPS"
    chart = TrendChart("trend", title, desc, axis)
    scale = RATE_SCALE if rate else NPS_SCALE
    slot = (chart.end - chart.left) / max(len(periods), 1)
    xs = [round(chart.left + slot * (i + 0.5), 2) for i in range(len(periods))]
    spots: list[Spot] = []
    for x, (label, result) in zip(xs, periods, strict=True):
        figure, low, high = numbers(result)
        if figure is None or low is None or high is None or not result.enough:
            if spots:
                chart.runs.append(_run(spots, slot))
            spots = []
        if figure is None or low is None or high is None:
            chart.empty.append(x)
            continue
        y = _y(chart, figure, scale)
        title = f"{period_label(label)}: {describe(result)}"
        chart.points.append(Point(x, y, title, hollow=not result.enough))
        if result.enough:
            spots.append((x, y, _y(chart, high, scale), _y(chart, low, scale)))
    if spots:
        chart.runs.append(_run(spots, slot))
    chart.y_ticks = _y_ticks(chart, rate)
    chart.x_ticks = _x_ticks([label for label, _result in periods], xs)
    chart.zero = None if rate else _y(chart, 0.0, scale)
    if slot >= MIN_COUNT_SLOT:
        chart.counts = [
            Tick(x, whole_number(r.n)) for x, (_label, r) in zip(xs, periods, strict=True)
        ]
    chart.legend = [
        (_("duim omhoog") if rate else "NPS", "trend-line"),
        (_("95%-interval"), "trend-band"),
        (_("te weinig antwoorden"), "trend-hollow"),
    ]
    return chart
