"""The main map: phases across, relation groups down, each cell with what serves it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from koers.calendar.actions import install as install_calendar
from koers.feedback.models import Instrument, Response
from koers.journeys import actions
from koers.journeys.models import Journey
from koers.journeys.tests.test_pages import THANKS
from koers.relations.models import Relation
from koers.touchpoints.models import Touchpoint
from koers.web.mainmap import main_map

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy() -> Journey:
    """A thank-you journey for loyal donors, five calls (four on time), seven NPS answers."""
    definition = copy.deepcopy(THANKS)
    definition["group"] = "trouwe-donateurs"
    journey = actions.publish(definition).journey
    relation = Relation.objects.create(external_id="1", first_name="Anna", last_name="Jansen")
    nps = Instrument.objects.create(key="nps-test", name="NPS", kind="nps", scope="transactional")
    for index in range(5):
        planned = NOW - timedelta(days=10 + index)
        touchpoint = Touchpoint.objects.create(
            relation=relation,
            source=f"journey:{journey.key}:mail",
            occurrence=str(index),
            journey=journey,
            step="mail",
            channel="email",
            nature="thank",
            planned_at=planned,
            deadline=planned + timedelta(days=2),
            status="sent",
            sent_at=planned + timedelta(days=1 if index else 3),
        )
        for score in (10, 9, 3) if index < 2 else (8,) if index == 2 else ():
            Response.objects.create(
                instrument=nps,
                relation=relation,
                touchpoint=touchpoint,
                score=score,
                status="confirmed",
                answered_at=planned,
            )
    return journey


def test_each_journey_and_moment_is_in_its_group_and_phase_with_its_figures(
    strategy: Journey,
) -> None:
    install_calendar("example")

    found = main_map(NOW, sizes=False)

    assert [phase.key for phase in found.phases] == [
        "werving", "eerste-contact", "bedanken", "welkom", "upsell",
        "cross-selling", "loyaliteit", "afscheid", "terugkomen",
    ]  # fmt: skip
    rows = {row.key: row for row in found.rows}
    assert found.rows[0].name == "Alle relaties"
    loyal = rows["trouwe-donateurs"]
    assert [item.name for item in loyal.cells[2]] == ["Bedanken en bellen"]
    figures = loyal.cells[2][0].figures
    assert (figures.contacts, figures.on_time, figures.timed) == (5, 4, 5)
    assert figures.on_time_percent == 80
    # 4 promoters, 1 passive, 2 detractors: too few for a score, n shown.
    assert figures.nps_text == "te weinig (n = 7)"
    assert figures.emotion_n == 7
    assert figures.emotion_text == "+1,0"  # mean score 52 / 7 on 0..10, mapped to -2..+2
    # The example calendar's appreciation moments are in Loyaliteit, none in Werving.
    assert any(item.kind == "moment" for item in loyal.cells[6])
    assert all(not row.cells[0] for row in found.rows)
    assert found.gaps == sum(1 for row in found.rows for cell in row.cells if not cell)
    assert found.cells == len(found.rows) * 9


def test_the_page_shows_every_phase_group_and_gap(
    login: Callable[[str], Client], strategy: Journey
) -> None:
    page = login("kijker").get("/hoofdkaart/").content.decode()

    assert page.count('class="mm-phase"') == 9
    assert "Trouwe donateurs" in page and "Bedanken en bellen" in page
    assert "80% op tijd" in page and "NPS te weinig (n = 7)" in page
    assert page.count('class="mm-cell gap"') == main_map(NOW, sizes=False).gaps


def test_a_caller_may_not_open_the_main_map(login: Callable[[str], Client]) -> None:
    assert login("beller").get("/hoofdkaart/").status_code == 403
