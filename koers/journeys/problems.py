"""The editor's problems, each at its place: the journey, its start, or the step it is about.

A definition's problems are flat lines ("stap 'mail': onbekend kanaal 'emial'"), as the
command line prints them. The editor shows them under the step they concern, with the line
on which that step begins in the steps text, so a problem is found where it is typed.
Pure: reads text, imports no models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

# "stap 'mail'", "stap 'mail'.map.deadline", "stap 'keuze', tak 1", and "stap 3" for a step
# without a key (its position in the list).
_STEP = re.compile(r"^stap '(?P<key>[^']*)'(?P<rest>.*)$")
_NUMBERED = re.compile(r"^stap (?P<number>\d+)$")


@dataclass
class Place:
    """Where problems were found: a step (with its key and first line), or a part of the
    journey (`part`: "journey" or "start")."""

    part: str
    step: str = ""
    line: int | None = None
    label: str = ""
    messages: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StepLine:
    key: str
    line: int  # 1-based, in the steps text
    label: str


def step_lines(text: str) -> list[StepLine]:
    """Each step's key, label and the line its entry begins on; [] when the text is no list."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return []
    if not isinstance(node, yaml.SequenceNode):
        return []
    found = []
    for number, item in enumerate(node.value, start=1):
        values = _scalars(item)
        key = values.get("key", str(number))
        found.append(StepLine(key, item.start_mark.line + 1, values.get("label", "")))
    return found


def _scalars(node: yaml.Node) -> dict[str, str]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(name.value): str(value.value)
        for name, value in node.value
        if isinstance(name, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)
    }


def _split(problem: str) -> tuple[str, str]:
    where, found, message = problem.partition(": ")
    return (where, message) if found else ("", problem)


def placed(problems: list[str], steps_text: str) -> list[Place]:
    """The problems grouped by place: the journey first, then the start, then the steps in
    the order they are written. A message keeps what is more precise than its step
    ("map.deadline: ...")."""
    lines = step_lines(steps_text)
    journey, start = Place("journey"), Place("start")
    steps = {item.key: Place("step", item.key, item.line, item.label) for item in lines}
    by_number = {str(number): item.key for number, item in enumerate(lines, start=1)}
    for problem in problems:
        where, message = _split(problem)
        step = _STEP.match(where)
        numbered = _NUMBERED.match(where)
        if step or numbered:
            key = step["key"] if step else by_number.get(numbered["number"], "")  # type: ignore[index]
            rest = step["rest"].lstrip(".,").strip() if step else ""
            place = steps.setdefault(key, Place("step", key))
            place.messages.append(f"{rest}: {message}" if rest else message)
        elif where.startswith("trigger"):
            rest = where.removeprefix("trigger").lstrip(".")
            start.messages.append(f"{rest}: {message}" if rest else message)
        else:
            journey.messages.append(problem if where not in ("klantreis", "") else message)
    ordered = [journey, start, *steps.values()]
    return [place for place in ordered if place.messages]
