"""Step kinds are plug-ins: a base class, one module per kind, and a registry.

A kind knows two things: how to read and check its part of a journey definition
(pure), and how to advance every enrollment on one of its steps at once (the
engine hands it an `Advance` context with set-based helpers).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from koers.journeys.definition import Step
    from koers.journeys.engine import Advance


@dataclass
class Problems:
    """Findings while reading a definition, each tied to where it was found."""

    items: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")


class StepKind:
    key: ClassVar[str]
    label: ClassVar[str]
    # A wait ends a tick's progress for the relation: cycles need one.
    waits: ClassVar[bool] = False

    def parse(self, raw: Mapping[str, Any], where: str, problems: Problems) -> dict[str, Any]:
        """The kind's settings, checked; problems are added, never raised."""
        return {}

    def targets(self, step: Step) -> list[str]:
        """The steps this step can lead to (None: the journey ends)."""
        return [step.next] if step.next else []

    def advance(self, run: Advance, step: Step) -> int:
        """Advance every due enrollment on this step. Returns how many moved on."""
        raise NotImplementedError

    def on_arrival(self, step: Step, at: Any, entered: Any = None) -> dict[str, Any] | None:
        """Fields to set in the same write that brings enrollments here at `at` (an
        expression; `entered`: when they entered the journey, F("entered_at") by default),
        so that arriving and starting to wait is one write, not two. None: the step looks
        at its arrivals itself."""
        return None


REGISTRY: dict[str, StepKind] = {}


def register(kind: type[StepKind]) -> type[StepKind]:
    REGISTRY[kind.key] = kind()
    return kind


def kinds() -> dict[str, StepKind]:
    """Every step kind; importing the modules registers them (a no-op once imported)."""
    if len(REGISTRY) < 6:
        from koers.journeys.steps import (  # noqa: F401
            action,
            branch,
            exit,
            split,
            wait,
            wait_for_event,
        )
    return REGISTRY
