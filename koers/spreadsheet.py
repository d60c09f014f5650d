"""Excel workbooks the way Koers writes them: a bold, frozen header row per sheet, set column
widths, real numbers and dates with Dutch-looking formats, so a sheet can be summed and
filtered rather than only read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
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
    sheet.append([column.header for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if column.number_format:
                cell.number_format = column.number_format
            elif isinstance(cell.value, date):
                cell.number_format = DAY
            if column.wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = freeze
