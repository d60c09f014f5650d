"""A calendar's year, read from the database and worked out: used by the command and the pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from koers.calendar.base import journey_extras, load_base, load_ceilings
from koers.calendar.checks import Check, run_checks
from koers.calendar.forecast import Forecast, forecast
from koers.calendar.models import Calendar
from koers.calendar.overview import as_dict
from koers.calendar.plan import PlanSpec
from koers.relations.models import Relation


@dataclass
class Year:
    calendar: Calendar
    plan: PlanSpec
    forecast: Forecast
    checks: list[Check]

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {
            "calendar": self.plan.key,
            **as_dict(self.forecast),
            "checks": [check.as_dict() for check in self.checks],
        }


def numbers(ids: Sequence[int]) -> list[str]:
    """Relation numbers (relatienummers) for database ids, in the same order."""
    found = dict(Relation.objects.filter(id__in=list(ids)).values_list("id", "external_id"))
    return [found.get(pk, str(pk)) for pk in ids]


def work_out(
    calendar: Calendar, year: int, *, journeys: bool = True, now: datetime | None = None
) -> Year:
    """The forecast of `calendar` for `year` on today's relation base, with its checks.

    With `journeys`, the thank-yous of the active journeys (from their simulation) are
    counted alongside. Nothing is written."""
    now = now or timezone.now()
    plan = calendar.spec()
    base = load_base(now)
    extras = journey_extras(base, year, now) if journeys else []
    result = forecast(plan, base, year, ceilings=load_ceilings(), extras=extras)
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
