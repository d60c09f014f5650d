"""What a touchpoint's source is called, for the pages: never its code.

A journey step plans with source "journey:JOURNEY:STEP", a calendar moment with
"calendar:CALENDAR:MOMENT" (see Touchpoint). People read the journey's name and the
step's label, or the calendar's name and the moment's; the code stays available on hover.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from koers.calendar.models import Moment
from koers.journeys.queries import step_labels
from koers.touchpoints.models import Touchpoint


@dataclass(frozen=True)
class SourceName:
    kind: str  # "journey", "calendar", or "" for a source neither made
    whole: str  # the journey's or the calendar's name
    part: str  # the step's label or the moment's name
    key: str  # the journey's or the calendar's key

    def __str__(self) -> str:
        return f"{self.whole}: {self.part}" if self.part else self.whole


def split(code: str) -> tuple[str, str, str]:
    """("journey", journey key, step key), ("calendar", calendar key, moment key), or
    ("", code, "") for any other source. "journey:KEY" alone names the whole journey."""
    kind, found, rest = code.partition(":")
    if kind not in ("journey", "calendar") or not found:
        return "", code, ""
    owner, _sep, item = rest.partition(":")
    return kind, owner, item


def name_sources(codes: Iterable[str]) -> dict[str, SourceName]:
    """Every code named, with a handful of queries however many there are. A journey or
    moment that no longer exists keeps its key as its name."""
    parts = {code: split(code) for code in set(codes)}
    journeys = {owner for kind, owner, _item in parts.values() if kind == "journey"}
    calendars = {owner for kind, owner, _item in parts.values() if kind == "calendar"}
    steps = step_labels(journeys)
    moments = _moments(calendars)
    named = {}
    for code, (kind, owner, item) in parts.items():
        if kind == "journey":
            name, labels = steps.get(owner, (owner, {}))
            named[code] = SourceName(kind, name, labels.get(item, item), owner)
        elif kind == "calendar":
            calendar, moment = moments.get((owner, item), (owner, item))
            named[code] = SourceName(kind, calendar, moment, owner)
        else:
            named[code] = SourceName("", code, "", "")
    return named


def _moments(calendars: set[str]) -> dict[tuple[str, str], tuple[str, str]]:
    rows = Moment.objects.filter(calendar__key__in=calendars).values_list(
        "calendar__key", "key", "calendar__name", "name"
    )
    return {(calendar, key): (calendar_name, name) for calendar, key, calendar_name, name in rows}


def label(touchpoints: Iterable[Touchpoint]) -> None:
    """Give each touchpoint its `source_name` (one lookup for the whole page)."""
    rows = list(touchpoints)
    names = name_sources(row.source for row in rows)
    for row in rows:
        row.source_name = names[row.source]  # type: ignore[attr-defined]
