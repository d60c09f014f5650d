"""Calendars and donors for the calendar's page tests, built through the actions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache

from koers.calendar import actions
from koers.calendar.models import Calendar
from koers.calendar.plan import parse_plan
from koers.groups.facts import refresh_facts
from koers.tests.people import donor, local

# A calendar that appreciates only major donors: a structural donor gets nothing all year.
ONLY_MAJOR_DONORS = {
    "key": "alleen-groot",
    "name": "Alleen grote gevers",
    "founded": "1987-05-14",
    "moments": [
        {
            "key": "kerstkaart",
            "name": "Kerstkaart",
            "when": {"holiday": "Eerste kerstdag", "offset": -7},
            "groups": ["grote-gevers"],
            "channels": ["card"],
            "nature": "appreciate",
            "intensity": 3,
            "content": {"body": "{{ aanhef }}, fijne feestdagen."},
        }
    ],
}


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """No test sees what another left in Django's cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def example(db: None) -> Calendar:
    return actions.install("example")


@pytest.fixture
def only_major_donors(db: None) -> Calendar:
    return actions.save_plan(parse_plan(ONLY_MAJOR_DONORS))


@pytest.fixture
def structural_donor(db: None) -> Any:
    """Anna gives € 15 a month since March 2024 and may be e-mailed, written and called."""
    anna = donor("1", "Anna", monthly_cents=1500, started=date(2024, 3, 1))
    refresh_facts(local(2026, 12, 2))
    return anna
