"""The naive baseline for bench/engine.py: the same journeys, one relation at a time.

This is how a per-contact campaign runner works: a loop over relations with ORM
queries per relation and per step. It follows the same definitions and rules as
the engine so the two do the same work; it exists only to be measured against.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone


def _step(definition: Any, key: str) -> Any:
    return next(s for s in definition.steps if s.key == key)


def _advance_one(enrollment: Any, definition: Any, now: datetime, today: date) -> tuple[int, int]:
    """Move one enrollment as far as it can go now. Returns (moves, touchpoints)."""
    from koers.groups.queries import compile_node
    from koers.groups.rules import parse
    from koers.journeys.engine import ON_ENROLLMENT
    from koers.journeys.models import Enrollment
    from koers.relations.models import Consent, Event
    from koers.touchpoints.choices import consent_channel
    from koers.touchpoints.models import Touchpoint
    from koers.touchpoints.planning import bucket

    moves = planned = 0
    while enrollment.state == "active":
        step = _step(definition, enrollment.step)
        target: str | None
        if step.kind == "wait":
            if not enrollment.waiting:
                enrollment.waiting = True
                enrollment.due_at = enrollment.step_entered_at + timedelta(
                    seconds=step.settings.get("seconds", 0)
                )
                enrollment.save()
            if enrollment.due_at > now:
                return moves, planned
            target = step.next
        elif step.kind == "wait_for_event":
            if not enrollment.waiting:
                enrollment.waiting = True
                enrollment.due_at = enrollment.step_entered_at + timedelta(
                    seconds=step.settings["seconds"]
                )
                enrollment.save()
            seen = Event.objects.filter(
                relation_id=enrollment.relation_id, kind=step.settings["event"],
                occurred_at__gte=enrollment.step_entered_at, occurred_at__lte=now,
            ).exists()  # fmt: skip
            if seen:
                target = step.next
            elif enrollment.due_at <= now:
                target = step.settings["on_timeout"]
            else:
                return moves, planned
        elif step.kind == "branch":
            target = step.settings["else"]
            for item in step.settings["branches"]:
                rule = compile_node(parse(item["when"], trigger=True), today, ON_ENROLLMENT)
                if Enrollment.objects.filter(pk=enrollment.pk).filter(rule).exists():
                    target = item["next"]
                    break
        elif step.kind == "split":
            point, low, target = bucket(enrollment.relation_id, f"journey:x:{step.key}"), 0, None
            for item in step.settings["paths"]:
                if low <= point < low + item["percent"]:
                    target = item["next"]
                low += item["percent"]
        elif step.kind == "action":
            channel = step.settings["channels"][0]
            needed = consent_channel(channel, step.settings["content"])
            ok = (
                not needed
                or Consent.objects.filter(
                    relation_id=enrollment.relation_id, channel=needed, withdrawn_at__isnull=True
                ).exists()
            )
            Touchpoint.objects.get_or_create(
                relation_id=enrollment.relation_id,
                source=f"naive:{enrollment.journey_id}:{step.key}",
                occurrence=f"{enrollment.pk}.{enrollment.visit}",
                defaults={
                    "channel": channel, "nature": step.settings["nature"], "step": step.key,
                    "planned_at": enrollment.step_entered_at, "role": step.settings["content"].get("role", ""),
                    "status": "planned" if ok else "skipped", "skip_reason": "" if ok else "no_consent",
                },
            )  # fmt: skip
            planned += 1
            target = step.next
        else:
            target = None
        moves += 1
        enrollment.visit += 1
        enrollment.waiting = False
        at = enrollment.due_at or enrollment.step_entered_at
        if target is None:
            enrollment.state, enrollment.ended_at = "done", at
        else:
            enrollment.step, enrollment.step_entered_at, enrollment.due_at = target, at, at
        enrollment.save()
    return moves, planned


def _enroll(journey: Any, definition: Any, now: datetime) -> int:
    from koers.groups.queries import compile_node
    from koers.groups.rules import parse
    from koers.journeys.engine import ON_EVENT
    from koers.journeys.models import Enrollment
    from koers.relations.models import Event, Relation

    # Events dated since the previous tick, as the engine takes them (the benchmark loads
    # every event up front, so their ids say nothing about their dates).
    since = journey.seen_at or now - definition.trigger.max_age
    events = Event.objects.filter(
        kind=definition.trigger.event, occurred_at__gt=since, occurred_at__lte=now
    ).order_by("occurred_at", "id")
    added = 0
    where = None
    if definition.trigger.where:
        rule = parse(definition.trigger.where, trigger=True)
        where = compile_node(rule, timezone.localtime(now).date(), ON_EVENT)
    for event in events.iterator():
        if not Relation.objects.filter(pk=event.relation_id, status="active").exists():
            continue
        if where is not None and not Event.objects.filter(pk=event.pk).filter(where).exists():
            continue
        occurrence = str(event.id) if definition.trigger.reentry == "always" else ""
        _, created = Enrollment.objects.get_or_create(
            journey=journey, relation_id=event.relation_id, occurrence=occurrence,
            defaults={
                "version": journey.current, "step": definition.first, "step_entered_at": event.occurred_at,
                "due_at": event.occurred_at, "entered_at": event.occurred_at, "trigger": event.data,
            },
        )  # fmt: skip
        added += created
    journey.seen_at = now
    journey.save(update_fields=["seen_at"])
    return added


def naive_ticks(days: int, start: date, zone: ZoneInfo) -> dict[str, Any]:
    from koers.journeys.definition import parse_definition
    from koers.journeys.models import Enrollment, Journey

    advanced = planned = 0
    began = time.perf_counter()
    for offset in range(1, days + 1):
        now = datetime.combine(start + timedelta(days=offset), clock(9), tzinfo=zone)
        today = timezone.localtime(now).date()
        for journey in Journey.objects.all():
            definition = parse_definition(journey.current.definition)
            advanced += _enroll(journey, definition, now)
            for enrollment in Enrollment.objects.filter(journey=journey, state="active"):
                moves, made = _advance_one(enrollment, definition, now, today)
                advanced += moves
                planned += made
    seconds = time.perf_counter() - began
    return {
        "ticks": days, "seconds": round(seconds, 2), "advanced": advanced, "planned": planned,
        "ticks_per_s": round(days / seconds, 3), "advanced_per_s": round(advanced / seconds),
        "planned_per_s": round(planned / seconds), "slowest_tick_s": None,
    }  # fmt: skip
