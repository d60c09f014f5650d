"""The demo's answers: realistic, confirmed, and the same for the same seed."""

from __future__ import annotations

from datetime import date

import pytest

from koers.feedback.demo import make_answers
from koers.feedback.models import Response
from koers.feedback.stats import nps
from koers.journeys.tests.conftest import donor
from koers.relations.models import Event

pytestmark = pytest.mark.django_db


def test_about_one_relation_in_seven_answers_the_relational_question() -> None:
    for number in range(700):
        donor(str(number), f"Donor{number}")

    count = make_answers(seed=3, today=date(2026, 11, 24))
    first = list(Response.objects.order_by("relation_id").values_list("score", flat=True))
    Response.objects.all().delete()
    make_answers(seed=3, today=date(2026, 11, 24))
    again = list(Response.objects.order_by("relation_id").values_list("score", flat=True))

    assert first == again
    assert 70 < count < 130
    assert set(Response.objects.values_list("status", "source", "instrument__key")) == {
        ("confirmed", "demo", "nps-relatie")
    }
    result = nps(s for s in first if s is not None)
    assert result.score is not None and 0 < result.score < 50


def test_every_demo_answer_is_an_event_as_a_real_one_would_be() -> None:
    for number in range(300):
        donor(str(number), f"Donor{number}")

    count = make_answers(seed=3, today=date(2026, 11, 24))

    events = Event.objects.filter(kind="survey.answered")
    assert events.count() == count
    pairs = {(r.relation_id, r.answered_at, r.score) for r in Response.objects.all()}
    assert {(e.relation_id, e.occurred_at, e.data["score"]) for e in events} == pairs
    for event in events:
        score = event.data["score"]
        band = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
        assert (event.source, event.data["instrument"], event.data["band"]) == (
            "demo", "nps-relatie", band
        )  # fmt: skip
