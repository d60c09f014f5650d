"""Claims that outlived their worker: never sent again blindly (docs/decisions/0013).

A touchpoint still `sending` after KOERS_CLAIM_TIMEOUT without its worker renewing the
claim belonged to a worker that died (or stalled that long). What happens to it depends on
how far the worker got:

- not handed over: the provider never saw it, so it is planned again;
- handed over: its channel looks whether it arrived (a letter: is its file there?). If
  the channel cannot tell (an SMTP server, a webhook receiver), it becomes "possibly sent"
  (`uncertain`) and waits for a person (`koers touchpoints reconcile`, or the page
  Contactmomenten > Mogelijk verstuurd).

Print batches that a dead worker left unfinished get their PDF and address list here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef

from koers import locks
from koers.channels import base as channels
from koers.touchpoints.choices import Status
from koers.touchpoints.claims import Owner, claim_timeout, recover_own
from koers.touchpoints.models import PrintBatch, Touchpoint

log = logging.getLogger(__name__)


@dataclass
class ReconcileReport:
    planned: int = 0  # never handed over, or certainly not delivered: planned again
    delivered: int = 0  # the channel saw that it arrived: recorded as sent
    uncertain: int = 0  # only a person can tell
    batches: int = 0  # print batches finished for a worker that died
    busy: bool = False  # another worker was reconciling

    @property
    def changed(self) -> int:
        return self.planned + self.delivered + self.uncertain + self.batches


def reconcile(now: datetime, owner: Owner | None = None) -> ReconcileReport:
    """Settle the claims of workers that died, and this owner's own leftovers."""
    report = ReconcileReport()
    if owner is not None and owner.interrupted:
        recover_own(owner)
        for batch in PrintBatch.objects.filter(claimed_by=owner.token, finished_at__isnull=True):
            _finish(batch, now)
    with locks.held_or_skipped(locks.RECONCILE) as acquired:
        if not acquired:
            report.busy = True
            return report
        cutoff = now - claim_timeout()
        stale = Touchpoint.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff)
        report.planned += stale.filter(handed_at__isnull=True).update(
            status=Status.PLANNED, claimed_at=None, claimed_by=""
        )
        for touchpoint in stale.filter(handed_at__isnull=False).select_related("batch"):
            _settle(touchpoint, cutoff, report)
        for batch in _abandoned(cutoff):
            report.batches += 1
            _finish(batch, now)
    if report.changed:
        log.warning(
            "reconciled abandoned claims: %s planned again, %s delivered, %s possibly sent, "
            "%s print batches finished",
            report.planned,
            report.delivered,
            report.uncertain,
            report.batches,
        )
    return report


def _settle(touchpoint: Touchpoint, cutoff: datetime, report: ReconcileReport) -> None:
    verdict = channels.get(touchpoint.channel).recover(touchpoint)
    # Only if the claim is still the abandoned one: a worker that was merely slow may have
    # recorded its result in the meantime.
    row = Touchpoint.objects.filter(
        pk=touchpoint.pk,
        status=Status.SENDING,
        claimed_by=touchpoint.claimed_by,
        claimed_at__lt=cutoff,
    )
    if verdict == Status.SENT:
        report.delivered += row.update(
            status=Status.SENT, sent_at=touchpoint.handed_at, claimed_at=None, claimed_by=""
        )
    elif verdict == Status.PLANNED:
        report.planned += row.update(
            status=Status.PLANNED, handed_at=None, batch=None, claimed_at=None, claimed_by=""
        )
    else:
        # The worker's token stays: should it come back with the provider's answer after
        # all, that answer is recorded (koers.touchpoints.claims.record).
        report.uncertain += row.update(status=Status.UNCERTAIN, claimed_at=None)


def _abandoned(cutoff: datetime) -> list[PrintBatch]:
    """Unfinished print batches whose worker no longer renews any claim."""
    alive = Touchpoint.objects.filter(
        status=Status.SENDING, claimed_by=OuterRef("claimed_by"), claimed_at__gte=cutoff
    )
    return list(
        PrintBatch.objects.filter(finished_at__isnull=True, created_at__lt=cutoff).exclude(
            Exists(alive)
        )
    )


def _finish(batch: PrintBatch, now: datetime) -> None:
    from koers.channels.paper import finish

    finish(batch, now)
