"""Exit: the journey is done for the relation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from koers.journeys.steps.base import StepKind, register

if TYPE_CHECKING:
    from koers.journeys.definition import Step
    from koers.journeys.engine import Advance


@register
class Exit(StepKind):
    key = "exit"
    label = "einde"

    def targets(self, step: Step) -> list[str]:
        return []

    def advance(self, run: Advance, step: Step) -> int:
        return run.move(run.arrived(step), None)
