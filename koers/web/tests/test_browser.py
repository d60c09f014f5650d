"""The pages as a person uses them, in Debian's chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import User

from koers.conftest import PASSWORD, log_in
from koers.relations.models import Relation

# Live-server tests commit; serialized_rollback restores the roles, levels and preset
# groups that migrations create, which a flush would otherwise remove.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def strategist(seeded: None, relations: dict[str, Relation]) -> str:
    user = User.objects.create_user(username="sanne", password=PASSWORD)
    user.groups.add(Role.objects.get(name="strateeg"))
    return "sanne"


def test_search_and_open_a_relation(
    page: Any, live_server: Any, strategist: str, artifacts_dir: Path
) -> None:
    log_in(page, live_server, strategist)

    page.fill("#id_q", "vries")
    page.wait_for_selector("text=1 relatie")
    page.screenshot(path=str(artifacts_dir / "relaties-zoeken.png"))
    page.click("text=Vries, Bert de")

    page.wait_for_selector("h1:has-text('Bert de Vries')")
    assert page.locator("text=€ 10,00 maandelijks").count() == 1
    page.screenshot(path=str(artifacts_dir / "relatie.png"), full_page=True)


def test_a_group_editor_counts_live_and_points_at_mistakes(
    page: Any, live_server: Any, strategist: str, artifacts_dir: Path
) -> None:
    log_in(page, live_server, strategist)
    page.goto(f"{live_server.url}/groepen/nieuw/")

    page.fill("#id_name", "Utrechters")
    page.type("#id_rule", "relation.city = 'Utrecht'")
    page.wait_for_selector("text=2 relaties voldoen aan deze regel")
    page.screenshot(path=str(artifacts_dir / "groep-telt.png"))
    page.fill("#id_rule", "relation.cty = 'Utrecht'")
    page.wait_for_selector("text=onbekend veld 'relation.cty' (bedoelde u 'relation.city'?)")
    page.screenshot(path=str(artifacts_dir / "groep-fout.png"))
    page.fill("#id_rule", "relation.city = 'Utrecht'")
    page.click("button:has-text('Opslaan')")

    page.wait_for_selector("text=Groep 'Utrechters' is opgeslagen.")
    # Each count arrives on its own after the list is shown.
    count = page.locator("tr:has-text('Utrechters') td.num a")
    count.wait_for()
    assert count.inner_text() == "2"
    page.screenshot(path=str(artifacts_dir / "groepen.png"), full_page=True)


def test_the_interface_switches_to_english_and_back(
    page: Any, live_server: Any, strategist: str
) -> None:
    log_in(page, live_server, strategist)

    page.click("button:has-text('English')")
    page.wait_for_selector("h1:has-text('Relations')")
    english_column = page.locator("th").nth(1).inner_text()
    page.click("button:has-text('Nederlands')")
    page.wait_for_selector("h1:has-text('Relaties')")

    assert english_column.lower() == "name"


def test_a_rule_nested_too_deep_and_a_page_that_does_not_exist_are_explained(
    page: Any, live_server: Any, strategist: str, artifacts_dir: Path
) -> None:
    log_in(page, live_server, strategist)
    page.goto(f"{live_server.url}/groepen/nieuw/")

    page.fill("#id_rule", "(" * 30 + "mandate.active" + ")" * 30)
    page.wait_for_selector("text=de regel is te diep genest")
    page.screenshot(path=str(artifacts_dir / "groep-te-diep.png"))
    page.goto(f"{live_server.url}/relaties/?pagina=99999999999999999999")

    page.wait_for_selector("text=Die pagina bestaat niet (meer); dit is de eerste pagina.")
    assert page.locator("table.relations tbody tr").count() == 4
    page.screenshot(path=str(artifacts_dir / "relaties-pagina-bestaat-niet.png"))
    page.goto(f"{live_server.url}/relaties/?q=Jan%00sen")

    page.wait_for_selector("h1:has-text('Dit verzoek kan Koers niet lezen')")
    page.screenshot(path=str(artifacts_dir / "verzoek-met-nul-teken.png"))


def test_a_relation_shows_its_journeys_contacts_and_answers(
    page: Any, live_server: Any, seeded: None, quiet_channels: None, artifacts_dir: Path
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from koers.calendar import actions as calendar_actions
    from koers.feedback.models import Instrument, Response
    from koers.journeys import actions as journey_actions
    from koers.journeys.engine import tick
    from koers.journeys.tests.conftest import donor
    from koers.journeys.tests.test_detractor_follow_up import answer_nps
    from koers.touchpoints.choices import SkipReason, Status
    from koers.touchpoints.models import Touchpoint

    # Given Anna, who gave a 3 three days ago: the service is to call her back
    now = timezone.now()
    journey_actions.install("nps-criticaster-nabellen")
    calendar_actions.install("example")
    anna = donor("A1", "Anna")
    answer_nps(anna, 3, now - timedelta(days=3), comment="Ik hoor nooit wat er gebeurt")
    tick(now - timedelta(days=3) + timedelta(minutes=5))
    Response.objects.create(
        instrument=Instrument.objects.get(key="nps-relatie"), relation=anna, score=3,
        comment="Ik hoor nooit wat er gebeurt", status="confirmed",
        answered_at=now - timedelta(days=3),
    )  # fmt: skip
    Touchpoint.objects.create(
        relation=anna, source="calendar:voorbeeld:kerst", occurrence="2025", channel="card",
        nature="appreciate", planned_at=now - timedelta(days=60), status=Status.SENT,
        sent_at=now - timedelta(days=60),
    )  # fmt: skip
    Touchpoint.objects.create(
        relation=anna, source="calendar:voorbeeld:nieuwjaar", occurrence="2026", channel="email",
        nature="appreciate", planned_at=now - timedelta(days=30), status=Status.SKIPPED,
        skip_reason=SkipReason.PRESSURE,
    )  # fmt: skip
    user = User.objects.create_user(username="sanne", password=PASSWORD)
    user.groups.add(Role.objects.get(name="strateeg"))

    # When a fundraiser opens her page
    log_in(page, live_server, "sanne", f"/relaties/{anna.pk}/")

    # Then the journey, the contacts with the reason one was skipped, and her answer show
    page.wait_for_selector("h2:has-text('Klantreizen')")
    journeys = page.locator("section[aria-labelledby=h-klantreizen]").inner_text()
    assert "Criticaster nabellen na een NPS-antwoord" in journeys
    assert "Het gesprek" in journeys
    contacts = page.locator("section[aria-labelledby=h-contactmomenten]").inner_text()
    assert "contactdruk: plafond bereikt" in contacts
    assert "Kerstkaart" in contacts
    assert "score 3" in page.locator("section[aria-labelledby=h-antwoorden]").inner_text()
    page.screenshot(path=str(artifacts_dir / "relatie-activiteit.png"), full_page=True)

    page.click("button:has-text('English')")
    page.wait_for_selector("h2:has-text('Journeys')")
    assert "contact pressure" in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts_dir / "relatie-activiteit-en.png"), full_page=True)
