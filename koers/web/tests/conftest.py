from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from koers.giving.models import Gift, Mandate, Storno
from koers.groups.facts import refresh_facts
from koers.relations.actions import give_consent, record_event
from koers.relations.choices import (
    ContactChannel,
    EventKind,
    EventSource,
    LegalBasis,
    RelationKind,
)
from koers.relations.models import Relation

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def relations(db: None) -> dict[str, Relation]:
    """Three people and one organisation; facts computed for all but the organisation."""
    anna = Relation.objects.create(
        external_id="1001", first_name="Anna", last_name="Jansen", city="Utrecht"
    )
    bert = Relation.objects.create(
        external_id="1002", first_name="Bert", infix="de", last_name="Vries", city="Breda"
    )
    cor = Relation.objects.create(
        external_id="1003", first_name="Cor", last_name="Smit", city="Utrecht"
    )
    Gift.objects.create(relation=anna, received_on=date(2026, 6, 1), amount_cents=123456)
    mandate = Mandate.objects.create(
        reference="M1",
        relation=bert,
        amount_cents=1000,
        frequency="monthly",
        start_date=date(2025, 1, 1),
    )
    Storno.objects.create(
        mandate=mandate, occurred_on=date(2026, 3, 2), amount_cents=1000, reason="MD06"
    )
    give_consent(
        anna,
        ContactChannel.EMAIL,
        LegalBasis.CONSENT,
        given_at=datetime(2025, 4, 1, 10, 0, tzinfo=UTC),
        source=EventSource.IMPORT,
        origin="Petitie",
    )
    record_event(
        anna,
        EventKind.GIFT_RECEIVED,
        datetime(2026, 6, 1, 9, 0, tzinfo=UTC),
        EventSource.IMPORT,
        {"amount_cents": 123456, "campaign": "Zomeractie"},
    )
    refresh_facts(NOW)
    kramer = Relation.objects.create(
        external_id="1004",
        kind=RelationKind.ORGANISATION,
        organisation_name="Bakkerij Kramer",
        city="Amsterdam",
    )
    return {"anna": anna, "bert": bert, "cor": cor, "kramer": kramer}
