"""What the journey pages show: the steps as a map, in words, with their figures.

Figures come from a handful of grouped queries over the whole journey (all its
versions), never from a loop over relations: entered (StepCount), here now
(active enrollments), contacts made, still planned and skipped by reason
(touchpoints), and for steps with a deadline whether the contact came on time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from koers import formatting
from koers.feedback.emotion import measured
from koers.groups.models import Group
from koers.journeys import drawing
from koers.journeys.choices import EnrollmentState, ExitReason
from koers.journeys.definition import Definition, Step
from koers.journeys.models import Enrollment, Journey, StepCount
from koers.journeys.simulation import Simulation
from koers.journeys.steps.base import kinds
from koers.journeys.truth import Timeliness, last_contact_open, timed_counts
from koers.journeys.words import Line, duration, event_label, rule_text, span_text
from koers.journeys.words import label_of as _label
from koers.touchpoints.choices import COST_CENTS, MINUTES, Channel, SkipReason, Status

EMOTIONS = {
    -2: gettext_lazy("heel negatief"),
    -1: gettext_lazy("negatief"),
    0: gettext_lazy("neutraal"),
    1: gettext_lazy("positief"),
    2: gettext_lazy("heel positief"),
}


def describe(step: Step, definition: Definition) -> list[Line]:
    """What a step does, in a line or two a fundraiser reads without knowing the format."""
    return kinds()[step.kind].describe(step, definition)


@dataclass
class StepFigures:
    step: Step
    kind_label: str
    lines: list[Line]
    emotion_label: str = ""
    entered: int = 0
    here: int = 0
    made: int = 0
    planned: int = 0
    skipped: list[tuple[str, str, int]] = field(default_factory=list)
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    # What relations answered about this step's contacts, on the emotion scale, with n.
    measured: float | None = None
    measured_n: int = 0

    @property
    def measured_text(self) -> str:
        if self.measured is None:
            return ""
        return f"{self.measured:+.1f}".replace(".", ",")

    @property
    def deadline_text(self) -> str:
        deadline = self.step.deadline
        return span_text(deadline) if deadline else ""

    @property
    def skipped_total(self) -> int:
        return sum(count for _code, _label, count in self.skipped)

    @property
    def is_contact(self) -> bool:
        return self.step.kind == "action"

    @property
    def timed(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def on_time_percent(self) -> int | None:
        return self.timeliness.percent

    @property
    def timeliness(self) -> Timeliness:
        return Timeliness(self.on_time, self.late, self.overdue)


@dataclass
class JourneyMap:
    journey: Journey
    definition: Definition
    steps: list[StepFigures]
    active: int
    done: int
    exited: list[tuple[str, str, int]]
    # At the end of the journey, but its last contact (a call, a task) is still to be made:
    # not finished yet, and not counted as done.
    last_contact_open: int = 0

    @property
    def bands(self) -> list[drawing.Band[StepFigures]]:
        """The steps in rows that fit the screen and the page, with the emotion lines."""
        return drawing.bands(
            self.steps,
            lambda figures: figures.step.emotion,
            lambda figures: figures.measured if figures.measured_n else None,
        )

    @property
    def notes(self) -> set[str]:
        """Which note lanes the map needs: backstage, pains, opportunities."""
        steps = [figures.step for figures in self.steps]
        lanes = ("backstage", "pains", "opportunities")
        return {lane for lane in lanes if any(getattr(step, lane) for step in steps)}

    @property
    def gap_text(self) -> str:
        return gap_text(self.definition.min_gap)

    @property
    def exited_total(self) -> int:
        return sum(count for _code, _label, count in self.exited)

    @property
    def has_emotions(self) -> bool:
        return any(figures.step.emotion is not None for figures in self.steps)

    @property
    def has_measured(self) -> bool:
        return any(figures.measured_n for figures in self.steps)


def journey_map(journey: Journey, definition: Definition, now: datetime) -> JourneyMap:
    figures = {
        step.key: StepFigures(
            step,
            str(kinds()[step.kind].label),
            describe(step, definition),
            str(EMOTIONS.get(step.emotion, "")) if step.emotion is not None else "",
        )
        for step in definition.steps
    }
    entered = (
        StepCount.objects.filter(version__journey=journey).values("step").annotate(n=Sum("entered"))
    )
    for row in entered:
        if row["step"] in figures:
            figures[row["step"]].entered = row["n"] or 0
    enrollments = Enrollment.objects.filter(journey=journey)
    here = enrollments.filter(state=EnrollmentState.ACTIVE).values("step")
    for row in here.annotate(n=Count("pk")).order_by():
        if row["step"] in figures:
            figures[row["step"]].here = row["n"]
    _touchpoint_figures(journey, figures, now)
    for key, (mean, n) in measured(journey.key).items():
        if key in figures:
            figures[key].measured, figures[key].measured_n = mean, n
    states = dict(enrollments.values_list("state").annotate(n=Count("pk")).order_by())
    ended = enrollments.filter(state=EnrollmentState.DONE)
    open_at_end = ended.filter(last_contact_open()).count()
    exits = (
        enrollments.filter(state=EnrollmentState.EXITED)
        .values_list("exit_reason")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    return JourneyMap(
        journey,
        definition,
        list(figures.values()),
        active=states.get(EnrollmentState.ACTIVE, 0),
        done=states.get(EnrollmentState.DONE, 0) - open_at_end,
        exited=[(reason, _label(ExitReason, reason), n) for reason, n in exits],
        last_contact_open=open_at_end,
    )


def _touchpoint_figures(journey: Journey, figures: dict[str, StepFigures], now: datetime) -> None:
    from koers.touchpoints.models import Touchpoint

    touchpoints = Touchpoint.objects.filter(journey=journey)
    skipped: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    rows = (
        touchpoints.values_list("step", "status", "skip_reason")
        .annotate(n=Count("pk"))
        .order_by("step", "-n")
    )
    for step, status, reason, n in rows:
        if step not in figures:
            continue
        if status == Status.SKIPPED:
            skipped[step].append((reason, _label(SkipReason, reason), n))
        elif status in (Status.SENT, Status.DONE):
            figures[step].made += n
        elif status != Status.FAILED:
            # Planned, being sent or with staff: on its way, not made yet.
            figures[step].planned += n
    for step, reasons in skipped.items():
        figures[step].skipped = reasons
    for row in timed_counts(touchpoints, now, "step"):
        if row["step"] in figures:
            target = figures[row["step"]]
            target.on_time, target.late, target.overdue = (
                row["on_time"],
                row["late"],
                row["overdue"],
            )


def gap_text(gap: timedelta) -> str:
    """The journey's minimum gap between two contacts, for the map: "minstens 2 dagen"."""
    if not gap:
        return _("geen minimum, ook op dezelfde dag")
    return _("minstens %(d)s") % {"d": duration(gap.total_seconds())}


REENTRY = {
    "once": gettext_lazy("eenmalig per relatie"),
    "per-year": gettext_lazy("hoogstens eens per jaar"),
    "per-month": gettext_lazy("hoogstens eens per maand"),
    "always": gettext_lazy("bij elke gebeurtenis opnieuw"),
}
DATES = {
    "birthday": gettext_lazy("verjaardag"),
    "gifts.first": gettext_lazy("datum van de eerste gift"),
    "mandate.start": gettext_lazy("startdatum van de machtiging"),
}


def trigger_text(definition: Definition) -> Line:
    """ "Bij: machtiging gestart, als trigger: bedrag ≥ € 25 (eenmalig per relatie)", with
    the rule as written for the hover."""
    trigger = definition.trigger
    if trigger.kind == "event":
        start = _("bij: %(event)s") % {"event": event_label(trigger.event)}
        if trigger.where:
            start += _(", als %(rule)s") % {"rule": rule_text(trigger.where, definition)}
    elif trigger.kind == "group":
        group = Group.objects.filter(key=trigger.group).values_list("name", flat=True).first()
        start = _("bij binnenkomst in de groep '%(group)s'") % {"group": group or trigger.group}
    else:
        start = _("op de %(date)s") % {"date": DATES.get(trigger.date, trigger.date)}
    text = f"{start} ({REENTRY.get(trigger.reentry, trigger.reentry)})"
    return Line(text, trigger.where if trigger.kind == "event" else "")


@dataclass
class SimulationTable:
    result: Simulation
    channels: list[tuple[str, str]]
    weeks: list[tuple[date, list[int], int]]
    steps: list[tuple[str, int]]
    skipped: list[tuple[str, int]]
    gap: timedelta = timedelta()

    @property
    def total(self) -> int:
        return sum(self.result.per_channel.values())

    @property
    def channel_totals(self) -> list[tuple[str, int]]:
        return [(code, self.result.per_channel[code]) for code, _label in self.channels]

    @property
    def spaced_text(self) -> str:
        """How many contacts the journey's minimum gap moved, in words ("" for none)."""
        count = self.result.spaced
        if not count:
            return ""
        return ngettext(
            "%(n)s contactmoment een paar dagen later gepland, om %(gap)s tussen contacten "
            "te houden.",
            "%(n)s contactmomenten een paar dagen later gepland, om %(gap)s tussen contacten "
            "te houden.",
            count,
        ) % {"n": formatting.whole_number(count), "gap": duration(self.gap.total_seconds())}

    @property
    def hours(self) -> str:
        """Staff hours with one decimal, the Dutch way: 12,5."""
        return f"{self.result.minutes / 60:.1f}".replace(".", ",")

    @property
    def rates(self) -> list[str]:
        return [
            _("%(channel)s %(cost)s en %(minutes)s min.")
            % {
                "channel": label,
                "cost": formatting.euro(COST_CENTS.get(code, 0)),
                "minutes": MINUTES.get(code, 0),
            }
            for code, label in self.channels
        ]


def simulation_table(result: Simulation, definition: Definition) -> SimulationTable:
    """The simulation's counts laid out for a page: weeks by channel, steps in map order."""
    used = [code for code, _label in Channel.choices if result.per_channel.get(code)]
    weeks = []
    for name, counts in sorted(result.per_week.items()):
        number = int(name.split()[-1])
        start = result.start + timedelta(days=7 * (number - 1))
        row = [counts.get(code, 0) for code in used]
        weeks.append((start, row, sum(row)))
    steps = [
        (step.label, result.per_step[step.key])
        for step in definition.steps
        if result.per_step.get(step.key)
    ]
    skipped = [(_label(SkipReason, reason), n) for reason, n in result.skipped.most_common()]
    return SimulationTable(
        result,
        [(code, _label(Channel, code)) for code in used],
        weeks,
        steps,
        skipped,
        gap=definition.min_gap,
    )
