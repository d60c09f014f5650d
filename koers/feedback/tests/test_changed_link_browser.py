"""A score link changed by hand (`?score=²`) gets the question page with a hint, in chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from koers.feedback.models import Instrument, Response
from koers.feedback.tests.test_answer_pages import invitation_for, nps, url

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
__all__ = ["nps"]  # the fixture, used by name


def test_a_score_of_superscript_two_is_explained_and_nothing_is_kept(
    page: Any, live_server: Any, nps: Instrument, artifacts_dir: Path
) -> None:
    invitation = invitation_for("1", nps)

    page.goto(f"{live_server.url}{url(invitation)}?score=%C2%B2")

    page.wait_for_selector("text=Kies een cijfer van 0 tot en met 10.")
    assert page.locator("input[name=score]:checked").count() == 0
    page.screenshot(path=str(artifacts_dir / "antwoord-score-ongeldig.png"), full_page=True)
    assert not Response.objects.exists()
