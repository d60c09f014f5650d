"""Names instead of codes, in Debian's chromium: the contacts list and its filter on
journeys and calendar moments, the call list, rules in words on the groups and the map."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import User
from playwright.sync_api import expect

from koers.conftest import PASSWORD, log_in
from koers.journeys import actions
from koers.touchpoints.models import Touchpoint
from koers.touchpoints.tests.test_names import contacts  # noqa: F401 (a fixture)

# Live-server tests commit; serialized_rollback restores what migrations created.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def people(contacts: dict[str, Touchpoint]) -> None:  # noqa: F811
    actions.install("nps-criticaster-nabellen")
    for name, role in (("anouk", "analist"), ("sanne", "strateeg"), ("bob", "beller")):
        user = User.objects.create_user(username=name, password=PASSWORD)
        user.groups.add(Role.objects.get(name=role))


def test_contacts_are_filtered_on_a_calendar_moment_by_its_name(
    page: Any, live_server: Any, people: None, artifacts_dir: Path
) -> None:
    log_in(page, live_server, "anouk", "/contactmomenten/")
    assert page.locator("p.count").inner_text() == "4 contactmomenten"
    groups = page.locator("#id_bron optgroup").evaluate_all("gs => gs.map(g => g.label)")
    assert groups == ["Klantreizen", "Waarderingskalender 2027"]

    page.select_option("#id_bron", label="Verjaardag")

    # Waited for with Playwright's own check: a script string would need eval, which the
    # Content-Security-Policy rightly refuses.
    expect(page.locator("p.count")).to_have_text("1 contactmoment")
    assert "bron=calendar%3Avoorbeeld%3Averjaardag" in page.url
    cell = page.locator("#list tbody td").nth(2)
    assert cell.inner_text() == "Verjaardag\nWaarderingskalender 2027"
    assert cell.get_attribute("title") == "calendar:voorbeeld:verjaardag"
    page.screenshot(path=str(artifacts_dir / "contactmomenten-moment.png"), full_page=True)


def test_callers_and_strategists_read_names_and_rules_in_words(
    page: Any, live_server: Any, people: None, artifacts_dir: Path
) -> None:
    log_in(page, live_server, "bob", "/bellijst/")
    origins = page.locator("article.call p.small.muted").all_inner_texts()
    assert [text.split(" · ")[0] for text in origins] == [
        "Bedanken en bellen: Bedankbelletje",
        "Waarderingskalender 2027: Verjaardag",
    ]
    page.screenshot(path=str(artifacts_dir / "bellijst-namen.png"), full_page=True)
    page.click("button:has-text('Uitloggen')")

    log_in(page, live_server, "sanne", "/groepen/")
    rule = page.locator("#groep-grote-gevers .rule")
    assert (rule.inner_text(), rule.get_attribute("title")) == (
        "jaarsteun ≥ € 1.000",
        "support.annual >= 1000",
    )
    page.screenshot(path=str(artifacts_dir / "groepen-regels.png"), full_page=True)

    page.goto(f"{live_server.url}/klantreizen/nps-criticaster-nabellen/")
    page.set_viewport_size({"width": 1600, "height": 900})
    start = page.locator("dd[title]").first
    assert start.inner_text() == (
        "Bij: vragenlijst beantwoord, als trigger: NPS-groep is criticaster "
        "(hoogstens eens per maand)"
    )
    page.screenshot(path=str(artifacts_dir / "klantreis-regels.png"), full_page=True)
