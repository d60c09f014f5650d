"""The appreciation calendar in Debian's chromium: install, add a moment, read the year."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from koers.calendar import actions
from koers.calendar.models import Calendar
from koers.conftest import PASSWORD, log_in
from koers.groups.facts import refresh_facts
from koers.tests.people import donor

# Live-server tests commit; serialized_rollback restores what migrations created.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def strategist(seeded: None) -> str:
    """Sanne plans; three donors: two with a mandate, one who gives now and then."""
    donor("1", "Anna", monthly_cents=1500, started=date(2023, 3, 1))
    donor("2", "Bert", preferred="post", monthly_cents=10000, started=date(2021, 6, 15))
    donor("3", "Carla", channels=("email",))
    refresh_facts(timezone.now())
    user = User.objects.create_user(username="sanne", password=PASSWORD)
    user.groups.add(Role.objects.get(name="strateeg"))
    return "sanne"


def _add_spring_greeting(page: Any) -> None:
    page.fill("#id_name", "Lentegroet")
    page.select_option("#id_rule_kind", "weekday")
    # Waited for: the form's script is a file of its own now (no inline script under the CSP)
    expect(page.locator("#veld-day")).to_be_hidden()
    page.select_option("#id_n", label="laatste")
    page.select_option("#id_weekday", label="zondag")
    page.select_option("#id_month", label="maart")
    page.fill("#id_offset", "-2")
    page.check("label:has-text('Grote gevers') input")
    page.check("label:has-text('Structurele donateurs met machtiging') input")
    page.select_option("#id_channel_1", label="kaart")
    page.select_option("#id_channel_2", label="e-mail")
    page.select_option("#id_intensity", "3")
    page.fill("#id_cost", "2,75")
    page.fill("#id_body", "{{ aanhef }},\n\nDe lente is begonnen. Dank dat u ons steunt.")
    expect(page.locator("#veld-script")).to_be_hidden()  # no phone call among the channels


def test_a_strategist_plans_a_moment_and_reads_the_year(
    page: Any, live_server: Any, strategist: str, artifacts_dir: Path
) -> None:
    year = timezone.localdate().year
    log_in(page, live_server, strategist, "/kalender/")
    page.click("button:has-text('Voorbeeldkalender installeren')")
    page.wait_for_selector("h1:has-text('Waarderingskalender (voorbeeld)')")
    page.screenshot(path=str(artifacts_dir / "kalender.png"), full_page=True)

    page.click("text=Moment toevoegen")
    _add_spring_greeting(page)
    page.click("button:has-text('Opslaan')")
    # E-mail is the second choice, so the e-mail needs a subject: the form says so.
    page.wait_for_selector("#veld-subject .error:has-text('het moment kan per e-mail gaan')")
    page.screenshot(path=str(artifacts_dir / "kalender-moment.png"), full_page=True)
    page.fill("#id_subject", "De lente is begonnen")
    page.click("button:has-text('Opslaan')")

    page.wait_for_selector("text=Moment 'Lentegroet' is opgeslagen.")
    row = page.locator("#moment-lentegroet")
    assert "Laatste zondag van maart, 2 dagen ervoor" in row.inner_text()
    assert Calendar.objects.get().moments.get(key="lentegroet").cost_cents == 275

    page.click(f"text=Jaaroverzicht {year}")
    page.wait_for_selector("h2:has-text('Controles')")
    assert page.locator("article.check").count() == 5
    assert page.locator("svg.bar-chart").count() == 2
    assert page.locator("svg.bar-chart title").first.text_content() == "Contactmomenten per maand"
    page.click("text=Klantreizen meetellen")
    page.wait_for_selector("text=Inclusief de bedankjes uit de klantreizen")
    assert page.url.endswith(f"/kalender/voorbeeld/jaar/{year}/?klantreizen=1")
    page.screenshot(path=str(artifacts_dir / "kalender-jaar.png"), full_page=True)


def test_the_year_in_english_is_worked_out_in_the_background_and_appears_by_itself(
    page: Any, live_server: Any, strategist: str, artifacts_dir: Path, queued_tasks: Any
) -> None:
    year = timezone.localdate().year
    actions.install("example")
    log_in(page, live_server, strategist, "/kalender/")
    page.click("button:has-text('English')")
    page.wait_for_selector("h1:has-text('Appreciation calendar')")

    # Asked for, the year is queued: the page shows how far it is and keeps asking
    page.goto(f"{live_server.url}/kalender/voorbeeld/jaar/{year}/?klantreizen=1")
    page.wait_for_selector("h2:has-text('The year overview with the journeys is being worked out')")
    page.screenshot(path=str(artifacts_dir / "kalender-jaar-bezig-en.png"), full_page=True)

    # The worker works it out; the page fills itself in without a reload
    queued_tasks()
    page.wait_for_selector("h2:has-text('Overview per group and month')", timeout=20_000)
    assert page.locator("article.check").count() == 5
    text = page.locator("main").inner_text()
    assert "Including the thank-yous of the journeys" in text
    assert "Is every group appreciated at least once a year?" in text
    for dutch in ("Controles", "keer waarderen", "januari", "mrt", "€ "):
        assert dutch not in text
    page.screenshot(path=str(artifacts_dir / "kalender-jaar-en.png"), full_page=True)
