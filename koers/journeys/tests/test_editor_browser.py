"""The journey editor in Debian's chromium: checked while typing, each problem at its step,
and a refused publish that keeps the server's message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import User

from koers.conftest import PASSWORD, log_in
from koers.journeys import actions
from koers.journeys.models import JourneyVersion
from koers.journeys.tests.test_editor import STORED

# Live-server tests commit; serialized_rollback restores what migrations created.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

UNKNOWN_CHANNEL = "onbekend kanaal 'emial'"


@pytest.fixture
def strategist(seeded: None) -> None:
    actions.publish(STORED)
    user = User.objects.create_user(username="sanne", password=PASSWORD)
    user.groups.add(Role.objects.get(name="strateeg"))


def test_the_editor_checks_while_typing_and_keeps_the_servers_message(
    page: Any, live_server: Any, strategist: None, artifacts_dir: Path
) -> None:
    # Given an existing journey, opened in the editor
    log_in(page, live_server, "sanne", "/klantreizen/bedankt/bewerken/")
    page.wait_for_selector("#check .ok")
    assert page.locator("#check").inner_text() == "De klantreis klopt en kan worden gepubliceerd."

    # When a channel is mistyped, the live check says so at the step, while typing
    steps = page.locator("#id_steps")
    steps.fill(steps.input_value().replace("channel: email", "channel: emial"))
    place = page.locator("#check li.place[data-step='mail']")
    place.wait_for()
    assert UNKNOWN_CHANNEL in place.inner_text()
    assert "Dit veld is verplicht" not in page.locator("#check").inner_text()
    place.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "klantreis-bewerken-fout.png"), full_page=True)

    # And the line it names puts the cursor on the step
    place.locator("button.goto-line").click()
    selected = page.evaluate(
        "(() => { const s = document.getElementById('id_steps');"
        " return s.value.slice(s.selectionStart, s.selectionEnd); })()"
    )
    assert selected == "- key: mail"

    # When it is published anyway, the server refuses, and its message stays
    page.click("button.primary:has-text('Publiceren als nieuwe versie')")
    page.wait_for_selector("#published")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(800)  # longer than the live check's delay: it must not run
    published = page.locator("#published").inner_text()
    assert UNKNOWN_CHANNEL in published
    assert "Dit veld is verplicht" not in page.content()
    assert page.locator("#check").inner_text() == ""
    page.screenshot(path=str(artifacts_dir / "klantreis-publiceren-geweigerd.png"))
    assert JourneyVersion.objects.count() == 1
