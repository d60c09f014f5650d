"""The journey and touchpoint pages: the map's figures, the call list, tasks, filters, simulation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client

from koers.clock.tick import run_until
from koers.journeys import actions
from koers.journeys.definition import parse_definition
from koers.journeys.models import Enrollment, Journey
from koers.journeys.report import journey_map
from koers.journeys.tests.conftest import donor, local
from koers.relations.models import Consent, Event
from koers.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db

THANKS = {
    "key": "bedanken-test",
    "name": "Bedanken en bellen",
    "phase": "bedanken",
    "status": "active",
    "owner": "Team Service",
    "trigger": {"event": "mandate.started", "reentry": "once"},
    "exit_when": ["mandate_cancelled"],
    # The mail and the call on the same day: these pages are about the call list.
    "min_gap": 0,
    "steps": [
        {
            "key": "mail",
            "label": "Bedankmail",
            "kind": "action",
            "channel": "email",
            "nature": "thank",
            "content": {"subject": "Dank", "body": "{{ aanhef }} dank u wel."},
            "map": {"moment_of_truth": True, "deadline": "2 days", "emotion": 2},
        },
        {
            "key": "bel",
            "label": "Bedankbelletje",
            "kind": "action",
            "channel": "phone",
            "nature": "thank",
            "content": {"script": "Bedank {{ naam }}\nvoor de machtiging van {{ bedrag }}."},
            "map": {"emotion": 1},
        },
        {
            "key": "gesprek",
            "label": "Het gesprek",
            "kind": "wait_for_event",
            "event": "call.outcome",
            "where": "trigger.outcome = 'reached'",
            "timeout": "7 days",
            "next": "kaart",
            "on_timeout": "einde",
        },
        {
            "key": "kaart",
            "label": "Kaart schrijven",
            "kind": "action",
            "channel": "task",
            "nature": "thank",
            "content": {"title": "Kaart aan {{ naam }}", "role": "strateeg", "consent": "none"},
        },
        {"key": "einde", "kind": "exit"},
    ],
}


@pytest.fixture
def journey(quiet_channels: None, seeded: None) -> Iterator[Journey]:
    """Three new donors on Monday 2 November 2026; Carla gave no e-mail consent.
    The first tick on Tuesday at 09:00 mails Anna and Bert and puts three calls on the list.
    The pages are then used at 10:00 that Tuesday: the clock stands still there."""
    actions.publish(THANKS)
    start = date(2026, 11, 2)
    donor("A1", "Anna", monthly_cents=1000, started=start)
    donor("B2", "Bert", monthly_cents=2500, started=start)
    donor("C3", "Carla", channels=("post", "phone"), monthly_cents=500, started=start)
    run_until(local(2026, 11, 3), date(2026, 11, 3))
    with time_machine.travel(local(2026, 11, 3, 10), tick=False):
        yield Journey.objects.get(key="bedanken-test")


def call_of(name: str) -> Touchpoint:
    return Touchpoint.objects.get(channel="phone", relation__first_name=name)


def test_the_map_counts_each_step(journey: Journey) -> None:
    definition = parse_definition(journey.current.definition)  # type: ignore[union-attr]

    figures = {s.step.key: s for s in journey_map(journey, definition, local(2026, 11, 3)).steps}

    mail = figures["mail"]
    assert (mail.entered, mail.made, mail.planned) == (3, 2, 0)
    assert [(code, n) for code, _label, n in mail.skipped] == [("no_consent", 1)]
    assert (mail.on_time, mail.late, mail.overdue) == (2, 0, 0)
    assert (figures["bel"].entered, figures["bel"].planned) == (3, 3)  # on the call list
    assert (figures["gesprek"].entered, figures["gesprek"].here) == (3, 3)


def test_the_map_page_draws_the_steps_with_their_figures(journey: Journey, login: Any) -> None:
    page = login("kijker").get("/klantreizen/bedanken-test/").content.decode()

    assert "Bedanken en bellen" in page and "Team Service" in page
    assert "Bij: machtiging gestart (eenmalig per relatie)" in page
    assert page.index("Bedankmail") < page.index("Bedankbelletje") < page.index("Kaart schrijven")
    assert "e-mail · bedanken" in page and "binnen 2 dagen" in page
    assert "wacht op: gesprek gevoerd" in page and "hoogstens 7 dagen" in page
    assert "geen geldige grondslag voor dit kanaal: 1" in page
    assert '<span class="badge truth-ok">0 te laat · 100 % op tijd</span>' in page
    assert "heel positief" in page  # the emotion, for screen readers and as a tooltip


def test_the_main_map_lists_journeys_under_their_phase(journey: Journey, login: Any) -> None:
    page = login("kijker").get("/klantreizen/").content.decode()

    bedanken = page.index('id="fase-bedanken"')
    assert bedanken < page.index("Bedanken en bellen") < page.index('id="fase-welkom"')
    assert "3 onderweg" in page


def test_a_reached_call_moves_the_relation_on_to_the_card(journey: Journey, login: Any) -> None:
    caller = login("beller")

    listed = caller.get("/bellijst/").content.decode()
    response = caller.post(
        f"/bellijst/{call_of('Anna').pk}/uitkomst/", {"outcome": "reached", "note": "blij"}
    )
    run_until(local(2026, 11, 4), date(2026, 11, 4))

    assert "3 gesprekken te voeren" in listed
    assert "Bedank Anna Jansen voor de machtiging van € 10,00." in listed  # one paragraph
    assert response.status_code == 302
    assert call_of("Anna").status == "done" and call_of("Anna").outcome == "reached"
    event = Event.objects.get(kind="call.outcome")
    assert (event.data["outcome"], event.data["by"], event.data["note"]) == (
        "reached",
        "beller-user",
        "blij",
    )
    assert Touchpoint.objects.get(step="kaart").relation.first_name == "Anna"
    others = Enrollment.objects.exclude(relation__first_name="Anna")
    assert sorted(others.values_list("step", flat=True)) == ["gesprek", "gesprek"]


def test_no_answer_keeps_the_call_on_the_list_up_to_three_tries(
    journey: Journey, login: Any
) -> None:
    caller = login("beller")
    url = f"/bellijst/{call_of('Bert').pk}/uitkomst/"

    caller.post(url, {"outcome": "no_answer"})
    after_one = (call_of("Bert").status, call_of("Bert").attempts)
    caller.post(url, {"outcome": "voicemail"})
    caller.post(url, {"outcome": "no_answer"})
    fourth = caller.post(url, {"outcome": "no_answer"}, follow=True).content.decode()

    assert after_one == ("open", 1)
    assert (call_of("Bert").status, call_of("Bert").attempts) == ("done", 3)
    assert "Dit gesprek staat niet (meer) open op de bellijst." in fourth
    assert "2 gesprekken te voeren" in fourth


def test_do_not_call_withdraws_phone_consent(journey: Journey, login: Any) -> None:
    login("beller").post(f"/bellijst/{call_of('Carla').pk}/uitkomst/", {"outcome": "do_not_call"})

    consent = Consent.objects.get(relation__first_name="Carla", channel="phone")
    assert consent.withdrawn_at is not None


def test_an_unknown_outcome_is_refused_with_a_message(journey: Journey, login: Any) -> None:
    page = login("beller").post(
        f"/bellijst/{call_of('Carla').pk}/uitkomst/", {"outcome": "misschien"}, follow=True
    )

    assert "Kies een uitkomst van het gesprek." in page.content.decode()
    assert call_of("Carla").status == "open"


@pytest.fixture
def task(journey: Journey, login: Any) -> Touchpoint:
    login("beller").post(f"/bellijst/{call_of('Anna').pk}/uitkomst/", {"outcome": "reached"})
    run_until(local(2026, 11, 4), date(2026, 11, 4))
    return Touchpoint.objects.get(channel="task")


def test_a_task_is_done_by_its_role(task: Touchpoint, login: Any) -> None:
    strategist = login("strateeg")

    listed = strategist.get("/taken/").content.decode()
    strategist.post(f"/taken/{task.pk}/afhandelen/", {"done": "1"})
    task.refresh_from_db()

    assert "Kaart aan Anna Jansen" in listed and "1 open taak" in listed
    assert "<td>strateeg</td>" in listed  # who the task is for
    assert (task.status, task.outcome) == ("done", "done")
    assert Event.objects.filter(kind="task.done", relation=task.relation).count() == 1


def test_another_role_sees_the_task_only_when_asking_and_cannot_close_it(
    task: Touchpoint, login: Any
) -> None:
    viewer = login("kijker")

    mine = viewer.get("/taken/").content.decode()
    everyone = viewer.get("/taken/?wie=iedereen").content.decode()
    refused = viewer.post(f"/taken/{task.pk}/afhandelen/", {"done": "1"}, follow=True)
    task.refresh_from_db()

    assert "Kaart aan Anna Jansen" not in mine and "Geen open taken" in mine
    assert "Kaart aan Anna Jansen" in everyone and "voor een andere rol" in everyone
    assert "Deze taak is voor een andere rol" in refused.content.decode()
    assert task.status == "open"


def test_a_task_not_done_is_skipped_with_its_reason(task: Touchpoint, login: Any) -> None:
    login("beheerder").post(f"/taken/{task.pk}/afhandelen/", {"done": "0"})
    task.refresh_from_db()

    assert (task.status, task.skip_reason) == ("skipped", "not_done")


def test_the_touchpoint_list_filters_and_names_the_skip_reason(
    journey: Journey, login: Any
) -> None:
    client = login("analist")

    skipped = client.get("/contactmomenten/?status=skipped").content.decode()
    phone = client.get("/contactmomenten/?kanaal=phone&klantreis=bedanken-test").content.decode()
    nonsense = client.get("/contactmomenten/?kanaal=fax&status=weg")

    assert "1 contactmoment" in skipped and "geen geldige grondslag voor dit kanaal" in skipped
    assert "Carla Jansen" in skipped and "Anna Jansen" not in skipped
    assert "3 contactmomenten" in phone and "klaar voor medewerker" in phone
    assert nonsense.status_code == 200 and "6 contactmomenten" in nonsense.content.decode()


def test_the_enrollment_list_filters_by_step(journey: Journey, login: Any) -> None:
    client = login("kijker")

    waiting = client.get("/klantreizen/bedanken-test/deelnemers/?stap=gesprek").content.decode()
    done = client.get("/klantreizen/bedanken-test/deelnemers/?status=done").content.decode()

    assert "3 deelnemers" in waiting and "Het gesprek" in waiting
    assert "0 deelnemers" in done and "Niemand gevonden" in done


def test_the_simulation_page_shows_weeks_hours_and_cost_and_keeps_nothing(
    journey: Journey, login: Any
) -> None:
    before = (Touchpoint.objects.count(), Enrollment.objects.count())

    page = login("kijker").get("/klantreizen/bedanken-test/simulatie/?dagen=30&rekenen=1")

    html = page.content.decode()
    assert "relaties zouden instappen" in html and "Per week en per kanaal" in html
    assert "uur werk voor medewerkers" in html and "€ " in html
    assert "min.." not in html and "min.</p>" in html  # the last rate closes the sentence
    assert (Touchpoint.objects.count(), Enrollment.objects.count()) == before


def test_a_strategist_pauses_a_journey(journey: Journey, login: Any) -> None:
    response = login("strateeg").post("/klantreizen/bedanken-test/status/", {"status": "paused"})

    assert response.status_code == 302
    assert Journey.objects.get(key="bedanken-test").status == "paused"


@pytest.mark.parametrize(
    ("role", "method", "url", "status"),
    [
        ("kijker", "get", "/klantreizen/", 200),
        ("kijker", "get", "/klantreizen/bedanken-test/", 200),
        ("kijker", "get", "/contactmomenten/", 200),
        ("kijker", "get", "/bellijst/", 403),
        ("kijker", "post", "/klantreizen/bedanken-test/status/", 403),
        ("analist", "get", "/klantreizen/bedanken-test/deelnemers/", 200),
        ("beller", "get", "/bellijst/", 200),
        ("beller", "get", "/klantreizen/", 403),
        ("beller", "get", "/taken/", 200),
        ("", "get", "/contactmomenten/", 403),
        ("", "get", "/taken/", 403),
        ("strateeg", "get", "/klantreizen/onbekend/", 404),
    ],
)
def test_every_journey_page_enforces_its_role(
    journey: Journey, login: Any, role: str, method: str, url: str, status: int
) -> None:
    client: Client = login(role)
    assert getattr(client, method)(url).status_code == status


def test_the_journey_pages_speak_english_on_request(journey: Journey, login: Any) -> None:
    client = login("beheerder")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    journey_map = client.get("/klantreizen/bedanken-test/").content.decode()
    calls = client.get("/bellijst/").content.decode()

    assert "The journey, step by step" in journey_map and "here now" in journey_map
    assert "Call list" in calls and "Call script" in calls and "Reached" in calls


def test_the_map_writes_rules_out_in_words_with_the_code_on_hover(seeded: None, login: Any) -> None:
    actions.install("nps-criticaster-nabellen")

    page = login("kijker").get("/klantreizen/nps-criticaster-nabellen/").content.decode()

    assert (
        '<dd title="trigger.band = &#x27;detractor&#x27;">'
        "Bij: vragenlijst beantwoord, als trigger: NPS-groep is criticaster "
        "(hoogstens eens per maand)</dd>"
    ) in page
    assert (
        '<span class="line" title="consent.phone">'
        "als mag gebeld worden → De service belt de criticaster</span>"
    ) in page
    assert (
        "als trigger: uitkomst is bereikt en trigger: herkomst is "
        "De service belt de criticaster</span>"
    ) in page
    assert "trigger.band" not in page.replace('title="trigger.band', "")


def test_who_left_the_journey_shows_the_reason_everywhere(journey: Journey, login: Any) -> None:
    from koers.giving.actions import cancel_mandate
    from koers.giving.models import Mandate
    from koers.relations.choices import EventSource

    cancel_mandate(Mandate.objects.get(reference="M-A1"), date(2026, 11, 3), source=EventSource.WEB)
    run_until(local(2026, 11, 4), date(2026, 11, 4))
    anna = Enrollment.objects.get(relation__first_name="Anna")
    client = login("kijker")

    listed = client.get("/klantreizen/bedanken-test/deelnemers/?status=exited").content.decode()
    on_map = client.get("/klantreizen/bedanken-test/").content.decode()
    relation = client.get(f"/relaties/{anna.relation_id}/").content.decode()

    assert anna.state == "exited" and anna.exit_reason == "mandate_cancelled"
    assert "1 deelnemer" in listed and "uitgestapt: machtiging opgezegd" in listed
    assert '?status=exited&amp;reden=mandate_cancelled">machtiging opgezegd</a> 1' in on_map
    assert "· machtiging opgezegd</span>" in relation  # the journey's row
    assert "Klantreis beëindigd · Bedanken en bellen · uitgestapt · machtiging opgezegd" in (
        relation
    )
