"""The admin site: every model listed, money records read-only, edits that write events."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from koers.groups.models import Group
from koers.relations.models import Consent, Event, Relation


@pytest.mark.parametrize(
    "model",
    [
        "relations/relation",
        "relations/consent",
        "relations/event",
        "giving/gift",
        "giving/mandate",
        "giving/storno",
        "groups/level",
        "groups/facts",
        "groups/group",
    ],
)
def test_every_model_has_an_admin_list(
    login: Callable[[str], Client], relations: dict[str, Relation], model: str
) -> None:
    assert login("beheerder").get(f"/admin/{model}/").status_code == 200


@pytest.mark.parametrize(
    "model",
    ["relations/event", "relations/consent", "giving/gift", "giving/mandate", "groups/facts"],
)
def test_records_written_elsewhere_cannot_be_added_here(
    login: Callable[[str], Client], model: str
) -> None:
    assert login("beheerder").get(f"/admin/{model}/add/").status_code == 403


def test_an_event_cannot_be_deleted(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    event = Event.objects.filter(relation=relations["anna"]).first()
    assert event is not None

    response = login("beheerder").post(
        f"/admin/relations/event/{event.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()


def test_a_gift_list_shows_euros(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    assert "€ 1.234,56" in login("beheerder").get("/admin/giving/gift/").content.decode()


def test_editing_a_relation_in_the_admin_writes_an_event(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    cor = relations["cor"]
    client = login("beheerder")
    form = client.get(f"/admin/relations/relation/{cor.pk}/change/").context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"city": "Amersfoort", "consents-TOTAL_FORMS": "0", "consents-INITIAL_FORMS": "0"})

    response = client.post(f"/admin/relations/relation/{cor.pk}/change/", data)

    assert response.status_code == 302
    cor.refresh_from_db()
    event = Event.objects.get(relation=cor, kind="relation.changed")
    assert (cor.city, event.data, event.source) == ("Amersfoort", {"fields": ["city"]}, "web")


def test_withdrawing_consent_in_the_admin_writes_an_event(
    login: Callable[[str], Client], relations: dict[str, Relation]
) -> None:
    consent = Consent.objects.get(relation=relations["anna"], channel="email")

    login("beheerder").post(
        "/admin/relations/consent/",
        {"action": "withdraw", "_selected_action": [str(consent.pk)]},
    )

    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert Event.objects.filter(relation=relations["anna"], kind="consent.withdrawn").count() == 1


def test_the_admin_refuses_a_group_with_a_bad_rule(login: Callable[[str], Client]) -> None:
    response = login("beheerder").post(
        "/admin/groups/group/add/",
        {"key": "fout", "name": "Fout", "rule": "gifts.cont >= 3", "description": ""},
    )

    assert "onbekend veld" in response.content.decode()
    assert not Group.objects.filter(key="fout").exists()
