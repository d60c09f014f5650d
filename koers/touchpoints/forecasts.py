"""What the planners expect to contact in a year, for the calendar's year overview.

The calendar counts the contacts of other planners (the journeys' thank-yous) alongside
its own moments, without knowing them: each is named by a dotted path in the setting
KOERS_CONTACT_FORECASTS and answers the `Forecaster` protocol below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass
class Forecast:
    """One planner's contacts of one kind over a year: `contacts` as (relation id, day,
    channel, nature). `personal`: a relation may get them again next year (a journey it
    can travel again); otherwise they stand for next year's newcomers."""

    source: str
    personal: bool
    contacts: list[tuple[int, date, str, str]] = field(default_factory=list)


class Forecaster(Protocol):
    def forecast(
        self, now: datetime, progress: Callable[[int, int], None] | None = None
    ) -> list[Forecast]:
        """The contacts of the past year (up to `now`) as the forecast of the next."""

    def names(self) -> dict[str, str]:
        """Each Forecast.source in words for a person."""

    def stamp(self) -> list[Any]:
        """A few figures that change whenever the forecast would."""


def forecasters() -> list[Forecaster]:
    return [import_string(path) for path in settings.KOERS_CONTACT_FORECASTS]
