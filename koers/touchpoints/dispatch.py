"""Dispatch: claim ready touchpoints, check them again, hand them to their channel.

Separate from planning. Workers claim small batches (`SELECT ... FOR UPDATE SKIP LOCKED`
on PostgreSQL; SQLite has one writer at a time), so two workers never take the same
touchpoint. At send time consent, address, contact pressure and business hours are
checked again: a consent withdrawn after planning stops the contact.

Each delivery is committed on its own: the hand-over before the provider is called, the
result right after (koers.touchpoints.claims). A worker that dies leaves at most the one
message it was handing over in doubt, and that one is never sent again blindly
(koers.touchpoints.reconcile; docs/decisions/0013).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import Error as DatabaseError
from django.db.models import Q
from django.utils import timezone

from koers.channels import base as channels
from koers.journeys.choices import EnrollmentState
from koers.relations.choices import RelationStatus
from koers.relations.models import Consent
from koers.touchpoints.choices import (
    COUNTED,
    EXEMPT_NATURES,
    Behaviour,
    SkipReason,
    Status,
    consent_channel,
)
from koers.touchpoints.claims import Lease, Owner, claim, hand, record, release, settle
from koers.touchpoints.hours import next_business_time, parse_hours
from koers.touchpoints.models import Ceiling, Touchpoint
from koers.touchpoints.queries import basis_allows

log = logging.getLogger(__name__)
# Touchpoints per claim: the checks read consents and recent contacts per batch, and a
# claim this small is quickly renewed and quickly given back on SIGTERM.
BATCH = 100
# A deferred contact that still does not fit after this long is skipped for pressure.
GIVE_UP_AFTER = timedelta(days=60)


@dataclass
class DispatchReport:
    sent: int = 0
    released: int = 0
    skipped: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    deferred: int = 0
    failed: int = 0
    # Handed over, but whether it arrived is unknown (the connection broke).
    uncertain: int = 0
    # Not delivered because the provider could not be reached: planned again.
    waiting: int = 0

    @property
    def handled(self) -> int:
        return (
            self.sent
            + self.released
            + sum(self.skipped.values())
            + self.deferred
            + self.failed
            + self.uncertain
            + self.waiting
        )

    def count(self, status: str) -> None:
        if status == Status.SENT:
            self.sent += 1
        elif status == Status.OPEN:
            self.released += 1
        elif status == Status.UNCERTAIN:
            self.uncertain += 1
        elif status == Status.PLANNED:
            self.waiting += 1
        else:
            self.failed += 1


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
        # Possibly made counts as made (from when it was handed over): nobody is contacted
        # more because Koers does not know whether a message arrived.
        since = now - timedelta(days=longest)
        made = Touchpoint.objects.filter(
            Q(sent_at__gt=since) | Q(sent_at__isnull=True, handed_at__gt=since),
            relation_id__in=relation_ids,
            status__in=COUNTED,
        ).values_list("relation_id", "nature", "channel", "sent_at", "handed_at")
        self.made: dict[int, list[tuple[str, str, datetime]]] = defaultdict(list)
        for relation_id, nature, channel, sent_at, handed_at in made:
            at = sent_at or handed_at
            if at is not None:
                self.made[relation_id].append((nature, channel, at))
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
    """Apply the send-time checks; return the touchpoints that may go now.

    A touchpoint whose checks fail with an error of Koers' own (not the database's) fails
    alone: otherwise it would stop every round at the same place and nothing after it would
    ever be sent."""
    going = []
    for touchpoint in batch:
        try:
            goes = _check(touchpoint, checks, report)
        except DatabaseError:
            raise
        except Exception as error:
            log.exception("touchpoint %s: the send-time checks failed", touchpoint.pk)
            touchpoint.status, touchpoint.error = Status.FAILED, f"{type(error).__name__}: {error}"
            report.failed += 1
            continue
        if goes:
            going.append(touchpoint)
    return going


def _check(touchpoint: Touchpoint, checks: Checks, report: DispatchReport) -> bool:
    reason = checks.skip_reason(touchpoint)
    if reason:
        _skip(touchpoint, reason, report)
        return False
    later = checks.staff_time(touchpoint)
    if later is not None:
        _hold(touchpoint, later, report)
        return False
    free = checks.full_until(touchpoint)
    if free is not None:
        too_late = free - touchpoint.created_at > GIVE_UP_AFTER
        if touchpoint.pressure == Behaviour.SKIP or too_late:
            _skip(touchpoint, SkipReason.PRESSURE, report)
        else:
            _hold(touchpoint, free, report)
        return False
    checks.mark_made(touchpoint)
    return True


FIELDS = ["status", "skip_reason", "planned_at", "sent_at", "attempts", "error", "batch"]


@dataclass
class Run:
    """One dispatch: its claim, its report, and what stops it."""

    lease: Lease
    now: datetime
    report: DispatchReport
    should_stop: Callable[[], bool]
    checkpoint: Callable[[str], None]
    # Channels whose provider could not be reached: they wait for the next round.
    halted: set[str] = field(default_factory=set)
    stopped: bool = False


def _nothing(point: str) -> None:
    return None


def _never() -> bool:
    return False


def dispatch(
    now: datetime | None = None,
    *,
    limit: int | None = None,
    dry_run: bool = False,
    should_stop: Callable[[], bool] = _never,
    checkpoint: Callable[[str], None] = _nothing,
    owner: Owner | None = None,
) -> DispatchReport:
    """Send everything that is due, in small claims, until nothing is left (or `limit`).

    First the claims of workers that died are reconciled. With `dry_run` (the simulation)
    every check runs but no channel is called. `should_stop` is asked before each
    touchpoint (the worker's SIGTERM): what is claimed and not handed over is given back.
    `checkpoint` is called at each step of a delivery (claimed, handed, delivered,
    recorded), for the crash tests. A worker passes the same `owner` to every round.
    """
    from koers.touchpoints.reconcile import reconcile

    now = now or timezone.now()
    owner = owner or Owner()
    if not dry_run:
        reconcile(now, owner)
    run = Run(Lease(now, owner), now, DispatchReport(), should_stop, checkpoint)
    owner.interrupted = True  # until this round ends normally
    while not run.stopped and (limit is None or run.report.handled < limit):
        if should_stop():
            break
        size = BATCH if limit is None else min(BATCH, limit - run.report.handled)
        batch = claim(run.lease, now, size, without=run.halted)
        if not batch:
            break
        checkpoint("claimed")
        going = _screen(batch, Checks(batch, now), run.report)
        staff = [t for t in going if dry_run or channels.get(t.channel).staff_work]
        for touchpoint in staff:
            _made_here(touchpoint, run.report, now)
        given = {t.pk for t in going} - {t.pk for t in staff}
        settle(run.lease, [t for t in batch if t.pk not in given], FIELDS)
        _deliver(run, [t for t in going if t.pk in given])
    owner.interrupted = False
    return run.report


def _made_here(touchpoint: Touchpoint, report: DispatchReport, now: datetime) -> None:
    """Staff work (and everything in a dry run): made by putting it on a list in Koers."""
    staff = channels.get(touchpoint.channel).staff_work
    touchpoint.status, touchpoint.sent_at = (Status.OPEN if staff else Status.SENT), now
    if not staff:
        touchpoint.attempts += 1
    report.count(touchpoint.status)


def _deliver(run: Run, going: list[Touchpoint]) -> None:
    """Hand each touchpoint to its channel, one commit before and one after each."""
    by_channel: dict[str, list[Touchpoint]] = defaultdict(list)
    for touchpoint in going:
        by_channel[touchpoint.channel].append(touchpoint)
    for key, touchpoints in by_channel.items():
        if run.stopped or key in run.halted:
            release(run.lease, touchpoints)
            continue
        # No `finally`: after an error the session's end (a print batch's files) is left to
        # the next round of this worker or to the reconciliation.
        session = channels.get(key).session(run.now, run.lease.token)
        for index, touchpoint in enumerate(touchpoints):
            if run.should_stop():
                run.stopped = True
            if run.stopped or key in run.halted:
                release(run.lease, touchpoints[index:])
                break
            _one(run, session, touchpoint)
        session.close()


def _one(run: Run, session: channels.Session, touchpoint: Touchpoint) -> None:
    run.lease.renew()
    touchpoint.attempts += 1
    result = session.prepare(touchpoint)
    if result is None:
        if not hand(run.lease, touchpoint):
            log.warning("touchpoint %s: claim taken over before hand-over; not sent", touchpoint.pk)
            return
        run.checkpoint("handed")
        result = _send(session, touchpoint)
        # Kept until it is written: a database error now must not lose the provider's answer.
        run.lease.owner.unrecorded[touchpoint.pk] = (touchpoint, result, run.now)
        run.checkpoint("delivered")
    if record(run.lease, touchpoint, result, run.now):
        run.report.count(result.status)
    run.lease.owner.unrecorded.pop(touchpoint.pk, None)
    run.checkpoint("recorded")
    if result.halt:
        run.halted.add(touchpoint.channel)
        log.warning("%s: %s; the rest waits for the next round", touchpoint.channel, result.error)


def _send(session: channels.Session, touchpoint: Touchpoint) -> channels.Delivery:
    """A channel's own failure (a bug) must not stop the round, and after the hand-over it
    cannot say what the provider got: possibly sent, for a person to decide."""
    try:
        return session.send(touchpoint)
    except Exception as error:
        log.exception("touchpoint %s: the %s channel failed", touchpoint.pk, touchpoint.channel)
        return channels.Delivery(Status.UNCERTAIN, f"{type(error).__name__}: {error}", halt=True)
