"""`koers kpi retention`: donor retention by the FEP definitions (docs/insights.md)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from koers.formatting import decimal, euro, whole_number
from koers.groups.facts import local_today
from koers.groups.management.commands.facts import parse_now
from koers.insights.queries import (
    BY,
    Period,
    calendar_year,
    lapsing,
    retention_counts,
    rolling,
)
from koers.insights.retention import Figure, figures
from koers.insights.summary import rebuild_summary, refresh_summary


def _period(options: dict[str, Any]) -> Period:
    if options.get("rolling"):
        text = options["rolling"]
        try:
            year, month = (int(part) for part in text.split("-"))
            if not 1 <= month <= 12:
                raise ValueError
        except ValueError:
            raise CommandError(
                f"--rolling {text!r}: verwacht de laatste maand als 2026-11"
            ) from None
        return rolling(year * 100 + month)
    if options.get("year") is None:
        raise CommandError("geef --year JAAR of --rolling JJJJ-MM")
    return calendar_year(options["year"])


def _show(figure: Figure) -> str:
    if figure.kind == "rate":
        if figure.n == 0:
            return f"{figure.name}: - (n = 0)"
        low, high = figure.low or 0.0, figure.high or 0.0
        value = (
            f"{decimal(100 * figure.value)} % (95 %: {decimal(100 * low)}-{decimal(100 * high)} %)"
        )
        return f"{figure.name}: {value}  n = {figure.n}"
    if figure.kind == "ratio":
        return f"{figure.name}: {decimal(100 * figure.value)} %"
    if figure.kind == "cents":
        return f"{figure.name}: {euro(int(figure.value))}  n = {figure.n}"
    return f"{figure.name}: {figure.value}  n = {figure.n}"


class Command(BaseCommand):
    help = "Kengetallen van donateurs: retentie volgens de FEP-definities (docs/insights.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        retention = sub.add_parser("retention", help="retentie van jaar Y tegen Y-1")
        retention.add_argument("--year", type=int, help="kalenderjaar Y")
        retention.add_argument("--rolling", help="12 maanden tot en met deze maand (JJJJ-MM)")
        retention.add_argument("--by", choices=BY, help="per niveau, eerste campagne of groep")
        retention.add_argument("--json", action="store_true", help="uitvoer als JSON")
        lapsing = sub.add_parser(
            "lapsing", help="LYBUNT en SYBUNT: aantallen en bedrag op het spel"
        )
        lapsing.add_argument("--now", help="rekenen alsof het deze datum is (ISO)")
        lapsing.add_argument("--json", action="store_true", help="uitvoer als JSON")
        summary = sub.add_parser("summary", help="het giftenoverzicht bijwerken")
        summary.add_argument("--rebuild", action="store_true", help="alles opnieuw optellen")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "summary":
            if options["rebuild"]:
                self.stdout.write(f"Giftenoverzicht opnieuw opgebouwd: {rebuild_summary()} rijen")
            else:
                self.stdout.write(f"Giftenoverzicht bijgewerkt: {refresh_summary()} relaties")
            return
        if options["action"] == "lapsing":
            self._lapsing(options)
            return
        period = _period(options)
        per_segment = retention_counts(period, options.get("by") or "")
        if options["json"]:
            data = {
                "period": period.label,
                "segments": {
                    key: {f.name: f.as_dict() for f in figures(counts)}
                    for key, counts in per_segment.items()
                },
            }
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        for key, counts in per_segment.items():
            self.stdout.write(f"{period.label}{' ' + key if key else ''}")
            for figure in figures(counts):
                self.stdout.write(f"  {_show(figure)}")

    def _lapsing(self, options: dict[str, Any]) -> None:
        today = local_today(parse_now(options.get("now")))
        found = lapsing(today)
        if options["json"]:
            data = {
                key: {"relations": n, "cents_at_stake": cents} for key, (n, cents) in found.items()
            }
            self.stdout.write(json.dumps(data, indent=2))
            return
        for key, (n, cents) in found.items():
            self.stdout.write(
                f"{key.upper()}: {whole_number(n)} relaties, {euro(cents)} op het spel"
            )
