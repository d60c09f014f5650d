"""Touchpoints named by their journey and step, or their calendar moment: never by code."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from koers.calendar.models import Calendar, Moment
from koers.feedback.choices import ResponseSource, ResponseStatus
from koers.feedback.models import Instrument, Response
from koers.journeys import actions
from koers.journeys.models import Enrollment
from koers.journeys.tests.conftest import donor, local
from koers.journeys.tests.test_pages import THANKS
from koers.touchpoints.models import Touchpoint
from koers.touchpoints.sources import SourceName, name_sources

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts(seeded: None) -> dict[str, Touchpoint]:
    """A call and a task from a journey, and a call and a task from a calendar moment."""
    version = actions.publish(THANKS)
    journey = version.journey
    calendar = Calendar.objects.create(key="voorbeeld", name="Waarderingskalender 2027")
    for key, name in (("verjaardag", "Verjaardag"), ("kerst", "Kerstkaart")):
        Moment.objects.create(
            calendar=calendar, key=key, name=name, trigger="birthday", nature="appreciate"
        )
    anna = donor("A1", "Anna")
    enrollment = Enrollment.objects.create(
        journey=journey,
        version=version,
        relation=anna,
        step="bel",
        entered_at=local(2026, 11, 2),
        step_entered_at=local(2026, 11, 2),
    )

    def made(source: str, channel: str, **fields: Any) -> Touchpoint:
        return Touchpoint.objects.create(
            relation=anna,
            source=source,
            occurrence="1",
            channel=channel,
            nature="thank",
            status="open",
            planned_at=local(2026, 11, 3),
            **fields,
        )

    return {
        "journey call": made(
            "journey:bedanken-test:bel", "phone", journey=journey, enrollment=enrollment, step="bel"
        ),
        "journey task": made(
            "journey:bedanken-test:kaart",
            "task",
            journey=journey,
            step="kaart",
            role="strateeg",
            content={"role": "strateeg"},
        ),
        "moment call": made("calendar:voorbeeld:verjaardag", "phone", content={"script": "Feli"}),
        "moment task": made(
            "calendar:voorbeeld:kerst", "task", role="strateeg", content={"title": ""}
        ),
    }


def test_sources_are_named_by_journey_and_step_or_by_moment_and_calendar(
    contacts: dict[str, Touchpoint],
) -> None:
    codes = [t.source for t in contacts.values()] + ["journey:weg:stap", "import:2026"]

    names = name_sources(codes)

    assert names == {
        "journey:bedanken-test:bel": SourceName(
            "journey", "Bedanken en bellen", "Bedankbelletje", "bedanken-test"
        ),
        "journey:bedanken-test:kaart": SourceName(
            "journey", "Bedanken en bellen", "Kaart schrijven", "bedanken-test"
        ),
        "calendar:voorbeeld:verjaardag": SourceName(
            "calendar", "Waarderingskalender 2027", "Verjaardag", "voorbeeld"
        ),
        "calendar:voorbeeld:kerst": SourceName(
            "calendar", "Waarderingskalender 2027", "Kerstkaart", "voorbeeld"
        ),
        # A journey that is gone, and a source no journey or calendar made: as written.
        "journey:weg:stap": SourceName("journey", "weg", "stap", "weg"),
        "import:2026": SourceName("", "import:2026", "", ""),
    }


def test_the_contacts_list_names_journeys_steps_and_moments(
    contacts: dict[str, Touchpoint], login: Any
) -> None:
    page = login("analist").get("/contactmomenten/").content.decode()

    assert "Verjaardag" in page and "Waarderingskalender 2027" in page
    assert "Bedankbelletje" in page and "Kaart schrijven" in page
    assert ">calendar:" not in page
    assert 'muted">bel<' not in page and 'muted">kaart<' not in page
    assert 'title="calendar:voorbeeld:verjaardag"' in page  # the code, for whoever needs it


def test_the_contacts_filter_offers_journeys_and_calendar_moments_by_name(
    contacts: dict[str, Touchpoint], login: Any
) -> None:
    client = login("analist")

    page = client.get("/contactmomenten/").content.decode()
    moment = client.get("/contactmomenten/?bron=calendar:voorbeeld:verjaardag").content.decode()
    journey = client.get("/contactmomenten/?bron=journey:bedanken-test").content.decode()
    old_link = client.get("/contactmomenten/?klantreis=bedanken-test").content.decode()

    assert '<optgroup label="Klantreizen">' in page
    assert '<optgroup label="Waarderingskalender 2027">' in page
    assert '<option value="calendar:voorbeeld:verjaardag">Verjaardag</option>' in page
    assert '<option value="journey:bedanken-test">Bedanken en bellen</option>' in page
    assert "1 contactmoment" in moment and "Kerstkaart" not in moment.split('id="list"')[1]
    assert "2 contactmomenten" in journey and "2 contactmomenten" in old_link
    assert '<option value="calendar:voorbeeld:verjaardag" selected>Verjaardag</option>' in moment


def test_the_step_filter_names_the_step(contacts: dict[str, Touchpoint], login: Any) -> None:
    page = login("analist").get("/contactmomenten/?klantreis=bedanken-test&stap=bel")

    assert "Alleen stap Bedankbelletje." in page.content.decode()


def test_the_call_list_names_the_journey_step_or_the_moment(
    contacts: dict[str, Touchpoint], login: Any
) -> None:
    page = login("beller").get("/bellijst/").content.decode()

    assert "Bedanken en bellen: Bedankbelletje" in page
    assert "Waarderingskalender 2027: Verjaardag" in page


def test_the_task_list_names_a_task_without_a_title_by_its_step_or_moment(
    contacts: dict[str, Touchpoint], login: Any
) -> None:
    page = login("strateeg").get("/taken/").content.decode()

    assert "<strong>Kaart schrijven</strong>" in page
    assert "<strong>Kerstkaart</strong>" in page
    assert "Waarderingskalender 2027" in page
    assert "<strong>kaart</strong>" not in page


def test_feedback_per_step_and_per_moment_names_them(
    contacts: dict[str, Touchpoint], login: Any
) -> None:
    instrument = Instrument.objects.get(key="duim")
    for touchpoint in (contacts["journey call"], contacts["moment call"]):
        Response.objects.create(
            instrument=instrument,
            relation=touchpoint.relation,
            touchpoint=touchpoint,
            score=1,
            channel="phone",
            status=ResponseStatus.CONFIRMED,
            source=ResponseSource.IMPORT,
            answered_at=local(2026, 11, 5),
        )
    client = login("analist")

    steps = client.get("/feedback/duim/?per=step").content.decode()
    moments = client.get("/feedback/duim/?per=moment").content.decode()
    sheet = load_workbook(BytesIO(client.get("/feedback/duim/export.xlsx").content))

    assert "Bedanken en bellen: Bedankbelletje" in steps and "bedanken-test: bel" not in steps
    assert "Waarderingskalender 2027: Verjaardag" in moments
    assert "voorbeeld: verjaardag" not in moments
    cells = {str(c.value) for ws in sheet.worksheets for row in ws.iter_rows() for c in row}
    assert {"Bedanken en bellen: Bedankbelletje", "Waarderingskalender 2027: Verjaardag"} <= cells
