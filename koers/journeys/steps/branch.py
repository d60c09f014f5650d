"""Branch: ordered conditions, the first that holds decides the next step; else otherwise."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.journeys.steps.base import Problems, StepKind
from koers.journeys.words import Line, rule_text, step_names

if TYPE_CHECKING:
    from koers.journeys.definition import Definition, Step
    from koers.journeys.engine import Advance


class Branch(StepKind):
    key = "branch"
    label = gettext_lazy("keuze")

    def describe(self, step: Step, definition: Definition) -> list[Line]:
        names, settings = step_names(definition), step.settings
        lines = [
            Line(
                _("als %(rule)s → %(next)s")
                % {
                    "rule": rule_text(item["when"], definition),
                    "next": names.get(item["next"], item["next"]),
                },
                item["when"],
            )
            for item in settings["branches"]
        ]
        if settings.get("else"):
            lines.append(Line(_("anders → %(next)s") % {"next": names.get(settings["else"], "")}))
        return lines

    def parse(self, raw: Mapping[str, Any], where: str, problems: Problems) -> dict[str, Any]:
        from koers.journeys.definition import check_rule

        branches = raw.get("branches")
        if not isinstance(branches, list) or not branches:
            problems.add(where, "een keuze heeft 'branches': een lijst van 'when' en 'next'")
            branches = []
        checked = []
        for number, item in enumerate(branches, start=1):
            if not isinstance(item, Mapping) or "when" not in item or "next" not in item:
                problems.add(f"{where}, tak {number}", "elke tak heeft 'when' en 'next'")
                continue
            rule = check_rule(item["when"], f"{where}, tak {number}", problems)
            checked.append({"when": rule, "next": str(item["next"])})
        if not raw.get("else"):
            problems.add(
                where, "keuze zonder 'else': zeg waar relaties heen gaan als geen tak past"
            )
        return {"branches": checked, "else": str(raw.get("else") or "")}

    def targets(self, step: Step) -> list[str]:
        found = [item["next"] for item in step.settings.get("branches", [])]
        return [*found, step.settings["else"]] if step.settings.get("else") else found

    def advance(self, run: Advance, step: Step) -> int:
        moved = 0
        # In order: a relation that matched an earlier branch has already left the step.
        for item in step.settings["branches"]:
            moved += run.move(run.arrived(step).filter(run.rule(item["when"])), item["next"])
        return moved + run.move(run.arrived(step), step.settings["else"])
