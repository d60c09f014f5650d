"""What a forecast adds up to (pure): the totaaloverzicht, the workload and the moments.

The totaaloverzicht puts appreciation and thanks side by side per group and month, as the
seed asks: one overview of the waarderingskalender and the bedankprogramma together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.utils.translation import gettext_lazy, gettext_noop

from koers.calendar.forecast import (
    CHANNELS,
    PLANNED,
    STATUS_NL,
    Forecast,
    months_of,
)

EVERYONE = "*"
# The name of the EVERYONE row, in Dutch in the figures; the pages translate it.
ALL_RELATIONS = gettext_noop("Alle relaties")
# In the active language: Dutch unless English is chosen.
MONTHS_SHORT = [
    gettext_lazy("jan"), gettext_lazy("feb"), gettext_lazy("mrt"), gettext_lazy("apr"),
    gettext_lazy("mei"), gettext_lazy("jun"), gettext_lazy("jul"), gettext_lazy("aug"),
    gettext_lazy("sep"), gettext_lazy("okt"), gettext_lazy("nov"), gettext_lazy("dec"),
]  # fmt: skip
WORK_NL = {
    "card": gettext_lazy("kaarten schrijven"),
    "letter": gettext_lazy("brieven printen"),
    "phone": gettext_lazy("telefoontjes"),
    "task": gettext_lazy("taken"),
    "email": gettext_lazy("e-mails"),
    "webhook": gettext_lazy("webhooks"),
}


@dataclass(frozen=True)
class Cell:
    appreciate: int = 0
    thank: int = 0
    cost_cents: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"appreciate": self.appreciate, "thank": self.thank, "cost_cents": self.cost_cents}


def _bincount(values: Any, weights: Any = None, size: int = 12) -> list[int]:
    counted = np.bincount(values, weights=weights, minlength=size)
    return [round(float(x)) for x in counted[:size]]


def totaaloverzicht(result: Forecast) -> dict[str, list[Cell]]:
    """Per group (and EVERYONE, all relations once) and month: appreciation, thanks, cost.

    A relation in two groups counts in both rows; the EVERYONE row counts each once."""
    planned = result.planned
    months = months_of(result.day)
    nature = result.nature
    rows: dict[str, list[Cell]] = {}
    masks = {EVERYONE: np.ones(result.base.size, np.bool_), **result.base.groups}
    for key, member in masks.items():
        mask = planned & member[result.rel]
        appreciate = _bincount(months[mask & (nature == 0)])
        thank = _bincount(months[mask & (nature == 1)])
        cost = _bincount(months[mask], result.cost_cents[mask])
        rows[key] = [Cell(a, t, c) for a, t, c in zip(appreciate, thank, cost, strict=True)]
    return rows


def by_moment(result: Forecast) -> list[dict[str, Any]]:
    """Per source (moment or journey step): contacts per month, cost, and what was held back."""
    months = months_of(result.day)
    found = []
    for number, source in enumerate(result.sources):
        mine = result.source == number
        planned = mine & result.planned
        held = {
            STATUS_NL[code]: int((mine & (result.status == code)).sum())
            for code in STATUS_NL
            if code != PLANNED
        }
        found.append(
            {
                "key": source.key,
                "name": source.name,
                "kind": source.kind,
                "nature": source.nature,
                "intensity": source.intensity,
                "per_month": _bincount(months[planned]),
                "total": int(planned.sum()),
                "cost_cents": int(result.cost_cents[planned].sum()),
                "not_planned": {k: v for k, v in held.items() if v},
            }
        )
    return found


def workload(result: Forecast) -> dict[str, dict[str, dict[str, int]]]:
    """Per ISO week (by its Monday) and channel: contacts, staff minutes and cost."""
    planned = np.flatnonzero(result.planned)
    days = result.day[planned]
    # The Monday of each day's week, as an ordinal: ordinals count Monday 1 January 1 as 1.
    mondays = days - (days - 1) % 7
    key = mondays * len(CHANNELS) + result.channel[planned]
    unique, inverse = np.unique(key, return_inverse=True)
    counts = np.bincount(inverse)
    minutes = np.bincount(inverse, weights=result.minutes[planned])
    cost = np.bincount(inverse, weights=result.cost_cents[planned])
    weeks: dict[str, dict[str, dict[str, int]]] = {}
    for index, value in enumerate(unique.tolist()):
        monday, channel = divmod(value, len(CHANNELS))
        week = date.fromordinal(monday).isoformat()
        weeks.setdefault(week, {})[CHANNELS[channel]] = {
            "count": int(counts[index]),
            "minutes": round(float(minutes[index])),
            "cost_cents": round(float(cost[index])),
        }
    return dict(sorted(weeks.items()))


def totals(result: Forecast) -> dict[str, Any]:
    planned = result.planned
    nature = result.nature
    per_channel = np.bincount(result.channel[planned], minlength=len(CHANNELS))
    return {
        "relations": result.base.size,
        "appreciate": int((planned & (nature == 0)).sum()),
        "thank": int((planned & (nature == 1)).sum()),
        "cost_cents": int(result.cost_cents[planned].sum()),
        "staff_hours": round(float(result.minutes[planned].sum()) / 60, 1),
        "per_channel": {CHANNELS[i]: int(n) for i, n in enumerate(per_channel.tolist()) if n},
        "not_planned": {
            STATUS_NL[code]: int((result.status == code).sum())
            for code in STATUS_NL
            if code != PLANNED and (result.status == code).any()
        },
    }


def as_dict(result: Forecast) -> dict[str, Any]:
    """The forecast's figures as plain data, for --json and the pages."""
    names = {"*": ALL_RELATIONS, **result.base.group_names}
    return {
        "year": result.year,
        "totals": totals(result),
        "totaaloverzicht": [
            {"group": key, "name": names[key], "months": [c.as_dict() for c in cells]}
            for key, cells in totaaloverzicht(result).items()
        ],
        "moments": by_moment(result),
        "workload": workload(result),
        "estimated": list(result.estimated),
        "not_forecast": list(result.not_forecast),
    }
