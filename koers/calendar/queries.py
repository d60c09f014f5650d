"""Reads for the stored year overviews: what a year's figures depend on, and the row for it."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from django.db.models import Count, Max

from koers.calendar.models import Calendar, YearOverview
from koers.calendar.plan import plan_to_raw
from koers.giving.models import Gift, Mandate
from koers.groups.facts import local_today
from koers.groups.models import Facts, Group, Level
from koers.relations.models import Consent, Event, Relation
from koers.touchpoints.forecasts import forecasters
from koers.touchpoints.models import Ceiling


def _data(journeys: bool) -> list[Any]:
    """Everything the forecast reads, each as a few figures the database has at hand (the
    highest id, the latest change, a count), so any change to it changes one of them."""
    found: list[Any] = [
        Relation.objects.aggregate(n=Count("id"), id=Max("id"), at=Max("updated_at")),
        Gift.objects.aggregate(id=Max("id")),
        Mandate.objects.aggregate(n=Count("id"), id=Max("id"), at=Max("updated_at")),
        Consent.objects.aggregate(n=Count("id"), id=Max("id"), at=Max("updated_at")),
        Event.objects.aggregate(id=Max("id")),
        Facts.objects.aggregate(at=Max("refreshed_at")),
        Group.objects.aggregate(n=Count("id"), at=Max("updated_at")),
        list(Level.objects.order_by("id").values_list("id", "min_annual_cents", "name")),
        list(
            Ceiling.objects.order_by("id").values_list("nature", "channel", "limit", "period_days")
        ),
    ]
    if journeys:
        for forecaster in forecasters():
            found.extend(forecaster.stamp())
    return found


def overview_stamp(calendar: Calendar, journeys: bool, now: datetime) -> str:
    """The fingerprint of what a year overview is worked out from: the calendar (its plan
    too: editing a moment does not touch the calendar's row), the data and the day."""
    parts = [
        plan_to_raw(calendar.spec()),
        calendar.updated_at,
        _data(journeys),
        local_today(now),
    ]
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def current_overview(
    calendar: Calendar, year: int, journeys: bool, now: datetime
) -> tuple[YearOverview | None, str]:
    """The stored overview for the data as it is now (or None), and the stamp it has."""
    stamp = overview_stamp(calendar, journeys, now)
    found = YearOverview.objects.filter(
        calendar=calendar, year=year, journeys=journeys, stamp=stamp
    ).first()
    return found, stamp
