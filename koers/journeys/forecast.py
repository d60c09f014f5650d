"""The active journeys' contacts over a year, from their simulation, for the calendar's
year overview "with the journeys" (koers.touchpoints.forecasts, KOERS_CONTACT_FORECASTS)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Max

from koers.journeys.choices import JourneyStatus
from koers.journeys.definition import parse_definition
from koers.journeys.models import Journey, JourneyVersion
from koers.journeys.simulation import simulate
from koers.touchpoints.forecasts import Forecast


class JourneyForecast:
    def forecast(
        self, now: datetime, progress: Callable[[int, int], None] | None = None
    ) -> list[Forecast]:
        """Each active journey simulated over the past year (the simulation replays that
        year's trigger events on today's base, writing nothing): per step, nature and
        channel the contacts it made."""
        found: dict[tuple[str, str, str, bool], list[tuple[int, date, str, str]]]
        found = defaultdict(list)
        active = list(Journey.objects.filter(status=JourneyStatus.ACTIVE).order_by("key"))
        for number, journey in enumerate(active):
            if progress:
                progress(number, len(active))
            result = simulate(journey.key, 365, now)
            personal = not _once(journey)
            for relation, day, step, channel, nature in result.contacts:
                key = (f"klantreis {journey.key}: {step}", nature, channel, personal)
                found[key].append((relation, day, channel, nature))
        return [
            Forecast(source, personal, contacts)
            for (source, _, _, personal), contacts in sorted(found.items())
        ]

    def names(self) -> dict[str, str]:
        """The journeys' contacts as the forecast names them ("klantreis <key>: <step>"),
        in the words of the journey editor: its name and the step's label."""
        names: dict[str, str] = {}
        for journey in Journey.objects.filter(status=JourneyStatus.ACTIVE):
            version = journey.current
            for step in version.definition.get("steps", []) if version else []:
                if isinstance(step, dict) and step.get("key"):
                    label = step.get("label") or step["key"]
                    names[f"klantreis {journey.key}: {step['key']}"] = f"{journey.name}: {label}"
        return names

    def stamp(self) -> list[Any]:
        return [
            Journey.objects.aggregate(n=Count("id"), at=Max("updated_at")),
            JourneyVersion.objects.aggregate(id=Max("id")),
        ]


def _once(journey: Journey) -> bool:
    """A journey a relation takes only once: whoever travelled it in the simulated year
    cannot travel it again next year, so its contacts stand for next year's newcomers."""
    latest = journey.versions.order_by("-number").first()
    if latest is None:
        return False
    return parse_definition(latest.definition, texts=False).trigger.reentry == "once"


JOURNEYS = JourneyForecast()
