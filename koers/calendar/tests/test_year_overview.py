"""The year overview is worked out in the background, kept until the data or the calendar
changes, shows how far it is, and its downloads read the same stored result."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django_tasks_db.models import DBTaskResult

from koers.calendar import report
from koers.calendar.models import Calendar, Moment, OverviewStatus, YearOverview
from koers.calendar.progress import progress
from koers.giving.actions import record_gift
from koers.relations.choices import EventSource
from koers.tests.people import local

Login = Callable[[str], Client]
YEAR = "/kalender/voorbeeld/jaar/2027/"
WITH_JOURNEYS = YEAR + "?klantreizen=1"


@pytest.fixture(autouse=True)
def december() -> Iterator[None]:
    with time_machine.travel(local(2026, 12, 2), tick=False):
        yield


@pytest.fixture
def worked_out(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Counts the years worked out (with the journeys: True), as the background job runs."""
    calls: list[bool] = []
    real = report.work_out

    def counting(calendar: Calendar, year: int, **options: Any) -> Any:
        calls.append(options["journeys"])
        return real(calendar, year, **options)

    monkeypatch.setattr(report, "work_out", counting)
    return calls


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.django_db(transaction=True)
def test_the_year_is_queued_in_the_database_and_the_worker_works_it_out(
    login: Login, seeded: None, example: Calendar, structural_donor: Any, queued_tasks: Any
) -> None:
    viewer = login("kijker")

    # When the year with the journeys is asked for, the page answers at once with its progress
    waiting = text(viewer.get(WITH_JOURNEYS))

    assert "Het jaaroverzicht met de klantreizen wordt berekend" in waiting
    assert '<progress max="100" value="0"' in waiting
    assert 'hx-get="/kalender/voorbeeld/jaar/2027/?klantreizen=1" hx-trigger="load delay:1s"' in (
        waiting
    )
    assert 'id="kop-totaal"' not in waiting
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert YearOverview.objects.get().status == OverviewStatus.QUEUED

    # When the worker has run the queue, the page shows the overview
    queued_tasks()
    done = text(viewer.get(WITH_JOURNEYS, HTTP_HX_REQUEST="true"))

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    overview = YearOverview.objects.get()
    assert (overview.status, overview.year, overview.journeys) == (OverviewStatus.DONE, 2027, True)
    assert 'id="kop-totaal"' in done
    assert (
        "Inclusief de bedankjes uit de klantreizen (berekend op 02-12-2026 09:00; bewaard tot de gegevens of de kalender veranderen)"
        in done
    )
    assert "<html" not in done


@pytest.mark.django_db
def test_a_year_is_worked_out_once_until_the_data_or_the_calendar_changes(
    login: Login, example: Calendar, structural_donor: Any, worked_out: list[bool]
) -> None:
    viewer = login("kijker")

    viewer.get(WITH_JOURNEYS)
    viewer.get(WITH_JOURNEYS)
    viewer.get(YEAR)
    viewer.get(YEAR)
    assert worked_out == [True, False]

    # A moment edited: the calendar's plan changed
    Moment.objects.filter(key="kerst").update(intensity=4)
    viewer.get(WITH_JOURNEYS)
    assert worked_out == [True, False, True]

    # A gift received: the relation base changed
    record_gift(structural_donor.pk, local(2026, 12, 2).date(), 2500, source=EventSource.IMPORT)
    viewer.get(WITH_JOURNEYS)
    viewer.get(WITH_JOURNEYS)
    assert worked_out == [True, False, True, True]

    # The next day the year is worked out again: what is past and what is ahead moved
    with time_machine.travel(local(2026, 12, 3), tick=False):
        # A day later yesterday's session has ended (docs/security.md): log in again.
        viewer.force_login(User.objects.get(username="kijker-user"))
        viewer.get(WITH_JOURNEYS)
    assert worked_out == [True, False, True, True, True]
    # Older results of the same year are removed once a newer one is there
    assert YearOverview.objects.filter(journeys=True).count() == 1


@pytest.mark.django_db
def test_the_downloads_are_written_from_the_stored_year(
    login: Login, example: Calendar, structural_donor: Any, worked_out: list[bool]
) -> None:
    viewer = login("kijker")

    page = text(viewer.get(WITH_JOURNEYS))
    sheet = viewer.get(YEAR + "overzicht.xlsx?klantreizen=1")
    agenda = viewer.get(YEAR + "agenda.ics?klantreizen=1")
    sheet_again = viewer.get(YEAR + "overzicht.xlsx?klantreizen=1")

    assert worked_out == [True]
    assert 'href="/kalender/voorbeeld/jaar/2027/overzicht.xlsx?klantreizen=1"' in page
    assert sheet.content[:2] == b"PK" and sheet_again.content[:2] == b"PK"
    assert b"SUMMARY:Waarderingsmoment: Kerstkaart" in agenda.content.replace(b"\r\n ", b"")


@pytest.mark.django_db
def test_a_download_asked_for_while_the_year_is_worked_out_leads_to_its_progress(
    login: Login, example: Calendar, queued_tasks: Any
) -> None:
    response = login("kijker").get(YEAR + "agenda.ics?klantreizen=1", follow=True)

    assert response.redirect_chain == [(WITH_JOURNEYS, 302)]
    page = text(response)
    assert "Het jaaroverzicht wordt nog berekend; de download staat klaar zodra het af is." in page
    assert "Het jaaroverzicht met de klantreizen wordt berekend" in page


@pytest.mark.django_db
def test_a_year_nobody_works_on_says_so_and_a_failed_one_can_be_started_again(
    login: Login, example: Calendar, queued_tasks: Any
) -> None:
    viewer = login("kijker")
    viewer.get(WITH_JOURNEYS)
    overview = YearOverview.objects.get()

    with time_machine.travel(local(2026, 12, 2) + timedelta(seconds=20), tick=False):
        waiting = text(viewer.get(WITH_JOURNEYS))
    assert "vraag dan de beheerder of de achtergrondverwerking (koers db_worker) draait" in waiting

    YearOverview.objects.filter(pk=overview.pk).update(status=OverviewStatus.FAILED)
    failed = text(viewer.get(WITH_JOURNEYS))
    assert "Het jaaroverzicht kon niet worden berekend." in failed
    assert "hx-trigger" not in failed
    assert '<button class="primary" type="submit">Opnieuw berekenen</button>' in failed

    response = viewer.post(YEAR + "opnieuw/", {"klantreizen": "1"})
    assert response["Location"] == WITH_JOURNEYS
    assert YearOverview.objects.get().status == OverviewStatus.QUEUED
    assert DBTaskResult.objects.filter(status="READY").count() == 2


@pytest.mark.django_db
def test_a_year_that_is_worked_out_is_not_started_twice(
    login: Login, example: Calendar, queued_tasks: Any
) -> None:
    viewer = login("kijker")
    viewer.get(WITH_JOURNEYS)
    YearOverview.objects.update(status=OverviewStatus.RUNNING, started_at=local(2026, 12, 2))

    viewer.post(YEAR + "opnieuw/", {"klantreizen": "1"})

    assert YearOverview.objects.get().status == OverviewStatus.RUNNING
    assert DBTaskResult.objects.count() == 1


def _overview(**fields: Any) -> YearOverview:
    values = {"year": 2027, "journeys": True, "created_at": local(2026, 12, 2, 9)}
    return YearOverview(**{**values, **fields})


@pytest.mark.parametrize(
    ("fields", "text", "percent"),
    [
        ({"status": "running", "step": "base"}, "De relaties worden gelezen…", 0),
        (
            {"status": "running", "step": "journeys", "done_parts": 1, "total_parts": 2},
            "De klantreizen worden doorgerekend (2 van 2)…",
            48,
        ),
        ({"status": "running", "step": "forecast"}, "Het jaar wordt vooruit berekend…", 90),
        (
            {"status": "running", "step": "checks", "journeys": False},
            "De controles worden gedaan…",
            85,
        ),
        ({"status": "queued"}, "In de wachtrij…", 0),
    ],
)
def test_progress_says_what_is_being_done_and_how_far(
    fields: dict[str, Any], text: str, percent: int
) -> None:
    shown = progress(_overview(**fields), local(2026, 12, 2, 9))

    assert (shown.text, shown.percent, shown.may_retry) == (text, percent, False)


def test_a_year_running_for_a_quarter_of_an_hour_may_be_started_again() -> None:
    running = _overview(status="running", step="journeys", started_at=local(2026, 12, 2, 9))

    assert not progress(running, local(2026, 12, 2, 9, 14)).stuck
    assert progress(running, local(2026, 12, 2, 9, 16)).may_retry
