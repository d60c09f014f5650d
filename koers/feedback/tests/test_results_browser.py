"""The feedback results in Debian's chromium: the instrument page and the comments."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import User
from django.utils import timezone

from koers.conftest import PASSWORD, log_in
from koers.feedback.choices import ResponseSource, ResponseStatus
from koers.feedback.models import Instrument, Response
from koers.groups.facts import refresh_facts
from koers.journeys.tests.conftest import donor
from koers.relations.models import Relation

# Live-server tests commit; serialized_rollback restores what migrations created.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Answers per month, oldest first, ending last month: two quiet months show the minimum.
PER_MONTH = [42, 36, 12, 0, 45, 38, 51, 8, 40, 37, 55]
CHANNELS = ["email"] * 6 + ["letter", "card", "phone"]
COMMENTS = {
    "promoter": ["Fijn om te horen wat er met mijn gift gebeurt.", "Heel persoonlijk bedankt!"],
    "passive": ["Prima, maar ik krijg wel veel post.", "Goed, al duurde het antwoord lang."],
    "detractor": [
        "Lange wachttijd aan de telefoon.",
        "Ik wil minder vaak gebeld worden.",
        "Mijn adreswijziging is niet verwerkt.",
    ],
}


def _month_start(months_back: int) -> date:
    first = timezone.localdate().replace(day=1)
    for _ in range(months_back):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def _score(rng: random.Random) -> int:
    return rng.choices(range(11), weights=[1, 1, 1, 2, 2, 3, 4, 8, 12, 14, 12])[0]


def _answer(rng: random.Random, relations: list[Relation], day: date) -> Response:
    score = _score(rng)
    band = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
    at = timezone.make_aware(datetime.combine(day, time(10)))
    return Response(
        instrument=Instrument.objects.get(key="nps-relatie"),
        relation=rng.choice(relations),
        score=score,
        channel=rng.choice(CHANNELS),
        comment=rng.choice(COMMENTS[band]) if rng.random() < 0.3 else "",
        status=ResponseStatus.CONFIRMED,
        source=ResponseSource.IMPORT,
        answered_at=at,
    )


@pytest.fixture
def analyst(seeded: None) -> str:
    """Eleven months of relational NPS from thirty donors, half with a mandate."""
    rng = random.Random(7)
    relations = [
        donor(f"{1000 + i}", f"Donor{i}", monthly_cents=1000 if i % 2 else None,
              started=date(2022, 1, 1) if i % 2 else None)
        for i in range(30)
    ]  # fmt: skip
    refresh_facts(timezone.now())
    rows = []
    for back, count in zip(range(len(PER_MONTH), 0, -1), PER_MONTH, strict=True):
        start = _month_start(back)
        rows += [_answer(rng, relations, start + timedelta(days=i % 27)) for i in range(count)]
    Response.objects.bulk_create(rows)
    user = User.objects.create_user(username="ayla", password=PASSWORD)
    user.groups.add(Role.objects.get(name="analist"))
    return "ayla"


def test_an_analyst_reads_the_nps_and_the_comments(
    page: Any, live_server: Any, analyst: str, artifacts_dir: Path
) -> None:
    log_in(page, live_server, analyst, "/feedback/")
    page.click("text=NPS over de relatie")
    page.wait_for_selector("h2:has-text('Uitkomst')")
    assert page.locator("svg.trend-chart circle.hollow").count() == 2
    assert page.locator("svg.trend-chart title").first.text_content() == "NPS per maand"

    page.click("nav.tabs a:has-text('kanaal')")
    page.wait_for_selector("h2:has-text('Per kanaal')")
    assert page.url.endswith("/feedback/nps-relatie/?per=channel")
    assert page.locator("table.breakdown svg.interval").count() >= 1
    page.screenshot(path=str(artifacts_dir / "feedback-resultaten.png"), full_page=True)

    page.click("text=Opmerkingen lezen")
    page.wait_for_selector("h1:has-text('Opmerkingen')")
    page.select_option("#id_score", "criticaster")
    page.wait_for_url("**/opmerkingen/?*score=criticaster*")
    page.wait_for_selector("#opmerkingen tbody tr")
    bands = page.locator("#opmerkingen tbody .badge").all_text_contents()
    assert bands and set(bands) == {"criticaster"}
    page.fill("#id_van", "31-02-2026")
    page.click("button:has-text('Toepassen')")
    page.wait_for_selector("text=De datum 31-02-2026 bestaat niet.")
    page.screenshot(path=str(artifacts_dir / "feedback-opmerkingen.png"), full_page=True)
