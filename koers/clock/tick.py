"""The tick: the journeys, then the appreciation calendars, then dispatch.

The clock sits above the apps it drives: the journeys and the calendar each plan their
contacts through the outbox (koers.touchpoints.planning) and know nothing of each other;
only here are they run in order, once a minute by `koers worker` or day by day by
`koers run --until`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.utils import timezone

from koers.calendar.engine import plan_calendars
from koers.journeys.engine import TickReport, tick
from koers.touchpoints.dispatch import DispatchReport, dispatch
from koers.touchpoints.planning import TICK_TIME, days

__all__ = ["TICK_TIME", "days", "plan", "run_once", "run_until"]


def plan(now: datetime) -> TickReport:
    """The journeys' tick, then the appreciation calendars' (their moments in the lookahead
    window). Each takes the planner lock: with several workers one plans, the others skip."""
    planned = tick(now)
    for calendar in plan_calendars(now):
        planned.planned += calendar.total
        planned.count(f"kalender:{calendar.calendar}", "planned", calendar.total)
    return planned


def run_once(now: datetime, *, send: bool = True) -> tuple[TickReport, DispatchReport | None]:
    """Plan, then dispatch whatever is due."""
    planned = plan(now)
    return planned, dispatch(now) if send else None


def run_until(
    start: datetime,
    until: date,
    *,
    send: bool = True,
    progress: Callable[[datetime], None] | None = None,
) -> list[tuple[TickReport, DispatchReport | None]]:
    """A tick (and dispatch) at `start`, then one per day at 09:00 up to and including `until`."""
    reports = [run_once(start, send=send)]
    first = timezone.localtime(start).date() + timedelta(days=1)
    for now in days(first, until):
        if progress:
            progress(now)
        reports.append(run_once(now, send=send))
    return reports
