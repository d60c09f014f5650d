"""Surveys in touchpoints: one-click links in e-mail, a short code with QR on paper."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from pypdf import PdfReader

from koers.feedback.models import Invitation, SurveySkip
from koers.journeys.tests.conftest import donor, local
from koers.touchpoints.choices import SkipReason, Status
from koers.touchpoints.dispatch import dispatch
from koers.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db
NOW = local(2026, 11, 24, 10)


def touchpoint(relation: Any, channel: str, nature: str = "survey", n: str = "1") -> Touchpoint:
    return Touchpoint.objects.create(
        relation=relation, source="test:vraag", occurrence=n, channel=channel, nature=nature,
        planned_at=NOW,
        content={"subject": "Uw mening", "body": "Wat vindt u?", "survey": "nps-relatie"},
    )  # fmt: skip


def test_an_email_carries_eleven_one_click_answers(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    anna = donor("A1", "Anna")
    touchpoint(anna, "email")

    dispatch(NOW)

    text = mail.outbox[0].body
    invitation = Invitation.objects.get()
    assert "Hoe waarschijnlijk is het dat u ons aanbeveelt aan vrienden of familie?" in text
    assert [line.split(":")[0] for line in text.splitlines() if "/a/" in line] == [
        str(n) for n in range(11)
    ]
    assert "10: http://localhost:8000/a/" in text and "/?score=10" in text
    assert invitation.relation == anna


def test_a_letter_prints_the_short_address_with_its_code(settings: Any, tmp_path: Path) -> None:
    settings.KOERS_PRINT_DIR = tmp_path
    letter = touchpoint(donor("A1", "Anna"), "letter", nature="appreciate")

    dispatch(NOW)

    code = Invitation.objects.get().code
    shown = f"{code[:4]}-{code[4:8]}-{code[8:]}".upper()
    pdf = PdfReader(next(tmp_path.glob(f"letter-*/{letter.pk}.pdf")))
    assert f"http://localhost:8000/k/{shown}/" in pdf.pages[0].extract_text()


def test_a_survey_asked_too_soon_is_not_sent_and_the_skip_is_recorded(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    anna = donor("A1", "Anna")
    touchpoint(anna, "email", n="1")
    dispatch(NOW)
    second = touchpoint(anna, "email", n="2")

    dispatch(NOW)

    second.refresh_from_db()
    assert (second.status, second.skip_reason) == (Status.SKIPPED, SkipReason.SURVEY_THROTTLED)
    assert list(SurveySkip.objects.values_list("reason", flat=True)) == ["recent_survey"]
    assert len(mail.outbox) == 1


def test_a_journey_or_calendar_asking_for_an_unknown_instrument_is_refused(seeded: None) -> None:
    from koers.calendar.actions import save_plan
    from koers.calendar.plan import PlanError, parse_plan
    from koers.journeys.actions import publish
    from koers.journeys.definition import DefinitionError

    journey = {
        "key": "vraag", "name": "Vraag", "phase": "loyaliteit",
        "trigger": {"event": "gift.received"},
        "steps": [{"key": "mail", "kind": "action", "channel": "email", "nature": "survey",
                   "content": {"subject": "s", "body": "b", "survey": "tevredenheid"}}],
    }  # fmt: skip
    with pytest.raises(DefinitionError) as refused:
        publish(journey)
    assert refused.value.problems == [
        "stap 'mail'.content.survey: meetinstrument 'tevredenheid' bestaat niet; "
        "kies uit duim, nps-contact, nps-relatie"
    ]
    plan = parse_plan(
        {"key": "k", "name": "K", "moments": [
            {"key": "a", "name": "A", "when": {"date": "01-03"}, "groups": "all",
             "channels": ["email"], "nature": "appreciate",
             "content": {"subject": "s", "body": "b", "survey": "tevredenheid"}}]}
    )  # fmt: skip
    with pytest.raises(PlanError) as also:
        save_plan(plan)
    assert also.value.problems == [
        "moments[1] (a).content.survey: meetinstrument 'tevredenheid' bestaat niet; "
        "kies uit duim, nps-contact, nps-relatie"
    ]
