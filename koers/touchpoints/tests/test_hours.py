"""Business days: weekdays without Dutch public holidays, and "within N business days"."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from koers.touchpoints.hours import add_business_days, close_of_business, is_business_day

AMS = ZoneInfo("Europe/Amsterdam")
HOURS = (time(9), time(17))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 6), True),  # a Friday
        (date(2026, 3, 7), False),  # Saturday
        (date(2026, 3, 8), False),  # Sunday
        (date(2026, 4, 27), False),  # Koningsdag on a Monday
        (date(2025, 4, 26), False),  # 27 April 2025 was a Sunday: Koningsdag the Saturday before
        (date(2025, 4, 28), True),  # ... and not moved to the Monday after
        (date(2026, 4, 3), False),  # Goede Vrijdag
        (date(2026, 4, 6), False),  # Tweede Paasdag
        (date(2026, 5, 14), False),  # Hemelvaartsdag
        (date(2026, 5, 25), False),  # Tweede Pinksterdag
        (date(2026, 12, 25), False),  # Eerste Kerstdag
        (date(2026, 12, 28), True),  # 26 December 2026 is a Saturday: no day off in lieu
        (date(2026, 5, 5), True),  # Bevrijdingsdag is a day off only every five years ...
        (date(2025, 5, 5), False),  # ... such as 2025
        (date(2027, 1, 1), False),  # Nieuwjaarsdag
    ],
)
def test_a_business_day_is_a_weekday_that_is_no_dutch_public_holiday(
    day: date, expected: bool
) -> None:
    assert is_business_day(day) is expected


def test_adding_business_days_never_counts_the_day_itself() -> None:
    assert add_business_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Friday: Monday
    assert add_business_days(date(2026, 3, 7), 1) == date(2026, 3, 9)  # Saturday: Monday
    assert add_business_days(date(2026, 3, 9), 0) == date(2026, 3, 9)


@pytest.mark.parametrize(
    ("day", "count", "deadline"),
    [
        (date(2026, 3, 6), 2, datetime(2026, 3, 10, 17, tzinfo=AMS)),  # Friday: Tuesday
        (date(2026, 3, 7), 2, datetime(2026, 3, 10, 17, tzinfo=AMS)),  # Saturday: Tuesday too
        (date(2026, 3, 9), 2, datetime(2026, 3, 11, 17, tzinfo=AMS)),  # Monday: Wednesday
        (date(2026, 3, 9), 1, datetime(2026, 3, 10, 17, tzinfo=AMS)),
        (date(2026, 4, 24), 2, datetime(2026, 4, 29, 17, tzinfo=AMS)),  # over Koningsdag
        (date(2026, 4, 2), 2, datetime(2026, 4, 8, 17, tzinfo=AMS)),  # over Pasen
        (date(2026, 12, 24), 2, datetime(2026, 12, 29, 17, tzinfo=AMS)),  # over Kerst
        (date(2025, 12, 31), 2, datetime(2026, 1, 5, 17, tzinfo=AMS)),  # into the new year
    ],
)
def test_within_business_days_ends_at_the_close_of_business(
    day: date, count: int, deadline: datetime
) -> None:
    assert close_of_business(day, count, HOURS, AMS) == deadline


def test_the_close_of_business_stays_at_five_over_a_change_of_clocks() -> None:
    # Summer time starts on Sunday 29 March 2026, ends on Sunday 25 October 2026.
    spring = close_of_business(date(2026, 3, 27), 2, HOURS, AMS)
    autumn = close_of_business(date(2026, 10, 23), 2, HOURS, AMS)

    assert spring.astimezone(UTC) == datetime(2026, 3, 31, 15, tzinfo=UTC)
    assert autumn.astimezone(UTC) == datetime(2026, 10, 27, 16, tzinfo=UTC)


def test_the_close_of_business_follows_the_business_hours() -> None:
    assert close_of_business(date(2026, 3, 6), 2, (time(8, 30), time(16, 30)), AMS) == datetime(
        2026, 3, 10, 16, 30, tzinfo=AMS
    )
