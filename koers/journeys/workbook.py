"""A journey map as an Excel sheet, laid out the way fundraisers draw a journey in a
spreadsheet: the steps as columns, the lanes as rows (see docs/journeys.md, *The map as a
workbook*). Every cell goes through koers.spreadsheet, so no text runs as a formula.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from koers.journeys.report import JourneyMap, StepFigures
from koers.spreadsheet import Column, add_sheet

LANE_WIDTH = 22
STEP_WIDTH = 28


def _notes(notes: Any) -> str:
    return "\n".join(
        " · ".join(part for part in (note.text, note.owner, note.status) if part) for note in notes
    )


def _lanes() -> list[tuple[str, Any]]:
    """The rows: a lane's name and what it shows of a step."""

    def on_time(s: StepFigures) -> Any:
        return s.on_time_percent if s.step.deadline and s.is_contact else None

    return [
        (_("Soort"), lambda s: s.kind_label),
        (_("Sleutel"), lambda s: s.step.key),
        (_("Wat er gebeurt"), lambda s: "\n".join(line.text for line in s.lines)),
        (_("Moment van de waarheid"), lambda s: _("ja") if s.step.moment_of_truth else ""),
        (_("Uiterste termijn"), lambda s: s.deadline_text),
        (_("Doel van de relatie"), lambda s: s.step.goal),
        (_("Verwachte beleving (-2 tot +2)"), lambda s: s.step.emotion),
        (_("Gemeten beleving"), lambda s: s.measured if s.measured_n else None),
        (_("Gemeten: aantal antwoorden"), lambda s: s.measured_n or None),
        (_("Eigenaar"), lambda s: s.step.owner),
        (_("Achter de schermen"), lambda s: s.step.backstage),
        (_("Knelpunten"), lambda s: _notes(s.step.pains)),
        (_("Kansen"), lambda s: _notes(s.step.opportunities)),
        (_("binnengekomen"), lambda s: s.entered),
        (_("nu hier"), lambda s: s.here),
        (_("gedaan"), lambda s: s.made if s.is_contact else None),
        (_("overgeslagen"), lambda s: s.skipped_total if s.is_contact else None),
        (_("Op tijd (%)"), on_time),
    ]


def add_journey_sheet(book: Workbook, found: JourneyMap) -> None:
    """One sheet for the journey: a column per step, in map order."""
    columns = [Column(_("Baan"), LANE_WIDTH)] + [
        Column(f"{index} · {figures.step.label}", STEP_WIDTH, wrap=True)
        for index, figures in enumerate(found.steps, start=1)
    ]
    rows = [[name, *(value(figures) for figures in found.steps)] for name, value in _lanes()]
    phase = found.journey.phase.name
    rows.insert(0, [_("Fase"), *([phase] * len(found.steps))])
    # A sheet's title is at most 31 characters and cannot hold some characters.
    title = "".join(c for c in found.journey.key if c not in "[]:*?/\\")[:31]
    add_sheet(book, title, columns, rows, freeze="B2")
