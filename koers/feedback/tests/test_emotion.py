"""Measured emotion per journey step, on the map's -2..+2 scale, next to the designed one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from koers.feedback.choices import ResponseSource, ResponseStatus
from koers.feedback.emotion import measured
from koers.feedback.models import Instrument, Response
from koers.journeys import actions
from koers.journeys.models import Journey
from koers.journeys.tests.conftest import donor, local
from koers.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db


def answer(step: str, instrument: str, score: int, status: str = "confirmed") -> None:
    relation = donor(f"R{Response.objects.count()}", "Anna")
    touchpoint = Touchpoint.objects.create(
        relation=relation, source=f"journey:welkom-structureel:{step}", occurrence="1.1",
        step=step, channel="email", nature="thank", planned_at=local(2026, 11, 1),
    )  # fmt: skip
    Response.objects.create(
        instrument=Instrument.objects.get(key=instrument), relation=relation,
        touchpoint=touchpoint, score=score, status=status, source=ResponseSource.DEMO,
        answered_at=local(2026, 11, 2),
    )  # fmt: skip


def test_answers_to_a_steps_contacts_are_averaged_on_the_emotion_scale() -> None:
    answer("bedankmail", "nps-contact", 10)  # 10/10*4-2 = +2
    answer("bedankmail", "nps-contact", 5)  # 5/10*4-2 = 0
    answer("bedankmail", "duim", 0)  # thumbs down = -2
    answer("bedankmail", "duim", 1, status=ResponseStatus.PROVISIONAL)  # not counted
    answer("welkomstbrief", "duim", 1)  # +2

    found = measured("welkom-structureel")

    assert found == {"bedankmail": (0.0, 3), "welkomstbrief": (2.0, 1)}


def test_the_journey_map_shows_the_measured_emotion(
    seeded: None, login: Callable[[str], Client]
) -> None:
    actions.install("welkom-structureel")
    answer("bedankmail", "nps-contact", 9)  # 9/10*4-2 = +1.6
    journey = Journey.objects.get(key="welkom-structureel")

    page = login("analist").get(f"/klantreizen/{journey.key}/").content.decode()

    assert "Gemeten beleving" in page
    assert '<strong>+1,6</strong> <span class="muted">(n = 1)</span>' in page
