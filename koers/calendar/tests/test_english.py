"""The calendar pages in English: words, month names, menu, numbers and dates all English;
the same pages in Dutch keep Dutch figures."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from koers.calendar.models import Calendar
from koers.tests.people import local

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]


@pytest.fixture(autouse=True)
def december() -> Iterator[None]:
    with time_machine.travel(local(2026, 12, 2), tick=False):
        yield


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def words(response: Any) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(response.content.decode())).split())


def test_the_year_overview_reads_in_english(
    login: Login, only_major_donors: Calendar, structural_donor: Any
) -> None:
    page = words(english(login("kijker")).get("/kalender/alleen-groot/jaar/2027/"))

    # The menu, the headings, the checks and their findings
    assert "Appreciation calendar" in page and "Waarderingskalender" not in page
    assert "Year overview 2027" in page
    assert "Is every group appreciated at least once a year?" in page
    assert (
        "Structurele donateurs met machtiging: 1 of the 1 relations gets no appreciation at all "
        "this year."
    ) in page
    assert "How do thanks and appreciation compare per group?" in page
    # Month names in the charts and the overview table
    assert "December: appreciated 0 times, thanked 0 times" in page
    assert " Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec " in page
    assert "All relations" in page
    # Money the English way
    assert "€0.00" in page and "€ 0,00" not in page
    for dutch in ("Controles", "niet in orde", "keer waarderen", "mrt", "okt", "januari"):
        assert dutch not in page


def test_the_calendar_page_describes_its_moments_in_english(
    login: Login, example: Calendar
) -> None:
    page = words(english(login("kijker")).get("/kalender/voorbeeld/"))

    assert "Yearly calendar" in page
    assert "Every year on the day of the first gift" in page
    assert "After 5 years of support" in page
    assert "Nieuwjaarsdag, 2 days after" in page
    assert "€2.50" in page


def test_the_same_year_in_dutch_keeps_dutch_words_and_figures(
    login: Login, only_major_donors: Calendar, structural_donor: Any
) -> None:
    page = words(login("kijker").get("/kalender/alleen-groot/jaar/2027/"))

    assert "Krijgt iedere groep minstens één keer per jaar waardering?" in page
    assert " jan feb mrt apr mei jun jul aug sep okt nov dec " in page
    assert "€ 0,00" in page
