"""Step kinds are plug-ins: a base class, one module per kind, and a registry.

A kind knows how to read and check its part of a journey definition (pure), how to
advance every enrollment on one of its steps at once (the engine hands it an `Advance`
context with set-based helpers), its label and what a step of it does in words on the
journey's map. The registry is the list of dotted paths in the setting KOERS_STEP_KINDS.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import Promise
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from koers.journeys.definition import Definition, Step
    from koers.journeys.engine import Advance
    from koers.journeys.words import Line


@dataclass
class Problems:
    """Findings while reading a definition, each tied to where it was found."""

    items: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")


class StepKind:
    key: ClassVar[str]
    # The kind's name on the journey's map, translated (gettext_lazy).
    label: ClassVar[str | Promise]
    # A wait ends a tick's progress for the relation: cycles need one.
    waits: ClassVar[bool] = False

    def parse(self, raw: Mapping[str, Any], where: str, problems: Problems) -> dict[str, Any]:
        """The kind's settings, checked; problems are added, never raised."""
        return {}

    def describe(self, step: Step, definition: Definition) -> list[Line]:
        """What the step does, in a line or two a fundraiser reads without the format."""
        return []

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


def kinds() -> dict[str, StepKind]:
    """Every step kind of KOERS_STEP_KINDS, by key."""
    if not REGISTRY:
        for path in settings.KOERS_STEP_KINDS:
            kind = import_string(path)
            REGISTRY[kind.key] = kind()
    return REGISTRY


@receiver(setting_changed)
def _forget(setting: str, **kwargs: Any) -> None:
    """A test that changes KOERS_STEP_KINDS reads the new list."""
    if setting == "KOERS_STEP_KINDS":
        REGISTRY.clear()
