"""Unsubscribing as a donor does it, in Debian's chromium, and what staff then see."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import User
from django.core.cache import cache

from koers.channels.email import unsubscribe_token
from koers.conftest import PASSWORD, log_in
from koers.journeys.tests.conftest import donor
from koers.relations.models import Consent
from koers.touchpoints.models import Touchpoint

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_donor_without_email_consent_unsubscribes_and_staff_see_the_record(
    page: Any, live_server: Any, seeded: None, settings: Any, artifacts_dir: Path
) -> None:
    # Given Ella, with consent for post only, and an e-mail she got from a mailing
    ella = donor("E5", "Ella", channels=("post",))
    mailing = Touchpoint.objects.create(
        relation=ella, source="kalender:nieuwsbrief", occurrence="1", channel="email",
        nature="inform", planned_at=ella.created_at,
    )  # fmt: skip
    link = f"{live_server.url}/afmelden/{unsubscribe_token(mailing)}/"
    cache.clear()

    # When she opens the link and confirms
    page.goto(link)
    page.wait_for_selector("text=Wilt u geen e-mail meer van ons ontvangen op ella@example.org?")
    page.screenshot(path=str(artifacts_dir / "afmelden-vraag.png"))
    page.click("text=Ja, meld mij af")
    page.wait_for_selector("h1:has-text('U bent afgemeld')")
    page.screenshot(path=str(artifacts_dir / "afmelden-klaar.png"))

    # Then the afmelding is on record, also without consent
    assert Consent.objects.get(relation=ella, channel="email").basis == "none"

    # And over the limit the page asks for patience instead of showing the address
    settings.KOERS_FEEDBACK_PER_MINUTE = 1
    page.goto(link)
    page.wait_for_selector("h1:has-text('Even geduld')")
    assert "ella@example.org" not in page.content()
    page.screenshot(path=str(artifacts_dir / "afmelden-even-geduld.png"))
    cache.clear()

    # And staff see on the relation page that Ella unsubscribed
    user = User.objects.create_user(username="sanne", password=PASSWORD)
    user.groups.add(Role.objects.get(name="strateeg"))
    log_in(page, live_server, "sanne", f"/relaties/{ella.pk}/")
    row = page.locator("section[aria-labelledby=h-toestemmingen] tr", has_text="E-mail")
    assert "Geen (afgemeld)" in row.inner_text()
    page.locator("text=Toestemmingen").first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "afmelden-relatiepagina.png"), full_page=True)
