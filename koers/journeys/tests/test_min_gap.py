"""A journey never puts two contacts to one relation on the same day unless its definition
says so: the next contact is planned at the end of the minimum gap (min_gap, 2 days by
default), set-based in the action's insert."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from koers.clock.tick import run_until
from koers.journeys import actions
from koers.journeys.simulation import simulate
from koers.journeys.tests.conftest import donor, local
from koers.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db


def three_in_a_row(**top: Any) -> dict[str, Any]:
    """A mail, an internal check, a card and a call, one after the other without a wait."""
    return {
        "key": "drie-achter-elkaar",
        "name": "Drie contacten achter elkaar",
        "phase": "welkom",
        "status": "active",
        "trigger": {"event": "mandate.started"},
        "steps": [
            {"key": "mail", "kind": "action", "channel": "email", "nature": "thank",
             "content": {"subject": "Dank", "body": "Dank u wel."}},
            {"key": "nagaan", "kind": "action", "channel": "task", "nature": "service",
             "content": {"title": "Machtiging nagaan", "role": "administrateur",
                         "consent": "none"}},
            {"key": "kaart", "kind": "action", "channel": "task", "nature": "thank",
             "content": {"title": "Kaart schrijven", "role": "strateeg", "consent": "post"}},
            {"key": "bel", "kind": "action", "channel": "phone", "nature": "thank",
             "content": {"script": "Bedank"}},
        ],
        **top,
    }  # fmt: skip


def planned() -> list[tuple[str, str]]:
    rows = Touchpoint.objects.order_by("planned_at", "id")
    zone = local(2026, 1, 1).tzinfo
    return [(t.step, f"{t.planned_at.astimezone(zone):%d-%m %H:%M}") for t in rows]


@pytest.fixture
def ready(quiet_channels: None, seeded: None) -> None:
    return None


def start(channels: tuple[str, ...] = ("email", "post", "phone"), **top: Any) -> None:
    """Publish the journey, then Anna signs on Monday 2 November 2026 (the event at noon)."""
    actions.publish(three_in_a_row(**top))
    donor("A1", "Anna", channels=channels, monthly_cents=1000, started=date(2026, 11, 2))


def test_contacts_one_after_the_other_are_two_days_apart(ready: None) -> None:
    start()

    run_until(local(2026, 11, 3), date(2026, 11, 3))

    # The internal check is no contact: it neither waits nor makes the others wait
    assert planned() == [
        ("mail", "02-11 12:00"),
        ("nagaan", "02-11 12:00"),
        ("kaart", "04-11 12:00"),
        ("bel", "06-11 12:00"),
    ]


def test_a_journey_may_allow_contacts_on_the_same_day(ready: None) -> None:
    start(min_gap=0)

    run_until(local(2026, 11, 3), date(2026, 11, 3))

    assert {moment for _step, moment in planned()} == {"02-11 12:00"}


def test_the_gap_is_the_journeys_own_and_may_be_longer(ready: None) -> None:
    start(min_gap="1 week")

    run_until(local(2026, 11, 3), date(2026, 11, 3))

    assert [moment for _step, moment in planned()] == [
        "02-11 12:00", "02-11 12:00", "09-11 12:00", "16-11 12:00",
    ]  # fmt: skip


def test_a_skipped_contact_leaves_no_gap(ready: None) -> None:
    # Given Anna may not be e-mailed: her mail is skipped, so the card need not wait for it
    start(channels=("post", "phone"))

    run_until(local(2026, 11, 3), date(2026, 11, 3))

    statuses = dict(Touchpoint.objects.values_list("step", "status"))
    assert statuses["mail"] == "skipped"
    assert planned()[2:] == [("kaart", "02-11 12:00"), ("bel", "04-11 12:00")]


def test_the_simulation_counts_the_contacts_the_gap_moved(ready: None) -> None:
    start()

    result = simulate("drie-achter-elkaar", 30, local(2026, 11, 20))

    assert result.spaced == 2
    assert result.as_dict()["spaced"] == 2
    assert not Touchpoint.objects.exists()


def test_the_map_and_the_simulation_page_say_how_far_apart_contacts_are(
    ready: None, login: Any
) -> None:
    start()
    viewer = login("kijker")

    with time_machine.travel(local(2026, 11, 20), tick=False):
        shown = viewer.get("/klantreizen/drie-achter-elkaar/").content.decode()
        simulated = viewer.get(
            "/klantreizen/drie-achter-elkaar/simulatie/?dagen=30&rekenen=1"
        ).content.decode()

    assert "<dt>Tussen contacten</dt><dd>Minstens 2 dagen</dd>" in shown
    assert (
        "2 contactmomenten een paar dagen later gepland, om 2 dagen tussen contacten te houden."
        in simulated
    )
