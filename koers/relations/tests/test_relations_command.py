from __future__ import annotations

import json
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from koers.giving.models import Gift, Mandate, Storno
from koers.groups.facts import refresh_facts
from koers.relations import actions
from koers.relations.choices import ContactChannel, EventSource, LegalBasis
from koers.relations.models import Relation

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def relation(db: None) -> Relation:
    relation = actions.create_relation(
        external_id="R42",
        now=NOW,
        source=EventSource.WEB,
        first_name="Jan",
        infix="de",
        last_name="Vries",
        street="Dorpsstraat",
        house_number="1",
        postcode="1234 AB",
        city="Utrecht",
    )
    actions.give_consent(
        relation,
        ContactChannel.EMAIL,
        LegalBasis.CONSENT,
        given_at=NOW,
        source=EventSource.WEB,
        origin="Website-formulier",
    )
    mandate = Mandate.objects.create(
        reference="M-42",
        relation=relation,
        amount_cents=1500,
        frequency="monthly",
        start_date=date(2025, 1, 1),
    )
    Storno.objects.create(
        mandate=mandate, occurred_on=date(2025, 3, 1), amount_cents=1500, reason="MD06"
    )
    Gift.objects.create(
        relation=relation, received_on=date(2026, 6, 1), amount_cents=123456, campaign="Zomer"
    )
    refresh_facts(NOW)
    return relation


def test_show_as_json_has_facts_consents_gifts_mandates_and_events(relation: Relation) -> None:
    out = StringIO()

    call_command("relations", "show", "R42", "--json", stdout=out)

    data = json.loads(out.getvalue())
    assert data["name"] == "Jan de Vries"
    assert data["address"] == ["Dorpsstraat 1", "1234 AB  UTRECHT"]
    assert data["facts"]["annual_support_cents"] == 123456 + 18000
    assert data["facts"]["level"] == "platina"
    assert [(c["channel"], c["basis"], c["valid"]) for c in data["consents"]] == [
        ("email", "consent", True)
    ]
    assert [(g["received_on"], g["amount_cents"]) for g in data["gifts"]] == [
        ("2026-06-01", 123456)
    ]
    assert data["mandates"][0]["stornos"] == [
        {"occurred_on": "2025-03-01", "amount_cents": 1500, "reason": "MD06"}
    ]
    # Newest first, as on the timeline.
    assert [e["kind"] for e in data["events"]] == ["consent.given", "relation.created"]


def test_show_as_text_uses_dutch_money(relation: Relation) -> None:
    out = StringIO()

    call_command("relations", "show", "R42", stdout=out)

    assert "Jan de Vries (R42), actief" in out.getvalue()
    assert "2026-06-01  € 1.234,56  Zomer" in out.getvalue()


def test_an_unknown_number_is_a_clear_error(db: None) -> None:
    with pytest.raises(CommandError, match="onbekend relatienummer: R999"):
        call_command("relations", "show", "R999")
