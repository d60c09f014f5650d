"""The base the forecast reads from the database: levels as the facts compute them."""

from __future__ import annotations

from datetime import date

import pytest

from koers.calendar.base import load_base
from koers.calendar.checks import proportion
from koers.calendar.forecast import forecast
from koers.calendar.tests.factories import make_plan
from koers.giving import actions as giving
from koers.giving.choices import GiftKind
from koers.giving.models import Mandate
from koers.groups.facts import refresh_facts
from koers.relations.choices import EventSource
from koers.tests.people import donor, local

pytestmark = pytest.mark.django_db


def test_the_proportion_check_places_a_monthly_donor_by_the_mandate_alone() -> None:
    # Given Bas gives € 25 a month since 2025 and the last twelve collections were booked
    bas = donor("1", "Bas", monthly_cents=2500, started=date(2025, 11, 1))
    mandate = Mandate.objects.get(relation=bas)
    for month in range(12):
        index = 2025 * 12 + 10 + month  # 25 November 2025 up to 25 October 2026
        giving.record_gift(
            bas.pk, date(index // 12, index % 12 + 1, 25), 2500,
            source=EventSource.IMPORT, kind=GiftKind.RECURRING, mandate=mandate,
        )  # fmt: skip
    refresh_facts(local(2026, 11, 23))

    # When the calendar reads its base and checks proportionality
    base = load_base(local(2026, 11, 23))
    plan = make_plan(
        "{key: k, name: K, moments: [{key: m, name: M, when: {date: '12-18'}, groups: [all], "
        "channels: [email]}]}"
    )
    rows = proportion(forecast(plan, base, 2027)).rows

    # Then he is on Zilver (€ 300 a year), not on Goud (€ 600 counted twice)
    assert [base.levels[i] for i in base.level] == ["Zilver"]
    assert [(row["level"], row["relations"]) for row in rows] == [
        ("Brons", 0), ("Zilver", 1), ("Goud", 0), ("Platina", 0),
    ]  # fmt: skip
