"""Date rules of yearly moments (jaarkalender): on which day a moment falls in a given year.

A pure module: no models, no settings (the words of `describe` are translated). A rule is
written in a calendar's YAML as one of

    date: "12-25"                                a fixed day (MM-DD)
    weekday: {n: 2, weekday: sunday, month: 5}   the nth weekday of a month (n -1: the last)
    holiday: Eerste paasdag                      a Dutch holiday or day, by its Dutch name
    giving_tuesday: true                         the Tuesday after the 4th Thursday of November
    anniversary: true                            the organisation's founding day

each optionally with `offset: "-2 days"` (or a number of days; weeks also allowed).
29 February falls on 28 February in other years, as personal anniversaries do.
"""

from __future__ import annotations

import calendar as stdcalendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import holidays
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

WEEKDAYS = {
    "monday": 0, "maandag": 0, "tuesday": 1, "dinsdag": 1, "wednesday": 2, "woensdag": 2,
    "thursday": 3, "donderdag": 3, "friday": 4, "vrijdag": 4, "saturday": 5, "zaterdag": 5,
    "sunday": 6, "zondag": 6,
}  # fmt: skip
KINDS = ("date", "weekday", "holiday", "giving_tuesday", "anniversary")
OFFSET = re.compile(r"^\s*([+-]?\d+)\s*(days?|dagen|dag|weeks?|weken|week)?\s*$")


class RuleError(ValueError):
    """A rule that cannot be read; the message names the field and what is expected."""


@dataclass(frozen=True)
class DateRule:
    kind: str
    month: int = 0
    day: int = 0
    n: int = 0
    weekday: int = 0
    holiday: str = ""
    offset: int = 0  # days

    def describe(self) -> str:
        """The rule in plain words (Dutch, or the active language), for the calendar pages."""
        month = MONTHS_NL[self.month] if self.month else ""
        if self.kind == "date":
            text = _("%(day)s %(month)s") % {"day": self.day, "month": month}
        elif self.kind == "weekday":
            which = _("laatste") if self.n == -1 else str(ORDINALS.get(self.n, self.n))
            text = _("%(which)s %(weekday)s van %(month)s") % {
                "which": which,
                "weekday": DAYS_NL[self.weekday],
                "month": month,
            }
        elif self.kind == "holiday":
            text = self.holiday
        elif self.kind == "giving_tuesday":
            text = "Giving Tuesday"
        else:
            text = _("verjaardag van de organisatie")
        if self.offset:
            days = abs(self.offset)
            if self.offset > 0:
                later = ngettext("%(days)s dag erna", "%(days)s dagen erna", days)
            else:
                later = ngettext("%(days)s dag ervoor", "%(days)s dagen ervoor", days)
            text += ", " + later % {"days": days}
        return text

    def to_raw(self) -> dict[str, Any]:
        """The rule in its YAML form: parse_rule(rule.to_raw()) == rule."""
        raw: dict[str, Any]
        if self.kind == "date":
            raw = {"date": f"{self.month:02d}-{self.day:02d}"}
        elif self.kind == "weekday":
            name = list(WEEKDAYS)[list(WEEKDAYS.values()).index(self.weekday)]
            raw = {"weekday": {"n": self.n, "weekday": name, "month": self.month}}
        elif self.kind == "holiday":
            raw = {"holiday": self.holiday}
        else:
            raw = {self.kind: True}
        if self.offset:
            raw["offset"] = f"{self.offset:+d} days"
        return raw


# Month and day names in the active language (Dutch unless English is chosen); index 0 of
# the months is empty so that a month's number is its index.
MONTHS_NL = [
    "", gettext_lazy("januari"), gettext_lazy("februari"), gettext_lazy("maart"),
    gettext_lazy("april"), gettext_lazy("mei"), gettext_lazy("juni"), gettext_lazy("juli"),
    gettext_lazy("augustus"), gettext_lazy("september"), gettext_lazy("oktober"),
    gettext_lazy("november"), gettext_lazy("december"),
]  # fmt: skip
DAYS_NL = [
    gettext_lazy("maandag"), gettext_lazy("dinsdag"), gettext_lazy("woensdag"),
    gettext_lazy("donderdag"), gettext_lazy("vrijdag"), gettext_lazy("zaterdag"),
    gettext_lazy("zondag"),
]  # fmt: skip
# The weekdays as a calendar file names them (never translated).
DAY_KEYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
ORDINALS = {
    1: gettext_lazy("1e"), 2: gettext_lazy("2e"), 3: gettext_lazy("3e"), 4: gettext_lazy("4e"),
    5: gettext_lazy("5e"),
}  # fmt: skip


def parse_rule(raw: Mapping[str, Any], where: str = "when") -> DateRule:
    """Read a rule from its YAML form; raise RuleError naming the field and what is expected."""
    if not isinstance(raw, Mapping):
        raise RuleError(f"{where}: een datumregel, bijvoorbeeld {{date: '12-25'}}")
    kinds = [kind for kind in KINDS if kind in raw]
    unknown = sorted(set(raw) - {*KINDS, "offset"})
    if unknown:
        raise RuleError(f"{where}: onbekend veld '{unknown[0]}'; kies uit {', '.join(KINDS)}")
    if len(kinds) != 1:
        raise RuleError(f"{where}: precies één van {', '.join(KINDS)}")
    kind = kinds[0]
    offset = parse_offset(raw.get("offset", 0), f"{where}.offset")
    value = raw[kind]
    if kind == "date":
        month, day = _month_day(value, f"{where}.date")
        return DateRule("date", month=month, day=day, offset=offset)
    if kind == "weekday":
        return _weekday(value, f"{where}.weekday", offset)
    if kind == "holiday":
        name = holiday_name(str(value))
        if name is None:
            names = ", ".join(dutch_holidays(2026).values())
            raise RuleError(f"{where}.holiday: '{value}' is geen feestdag; kies uit {names}")
        return DateRule("holiday", holiday=name, offset=offset)
    if value is not True:
        raise RuleError(f"{where}.{kind}: schrijf '{kind}: true'")
    return DateRule(kind, offset=offset)


def parse_offset(value: Any, where: str) -> int:
    """Days from '-2 days', '1 week', '3 dagen' or a whole number."""
    if isinstance(value, bool):
        raise RuleError(f"{where}: een aantal dagen, zoals '-2 days' of '1 week'")
    if isinstance(value, int):
        return value
    match = OFFSET.match(str(value))
    if not match:
        raise RuleError(f"{where}: een aantal dagen, zoals '-2 days' of '1 week', niet '{value}'")
    amount, unit = int(match.group(1)), match.group(2) or "days"
    return amount * 7 if unit.startswith("we") else amount


def _month_day(value: Any, where: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})", str(value).strip())
    if not match:
        raise RuleError(f"{where}: maand en dag als MM-DD, zoals '12-25', niet '{value}'")
    month, day = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not 1 <= day <= stdcalendar.monthrange(2028, month)[1]:
        raise RuleError(f"{where}: '{value}' bestaat niet (maand-dag)")
    return month, day


def _weekday(value: Any, where: str, offset: int) -> DateRule:
    if not isinstance(value, Mapping):
        raise RuleError(f"{where}: {{n: 2, weekday: sunday, month: 5}}")
    n, month = value.get("n"), value.get("month")
    name = str(value.get("weekday", "")).lower()
    if name not in WEEKDAYS:
        raise RuleError(f"{where}.weekday: een dag van de week, zoals 'sunday' of 'zondag'")
    if not isinstance(n, int) or isinstance(n, bool) or n not in (-1, 1, 2, 3, 4, 5):
        raise RuleError(f"{where}.n: 1 tot en met 5, of -1 voor de laatste")
    if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
        raise RuleError(f"{where}.month: een maand van 1 tot en met 12")
    return DateRule("weekday", month=month, n=n, weekday=WEEKDAYS[name], offset=offset)


@lru_cache(maxsize=64)
def dutch_holidays(year: int) -> dict[date, str]:
    """Public holidays and the other national days (Bevrijdingsdag every year), Dutch names."""
    days = holidays.country_holidays(
        "NL", years=year, language="nl", categories=("public", "optional")
    )
    return dict(sorted(days.items()))


def holiday_name(text: str) -> str | None:
    """The package's name for a holiday, matched without regard to case."""
    wanted = text.strip().lower()
    for name in dutch_holidays(2026).values():
        if name.lower() == wanted:
            return name
    return None


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date | None:
    """The nth weekday of a month; -1 is the last. None when the month has no fifth one."""
    days = [
        day
        for day in stdcalendar.Calendar().itermonthdates(year, month)
        if day.month == month and day.weekday() == weekday
    ]
    if n == -1:
        return days[-1]
    return days[n - 1] if n <= len(days) else None


def giving_tuesday(year: int) -> date:
    thanksgiving = nth_weekday(year, 11, 3, 4)
    assert thanksgiving is not None  # every November has four Thursdays
    return thanksgiving + timedelta(days=5)


def on_day(year: int, month: int, day: int) -> date:
    """That day in that year; 29 February is 28 February in other years."""
    if month == 2 and day == 29 and not stdcalendar.isleap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def occurs(rule: DateRule, year: int, founded: date | None = None) -> date | None:
    """The day the moment falls in `year`, offset included; None when it does not occur
    (a fifth weekday the month lacks, a holiday not held that year, no founding date)."""
    base: date | None
    if rule.kind == "date":
        base = on_day(year, rule.month, rule.day)
    elif rule.kind == "weekday":
        base = nth_weekday(year, rule.month, rule.weekday, rule.n)
    elif rule.kind == "holiday":
        base = next((d for d, n in dutch_holidays(year).items() if n == rule.holiday), None)
    elif rule.kind == "giving_tuesday":
        base = giving_tuesday(year)
    else:
        base = on_day(year, founded.month, founded.day) if founded else None
    return None if base is None else base + timedelta(days=rule.offset)


def falls_in(rule: DateRule, year: int, founded: date | None = None) -> date | None:
    """The day the moment falls in `year`, looking at the rule's neighbouring years too: an
    offset can move a moment across New Year (Nieuwjaarsdag minus 3 days)."""
    for rule_year in (year, year - 1, year + 1):
        found = occurs(rule, rule_year, founded)
        if found is not None and found.year == year:
            return found
    return None
