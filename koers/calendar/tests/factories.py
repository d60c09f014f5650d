"""Relation bases built by hand, for testing the pure forecast, checks and overviews."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
import yaml

from koers.calendar.checks import run_checks
from koers.calendar.forecast import PREFERENCES, Base, Ceiling, forecast
from koers.calendar.models import Calendar
from koers.calendar.plan import PlanSpec, parse_plan
from koers.calendar.report import Year


def ordinals(days: Sequence[date | None]) -> Any:
    return np.array([d.toordinal() if d else 0 for d in days], np.int64)


def make_base(
    count: int,
    *,
    groups: Mapping[str, Sequence[int]] | None = None,
    levels: Sequence[str] = (),
    level: Sequence[int] | None = None,
    reach: Mapping[str, Sequence[bool]] | None = None,
    preferred: Sequence[str] | None = None,
    first_gift: Sequence[date | None] | None = None,
    mandate_start: Sequence[date | None] | None = None,
    birth: Sequence[date | None] | None = None,
    today: date = date(2026, 12, 2),
) -> Base:
    """`count` relations with ids 1..count. Groups list member positions (0-based); every
    relation can be reached on every channel unless `reach` says otherwise."""
    groups = groups or {}
    none: list[date | None] = [None] * count
    channels: dict[str, Sequence[bool]] = {k: [True] * count for k in ("email", "post", "phone")}
    channels.update(reach or {})
    zeros = np.zeros(count, np.int64)
    return Base(
        ids=np.arange(1, count + 1, dtype=np.int64),
        groups={
            key: np.isin(np.arange(count), np.array(list(members), np.int64))
            for key, members in groups.items()
        },
        group_names={key: key.replace("-", " ").capitalize() for key in groups},
        level=np.array(level if level is not None else [-1] * count, np.int64),
        levels=tuple(levels),
        reach={k: np.array(v, np.bool_) for k, v in channels.items()},
        preferred=np.array([PREFERENCES.index(p) for p in (preferred or [""] * count)], np.int64),
        first_gift=ordinals(first_gift or none),
        mandate_start=ordinals(mandate_start or none),
        birth=ordinals(birth or none),
        gifts_cents=zeros.copy(),
        gifts_count=zeros.copy(),
        gifts_12m_cents=zeros.copy(),
        gifts_12m_count=zeros.copy(),
        today=today,
    )


def make_plan(text: str) -> PlanSpec:
    """A plan from YAML text; moments get e-mail content unless they bring their own."""
    raw = yaml.safe_load(text)
    for moment in raw.get("moments", []):
        moment.setdefault("content", {"subject": "Onderwerp", "body": "Tekst", "script": "Script"})
        moment.setdefault("nature", "appreciate")
        moment.setdefault("channels", ["email"])
    return parse_plan(raw)


def make_year(text: str, base: Base, year: int = 2026, ceilings: Sequence[Ceiling] = ()) -> Year:
    """A plan's year worked out on `base`, with its checks, as the exports receive it."""
    plan = make_plan(text)
    result = forecast(plan, base, year, ceilings=ceilings)
    calendar = Calendar(key=plan.key, name=plan.name)
    return Year(calendar, plan, result, run_checks(result, plan), lambda ids: [str(i) for i in ids])
