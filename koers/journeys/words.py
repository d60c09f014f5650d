"""Journeys in words: durations, events, rules and the lines a step shows on the map.

Shared by the map (koers.journeys.report) and the step kinds, each of which says what a
step of it does (StepKind.describe)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy, ngettext

from koers.groups.wording import rule_in_words
from koers.journeys.durations import BusinessDays, Span
from koers.journeys.steps.timing import from_settings
from koers.relations.choices import EventKind

if TYPE_CHECKING:
    from koers.journeys.definition import Definition

DAY = 24 * 3600
WEEKDAYS = (
    gettext_lazy("maandag"),
    gettext_lazy("dinsdag"),
    gettext_lazy("woensdag"),
    gettext_lazy("donderdag"),
    gettext_lazy("vrijdag"),
    gettext_lazy("zaterdag"),
    gettext_lazy("zondag"),
)


def span_text(span: Span) -> str:
    """A deadline's, wait's or time-out's length as written: "2 werkdagen", "7 dagen"."""
    if isinstance(span, BusinessDays):
        return ngettext("%(n)d werkdag", "%(n)d werkdagen", span.count) % {"n": span.count}
    return duration(span.total_seconds())


def span_of(settings: Mapping[str, Any]) -> str:
    return span_text(from_settings(settings))


def duration(seconds: int | float) -> str:
    """7 dagen, 24 uur, 2 weken: the largest whole unit."""
    seconds = int(seconds)
    if seconds and seconds % (7 * DAY) == 0 and seconds // (7 * DAY) > 1:
        weeks = seconds // (7 * DAY)
        return ngettext("%(n)d week", "%(n)d weken", weeks) % {"n": weeks}
    if seconds and seconds % DAY == 0:
        count = seconds // DAY
        return ngettext("%(n)d dag", "%(n)d dagen", count) % {"n": count}
    if seconds % 3600 == 0:
        count = seconds // 3600
        return ngettext("%(n)d uur", "%(n)d uur", count) % {"n": count}
    count = seconds // 60
    return ngettext("%(n)d minuut", "%(n)d minuten", count) % {"n": count}


def label_of(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def event_label(kind: str) -> str:
    return label_of(EventKind, kind)


@dataclass(frozen=True)
class Line:
    """A line the map shows. `code` is the rule it says in words, shown on hover for the
    people who write rules."""

    text: str
    code: str = ""

    def __str__(self) -> str:
        return self.text


def rule_text(rule: str, definition: Definition) -> str:
    """A journey's rule in words; the journey's own steps named where a rule names a call or
    task of this journey (`trigger.source = 'journey:KEY:STEP'`)."""
    sources = {f"journey:{definition.key}:{step.key}": step.label for step in definition.steps}
    return rule_in_words(rule, trigger=True, names={"trigger.source": sources}) or rule


def step_names(definition: Definition) -> dict[str, str]:
    return {item.key: item.label for item in definition.steps}
