"""The simulation: what a journey would do over the coming days, written nowhere."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from koers.journeys.choices import JourneyStatus
from koers.journeys.engine import tick
from koers.journeys.models import Enrollment, Journey, StepCount
from koers.touchpoints.choices import COST_CENTS, MADE, MINUTES, Nature, Status
from koers.touchpoints.dispatch import dispatch
from koers.touchpoints.models import Touchpoint
from koers.touchpoints.planning import days


@dataclass
class Simulation:
    journey: str
    start: date
    days: int
    per_week: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    per_step: Counter[str] = field(default_factory=Counter)
    per_channel: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    enrolled: int = 0
    # Contacts planned later than their step so that the journey keeps its minimum gap.
    spaced: int = 0
    minutes: int = 0
    cost_cents: int = 0
    # The thank-you and appreciation contacts one by one, for the calendar's forecast:
    # (relation id, local day, step, channel, nature).
    contacts: list[tuple[int, date, str, str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "journey": self.journey,
            "start": self.start.isoformat(),
            "days": self.days,
            "enrolled": self.enrolled,
            "touchpoints": sum(self.per_channel.values()),
            "per_week": {week: dict(counts) for week, counts in sorted(self.per_week.items())},
            "per_step": dict(self.per_step),
            "per_channel": dict(self.per_channel),
            "skipped": dict(self.skipped),
            "spaced": self.spaced,
            "staff_hours": round(self.minutes / 60, 1),
            "cost_cents": self.cost_cents,
        }


class _Rollback(Exception):
    pass


def simulate(key: str, days_ahead: int, now: datetime | None = None) -> Simulation:
    """What the journey would do over `days_ahead` days, writing nothing.

    The simulation replays the last `days_ahead` days of trigger events on today's
    relation base (the recent past as the forecast of the near future), inside a
    transaction that is rolled back. Channels are not called: nothing is sent.
    """
    now = now or timezone.now()
    journey = Journey.objects.get(key=key)
    start = timezone.localtime(now).date() - timedelta(days=days_ahead)
    result = Simulation(key, start, days_ahead)
    try:
        with transaction.atomic():
            _replay(journey, start, now, result)
            raise _Rollback
    except _Rollback:
        pass
    return result


def _replay(journey: Journey, start: date, now: datetime, result: Simulation) -> None:
    from koers.relations.models import Event

    zone = timezone.get_current_timezone()
    first = datetime.combine(start, time(0), tzinfo=zone)
    # Ids follow the order events were recorded, not when they happened (imports bring
    # history): start just below the first event of the replayed period.
    first_ids = Event.objects.filter(occurred_at__gte=first).order_by("id")
    first_id = first_ids.values_list("id", flat=True).first() or 1
    # The journey starts afresh: relations already on it (or through it) travel it again,
    # so a journey that has run for a while is forecast as fully as a new one.
    Touchpoint.objects.filter(journey=journey).delete()
    Enrollment.objects.filter(journey=journey).delete()
    StepCount.objects.filter(version__journey=journey).delete()
    Journey.objects.filter(pk=journey.pk).update(
        status=JourneyStatus.ACTIVE, event_watermark=first_id - 1, checked_on=None, seen_at=None
    )
    Journey.objects.exclude(pk=journey.pk).update(status=JourneyStatus.PAUSED)
    for moment in days(start, timezone.localtime(now).date()):
        report = tick(moment, measure_spacing=True)
        result.enrolled += report.enrolled
        result.spaced += report.per_journey.get(journey.key, {}).get("spaced", 0)
        dispatch(moment, dry_run=True)
    _tally(journey, start, result)


def _tally(journey: Journey, start: date, result: Simulation) -> None:
    rows = Touchpoint.objects.filter(journey=journey).values_list(
        "relation_id", "step", "channel", "nature", "status", "skip_reason", "planned_at", "sent_at"
    )
    for relation, step, channel, nature, status, reason, planned_at, sent_at in rows:
        if status == Status.SKIPPED:
            result.skipped[reason] += 1
            continue
        moment = timezone.localtime(sent_at or planned_at).date()
        if nature in (Nature.THANK, Nature.APPRECIATE):
            result.contacts.append((relation, moment, step, channel, nature))
        week = f"week {(moment - start).days // 7 + 1:02d}"
        result.per_week[week][channel] += 1
        result.per_step[step] += 1
        result.per_channel[channel] += 1
        if status in MADE or status == Status.PLANNED:
            result.minutes += MINUTES.get(channel, 0)
            result.cost_cents += COST_CENTS.get(channel, 0)
