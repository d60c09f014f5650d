"""One instrument's results as an Excel workbook, for the analyst who wants to sum and filter.

Sheets: "Samenvatting" (the headline), one per breakdown (group, step, moment, channel,
month) and "Opmerkingen" (every confirmed comment). Figures are real numbers, rounded as
the page shows them (NPS and its interval to one decimal), dates real dates shown as
DD-MM-YYYY, and every sheet has a bold, frozen header row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from io import BytesIO
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from koers.calendar.excel import DAY, Column
from koers.feedback import queries
from koers.feedback.choices import InstrumentKind
from koers.feedback.models import Instrument, Response
from koers.feedback.results_charts import (
    KIND_SHORT,
    SCOPE_SHORT,
    Result,
    channel_label,
    key_label,
    score_label,
)
from koers.feedback.stats import NpsResult, Rate

POINTS = "+0.0;-0.0;0.0"
SHARE = "0%"
SHEETS = {
    "group": ("Per groep", "groep"),
    "step": ("Per stap", "stap in een klantreis"),
    "moment": ("Per moment", "moment in de kalender"),
    "channel": ("Per kanaal", "kanaal"),
    "month": ("Per maand", "maand"),
}

Row = list[Any]


def workbook(instrument: Instrument, today: date) -> bytes:
    """The workbook as bytes, ready to send."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]  # a new workbook always has one sheet
    _sheet(book, "Samenvatting", *_summary(instrument, today))
    if instrument.kind != InstrumentKind.SURVEY:
        for by, (title, header) in SHEETS.items():
            found = queries.results_by(instrument, by)
            _sheet(book, title, *_breakdown(instrument, by, header, found))
    _sheet(book, "Opmerkingen", *_comments(instrument))
    stream = BytesIO()
    book.save(stream)
    return stream.getvalue()


def _sheet(book: Workbook, title: str, columns: Sequence[Column], rows: Sequence[Row]) -> None:
    sheet = book.create_sheet(title)
    sheet.append([column.header for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = DAY
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if column.number_format:
                cell.number_format = column.number_format
            if column.wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def _one(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _summary(instrument: Instrument, today: date) -> tuple[list[Column], list[Row]]:
    columns = [Column("wat", 40), Column("waarde", 24), Column("toelichting", 60, wrap=True)]
    rows: list[Row] = [
        ["meetinstrument", instrument.name, instrument.key],
        ["soort", KIND_SHORT.get(instrument.kind, instrument.kind), ""],
        ["waarover", SCOPE_SHORT.get(instrument.scope, instrument.scope), ""],
    ]
    if instrument.kind == InstrumentKind.SURVEY:
        rows.append(["bevestigde antwoorden (n)", queries.confirmed_count(instrument), ""])
    else:
        rows += _headline(queries.overall(instrument))
    rows += [
        ["nog niet bevestigd", queries.provisional_count(instrument), "telt niet mee"],
        ["gemaakt op", today, ""],
    ]
    return columns, rows


def _headline(result: Result) -> list[Row]:
    rows: list[Row] = [
        ["bevestigde antwoorden (n)", result.n, "alleen bevestigde antwoorden tellen"],
        ["minimaal aantal antwoorden", result.minimum, ""],
        ["genoeg antwoorden", "ja" if result.enough else "nee", ""],
    ]
    if isinstance(result, Rate):
        return [
            *rows,
            ["duim omhoog", result.up, ""],
            ["duim omlaag", result.n - result.up, ""],
            ["aandeel duim omhoog", _one(result.rate, 3), "tussen 0 en 1"],
            ["95%-interval, ondergrens", _one(result.low, 3), "Wilson-interval"],
            ["95%-interval, bovengrens", _one(result.high, 3), ""],
        ]
    return [
        *rows,
        ["NPS", _one(result.score), "% promoters min % criticasters"],
        ["95%-interval, ondergrens", _one(result.low), "aangepast Wald-interval"],
        ["95%-interval, bovengrens", _one(result.high), ""],
        ["promoters (9-10)", result.promoters, ""],
        ["passief (7-8)", result.passives, ""],
        ["criticasters (0-6)", result.detractors, ""],
    ]


def _breakdown(
    instrument: Instrument, by: str, header: str, found: dict[str, NpsResult | Rate]
) -> tuple[list[Column], list[Row]]:
    def label(key: str) -> str:
        return key if by == "month" else key_label(by, key)

    if instrument.kind == InstrumentKind.THUMBS:
        columns = [
            Column(header, 36), Column("n", 8), Column("omhoog", 10), Column("omlaag", 10),
            Column("aandeel omhoog", 14, SHARE), Column("ondergrens", 12, SHARE),
            Column("bovengrens", 12, SHARE), Column("genoeg antwoorden", 18),
        ]  # fmt: skip
        rows = [_rate_row(label(key), r) for key, r in found.items() if isinstance(r, Rate)]
        return columns, rows
    columns = [
        Column(header, 36), Column("n", 8), Column("promoters", 10), Column("passief", 10),
        Column("criticasters", 12), Column("NPS", 10, POINTS), Column("ondergrens", 12, POINTS),
        Column("bovengrens", 12, POINTS), Column("genoeg antwoorden", 18),
    ]  # fmt: skip
    rows = [_nps_row(label(key), r) for key, r in found.items() if isinstance(r, NpsResult)]
    return columns, rows


def _nps_row(label: str, result: NpsResult) -> Row:
    return [
        label, result.n, result.promoters, result.passives, result.detractors,
        _one(result.score), _one(result.low), _one(result.high),
        "ja" if result.enough else "nee",
    ]  # fmt: skip


def _rate_row(label: str, result: Rate) -> Row:
    return [
        label, result.n, result.up, result.n - result.up, _one(result.rate, 3),
        _one(result.low, 3), _one(result.high, 3), "ja" if result.enough else "nee",
    ]  # fmt: skip


def _comments(instrument: Instrument) -> tuple[list[Column], list[Row]]:
    columns = [
        Column("datum", 12, DAY), Column("score", 8), Column("groep", 12),
        Column("kanaal", 12), Column("relatienummer", 16), Column("opmerking", 80, wrap=True),
    ]  # fmt: skip
    rows = [_comment_row(instrument, r) for r in queries.comments(instrument).iterator()]
    return columns, rows


def _comment_row(instrument: Instrument, response: Response) -> Row:
    return [
        timezone.localtime(response.answered_at).date(),
        response.score,
        score_label(response.score, instrument.kind),
        channel_label(response.channel),
        response.relation.external_id,
        response.comment,
    ]
