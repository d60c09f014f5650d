"""Dispatch: claim ready touchpoints, check them again, hand them to their channel.

Separate from planning. Workers claim batches (`SELECT ... FOR UPDATE SKIP LOCKED`
on PostgreSQL; SQLite has one writer at a time), so two workers never take the same
touchpoint. At send time consent, address, contact pressure and business hours are
checked again: a consent withdrawn after planning stops the contact.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from koers.channels import base as channels
from koers.journeys.choices import EnrollmentState
from koers.relations.choices import RelationStatus
from koers.relations.models import Consent
from koers.touchpoints.choices import (
    EXEMPT_NATURES,
    MADE,
    Behaviour,
    SkipReason,
    Status,
    consent_channel,
)
from koers.touchpoints.hours import next_business_time, parse_hours
from koers.touchpoints.models import Ceiling, Touchpoint
from koers.touchpoints.queries import basis_allows

log = logging.getLogger(__name__)
BATCH = 500
# A deferred contact that still does not fit after this long is skipped for pressure.
GIVE_UP_AFTER = timedelta(days=60)
# A claim older than this belonged to a worker that died; the touchpoint is offered again.
STALE_CLAIM = timedelta(minutes=15)


@dataclass
class DispatchReport:
    sent: int = 0
    released: int = 0
    skipped: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    deferred: int = 0
    failed: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.released + sum(self.skipped.values()) + self.deferred + self.failed


def claim(now: datetime, limit: int) -> list[Touchpoint]:
    """Take up to `limit` ready touchpoints for this worker, in planned order."""
    ready = Q(status=Status.PLANNED, planned_at__lte=now) | Q(
        status=Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    with transaction.atomic():
        ids = list(
            Touchpoint.objects.filter(ready)
            .order_by("planned_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:limit]
        )
        Touchpoint.objects.filter(id__in=ids).update(status=Status.SENDING, claimed_at=now)
    rows = Touchpoint.objects.filter(id__in=ids).select_related("relation", "enrollment__version")
    return sorted(rows, key=lambda t: (t.planned_at, t.id))


class Checks:
    """Consent, address, pressure and business hours for one claimed batch."""

    def __init__(self, batch: list[Touchpoint], now: datetime) -> None:
        self.now = now
        relation_ids = {t.relation_id for t in batch}
        self.consents = {
            (c.relation_id, c.channel): c
            for c in Consent.objects.filter(relation_id__in=relation_ids)
        }
        self.ceilings = list(Ceiling.objects.all())
        longest = max((c.period_days for c in self.ceilings), default=0)
        made = Touchpoint.objects.filter(
            relation_id__in=relation_ids, status__in=MADE, sent_at__gt=now - timedelta(days=longest)
        ).values_list("relation_id", "nature", "channel", "sent_at")
        self.made: dict[int, list[tuple[str, str, datetime]]] = defaultdict(list)
        for relation_id, nature, channel, sent_at in made:
            if sent_at is not None:
                self.made[relation_id].append((nature, channel, sent_at))
        self.hours = parse_hours(settings.KOERS_BUSINESS_HOURS)
        self.zone = ZoneInfo(settings.TIME_ZONE)

    def skip_reason(self, touchpoint: Touchpoint) -> str:
        relation = touchpoint.relation
        if relation.status != RelationStatus.ACTIVE:
            return SkipReason.NOT_ACTIVE
        enrollment = touchpoint.enrollment
        if enrollment is not None and enrollment.state == EnrollmentState.EXITED:
            return SkipReason.EXITED
        needed = consent_channel(touchpoint.channel, touchpoint.fields)
        if needed:
            consent = self.consents.get((relation.pk, needed))
            if consent is None or not basis_allows(
                consent.basis, needed, consent.withdrawn_at is not None
            ):
                return SkipReason.NO_CONSENT
        if not channels.get(touchpoint.channel).has_address(touchpoint):
            return SkipReason.NO_ADDRESS
        from koers.feedback.delivery import survey_throttled

        if survey_throttled(touchpoint, self.now):
            return SkipReason.SURVEY_THROTTLED
        return ""

    def full_until(self, touchpoint: Touchpoint) -> datetime | None:
        """When a ceiling is reached: the moment a slot frees up. None when it fits."""
        if touchpoint.nature in EXEMPT_NATURES:
            return None
        latest = None
        for ceiling in self.ceilings:
            if ceiling.nature and ceiling.nature != touchpoint.nature:
                continue
            if ceiling.channel and ceiling.channel != touchpoint.channel:
                continue
            since = self.now - timedelta(days=ceiling.period_days)
            times = sorted(
                at
                for nature, channel, at in self.made[touchpoint.relation_id]
                if at > since and (nature == ceiling.nature or channel == ceiling.channel)
            )
            if len(times) >= ceiling.limit:
                free = times[len(times) - ceiling.limit] + timedelta(days=ceiling.period_days)
                latest = free if latest is None else max(latest, free)
        return latest

    def mark_made(self, touchpoint: Touchpoint) -> None:
        self.made[touchpoint.relation_id].append((touchpoint.nature, touchpoint.channel, self.now))

    def staff_time(self, touchpoint: Touchpoint) -> datetime | None:
        """For calls and staff work outside business hours: when they may be released."""
        if not channels.get(touchpoint.channel).staff_work:
            return None
        start = next_business_time(self.now, self.hours, self.zone)
        return None if start == self.now else start


def _hold(touchpoint: Touchpoint, until: datetime, report: DispatchReport) -> None:
    touchpoint.status, touchpoint.planned_at = Status.PLANNED, until
    report.deferred += 1


def _skip(touchpoint: Touchpoint, reason: str, report: DispatchReport) -> None:
    touchpoint.status, touchpoint.skip_reason = Status.SKIPPED, reason
    report.skipped[reason] += 1


def _screen(batch: list[Touchpoint], checks: Checks, report: DispatchReport) -> list[Touchpoint]:
    """Apply the send-time checks; return the touchpoints that may go now."""
    going = []
    for touchpoint in batch:
        reason = checks.skip_reason(touchpoint)
        if reason:
            _skip(touchpoint, reason, report)
            continue
        later = checks.staff_time(touchpoint)
        if later is not None:
            _hold(touchpoint, later, report)
            continue
        free = checks.full_until(touchpoint)
        if free is not None:
            too_late = free - touchpoint.created_at > GIVE_UP_AFTER
            if touchpoint.pressure == Behaviour.SKIP or too_late:
                _skip(touchpoint, SkipReason.PRESSURE, report)
            else:
                _hold(touchpoint, free, report)
            continue
        checks.mark_made(touchpoint)
        going.append(touchpoint)
    return going


def _deliver(going: list[Touchpoint], now: datetime, report: DispatchReport, dry: bool) -> None:
    by_channel: dict[str, list[Touchpoint]] = defaultdict(list)
    for touchpoint in going:
        by_channel[touchpoint.channel].append(touchpoint)
    for key, touchpoints in by_channel.items():
        channel = channels.get(key)
        if dry:
            status = Status.OPEN if channel.staff_work else Status.SENT
            results = [channels.Delivery(status) for _ in touchpoints]
        else:
            results = channel.deliver(touchpoints, now)
        for touchpoint, result in zip(touchpoints, results, strict=True):
            touchpoint.status, touchpoint.error = result.status, result.error
            if not channel.staff_work:
                # Delivery attempts; for calls the attempts are the caller's (record_call_outcome).
                touchpoint.attempts += 1
            if result.status in MADE:
                touchpoint.sent_at = now
            if result.status == Status.SENT:
                report.sent += 1
            elif result.status == Status.OPEN:
                report.released += 1
            else:
                report.failed += 1


FIELDS = [
    "status",
    "skip_reason",
    "planned_at",
    "sent_at",
    "attempts",
    "error",
    "batch",
    "claimed_at",
]


def dispatch(
    now: datetime | None = None, *, limit: int | None = None, dry_run: bool = False
) -> DispatchReport:
    """Send everything that is due, in batches, until nothing is left (or `limit` is reached).

    With `dry_run` (the simulation) every check runs but no channel is called.
    """
    now = now or timezone.now()
    report = DispatchReport()
    while limit is None or report.handled < limit:
        batch = claim(now, BATCH if limit is None else min(BATCH, limit - report.handled))
        if not batch:
            break
        going = _screen(batch, Checks(batch, now), report)
        _deliver(going, now, report, dry_run)
        for touchpoint in batch:
            touchpoint.claimed_at = None
        Touchpoint.objects.bulk_update(batch, FIELDS)
    return report
