"""The journey pages in Debian's chromium: the main map, a journey map, the call list."""

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
from koers.journeys.tests.test_pages import THANKS
from koers.touchpoints.models import Touchpoint

# Live-server tests commit; serialized_rollback restores what migrations created.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def travelled(quiet_channels: None, seeded: None) -> None:
    """The welcome flow and a thank-you journey with a call, run for three weeks."""
    actions.install("welkom-structureel")
    actions.publish(THANKS)
    start = date(2026, 11, 2)
    donor("A1", "Anna", monthly_cents=1000, started=start)
    donor("B2", "Bert", preferred="post", monthly_cents=5000, started=start)
    donor("C3", "Carla", channels=("email", "post"), monthly_cents=1000, started=start)
    run_until(local(2026, 11, 3), date(2026, 11, 23))
    for name, role in (("sanne", "strateeg"), ("bob", "beller")):
        user = User.objects.create_user(username=name, password=PASSWORD)
        user.groups.add(Role.objects.get(name=role))


def test_a_strategist_reads_the_main_map_and_a_journey_map(
    page: Any, live_server: Any, travelled: None, artifacts_dir: Path
) -> None:
    log_in(page, live_server, "sanne", "/klantreizen/")
    page.screenshot(path=str(artifacts_dir / "klantreizen.png"), full_page=True)

    page.set_viewport_size({"width": 1440, "height": 900})
    page.click("text=Welkom nieuwe structurele donateur")
    page.wait_for_selector("h2:has-text('De reis, stap voor stap')")
    page.screenshot(path=str(artifacts_dir / "klantreis-kaart.png"), full_page=True)

    steps = page.locator(".step-head strong").all_inner_texts()
    assert steps[:3] == [
        "Bedankmail met bevestiging van de machtiging",
        "Een week na de aanmelding",
        "Grote of gewone gift?",
    ]
    assert "Tussen contacten" in page.locator("section.card dl").first.inner_text()
    assert page.locator(".badge.truth").count() == 3  # thank-you mail, card, thank-you call
    assert page.locator(".emotion-lane .dot").count() >= 8
    # All 15 steps are on the screen at 1440 pixels, in bands of five: nothing hides sideways.
    assert page.locator(".journey-map").count() == 3
    heads = page.locator(".step-head")
    assert heads.count() == 15
    for index in range(15):
        box = heads.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1440
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator(".emotion-scale .tick").first.inner_text() == "+2 heel positief"
    assert "Het belteam belt van de bellijst" in page.locator(".backstage").all_inner_texts()[7]
    assert page.locator(".note.pain").count() == 3 and page.locator(".note.chance").count() == 2
    page.emulate_media(media="print")
    page.pdf(path=str(artifacts_dir / "klantreis-kaart.pdf"), landscape=True, format="A4")
    assert not page.locator("header.top").is_visible()


def test_the_main_map_shows_all_nine_phases_and_every_group_at_1440_pixels(
    page: Any, live_server: Any, travelled: None, artifacts_dir: Path
) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, live_server, "sanne", "/hoofdkaart/")
    page.screenshot(path=str(artifacts_dir / "hoofdkaart.png"), full_page=True)

    phases = page.locator(".mm-phase")
    assert phases.count() == 9
    last = phases.nth(8).bounding_box()
    assert last["x"] + last["width"] <= 1440
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert "Alle relaties" in page.locator(".mm-group").first.inner_text()
    assert page.locator(".mm-cell.gap").count() > 0
    page.click("text=Groter weergeven")
    assert phases.nth(8).bounding_box()["x"] > 1440  # enlarged, the map scrolls sideways
    page.keyboard.press("Space")  # the checkbox keeps focus: back to fit with the keyboard
    assert phases.nth(8).bounding_box()["x"] < 1440


def test_a_caller_records_an_outcome_and_the_call_leaves_the_list(
    page: Any, live_server: Any, travelled: None, artifacts_dir: Path
) -> None:
    open_calls = Touchpoint.objects.filter(channel="phone", status="open").count()
    log_in(page, live_server, "bob", "/bellijst/")
    page.screenshot(path=str(artifacts_dir / "bellijst.png"))
    first = page.locator("article.call").first
    name = first.locator("h2 a").inner_text()

    first.locator("input[name=note]").fill("Adres klopt nog")
    first.locator("button:has-text('Bereikt')").click()

    page.wait_for_selector(f"text=Uitkomst 'bereikt' is opgeslagen bij {name}.")
    assert Touchpoint.objects.filter(channel="phone", status="open").count() == open_calls - 1
    left = page.locator("p.count").inner_text()
    assert left.startswith(str(open_calls - 1))
