"""The seed's welcome flow, travelled day by day: exact touchpoints, dates and skip reasons."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core import mail

from koers.clock.tick import run_until
from koers.giving import actions as giving
from koers.giving.models import Mandate
from koers.journeys import actions
from koers.journeys.models import Enrollment
from koers.journeys.tests.conftest import donor, local
from koers.relations.choices import EventSource
from koers.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db


def four_new_donors() -> None:
    """Small and large gifts, e-mail and post preference, no phone consent, and Dirk."""
    actions.install("welkom-structureel")
    start = date(2026, 11, 2)
    anna = donor("A1", "Anna", monthly_cents=1000, started=start)
    bert = donor("B2", "Bert", preferred="post", monthly_cents=5000, started=start)
    carla = donor("C3", "Carla", channels=("email", "post"), monthly_cents=1000, started=start)
    donor("D4", "Dirk", monthly_cents=1000, started=start)
    for relation in (anna, bert, carla):
        mandate = Mandate.objects.get(relation=relation)
        giving.record_gift(
            relation.pk, date(2026, 11, 7), mandate.amount_cents,
            source=EventSource.IMPORT, mandate=mandate,
        )  # fmt: skip


def cancel_on_day_three(now: Any) -> None:
    """Dirk cancels his mandate on Thursday 5 November, at noon."""
    if now.date() == date(2026, 11, 5):
        dirk = Mandate.objects.get(reference="M-D4")
        giving.cancel_mandate(dirk, date(2026, 11, 5), source=EventSource.IMPORT)


@pytest.fixture
def travelled(quiet_channels: None, seeded: None) -> None:
    """Four new structural donors on Monday 2 November 2026, and 60 days of daily ticks."""
    four_new_donors()
    run_until(local(2026, 11, 3), date(2026, 12, 31), progress=cancel_on_day_three)


def rows() -> list[tuple[str, str, str, str, str, str, str]]:
    def shown(moment: Any) -> str:
        return moment.astimezone(local(2026, 1, 1).tzinfo).strftime("%d-%m %H:%M") if moment else ""

    return [
        (t.relation.external_id, t.step, t.channel, t.status, t.skip_reason,
         shown(t.planned_at), shown(t.sent_at))
        for t in Touchpoint.objects.select_related("relation").order_by("relation__external_id", "id")
    ]  # fmt: skip


EXPECTED = [
    ("A1", "bedankmail", "email", "sent", "", "02-11 12:00", "03-11 09:00"),
    ("A1", "welkomstbrief", "letter", "sent", "", "09-11 12:00", "10-11 09:00"),
    ("A1", "bedankbelletje", "phone", "open", "", "16-11 12:00", "17-11 09:00"),
    ("A1", "kennismaking", "email", "sent", "", "23-11 12:00", "24-11 09:00"),
    ("A1", "tweede-mailing", "email", "sent", "", "15-12 09:00", "15-12 09:00"),
    ("B2", "bedankmail", "email", "sent", "", "02-11 12:00", "03-11 09:00"),
    ("B2", "handgeschreven-kaart", "task", "open", "", "09-11 12:00", "10-11 09:00"),
    # Two days after the card: the journey keeps its contacts apart (min_gap).
    ("B2", "directeur-belt", "task", "open", "", "11-11 12:00", "12-11 09:00"),
    ("B2", "bedankbelletje", "phone", "open", "", "16-11 12:00", "17-11 09:00"),
    ("B2", "kennismaking", "letter", "sent", "", "23-11 12:00", "24-11 09:00"),
    ("B2", "tweede-mailing", "letter", "sent", "", "15-12 09:00", "15-12 09:00"),
    ("C3", "bedankmail", "email", "sent", "", "02-11 12:00", "03-11 09:00"),
    ("C3", "welkomstbrief", "letter", "sent", "", "09-11 12:00", "10-11 09:00"),
    ("C3", "bedankbelletje", "phone", "skipped", "no_consent", "16-11 12:00", ""),
    ("C3", "kennismaking", "email", "sent", "", "23-11 12:00", "24-11 09:00"),
    ("C3", "tweede-mailing", "email", "sent", "", "15-12 09:00", "15-12 09:00"),
    ("D4", "bedankmail", "email", "sent", "", "02-11 12:00", "03-11 09:00"),
]


def test_the_welcome_flow_makes_exactly_these_touchpoints(travelled: None) -> None:
    assert rows() == EXPECTED


def test_the_thank_you_mail_is_sent_within_its_24_hour_deadline(travelled: None) -> None:
    thanks = Touchpoint.objects.filter(step="bedankmail")
    assert [(t.sent_at or t.planned_at) <= (t.deadline or t.planned_at) for t in thanks] == [
        True
    ] * 4
    assert {t.deadline for t in thanks} == {local(2026, 11, 3, 12)}


def test_the_cancelled_mandate_ends_the_journey_on_the_next_tick(travelled: None) -> None:
    dirk = Enrollment.objects.get(relation__external_id="D4")
    assert (dirk.state, dirk.exit_reason, dirk.ended_at) == (
        "exited", "mandate_cancelled", local(2026, 11, 6),
    )  # fmt: skip
    others = Enrollment.objects.exclude(relation__external_id="D4")
    assert sorted(others.values_list("state", "step")) == [("done", "einde")] * 3


def test_the_mails_arrive_in_the_donors_language_with_an_unsubscribe_link(travelled: None) -> None:
    first = mail.outbox[0]
    assert first.to == ["anna@example.org"]
    assert first.subject == "Dank u wel, Anna: uw machtiging is geregeld"
    assert "Uw machtiging van € 10,00" in first.body
    assert "Afmelden: http://localhost:8000/afmelden/" in first.body
    assert first.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert len(mail.outbox) == 8
