"""Reads about journeys that more than one page needs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from koers.journeys.definition import Definition, DefinitionError, parse_definition
from koers.journeys.models import Journey, JourneyVersion

if TYPE_CHECKING:
    from koers.journeys.truth import Truth


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


def failing_moments_of_truth(now: datetime) -> tuple[list[Truth], int]:
    """The moments of truth under target right now, worst first, and the target in percent
    on time (koers/journeys/truth.py): what the home page flags."""
    from koers.journeys.truth import TRUTH_TARGET, moments_of_truth

    return [truth for truth in moments_of_truth(now) if truth.timeliness.failing], TRUTH_TARGET
