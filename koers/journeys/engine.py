"""The planner: one tick advances every journey set-based, as docs/architecture.md describes.

Per journey version and per step kind, a tick is a handful of statements over all
due enrollments at once; there is no loop over relations. Touchpoints are inserted
with a unique key and the move of the enrollment commits with them, so a tick may
be stopped anywhere and run again. Sending is not done here (see dispatch).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet

from koers.groups.facts import local_today
from koers.groups.queries import Target, compile_node
from koers.groups.rules import parse
from koers.journeys.choices import EnrollmentState, ExitReason, JourneyStatus
from koers.journeys.definition import Definition, Step, parse_definition
from koers.journeys.models import Enrollment, Journey, JourneyVersion, StepCount
from koers.journeys.steps.base import kinds
from koers.relations.choices import EventKind, LegalBasis, RelationStatus
from koers.relations.models import Consent, Event
from koers.touchpoints.choices import SkipReason, Status
from koers.touchpoints.models import Touchpoint
from koers.touchpoints.planning import planner_lock

log = logging.getLogger(__name__)

# Rules over an enrollment: the relation is one step away, the trigger is stored on it.
ON_ENROLLMENT = Target(prefix="relation__", relation_id="relation_id", trigger="trigger")
# Rules over an event: its data is the trigger.
ON_EVENT = Target(prefix="relation__", relation_id="relation_id", trigger="data")
# Each pass moves every relation at least one step, and cycles need a wait: this bounds a tick.
MAX_PASSES = 64
# Ids per statement when looking at relations with new events (SQLite allows 32,766).
TOUCHED_CHUNK = 10_000


@dataclass
class TickReport:
    now: datetime
    enrolled: int = 0
    moved: int = 0
    planned: int = 0
    exited: int = 0
    passes: int = 0
    skipped_lock: bool = False
    per_journey: dict[str, dict[str, int]] = field(default_factory=dict)
    # Count the contacts a journey's minimum gap moved ("spaced" per journey): one more
    # query per contact step, so only the simulation asks for it.
    measure_spacing: bool = False

    def count(self, journey: str, name: str, amount: int) -> None:
        figures = self.per_journey.setdefault(journey, {})
        figures[name] = figures.get(name, 0) + amount


class Advance:
    """What a step kind needs to advance the enrollments of one journey version."""

    def __init__(
        self,
        version: JourneyVersion,
        definition: Definition,
        now: datetime,
        report: TickReport,
        checkpoint: Callable[[], None],
    ) -> None:
        self.version, self.definition, self.now = version, definition, now
        self.journey = version.journey
        self.report, self.checkpoint = report, checkpoint
        self.today = local_today(now)
        # Events recorded since the previous tick: only their relations can newly meet an
        # exit condition or an awaited event, so only those are looked at.
        self.seen: tuple[int, int, datetime | None] = (0, 0, None)
        self._touched: dict[tuple[str, ...], list[Q]] = {}  # the events do not change in a tick
        self._relations: dict[tuple[str, ...], list[int]] = {}

    def touched(self, *kinds: str) -> list[Q]:
        """This version's active enrollments of relations with an event of these kinds recorded
        since the previous tick, or dated since then (recorded early), as chunks of ids.

        Only these can newly meet an exit condition or an awaited event. The ids are fetched
        first, starting from each relation's enrollments: there are few, and one statement
        over all the version's enrollments would read every one of them. No ids, no
        conditions: the caller then has nothing to look at."""
        if kinds in self._touched:
            return self._touched[kinds]
        ordered, found = self.touched_relations(*kinds), []
        for start in range(0, len(ordered), TOUCHED_CHUNK):
            rows = Enrollment.objects.filter(
                relation_id__in=ordered[start : start + TOUCHED_CHUNK],
                state=EnrollmentState.ACTIVE,
            ).values_list("id", "version_id")
            found += [pk for pk, version in rows if version == self.version.pk]
        found.sort()
        self._touched[kinds] = [
            Q(id__in=found[start : start + TOUCHED_CHUNK])
            for start in range(0, len(found), TOUCHED_CHUNK)
        ]
        return self._touched[kinds]

    def new_events(self, *kinds: str) -> QuerySet[Event]:
        """Events of these kinds recorded since the previous tick, or dated since then."""
        low, high, since = self.seen
        recent = Q(id__gt=low, id__lte=high)
        if since is not None:
            recent |= Q(id__lte=low, occurred_at__gt=since)
        return Event.objects.filter(recent, kind__in=kinds, occurred_at__lte=self.now)

    def touched_relations(self, *kinds: str) -> list[int]:
        """The relations with a new event of these kinds (see new_events), in id order."""
        if kinds in self._relations:
            return self._relations[kinds]
        low, high, since = self.seen
        events = Event.objects.filter(kind__in=kinds, occurred_at__lte=self.now)
        # Two queries, each a plain index range; one OR would read all events of the kinds.
        relations = set(
            events.filter(id__gt=low, id__lte=high).values_list("relation_id", flat=True)
        )
        if since is not None:
            dated = events.filter(id__lte=low, occurred_at__gt=since)
            relations.update(dated.values_list("relation_id", flat=True))
        self._relations[kinds] = sorted(relations)
        return self._relations[kinds]

    def on_step(self, step: Step) -> QuerySet[Enrollment]:
        return Enrollment.objects.filter(
            version=self.version, state=EnrollmentState.ACTIVE, step=step.key
        )

    def arrived(self, step: Step) -> QuerySet[Enrollment]:
        return self.on_step(step).filter(waiting=False)

    def due(self, step: Step) -> QuerySet[Enrollment]:
        return self.on_step(step).filter(waiting=True, due_at__lte=self.now)

    def rule(self, text: str, target: Target = ON_ENROLLMENT) -> Q:
        return compile_node(parse(text, trigger=True), self.today, target)

    def move(
        self,
        rows: QuerySet[Enrollment],
        target: str | None,
        at: Any = None,
        **extra: Any,
    ) -> int:
        """Move rows to the target step (None: the journey is done), counting arrivals."""
        at = F("due_at") if at is None else at
        with transaction.atomic():
            if target is None:
                changes = {"state": EnrollmentState.DONE, "ended_at": at, "due_at": None}
            else:
                changes = {"step": target, "step_entered_at": at, "due_at": at}
                step = self.definition.step(target)
                changes.update(kinds()[step.kind].on_arrival(step, at) or {})
            changes.setdefault("waiting", False)
            moved = rows.update(visit=F("visit") + 1, **changes, **extra)
            if moved and target is not None:
                self.count_arrivals(target, moved)
        self.report.moved += moved
        self.report.count(self.journey.key, "moved", moved)
        self.checkpoint()
        return moved

    def count_arrivals(self, step: str, amount: int) -> None:
        counted = StepCount.objects.filter(version=self.version, step=step).update(
            entered=F("entered") + amount
        )
        if not counted:
            StepCount.objects.create(version=self.version, step=step, entered=amount)

    def set_waiting(self, rows: QuerySet[Enrollment], due_at: Any) -> int:
        with transaction.atomic():
            changed = rows.update(waiting=True, due_at=due_at)
        self.checkpoint()
        return changed


def _no_checkpoint() -> None:
    return None


def tick(
    now: datetime,
    *,
    journeys: list[str] | None = None,
    checkpoint: Callable[[], None] = _no_checkpoint,
    measure_spacing: bool = False,
) -> TickReport:
    """Enroll, exit and advance every active journey up to `now`. Writes no e-mail: see dispatch."""
    report = TickReport(now, measure_spacing=measure_spacing)
    with planner_lock() as acquired:
        if not acquired:
            report.skipped_lock = True
            return report
        selected = Journey.objects.select_related("phase")
        if journeys:
            selected = selected.filter(key__in=journeys)
        for journey in selected:
            # One transaction per journey: a crash leaves the journey as the previous tick
            # did, and each page the tick changes is written once at commit, not per step.
            with transaction.atomic():
                _tick_journey(journey, now, report, checkpoint)
    return report


def _tick_journey(
    journey: Journey, now: datetime, report: TickReport, checkpoint: Callable[[], None]
) -> None:
    if journey.status == JourneyStatus.RETIRED:
        report.exited += retire(journey, now)
        return
    if journey.status != JourneyStatus.ACTIVE:
        return  # drafts do nothing; paused journeys keep everyone where they are
    from koers.journeys.enroll import enroll

    versions = list(journey.versions.order_by("number"))
    if not versions:
        return
    enroll(journey, versions[-1], now, report, checkpoint)
    top = Event.objects.aggregate(top=Max("id"))["top"] or 0
    running = Enrollment.objects.filter(journey=journey, state=EnrollmentState.ACTIVE)
    for version in versions:
        if version is not versions[-1] and not running.filter(version=version).exists():
            continue
        definition = parse_definition(version.definition, texts=False)
        run = Advance(version, definition, now, report, checkpoint)
        run.seen = (journey.seen_event_id, top, journey.seen_at)
        report.exited += apply_exits(run)
        close_resolved_tasks(run)
        advance(run)
    Journey.objects.filter(pk=journey.pk).update(seen_event_id=top, seen_at=now)
    journey.seen_event_id, journey.seen_at = top, now


def advance(run: Advance) -> None:
    """Let every step kind take its due enrollments until nobody moves any more."""
    registry = kinds()
    for number in range(1, MAX_PASSES + 1):
        moved = sum(registry[step.kind].advance(run, step) for step in run.definition.steps)
        run.report.passes = max(run.report.passes, number)
        if not moved:
            return
    log.warning("journey %s: still moving after %s passes", run.journey.key, MAX_PASSES)


def close_resolved_tasks(run: Advance) -> int:
    """Close the open tasks whose step says they are done when an event arrives (`done_when`)
    and whose relation has such an event now: before the steps advance, so a task made in
    this tick is never closed by an event that was already there."""
    from koers.journeys.steps.action import Action

    action = kinds()["action"]
    assert isinstance(action, Action)
    closed = sum(
        action.close_resolved(run, step)
        for step in run.definition.steps
        if step.kind == "action" and step.settings.get("done_when")
    )
    if closed:
        run.report.count(run.journey.key, "resolved", closed)
    return closed


def _cancelled(now: datetime) -> Q:
    cancelled = Event.objects.filter(
        relation=OuterRef("relation_id"),
        kind=EventKind.MANDATE_CANCELLED,
        occurred_at__gte=OuterRef("entered_at"),
        occurred_at__lte=now,
    )
    return Q(Exists(cancelled))


def _opted_out(now: datetime) -> Q:
    """No valid consent on any channel is left: the relation opted out of everything. A row
    with basis "none" (an unsubscribe without consent) is never a valid consent."""
    valid = (
        Consent.objects.filter(relation=OuterRef("relation_id"))
        .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=now))
        .exclude(basis=LegalBasis.NONE)
    )
    return ~Q(Exists(valid))


def _deceased(now: datetime) -> Q:
    return Q(relation__status=RelationStatus.DECEASED)


# The events after which a relation may meet an exit condition.
EXIT_EVENTS: dict[str, tuple[str, ...]] = {
    ExitReason.MANDATE_CANCELLED: (EventKind.MANDATE_CANCELLED,),
    ExitReason.OPT_OUT: (EventKind.CONSENT_WITHDRAWN,),
    ExitReason.DECEASED: (EventKind.RELATION_DECEASED, EventKind.RELATION_CHANGED),
}

EXIT_CONDITIONS: dict[str, Callable[[datetime], Q]] = {
    ExitReason.MANDATE_CANCELLED: _cancelled,
    ExitReason.OPT_OUT: _opted_out,
    ExitReason.DECEASED: _deceased,
}


def apply_exits(run: Advance) -> int:
    """End the journey for relations meeting an exit condition, and cancel what they had planned."""
    exited = 0
    active = Enrollment.objects.filter(version=run.version, state=EnrollmentState.ACTIVE)
    for reason in run.definition.exits:
        for touched in run.touched(*EXIT_EVENTS[reason]):
            leaving = active.filter(touched).filter(EXIT_CONDITIONS[reason](run.now))
            exited += end_enrollments(leaving, reason, run.now)
            run.checkpoint()
    run.report.count(run.journey.key, "exited", exited)
    return exited


def end_enrollments(rows: QuerySet[Enrollment], reason: str, now: datetime) -> int:
    """End these enrollments and skip what they still had planned.

    The ids are fetched first: those leaving in one tick are few, and a plain id list lets
    the database use the touchpoints' enrollment index instead of scanning what is planned.
    """
    ended = 0
    with transaction.atomic():
        ids = list(rows.values_list("id", flat=True))
        for start in range(0, len(ids), 10_000):
            chunk = ids[start : start + 10_000]
            Touchpoint.objects.filter(enrollment_id__in=chunk, status=Status.PLANNED).update(
                status=Status.SKIPPED, skip_reason=SkipReason.EXITED
            )
            ended += Enrollment.objects.filter(id__in=chunk).update(
                state=EnrollmentState.EXITED, exit_reason=reason, ended_at=now, due_at=None
            )
    return ended


def retire(journey: Journey, now: datetime) -> int:
    active = Enrollment.objects.filter(journey=journey, state=EnrollmentState.ACTIVE)
    return end_enrollments(active, ExitReason.RETIRED, now)
