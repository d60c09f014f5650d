"""Durations as people write them: "24 hours", "7 dagen", "2 weeks", "2 werkdagen". Pure.

Hours, days and weeks are lengths of time (a `timedelta`). Business days are not: "within 2
werkdagen" of a Friday afternoon ends on Tuesday evening, of a Monday on Wednesday evening,
so they are kept as a count (`BusinessDays`) and turned into a moment only once the day they
count from is known (koers.touchpoints.hours.close_of_business).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

_UNITS = {
    "minute": 60,
    "minutes": 60,
    "minuut": 60,
    "minuten": 60,
    "hour": 3600,
    "hours": 3600,
    "uur": 3600,
    "uren": 3600,
    "day": 86400,
    "days": 86400,
    "dag": 86400,
    "dagen": 86400,
    "week": 604800,
    "weeks": 604800,
    "weken": 604800,
}
_BUSINESS_UNITS = frozenset(
    {"werkdag", "werkdagen", "business day", "business days", "working day", "working days"}
)
# One or two words for the unit: "business days" has a space.
_PATTERN = re.compile(r"^\s*(\d+)\s*([a-z]+(?:\s+[a-z]+)?)\s*$")


@dataclass(frozen=True)
class BusinessDays:
    """A number of business days: Monday to Friday, Dutch public holidays excluded."""

    count: int
    # As it was written ("werkdagen", "business days"), so that it is written back the same.
    unit: str = field(default="business days", compare=False)

    def total_seconds(self) -> float:
        """A business day counted as a day: a nominal length for pages that show one, never
        the way to a moment (that depends on the day it counts from)."""
        return float(self.count * 86400)


# What a deadline, a wait or a time-out may be.
Span = timedelta | BusinessDays


def _not_a_duration(text: object, business: bool) -> ValueError:
    examples = "'24 hours', '7 days' of '2 weeks' (ook: uur, dagen, weken)"
    if business:
        examples = "'24 hours', '7 days' of '2 werkdagen' (ook: uur, dagen, weken, business days)"
    return ValueError(
        f"'{text}' is geen duur; schrijf een geheel aantal en een eenheid, bijvoorbeeld {examples}"
    )


def _read(text: object) -> tuple[int, str] | None:
    """(number, unit) with the unit's words single-spaced, or None."""
    match = _PATTERN.match(str(text).lower())
    return (int(match.group(1)), " ".join(match.group(2).split())) if match else None


def parse_span(text: object) -> Span:
    """A whole number and a unit, business days included. Raises ValueError with a Dutch
    message naming what is expected."""
    number, unit = _read(text) or (0, "")
    if unit in _BUSINESS_UNITS:
        if not number:
            raise ValueError(f"'{text}': schrijf minstens 1 werkdag")
        return BusinessDays(number, unit)
    if unit not in _UNITS:
        raise _not_a_duration(text, business=True)
    return timedelta(seconds=number * _UNITS[unit])


def parse_duration(text: object) -> timedelta:
    """A length of time: hours, days, weeks, never business days. Raises ValueError."""
    number, unit = _read(text) or (0, "")
    if unit in _BUSINESS_UNITS:
        raise ValueError(
            f"'{text}': werkdagen kunnen hier niet (alleen bij een deadline, een wachttijd of "
            "een time-out); schrijf een duur in uren, dagen of weken"
        )
    if unit not in _UNITS:
        raise _not_a_duration(text, business=False)
    return timedelta(seconds=number * _UNITS[unit])


def format_duration(value: Span) -> str:
    """The text parse_span reads back to the same value; business days as they were written."""
    if isinstance(value, BusinessDays):
        return f"{value.count} {value.unit}"
    seconds = int(value.total_seconds())
    sizes = (("week", 604800), ("day", 86400), ("hour", 3600))
    unit, size = next(((u, n) for u, n in sizes if seconds and seconds % n == 0), ("minute", 60))
    count = seconds // size
    return f"{count} {unit}{'' if count == 1 else 's'}"
