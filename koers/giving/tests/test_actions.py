from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from koers.giving import actions
from koers.giving.models import Gift, Mandate, Storno
from koers.relations.choices import EventSource
from koers.relations.models import Event, Relation


@pytest.fixture
def mandate(db: None) -> Mandate:
    relation = Relation.objects.create(external_id="R1", last_name="Wit")
    return Mandate.objects.create(
        reference="M1",
        relation=relation,
        amount_cents=1000,
        frequency="monthly",
        start_date=date(2026, 1, 1),
    )


def test_the_first_gift_also_writes_a_first_gift_event(mandate: Mandate) -> None:
    actions.record_gift(mandate.relation_id, date(2026, 2, 1), 2500, source=EventSource.WEB)
    actions.record_gift(mandate.relation_id, date(2026, 3, 1), 2500, source=EventSource.WEB)

    kinds = list(Event.objects.order_by("id").values_list("kind", "occurred_at"))
    assert kinds == [
        ("gift.received", datetime(2026, 2, 1, 11, 0, tzinfo=UTC)),
        ("gift.first", datetime(2026, 2, 1, 11, 0, tzinfo=UTC)),
        ("gift.received", datetime(2026, 3, 1, 11, 0, tzinfo=UTC)),
    ]


def test_a_gift_of_zero_is_refused_and_nothing_written(mandate: Mandate) -> None:
    with pytest.raises(ValueError, match="amount_cents must be positive, got 0"):
        actions.record_gift(mandate.relation_id, date(2026, 2, 1), 0, source=EventSource.WEB)

    assert (Gift.objects.count(), Event.objects.count()) == (0, 0)


def test_cancelling_writes_the_event_once(mandate: Mandate) -> None:
    first = actions.cancel_mandate(
        mandate, date(2026, 5, 1), source=EventSource.WEB, reason="verhuisd"
    )
    again = actions.cancel_mandate(mandate, date(2026, 6, 1), source=EventSource.WEB)

    assert (first, again) == (True, False)
    mandate.refresh_from_db()
    assert (mandate.status, mandate.end_date) == ("cancelled", date(2026, 5, 1))
    assert list(Event.objects.values_list("kind", "data")) == [
        # The same data as an imported cancellation (koers.giving.events), and the reason.
        (
            "mandate.cancelled",
            {
                "reference": "M1",
                "amount_cents": 1000,
                "annual_cents": 12000,
                "frequency": "monthly",
                "reason": "verhuisd",
            },
        )
    ]


def test_a_storno_is_recorded_with_its_event(mandate: Mandate) -> None:
    actions.record_storno(mandate, date(2026, 2, 3), 1000, "MD06", source=EventSource.IMPORT)

    storno = Storno.objects.get()
    assert (storno.occurred_on, storno.amount_cents, storno.reason) == (
        date(2026, 2, 3),
        1000,
        "MD06",
    )
    assert list(Event.objects.values_list("kind", "data")) == [
        ("mandate.storno", {"reference": "M1", "amount_cents": 1000, "reason": "MD06"})
    ]
