"""The five checks of a calendar (pure), each a question with a clear answer.

1. Dekking: does every group receive appreciation at least once a year?
2. Naar verhouding: does the average intensity per relation rise (or hold) with the level?
3. Balans: how do thanks and appreciation compare per group?
4. Niet te veel: which relations get more contacts in a month than the calendar allows?
5. Werkdruk: which weeks ask far more staff hours than the average week?

Appreciation (waarderen) and thanks (bedanken) are counted apart throughout: a thank-you
after a gift never makes up for the floor of appreciation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from koers import formatting
from koers.calendar.dates import MONTHS_NL as _MONTHS
from koers.calendar.forecast import HOLDOUT, Forecast, months_of
from koers.calendar.overview import MONTHS_SHORT
from koers.calendar.plan import PlanSpec

# January first, in the active language (the texts below are written in it).
MONTHS_NL = _MONTHS[1:]
# A group thanked more than this many times as often as it is appreciated is reported.
BALANCE_LIMIT = 4
# How many relations a finding names by number, at most.
EXAMPLES = 10
# A week asks too many staff hours when it asks more than PEAK_FACTOR times the average
# week of the year and more than PEAK_HOURS (a full-time working week on top of the usual):
# the first catches a moment that piles up, the second keeps a quiet year's small bumps out
# (docs/calendar.md, "Werkdruk").
PEAK_FACTOR = 3
PEAK_HOURS = 40


@dataclass
class Check:
    key: str
    question: str
    passed: bool
    findings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worth knowing, not a failure
    rows: list[dict[str, Any]] = field(default_factory=list)
    # The relation numbers the findings name, with their ids: the page links each.
    links: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "question": self.question,
            "passed": self.passed,
            "findings": self.findings,
            "notes": self.notes,
            "rows": self.rows,
            "links": self.links,
        }


def whole_number(value: int) -> str:
    return formatting.whole_number(value, get_language())


def decimal(value: float) -> str:
    return formatting.decimal(value, get_language())


def run_checks(
    result: Forecast,
    plan: PlanSpec,
    numbers: Callable[[Sequence[int]], list[str]] | None = None,
    balance_limit: int = BALANCE_LIMIT,
) -> list[Check]:
    """All five checks. `numbers` turns relation ids into the numbers people know them by."""
    named = numbers or (lambda ids: [str(i) for i in ids])
    return [
        coverage(result),
        proportion(result),
        balance(result, balance_limit),
        ceiling(result, plan.max_per_month, named),
        staff_peak(result),
    ]


def _appreciated(result: Forecast) -> Any:
    got = np.zeros(result.base.size, np.bool_)
    got[result.rel[result.planned & (result.nature == 0)]] = True
    return got


def coverage(result: Forecast) -> Check:
    base = result.base
    check = Check(
        "coverage", _("Krijgt iedere groep minstens één keer per jaar waardering?"), passed=True
    )
    got = _appreciated(result)
    reachable = np.zeros(base.size, np.bool_)
    for reach in base.reach.values():
        reachable |= reach
    held = np.zeros(base.size, np.bool_)
    held[result.rel[(result.status == HOLDOUT) & (result.nature == 0)]] = True
    for key, member in base.groups.items():
        name = base.group_names[key]
        size, missing = int(member.sum()), member & ~got & reachable
        count, unreachable = int(missing.sum()), int((member & ~reachable).sum())
        check.rows.append(
            {"group": key, "name": name, "members": size, "without": count,
             "unreachable": unreachable}
        )  # fmt: skip
        if count:
            check.passed = False
            figures = {"name": name, "count": whole_number(count), "size": whole_number(size)}
            text = (
                ngettext(
                    "%(name)s: %(count)s van de %(size)s relaties krijgt dit jaar geen enkel "
                    "waarderingsmoment",
                    "%(name)s: %(count)s van de %(size)s relaties krijgen dit jaar geen enkel "
                    "waarderingsmoment",
                    count,
                )
                % figures
            )
            in_holdout = int((missing & held).sum())
            if in_holdout:
                text += _(" (van wie %(n)s in een controlegroep)") % {"n": whole_number(in_holdout)}
            check.findings.append(text + ".")
        if unreachable:
            check.notes.append(
                ngettext(
                    "%(name)s: %(n)s relatie is via geen enkel kanaal te bereiken (geen "
                    "toestemming of geen adres).",
                    "%(name)s: %(n)s relaties zijn via geen enkel kanaal te bereiken (geen "
                    "toestemming of geen adres).",
                    unreachable,
                )
                % {"name": name, "n": whole_number(unreachable)}
            )
    return check


def proportion(result: Forecast) -> Check:
    base = result.base
    check = Check(
        "proportion",
        _("Is de waardering in verhouding tot de steun? (gemiddelde intensiteit per niveau)"),
        passed=True,
    )
    intensity = np.array([s.intensity for s in result.sources], np.float64)
    mine = result.planned & (result.nature == 0)
    points = np.bincount(
        result.rel[mine], weights=intensity[result.source[mine]], minlength=base.size
    )
    previous: tuple[str, float] | None = None
    for index, name in enumerate(base.levels):
        member = base.level == index
        size = int(member.sum())
        average = float(points[member].sum()) / size if size else 0.0
        check.rows.append({"level": name, "relations": size, "average": round(average, 2)})
        if not size:
            continue
        if previous is not None and average < previous[1]:
            check.passed = False
            check.findings.append(
                _(
                    "%(level)s krijgt gemiddeld %(average)s punten waardering per relatie, "
                    "minder dan %(lower)s (%(lower_average)s): wie meer steunt, hoort niet "
                    "minder waardering te krijgen."
                )
                % {
                    "level": name,
                    "average": decimal(average),
                    "lower": previous[0],
                    "lower_average": decimal(previous[1]),
                }
            )
        previous = (name, average)
    return check


def balance(result: Forecast, limit: int = BALANCE_LIMIT) -> Check:
    base = result.base
    question = _("Hoe verhouden bedanken en waarderen zich per groep?")
    check = Check("balance", question, passed=True)
    nature = result.nature
    for key, member in base.groups.items():
        name = base.group_names[key]
        mine = result.planned & member[result.rel]
        appreciate = int((mine & (nature == 0)).sum())
        thank = int((mine & (nature == 1)).sum())
        check.rows.append({"group": key, "name": name, "appreciate": appreciate, "thank": thank})
        if thank and not appreciate:
            check.passed = False
            check.findings.append(
                _("%(name)s: %(thank)s keer bedankt en geen enkele keer gewaardeerd.")
                % {"name": name, "thank": whole_number(thank)}
            )
        elif appreciate and thank > limit * appreciate:
            check.passed = False
            check.findings.append(
                _(
                    "%(name)s: %(thank)s keer bedankt tegen %(appreciate)s keer gewaardeerd, "
                    "meer dan %(limit)s keer zo vaak bedankt als gewaardeerd."
                )
                % {
                    "name": name,
                    "thank": whole_number(thank),
                    "appreciate": whole_number(appreciate),
                    "limit": limit,
                }
            )
    return check


def ceiling(result: Forecast, most: int, numbers: Callable[[Sequence[int]], list[str]]) -> Check:
    check = Check(
        "ceiling",
        _("Krijgt iemand in een maand meer dan %(most)s contactmomenten? (niet te veel)")
        % {"most": most},
        passed=True,
    )
    planned = result.personal_planned
    key = result.rel[planned] * 12 + months_of(result.day[planned])
    counts = np.bincount(key, minlength=result.base.size * 12).reshape(-1, 12)
    for month in range(12):
        over = np.flatnonzero(counts[:, month] > most)
        if not len(over):
            continue
        check.passed = False
        ids = result.base.ids[over[:EXAMPLES]].tolist()
        examples = numbers(ids)
        check.links.update(zip(examples, ids, strict=True))
        more = ""
        if len(over) > EXAMPLES:
            more = _(" en %(n)s anderen") % {"n": whole_number(len(over) - EXAMPLES)}
        check.findings.append(
            ngettext(
                "%(month)s: %(n)s relatie krijgt meer dan %(most)s contactmomenten "
                "(relatienummer %(numbers)s%(more)s).",
                "%(month)s: %(n)s relaties krijgen meer dan %(most)s contactmomenten "
                "(relatienummers %(numbers)s%(more)s).",
                len(over),
            )
            % {
                "month": MONTHS_NL[month],
                "n": whole_number(len(over)),
                "most": most,
                "numbers": ", ".join(examples),
                "more": more,
            }
        )
        check.rows.append(
            {"month": str(MONTHS_SHORT[month]), "relations": len(over), "examples": examples}
        )
    return check


def staff_peak(result: Forecast) -> Check:
    """Weeks (Monday to Sunday) whose staff hours are far above the year's average week,
    each with the moment that asks most of them."""
    check = Check(
        "staff_peak",
        _("Is de werkdruk gespreid? (weken met veel meer uren voor medewerkers dan gemiddeld)"),
        passed=True,
    )
    planned = result.planned & (result.minutes > 0)
    if not planned.any():
        return check
    days = result.day[planned]
    mondays = days - (days - 1) % 7  # ordinals count Monday 1 January 1 as 1
    first, last = date(result.year, 1, 1).toordinal(), date(result.year, 12, 31).toordinal()
    weeks = (last - (last - 1) % 7 - (first - (first - 1) % 7)) // 7 + 1
    minutes = result.minutes[planned].astype(np.float64)
    average = float(minutes.sum()) / 60 / weeks
    unique, inverse = np.unique(mondays, return_inverse=True)
    hours = np.bincount(inverse, weights=minutes) / 60
    sources = result.source[planned]
    for index in np.flatnonzero((hours > PEAK_FACTOR * average) & (hours > PEAK_HOURS)):
        mine = inverse == index
        per_source = np.bincount(sources[mine], weights=minutes[mine]) / 60
        top = int(per_source.argmax())
        monday = date.fromordinal(int(unique[index]))
        check.passed = False
        most = (result.sources[top].name, float(per_source[top]))
        check.findings.append(_week_text(monday, float(hours[index]), average, most))
        check.rows.append(
            {"week": monday.isoformat(), "hours": round(float(hours[index]), 1),
             "average": round(average, 1), "most": result.sources[top].name}
        )  # fmt: skip
    return check


def _week_text(monday: date, hours: float, average: float, most: tuple[str, float]) -> str:
    return _(
        "Week %(week)s (vanaf %(monday)s): %(hours)s uur voor medewerkers, %(times)s keer de "
        "gemiddelde week van %(average)s uur; het meest voor %(moment)s (%(top)s uur)."
    ) % {
        "week": monday.isocalendar()[1],
        "monday": formatting.day(monday, get_language()),
        "hours": whole_number(round(hours)),
        "times": decimal(hours / average) if average else "-",
        "average": decimal(average),
        "moment": most[0],
        "top": whole_number(round(most[1])),
    }
