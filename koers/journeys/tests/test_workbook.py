"""The journey map and the main map as Excel workbooks, opened and read back."""

from __future__ import annotations

import copy
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import openpyxl
import pypdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from PIL import Image

from koers.journeys import actions
from koers.journeys.tests.test_pages import THANKS

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey() -> str:
    definition: Any = copy.deepcopy(THANKS)
    definition["steps"][0]["map"]["goal"] = '=HYPERLINK("http://x")'
    definition["steps"][0]["map"]["pains"] = [{"text": "Te laat", "owner": "Data"}]
    return actions.publish(definition).journey.key


def test_the_command_writes_steps_as_columns_and_lanes_as_rows(
    journey: str, tmp_path: Path
) -> None:
    path = tmp_path / "kaart.xlsx"

    call_command("journeys", "export", journey, str(path))

    sheet = openpyxl.load_workbook(path)[journey]
    lanes = [row[0] for row in sheet.iter_rows(min_row=2, max_col=1, values_only=True)]
    assert lanes[:4] == ["Fase", "Soort", "Sleutel", "Wat er gebeurt"]
    assert sheet["B1"].value == "1 · Bedankmail"
    # A text that looks like a formula is stored as text, shown as written: never run.
    goal = next(
        row[1]
        for row in sheet.iter_rows(min_row=2, max_col=2)
        if row[0].value == "Doel van de relatie"
    )
    assert goal.value == '\'=HYPERLINK("http://x")'
    assert goal.data_type == "s"
    column = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, max_col=2, values_only=True)}
    assert column["Fase"] == "Bedanken"
    assert column["Moment van de waarheid"] == "ja"
    assert column["Uiterste termijn"] == "2 dagen"
    assert column["Verwachte beleving (-2 tot +2)"] == 2
    assert column["Knelpunten"] == "Te laat · Data · open"
    assert column["binnengekomen"] == 0


def test_an_xlsx_export_needs_a_file(journey: str) -> None:
    with pytest.raises(CommandError, match="Geef een bestand op"):
        call_command("journeys", "export", journey, "--format", "xlsx")


def test_the_map_pages_download_their_workbooks(
    login: Callable[[str], Client], journey: str
) -> None:
    client = login("kijker")

    single = client.get(f"/klantreizen/{journey}/?formaat=xlsx")
    main = client.get("/hoofdkaart/?formaat=xlsx")

    assert single["Content-Disposition"] == f'attachment; filename="klantreis-{journey}.xlsx"'
    assert openpyxl.load_workbook(BytesIO(single.content)).sheetnames == [journey]
    sheet = openpyxl.load_workbook(BytesIO(main.content))["Hoofdkaart"]
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "Doelgroep" and header[3] == "Bedanken" and len(header) == 10
    assert sheet["A2"].value == "Alle relaties"
    assert sheet["D2"].value.startswith("Bedanken en bellen · 0 contacten")
    assert sheet["B2"].value == "gat"


def test_the_map_as_pdf_holds_its_steps_and_figures_on_a4_landscape(
    journey: str, tmp_path: Path
) -> None:
    path = tmp_path / "kaart.pdf"

    call_command("journeys", "export", journey, str(path))

    reader = pypdf.PdfReader(path)
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
    text = page.extract_text()
    for words in (
        "Bedanken en bellen",
        "1 · contact",
        "Bedankmail",
        "Beleving",
        "+2 heel positief",
        "Knelpunten",
        "Te laat",
        "binnengekomen",
    ):
        assert words in text


def test_the_map_as_png_is_the_pdfs_first_page(
    login: Callable[[str], Client], journey: str
) -> None:
    client = login("kijker")

    a4 = client.get(f"/klantreizen/{journey}/?formaat=png")
    a3 = client.get(f"/klantreizen/{journey}/?formaat=png&papier=A3")
    pdf = client.get(f"/klantreizen/{journey}/?formaat=pdf&papier=A3")

    assert a4["Content-Type"] == "image/png"
    assert Image.open(BytesIO(a4.content)).size == (1754, 1241)
    assert Image.open(BytesIO(a3.content)).size == (2481, 1754)
    box = pypdf.PdfReader(BytesIO(pdf.content)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (1191, 842)
