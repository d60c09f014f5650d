"""The main map (hoofdkaart): the contact strategy as phases across and relation groups down.

Each cell holds the journeys and the calendar moments that serve that group in that phase,
with their figures over the last 12 months: contacts made, moments of truth on time, the
measured emotion and the (transactional) NPS of the answers to their contacts. An empty
cell is a gap in the strategy. Journeys and the calendar do not know each other; the page
shell puts them side by side here, from their models and the touchpoints they share.

A calendar moment has no phase of its own: a thank-you moment serves *Bedanken*, an
appreciation moment *Loyaliteit* (see docs/journeys.md, *The main map*).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from koers.calendar.models import Moment, MomentNature
from koers.feedback.choices import InstrumentKind, ResponseStatus
from koers.feedback.models import Response
from koers.feedback.queries import NpsResult, band, emotion, nps_from_counts
from koers.groups.models import Group
from koers.groups.queries import count_members
from koers.journeys.choices import EnrollmentState
from koers.journeys.models import Journey, Phase
from koers.spreadsheet import Column, add_sheet
from koers.touchpoints.choices import MADE
from koers.touchpoints.models import Touchpoint

PHASE_OF_NATURE = {MomentNature.THANK: "bedanken", MomentNature.APPRECIATE: "loyaliteit"}
# Below this many answers a cell says "n = 12" without an NPS score: a cell is small.
NPS_MINIMUM = 30
YEAR = timedelta(days=365)


@dataclass
class Figures:
    contacts: int = 0
    on_time: int = 0
    timed: int = 0
    emotion_sum: float = 0.0
    emotion_n: int = 0
    nps_counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.timed) if self.timed else None

    @property
    def emotion(self) -> float | None:
        return round(self.emotion_sum / self.emotion_n, 1) if self.emotion_n else None

    @property
    def emotion_text(self) -> str:
        value = self.emotion
        return "" if value is None else f"{value:+.1f}".replace(".", ",")

    @property
    def nps(self) -> NpsResult | None:
        counts = self.nps_counts
        if not sum(counts.values()):
            return None
        return nps_from_counts(
            counts["promoter"], counts["passive"], counts["detractor"], minimum=NPS_MINIMUM
        )

    @property
    def nps_text(self) -> str:
        result = self.nps
        if result is None or result.score is None:
            return ""
        if not result.enough:
            return _("te weinig (n = %(n)s)") % {"n": result.n}
        return f"{result.score:+.0f} (n = {result.n})"


@dataclass
class Item:
    kind: str  # journey or moment
    name: str
    url: str
    status: str
    figures: Figures
    travelling: int = 0


@dataclass
class Row:
    key: str
    name: str
    size: int | None
    cells: list[list[Item]]

    @property
    def gaps(self) -> int:
        return sum(1 for cell in self.cells if not cell)


@dataclass
class MainMap:
    phases: list[Phase]
    rows: list[Row]

    @property
    def gaps(self) -> int:
        return sum(row.gaps for row in self.rows)

    @property
    def cells(self) -> int:
        return len(self.rows) * len(self.phases)


def main_map(now: datetime, sizes: bool = True) -> MainMap:
    """The whole main map, from a handful of grouped queries."""
    phases = list(Phase.objects.all())
    column = {phase.key: index for index, phase in enumerate(phases)}
    journeys, moments = _journey_figures(now), _moment_figures(now)
    rows = [Row("", _("Alle relaties"), None, [[] for _phase in phases])]
    for group in Group.objects.all():
        size = count_members(group, now) if sizes else None
        rows.append(Row(group.key, group.name, size, [[] for _phase in phases]))
    index = {row.key: row for row in rows}
    for journey, item in journeys:
        row = index.get(journey.group.key if journey.group else "")
        if row is not None:
            row.cells[column[journey.phase.key]].append(item)
    for moment, item in moments:
        place = column.get(PHASE_OF_NATURE.get(MomentNature(moment.nature), ""))
        if place is None:
            continue
        keys = [""] if moment.everyone else [group.key for group in moment.groups.all()]
        for key in keys:
            if key in index:
                index[key].cells[place].append(item)
    return MainMap(phases, rows)


def _journey_figures(now: datetime) -> list[tuple[Journey, Item]]:
    journeys = Journey.objects.select_related("phase", "group").annotate(
        travelling=Count(
            "enrollments", filter=Q(enrollments__state=EnrollmentState.ACTIVE), distinct=True
        )
    )
    touchpoints = Touchpoint.objects.filter(journey__isnull=False, planned_at__gte=now - YEAR)
    figures = _touchpoint_figures(touchpoints, "journey")
    _answers(figures, "touchpoint__journey", now, Q(touchpoint__journey__isnull=False))
    found: list[tuple[Journey, Item]] = []
    for journey in journeys:
        item = Item(
            "journey",
            journey.name,
            reverse("journey_map", args=[journey.key]),
            journey.get_status_display(),
            figures.get(journey.pk, Figures()),
            journey.travelling,
        )
        found.append((journey, item))
    return found


def _moment_figures(now: datetime) -> list[tuple[Moment, Item]]:
    moments = Moment.objects.select_related("calendar").prefetch_related("groups")
    touchpoints = Touchpoint.objects.filter(
        source__startswith="calendar:", planned_at__gte=now - YEAR
    )
    figures = _touchpoint_figures(touchpoints, "source")
    _answers(figures, "touchpoint__source", now, Q(touchpoint__source__startswith="calendar:"))
    found = []
    for moment in moments:
        status = _("in uitvoering") if moment.calendar.active else _("niet in uitvoering")
        item = Item(
            "moment",
            moment.name,
            reverse("calendar:detail", args=[moment.calendar.key]),
            status,
            figures.get(moment.source, Figures()),
        )
        found.append((moment, item))
    return found


def _touchpoint_figures(touchpoints: object, by: str) -> dict[object, Figures]:
    made = Q(status__in=MADE)
    on_time = Q(done_at__isnull=False, done_at__lte=F("deadline")) | Q(
        done_at__isnull=True, sent_at__lte=F("deadline")
    )
    rows = (
        touchpoints.values(by)  # type: ignore[attr-defined]
        .annotate(
            contacts=Count("pk", filter=made),
            timed=Count("pk", filter=made & Q(deadline__isnull=False)),
            on_time=Count("pk", filter=made & Q(deadline__isnull=False) & on_time),
        )
        .order_by()
    )
    return {row[by]: Figures(row["contacts"], row["on_time"], row["timed"]) for row in rows}


def _answers(figures: dict[object, Figures], by: str, now: datetime, where: Q) -> None:
    """The confirmed answers to the items' contacts: emotion (NPS and thumbs), and NPS."""
    rows = (
        Response.objects.filter(
            where,
            status=ResponseStatus.CONFIRMED,
            score__isnull=False,
            touchpoint__planned_at__gte=now - YEAR,
            instrument__kind__in=(InstrumentKind.NPS, InstrumentKind.THUMBS),
        )
        .values_list(by, "instrument__kind", "score")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for key, kind, score, n in rows:
        target = figures.setdefault(key, Figures())
        scale = "nps" if kind == InstrumentKind.NPS else "thumbs"
        mean, _count = emotion([float(score)], scale)
        if mean is not None:
            target.emotion_sum += mean * n
            target.emotion_n += n
        if kind == InstrumentKind.NPS:
            target.nps_counts[band(int(score))] += n


def item_text(item: Item) -> str:
    """One journey or moment in a cell of the workbook: its name and figures on one line."""
    figures = item.figures
    parts = [item.name, _("%(n)s contacten") % {"n": figures.contacts}]
    if figures.on_time_percent is not None:
        parts.append(_("%(p)s%% op tijd") % {"p": figures.on_time_percent})
    if figures.emotion_n:
        parts.append(f"{_('beleving')} {figures.emotion_text} (n = {figures.emotion_n})")
    if figures.nps_text:
        parts.append(f"NPS {figures.nps_text}")
    return " · ".join(parts)


def add_main_map_sheet(book: Workbook, found: MainMap) -> None:
    """The main map as a sheet: phases as columns, groups as rows, a line per item."""
    columns = [Column(_("Doelgroep"), 24)] + [
        Column(phase.name, 30, wrap=True) for phase in found.phases
    ]
    rows = [
        [row.name, *("\n".join(item_text(i) for i in cell) or _("gat") for cell in row.cells)]
        for row in found.rows
    ]
    add_sheet(book, _("Hoofdkaart"), columns, rows, freeze="B2")
