"""The Inzichten page: retention over five years and the lapsing donors (docs/insights.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from koers.formatting import decimal
from koers.groups.facts import local_today
from koers.insights.queries import calendar_year, lapsing, retention_counts
from koers.insights.retention import Figure, figures

YEARS = 5
CHART_HEIGHT = 120


@dataclass(frozen=True)
class YearRow:
    year: int
    figures: dict[str, Figure]
    bar: int  # height of the retention bar in the chart, in pixels

    def rate(self, name: str) -> str:
        figure = self.figures[name]
        if figure.n == 0:
            return "-"
        language = get_language()
        value = decimal(100 * float(figure.value), language)
        if figure.low is None or figure.high is None:
            return f"{value} %"
        low, high = decimal(100 * figure.low, language), decimal(100 * figure.high, language)
        return f"{value} % ({low}-{high})"

    def __getitem__(self, name: str) -> Any:
        return (
            self.rate(name) if self.figures[name].kind in ("rate", "ratio") else self.figures[name]
        )


@login_required
@permission_required("insights.view_givingsummary", raise_exception=True)
def overview(request: HttpRequest) -> HttpResponse:
    today = local_today(timezone.now())
    rows = []
    for year in range(today.year - YEARS + 1, today.year + 1):
        by_name = {f.name: f for f in figures(retention_counts(calendar_year(year))[""])}
        share = float(by_name["retention"].value)
        rows.append(YearRow(year, by_name, round(share * CHART_HEIGHT)))
    context = {"rows": rows, "lapsing": lapsing(today), "height": CHART_HEIGHT}
    return render(request, "insights/overview.html", context)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@permission_required("insights.view_givingsummary", raise_exception=True)
def download_excel(request: HttpRequest) -> HttpResponse:
    from koers.insights.excel import workbook

    today = local_today(timezone.now())
    years = list(range(today.year - YEARS + 1, today.year + 1))
    response = HttpResponse(workbook(years), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="retentie-{today:%Y-%m-%d}.xlsx"'
    return response
