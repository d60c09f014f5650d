"""Wait: for a duration, until a duration after entry, until a date, or until a weekday and time.

Durations may be business days ("for: 2 werkdagen"): the wait then ends at the close of
business on the 2nd business day after the day of arrival (or of entry), see steps.timing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.journeys.durations import parse_span
from koers.journeys.steps.base import Problems, StepKind
from koers.journeys.steps.timing import after, from_settings, stored
from koers.journeys.words import WEEKDAYS as DAY_NAMES
from koers.journeys.words import Line, span_of
from koers.sql import Shifted

if TYPE_CHECKING:
    from koers.journeys.definition import Definition, Step
    from koers.journeys.engine import Advance

WEEKDAYS = {
    "monday": 0, "maandag": 0, "tuesday": 1, "dinsdag": 1, "wednesday": 2, "woensdag": 2,
    "thursday": 3, "donderdag": 3, "friday": 4, "vrijdag": 4, "saturday": 5, "zaterdag": 5,
    "sunday": 6, "zondag": 6,
}  # fmt: skip


def next_weekday(moment: datetime, weekday: int, at: time) -> datetime:
    """The first moment on `weekday` at `at` (local time) that is not before `moment`."""
    local = timezone.localtime(moment)
    day = local.date() + timedelta(days=(weekday - local.weekday()) % 7)
    candidate = datetime.combine(day, at, tzinfo=local.tzinfo)
    return candidate if candidate >= local else candidate + timedelta(days=7)


class Wait(StepKind):
    key = "wait"
    label = gettext_lazy("wachten")

    def describe(self, step: Step, definition: Definition) -> list[Line]:
        settings, mode = step.settings, step.settings.get("mode")
        if mode == "for":
            return [Line(_("wacht %(d)s") % {"d": span_of(settings)})]
        if mode == "since_entry":
            return [Line(_("tot %(d)s na instap") % {"d": span_of(settings)})]
        if mode == "until":
            day = "-".join(reversed(settings["date"].split("-")))
            return [Line(_("tot %(date)s") % {"date": day})]
        if mode == "weekday":
            return [
                Line(
                    _("tot %(day)s %(time)s")
                    % {"day": DAY_NAMES[settings["weekday"]], "time": settings["time"]}
                )
            ]
        return []

    waits = True

    def parse(self, raw: Mapping[str, Any], where: str, problems: Problems) -> dict[str, Any]:
        chosen = [name for name in ("for", "since_entry", "until", "weekday") if name in raw]
        if len(chosen) != 1:
            problems.add(
                where, "wacht met precies één van 'for', 'since_entry', 'until' of 'weekday'"
            )
            return {}
        name = chosen[0]
        try:
            if name in ("for", "since_entry"):
                duration = parse_span(raw[name])
                if not duration.total_seconds():
                    raise ValueError("een wachttijd van nul wacht niet; laat de stap weg")
                return {"mode": name, **stored(duration)}
            if name == "until":
                return {"mode": "until", "date": date.fromisoformat(str(raw["until"])).isoformat()}
            weekday = WEEKDAYS[str(raw["weekday"]).lower()]
            at = time.fromisoformat(str(raw.get("time", "09:00")))
            return {"mode": "weekday", "weekday": weekday, "time": at.isoformat("minutes")}
        except KeyError:
            problems.add(
                where,
                f"onbekende dag '{raw['weekday']}'; schrijf bijvoorbeeld 'monday' of 'maandag'",
            )
        except ValueError as error:
            problems.add(f"{where}.{name}", str(error))
        return {}

    def advance(self, run: Advance, step: Step) -> int:
        self.start_waiting(run, step)
        return run.move(run.due(step), step.next)

    def on_arrival(self, step: Step, at: Any, entered: Any = None) -> dict[str, Any] | None:
        wake = self.wake(step, at, F("entered_at") if entered is None else entered)
        return None if wake is None else {"waiting": True, "due_at": wake}

    def wake(self, step: Step, at: Any, entered: Any) -> Any:
        """When those arriving at `at` may go on, as an expression; None for a weekday or
        business days (those depend on the day: the step looks at its arrivals itself)."""
        settings = step.settings
        mode = settings["mode"]
        if settings.get("business_days"):
            return None
        if mode == "for":
            return Shifted(at, timedelta(seconds=settings["seconds"]))
        if mode == "since_entry":
            return Greatest(Shifted(entered, timedelta(seconds=settings["seconds"])), at)
        if mode == "until":
            day = date.fromisoformat(settings["date"])
            wake_at = datetime.combine(day, time(0), tzinfo=timezone.get_current_timezone())
            return Greatest(Value(wake_at), at)
        return None

    def start_waiting(self, run: Advance, step: Step) -> None:
        """Those who arrived without being told when to wake (the first step of a journey)."""
        settings = step.settings
        if settings.get("business_days"):
            self.business_days(run, step)
            return
        wake = self.wake(step, F("step_entered_at"), F("entered_at"))
        if wake is None:
            self.until_weekday(run, step)
        else:
            run.set_waiting(run.arrived(step), wake)

    def business_days(self, run: Advance, step: Step) -> None:
        """Business days from arrival (for) or from entry (since_entry), for all arrivals in
        one statement (see steps.timing)."""
        arrived = run.arrived(step)
        if not arrived.exists():
            return
        span = from_settings(step.settings)
        if step.settings["mode"] == "for":
            run.set_waiting(arrived, after(arrived, "step_entered_at", span))
        else:
            since = after(arrived, "entered_at", span)
            run.set_waiting(arrived, Greatest(since, F("step_entered_at")))

    def until_weekday(self, run: Advance, step: Step) -> None:
        """One statement per distinct arrival day: the wake-up moment only depends on the day."""
        weekday, at = step.settings["weekday"], time.fromisoformat(step.settings["time"])
        zone = timezone.get_current_timezone()
        moments = run.arrived(step).values_list("step_entered_at", flat=True).distinct()
        days = sorted({timezone.localtime(moment, zone).date() for moment in moments})
        for day in days:
            start = datetime.combine(day, time(0), tzinfo=zone)
            end = start + timedelta(days=1)
            rows = run.arrived(step).filter(step_entered_at__gte=start, step_entered_at__lt=end)
            # Within the day, a relation arriving after the wake-up time waits a week.
            first = next_weekday(start, weekday, at)
            run.set_waiting(rows.filter(step_entered_at__lte=first), Value(first))
            run.set_waiting(
                rows.filter(step_entered_at__gt=first), Value(first + timedelta(days=7))
            )
