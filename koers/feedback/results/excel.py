"""One instrument's results as an Excel workbook, for the analyst who wants to sum and filter.

Sheets: "Samenvatting" (the headline), one per breakdown (group, step, moment, channel,
month) and "Opmerkingen" (every confirmed comment). Figures are real numbers, rounded as
the page shows them (NPS and its interval to one decimal), dates real dates shown as
DD-MM-YYYY, and every sheet has a bold, frozen header row.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

from django.utils import timezone

from koers.feedback import queries
from koers.feedback.choices import InstrumentKind
from koers.feedback.models import Instrument, Response
from koers.feedback.results.charts import (
    KIND_SHORT,
    SCOPE_SHORT,
    Result,
    channel_label,
    key_label,
    score_label,
)
from koers.feedback.stats import NpsResult, Rate
from koers.spreadsheet import DAY, Column, Row, add_sheet, new_workbook

POINTS = "+0.0;-0.0;0.0"
SHARE = "0%"
SHEETS = {
    "group": ("Per groep", "groep"),
    "step": ("Per stap", "stap in een klantreis"),
    "moment": ("Per moment", "moment in de kalender"),
    "channel": ("Per kanaal", "kanaal"),
    "month": ("Per maand", "maand"),
}


def workbook(instrument: Instrument, today: date, comments: bool = True) -> bytes:
    """The workbook as bytes, ready to send."""
    book = new_workbook()
    add_sheet(book, "Samenvatting", *_summary(instrument, today))
    if instrument.kind != InstrumentKind.SURVEY:
        for by, (title, header) in SHEETS.items():
            found = queries.results_by(instrument, by)
            add_sheet(book, title, *_breakdown(instrument, by, header, found))
    if comments:
        add_sheet(book, "Opmerkingen", *_comments(instrument))
    stream = BytesIO()
    book.save(stream)
    return stream.getvalue()


def _one(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _summary(instrument: Instrument, today: date) -> tuple[list[Column], list[Row]]:
    columns = [Column("wat", 40), Column("waarde", 24), Column("toelichting", 60, wrap=True)]
    rows: list[Row] = [
        ["meetinstrument", instrument.name, instrument.key],
        ["soort", str(KIND_SHORT.get(instrument.kind, instrument.kind)), ""],
        ["waarover", str(SCOPE_SHORT.get(instrument.scope, instrument.scope)), ""],
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
    names = queries.breakdown_names(by, found)

    def label(key: str) -> str:
        return key if by == "month" else names.get(key) or key_label(by, key)

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
