"""Excel workbooks and CSV files the way Koers writes them, every export through here.

Workbooks: a bold, frozen header row per sheet, set column widths, real numbers and dates
with Dutch-looking formats, so a sheet can be summed and filtered rather than only read.

Both: text from outside (a respondent's comment, a group's name, an address) can start like
a formula (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`, `+`, `-`, `@`); a spreadsheet that opens
the file would run it. Every text cell is made inert the way OWASP advises ("CSV
injection"): a leading single quote, so it is shown as the text it is; in a workbook it is
also stored as a string, never as a formula. Numbers and dates stay numbers and dates: a
negative amount is a number, not text. See docs/feedback.md, docs/calendar.md and
docs/journeys.md for the exports.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

EURO = "€ #,##0.00"
DAY = "DD-MM-YYYY"

Row = list[Any]


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 12
    number_format: str = ""
    wrap: bool = False


# How a cell that a spreadsheet would run as a formula (or as DDE) starts.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """Text a spreadsheet would run gets a leading single quote; anything else (numbers,
    dates, None, ordinary text) is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    """A value for a workbook cell: inert, and without the control characters that the
    file format cannot hold (a respondent can type them; they would make the export fail)."""
    value = inert(value)
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A CSV file for people who open it in Excel: UTF-8 with a byte order mark and semicolons
    (what Excel in the Netherlands opens cleanly), every cell inert."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow([inert(value) for value in header])
        writer.writerows([inert(value) for value in row] for row in rows)


def euros(cents: int) -> Decimal:
    """Cents as euros, exactly: Excel gets 2.5 for 250 cents, never 2.4999."""
    return Decimal(cents).scaleb(-2)


def new_workbook() -> Workbook:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]  # a new workbook always has one sheet
    return book


def add_sheet(
    book: Workbook, title: str, columns: Sequence[Column], rows: Sequence[Row], freeze: str = "A2"
) -> None:
    """A sheet with a bold, frozen header row and each column's width and format; a date in a
    column without a format of its own is shown as DD-MM-YYYY."""
    sheet = book.create_sheet(title)
    sheet.append([_cell(column.header) for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    for row in rows:
        sheet.append([_cell(value) for value in row])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a string, whatever it looks like: never a formula
            if column.number_format:
                cell.number_format = column.number_format
            elif isinstance(cell.value, date):
                cell.number_format = DAY
            if column.wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = freeze
