"""A public respondent's comment that starts like a formula reaches the analyst's Excel file
as the text it is, never as a formula."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from koers.feedback.tests.conftest import answers
from koers.journeys.tests.conftest import local
from koers.tests.test_spreadsheet import HOSTILE

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]


def test_hostile_comments_are_inert_text_in_the_excel_download(login: Login) -> None:
    # Given an answer per hostile comment, a day apart (the sheet lists the newest first)
    for day, comment in enumerate(HOSTILE, start=1):
        answers("nps-relatie", [day], comment=comment, number=f"10{day}", at=local(2026, 11, day))

    # When the analyst downloads the results and opens the comments
    response = login("analist").get("/feedback/nps-relatie/export.xlsx")
    sheet = load_workbook(BytesIO(response.content))["Opmerkingen"]

    # Then every comment is a string with a leading quote, and the scores are still numbers
    rows = list(sheet.iter_rows(min_row=2))
    assert [(row[5].value, row[5].data_type) for row in rows] == [
        (f"'{comment}".replace("\r", "\n"), "s") for comment in reversed(HOSTILE)
    ]
    assert [(row[1].value, row[1].data_type) for row in rows] == [
        (score, "n") for score in range(len(HOSTILE), 0, -1)
    ]
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
