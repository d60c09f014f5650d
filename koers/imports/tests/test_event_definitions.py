"""One definition per event kind: the importer and the actions write the same data, and
the rule language's words are the stored values (trigger.kind = 'one_off')."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from koers.feedback import events as feedback_events
from koers.giving import actions as giving
from koers.giving import events as giving_events
from koers.giving.choices import Frequency
from koers.groups.queries import compile_node
from koers.groups.rules import RuleError, parse
from koers.imports.api import import_file
from koers.imports.tests.conftest import NOW
from koers.journeys.engine import ON_EVENT
from koers.relations import events as relation_events
from koers.relations.choices import EventKind, EventSource
from koers.relations.events import EventType
from koers.relations.models import Event, Relation


@pytest.fixture
def imported(db: None, write: Callable[..., Path]) -> None:
    import_file("relations", write("r.csv", "relatienummer;achternaam\nA;Aal\nB;Bos\n"), now=NOW)
    gifts = (
        "relatienummer;datum;bedrag;soort\nA;01-07-2026;10;eenmalig\nA;01-08-2026;10;periodiek\n"
    )
    import_file("gifts", write("g.csv", gifts), now=NOW)
    header = "kenmerk;relatienummer;bedrag;frequentie;startdatum;status\n"
    import_file(
        "mandates", write("m.csv", header + "M1;B;5;maandelijks;01-01-2026;opgezegd\n"), now=NOW
    )


def _keys(kind: str, source: str) -> set[str]:
    event = Event.objects.filter(kind=kind, source=source).first()
    assert event is not None, (kind, source)
    return set(event.data)


def test_imported_and_recorded_gift_events_carry_the_same_data(imported: None) -> None:
    bram = Relation.objects.get(external_id="B")
    mandate = giving.start_mandate(
        bram.pk, "M2", 500, Frequency.MONTHLY, date(2026, 2, 1), source=EventSource.WEB
    )
    giving.record_gift(bram.pk, date(2026, 9, 1), 700, source=EventSource.WEB)
    giving.cancel_mandate(mandate, date(2026, 10, 1), source=EventSource.WEB, reason="verhuisd")

    for kind in ("gift.received", "gift.first", "mandate.started", "mandate.cancelled"):
        assert _keys(kind, "import") == _keys(kind, "web"), kind


def test_every_written_event_matches_its_one_definition(imported: None) -> None:
    definitions = {
        t.kind.value: t
        for module in (relation_events, giving_events, feedback_events)
        for t in vars(module).values()
        if isinstance(t, EventType)
    }
    for event in Event.objects.all():
        definitions[event.kind].check(set(event.data))


def test_a_payload_that_is_not_the_definition_is_refused() -> None:
    with pytest.raises(
        ValueError, match=r"gift.received: .*missing \['kind'\], unknown \['soort'\]"
    ):
        giving_events.GIFT_RECEIVED.data(gift_id=1, amount_cents=5, campaign="", soort="x")


def test_a_journey_filter_on_one_off_gifts_finds_them(imported: None) -> None:
    rule = parse("trigger.kind = 'one_off'", trigger=True)

    found = Event.objects.filter(kind=EventKind.GIFT_RECEIVED).filter(
        compile_node(rule, NOW.date(), ON_EVENT)
    )

    assert [e.data["amount_cents"] for e in found] == [1000]
    assert [e.occurred_at.month for e in found] == [7]


def test_the_spelling_one_off_gets_the_right_word() -> None:
    with pytest.raises(RuleError) as caught:
        parse("trigger.kind = 'one-off'", trigger=True)

    assert caught.value.message.startswith(
        "'one-off' is geen geldige waarde voor 'trigger.kind' (bedoelde u 'one_off'?); "
        "kies uit 'one_off', 'recurring', 'major',"
    )
