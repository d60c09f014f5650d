"""The calendar pages' forms: a calendar's settings, and one moment in plain words.

The moment form builds the moment's YAML form (as in a calendar file) from friendly fields
and has it checked by `plan.parse_moment`, the same check an import gets; each problem is
shown next to the field it is about.
"""

from __future__ import annotations

import calendar as stdcalendar
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from koers.calendar.actions import check_references
from koers.calendar.dates import DAY_KEYS, DAYS_NL, MONTHS_NL, dutch_holidays
from koers.calendar.models import Calendar
from koers.calendar.personal import WITH_NUMBER
from koers.calendar.plan import EVERYONE, MomentSpec, PlanError, PlanSpec, parse_moment
from koers.formatting import euro
from koers.groups.models import Group
from koers.touchpoints.choices import COST_CENTS, MINUTES, Behaviour, Channel
from koers.web.roles import ROLES

DUTCH_DATE = ["%d-%m-%Y", "%Y-%m-%d"]

KINDS = [
    ("yearly", _("Jaarmoment: op een vaste dag, voor een hele groep tegelijk")),
    ("relation", _("Relatiemoment: op een persoonlijke aanleiding, voor iedere relatie apart")),
]
RULE_KINDS = [
    ("date", _("een vaste datum")),
    ("weekday", _("de zoveelste weekdag van een maand")),
    ("holiday", _("een feestdag")),
    ("giving_tuesday", _("Giving Tuesday")),
    ("anniversary", _("de verjaardag van de organisatie")),
]
TRIGGERS = [
    ("first_gift_anniversary", _("elk jaar op de dag van de eerste gift")),
    ("mandate_anniversary", _("elk jaar op de startdag van de machtiging")),
    ("birthday", _("op de verjaardag van de relatie")),
    ("years_of_support", _("eenmalig, na een aantal jaren steun")),
    ("milestone", _("eenmalig, wanneer het totaal aan giften een bedrag passeert")),
    ("nth_gift", _("eenmalig, bij de zoveelste gift")),
    ("level_up", _("wanneer de relatie een niveau hoger komt")),
]
NUMBER_NEEDED = {
    "years_of_support": _("Na hoeveel jaar steun? Vul een aantal jaren in."),
    "milestone": _("Bij welk totaalbedrag? Vul een bedrag in hele euro's in."),
    "nth_gift": _("Bij de hoeveelste gift? Vul een aantal giften in."),
}
NTH = [(1, "1e"), (2, "2e"), (3, "3e"), (4, "4e"), (5, "5e"), (-1, _("laatste"))]
NATURES = [
    ("appreciate", _("Waarderen: proactief, zonder aanleiding")),
    ("thank", _("Bedanken: na een gift")),
]
INTENSITIES = [
    (1, _("1: licht, zoals een e-mail")),
    (2, _("2: iets persoonlijker, zoals een brief")),
    (3, _("3: persoonlijk, zoals een handgeschreven kaart")),
    (4, _("4: heel persoonlijk, zoals een telefoontje")),
    (5, _("5: het meest persoonlijk, zoals een bezoek")),
]
PRESSURES = [
    (Behaviour.DEFER.value, _("uitstellen tot het weer past")),
    (Behaviour.SKIP.value, _("overslaan")),
]
# The content fields of the form; other content a moment has (from YAML) is kept as it is.
CONTENT = ("subject", "body", "script", "title", "role")
# Where parse_moment and check_references report a problem ("moment (kerst).when.date: ..."),
# and which field of the form it is about.
PROBLEM = re.compile(r"^moments?(?:\[\d+\])?(?: \([^)]*\))?(?:\.(?P<path>[\w.]+))?: (?P<text>.*)$")
FIELDS = {
    "when": "rule_kind",
    "when.date": "day",
    "when.weekday": "n",
    "when.weekday.n": "n",
    "when.weekday.weekday": "weekday",
    "when.weekday.month": "month",
    "when.holiday": "holiday",
    "when.offset": "offset",
    "trigger": "trigger_kind",
    "channels": "channel_1",
    **{name: name for name in ("key", "name", "description", "groups", "nature")},
    **{name: name for name in ("intensity", "cost", "minutes", "holdout", "pressure")},
    **{f"content.{name}": name for name in CONTENT},
}
NEEDS = re.compile(r"kanaal '(?P<channel>\w+)' heeft '(?P<field>\w+)' nodig")


def _defaults(table: Mapping[str, int], money: bool) -> str:
    shown = [
        f"{label} {euro(table[code], get_language()) if money else table[code]}"
        for code, label in Channel.choices
        if code in table and code != "webhook"
    ]
    return ", ".join(shown)


def _channel_label(code: str) -> str:
    return str(Channel(code).label) if code in Channel.values else code


class CalendarForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=120)
    description = forms.CharField(
        label=_("Omschrijving"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    founded_on = forms.DateField(
        label=_("Oprichtingsdatum"),
        required=False,
        input_formats=DUTCH_DATE,
        widget=forms.DateInput(format="%d-%m-%Y", attrs={"placeholder": "dd-mm-jjjj"}),
        help_text=_("Voor momenten op de verjaardag van de organisatie, zoals 14-05-1987."),
    )
    lookahead_days = forms.IntegerField(
        label=_("Dagen vooruit plannen"),
        min_value=1,
        max_value=90,
        help_text=_(
            "Zoveel dagen voor de datum staat een contactmoment klaar, zodat kaarten op tijd "
            "geschreven en brieven op tijd gedrukt zijn."
        ),
    )
    max_per_month = forms.IntegerField(
        label=_("Hoogstens contactmomenten per relatie per maand"),
        min_value=1,
        max_value=31,
        help_text=_("De controle 'niet te veel' meldt wie in een maand vaker contact krijgt."),
    )

    def __init__(self, *args: Any, calendar: Calendar, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": calendar.name,
                "description": calendar.description,
                "founded_on": calendar.founded_on,
                "lookahead_days": calendar.lookahead_days,
                "max_per_month": calendar.max_per_month,
            },
        )
        super().__init__(*args, **kwargs)
        self.calendar = calendar

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "founded_on" in data and data["founded_on"] is None:
            for moment in self.calendar.moments.order_by("position"):
                if moment.rule and "anniversary" in moment.rule:
                    self.add_error(
                        "founded_on",
                        _("Nodig voor '%(name)s', dat op de verjaardag van de organisatie valt.")
                        % {"name": moment.name},
                    )
                    break
        return data

    def plan(self) -> PlanSpec:
        """The calendar's plan with these settings; its moments stay as they are."""
        data = self.cleaned_data
        return replace(
            self.calendar.spec(),
            name=data["name"],
            description=data["description"],
            founded=data["founded_on"],
            lookahead_days=data["lookahead_days"],
            max_per_month=data["max_per_month"],
        )


def _choice(label: Any, choices: Any, **kwargs: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=choices, coerce=int, **kwargs)


def _text(label: Any, rows: int = 0, **kwargs: Any) -> forms.CharField:
    if not rows:
        return forms.CharField(label=label, required=False, **kwargs)
    # Texts keep their own line breaks, the last one included, as in the calendar's YAML.
    widget = forms.Textarea(attrs={"rows": rows})
    return forms.CharField(label=label, required=False, widget=widget, strip=False, **kwargs)


def _channels(label: Any, required: bool) -> forms.ChoiceField:
    empty = [] if required else [("", _("— geen —"))]
    return forms.ChoiceField(label=label, choices=[*empty, *Channel.choices], required=required)


class MomentForm(forms.Form):
    # The roles a task can be for, offered as suggestions; a role of one's own is allowed.
    roles = tuple(ROLES)
    name = forms.CharField(label=_("Naam"), max_length=120)
    key = forms.CharField(
        label=_("Sleutel"),
        max_length=64,
        required=False,
        help_text=_("Korte naam voor exports; leeg laten maakt er een van de naam."),
    )
    description = _text(_("Omschrijving"), rows=2)
    kind = forms.ChoiceField(label=_("Soort"), choices=KINDS, widget=forms.RadioSelect)
    rule_kind = forms.ChoiceField(label=_("Valt op"), choices=RULE_KINDS)
    n = _choice(_("De hoeveelste"), NTH, required=False)
    weekday = _choice(_("Weekdag"), list(enumerate(DAYS_NL)), required=False)
    day = _choice(_("Dag"), [(d, str(d)) for d in range(1, 32)], required=False)
    month = _choice(_("Maand"), list(enumerate(MONTHS_NL))[1:], required=False)
    holiday = forms.ChoiceField(label=_("Feestdag"), required=False)
    offset = forms.IntegerField(
        label=_("Dagen verschuiven"),
        required=False,
        initial=0,
        min_value=-365,
        max_value=365,
        help_text=_("Bijvoorbeeld -7: een week ervoor; 2: twee dagen erna; 0: op de dag zelf."),
    )
    trigger_kind = forms.ChoiceField(label=_("Aanleiding"), choices=TRIGGERS, required=False)
    trigger_number = forms.IntegerField(
        label=_("Aantal"),
        required=False,
        min_value=1,
        help_text=_("Jaren, euro's of giften, bij een aanleiding die een aantal heeft."),
    )
    everyone = forms.BooleanField(label=_("Alle relaties"), required=False)
    groups = forms.ModelMultipleChoiceField(
        label=_("Relatiegroepen"),
        queryset=Group.objects.order_by("name"),
        to_field_name="key",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    channel_1 = _channels(_("Eerste keus"), True)
    channel_2 = _channels(_("Tweede keus"), False)
    channel_3 = _channels(_("Derde keus"), False)
    nature = forms.ChoiceField(label=_("Aard"), choices=NATURES, widget=forms.RadioSelect)
    intensity = _choice(_("Intensiteit"), INTENSITIES)
    cost = forms.CharField(
        label=_("Kosten (€)"),
        required=False,
        max_length=20,
    )
    minutes = forms.IntegerField(
        label=_("Minuten werk"),
        required=False,
        min_value=0,
        max_value=600,
    )
    holdout = forms.IntegerField(
        label=_("Controlegroep (%)"),
        required=False,
        initial=0,
        min_value=0,
        max_value=100,
        help_text=_("Dit deel krijgt het moment niet, zodat u kunt meten wat het oplevert."),
    )
    pressure = forms.ChoiceField(
        label=_("Als een relatie die maand al genoeg contact had"),
        choices=PRESSURES,
        widget=forms.RadioSelect,
    )
    subject = _text(_("Onderwerp"), help_text=_("Nodig voor e-mail."))
    body = _text(_("Tekst"), rows=6, help_text=_("Nodig voor e-mail, brief en kaart."))
    script = _text(_("Belscript"), rows=4, help_text=_("Nodig voor telefoon."))
    title = _text(_("Taaktitel"), help_text=_("Nodig voor een taak."))
    role = forms.CharField(
        label=_("Taak voor"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"list": "rollen", "autocomplete": "off"}),
        help_text=_(
            "De rol op wiens takenlijst de taak komt, zoals strateeg. Nodig voor een taak."
        ),
    )

    def __init__(
        self,
        *args: Any,
        calendar: Calendar,
        moment: MomentSpec | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", initial_for(moment))
        super().__init__(*args, **kwargs)
        for name in ("channel_1", "channel_2", "channel_3"):
            if name in self.fields:  # the registry's channels as they are now
                field = self.fields[name]
                assert isinstance(field, forms.ChoiceField)
                field.choices = _channels(field.label, field.required).choices
        self.calendar = calendar
        self.editing = moment
        self.spec: MomentSpec | None = None
        names = list(dutch_holidays(2026).values())
        holiday = self.fields["holiday"]
        assert isinstance(holiday, forms.ChoiceField)
        holiday.choices = [(name, name) for name in names]
        self.fields["cost"].help_text = _(
            "Per contact, bijvoorbeeld 2,50. Leeg laten: de standaard per kanaal (%(defaults)s)."
        ) % {"defaults": _defaults(COST_CENTS, money=True)}
        self.fields["minutes"].help_text = _(
            "Per contact. Leeg laten: de standaard per kanaal (%(defaults)s)."
        ) % {"defaults": _defaults(MINUTES, money=False)}
        if moment is not None:
            self.fields["key"].disabled = True
            self.fields["key"].help_text = _("De sleutel verandert niet meer na het opslaan.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("key") and data.get("name"):
            data["key"] = slugify(data["name"])[:64].strip("-")
        self._check_timing(data)
        self._check_groups_and_channels(data)
        key = data.get("key")
        if self.editing is None and key and self.calendar.moments.filter(key=key).exists():
            self.add_error(
                "key",
                _("Deze kalender heeft al een moment met de sleutel '%(key)s'.") % {"key": key},
            )
        if data.get("kind") not in ("yearly", "relation"):
            return data
        # Checked even when a field is already wrong, so that every problem shows at once.
        problems: list[str] = []
        spec = parse_moment(self.raw(), "moment", problems)
        if spec is not None:
            try:
                check_references(PlanSpec(self.calendar.key, self.calendar.name, (spec,)))
            except PlanError as error:
                problems.extend(error.problems)
        self._show(problems)
        self.spec = None if self.errors else spec
        return data

    def _check_timing(self, data: dict[str, Any]) -> None:
        if data.get("kind") == "yearly":
            rule = data.get("rule_kind")
            if rule == "date" and data.get("month") and data.get("day"):
                month, day = data["month"], data["day"]
                if day > stdcalendar.monthrange(2028, month)[1]:
                    self.add_error(
                        "day",
                        _("%(day)s %(month)s bestaat niet.")
                        % {"day": day, "month": MONTHS_NL[month]},
                    )
            if rule == "anniversary" and self.calendar.founded_on is None:
                self.add_error(
                    "rule_kind",
                    _(
                        "Deze kalender heeft nog geen oprichtingsdatum. Vul die eerst in bij de "
                        "instellingen van de kalender."
                    ),
                )
        elif data.get("kind") == "relation":
            trigger = data.get("trigger_kind") or ""
            missing = trigger in NUMBER_NEEDED and not data.get("trigger_number")
            if missing and "trigger_number" not in self.errors:
                self.add_error("trigger_number", NUMBER_NEEDED[trigger])

    def _check_groups_and_channels(self, data: dict[str, Any]) -> None:
        if not data.get("everyone") and not data.get("groups") and "groups" not in self.errors:
            self.add_error(
                "groups", _("Kies minstens één relatiegroep, of vink 'Alle relaties' aan.")
            )
        seen: set[str] = set()
        for name in ("channel_1", "channel_2", "channel_3"):
            channel = data.get(name)
            if channel and channel in seen:
                self.add_error(name, _("Dit kanaal staat al bij een eerdere keus."))
            seen.add(channel or "")

    def raw(self) -> dict[str, Any]:
        """The moment in its YAML form, as in a calendar file. A field that was refused
        is missing from cleaned_data; the stand-in put there is never saved."""
        data = self.cleaned_data
        channels = [data.get(f"channel_{i}") for i in (1, 2, 3)]
        raw: dict[str, Any] = {
            "key": data.get("key") or "",
            "name": data.get("name") or "",
            "description": data.get("description") or "",
            "groups": EVERYONE if data.get("everyone") else [g.key for g in data.get("groups", [])],
            "channels": [c for c in channels if c],
            "nature": data.get("nature"),
            "intensity": data.get("intensity") or 1,
            "holdout": data.get("holdout") or 0,
            "pressure": data.get("pressure") or Behaviour.DEFER.value,
            "content": self._content(),
        }
        if data.get("cost"):
            raw["cost"] = data["cost"]
        if data.get("minutes") is not None:
            raw["minutes"] = data["minutes"]
        if data["kind"] == "yearly":
            raw["when"] = self._when()
        else:
            kind = data.get("trigger_kind") or TRIGGERS[0][0]
            number = data.get("trigger_number") or 1
            raw["trigger"] = {kind: number} if kind in WITH_NUMBER else kind
        return raw

    def _when(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data.get("rule_kind") or "date"
        month = data.get("month") or 1
        when: dict[str, Any]
        if kind == "date":
            when = {"date": f"{month:02d}-{data.get('day') or 1:02d}"}
        elif kind == "weekday":
            weekday = DAY_KEYS[data.get("weekday") or 0]
            when = {"weekday": {"n": data.get("n") or 1, "weekday": weekday, "month": month}}
        elif kind == "holiday":
            when = {"holiday": data.get("holiday") or ""}
        else:
            when = {kind: True}
        if data.get("offset"):
            when["offset"] = data["offset"]
        return when

    def _content(self) -> dict[str, Any]:
        kept = dict(self.editing.content) if self.editing else {}
        content = {k: v for k, v in kept.items() if k not in CONTENT}
        filled = {k: self.cleaned_data.get(k) or "" for k in CONTENT}
        content.update({k: value for k, value in filled.items() if value.strip()})
        return content

    def _show(self, problems: list[str]) -> None:
        """Each problem next to its field, in words; what belongs to no field on top."""
        needs: dict[str, list[str]] = defaultdict(list)
        for problem in problems:
            match = PROBLEM.match(problem)
            path, text = (match["path"] or "", match["text"]) if match else ("", problem)
            wanted = NEEDS.fullmatch(text)
            if wanted and wanted["field"] in CONTENT:
                needs[wanted["field"]].append(_channel_label(wanted["channel"]))
                continue
            field = FIELDS.get(path) or ("trigger_number" if path.startswith("trigger.") else None)
            if field is None and path.startswith("when."):
                field = "rule_kind"
            if field == "key" and not self.data.get("key") and "name" in self.errors:
                continue  # the key would have been made from the name
            if field is None or field not in self.errors:
                self.add_error(field, text if field else problem)
        for name, channels in needs.items():
            if name in self.errors:
                continue
            self.add_error(
                name,
                _("Vul dit in: het moment kan per %(channels)s gaan.")
                % {"channels": _(" of ").join(channels)},
            )


def initial_for(moment: MomentSpec | None) -> dict[str, Any]:
    """The form's starting values: a new moment, or the fields of a stored one."""
    initial: dict[str, Any] = {
        "kind": "yearly",
        "rule_kind": "date",
        "month": 12,
        "day": 1,
        "n": 1,
        "offset": 0,
        "trigger_kind": "first_gift_anniversary",
        "channel_1": "email",
        "nature": "appreciate",
        "intensity": 1,
        "holdout": 0,
        "pressure": Behaviour.DEFER.value,
    }
    if moment is None:
        return initial
    initial.update(
        key=moment.key,
        name=moment.name,
        description=moment.description,
        kind="yearly" if moment.yearly else "relation",
        everyone=moment.everyone,
        groups=list(moment.groups),
        nature=moment.nature,
        intensity=moment.intensity,
        cost=euro(moment.cost_cents).removeprefix("€ ") if moment.cost_cents is not None else "",
        minutes=moment.minutes,
        holdout=moment.holdout,
        pressure=moment.pressure,
        **{f"channel_{i}": c for i, c in enumerate(moment.channels[:3], start=1)},
        **{k: moment.content.get(k, "") for k in CONTENT},
    )
    initial.update(_timing(moment))
    return initial


def _timing(moment: MomentSpec) -> dict[str, Any]:
    """The fields of the date rule, or of the trigger, of a stored moment."""
    if moment.trigger is not None:
        return {
            "trigger_kind": moment.trigger.kind,
            "trigger_number": moment.trigger.number or None,
        }
    rule = moment.rule
    assert rule is not None  # a moment has one or the other
    found: dict[str, Any] = {"rule_kind": rule.kind, "offset": rule.offset, "holiday": rule.holiday}
    if rule.kind in ("date", "weekday"):
        found.update(month=rule.month, day=rule.day or 1, n=rule.n or 1, weekday=rule.weekday)
    return found
