"""Enrollment: who starts a journey in this tick, from events, a group or a date."""

from __future__ import annotations

from calendar import isleap
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.db.models import CharField, F, Max, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat, ExtractMonth, ExtractYear, LPad
from django.utils import timezone

from koers.groups.facts import local_today
from koers.groups.models import Group
from koers.groups.queries import compile_node, compile_rule
from koers.groups.rules import parse
from koers.journeys.choices import EnrollmentState
from koers.journeys.definition import Step, Trigger, parse_definition
from koers.journeys.engine import ON_EVENT, TickReport
from koers.journeys.models import Enrollment, Journey, JourneyVersion, StepCount
from koers.journeys.steps.base import kinds
from koers.relations.choices import RelationStatus
from koers.relations.models import Event, Relation
from koers.sql import insert_select


def _columns(
    version: JourneyVersion, first: Step, at: Any, occurrence: Any, **more: Any
) -> dict[str, Any]:
    # A journey that starts with a wait: its relations start waiting in the same insert.
    arrival = kinds()[first.kind].on_arrival(first, at, entered=at) or {}
    return {
        "relation_id": F("relation_id") if "relation_id" not in more else more.pop("relation_id"),
        "journey_id": Value(version.journey_id),
        "version_id": Value(version.pk),
        "occurrence": occurrence,
        "state": Value(EnrollmentState.ACTIVE),
        "step": Value(first.key),
        "waiting": Value(bool(arrival.get("waiting", False))),
        "step_entered_at": at,
        "due_at": arrival.get("due_at", at),
        "visit": Value(0),
        "entered_at": at,
        "exit_reason": Value(""),
        "variant": Value(""),
        **more,
    }


def _period(reentry: str, year: Any, month: Any, fallback: Any) -> Any:
    if reentry == "once":
        return Value("")
    if reentry == "per-year":
        return Cast(year, CharField())
    if reentry == "per-month":
        return Concat(
            Cast(year, CharField()), Value("-"), LPad(Cast(month, CharField()), 2, Value("0"))
        )
    return Cast(fallback, CharField())


def _in_group(key: str, now: datetime) -> Q:
    group = Group.objects.get(key=key)
    return Q(relation_id__in=Relation.objects.filter(compile_rule(group.rule, now)).values("pk"))


def _from_events(
    journey: Journey, version: JourneyVersion, trigger: Trigger, first: Step, now: datetime
) -> int:
    """Enroll from events recorded since the last tick, and from events dated since then.

    An event can be recorded before the moment it is dated (a mandate imported today that
    starts next month): it is picked up by the tick after its date, by its date alone.
    """
    top = Event.objects.aggregate(top=Max("id"))["top"] or journey.event_watermark
    oldest = now - trigger.max_age
    events = Event.objects.filter(
        kind=trigger.event, occurred_at__lte=now, relation__status=RelationStatus.ACTIVE
    )
    if trigger.where:
        rule = parse(trigger.where, trigger=True)
        events = events.filter(compile_node(rule, local_today(now), ON_EVENT))
    if journey.group is not None:
        events = events.filter(_in_group(journey.group.key, now))
    occurrence = _period(
        trigger.reentry, ExtractYear("occurred_at"), ExtractMonth("occurred_at"), F("id")
    )
    columns = _columns(
        version, first, F("occurred_at"), occurrence, trigger_event_id=F("id"), trigger=F("data")
    )
    # In event order, so that of two events in one period the first one starts the journey.
    recorded = events.filter(id__gt=journey.event_watermark, id__lte=top, occurred_at__gte=oldest)
    added = insert_select(Enrollment, columns, recorded.order_by("id"))
    if journey.seen_at is not None:
        # One lower bound, the later of the two, so the date index is read over one day's
        # events rather than over the whole max_age window.
        since = Q(occurred_at__gt=journey.seen_at)
        if journey.seen_at < oldest:
            since = Q(occurred_at__gte=oldest)
        # By date: ordering by id would lead the database to read every event of the kind.
        dated = events.filter(since, id__lte=journey.event_watermark)
        added += insert_select(Enrollment, columns, dated.order_by("occurred_at", "id"))
    Journey.objects.filter(pk=journey.pk).update(event_watermark=top)
    journey.event_watermark = top
    return added


def _anniversary(trigger: Trigger, today: date) -> Q:
    path = {
        "birthday": "birth_date",
        "gifts.first": "facts__first_gift_on",
        "mandate.start": "facts__mandate__start_date",
    }[trigger.date]
    match = Q(**{f"{path}__month": today.month, f"{path}__day": today.day, f"{path}__lt": today})
    if (today.month, today.day) == (2, 28) and not isleap(today.year):
        match |= Q(**{f"{path}__month": 2, f"{path}__day": 29})  # 29 February, in other years
    return match


def _from_relations(
    journey: Journey, version: JourneyVersion, trigger: Trigger, first: Step, now: datetime
) -> int:
    today = local_today(now)
    if journey.checked_on == today:
        return 0
    relations: QuerySet[Relation] = Relation.objects.filter(status=RelationStatus.ACTIVE)
    if trigger.kind == "group":
        relations = relations.filter(compile_rule(Group.objects.get(key=trigger.group).rule, now))
    else:
        relations = relations.filter(_anniversary(trigger, today))
    if journey.group is not None:
        relations = relations.filter(compile_rule(journey.group.rule, now))
    occurrence = _period(trigger.reentry, Value(today.year), Value(today.month), Value(""))
    columns = _columns(
        version, first, Value(now), occurrence, relation_id=F("pk"), trigger=Value({})
    )
    columns["trigger"] = Cast(Value("{}"), output_field=Enrollment._meta.get_field("trigger"))
    added = insert_select(Enrollment, columns, relations)
    Journey.objects.filter(pk=journey.pk).update(checked_on=today)
    journey.checked_on = today
    return added


def enroll(
    journey: Journey,
    version: JourneyVersion,
    now: datetime,
    report: TickReport,
    checkpoint: Callable[[], None],
) -> int:
    """Start the journey for everyone its trigger selects, once per the re-entry rule."""
    definition = parse_definition(version.definition, texts=False)
    trigger, first = definition.trigger, definition.step(definition.first)
    with transaction.atomic():
        if trigger.kind == "event":
            added = _from_events(journey, version, trigger, first, now)
        else:
            added = _from_relations(journey, version, trigger, first, now)
        if added:
            counted = StepCount.objects.filter(version=version, step=first.key).update(
                entered=F("entered") + added
            )
            if not counted:
                StepCount.objects.create(version=version, step=first.key, entered=added)
    report.enrolled += added
    report.count(journey.key, "enrolled", added)
    checkpoint()
    return added


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=timezone.get_current_timezone())
