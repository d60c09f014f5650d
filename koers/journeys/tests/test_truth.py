"""Moments of truth that miss their deadline are flagged on the map, the main map and the
home page; the call list says how late a call is and which attempt it is; a relation has
finished a journey only once its last contact is made."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import time_machine

from koers.clock.tick import run_until
from koers.journeys import actions
from koers.journeys.definition import parse_definition
from koers.journeys.models import Journey
from koers.journeys.report import journey_map
from koers.journeys.tests.conftest import donor, local
from koers.journeys.truth import Timeliness, moments_of_truth
from koers.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db

CALL_BACK = {
    "key": "terugbellen-test",
    "name": "Terugbellen",
    "phase": "bedanken",
    "status": "active",
    "trigger": {"event": "mandate.started", "reentry": "once"},
    "steps": [
        {
            "key": "bel",
            "label": "Bedankbelletje",
            "kind": "action",
            "channel": "phone",
            "nature": "thank",
            "content": {"script": "Bedank {{ naam }}."},
            "map": {"moment_of_truth": True, "deadline": "1 day"},
        },
        {"key": "einde", "kind": "exit"},
    ],
}
BADGE = '<span class="badge truth-late">3 te laat · 0 % op tijd</span>'


@pytest.fixture
def late(quiet_channels: None, seeded: None) -> Iterator[Journey]:
    """Three donors' thank-you calls are planned on Monday 2 November 2026 at noon, to be
    made within a day; nobody calls. The pages are used on Saturday 7 November at 10:00."""
    actions.publish(CALL_BACK)
    start = date(2026, 11, 2)
    for number, name in (("A1", "Anna"), ("B2", "Bert"), ("C3", "Carla")):
        donor(number, name, monthly_cents=1000, started=start)
    run_until(local(2026, 11, 3), date(2026, 11, 3))
    with time_machine.travel(local(2026, 11, 7, 10), tick=False):
        yield Journey.objects.get(key=CALL_BACK["key"])


def test_a_moment_of_truth_with_calls_open_past_its_deadline_is_late(late: Journey) -> None:
    (truth,) = moments_of_truth(local(2026, 11, 7, 10))

    assert (truth.journey_key, truth.step_key, truth.timeliness) == (
        "terugbellen-test",
        "bel",
        Timeliness(on_time=0, late=0, overdue=3),
    )
    assert (truth.timeliness.level, truth.timeliness.words) == ("late", "3 te laat · 0 % op tijd")


@pytest.mark.parametrize(
    ("figures", "level"),
    [
        (Timeliness(9, 1, 0), "ok"),  # 90 %: on target
        (Timeliness(8, 2, 0), "behind"),  # 80 %: amber
        (Timeliness(4, 6, 0), "late"),  # 40 %: red
        (Timeliness(99, 0, 1), "late"),  # one still open past its deadline: red
        (Timeliness(0, 0, 0), ""),  # nothing to measure yet
    ],
)
def test_the_flag_follows_the_target_and_open_contacts(figures: Timeliness, level: str) -> None:
    assert figures.level == level


def test_the_map_main_map_and_home_page_flag_the_late_moment(late: Journey, login: Any) -> None:
    client = login("strateeg")

    on_map = client.get("/klantreizen/terugbellen-test/").content.decode()
    main_map = client.get("/klantreizen/").content.decode()
    home = client.get("/").content.decode()

    assert BADGE in on_map
    assert "0 op tijd · 0 te laat gedaan · 3 nog open en over tijd" in on_map
    assert '<span class="badge truth-late">Bedankbelletje: 3 te laat · 0 % op tijd</span>' in (
        main_map
    )
    assert BADGE in home
    assert 'href="/klantreizen/terugbellen-test/#stap-bel">Bedankbelletje</a>' in home


def test_a_moment_on_time_is_not_flagged_on_the_home_page(late: Journey, login: Any) -> None:
    caller = login("beller")
    with time_machine.travel(local(2026, 11, 3, 11), tick=False):
        for call in Touchpoint.objects.filter(channel="phone"):
            caller.post(f"/bellijst/{call.pk}/uitkomst/", {"outcome": "reached"})

    home = login("kijker").get("/").content.decode()

    assert "truth-late" not in home and "Momenten van de waarheid" not in home


def test_a_relation_has_not_finished_while_its_last_call_is_open(late: Journey, login: Any) -> None:
    definition = parse_definition(late.current.definition)  # type: ignore[union-attr]
    before = journey_map(late, definition, local(2026, 11, 7, 10))
    anna = Touchpoint.objects.get(relation__first_name="Anna")
    login("beller").post(f"/bellijst/{anna.pk}/uitkomst/", {"outcome": "reached"})
    after = journey_map(late, definition, local(2026, 11, 7, 10))
    client = login("kijker")
    done = client.get("/klantreizen/terugbellen-test/deelnemers/?status=done").content.decode()
    waiting = client.get(
        "/klantreizen/terugbellen-test/deelnemers/?status=laatste-contact"
    ).content.decode()

    assert (before.done, before.last_contact_open) == (0, 3)
    assert (after.done, after.last_contact_open) == (1, 2)
    assert "1 deelnemer" in done and "Anna Jansen" in done and "Bert Jansen" not in done
    assert "2 deelnemers" in waiting and "wacht op het laatste contact" in waiting
    assert "Anna Jansen" not in waiting


def test_the_relation_page_says_the_journey_waits_for_its_last_call(
    late: Journey, login: Any
) -> None:
    bert = Touchpoint.objects.get(relation__first_name="Bert").relation

    page = login("kijker").get(f"/relaties/{bert.pk}/").content.decode()

    assert "wacht op het laatste contact" in page and "telefoon gepland op" in page


def test_the_call_list_says_how_late_each_call_is_and_which_attempt(
    late: Journey, login: Any
) -> None:
    caller = login("beller")
    bert = Touchpoint.objects.get(relation__first_name="Bert")

    before = caller.get("/bellijst/").content.decode()
    caller.post(f"/bellijst/{bert.pk}/uitkomst/", {"outcome": "no_answer"})
    after = caller.get("/bellijst/").content.decode()

    # Planned on Monday at noon (the mandate's start), to be made within a day: Tuesday.
    assert before.count('<span class="badge overdue">4 dagen te laat</span>') == 3
    assert before.count("poging 1 van 3") == 3
    assert after.count("poging 1 van 3") == 2 and after.count("poging 2 van 3") == 1
    assert "vorige poging: geen gehoor" in after


def test_the_caller_home_page_shows_their_own_calls_and_tasks(late: Journey, login: Any) -> None:
    caller = login("beller")
    anna = Touchpoint.objects.get(relation__first_name="Anna")
    caller.post(f"/bellijst/{anna.pk}/uitkomst/", {"outcome": "reached"})

    home = caller.get("/").content.decode()

    assert "Uw werk" in home and "actieve relaties" not in home
    assert home.count("poging 1 van 3") == 2  # Bert and Carla, the most urgent first
    assert '<span class="value">2</span><span class="label">gesprekken te voeren</span>' in home
    assert '<span class="badge overdue">2 te laat</span>' in home
    assert "gesprekken vandaag door u vastgelegd, 1 bereikt" in home
    assert '<span class="value">0</span><span class="label">open taken voor u</span>' in home
    assert "Bert Jansen</a>" in home and "Carla Jansen</a>" in home
    assert "Anna Jansen</a>" not in home


def test_the_organisation_home_page_stays_for_readers(late: Journey, login: Any) -> None:
    home = login("kijker").get("/").content.decode()

    assert "actieve relaties" in home and "Uw werk" not in home
