"""How far a year overview being worked out is, in words and as a share, for its page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from koers.calendar.models import OverviewStatus, YearOverview

# Queued this long without a worker picking it up: say that the worker may not be running.
WAITING = timedelta(seconds=15)
# Running this long: the worker that had it has most likely stopped; offer to start again.
STUCK = timedelta(minutes=15)
# Where each step starts and ends, in per cent of the whole, with and without the journeys
# (simulating the journeys is most of the work: see bench/year_overview.py).
SPANS = {
    True: {"base": (0, 5), "journeys": (5, 90), "forecast": (90, 97), "checks": (97, 100)},
    False: {"base": (0, 40), "forecast": (40, 85), "checks": (85, 100)},
}


@dataclass(frozen=True)
class Progress:
    text: str
    percent: int
    failed: bool = False
    waiting: bool = False  # queued, and no worker has picked it up
    stuck: bool = False  # may be started again

    @property
    def may_retry(self) -> bool:
        return self.failed or self.stuck


def _doing(overview: YearOverview) -> str:
    if overview.step == "journeys":
        return _("De klantreizen worden doorgerekend (%(done)s van %(total)s)…") % {
            "done": overview.done_parts + 1,
            "total": overview.total_parts,
        }
    return {
        "base": _("De relaties worden gelezen…"),
        "forecast": _("Het jaar wordt vooruit berekend…"),
        "checks": _("De controles worden gedaan…"),
    }.get(overview.step, _("Bezig met rekenen…"))


def _percent(overview: YearOverview) -> int:
    start, end = SPANS[overview.journeys].get(overview.step, (0, 0))
    share = overview.done_parts / overview.total_parts if overview.total_parts else 0
    return round(start + (end - start) * share)


def progress(overview: YearOverview, now: datetime) -> Progress:
    if overview.status == OverviewStatus.FAILED:
        return Progress(_("Het jaaroverzicht kon niet worden berekend."), 0, failed=True)
    if overview.status == OverviewStatus.QUEUED:
        waiting = now - overview.created_at > WAITING
        return Progress(_("In de wachtrij…"), 0, waiting=waiting)
    started = overview.started_at or overview.created_at
    return Progress(_doing(overview), _percent(overview), stuck=now - started > STUCK)
