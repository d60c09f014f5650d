"""Moments of truth and their deadlines: on time, late, still open past it.

A moment of truth is a step that matters most to the relation; the map draws each with a
deadline. What the journey map, the main map and the home page flag comes from here, in
one grouped query over the touchpoints (docs/journeys.md, "Moments of truth that fail").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from koers import formatting
from koers.journeys.choices import JourneyStatus
from koers.journeys.definition import Step
from koers.journeys.models import Journey
from koers.journeys.queries import current_definition
from koers.touchpoints.choices import Status

# A contact still to be made: planned, being sent, or with staff on a call or task list.
PENDING = (Status.PLANNED, Status.SENDING, Status.OPEN)

# A moment of truth is on target when at least this share of its contacts came on time
# (docs/journeys.md, "Moments of truth that fail"). Under it the map, the main map and the
# home page flag it amber; under TRUTH_POOR, or with a contact still open past its
# deadline, red.
TRUTH_TARGET = 90
TRUTH_POOR = 50


@dataclass(frozen=True)
class Timeliness:
    """How a step with a deadline keeps it: made on time, made late, and still to be made
    although the deadline has passed (overdue)."""

    on_time: int = 0
    late: int = 0
    overdue: int = 0

    @property
    def timed(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def missed(self) -> int:
        """Every contact that missed its deadline: made late or still open past it."""
        return self.late + self.overdue

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.timed) if self.timed else None

    @property
    def level(self) -> str:
        """'late' (red), 'behind' (amber), 'ok', or '' when there is nothing to measure yet."""
        percent = self.percent
        if percent is None:
            return ""
        if self.overdue or percent < TRUTH_POOR:
            return "late"
        return "behind" if percent < TRUTH_TARGET else "ok"

    @property
    def failing(self) -> bool:
        return self.level in ("late", "behind")

    @property
    def words(self) -> str:
        """The badge: "17 te laat · 0 % op tijd"."""
        number = formatting.whole_number(self.missed, get_language())
        missed = _("%(n)s te laat") % {"n": number}
        return _("%(missed)s · %(p)s %% op tijd") % {"missed": missed, "p": self.percent}


def last_contact_open() -> Exists:
    """Enrollments with a contact still to be made: planned, being sent, or on a call or
    task list. The engine ends a journey when its exit step is reached, which may be before
    staff make the call it planned; such a relation has not finished the journey."""
    from koers.touchpoints.models import Touchpoint

    return Exists(Touchpoint.objects.filter(enrollment=OuterRef("pk"), status__in=PENDING))


def timed_counts(touchpoints: QuerySet[Any], now: datetime, *by: str) -> QuerySet[Any]:
    """On time, late and overdue counts of the touchpoints with a deadline, grouped `by`."""
    made = Q(status__in=(Status.SENT, Status.DONE))
    # Staff work counts when it was done, not when it reached the list; messages when sent.
    made_at = Q(done_at__isnull=False, done_at__lte=F("deadline")) | Q(
        done_at__isnull=True, sent_at__lte=F("deadline")
    )
    pending = Q(status__in=PENDING)
    return (
        touchpoints.filter(deadline__isnull=False)
        .values(*by)
        .annotate(
            on_time=Count("pk", filter=made & made_at),
            late=Count("pk", filter=made & ~made_at),
            overdue=Count("pk", filter=pending & Q(deadline__lt=now)),
        )
        .order_by()
    )


@dataclass(frozen=True)
class Truth:
    """A moment of truth of a journey, with how it keeps its deadline."""

    journey_key: str
    journey_name: str
    step_key: str
    step_label: str
    timeliness: Timeliness


def moments_of_truth(now: datetime, journeys: QuerySet[Journey] | None = None) -> list[Truth]:
    """Every moment of truth with a deadline of these journeys (all but drafts and retired
    ones by default), worst first: one grouped query over their touchpoints."""
    from koers.touchpoints.models import Touchpoint

    if journeys is None:
        journeys = Journey.objects.exclude(status__in=(JourneyStatus.DRAFT, JourneyStatus.RETIRED))
    steps: dict[tuple[int, str], tuple[Journey, Step]] = {}
    for journey in journeys:
        definition = current_definition(journey)
        for step in definition.steps if definition else ():
            if step.moment_of_truth and step.deadline and step.kind == "action":
                steps[(journey.pk, step.key)] = (journey, step)
    touchpoints = Touchpoint.objects.filter(journey__in=[pk for pk, _key in steps])
    found = []
    for row in timed_counts(touchpoints, now, "journey", "step"):
        if (row["journey"], row["step"]) in steps:
            journey, step = steps[(row["journey"], row["step"])]
            timeliness = Timeliness(row["on_time"], row["late"], row["overdue"])
            found.append(Truth(journey.key, journey.name, step.key, step.label, timeliness))
    order = {"late": 0, "behind": 1, "ok": 2, "": 3}
    return sorted(
        found, key=lambda t: (order[t.timeliness.level], -t.timeliness.missed, t.journey_name)
    )
