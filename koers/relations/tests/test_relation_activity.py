"""The relation page shows what Koers does with the relation: its journeys (where it is and
what comes next), its contacts with the reasons for those skipped, calls, tasks and survey
answers, on the timeline and as sections, by name and never by key."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from koers.calendar import actions as calendar_actions
from koers.feedback.models import Instrument, Response
from koers.journeys import actions as journey_actions
from koers.journeys.engine import tick
from koers.journeys.tests.conftest import donor, local
from koers.journeys.tests.test_detractor_follow_up import answer_nps
from koers.relations.models import Relation
from koers.touchpoints.actions import record_call_outcome
from koers.touchpoints.choices import CallOutcome, SkipReason, Status
from koers.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
FOLLOW_UP = "nps-criticaster-nabellen"


@pytest.fixture(autouse=True)
def monday() -> Iterator[None]:
    with time_machine.travel(local(2026, 3, 9, 10), tick=False):
        yield


def touchpoint(relation: Relation, source: str, **fields: Any) -> Touchpoint:
    values: dict[str, Any] = {"occurrence": "1", "channel": "email", "nature": "service"}
    values["planned_at"] = local(2026, 3, 2)
    return Touchpoint.objects.create(relation=relation, source=source, **{**values, **fields})


@pytest.fixture
def anna(seeded: None, quiet_channels: None) -> Relation:
    """Anna gave a 3 on the NPS question on Friday: the service was to call her, did not
    reach her on Monday and calls again; she was also sent the Christmas card and had a
    task and an e-mail of the follow-up that was skipped."""
    journey_actions.install(FOLLOW_UP)
    calendar_actions.install("example")
    anna = donor("A1", "Anna")
    answer_nps(anna, 3, local(2026, 3, 6, 16), comment="Ik hoor nooit iets")
    tick(local(2026, 3, 6, 16, 5))
    call = Touchpoint.objects.get(relation=anna, channel="phone")
    Touchpoint.objects.filter(pk=call.pk).update(status=Status.OPEN)
    record_call_outcome(call, CallOutcome.NO_ANSWER, at=local(2026, 3, 9, 9, 30))
    Response.objects.create(
        instrument=Instrument.objects.get(key="nps-relatie"),
        relation=anna,
        score=3,
        comment="Ik hoor nooit iets",
        status="confirmed",
        answered_at=local(2026, 3, 6, 16),
    )
    touchpoint(anna, "calendar:voorbeeld:kerst", occurrence="2025", channel="card",
               nature="appreciate", planned_at=local(2025, 12, 18), status=Status.SENT,
               sent_at=local(2025, 12, 18, 9))  # fmt: skip
    touchpoint(anna, f"journey:{FOLLOW_UP}:niet-bereikt", planned_at=local(2026, 2, 1),
               status=Status.SKIPPED, skip_reason=SkipReason.NO_CONSENT)  # fmt: skip
    touchpoint(anna, f"journey:{FOLLOW_UP}:service-taak", channel="task", role="beller",
               planned_at=local(2026, 1, 5), status=Status.DONE, outcome="done",
               done_at=local(2026, 1, 6, 11))  # fmt: skip
    return anna


def section(page: str, heading: str) -> str:
    """The text of the section under the heading with this id, tags stripped."""
    part = page.split(f'id="{heading}">')[1].split("</section>")[0]
    words = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(part)).split())
    # A tag between a word and its colon is no space on the page.
    return words.replace(" :", ":")


def test_the_journey_says_where_the_relation_is_and_what_comes_next(
    login: Login, anna: Relation
) -> None:
    page = login("kijker").get(f"/relaties/{anna.pk}/").content.decode()

    journeys = section(page, "h-klantreizen")
    assert journeys == (
        "Klantreizen (1) Klantreis Stand Nu bij Wat komt hierna "
        "Criticaster nabellen na een NPS-antwoord begonnen op 06-03-2026 onderweg "
        "Het gesprek sinds 06-03-2026 "
        "telefoon gepland op 06-03-2026 16:00 "
        "daarna, afhankelijk van de relatie: einde van de klantreis of Niet bereikt, e-mail van de service "
        "(op 13-03-2026 17:00)"
    )


def test_contacts_are_listed_with_their_state_and_why_one_was_skipped(
    login: Login, anna: Relation
) -> None:
    page = login("kijker").get(f"/relaties/{anna.pk}/").content.decode()

    contacts = section(page, "h-contactmomenten")
    assert contacts == (
        "Contactmomenten (4) Datum Wat Kanaal Aard Stand "
        "06-03-2026 16:00 Criticaster nabellen na een NPS-antwoord: De service belt de "
        "criticaster telefoon service klaar voor medewerker geen gehoor "
        "01-02-2026 09:00 Criticaster nabellen na een NPS-antwoord: Niet bereikt, e-mail van "
        "de service e-mail service overgeslagen geen geldige grondslag voor dit kanaal "
        "06-01-2026 11:00 Criticaster nabellen na een NPS-antwoord: Geen toestemming om te bellen, de service neemt contact op "
        "taak service afgehandeld gedaan "
        "18-12-2025 09:00 Kerstkaart kaart waarderen verstuurd"
    )


def test_calls_tasks_and_answers_have_sections_of_their_own(login: Login, anna: Relation) -> None:
    page = login("kijker").get(f"/relaties/{anna.pk}/").content.decode()

    assert section(page, "h-gesprekken") == (
        "Telefoongesprekken (1) Criticaster nabellen na een NPS-antwoord: De service belt de "
        "criticaster 06-03-2026 16:00 · klaar voor medewerker · geen gehoor · 1 poging"
    )
    assert section(page, "h-taken") == (
        "Taken (1) Criticaster nabellen na een NPS-antwoord: Geen toestemming om te bellen, de service neemt contact op (beller) "
        "06-01-2026 11:00 · afgehandeld · gedaan"
    )
    assert section(page, "h-antwoorden") == (
        "Antwoorden op vragenlijsten (1) NPS over de relatie: score 3 06-03-2026 16:00 "
        "Ik hoor nooit iets"
    )


def test_the_timeline_puts_contacts_and_journeys_with_the_events(
    login: Login, anna: Relation
) -> None:
    page = login("kijker").get(f"/relaties/{anna.pk}/").content.decode()

    timeline = section(page, "h-tijdlijn")
    assert timeline.startswith("Tijdlijn 09-03-2026 Gesprek gevoerd · telefoon · geen gehoor ")
    assert "gepland Criticaster nabellen na een NPS-antwoord: De service belt de criticaster" in (
        timeline
    )
    assert "Klantreis begonnen · Criticaster nabellen na een NPS-antwoord" in timeline
    assert (
        "01-02-2026 Criticaster nabellen na een NPS-antwoord: Niet bereikt, e-mail van de "
        "service · e-mail · overgeslagen · geen geldige grondslag voor dit kanaal"
    ) in timeline
    assert "18-12-2025 Kerstkaart · kaart · verstuurd" in timeline
    assert "Vragenlijst beantwoord · e-mail · score 3" in timeline
    # Names, never the keys the engine uses
    assert "journey:" not in page and "calendar:voorbeeld" not in page


def test_a_relation_with_hundreds_of_contacts_shows_the_latest_and_offers_the_rest(
    login: Login, anna: Relation, django_assert_max_num_queries: Any
) -> None:
    Touchpoint.objects.bulk_create(
        Touchpoint(relation=anna, source="calendar:voorbeeld:kerst", occurrence=str(n),
                   channel="email", nature="appreciate", status=Status.SENT,
                   planned_at=local(2020, 1, 1) + timedelta(days=n),
                   sent_at=local(2020, 1, 1) + timedelta(days=n))
        for n in range(400)
    )  # fmt: skip
    viewer = login("kijker")

    with django_assert_max_num_queries(30):
        page = viewer.get(f"/relaties/{anna.pk}/").content.decode()
    everything = viewer.get(f"/relaties/{anna.pk}/?contactmomenten=alle").content.decode()

    contacts = section(page, "h-contactmomenten")
    assert contacts.startswith("Contactmomenten (404)")
    assert contacts.count(" Kerstkaart ") == 22
    assert contacts.endswith("Alle 404 contactmomenten tonen")
    assert section(everything, "h-contactmomenten").count(" Kerstkaart ") == 401


def test_a_relation_without_journeys_or_contacts_says_so(login: Login, seeded: None) -> None:
    bert = donor("B2", "Bert")

    page = login("kijker").get(f"/relaties/{bert.pk}/").content.decode()

    assert "Deze relatie is (nog) in geen enkele klantreis gestapt." in page
    assert "Nog geen contactmomenten gepland of gemaakt." in page
    assert "Geen telefoongesprekken." in page
    assert "Nog geen antwoorden." in page


def test_the_relation_page_reads_in_english_with_english_dates(
    login: Login, anna: Relation
) -> None:
    viewer = login("kijker")
    viewer.cookies["django_language"] = "en"

    page = viewer.get(f"/relaties/{anna.pk}/").content.decode()

    assert section(page, "h-klantreizen").endswith(
        "Criticaster nabellen na een NPS-antwoord started on 6 Mar 2026 travelling "
        "Het gesprek since 6 Mar 2026 phone planned on 6 Mar 2026 16:00 "
        "then, depending on the relation: end of the journey or Niet bereikt, e-mail van de "
        "service (on 13 Mar 2026 17:00)"
    )
    assert section(page, "h-gesprekken").endswith(
        "6 Mar 2026 16:00 · ready for staff · no answer · 1 attempt"
    )
    assert "skipped no valid legal basis for this channel" in section(page, "h-contactmomenten")
    assert section(page, "h-tijdlijn").startswith(
        "Timeline 9 Mar 2026 Call made · phone · no answer "
    )
