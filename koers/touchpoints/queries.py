"""Reads about touchpoints and consent that the planner and the dispatcher share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from koers.relations.choices import ContactChannel, EventKind, LegalBasis
from koers.touchpoints.choices import CallOutcome, Channel, Status

# The legal bases that allow contact per channel (see docs/journeys.md, "Toestemming"):
# e-mail, phone and sms need consent or an existing relationship (Telecommunicatiewet
# 11.7 and the telemarketing rules); post may rest on legitimate interest (AVG).
BASES: dict[str, tuple[str, ...]] = {
    ContactChannel.EMAIL: (LegalBasis.CONSENT, LegalBasis.EXISTING_RELATIONSHIP),
    ContactChannel.PHONE: (LegalBasis.CONSENT, LegalBasis.EXISTING_RELATIONSHIP),
    ContactChannel.SMS: (LegalBasis.CONSENT, LegalBasis.EXISTING_RELATIONSHIP),
    ContactChannel.POST: (
        LegalBasis.CONSENT,
        LegalBasis.EXISTING_RELATIONSHIP,
        LegalBasis.LEGITIMATE_INTEREST,
    ),
}


def address_filter(fields: Iterable[str], prefix: str = "relation__") -> Q:
    """All of the relation's address fields for a channel are filled."""
    result = Q()
    for name in fields:
        result &= ~Q(**{f"{prefix}{name}": ""})
    return result


def basis_allows(basis: str, channel: str, withdrawn: bool) -> bool:
    return not withdrawn and basis in BASES.get(channel, ())


def days_late(deadline: datetime | None, now: datetime) -> int | None:
    """Whole days since a passed deadline, by the local calendar (0: it passed today);
    None before the deadline or without one."""
    if deadline is None or deadline >= now:
        return None
    return (timezone.localdate(now) - timezone.localdate(deadline)).days


@dataclass(frozen=True)
class OwnWork:
    """What one member of staff has to do and did today: the caller's home page."""

    calls: int  # open on the call list (the list is shared by the callers)
    calls_late: int
    tasks: int  # open tasks for their roles
    tasks_late: int
    called_today: int  # call outcomes they recorded today
    reached_today: int
    tasks_done_today: int
    urgent: list[Any]  # the calls to make first


# How many calls the caller's home page names, most urgent first.
URGENT_SHOWN = 5


def own_work(
    username: str, roles: Iterable[str], *, calls: bool, all_tasks: bool, now: datetime
) -> OwnWork:
    """The open calls (when `calls`), the open tasks for `roles` (all tasks with
    `all_tasks`), and what `username` recorded since midnight: a handful of counts."""
    from koers.relations.models import Event
    from koers.touchpoints.models import Touchpoint

    open_calls = Touchpoint.objects.filter(channel=Channel.PHONE, status=Status.OPEN)
    if not calls:
        open_calls = open_calls.none()
    tasks = Touchpoint.objects.filter(channel=Channel.TASK, status=Status.OPEN)
    if not all_tasks:
        tasks = tasks.filter(role__in=sorted(roles) or [""])
    late = Q(deadline__lt=now)
    call_counts = open_calls.aggregate(n=Count("pk"), late=Count("pk", filter=late))
    task_counts = tasks.aggregate(n=Count("pk"), late=Count("pk", filter=late))
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(now), time()))
    mine = Event.objects.filter(occurred_at__gte=midnight, occurred_at__lte=now, data__by=username)
    called = mine.filter(kind=EventKind.CALL_OUTCOME).aggregate(
        n=Count("pk"), reached=Count("pk", filter=Q(data__outcome=CallOutcome.REACHED))
    )
    urgent = open_calls.select_related("relation").order_by(
        F("deadline").asc(nulls_last=True), "planned_at", "id"
    )
    return OwnWork(
        calls=call_counts["n"],
        calls_late=call_counts["late"],
        tasks=task_counts["n"],
        tasks_late=task_counts["late"],
        called_today=called["n"],
        reached_today=called["reached"],
        tasks_done_today=mine.filter(kind=EventKind.TASK_DONE).count(),
        urgent=list(urgent[:URGENT_SHOWN]),
    )
