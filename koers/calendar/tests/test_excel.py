"""The Excel workbook of a calendar's year, read back cell by cell with openpyxl."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from koers.calendar.checks import Check
from koers.calendar.excel import write_workbook
from koers.calendar.report import Year
from koers.calendar.tests.factories import make_base, make_year

PLAN = """
key: voorbeeld
name: Waarderingskalender
moments:
  - key: kerstkaart
    name: Kerstkaart
    when: {holiday: Eerste kerstdag, offset: -5 days}
    groups: [grote-gevers]
    channels: [card, email]
    intensity: 3
    minutes: 10
    pressure: skip
  - key: nieuwjaarsmail
    name: Nieuwjaarsmail
    when: {holiday: Nieuwjaarsdag}
    groups: all
    nature: thank
  - key: jaardag
    name: Jaardag eerste gift
    trigger: first_gift_anniversary
    groups: all
    channels: [phone]
    cost: 1.25
"""


@pytest.fixture
def year() -> Year:
    """Three major donors and two regular donors, one of whom first gave in June 2020."""
    base = make_base(
        5,
        groups={"grote-gevers": [0, 1, 2], "structurele-donateurs": [3, 4]},
        first_gift=[None, None, None, date(2020, 6, 15), None],
    )
    return make_year(PLAN, base)


@pytest.fixture
def book(year: Year, tmp_path: Path) -> Workbook:
    return written(year, tmp_path)


def written(year: Year, tmp_path: Path) -> Workbook:
    path = tmp_path / "kalender.xlsx"
    write_workbook(year.overview(), path)
    return load_workbook(path)


def values(sheet: Worksheet) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(values_only=True))


def column(sheet: Worksheet, header: str) -> int:
    """The 1-based column of a header, so a test names the column it reads."""
    return [cell.value for cell in sheet[1]].index(header) + 1


def row(sheet: Worksheet, first: str) -> int:
    """The row whose first cell says `first`."""
    return [cell.value for cell in sheet["A"]].index(first) + 1


def test_there_is_a_sheet_per_view_each_with_a_bold_frozen_header(book: Workbook) -> None:
    # Then the workbook has the plan, the overviews, the workload and the checks
    assert book.sheetnames == ["Momenten", "Totaaloverzicht", "Per moment", "Werklast", "Controles"]
    # And every header row is bold and stays in view when scrolling
    for sheet in book.worksheets:
        assert all(cell.font.b for cell in sheet[1]), sheet.title
        assert sheet.freeze_panes in ("A2", "B2"), sheet.title


def test_a_moment_row_states_the_plan_in_dutch_with_its_planned_contacts(book: Workbook) -> None:
    # When the plan is read back
    sheet = book["Momenten"]

    # Then the Christmas card reads as the plan does, with three cards planned
    assert values(sheet)[0] == (
        "sleutel", "naam", "soort", "wanneer", "groepen", "kanalen", "aard", "intensiteit",
        "kosten per contact", "controlegroep %", "bij contactdruk", "gepland", "kosten totaal",
    )  # fmt: skip
    assert values(sheet)[1] == (
        "kerstkaart", "Kerstkaart", "jaarmoment", "Eerste kerstdag, 5 dagen ervoor",
        "Grote gevers", "kaart, e-mail", "waarderen", 3, 2.5, 0, "overslaan", 3, 7.5,
    )  # fmt: skip
    # And the relation moment is for all relations, at its own cost per call
    assert values(sheet)[3] == (
        "jaardag", "Jaardag eerste gift", "relatiemoment", "jaarlijks op de dag van de eerste gift",
        "alle relaties", "telefoon", "waarderen", 1, 1.25, 0, "uitstellen", 1, 1.25,
    )  # fmt: skip


def test_costs_are_numbers_in_euros_shown_with_a_euro_format(book: Workbook) -> None:
    # When the Christmas card's total cost is read back
    cell = book["Momenten"].cell(row=2, column=column(book["Momenten"], "kosten totaal"))

    # Then it is 7.50 euros as a number, shown as euros
    assert (cell.value, cell.number_format) == (7.5, "€ #,##0.00")


def test_the_totaaloverzicht_counts_appreciation_and_thanks_per_group_and_month(
    book: Workbook,
) -> None:
    # When the totaaloverzicht is read back
    sheet = book["Totaaloverzicht"]
    major = row(sheet, "Grote gevers")

    # Then all relations come first, then each group
    assert [cell.value for cell in sheet["A"]] == [
        "groep", "Alle relaties", "Grote gevers", "Structurele donateurs",
    ]  # fmt: skip
    # And the major donors are appreciated three times in December and thanked three times
    # in January, for three cards and three e-mails
    assert sheet.cell(row=major, column=column(sheet, "dec waarderen")).value == 3
    assert sheet.cell(row=major, column=column(sheet, "dec bedanken")).value == 0
    assert sheet.cell(row=major, column=column(sheet, "jan bedanken")).value == 3
    total = sheet.cell(row=major, column=column(sheet, "kosten totaal"))
    assert (total.value, total.number_format) == (7.53, "€ #,##0.00")


def test_each_moment_is_counted_per_month(book: Workbook) -> None:
    # When the sheet per moment is read back
    sheet = book["Per moment"]

    # Then the anniversary call falls in June
    assert values(sheet)[3] == (
        "Jaardag eerste gift", "relatiemoment", "waarderen",
        0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1.25,
    )  # fmt: skip


def test_the_workload_lists_each_week_by_its_monday_as_a_real_date(book: Workbook) -> None:
    # When the workload is read back
    sheet = book["Werklast"]

    # Then each week and channel has its count, hours and cost
    assert values(sheet) == [
        ("week (maandag)", "weeknummer", "kanaal", "aantal", "uren", "kosten"),
        (datetime(2025, 12, 29), 1, "e-mail", 5, 0, 0.05),
        (datetime(2026, 6, 15), 25, "telefoon", 1, 0.13, 1.25),
        (datetime(2026, 12, 14), 51, "kaart", 3, 0.5, 7.5),
    ]
    # And the Monday is a date Excel can sort and filter, shown the Dutch way
    monday = sheet["A4"]
    assert (monday.is_date, monday.number_format) == (True, "DD-MM-YYYY")


def test_the_checks_say_in_orde_or_niet_in_orde_with_their_findings(
    year: Year, tmp_path: Path
) -> None:
    # Given one check that fails with two findings and a note, and one that passes
    year.checks = [
        Check("coverage", "Krijgt iedere groep waardering?", passed=False,
              findings=["Vrienden: 2 zonder waardering.", "Leden: 1 zonder waardering."],
              notes=["Vrienden: 1 onbereikbaar."]),
        Check("balance", "Hoe verhouden bedanken en waarderen zich?", passed=True),
    ]  # fmt: skip

    # When the workbook is written and its checks read back
    sheet = written(year, tmp_path)["Controles"]

    # Then each check says whether it holds, its findings one per line in a wrapped cell
    assert values(sheet) == [
        ("vraag", "uitslag", "bevindingen", "opmerkingen"),
        ("Krijgt iedere groep waardering?", "niet in orde",
         "Vrienden: 2 zonder waardering.\nLeden: 1 zonder waardering.",
         "Vrienden: 1 onbereikbaar."),
        ("Hoe verhouden bedanken en waarderen zich?", "in orde", None, None),
    ]  # fmt: skip
    assert sheet["C2"].alignment.wrap_text is True


def test_the_checks_of_the_forecast_are_all_written(book: Workbook) -> None:
    # Then the regular donor without a first gift fails the coverage check; the rest hold
    assert [r[1] for r in values(book["Controles"])[1:]] == [
        "niet in orde", "in orde", "in orde", "in orde", "in orde",
    ]  # fmt: skip


def test_group_and_moment_names_that_start_like_a_formula_are_inert_text(
    year: Year, tmp_path: Path
) -> None:
    # Given a group and a moment whose names someone made into formulas
    hostile_group, hostile_moment = "=cmd|' /C calc'!A0", '=HYPERLINK("http://kwaad.example/")'
    names = {**year.forecast.base.group_names, "grote-gevers": hostile_group}
    year.forecast.base = replace(year.forecast.base, group_names=names)
    year.plan = replace(
        year.plan, moments=(replace(year.plan.moments[0], name=hostile_moment),
                            *year.plan.moments[1:]),
    )  # fmt: skip

    # When the workbook is written and read back
    book = written(year, tmp_path)

    # Then the names are strings with a leading quote wherever they appear
    plan, overview = book["Momenten"], book["Totaaloverzicht"]
    cells = [
        plan.cell(row=2, column=column(plan, "naam")),
        plan.cell(row=2, column=column(plan, "groepen")),
        overview.cell(row=row(overview, f"'{hostile_group}"), column=1),
    ]
    assert [(cell.value, cell.data_type) for cell in cells] == [
        (f"'{hostile_moment}", "s"), (f"'{hostile_group}", "s"), (f"'{hostile_group}", "s"),
    ]  # fmt: skip
    assert not any(cell.data_type == "f" for sheet in book for r in sheet.iter_rows() for cell in r)
