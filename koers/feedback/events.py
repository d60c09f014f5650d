"""The survey.answered event, defined once (see koers.relations.events): an answer given
on a page, one imported and one the demo makes all carry the same data."""

from __future__ import annotations

from koers.relations.choices import EventKind
from koers.relations.events import EventType

# `band` (promoter, passive, detractor) only for NPS; an imported answer has no scope.
SURVEY_ANSWERED = EventType(
    EventKind.SURVEY_ANSWERED,
    ("instrument", "kind", "score", "touchpoint", "channel", "comment"),
    ("scope", "band"),
)
