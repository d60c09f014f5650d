"""The welcome flow and the first direct-debit collection: SEPA collects within about a month
of signing, so the flow waits up to six weeks from the start, its welcome contacts do not wait
for the bank, a missing collection is a task for the financial administration, and that task
closes by itself when the collection arrives after all."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from koers.clock.tick import run_until
from koers.giving import actions as giving
from koers.giving.choices import GiftKind
from koers.giving.models import Mandate
from koers.journeys import actions
from koers.journeys.tests.conftest import donor, local
from koers.relations.choices import EventSource
from koers.relations.models import Event, Relation
from koers.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db

SIGNED = date(2026, 11, 2)


def collect(relation: Relation, on: date) -> None:
    mandate = Mandate.objects.get(relation=relation)
    giving.record_gift(
        relation.pk, on, mandate.amount_cents,
        source=EventSource.IMPORT, kind=GiftKind.RECURRING, mandate=mandate,
    )  # fmt: skip


def planned(relation: Relation) -> list[tuple[str, str]]:
    """(step, local day) of the relation's contacts and tasks, in order."""
    rows = Touchpoint.objects.filter(relation=relation).order_by("planned_at", "id")
    return [(t.step, f"{t.planned_at.astimezone(local(2026, 1, 1).tzinfo):%d-%m}") for t in rows]


@pytest.fixture
def welcome(quiet_channels: None, seeded: None) -> None:
    actions.install("welkom-structureel")


def test_a_collection_four_weeks_after_signing_raises_no_alarm(welcome: None) -> None:
    # Given Anna signs on 2 November and the bank collects on the 25th, 23 days later
    anna = donor("A1", "Anna", monthly_cents=1000, started=SIGNED)
    collect(anna, date(2026, 11, 25))

    # When the flow runs for two months
    run_until(local(2026, 11, 3), date(2026, 12, 31))

    # Then no task to check the collection was made
    assert not Touchpoint.objects.filter(step="incasso-controleren").exists()


def test_the_welcome_contacts_do_not_wait_for_the_bank(welcome: None) -> None:
    # Given Bert's first collection comes 30 days after he signed
    bert = donor("B2", "Bert", monthly_cents=1000, started=SIGNED)
    collect(bert, date(2026, 12, 2))

    run_until(local(2026, 11, 3), date(2026, 12, 31))

    # Then his letter and call keep their days from the start; the mailing after the
    # collection comes three weeks after it
    assert planned(bert) == [
        ("bedankmail", "02-11"),
        ("welkomstbrief", "09-11"),
        ("bedankbelletje", "16-11"),
        ("kennismaking", "23-11"),
        ("tweede-mailing", "24-12"),
    ]


def test_no_collection_within_six_weeks_is_a_task_for_the_financial_administration(
    welcome: None, login: Any
) -> None:
    # Given Carla's first collection never comes
    carla = donor("C3", "Carla", monthly_cents=1000, started=SIGNED)

    run_until(local(2026, 11, 3), date(2026, 12, 15))

    # Then six weeks after she signed, the financial administration is asked to look
    task = Touchpoint.objects.get(step="incasso-controleren")
    assert (task.relation_id, task.status, task.role) == (carla.pk, "open", "administrateur")
    assert task.planned_at == local(2026, 12, 14, 12)
    listed = login("administrateur").get("/taken/").content.decode()
    assert "Eerste incasso niet ontvangen: machtiging M-C3 nagaan" in listed


def test_the_task_closes_by_itself_when_the_collection_arrives_after_all(
    welcome: None, login: Any
) -> None:
    # Given Dirk's task is open since 14 December
    dirk = donor("D4", "Dirk", monthly_cents=1000, started=SIGNED)
    run_until(local(2026, 11, 3), date(2026, 12, 16))
    task = Touchpoint.objects.get(step="incasso-controleren")
    assert task.status == "open"

    # When his collection of 25 December arrives after all
    collect(dirk, date(2026, 12, 25))
    run_until(local(2026, 12, 26), date(2026, 12, 26))

    # Then the task is done, saying it was resolved by the collection, and off the list
    task.refresh_from_db()
    assert (task.status, task.outcome, task.done_at) == ("done", "resolved", local(2026, 12, 26))
    done = Event.objects.get(kind="task.done", relation=dirk)
    assert (done.data["outcome"], done.data["step"], done.source) == (
        "resolved", "incasso-controleren", "engine",
    )  # fmt: skip
    administration = login("administrateur")
    assert "Geen open taken" in administration.get("/taken/").content.decode()
    shown = administration.get("/contactmomenten/?stap=incasso-controleren").content.decode()
    assert "vanzelf afgehandeld" in shown
    mapped = login("kijker").get("/klantreizen/welkom-structureel/").content.decode()
    assert "vanzelf klaar bij: gift ontvangen" in mapped


def test_a_gift_from_before_the_start_never_closes_the_task(
    welcome: None,
) -> None:
    # Given Eva's task is open, and an old gift from before she signed is imported late
    eva = donor("E5", "Eva", monthly_cents=1000, started=SIGNED)
    run_until(local(2026, 11, 3), date(2026, 12, 16))
    giving.record_gift(eva.pk, date(2026, 10, 1), 2500, source=EventSource.IMPORT)

    run_until(local(2026, 12, 17), date(2026, 12, 17))

    # Then the task stays open: that gift is not the collection it waits for
    assert Touchpoint.objects.get(step="incasso-controleren").status == "open"
