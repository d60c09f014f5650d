"""Reads about journeys that more than one page needs."""

from __future__ import annotations

from collections.abc import Iterable

from koers.journeys.definition import Definition, DefinitionError, parse_definition
from koers.journeys.models import Journey, JourneyVersion


def step_labels(journeys: Iterable[str]) -> dict[str, tuple[str, dict[str, str]]]:
    """Per journey key: its name and the label of every step any version had, the newest
    version's label where versions differ (a relation may still travel a step a newer
    version dropped)."""
    found: dict[str, tuple[str, dict[str, str]]] = {}
    versions = (
        JourneyVersion.objects.filter(journey__key__in=list(journeys))
        .order_by("number")
        .values_list("journey__key", "journey__name", "definition")
    )
    for key, name, definition in versions:
        labels = found.setdefault(key, (name, {}))[1]
        for step in definition.get("steps") or []:
            if isinstance(step, dict) and step.get("key"):
                labels[str(step["key"])] = str(step.get("label") or step["key"])
    return found


def current_definition(journey: Journey) -> Definition | None:
    """The definition of the journey's newest version; None without a (readable) one."""
    version = journey.current
    if version is None:
        return None
    try:
        return parse_definition(version.definition, texts=False)
    except DefinitionError:
        return None  # stored versions were checked when published; an old one may not be
