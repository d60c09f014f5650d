"""Business days and hours for phone calls and staff work. Pure: no models."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays


@lru_cache(maxsize=32)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year)


def parse_hours(text: str) -> tuple[time, time]:
    """ "09:00-17:00" as (start, end). Raises ValueError naming what is expected."""
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        raise ValueError(f"business hours must look like 09:00-17:00, got {text!r}") from None
    if start >= end:
        raise ValueError(f"business hours must start before they end, got {text!r}")
    return start, end


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def is_business_time(moment: datetime, hours: tuple[time, time], zone: ZoneInfo) -> bool:
    local = moment.astimezone(zone)
    return is_business_day(local.date()) and hours[0] <= local.time() < hours[1]


def next_business_time(moment: datetime, hours: tuple[time, time], zone: ZoneInfo) -> datetime:
    """The moment itself when it is business time, else the start of the next business period."""
    if is_business_time(moment, hours, zone):
        return moment
    local = moment.astimezone(zone)
    day = local.date() if local.time() < hours[0] else local.date() + timedelta(days=1)
    while not is_business_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, hours[0], tzinfo=zone)


def add_business_days(day: date, count: int) -> date:
    """The `count`-th business day after `day` (the day itself never counts)."""
    while count > 0:
        day += timedelta(days=1)
        if is_business_day(day):
            count -= 1
    return day


def close_of_business(day: date, count: int, hours: tuple[time, time], zone: ZoneInfo) -> datetime:
    """ "Within `count` business days" of something on local `day`: the end of business hours
    on the `count`-th business day after it. The day itself never counts, whatever the hour,
    so everyone gets at least `count` whole business days. Built on the local date and clock,
    so a change to or from summer time in between moves nothing."""
    return datetime.combine(add_business_days(day, count), hours[1], tzinfo=zone)
