"""Late moments of truth, the call list and the caller's home in Debian's chromium."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import User

from koers.clock.tick import run_until
from koers.conftest import PASSWORD, log_in
from koers.journeys import actions
from koers.journeys.tests.conftest import donor, local
from koers.journeys.tests.test_truth import CALL_BACK

# Live-server tests commit; serialized_rollback restores what migrations created.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def nobody_called(quiet_channels: None, seeded: None) -> None:
    """The welcome flow and a thank-you call within a day, three weeks in November 2026 in
    which nobody made a call: every call is past its deadline by the time of the test."""
    actions.install("welkom-structureel")
    actions.publish(CALL_BACK)
    start = date(2026, 11, 2)
    donor("A1", "Anna", monthly_cents=1000, started=start)
    donor("B2", "Bert", preferred="post", monthly_cents=5000, started=start)
    donor("C3", "Carla", channels=("email", "post", "phone"), monthly_cents=1000, started=start)
    run_until(local(2026, 11, 3), date(2026, 11, 23))
    for name, role in (("sanne", "strateeg"), ("bob", "beller")):
        user = User.objects.create_user(username=name, password=PASSWORD)
        user.groups.add(Role.objects.get(name=role))


def keep(artifacts_dir: Path, name: str, page: Any) -> None:
    page.screenshot(path=str(artifacts_dir / name), full_page=True)


def test_the_strategist_sees_late_moments_of_truth_in_red_on_the_home_page(
    page: Any, live_server: Any, nobody_called: None, artifacts_dir: Path
) -> None:
    log_in(page, live_server, "sanne", "/")
    keep(artifacts_dir, "home-te-laat.png", page)

    badge = page.locator(".truth-alerts .badge.truth-late").first
    assert badge.inner_text() == "3 te laat · 0 % op tijd"
    # Red with white text: the colours of the stylesheet, not small black text.
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(164, 22, 26)"
    page.click(".truth-alerts a >> nth=0")
    page.wait_for_selector(".journey-map")
    assert page.locator(".timeliness .badge.truth-late").count() >= 1


def test_the_caller_sees_their_own_work_and_how_late_each_call_is(
    page: Any, live_server: Any, nobody_called: None, artifacts_dir: Path
) -> None:
    log_in(page, live_server, "bob", "/")
    keep(artifacts_dir, "beller-overzicht.png", page)

    assert page.locator("h1").inner_text() == "Uw werk"
    assert "actieve relaties" not in page.content()
    page.click("text=Naar de bellijst")
    page.wait_for_selector("h1:has-text('Bellijst')")
    keep(artifacts_dir, "bellijst.png", page)

    first = page.locator("article.call").first
    assert "dagen te laat" in first.locator(".badge.overdue").inner_text()
    assert first.locator(".badge.attempt").inner_text() == "poging 1 van 3"


def test_a_keyboard_user_skips_the_menu_to_the_content(
    page: Any, live_server: Any, nobody_called: None
) -> None:
    log_in(page, live_server, "sanne", "/")

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    top = page.evaluate("document.activeElement.getBoundingClientRect().top")
    page.keyboard.press("Enter")

    assert (focused, top >= 0) == ("skip-link", True)
    assert page.evaluate("document.activeElement.id") == "inhoud"
