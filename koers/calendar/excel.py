"""A calendar's year as an Excel workbook, for whoever plans the budget and the team's time.

One sheet per view the pages show: the plan, the totaaloverzicht, each moment per month,
the weekly workload and the checks. Amounts are real numbers in euros with a euro format and
dates real dates, so the sheets can be summed and filtered rather than only read.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from koers.calendar.forecast import CHANNELS
from koers.calendar.ical import channel_names, for_whom
from koers.calendar.overview import MONTHS_SHORT
from koers.calendar.plan import NATURE_NL, MomentSpec
from koers.calendar.report import Overview
from koers.spreadsheet import DAY, EURO, Column, Row, add_sheet, euros, new_workbook
from koers.touchpoints.choices import Behaviour

HOURS = "0.0"
KIND_NL = {"yearly": "jaarmoment", "relation": "relatiemoment", "journey": "klantreis"}


def write_workbook(year: Overview, path: Path) -> None:
    """Write the year's plan, overviews, workload and checks to `path` (.xlsx)."""
    book = new_workbook()
    add_sheet(book, "Momenten", *_moments(year))
    add_sheet(book, "Totaaloverzicht", *_totaaloverzicht(year), freeze="B2")
    add_sheet(book, "Per moment", *_per_moment(year), freeze="B2")
    add_sheet(book, "Werklast", *_workload(year))
    add_sheet(book, "Controles", *_checks(year))
    book.save(path)


def _moments(year: Overview) -> tuple[list[Column], list[Row]]:
    columns = [
        Column("sleutel", 16),
        Column("naam", 28),
        Column("soort", 14),
        Column("wanneer", 34),
        Column("groepen", 30),
        Column("kanalen", 18),
        Column("aard", 11),
        Column("intensiteit", 10),
        Column("kosten per contact", 12, EURO),
        Column("controlegroep %", 10),
        Column("bij contactdruk", 14),
        Column("gepland", 10),
        Column("kosten totaal", 14, EURO),
    ]
    figures = {row["key"]: row for row in year.moments}
    rows = [_moment_row(year, moment, figures[moment.key]) for moment in year.plan.moments]
    return columns, rows


def _moment_row(year: Overview, moment: MomentSpec, figures: dict[str, Any]) -> Row:
    return [
        moment.key,
        moment.name,
        "jaarmoment" if moment.yearly else "relatiemoment",
        moment.describe(),
        for_whom(moment, year.group_names),
        ", ".join(channel_names(moment.channels)),
        NATURE_NL[moment.nature],
        moment.intensity,
        # The first channel's cost: the one the plan prefers (a moment's set cost holds for
        # every channel); what the channels chosen really cost is in 'kosten totaal'.
        euros(moment.cost_for(moment.channels[0])),
        moment.holdout,
        str(Behaviour(moment.pressure).label),
        figures["total"],
        euros(figures["cost_cents"]),
    ]


def _totaaloverzicht(year: Overview) -> tuple[list[Column], list[Row]]:
    columns = [Column("groep", 28)]
    for month in MONTHS_SHORT:
        columns += [Column(f"{month} waarderen", 9), Column(f"{month} bedanken", 9)]
    columns.append(Column("kosten totaal", 14, EURO))
    rows = []
    for row in year.totaaloverzicht:
        cells = row["months"]
        counts = [count for cell in cells for count in (cell["appreciate"], cell["thank"])]
        rows.append([row["name"], *counts, euros(sum(cell["cost_cents"] for cell in cells))])
    return columns, rows


def _per_moment(year: Overview) -> tuple[list[Column], list[Row]]:
    columns = [Column("moment", 30), Column("soort", 14), Column("aard", 11)]
    columns += [Column(str(month), 7) for month in MONTHS_SHORT]
    columns += [Column("totaal", 9), Column("kosten", 14, EURO)]
    rows = [
        [
            row["name"],
            KIND_NL[row["kind"]],
            NATURE_NL[row["nature"]],
            *row["per_month"],
            row["total"],
            euros(row["cost_cents"]),
        ]
        for row in year.moments
    ]
    return columns, rows


def _workload(year: Overview) -> tuple[list[Column], list[Row]]:
    columns = [
        Column("week (maandag)", 14, DAY),
        Column("weeknummer", 11),
        Column("kanaal", 12),
        Column("aantal", 9),
        Column("uren", 8, HOURS),
        Column("kosten", 14, EURO),
    ]
    rows = []
    for monday_iso, channels in year.workload.items():
        monday = date.fromisoformat(monday_iso)
        for channel in (c for c in CHANNELS if c in channels):
            figures = channels[channel]
            rows.append(
                [
                    monday,
                    monday.isocalendar().week,
                    channel_names([channel])[0],
                    figures["count"],
                    round(figures["minutes"] / 60, 2),
                    euros(figures["cost_cents"]),
                ]
            )
    return columns, rows


def _checks(year: Overview) -> tuple[list[Column], list[Row]]:
    columns = [
        Column("vraag", 50, wrap=True),
        Column("uitslag", 13),
        Column("bevindingen", 70, wrap=True),
        Column("opmerkingen", 50, wrap=True),
    ]
    rows: list[Row] = [
        [
            check["question"],
            "in orde" if check["passed"] else "niet in orde",
            "\n".join(check["findings"]),
            "\n".join(check["notes"]),
        ]
        for check in year.checks
    ]
    return columns, rows
