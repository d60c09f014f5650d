"""Writes to journeys: publish a definition as a new version, change status, install templates."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from koers.groups.models import Group
from koers.journeys.choices import EnrollmentState, JourneyStatus
from koers.journeys.definition import Definition, DefinitionError, parse_definition
from koers.journeys.models import Enrollment, Journey, JourneyVersion, Phase
from koers.relations.models import Event

LIBRARY = Path(__file__).resolve().parent / "library"


def _references(definition: Definition) -> tuple[Phase, Group | None, list[str]]:
    """The phase and groups a definition names, with a problem for each that does not exist."""
    problems = []
    phase = Phase.objects.filter(key=definition.phase).first()
    if phase is None:
        keys = ", ".join(Phase.objects.values_list("key", flat=True))
        problems.append(f"klantreis: fase '{definition.phase}' bestaat niet; kies uit {keys}")
    group = None
    for where, key in (("group", definition.group), ("trigger.group", definition.trigger.group)):
        if key and not Group.objects.filter(key=key).exists():
            problems.append(f"{where}: relatiegroep '{key}' bestaat niet")
    if definition.group:
        group = Group.objects.filter(key=definition.group).first()
    from koers.feedback.delivery import unknown_surveys

    asked = [(f"stap '{step.key}'", step.settings.get("content")) for step in definition.steps]
    problems += unknown_surveys(asked)
    if problems:
        raise DefinitionError(problems)
    assert phase is not None
    return phase, group, problems


def check(data: Mapping[str, Any]) -> Definition:
    """Everything publishing checks, without writing: the definition and what it refers to
    (phase, groups, instruments). Raises DefinitionError listing every problem."""
    definition = parse_definition(data)
    _references(definition)
    return definition


@transaction.atomic
def publish(data: Mapping[str, Any], *, note: str = "", running: str = "stay") -> JourneyVersion:
    """Store a definition as the journey's next version, creating the journey if it is new.

    `running` says what happens to relations already on the journey: "stay" on the
    version they entered, "move" to the same step of the new version (where that step
    still exists), or "move:STEP" to a named step of the new version.
    """
    definition = parse_definition(data)
    phase, group, _ = _references(definition)
    fields = {
        "name": definition.name,
        "phase": phase,
        "group": group,
        "description": str(data.get("description") or ""),
        "owner_team": str(data.get("owner") or ""),
        "status": str(data.get("status") or JourneyStatus.DRAFT),
    }
    journey, created = Journey.objects.get_or_create(key=definition.key, defaults=fields)
    if created:
        # A new journey starts from now: events already in the log do not enroll anyone.
        journey.event_watermark = (
            Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
        )
        journey.save(update_fields=["event_watermark"])
    else:
        for name, value in fields.items():
            setattr(journey, name, value)
        journey.save()
    number = (
        journey.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    version = JourneyVersion.objects.create(
        journey=journey, number=number, definition=dict(data), note=note
    )
    _move_running(journey, version, definition, running)
    return version


def _move_running(
    journey: Journey, version: JourneyVersion, definition: Definition, running: str
) -> None:
    active = Enrollment.objects.filter(journey=journey, state=EnrollmentState.ACTIVE).exclude(
        version=version
    )
    keys = [step.key for step in definition.steps]
    if running == "stay":
        return
    if running == "move":
        active.filter(step__in=keys).update(version=version)
        return
    target = running.removeprefix("move:")
    if not running.startswith("move:") or target not in keys:
        raise DefinitionError(
            [f"lopende deelnames: '{running}' kan niet; kies stay, move of move:STAP"]
        )
    active.update(version=version, step=target, waiting=False)


def set_status(journey: Journey, status: JourneyStatus) -> None:
    journey.status = status
    journey.save(update_fields=["status", "updated_at"])


def templates() -> dict[str, dict[str, Any]]:
    """The shipped journey templates by key."""
    found = {}
    for path in sorted(LIBRARY.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[str(data["key"])] = data
    return found


def install(name: str) -> JourneyVersion:
    available = templates()
    if name not in available:
        raise DefinitionError([f"sjabloon '{name}' bestaat niet; kies uit {', '.join(available)}"])
    return publish(available[name], note=f"geïnstalleerd uit sjabloon {name}")


def export(journey: Journey) -> str:
    """The journey's current definition as YAML, with its current fields."""
    version = journey.current
    data = dict(version.definition) if version else {}
    data.update(
        {
            "key": journey.key,
            "name": journey.name,
            "phase": journey.phase.key,
            "status": journey.status,
        }
    )
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
