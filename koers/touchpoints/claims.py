"""A worker's claim on touchpoints, and each step of a delivery committed on its own.

planned --claim--> sending --hand--> sending + handed_at --record--> sent / failed / ...

A claim carries the worker's token (`claimed_by`) and a time (`claimed_at`) that the
worker renews while it works through its rows. Every later write is conditional on the
token: a worker whose claim was taken over (it stalled past KOERS_CLAIM_TIMEOUT and was
taken for dead) writes nothing, and so hands nothing over. The hand-over mark (`handed_at`,
the attempt and the key the provider sees) is committed before the provider is called.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from koers.channels.base import Delivery
from koers.touchpoints.choices import MADE, Status
from koers.touchpoints.models import Touchpoint

log = logging.getLogger(__name__)


# A provider that could not be reached is tried again after this long.
RETRY_AFTER = timedelta(minutes=5)


def claim_timeout() -> timedelta:
    return timedelta(seconds=settings.KOERS_CLAIM_TIMEOUT)


class Owner:
    """Who claims: a worker keeps one across its rounds, `koers run` makes one per dispatch.

    A round stopped by a database error leaves rows claimed and perhaps one result that
    could not be written; the owner keeps that result, and its next round writes it and
    gives the rest back at once, instead of waiting for KOERS_CLAIM_TIMEOUT."""

    def __init__(self) -> None:
        self.token = uuid.uuid4().hex
        self.unrecorded: dict[int, tuple[Touchpoint, Delivery, datetime]] = {}
        self.interrupted = False


class Lease:
    """One dispatch's claim: its owner's token, and a clock that starts at `now` and runs in
    real time (so a run at a simulated `now` renews its claims like any other)."""

    def __init__(self, now: datetime, owner: Owner | None = None) -> None:
        self.owner = owner or Owner()
        self.token = self.owner.token
        self.started, self.ticks = now, time.monotonic()
        self.renewed = self.ticks
        # Renewed five times per timeout: a claim is never mistaken for an abandoned one.
        self.every = settings.KOERS_CLAIM_TIMEOUT / 5

    def clock(self) -> datetime:
        return self.started + timedelta(seconds=time.monotonic() - self.ticks)

    def mine(self) -> QuerySet[Touchpoint]:
        return Touchpoint.objects.filter(claimed_by=self.token, status=Status.SENDING)

    def renew(self) -> None:
        """Say this worker is still at it, at most every timeout/5 (one short UPDATE)."""
        if time.monotonic() - self.renewed < self.every:
            return
        self.mine().update(claimed_at=self.clock())
        self.renewed = time.monotonic()


def claim(lease: Lease, now: datetime, limit: int, without: Iterable[str] = ()) -> list[Touchpoint]:
    """Take up to `limit` touchpoints due at `now`, in planned order, for this lease."""
    ready = Touchpoint.objects.filter(status=Status.PLANNED, planned_at__lte=now)
    if without:
        ready = ready.exclude(channel__in=list(without))
    with transaction.atomic():
        ids = list(
            ready.order_by("planned_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:limit]
        )
        Touchpoint.objects.filter(id__in=ids, status=Status.PLANNED).update(
            status=Status.SENDING, claimed_at=lease.clock(), claimed_by=lease.token
        )
    rows = lease.mine().filter(id__in=ids).select_related("relation", "enrollment__version")
    return sorted(rows, key=lambda t: (t.planned_at, t.id))


def hand(lease: Lease, touchpoint: Touchpoint) -> bool:
    """Mark the touchpoint as handed over, committed, before the provider sees it. False when
    the claim is no longer this worker's: then it must not be sent."""
    handed = lease.mine().filter(pk=touchpoint.pk, handed_at__isnull=True)
    done = handed.update(
        handed_at=lease.clock(),
        attempts=touchpoint.attempts,
        delivery_key=touchpoint.delivery_key,
        batch=touchpoint.batch,
    )
    return done == 1


def record(lease: Lease, touchpoint: Touchpoint, result: Delivery, now: datetime) -> bool:
    """The provider's answer, committed at once. False when the touchpoint was reconciled
    meanwhile (this worker was taken for dead): the reconciliation's decision then stands."""
    changes: dict[str, object] = {
        "status": result.status,
        "error": result.error,
        "attempts": touchpoint.attempts,
        "claimed_at": None,
        "claimed_by": "",
    }
    if result.status in MADE:
        changes["sent_at"] = now
    if result.status in (Status.PLANNED, Status.FAILED):
        # Certainly not delivered: no hand-over to remember, no batch that holds it.
        changes.update(handed_at=None, batch=None)
    if result.status == Status.PLANNED:
        changes["planned_at"] = now + RETRY_AFTER
    mine = Touchpoint.objects.filter(
        pk=touchpoint.pk, claimed_by=lease.token, status__in=(Status.SENDING, Status.UNCERTAIN)
    )
    if not mine.update(**changes):
        log.warning(
            "touchpoint %s: %s after its claim was reconciled; the reconciliation stands",
            touchpoint.pk,
            result.status,
        )
        return False
    touchpoint.status = result.status
    return True


def settle(lease: Lease, touchpoints: Sequence[Touchpoint], fields: list[str]) -> None:
    """Write what the send-time checks decided (skipped, deferred) for rows never handed
    over, those still this worker's, in one transaction."""
    if not touchpoints:
        return
    with transaction.atomic():
        ours = set(
            lease.mine()
            .filter(id__in=[t.pk for t in touchpoints])
            .select_for_update()
            .values_list("id", flat=True)
        )
        kept = [t for t in touchpoints if t.pk in ours]
        for touchpoint in kept:
            touchpoint.claimed_at, touchpoint.claimed_by = None, ""
        Touchpoint.objects.bulk_update(kept, [*fields, "claimed_at", "claimed_by"])


def release(lease: Lease, touchpoints: Iterable[Touchpoint]) -> int:
    """Give claimed rows that were not handed over back: planned, as they were."""
    ids = [t.pk for t in touchpoints]
    if not ids:
        return 0
    return (
        lease.mine()
        .filter(id__in=ids, handed_at__isnull=True)
        .update(status=Status.PLANNED, claimed_at=None, claimed_by="")
    )


def recover_own(owner: Owner) -> None:
    """After a round of this owner stopped halfway (a database error): write the result it
    kept, and give back everything else it still holds. A row it handed over without a kept
    result never reached the provider: the error came before the provider was called."""
    for touchpoint, result, now in list(owner.unrecorded.values()):
        record(Lease(now, owner), touchpoint, result, now)
        del owner.unrecorded[touchpoint.pk]
    Touchpoint.objects.filter(claimed_by=owner.token, status=Status.SENDING).update(
        status=Status.PLANNED, claimed_at=None, claimed_by="", handed_at=None, batch=None
    )
    owner.interrupted = False
