"""Exit: the journey is done for the relation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.journeys.steps.base import StepKind
from koers.journeys.words import Line

if TYPE_CHECKING:
    from koers.journeys.definition import Definition, Step
    from koers.journeys.engine import Advance


class Exit(StepKind):
    key = "exit"
    label = gettext_lazy("einde")

    def describe(self, step: Step, definition: Definition) -> list[Line]:
        return [Line(_("einde van de klantreis"))]

    def targets(self, step: Step) -> list[str]:
        return []

    def advance(self, run: Advance, step: Step) -> int:
        return run.move(run.arrived(step), None)
