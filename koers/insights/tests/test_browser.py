"""The Inzichten page in a real browser, with a screenshot to look at."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import User

from koers.conftest import PASSWORD, log_in
from koers.giving.models import Gift
from koers.insights.summary import rebuild_summary
from koers.relations.models import Relation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_analyst_sees_retention_over_five_years(
    seeded: None, page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    # Given donors whose retention differs per year
    year = date.today().year
    for i in range(40):
        relation = Relation.objects.create(external_id=f"R{i}", last_name=f"R{i}")
        for back in range(5):
            if i % (back + 2) != 1:
                Gift.objects.create(
                    relation=relation, received_on=date(year - back, 3, 1), amount_cents=2500
                )
    rebuild_summary()
    User.objects.create_user(username="anna", password=PASSWORD).groups.add(
        Role.objects.get(name="analist")
    )
    # When the analyst opens Inzichten from the menu
    log_in(page, live_server, "anna", "/inzichten/")
    # Then the chart and the table are there
    assert page.locator("h1").inner_text() == "Inzichten"
    assert page.locator("svg rect").count() == 5
    assert page.locator("table tbody tr").count() == 5
    page.screenshot(path=str(artifacts_dir / "inzichten.png"), full_page=True)
