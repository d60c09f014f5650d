"""What the year overview draws and tabulates (pure): bar charts and the tables' rows.

The charts are drawn on the server, as the journey map draws its emotion line: the
geometry (bars, ticks, labels) comes from koers/charts.py, the one home of chart code, and
the template calendar/partials/_chart.html writes the elements. The page needs no
JavaScript and every label is real text, readable by a screen reader and sharp when printed.

Everything here reads the plain figures of `Year.as_dict()`, so a year worked out once
(with the journeys, which takes a while) can be kept in the cache and drawn again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import get_language, gettext, gettext_lazy

from koers import formatting
from koers.calendar.checks import MONTHS_NL
from koers.calendar.overview import EVERYONE, MONTHS_SHORT, WORK_NL
from koers.charts import BarChart, Series, Tick, decimal, stacked_bars, whole_number
from koers.touchpoints.choices import Channel

NATURE_CSS = {"appreciate": "appreciate", "thank": "thank"}
KIND_NL = {
    "yearly": gettext_lazy("jaarkalender"),
    "relation": gettext_lazy("relatiekalender"),
    "journey": gettext_lazy("klantreis"),
}
# Channels in the order the workload shows them; staff work first, what goes by itself last.
CHANNEL_ORDER = ("card", "letter", "phone", "task", "email", "webhook")


def day(value: date) -> str:
    return formatting.day(value, get_language())


_ = gettext


def month_chart(months: Sequence[Mapping[str, int]], journeys: bool) -> BarChart:
    """Contacts per month for all relations, appreciation and thanks stacked."""
    appreciate = [m["appreciate"] for m in months]
    thank = [m["thank"] for m in months]
    busiest = max(range(12), key=lambda i: appreciate[i] + thank[i])
    desc = _(
        "Staafdiagram met per maand het aantal contactmomenten: waarderen en bedanken op "
        "elkaar gestapeld. In totaal %(appreciate)s keer waarderen en %(thank)s keer "
        "bedanken; de drukste maand is %(month)s met %(busiest)s."
    ) % {
        "appreciate": whole_number(sum(appreciate)),
        "thank": whole_number(sum(thank)),
        "month": MONTHS_NL[busiest],
        "busiest": whole_number(appreciate[busiest] + thank[busiest]),
    }
    if not journeys:
        desc += " " + _("Zonder de bedankjes uit de klantreizen.")
    chart = BarChart("maanden", _("Contactmomenten per maand"), desc, _("contactmomenten"))
    titles = [
        _("%(month)s: %(appreciate)s keer waarderen, %(thank)s keer bedanken")
        % {
            "month": MONTHS_NL[i],
            "appreciate": whole_number(appreciate[i]),
            "thank": whole_number(thank[i]),
        }
        for i in range(12)
    ]
    series = [
        Series(_("waarderen"), "appreciate", appreciate),
        Series(_("bedanken"), "thank", thank),
    ]
    stacked_bars(chart, series, titles, value_labels=True)
    chart.x_ticks = [Tick(bar.x, str(MONTHS_SHORT[i])) for i, bar in enumerate(chart.bars)]
    return chart


def _mondays(year: int, weeks: Mapping[str, Any]) -> list[date]:
    """Every Monday whose week touches `year`, also the quiet ones, so the axis is even."""
    first = date(year, 1, 1)
    monday = date.fromordinal(first.toordinal() - first.weekday())
    found = []
    while monday.year <= year:
        found.append(monday)
        monday = date.fromordinal(monday.toordinal() + 7)
    extra = [date.fromisoformat(w) for w in weeks if date.fromisoformat(w) not in found]
    return sorted([*found, *extra])


def hours_chart(year: int, weeks: Mapping[str, Mapping[str, Mapping[str, int]]]) -> BarChart:
    """Staff hours per week, stacked by the kind of work (cards, letters, calls, tasks)."""
    mondays = _mondays(year, weeks)
    used = [c for c in CHANNEL_ORDER if any(w.get(c, {}).get("minutes") for w in weeks.values())]
    hours = {
        c: [weeks.get(m.isoformat(), {}).get(c, {}).get("minutes", 0) / 60 for m in mondays]
        for c in used
    }
    totals = [sum(hours[c][i] for c in used) for i in range(len(mondays))]
    titles = []
    for i, monday in enumerate(mondays):
        parts = "; ".join(
            _("%(work)s %(hours)s uur") % {"work": WORK_NL[c], "hours": decimal(hours[c][i])}
            for c in used
            if hours[c][i]
        )
        title = _("week %(week)s, vanaf %(monday)s: %(hours)s uur") % {
            "week": monday.isocalendar()[1],
            "monday": day(monday),
            "hours": decimal(totals[i]),
        }
        titles.append(title + (f" ({parts})" if parts else ""))
    busiest = max(range(len(mondays)), key=lambda i: totals[i]) if mondays else 0
    desc = _(
        "Staafdiagram met per week de uren werk voor medewerkers, per soort werk gestapeld. "
        "In totaal %(hours)s uur"
    ) % {"hours": decimal(sum(totals))}
    if totals and totals[busiest]:
        desc += _("; de drukste week begint op %(monday)s met %(hours)s uur") % {
            "monday": day(mondays[busiest]),
            "hours": decimal(totals[busiest]),
        }
    chart = BarChart("uren", _("Uren werk per week"), desc + ".", _("uren"))
    series = [Series(str(WORK_NL[c]), f"ch-{c}", hours[c]) for c in used]
    stacked_bars(chart, series, titles, least=0.5)
    chart.x_ticks = [
        Tick(bar.x, str(MONTHS_SHORT[monday.month - 1]))
        for bar, monday, before in zip(chart.bars, mondays, [None, *mondays], strict=False)
        if monday.year == year and (before is None or before.month != monday.month)
    ]
    return chart


@dataclass
class OverviewRow:
    name: str
    everyone: bool
    cells: list[tuple[int, int]]  # per month: appreciate, thank
    cost_cents: int

    @property
    def appreciate(self) -> int:
        return sum(a for a, _t in self.cells)

    @property
    def thank(self) -> int:
        return sum(t for _a, t in self.cells)


@dataclass
class MomentRow:
    name: str
    kind: str
    nature: str
    intensity: int
    per_month: list[int]
    total: int
    cost_cents: int
    not_planned: list[tuple[str, int]]


@dataclass
class WeekRow:
    monday: date
    counts: list[int]
    hours: str
    cost_cents: int

    @property
    def number(self) -> int:
        return self.monday.isocalendar()[1]


@dataclass
class YearPage:
    year: int
    totals: Mapping[str, Any]
    checks: list[Mapping[str, Any]]
    month_chart: BarChart
    hours_chart: BarChart
    overview: list[OverviewRow]
    moments: list[MomentRow]
    week_channels: list[tuple[str, str]]
    weeks: list[WeekRow]
    estimated: list[str] = field(default_factory=list)
    not_forecast: list[str] = field(default_factory=list)

    @property
    def months(self) -> list[str]:
        return [str(month) for month in MONTHS_SHORT]

    @property
    def hours(self) -> str:
        return decimal(self.totals["staff_hours"])

    @property
    def failed(self) -> int:
        return sum(1 for check in self.checks if not check["passed"])

    @property
    def channels(self) -> list[tuple[str, int]]:
        counts = self.totals["per_channel"]
        return [(_channel(c), counts[c]) for c in CHANNEL_ORDER if counts.get(c)]

    @property
    def not_planned(self) -> list[tuple[str, int]]:
        # Stored in Dutch (see forecast.STATUS_NL), shown in the page's language.
        return [(gettext(status), n) for status, n in self.totals["not_planned"].items()]


def _channel(code: str) -> str:
    return str(Channel(code).label) if code in Channel.values else code


def _workload(
    weeks: Mapping[str, Mapping[str, Mapping[str, int]]],
) -> tuple[list[tuple[str, str]], list[WeekRow]]:
    used = [c for c in CHANNEL_ORDER if any(c in w for w in weeks.values())]
    rows = [
        WeekRow(
            date.fromisoformat(monday),
            [work.get(c, {}).get("count", 0) for c in used],
            decimal(sum(w["minutes"] for w in work.values()) / 60),
            sum(w["cost_cents"] for w in work.values()),
        )
        for monday, work in weeks.items()
    ]
    return [(c, _channel(c)) for c in used], rows


def _overview(rows: Sequence[Mapping[str, Any]]) -> list[OverviewRow]:
    return [
        OverviewRow(
            gettext(row["name"]) if row["group"] == EVERYONE else row["name"],
            row["group"] == EVERYONE,
            [(m["appreciate"], m["thank"]) for m in row["months"]],
            sum(m["cost_cents"] for m in row["months"]),
        )
        for row in rows
    ]


def _moments(rows: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> list[MomentRow]:
    return [
        MomentRow(
            names.get(m["name"], m["name"]),
            str(KIND_NL.get(m["kind"], m["kind"])),
            m["nature"],
            m["intensity"],
            m["per_month"],
            m["total"],
            m["cost_cents"],
            [(gettext(status), n) for status, n in m["not_planned"].items()],
        )
        for m in rows
    ]


def year_page(
    figures: Mapping[str, Any], journeys: bool, names: Mapping[str, str] | None = None
) -> YearPage:
    """The year overview's charts and tables, from the figures of `Year.as_dict()`.
    `names` gives the journeys' contacts the names people know them by."""
    moment_names = {m["key"]: m["name"] for m in figures["moments"]}
    everyone = next(row for row in figures["totaaloverzicht"] if row["group"] == "*")
    channels, weeks = _workload(figures["workload"])
    return YearPage(
        year=figures["year"],
        totals=figures["totals"],
        checks=figures["checks"],
        month_chart=month_chart(everyone["months"], journeys),
        hours_chart=hours_chart(figures["year"], figures["workload"]),
        overview=_overview(figures["totaaloverzicht"]),
        moments=_moments(figures["moments"], names or {}),
        week_channels=channels,
        weeks=weeks,
        estimated=[moment_names.get(k, k) for k in figures["estimated"]],
        not_forecast=[moment_names.get(k, k) for k in figures["not_forecast"]],
    )
