"""Personal triggers of relation moments (relatiekalender), as a pure module.

A relation moment is written in a calendar's YAML as one of

    trigger: first_gift_anniversary        the day of the first gift, every following year
    trigger: mandate_anniversary           the start of the current mandate, every following year
    trigger: birthday                      for relations who gave a birth date
    trigger: {years_of_support: 5}         once: 5 years after the first gift
    trigger: {milestone: 1000}             once: when giving in total passes EUR 1,000
    trigger: level_up                      each time the relation moves up a level
    trigger: {nth_gift: 10}                once: the 10th gift

The first four follow from dates the relation already has, so a forecast can place them
(`DATED`). The last three depend on gifts still to come: the daily tick makes them from
events, as a journey trigger does, and a forecast can only estimate them (`EVENTS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from koers import formatting
from koers.calendar.dates import RuleError, on_day

DATED = ("first_gift_anniversary", "mandate_anniversary", "birthday", "years_of_support")
EVENTS = ("milestone", "level_up", "nth_gift")
WITH_NUMBER = {"years_of_support": "jaren", "milestone": "euro", "nth_gift": "giften"}


@dataclass(frozen=True)
class Trigger:
    kind: str
    number: int = 0  # years, euros or gifts, for the kinds that take one

    @property
    def dated(self) -> bool:
        return self.kind in DATED

    def to_raw(self) -> Any:
        """The trigger in its YAML form: parse_trigger(trigger.to_raw()) == trigger."""
        return {self.kind: self.number} if self.kind in WITH_NUMBER else self.kind

    def describe(self) -> str:
        """The trigger in plain words (Dutch, or the active language), for the calendar pages."""
        if self.kind == "years_of_support":
            return _("na %(n)s jaar steun") % {"n": self.number}
        if self.kind == "milestone":
            # Whole euros: without the ",00" (or ".00") of the cents.
            amount = formatting.euro(self.number * 100, get_language())[:-3]
            return _("wanneer het totaal aan giften %(amount)s passeert") % {"amount": amount}
        if self.kind == "nth_gift":
            return _("bij de %(n)se gift") % {"n": self.number}
        return {
            "first_gift_anniversary": _("jaarlijks op de dag van de eerste gift"),
            "mandate_anniversary": _("jaarlijks op de startdag van de machtiging"),
            "birthday": _("op de verjaardag"),
            "level_up": _("bij een hoger niveau"),
        }[self.kind]


@dataclass(frozen=True)
class Dates:
    """The dates of one relation that dated triggers follow."""

    first_gift: date | None = None
    mandate_start: date | None = None
    birth_date: date | None = None


def parse_trigger(raw: Any, where: str = "trigger") -> Trigger:
    """Read a trigger from its YAML form; raise RuleError naming the field and what is expected."""
    kinds = ", ".join((*DATED, *EVENTS))
    if isinstance(raw, str):
        if raw in WITH_NUMBER:
            raise RuleError(f"{where}: '{raw}' heeft een aantal nodig, zoals {{{raw}: 5}}")
        if raw not in DATED and raw not in EVENTS:
            raise RuleError(f"{where}: onbekende aanleiding '{raw}'; kies uit {kinds}")
        return Trigger(raw)
    if not isinstance(raw, Mapping) or len(raw) != 1:
        raise RuleError(f"{where}: één aanleiding, zoals 'birthday' of {{years_of_support: 5}}")
    kind, number = next(iter(raw.items()))
    if kind in DATED + EVENTS and kind not in WITH_NUMBER:
        raise RuleError(f"{where}: '{kind}' heeft geen aantal; schrijf 'trigger: {kind}'")
    if kind not in WITH_NUMBER:
        raise RuleError(f"{where}: onbekende aanleiding '{kind}'; kies uit {kinds}")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise RuleError(f"{where}.{kind}: een positief geheel aantal {WITH_NUMBER[kind]}")
    return Trigger(kind, number)


def anniversary(origin: date | None, year: int) -> date | None:
    """The day `origin` comes round in `year`; none in its own year or before it.
    29 February comes round on 28 February in other years."""
    if origin is None or year <= origin.year:
        return None
    return on_day(year, origin.month, origin.day)


def occurs(trigger: Trigger, dates: Dates, year: int) -> date | None:
    """The day a dated trigger falls in `year` for one relation, or None."""
    if trigger.kind == "first_gift_anniversary":
        return anniversary(dates.first_gift, year)
    if trigger.kind == "mandate_anniversary":
        return anniversary(dates.mandate_start, year)
    if trigger.kind == "birthday":
        return anniversary(dates.birth_date, year)
    if trigger.kind == "years_of_support":
        first = dates.first_gift
        if first is None or first.year + trigger.number != year:
            return None
        return on_day(year, first.month, first.day)
    raise ValueError(f"'{trigger.kind}' follows events, not dates: the tick makes it")
