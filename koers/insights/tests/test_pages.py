"""The Inzichten page: who may read it, and the figures it shows in Dutch and English."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine

from koers.giving.models import Gift
from koers.insights.summary import rebuild_summary
from koers.relations.models import Relation

Login = Callable[[str], Any]


@pytest.fixture
def history(db: None) -> None:
    for i in range(10):
        relation = Relation.objects.create(external_id=f"D{i}", last_name=f"D{i}")
        Gift.objects.create(relation=relation, received_on=date(2025, 3, 1), amount_cents=1000)
        if i < 6:
            Gift.objects.create(relation=relation, received_on=date(2026, 3, 1), amount_cents=1000)
    rebuild_summary()


@pytest.mark.parametrize(
    ("role", "status"),
    [("beheerder", 200), ("strateeg", 200), ("analist", 200), ("beller", 403), ("kijker", 403)],
)
def test_analysts_strategists_and_administrators_may_read_the_insights(
    login: Login, role: str, status: int
) -> None:
    assert login(role).get("/inzichten/").status_code == status


@time_machine.travel(datetime(2026, 11, 23, 12, 0, tzinfo=UTC), tick=False)
def test_the_page_shows_retention_with_its_interval_the_dutch_way(
    login: Login, history: None
) -> None:
    page = login("analist").get("/inzichten/").content.decode()
    # 6 of the 10 donors of 2025 gave in 2026: 60 %, Wilson 31,3-83,2 %
    assert "60,0 % (31,3-83,2)" in page
    assert "Inzichten" in page
    # the four who did not give in 2026 are LYBUNT
    assert "LYBUNT" in page


@time_machine.travel(datetime(2026, 11, 23, 12, 0, tzinfo=UTC), tick=False)
def test_the_page_speaks_english(login: Login, history: None) -> None:
    client = login("analist")
    client.cookies["django_language"] = "en"
    page = client.get("/inzichten/").content.decode()
    assert "Donor retention per calendar year" in page


@time_machine.travel(datetime(2026, 11, 23, 12, 0, tzinfo=UTC), tick=False)
def test_the_excel_download_reads_back_with_the_figures(login: Login, history: None) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    response = login("analist").get("/inzichten/export.xlsx")
    sheet = load_workbook(BytesIO(response.content))["Retentie"]
    rows = {(r[0], r[1]): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[(2026, "retention")][3] == pytest.approx(0.6)
    assert rows[(2026, "retention")][4] == 10
    assert rows[(2026, "lapsed")][3] == 4
