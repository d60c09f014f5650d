"""A calendar's YAML form, read and checked (pure): the schema is in docs/calendar.md.

    key: voorbeeld
    name: Waarderingskalender
    founded: 1990-04-12           # for {anniversary: true}
    lookahead_days: 14            # how far ahead the daily tick plans touchpoints
    max_per_month: 3              # "niet te veel": the monthly ceiling the check uses
    moments:
      - key: kerst
        name: Kerstkaart
        when: {holiday: Eerste Kerstdag, offset: -5 days}     # a yearly moment, or
        # trigger: first_gift_anniversary                     # a relation moment
        groups: [structurele-donateurs, grote-gevers]        # or: all
        channels: [card, email]   # the first the relation can be reached on, preference first
        nature: appreciate        # appreciate (waarderen) or thank (bedanken)
        intensity: 3              # 1 (light) to 5 (a visit)
        cost: 2.50                # euro per touchpoint; default by channel
        minutes: 5                # staff minutes per touchpoint; default by channel
        holdout: 10               # percent kept as a control group
        pressure: defer           # at a contact ceiling: defer or skip
        content: {body: "..."}

Every problem found is reported at once, each with the place it was found.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from koers.calendar.dates import DateRule, RuleError, parse_rule
from koers.calendar.personal import Trigger, parse_trigger
from koers.channels.texts import content_problems as text_problems
from koers.touchpoints.choices import COST_CENTS, MINUTES, Behaviour, Channel, content_problems

NATURES = ("appreciate", "thank")
NATURE_NL = {"appreciate": "waarderen", "thank": "bedanken"}
EVERYONE = "all"
KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MOMENT_FIELDS = {
    "key", "name", "description", "when", "trigger", "groups", "channels", "channel", "nature",
    "intensity", "cost", "minutes", "holdout", "pressure", "content",
}  # fmt: skip
PLAN_FIELDS = {"key", "name", "description", "founded", "lookahead_days", "max_per_month"}


class PlanError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class MomentSpec:
    key: str
    name: str
    rule: DateRule | None  # a yearly moment (jaarkalender) ...
    trigger: Trigger | None  # ... or a relation moment (relatiekalender)
    groups: tuple[str, ...]  # group keys; empty with everyone=True: all active relations
    channels: tuple[str, ...]
    nature: str
    intensity: int = 1
    cost_cents: int | None = None
    minutes: int | None = None
    holdout: int = 0
    pressure: str = Behaviour.DEFER
    content: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    everyone: bool = False

    @property
    def yearly(self) -> bool:
        return self.rule is not None

    def cost_for(self, channel: str) -> int:
        return self.cost_cents if self.cost_cents is not None else COST_CENTS.get(channel, 0)

    def minutes_for(self, channel: str) -> int:
        return self.minutes if self.minutes is not None else MINUTES.get(channel, 0)

    def describe(self) -> str:
        if self.rule is not None:
            return self.rule.describe()
        assert self.trigger is not None
        return self.trigger.describe()


@dataclass(frozen=True)
class PlanSpec:
    key: str
    name: str
    moments: tuple[MomentSpec, ...]
    description: str = ""
    founded: date | None = None
    lookahead_days: int = 14
    max_per_month: int = 3

    def moment(self, key: str) -> MomentSpec:
        return next(m for m in self.moments if m.key == key)


def parse_plan(raw: Any) -> PlanSpec:
    """The calendar in `raw` (parsed YAML), checked; PlanError lists every problem."""
    problems: list[str] = []
    if not isinstance(raw, Mapping):
        raise PlanError(["de kalender is een lijst van velden: key, name, moments, ..."])
    unknown = sorted(set(raw) - PLAN_FIELDS - {"moments"})
    if unknown:
        problems.append(f"onbekend veld '{unknown[0]}'; kies uit {', '.join(sorted(PLAN_FIELDS))}")
    key = _key(raw.get("key"), "key", problems)
    name = _text(raw.get("name"), "name", problems, required=True)
    founded = _date(raw.get("founded"), "founded", problems)
    lookahead = _whole(raw.get("lookahead_days", 14), "lookahead_days", 1, 90, problems)
    ceiling = _whole(raw.get("max_per_month", 3), "max_per_month", 1, 31, problems)
    items = raw.get("moments")
    moments: list[MomentSpec] = []
    if not isinstance(items, list) or not items:
        problems.append("moments: een lijst van minstens één waarderingsmoment")
        items = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        moment = parse_moment(item, f"moments[{number}]", problems)
        if moment is None:
            continue
        if moment.key in seen:
            problems.append(f"moments[{number}].key: '{moment.key}' komt al eerder voor")
        seen.add(moment.key)
        if moment.rule is not None and moment.rule.kind == "anniversary" and founded is None:
            problems.append(
                f"moments[{number}].when: de verjaardag van de organisatie heeft "
                "'founded' nodig (de oprichtingsdatum, jjjj-mm-dd)"
            )
        moments.append(moment)
    if problems:
        raise PlanError(problems)
    return PlanSpec(
        key, name, tuple(moments), str(raw.get("description") or ""), founded, lookahead, ceiling
    )


def parse_moment(raw: Any, where: str, problems: list[str]) -> MomentSpec | None:
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: een moment is een lijst van velden: key, name, when, ...")
        return None
    before = len(problems)
    unknown = sorted(set(raw) - MOMENT_FIELDS)
    if unknown:
        problems.append(f"{where}: onbekend veld '{unknown[0]}'")
    key = _key(raw.get("key"), f"{where}.key", problems)
    where = f"{where} ({key})" if key else where
    name = _text(raw.get("name"), f"{where}.name", problems, required=True)
    rule, trigger = _timing(raw, where, problems)
    everyone, groups = _groups(raw.get("groups"), f"{where}.groups", problems)
    channels = _channels(raw, where, problems)
    nature = raw.get("nature")
    if nature not in NATURES:
        problems.append(
            f"{where}.nature: 'appreciate' (waarderen, proactief) of 'thank' "
            f"(bedanken, na een gift), niet {nature!r}"
        )
    content = raw.get("content") or {}
    if not isinstance(content, Mapping):
        problems.append(f"{where}.content: de inhoud is een lijst van velden (subject, body, ...)")
        content = {}
    for suffix, message in content_problems(list(channels), content) + text_problems(content):
        problems.append(f"{where}.content{'.' + suffix if suffix else ''}: {message}")
    pressure = raw.get("pressure", Behaviour.DEFER)
    if pressure not in Behaviour.values:
        problems.append(f"{where}.pressure: 'defer' (uitstellen) of 'skip' (overslaan)")
    spec = MomentSpec(
        key=key,
        name=name,
        rule=rule,
        trigger=trigger,
        groups=groups,
        everyone=everyone,
        channels=channels,
        nature=str(nature),
        intensity=_whole(raw.get("intensity", 1), f"{where}.intensity", 1, 5, problems),
        cost_cents=_cost(raw.get("cost"), f"{where}.cost", problems),
        minutes=_optional_whole(raw.get("minutes"), f"{where}.minutes", 0, 600, problems),
        holdout=_whole(raw.get("holdout", 0), f"{where}.holdout", 0, 100, problems),
        pressure=str(pressure),
        content=dict(content),
        description=str(raw.get("description") or ""),
    )
    return spec if len(problems) == before else None


def _timing(
    raw: Mapping[str, Any], where: str, problems: list[str]
) -> tuple[DateRule | None, Trigger | None]:
    if ("when" in raw) == ("trigger" in raw):
        problems.append(
            f"{where}: precies één van 'when' (een vaste datum per jaar) of 'trigger' "
            "(een persoonlijke aanleiding)"
        )
        return None, None
    try:
        if "when" in raw:
            return parse_rule(raw["when"], f"{where}.when"), None
        return None, parse_trigger(raw["trigger"], f"{where}.trigger")
    except RuleError as error:
        problems.append(str(error))
        return None, None


def _groups(value: Any, where: str, problems: list[str]) -> tuple[bool, tuple[str, ...]]:
    if value == EVERYONE or value == [EVERYONE]:
        return True, ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        problems.append(f"{where}: de sleutels van relatiegroepen, of 'all' voor iedereen")
        return False, ()
    return False, tuple(value)


def _channels(raw: Mapping[str, Any], where: str, problems: list[str]) -> tuple[str, ...]:
    value = raw.get("channels", [raw["channel"]] if "channel" in raw else None)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        problems.append(f"{where}.channels: één of meer kanalen, in volgorde van voorkeur")
        return ()
    for name in value:
        if name not in Channel.values:
            problems.append(
                f"{where}.channels: onbekend kanaal '{name}'; kies uit {', '.join(Channel.values)}"
            )
    return tuple(str(name) for name in value)


def _key(value: Any, where: str, problems: list[str]) -> str:
    if not isinstance(value, str) or not KEY.match(value):
        problems.append(
            f"{where}: een sleutel van kleine letters, cijfers en streepjes, zoals 'kerstkaart'"
        )
        return ""
    return value


def _text(value: Any, where: str, problems: list[str], *, required: bool = False) -> str:
    if value is None or (required and not str(value).strip()):
        if required:
            problems.append(f"{where}: verplicht")
        return ""
    return str(value).strip()


def _whole(value: Any, where: str, low: int, high: int, problems: list[str]) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        problems.append(f"{where}: een geheel getal van {low} tot en met {high}, niet {value!r}")
        return low
    return value


def _optional_whole(value: Any, where: str, low: int, high: int, problems: list[str]) -> int | None:
    return None if value is None else _whole(value, where, low, high, problems)


def _cost(value: Any, where: str, problems: list[str]) -> int | None:
    """Euros per touchpoint: 2.5, '2,50' or '€ 2,50'. None: the channel's default."""
    if value is None:
        return None
    text = str(value).replace("€", "").strip().replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal(-1)
    if isinstance(value, bool) or not amount.is_finite() or amount < 0 or amount > 10_000:
        problems.append(f"{where}: een bedrag in euro per contact, zoals 2,50; niet {value!r}")
        return None
    return int((amount * 100).to_integral_value())


def _date(value: Any, where: str, problems: list[str]) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{where}: een datum als jjjj-mm-dd, niet {value!r}")
        return None


def plan_to_raw(plan: PlanSpec) -> dict[str, Any]:
    """The calendar in its YAML form: parse_plan(plan_to_raw(plan)) == plan."""
    raw: dict[str, Any] = {"key": plan.key, "name": plan.name}
    if plan.description:
        raw["description"] = plan.description
    if plan.founded:
        raw["founded"] = plan.founded.isoformat()
    raw["lookahead_days"] = plan.lookahead_days
    raw["max_per_month"] = plan.max_per_month
    raw["moments"] = [moment_to_raw(moment) for moment in plan.moments]
    return raw


def moment_to_raw(moment: MomentSpec) -> dict[str, Any]:
    raw: dict[str, Any] = {"key": moment.key, "name": moment.name}
    if moment.description:
        raw["description"] = moment.description
    if moment.rule is not None:
        raw["when"] = moment.rule.to_raw()
    elif moment.trigger is not None:
        raw["trigger"] = moment.trigger.to_raw()
    raw["groups"] = EVERYONE if moment.everyone else list(moment.groups)
    raw["channels"] = list(moment.channels)
    raw["nature"] = moment.nature
    raw["intensity"] = moment.intensity
    if moment.cost_cents is not None:
        raw["cost"] = f"{moment.cost_cents // 100},{moment.cost_cents % 100:02d}"
    if moment.minutes is not None:
        raw["minutes"] = moment.minutes
    if moment.holdout:
        raw["holdout"] = moment.holdout
    raw["pressure"] = moment.pressure
    raw["content"] = dict(moment.content)
    return raw
