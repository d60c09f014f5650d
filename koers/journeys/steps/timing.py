"""When a step's time is up, as one SQL expression over a set: a span after each row's moment.

Not a step kind: the deadline of an action, the end of a wait and the time-out of a wait
for an event all use it. A length of time is added in SQL (`Shifted`). Business days are
not a length: "2 werkdagen" from a Friday ends on Tuesday, from a Monday on Wednesday. They
are worked out in Python once per local day between the earliest and the latest row, and
applied as one CASE over the day boundaries, so the step stays one statement over the set.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Max, Min, QuerySet, Value, When
from django.utils import timezone

from koers.journeys.durations import BusinessDays, Span
from koers.sql import Shifted
from koers.touchpoints.hours import close_of_business, parse_hours


def stored(span: Span) -> dict[str, int]:
    """A span as a step's settings keep it. "seconds" is always there (for business days a
    nominal day each), so pages that show a wait's length can read it."""
    found = {"seconds": int(span.total_seconds())}
    if isinstance(span, BusinessDays):
        found["business_days"] = span.count
    return found


def from_settings(settings: Mapping[str, Any]) -> Span:
    if settings.get("business_days"):
        return BusinessDays(int(settings["business_days"]))
    return timedelta(seconds=int(settings["seconds"]))


def after(rows: QuerySet[Any], field: str, span: Span) -> Any:
    """When `span` after each row's `field` is up, as an expression for those rows."""
    if isinstance(span, timedelta):
        return Shifted(F(field), span)
    return business_days_after(rows, field, span.count)


def business_days_after(rows: QuerySet[Any], field: str, count: int) -> Any:
    """The close of business on the `count`-th business day after each row's local day of
    `field` (see close_of_business). One query for the range of days; no query per row."""
    bounds = rows.aggregate(low=Min(field), high=Max(field))
    if bounds["low"] is None:
        return Value(None, output_field=models.DateTimeField())
    zone = ZoneInfo(settings.TIME_ZONE)
    hours = parse_hours(settings.KOERS_BUSINESS_HOURS)
    day = timezone.localtime(bounds["low"], zone).date()
    last = timezone.localtime(bounds["high"], zone).date()
    # (rows before this local midnight, their deadline); days that share a deadline (a
    # Friday and its weekend) share one entry.
    spans: list[tuple[datetime, datetime]] = []
    while day <= last:
        deadline = close_of_business(day, count, hours, zone)
        day += timedelta(days=1)
        midnight = datetime.combine(day, time(0), tzinfo=zone)
        if spans and spans[-1][1] == deadline:
            spans[-1] = (midnight, deadline)
        else:
            spans.append((midnight, deadline))
    *earlier, (_, latest) = spans
    whens = [When(**{f"{field}__lt": before}, then=Value(moment)) for before, moment in earlier]
    # The first condition that holds decides: the days are in order.
    return Case(*whens, default=Value(latest), output_field=models.DateTimeField())
