"""The retention figures as an Excel workbook: one row per year and figure, with its
definition, value, n and 95 % interval, so an analyst can filter and chart them."""

from __future__ import annotations

from io import BytesIO

from koers.insights.queries import calendar_year, retention_counts
from koers.insights.retention import figures
from koers.spreadsheet import EURO, Column, Row, add_sheet, euros, new_workbook

SHARE = "0.0%"


def workbook(years: list[int]) -> bytes:
    rows: list[Row] = []
    for year in years:
        for figure in figures(retention_counts(calendar_year(year))[""]):
            value = euros(int(figure.value)) if figure.kind == "cents" else figure.value
            rows.append(
                [year, figure.name, figure.definition, value, figure.n, figure.low, figure.high]
            )
    columns = [
        Column("jaar", 8),
        Column("kengetal", 24),
        Column("definitie", 60, wrap=True),
        Column("waarde", 14),
        Column("n", 10),
        Column("95%-interval van", 14, SHARE),
        Column("95%-interval tot", 14, SHARE),
    ]
    book = new_workbook()
    add_sheet(book, "Retentie", columns, rows)
    for row in book["Retentie"].iter_rows(min_row=2):
        kind = row[1].value
        if kind and str(kind).endswith("_cents"):
            row[3].number_format = EURO
        elif kind in (
            "retention",
            "new_donor_retention",
            "repeat_donor_retention",
            "recapture",
            "amount_retention",
        ):
            row[3].number_format = SHARE
    stream = BytesIO()
    book.save(stream)
    return stream.getvalue()
