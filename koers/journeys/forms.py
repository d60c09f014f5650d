"""The journey editor's form: the journey's fields, its trigger and its steps."""

from __future__ import annotations

from typing import Any

import yaml
from django import forms
from django.utils.translation import gettext_lazy as _

from koers.groups.models import Group
from koers.journeys.choices import ExitReason, JourneyStatus
from koers.journeys.definition import EXITS
from koers.journeys.models import Phase

RUNNING = [
    ("stay", _("blijven op de versie waarmee ze begonnen")),
    ("move", _("meegaan naar de nieuwe versie, op dezelfde stap")),
]


def _yaml_field(label: Any, rows: int, help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "spellcheck": "false", "class": "code"}),
    )


class JourneyForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=120)
    key = forms.SlugField(label=_("Sleutel"), max_length=64)
    phase = forms.ModelChoiceField(
        label=_("Fase"), queryset=Phase.objects.all(), to_field_name="key"
    )
    group = forms.ModelChoiceField(
        label=_("Alleen voor relatiegroep"),
        queryset=Group.objects.all(),
        to_field_name="key",
        required=False,
        empty_label=_("iedereen"),
    )
    description = forms.CharField(
        label=_("Persona en omschrijving"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    owner = forms.CharField(label=_("Eigenaar (team)"), max_length=120, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=JourneyStatus.choices)
    exit_when = forms.MultipleChoiceField(
        label=_("Stopt bij"),
        choices=[(key, ExitReason(key).label) for key in EXITS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    min_gap = forms.CharField(
        label=_("Minstens tussen twee contacten"),
        max_length=40,
        required=False,
        help_text=_("Bijvoorbeeld 2 dagen (leeg: 2 dagen); 0 staat contacten op dezelfde dag toe."),
    )
    trigger = _yaml_field(
        _("Start"),
        4,
        _("Bijvoorbeeld: event: mandate.started (zie de handleiding voor alle opties)"),
    )
    steps = _yaml_field(_("Stappen"), 24, _("De stappen als YAML-lijst, zoals in de export."))
    running = forms.ChoiceField(
        label=_("Relaties die al onderweg zijn"), choices=RUNNING, initial="stay"
    )

    def clean_trigger(self) -> Any:
        return self._yaml("trigger", dict, _("de start is een lijst van velden, zoals event: ..."))

    def clean_steps(self) -> Any:
        return self._yaml(
            "steps", list, _("de stappen zijn een lijst: elke stap begint met '- key:'")
        )

    def _yaml(self, name: str, kind: type, expected: Any) -> Any:
        try:
            value = yaml.safe_load(self.cleaned_data[name])
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = _(" (regel %(line)s)") % {"line": mark.line + 1} if mark else ""
            raise forms.ValidationError(
                _("Geen geldige YAML%(where)s.") % {"where": where}
            ) from None
        if not isinstance(value, kind):
            raise forms.ValidationError(expected)
        return value

    def definition(self) -> dict[str, Any]:
        """The definition the form describes; for a valid form only."""
        return self._definition(self.cleaned_data)

    def draft(self) -> dict[str, Any]:
        """The definition with a neutral stand-in for each field that is not valid yet, so
        that the live check can still check everything else (the steps above all) while
        the field's own error is reported by the form."""
        data = {name: value for name, value in STAND_INS.items() if name in self.errors}
        data.update(self.cleaned_data)
        if "phase" not in data:
            data["phase"] = Phase.objects.first()
        return self._definition(data)

    @staticmethod
    def _definition(data: dict[str, Any]) -> dict[str, Any]:
        group, phase = data.get("group"), data.get("phase")
        gap = {"min_gap": data["min_gap"].strip()} if data.get("min_gap", "").strip() else {}
        return {
            "key": data["key"],
            "name": data["name"],
            "phase": phase.key if phase else "",
            "group": group.key if group else "",
            "description": data["description"],
            "owner": data["owner"],
            "status": data["status"],
            "trigger": data["trigger"],
            "exit_when": list(data["exit_when"]),
            "steps": data["steps"],
            **gap,
        }


# What the live check puts in place of a field that is not valid: something that passes
# the definition's own checks, so the field's problem is said once, by the form.
STAND_INS: dict[str, Any] = {
    "key": "concept",
    "name": "concept",
    "group": None,
    "description": "",
    "owner": "",
    "status": JourneyStatus.DRAFT,
    "exit_when": [],
    "trigger": {"event": "mandate.started"},
    "steps": [{"key": "concept", "kind": "exit"}],
}


def initial_for(definition: dict[str, Any]) -> dict[str, Any]:
    """The form's starting values from a stored definition."""

    def dump(value: Any) -> str:
        return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100)

    return {
        "name": definition.get("name", ""),
        "key": definition.get("key", ""),
        "phase": definition.get("phase"),
        "group": definition.get("group") or None,
        "description": definition.get("description", ""),
        "owner": definition.get("owner", ""),
        "status": definition.get("status", JourneyStatus.DRAFT),
        "exit_when": definition.get("exit_when", []),
        "min_gap": str(definition.get("min_gap", "")),
        "trigger": dump(definition.get("trigger", {"event": "mandate.started"})),
        "steps": dump(definition.get("steps", [])),
    }
