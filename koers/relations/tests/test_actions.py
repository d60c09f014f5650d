from __future__ import annotations

from datetime import UTC, datetime

import pytest

from koers.relations import actions
from koers.relations.choices import ContactChannel, EventKind, EventSource, LegalBasis
from koers.relations.models import Consent, Event, Relation

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


@pytest.fixture
def relation(db: None) -> Relation:
    return actions.create_relation(
        external_id="R1", now=NOW, source=EventSource.WEB, first_name="Anna", last_name="Jansen"
    )


def test_creating_a_relation_writes_a_created_event(relation: Relation) -> None:
    assert list(Event.objects.values_list("relation_id", "kind", "occurred_at")) == [
        (relation.pk, EventKind.RELATION_CREATED, NOW)
    ]


def test_updating_writes_one_event_naming_the_changed_fields(relation: Relation) -> None:
    changed = actions.update_relation(
        relation, now=LATER, source=EventSource.WEB, first_name="Anne", last_name="Jansen"
    )

    assert changed == ["first_name"]
    event = Event.objects.get(kind=EventKind.RELATION_CHANGED)
    assert (event.occurred_at, event.data) == (LATER, {"fields": ["first_name"]})
    assert Relation.objects.get().first_name == "Anne"


def test_updating_with_the_same_values_writes_nothing(relation: Relation) -> None:
    changed = actions.update_relation(relation, now=LATER, source=EventSource.WEB, city="")

    assert changed == []
    assert Event.objects.count() == 1


def test_marking_deceased_writes_the_deceased_event(relation: Relation) -> None:
    actions.update_relation(relation, now=LATER, source=EventSource.WEB, status="deceased")

    kinds = list(Event.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["relation.created", "relation.changed", "relation.deceased"]


def test_unknown_fields_are_refused_and_nothing_is_written(relation: Relation) -> None:
    with pytest.raises(ValueError, match="unknown relation fields: shoe_size"):
        actions.update_relation(relation, now=LATER, source=EventSource.WEB, shoe_size=44)

    assert Event.objects.count() == 1


def test_consent_given_then_withdrawn_keeps_its_history_in_events(relation: Relation) -> None:
    actions.give_consent(
        relation,
        ContactChannel.EMAIL,
        LegalBasis.CONSENT,
        given_at=NOW,
        source=EventSource.WEB,
        origin="Website-formulier",
    )
    withdrawn = actions.withdraw_consent(
        relation, ContactChannel.EMAIL, at=LATER, source=EventSource.WEB, reason="afmeldlink"
    )

    assert withdrawn is True
    consent = Consent.objects.get()
    assert (consent.basis, consent.source, consent.withdrawn_at) == (
        "consent",
        "Website-formulier",
        LATER,
    )
    events = list(Event.objects.order_by("id").values_list("kind", "data"))
    assert events[1:] == [
        ("consent.given", {"channel": "email", "basis": "consent", "source": "Website-formulier"}),
        ("consent.withdrawn", {"channel": "email", "reason": "afmeldlink"}),
    ]


def test_withdrawing_without_consent_records_the_objection_as_a_row_without_basis(
    relation: Relation,
) -> None:
    withdrawn = actions.withdraw_consent(
        relation, ContactChannel.PHONE, at=LATER, source=EventSource.WEB, reason="niet meer bellen"
    )

    assert withdrawn is True
    consent = Consent.objects.get()
    assert (consent.channel, consent.basis, consent.source) == ("phone", "none", "niet meer bellen")
    assert (consent.given_at, consent.withdrawn_at, consent.get_basis_display()) == (
        LATER,
        LATER,
        "geen (afgemeld)",
    )
    event = Event.objects.get(kind="consent.withdrawn")
    assert (event.occurred_at, event.source, event.data) == (
        LATER,
        "web",
        {"channel": "phone", "reason": "niet meer bellen", "basis": "none"},
    )


def test_withdrawing_again_writes_nothing(relation: Relation) -> None:
    actions.withdraw_consent(relation, ContactChannel.EMAIL, at=NOW, source=EventSource.WEB)

    again = actions.withdraw_consent(
        relation, ContactChannel.EMAIL, at=LATER, source=EventSource.WEB
    )

    assert again is False
    assert Consent.objects.get().withdrawn_at == NOW
    assert Event.objects.filter(kind="consent.withdrawn").count() == 1


def test_a_withdrawal_planned_for_later_is_brought_forward(relation: Relation) -> None:
    actions.give_consent(
        relation, ContactChannel.EMAIL, LegalBasis.CONSENT, given_at=NOW, source=EventSource.WEB
    )
    Consent.objects.update(withdrawn_at=datetime(2027, 1, 1, tzinfo=UTC))

    withdrawn = actions.withdraw_consent(
        relation, ContactChannel.EMAIL, at=LATER, source=EventSource.WEB
    )

    assert withdrawn is True
    assert Consent.objects.get().withdrawn_at == LATER


def test_consent_older_than_its_withdrawal_does_not_undo_it(relation: Relation) -> None:
    actions.withdraw_consent(relation, ContactChannel.EMAIL, at=LATER, source=EventSource.WEB)

    with pytest.raises(actions.WithdrawalStands, match="ingetrokken op 24-11-2026"):
        actions.give_consent(
            relation, ContactChannel.EMAIL, LegalBasis.CONSENT, given_at=NOW, source=EventSource.WEB
        )

    assert Consent.objects.get().withdrawn_at == LATER
    assert not Event.objects.filter(kind__in=["consent.given", "consent.changed"]).exists()


def test_consent_given_after_its_withdrawal_is_given_again(relation: Relation) -> None:
    actions.withdraw_consent(relation, ContactChannel.EMAIL, at=NOW, source=EventSource.WEB)

    actions.give_consent(
        relation, ContactChannel.EMAIL, LegalBasis.CONSENT, given_at=LATER, source=EventSource.WEB
    )

    consent = Consent.objects.get()
    assert (consent.basis, consent.given_at, consent.withdrawn_at) == ("consent", LATER, None)
    kinds = list(Event.objects.order_by("id").values_list("kind", flat=True))
    assert kinds[-2:] == ["consent.withdrawn", "consent.given"]


def test_events_cannot_be_changed(relation: Relation) -> None:
    event = Event.objects.get()
    event.kind = EventKind.RELATION_CHANGED

    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_display_and_sort_names_follow_dutch_conventions(db: None) -> None:
    person = Relation(first_name="Jan", infix="de", last_name="Vries", external_id="R2")
    org = Relation(kind="organisation", organisation_name="Stichting Zon", external_id="R3")

    assert (person.display_name, person.sort_name) == ("Jan de Vries", "Vries, Jan de")
    assert (org.display_name, org.sort_name) == ("Stichting Zon", "Stichting Zon")
