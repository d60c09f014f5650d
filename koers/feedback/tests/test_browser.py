"""An NPS survey answered end to end: from the link in an e-mail to the thank-you page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from koers.channels.tests.test_email_smtp import body
from koers.conftest import Inbox
from koers.feedback.choices import InstrumentKind, ResponseStatus, Scope
from koers.feedback.models import Instrument, Response
from koers.journeys.tests.conftest import donor
from koers.touchpoints.dispatch import dispatch
from koers.touchpoints.models import Touchpoint

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def live_smtp(smtp: Inbox, settings: Any, live_server: Any) -> Inbox:
    """The local SMTP server, with the links in e-mail pointing at the live server."""
    settings.KOERS_BASE_URL = live_server.url
    return smtp


def test_a_donor_answers_the_nps_question_from_the_email(
    page: Any, live_server: Any, live_smtp: Inbox, seeded: None, artifacts_dir: Path
) -> None:
    # Given an NPS question in an e-mail, sent through the SMTP server
    Instrument.objects.update_or_create(
        key="nps-relatie",
        defaults={
            "name": "NPS relatie", "kind": InstrumentKind.NPS, "scope": Scope.RELATIONAL,
            "question": {
                "nl": "Hoe waarschijnlijk is het dat u ons aanbeveelt aan vrienden of familie?"
            },
            "follow_up": {"promoter": {"nl": "Wat waardeert u het meest aan ons?"},
                          "passive": {"nl": "Wat zou een 9 of 10 van ons maken?"},
                          "detractor": {"nl": "Wat moeten we volgens u beter doen?"}},
        },
    )  # fmt: skip
    anna = donor("A1", "Anna")
    now = timezone.now()
    Touchpoint.objects.create(
        relation=anna, source="test:nps", occurrence="1", channel="email", nature="survey",
        planned_at=now,
        content={"subject": "Uw mening", "body": "{{ aanhef }}\n\nWilt u ons iets vertellen?",
                 "survey": "nps-relatie"},
    )  # fmt: skip
    assert dispatch(now).sent == 1
    text = body(live_smtp.messages[0])
    link = re.search(r"^8: (\S+)$", text, re.MULTILINE)
    assert link is not None

    # When she follows the link for an 8 on her phone and confirms with a comment
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(link.group(1))
    assert page.is_checked("#score-8")
    assert page.locator("#follow-up").inner_text() == "Wat zou een 9 of 10 van ons maken?"
    page.click("label[for=score-9]")
    assert page.locator("#follow-up").inner_text() == "Wat waardeert u het meest aan ons?"
    page.fill("#comment", "Fijn dat jullie laten zien wat mijn gift doet.")
    page.screenshot(path=str(artifacts_dir / "nps-vraag.png"), full_page=True)
    page.click("button[type=submit]")

    # Then she sees the thank-you page and her answer counts
    page.wait_for_selector("h1:has-text('Dank u wel!')")
    page.screenshot(path=str(artifacts_dir / "nps-bedankt.png"), full_page=True)
    response = Response.objects.get()
    assert (response.score, response.status, response.comment) == (
        9,
        ResponseStatus.CONFIRMED,
        "Fijn dat jullie laten zien wat mijn gift doet.",
    )
