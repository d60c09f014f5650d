"""Date arithmetic done by the database itself gives what Python gives, to the microsecond."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import F

from koers.relations.choices import EventSource
from koers.relations.models import Event, Relation
from koers.sql import Shifted

pytestmark = pytest.mark.django_db

MOMENTS = [
    datetime(2026, 2, 28, 23, 30, tzinfo=UTC),  # into March
    datetime(2028, 2, 28, 23, 30, 0, 250_000, tzinfo=UTC),  # into a leap day, with a fraction
    datetime(2026, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),  # into the next year
]
SHIFTS = [timedelta(days=1), timedelta(hours=24), timedelta(seconds=1), -timedelta(days=30)]


@pytest.mark.parametrize("delta", SHIFTS, ids=str)
def test_shifted_matches_python(delta: timedelta) -> None:
    relation = Relation.objects.create(external_id="R1", last_name="Jansen")
    for moment in MOMENTS:
        Event.objects.create(
            relation=relation, kind="test", occurred_at=moment, source=EventSource.SYSTEM
        )
    found = Event.objects.annotate(later=Shifted(F("occurred_at"), delta)).order_by("id")

    assert [row.later for row in found] == [moment + delta for moment in MOMENTS]


def test_a_fraction_of_a_second_is_added_the_generic_way() -> None:
    relation = Relation.objects.create(external_id="R1", last_name="Jansen")
    moment = MOMENTS[1]
    Event.objects.create(
        relation=relation, kind="test", occurred_at=moment, source=EventSource.SYSTEM
    )
    delta = timedelta(seconds=1, microseconds=500_000)
    row = Event.objects.annotate(later=Shifted(F("occurred_at"), delta)).get()

    assert row.later == moment + delta
