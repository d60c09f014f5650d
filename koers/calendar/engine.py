"""The calendar in the daily tick: touchpoints for the moments inside the lookahead window.

Set-based like the journeys' planner: per moment one INSERT ... SELECT over the relations it
concerns, through the same outbox and the same unique key (source, occurrence, relation),
where the source names the calendar and the moment and the occurrence is the year. A tick
plans the whole window again each day: what is planned already is skipped by the key, and
a relation that joined a group since yesterday gets the moments still ahead of it.
Consent, channel choice, holdout and contact ceilings are decided by the outbox's planning
(koers.touchpoints.planning), so a calendar moment and a journey step treat a relation alike.
"""

from __future__ import annotations

from calendar import isleap
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from koers.calendar.dates import falls_in
from koers.calendar.models import Calendar, LevelMark, Moment
from koers.calendar.plan import MomentSpec
from koers.giving.models import Gift
from koers.groups.facts import local_today
from koers.groups.models import Facts, Group
from koers.groups.queries import Target, compile_node
from koers.groups.rules import parse
from koers.relations.choices import RelationStatus
from koers.sql import insert_select
from koers.touchpoints.choices import channels_where
from koers.touchpoints.models import Touchpoint
from koers.touchpoints.planning import TICK_TIME, ContactRequest, plan_contacts, planner_lock

# Rows are per-relation facts: the relation is one step away, as from an enrollment.
ON_FACTS = Target(prefix="relation__", relation_id="relation_id")
# Letters and cards leave this many days early, so they arrive on the day.
POST_DAYS = 3
# Gifts received longer ago than this (an import of history) never set off a moment.
RECENT_GIFTS = timedelta(days=30)
# The date fields anniversaries follow, on a facts row.
ORIGIN = {
    "first_gift_anniversary": "first_gift_on",
    "years_of_support": "first_gift_on",
    "mandate_anniversary": "mandate__start_date",
    "birthday": "relation__birth_date",
}
FIRST_YEAR = 1900


@dataclass
class Planned:
    """What one calendar tick planned, per moment."""

    calendar: str
    per_moment: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.per_moment.values())


def plan_calendars(now: datetime) -> list[Planned]:
    """Plan every active calendar's moments inside its lookahead window. Safe to repeat."""
    found: list[Planned] = []
    with planner_lock() as acquired:
        if not acquired:
            return found
        calendars = list(Calendar.objects.filter(active=True))
        levels = any(_follows_levels(calendar) for calendar in calendars)
        ups = level_ups() if levels else []
        for calendar in calendars:
            with transaction.atomic():
                found.append(plan_calendar(calendar, now, ups))
        if levels:
            remember_levels()
    return found


def _follows_levels(calendar: Calendar) -> bool:
    return any(
        isinstance(m.trigger, str) and m.trigger == "level_up" for m in calendar.moments.all()
    )


def plan_calendar(calendar: Calendar, now: datetime, ups: list[int] | None = None) -> Planned:
    today = local_today(now)
    last = today + timedelta(days=calendar.lookahead_days)
    top = Gift.objects.aggregate(top=models.Max("id"))["top"] or 0
    planned = Planned(calendar.key, {})
    for moment in calendar.moments.prefetch_related("groups"):
        spec = moment.spec()
        rows = audience(spec, today)
        count = 0
        for year, chosen, at in timed(spec, rows, calendar, today, last, now, ups or []):
            count += insert(moment, spec, chosen, at, year, now)
        planned.per_moment[moment.key] = count
    Calendar.objects.filter(pk=calendar.pk).update(seen_gift_id=top)
    return planned


def audience(spec: MomentSpec, today: date) -> QuerySet[Facts]:
    """The active relations the moment is for, as facts rows."""
    rows = Facts.objects.filter(relation__status=RelationStatus.ACTIVE)
    if spec.everyone:
        return rows
    keys = list(spec.groups)
    rules = list(Group.objects.filter(key__in=keys).values_list("rule", flat=True))
    if not rules:
        return rows.none()
    condition = Q(pk__in=[])
    for rule in rules:
        condition |= compile_node(parse(rule), today, ON_FACTS)
    return rows.filter(condition)


def at_nine(day: date) -> datetime:
    return datetime.combine(day, TICK_TIME, tzinfo=timezone.get_current_timezone())


def timed(
    spec: MomentSpec,
    rows: QuerySet[Facts],
    calendar: Calendar,
    today: date,
    last: date,
    now: datetime,
    ups: list[int],
) -> Iterator[tuple[int, QuerySet[Facts], Any]]:
    """(year, rows, when) for each set of relations the moment falls for inside the window;
    `when` is a date, or an expression giving each row its own date."""
    if spec.rule is not None:
        for year in sorted({today.year, last.year}):
            day = falls_in(spec.rule, year, calendar.founded_on)
            if day is not None and today <= day <= last:
                yield year, rows, day
        return
    trigger = spec.trigger
    assert trigger is not None
    if trigger.dated:
        for year in sorted({today.year, last.year}):
            days = [d for d in _window(today, last) if d.year == year]
            origins = {day: _origins(trigger.kind, trigger.number, day) for day in days}
            field = ORIGIN[trigger.kind]
            wanted = [origin for found in origins.values() for origin in found]
            if wanted:
                yield year, rows.filter(**{f"{field}__in": wanted}), (field, origins)
        return
    if trigger.kind == "level_up":
        yield today.year, rows.filter(relation_id__in=ups), now
        return
    yield today.year, crossed(rows, trigger.kind, trigger.number, calendar, today), now


def _window(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _origins(kind: str, number: int, day: date) -> list[date]:
    """The dates whose anniversary (for years_of_support: whose Nth) falls on `day`. In a year
    without 29 February, those born on it come round on the 28th."""
    years = [day.year - number] if kind == "years_of_support" else range(FIRST_YEAR, day.year)
    month_days = [(day.month, day.day)]
    if (day.month, day.day) == (2, 28) and not isleap(day.year):
        month_days.append((2, 29))
    return [
        date(year, month, number_of_day)
        for year in years
        for month, number_of_day in month_days
        if year >= 1 and ((month, number_of_day) != (2, 29) or isleap(year))
    ]


def crossed(
    rows: QuerySet[Facts], kind: str, number: int, calendar: Calendar, today: date
) -> QuerySet[Facts]:
    """Relations whose giving passed the mark (EUR `number` in total, or the `number`th gift)
    with a gift that is new since the previous tick and recent."""
    new = Gift.objects.filter(id__gt=calendar.seen_gift_id, received_on__gte=today - RECENT_GIFTS)
    fresh = Q(id__gt=calendar.seen_gift_id, received_on__gte=today - RECENT_GIFTS)
    gifts = Gift.objects.filter(relation=OuterRef("relation_id")).order_by().values("relation")
    figure: models.Aggregate = Sum("amount_cents") if kind == "milestone" else models.Count("id")
    mark = number * 100 if kind == "milestone" else number
    total = Subquery(gifts.annotate(v=figure).values("v")[:1])
    before = Subquery(gifts.exclude(fresh).annotate(v=figure).values("v")[:1])
    return (
        rows.filter(relation_id__in=new.values("relation_id"))
        .annotate(total_now=Coalesce(total, 0), total_before=Coalesce(before, 0))
        .filter(total_now__gte=mark, total_before__lt=mark)
    )


def _when(at: Any, paper: bool) -> Any:
    """The planned moment as an expression: a date at nine (minus the post days for paper),
    a date-time as it is, or (field, {day: origins}) giving each row its anniversary."""
    lead = timedelta(days=POST_DAYS if paper else 0)
    if isinstance(at, datetime):
        return Value(at)
    if isinstance(at, date):
        return Value(at_nine(at) - lead)
    field, origins = at
    whens = [
        When(**{f"{field}__in": found}, then=Value(at_nine(day) - lead))
        for day, found in origins.items()
        if found
    ]
    return Case(*whens, default=Value(None), output_field=models.DateTimeField())


def insert(
    moment: Moment, spec: MomentSpec, rows: QuerySet[Facts], at: Any, year: int, now: datetime
) -> int:
    # The window is planned again each day: leave out at once who has this year's already,
    # before any consent, channel or ceiling is worked out for them.
    done = Touchpoint.objects.filter(
        source=moment.source, occurrence=str(year), relation=OuterRef("relation_id")
    )
    # Paper leaves early to arrive on the day; the ceilings look back from this moment.
    planned_at = Case(
        When(chosen__in=channels_where("paper"), then=_when(at, paper=True)),
        default=_when(at, paper=False),
        output_field=models.DateTimeField(),
    )
    request = ContactRequest(
        rows=rows.exclude(Exists(done)),
        source=moment.source,
        occurrence=str(year),
        step=moment.key,
        channels=list(spec.channels),
        nature=spec.nature,
        content=dict(spec.content),
        at=planned_at,
        now=now,
        holdout=spec.holdout,
        pressure=spec.pressure,
    )
    return plan_contacts(request)


def level_ups() -> list[int]:
    """Relations on a higher level than the calendar last saw them on (none the first time)."""
    if not LevelMark.objects.exists():
        return []
    marked = LevelMark.objects.filter(relation_id=OuterRef("relation_id")).values(
        "level__min_annual_cents"
    )[:1]
    higher = Facts.objects.annotate(before=Subquery(marked)).filter(
        level__isnull=False, before__isnull=False, level__min_annual_cents__gt=F("before")
    )
    return list(higher.values_list("relation_id", flat=True))


def remember_levels() -> None:
    """Store each relation's level now, for the next tick's level_ups: only the marks that
    changed are written."""
    with transaction.atomic():
        now_on = Facts.objects.filter(relation_id=OuterRef("relation_id")).values("level_id")[:1]
        LevelMark.objects.annotate(current=Subquery(now_on)).exclude(current=F("level_id")).delete()
        insert_select(
            LevelMark,
            {"relation_id": F("relation_id"), "level_id": F("level_id")},
            Facts.objects.filter(level__isnull=False),
        )
