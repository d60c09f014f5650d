"""Durations as people write them: "24 hours", "7 dagen", "2 weeks". Pure."""

from __future__ import annotations

import re
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
_PATTERN = re.compile(r"^\s*(\d+)\s*([a-z]+)\s*$")


def parse_duration(text: object) -> timedelta:
    """A whole number and a unit. Raises ValueError with a Dutch message naming what is expected."""
    match = _PATTERN.match(str(text).lower())
    if not match or match.group(2) not in _UNITS:
        raise ValueError(
            f"'{text}' is geen duur; schrijf een geheel aantal en een eenheid, "
            "bijvoorbeeld '24 hours', '7 days' of '2 weeks' (ook: uur, dagen, weken)"
        )
    return timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])


def format_duration(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    for unit, size in (("weeks", 604800), ("days", 86400), ("hours", 3600)):
        if seconds and seconds % size == 0:
            return f"{seconds // size} {unit}"
    return f"{seconds // 60} minutes"
