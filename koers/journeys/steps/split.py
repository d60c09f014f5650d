"""Random split: stable paths by a hash of relation and step, for holdouts and A/B tests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.journeys.steps.base import Problems, StepKind
from koers.journeys.words import Line, step_names
from koers.touchpoints.planning import bucket_sql

if TYPE_CHECKING:
    from koers.journeys.definition import Definition, Step
    from koers.journeys.engine import Advance


class Split(StepKind):
    key = "split"
    label = gettext_lazy("verdeling")

    def describe(self, step: Step, definition: Definition) -> list[Line]:
        names = step_names(definition)
        return [
            Line(
                _("%(p)s%% → %(next)s")
                % {"p": item["percent"], "next": names.get(item["next"], item["next"])}
            )
            for item in step.settings["paths"]
        ]

    def parse(self, raw: Mapping[str, Any], where: str, problems: Problems) -> dict[str, Any]:
        paths = raw.get("paths")
        if not isinstance(paths, list) or not paths:
            problems.add(where, "een splitsing heeft 'paths': een lijst van 'percent' en 'next'")
            return {"paths": []}
        checked: list[dict[str, Any]] = []
        for number, item in enumerate(paths, start=1):
            percent = item.get("percent") if isinstance(item, Mapping) else None
            if (
                not isinstance(percent, int)
                or isinstance(percent, bool)
                or not 0 <= percent <= 100
                or "next" not in item
            ):
                problems.add(
                    f"{where}, pad {number}", "elk pad heeft 'percent' (0-100, geheel) en 'next'"
                )
                continue
            label = str(item.get("label") or item["next"])[:32]
            checked.append({"percent": percent, "next": str(item["next"]), "label": label})
        if checked and sum(p["percent"] for p in checked) != 100:
            problems.add(
                where,
                f"de percentages tellen op tot {sum(p['percent'] for p in checked)}, niet 100",
            )
        return {"paths": checked}

    def targets(self, step: Step) -> list[str]:
        return [item["next"] for item in step.settings["paths"]]

    def advance(self, run: Advance, step: Step) -> int:
        source = f"journey:{run.journey.key}:{step.key}"
        arrived = run.arrived(step).annotate(bucket=bucket_sql(source))
        moved, low = 0, 0
        for item in step.settings["paths"]:
            high = low + item["percent"]
            rows = arrived.filter(bucket__gte=low, bucket__lt=high)
            moved += run.move(rows, item["next"], variant=item["label"])
            low = high
        return moved
