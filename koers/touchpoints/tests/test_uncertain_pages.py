"""The page where a person decides about possibly sent touchpoints, and the notice that
leads there."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import User

from koers.conftest import PASSWORD, log_in
from koers.journeys.tests.conftest import donor, local
from koers.touchpoints.choices import Status
from koers.touchpoints.models import Touchpoint

NOW = local(2026, 11, 24, 10)


def possibly_sent(name: str) -> Touchpoint:
    touchpoint = Touchpoint.objects.create(
        relation=donor(f"R-{name}", name), source="kalender:kerst", occurrence="2026",
        step="kerstmail", channel="email", nature="appreciate",
        content={"subject": "Fijne feestdagen", "body": "Dank u."}, planned_at=NOW,
        status=Status.UNCERTAIN, handed_at=NOW + timedelta(minutes=3), attempts=1,
    )  # fmt: skip
    touchpoint.delivery_key = f"<koers.{touchpoint.pk}.1@koers.localhost>"
    touchpoint.save(update_fields=["delivery_key"])
    return touchpoint


@pytest.mark.django_db
def test_the_list_points_to_the_possibly_sent_ones(seeded: None, login: Any) -> None:
    possibly_sent("Anna")

    page = login("kijker").get("/contactmomenten/").content.decode()

    assert "1 contactmoment is mogelijk verstuurd" in page
    assert 'href="/contactmomenten/mogelijk-verstuurd/"' in page
    assert '<span class="badge tp-uncertain">mogelijk verstuurd</span>' in page


@pytest.mark.django_db
def test_an_administrator_marks_one_arrived_and_has_another_resent(
    seeded: None, login: Any
) -> None:
    anna, bert = possibly_sent("Anna"), possibly_sent("Bert")
    admin = login("beheerder")

    page = admin.get("/contactmomenten/mogelijk-verstuurd/").content.decode()
    assert f"&lt;koers.{anna.pk}.1@koers.localhost&gt;" in page and "Message-ID" in page
    admin.post(f"/contactmomenten/{anna.pk}/beslissen/", {"besluit": "sent"})
    done = admin.post(f"/contactmomenten/{bert.pk}/beslissen/", {"besluit": "resend"}, follow=True)

    anna.refresh_from_db()
    bert.refresh_from_db()
    assert (anna.status, anna.sent_at) == (Status.SENT, NOW + timedelta(minutes=3))
    assert (bert.status, bert.handed_at) == (Status.PLANNED, None)
    assert "Het contactmoment voor Bert Jansen wordt opnieuw verstuurd." in done.content.decode()
    assert "Niets om over te beslissen" in done.content.decode()


@pytest.mark.django_db
def test_a_viewer_sees_them_but_cannot_decide(seeded: None, login: Any) -> None:
    anna = possibly_sent("Anna")
    viewer = login("kijker")

    page = viewer.get("/contactmomenten/mogelijk-verstuurd/").content.decode()
    refused = viewer.post(f"/contactmomenten/{anna.pk}/beslissen/", {"besluit": "sent"})

    assert "een beheerder beslist" in page and "Is aangekomen" not in page
    assert refused.status_code == 403
    assert Touchpoint.objects.get().status == Status.UNCERTAIN


@pytest.mark.django_db
def test_an_unknown_decision_changes_nothing(seeded: None, login: Any) -> None:
    anna = possibly_sent("Anna")

    page = login("beheerder").post(
        f"/contactmomenten/{anna.pk}/beslissen/", {"besluit": "weg"}, follow=True
    )

    assert "Kies: opnieuw versturen, of is aangekomen." in page.content.decode()
    assert Touchpoint.objects.get().status == Status.UNCERTAIN


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_decision_page_in_a_browser(
    page: Any, live_server: Any, seeded: None, artifacts_dir: Path
) -> None:
    for name in ("Anna", "Bert", "Carla"):
        possibly_sent(name)
    user = User.objects.create_user(username="beheer", password=PASSWORD)
    user.groups.add(Role.objects.get(name="beheerder"))

    log_in(page, live_server, "beheer", "/contactmomenten/")
    page.screenshot(path=str(artifacts_dir / "contactmomenten-mogelijk-verstuurd-melding.png"))
    page.click("text=Bekijken en beslissen")
    page.wait_for_selector("h1:has-text('Mogelijk verstuurd')")
    page.locator("tr", has_text="Anna").locator("button:has-text('Is aangekomen')").click()
    page.wait_for_selector("text=is vastgelegd als verstuurd")
    page.screenshot(path=str(artifacts_dir / "contactmomenten-mogelijk-verstuurd.png"))

    assert page.locator("tbody tr").count() == 2
    assert Touchpoint.objects.filter(status=Status.SENT).count() == 1
