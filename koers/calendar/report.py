"""A calendar's year, read from the database and worked out: used by the command and the pages."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from koers.calendar.base import journey_extras, load_base, load_ceilings
from koers.calendar.checks import Check, run_checks
from koers.calendar.forecast import Forecast, forecast
from koers.calendar.models import Calendar
from koers.calendar.overview import as_dict
from koers.calendar.plan import PlanSpec
from koers.relations.models import Relation

# What a year being worked out is doing, in order; the page names each in words.
STEPS = ("base", "journeys", "forecast", "checks")
# (step, parts done, parts in all): the journeys step counts journeys, the others no parts.
Progress = Callable[[str, int, int], None]


def _no_progress(step: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class Overview:
    """A worked-out year as plain figures (`Year.stored()`): what the page, the Excel workbook
    and the iCalendar feed read, so a year worked out once serves all three."""

    calendar_key: str
    calendar_name: str
    plan: PlanSpec
    figures: Mapping[str, Any]

    @property
    def year(self) -> int:
        return int(self.figures["year"])

    @property
    def moments(self) -> list[dict[str, Any]]:
        return list(self.figures["moments"])

    @property
    def workload(self) -> dict[str, dict[str, dict[str, int]]]:
        return dict(self.figures["workload"])

    @property
    def totaaloverzicht(self) -> list[dict[str, Any]]:
        return list(self.figures["totaaloverzicht"])

    @property
    def group_names(self) -> dict[str, str]:
        return dict(self.figures.get("group_names", {}))

    @property
    def checks(self) -> list[dict[str, Any]]:
        """The checks in the active language, as they were written when worked out."""
        return checks_in(self.figures, translation.get_language())


def checks_in(figures: Mapping[str, Any], language: str | None) -> list[dict[str, Any]]:
    by_language = figures.get("checks_by_language") or {}
    return list(by_language.get(language or "", figures["checks"]))


def numbers(ids: Sequence[int]) -> list[str]:
    """Relation numbers (relatienummers) for database ids, in the same order."""
    found = dict(Relation.objects.filter(id__in=list(ids)).values_list("id", "external_id"))
    return [found.get(pk, str(pk)) for pk in ids]


@dataclass
class Year:
    calendar: Calendar
    plan: PlanSpec
    forecast: Forecast
    checks: list[Check]
    # How the checks name relations: by the numbers people know them by.
    namer: Callable[[Sequence[int]], list[str]] = numbers

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {
            "calendar": self.plan.key,
            **as_dict(self.forecast),
            "checks": [check.as_dict() for check in self.checks],
        }

    def stored(self) -> dict[str, Any]:
        """`as_dict()` with what the pages need to show it later in any language: the checks
        written in each (their findings are sentences) and the groups' names."""
        figures = self.as_dict()
        active = translation.get_language()
        by_language = {}
        for code, _name in settings.LANGUAGES:
            # The checks at hand were written in the active language; the others are
            # written again in theirs (a second or so for a million relations).
            checks = self.checks
            if code != active:
                with translation.override(code):
                    checks = run_checks(self.forecast, self.plan, self.namer)
            by_language[code] = [check.as_dict() for check in checks]
        figures["checks_by_language"] = by_language
        figures["group_names"] = dict(self.forecast.base.group_names)
        return figures

    def overview(self) -> Overview:
        return Overview(self.calendar.key, self.calendar.name, self.plan, self.stored())


def work_out(
    calendar: Calendar,
    year: int,
    *,
    journeys: bool = True,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> Year:
    """The forecast of `calendar` for `year` on today's relation base, with its checks.

    With `journeys`, the thank-yous of the active journeys (from their simulation) are
    counted alongside. Nothing is written; `progress` hears of each step as it starts."""
    now = now or timezone.now()
    report = progress or _no_progress
    plan = calendar.spec()
    report("base", 0, 0)
    base = load_base(now)
    extras = []
    if journeys:
        extras = journey_extras(
            base, year, now, progress=lambda done, total: report("journeys", done, total)
        )
    report("forecast", 0, 0)
    result = forecast(plan, base, year, ceilings=load_ceilings(), extras=extras)
    report("checks", 0, 0)
    return Year(calendar, plan, result, run_checks(result, plan, numbers))


def find(key: str | None) -> Calendar:
    """The calendar of this key or, without a key, the only (or the active) one."""
    calendars = Calendar.objects.all()
    if key:
        found = calendars.filter(key=key).first()
    else:
        found = calendars.filter(active=True).first() or (
            calendars.first() if calendars.count() == 1 else None
        )
    if found is None:
        known = ", ".join(calendars.values_list("key", flat=True)) or "nog geen"
        wanted = f"kalender '{key}' bestaat niet" if key else "kies een kalender"
        raise LookupError(f"{wanted} (bekend: {known})")
    return found
