"""What Koers does with one relation, for its page: the journeys it is on (where it is, what
comes next), its contacts (planned, made, skipped and why), calls, tasks and answers, and
all of that on one timeline with the events.

Every read is bounded: a fixed number of queries however many contacts a relation has, and
at most `limit` rows of each list (the page offers the rest).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from koers.calendar.models import Moment
from koers.feedback.models import Response
from koers.journeys.choices import EnrollmentState, ExitReason
from koers.journeys.definition import DefinitionError, parse_definition
from koers.journeys.models import Enrollment, JourneyVersion
from koers.journeys.steps.base import kinds
from koers.relations.models import Event, Relation
from koers.touchpoints.choices import CallOutcome, Channel, Nature, SkipReason, Status
from koers.touchpoints.models import Touchpoint

# Touchpoints still ahead: the timeline and the journeys show them as what comes next.
AHEAD = (Status.PLANNED, Status.SENDING, Status.OPEN)


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@dataclass
class Names:
    """Journey steps and calendar moments by the names people gave them, read at once for
    every source on the page ("journey:welkom:bedank", "calendar:voorbeeld:kerst")."""

    journeys: dict[str, str] = field(default_factory=dict)
    steps: dict[tuple[str, str], str] = field(default_factory=dict)
    moments: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def of(cls, sources: Iterable[str]) -> Names:
        parts = [source.split(":", 2) for source in set(sources)]
        journey_keys = {p[1] for p in parts if len(p) == 3 and p[0] == "journey"}
        calendar_keys = {p[1] for p in parts if len(p) == 3 and p[0] == "calendar"}
        names = cls()
        versions = JourneyVersion.objects.filter(journey__key__in=journey_keys)
        # Oldest first, so the newest version's label is the one kept.
        for key, name, definition in versions.order_by("number").values_list(
            "journey__key", "journey__name", "definition"
        ):
            names.journeys[key] = name
            for step in definition.get("steps", []):
                if isinstance(step, dict) and step.get("key"):
                    names.steps[(key, step["key"])] = str(step.get("label") or step["key"])
        moments = Moment.objects.filter(calendar__key__in=calendar_keys)
        for calendar, key, name in moments.values_list("calendar__key", "key", "name"):
            names.moments[(calendar, key)] = name
        return names

    def source(self, source: str) -> str:
        """'Welkom: Bedankmail' for a journey step, 'Kerstkaart' for a calendar moment."""
        kind, _sep, rest = source.partition(":")
        key, _sep, item = rest.partition(":")
        if kind == "journey":
            journey = self.journeys.get(key, key)
            return f"{journey}: {self.steps.get((key, item), item)}"
        if kind == "calendar":
            return self.moments.get((key, item), item)
        return source


@dataclass
class Contact:
    touchpoint: Touchpoint
    what: str
    at: datetime
    ahead: bool
    channel: str
    nature: str
    status: str
    reason: str  # why it was skipped or failed, in words
    outcome: str  # a call's or task's result, in words

    @property
    def attempts(self) -> int:
        return self.touchpoint.attempts


def _contact(touchpoint: Touchpoint, names: Names) -> Contact:
    ahead = touchpoint.status in AHEAD
    reason = _label(SkipReason, touchpoint.skip_reason) if touchpoint.skip_reason else ""
    if touchpoint.status == Status.FAILED and not reason:
        reason = touchpoint.error.splitlines()[0] if touchpoint.error else ""
    outcome = {"done": _("gedaan"), "not_done": _("niet gedaan")}.get(touchpoint.outcome, "")
    return Contact(
        touchpoint=touchpoint,
        what=names.source(touchpoint.source),
        at=touchpoint.planned_at if ahead else (touchpoint.made_at or touchpoint.planned_at),
        ahead=ahead,
        channel=_label(Channel, touchpoint.channel),
        nature=_label(Nature, touchpoint.nature),
        status=_label(Status, touchpoint.status),
        reason=reason,
        outcome=outcome or (_label(CallOutcome, touchpoint.outcome) if touchpoint.outcome else ""),
    )


def _touchpoints(relation: Relation) -> QuerySet[Touchpoint]:
    return Touchpoint.objects.filter(relation=relation).order_by("-planned_at", "-id")


@dataclass
class Contacts:
    rows: list[Contact]
    total: int


def contacts(relation: Relation, names: Names, limit: int | None, **only: Any) -> Contacts:
    """The relation's contacts, newest (or furthest ahead) first; `only` filters them."""
    found = _touchpoints(relation).filter(**only)
    rows = list(found[:limit] if limit else found)
    total = len(rows) if limit is None or len(rows) < limit else found.count()
    return Contacts([_contact(t, names) for t in rows], total)


@dataclass
class JourneyPlace:
    """One journey the relation is on or was on, in words."""

    name: str
    key: str
    state: str
    active: bool
    step: str  # where it is now (the step's label)
    since: datetime
    entered_at: datetime
    ended_at: datetime | None
    ended_because: str
    next_steps: list[str]  # what comes after this step (two or more after a branch)
    next_at: datetime | None  # when it moves on, if that is known
    next_contact: Contact | None  # the contact this step has planned

    @property
    def next_text(self) -> str:
        """'Einde of Bellen': the steps that may come next, in words."""
        word = _("of")
        return f" {word} ".join(self.next_steps)


def _definition(version: JourneyVersion, cache: dict[int, Any]) -> Any:
    if version.pk not in cache:
        try:
            cache[version.pk] = parse_definition(version.definition)
        except DefinitionError:
            cache[version.pk] = None
    return cache[version.pk]


def _place(enrollment: Enrollment, definition: Any, ahead: dict[int, Contact]) -> JourneyPlace:
    steps = definition.steps if definition else ()
    step = next((s for s in steps if s.key == enrollment.step), None)
    active = enrollment.state == EnrollmentState.ACTIVE
    following: list[str] = []
    if step is not None and active and step.kind in kinds():
        # An exit step is seldom given a label: say what it means.
        end = _("einde van de klantreis")
        labels = {s.key: end if s.kind == "exit" else s.label for s in steps}
        following = [labels.get(key, key) for key in kinds()[step.kind].targets(step)]
    reason = _label(ExitReason, enrollment.exit_reason) if enrollment.exit_reason else ""
    state = _label(EnrollmentState, enrollment.state)
    if enrollment.state == EnrollmentState.DONE and enrollment.pk in ahead:
        state = _("wacht op het laatste contact")
    return JourneyPlace(
        name=enrollment.journey.name,
        key=enrollment.journey.key,
        state=state,
        active=active,
        step=step.label if step else enrollment.step,
        since=enrollment.step_entered_at,
        entered_at=enrollment.entered_at,
        ended_at=enrollment.ended_at,
        ended_because=reason,
        next_steps=following,
        next_at=enrollment.due_at if active and enrollment.waiting else None,
        next_contact=ahead.get(enrollment.pk),
    )


def journeys(relation: Relation, names: Names) -> list[JourneyPlace]:
    """Every journey of the relation, those it is on first, then the newest."""
    enrollments = list(
        relation.enrollments.select_related("journey", "version").order_by("-entered_at", "-id")
    )
    # A journey that reached its end may still have its last contact to make (a call on the
    # list): it is not finished until that is done.
    travelling = (EnrollmentState.ACTIVE, EnrollmentState.DONE)
    open_ones = [e.pk for e in enrollments if e.state in travelling]
    planned = _touchpoints(relation).filter(enrollment__in=open_ones, status__in=AHEAD)
    ahead: dict[int, Contact] = {}
    for touchpoint in planned.order_by("planned_at"):
        if touchpoint.enrollment_id is not None:
            ahead.setdefault(touchpoint.enrollment_id, _contact(touchpoint, names))
    cache: dict[int, Any] = {}
    places = [_place(e, _definition(e.version, cache), ahead) for e in enrollments]
    return sorted(places, key=lambda p: not p.active)


@dataclass
class Answer:
    response: Response
    instrument: str
    score: int | None
    comment: str
    at: datetime
    about: str  # the contact that asked


def answers(relation: Relation, names: Names, limit: int) -> tuple[list[Answer], int]:
    found = Response.objects.filter(relation=relation).select_related("instrument", "touchpoint")
    rows = list(found.order_by("-answered_at", "-id")[:limit])
    total = len(rows) if len(rows) < limit else found.count()
    return [
        Answer(
            r,
            r.instrument.name,
            r.score,
            r.comment,
            r.answered_at,
            names.source(r.touchpoint.source) if r.touchpoint else "",
        )
        for r in rows
    ], total


@dataclass
class Line:
    """One line of the timeline: an event, a contact or a journey entered or left."""

    at: datetime
    title: str
    parts: list[str]
    kind: str  # event, contact, ahead, journey: how the line is marked
    event: Event | None = None


def timeline(
    events: Sequence[Event], contacts: Sequence[Contact], places: Sequence[JourneyPlace]
) -> list[Line]:
    """Events, contacts and journeys on one line, the furthest ahead first.

    A call's or a task's result is already an event (gesprek gevoerd, taak afgehandeld), so
    those contacts appear as their events."""
    lines = [Line(e.occurred_at, e.get_kind_display(), [], "event", e) for e in events]
    for contact in contacts:
        done = contact.touchpoint.status == Status.DONE
        if done or contact.touchpoint.skip_reason == SkipReason.NOT_DONE:
            continue
        # A contact still ahead is marked as planned already; its status would say it twice.
        parts = [contact.channel] if contact.ahead else [contact.channel, contact.status]
        if contact.reason:
            parts.append(contact.reason)
        kind = "ahead" if contact.ahead else "contact"
        lines.append(Line(contact.at, contact.what, parts, kind))
    for place in places:
        lines.append(Line(place.entered_at, _("Klantreis begonnen"), [place.name], "journey"))
        if place.ended_at:
            parts = [place.name, place.state, place.ended_because]
            lines.append(
                Line(place.ended_at, _("Klantreis beëindigd"), [p for p in parts if p], "journey")
            )
    return sorted(lines, key=lambda line: line.at, reverse=True)
