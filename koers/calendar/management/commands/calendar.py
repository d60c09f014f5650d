"""`koers calendar ...`: the appreciation calendar (waarderingskalender) from the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.console import Console
from rich.table import Table

from koers.calendar import actions
from koers.calendar.models import Calendar
from koers.calendar.overview import MONTHS_SHORT, totaaloverzicht, totals
from koers.calendar.plan import PlanError
from koers.calendar.report import Year, find, work_out
from koers.formatting import day, euro, whole_number
from koers.relations.models import Relation


class Command(BaseCommand):
    help = (
        "Waarderingskalender: importeren en exporteren als YAML, het voorbeeld installeren, "
        "het jaar voorspellen en controleren, iCalendar- en Excel-export."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="alle kalenders")
        imported = sub.add_parser("import", help="een kalender uit YAML opslaan (alles of niets)")
        imported.add_argument("file", type=Path, help="het YAML-bestand (schema: docs/calendar.md)")
        exported = sub.add_parser("export-yaml", help="een kalender als YAML")
        exported.add_argument("name", help="sleutel van de kalender")
        install = sub.add_parser("install", help="een meegeleverde kalender installeren")
        install.add_argument("name", help="naam: example")
        for verb, text in (("activate", "uitvoeren"), ("deactivate", "niet meer uitvoeren")):
            switch = sub.add_parser(verb, help=f"de dagelijkse run laat de kalender {text}")
            switch.add_argument("name", help="sleutel van de kalender")
        for verb, text in (
            ("forecast", "het jaar voorspellen: wie krijgt wat, wanneer, tegen welke kosten"),
            ("check", "de vijf controles: dekking, verhouding, balans, niet te veel, werkdruk"),
        ):
            year = sub.add_parser(verb, help=text)
            self.year_arguments(year)
            year.add_argument("--json", action="store_true", help="als JSON")
            if verb == "forecast":
                year.add_argument("--relation", help="het jaar van één relatie (relatienummer)")
        ical = sub.add_parser("ical", help="iCalendar-feed van de jaarmomenten en de werklast")
        self.year_arguments(ical)
        ical.add_argument("--output", type=Path, help="bestand (standaard: naar het scherm)")
        excel = sub.add_parser("export", help="het hele plan als Excel-bestand")
        self.year_arguments(excel)
        excel.add_argument("file", type=Path, help="het .xlsx-bestand")

    def year_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="het jaar (standaard: dit jaar)")
        parser.add_argument("--calendar", help="sleutel van de kalender (bij meer dan één)")
        parser.add_argument(
            "--no-journeys",
            action="store_true",
            help="de bedankjes uit de klantreizen niet meetellen (sneller)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, "do_" + options["action"].replace("-", "_"))
        try:
            handler(options)
        except PlanError as error:
            lines = "\n".join(f"  - {problem}" for problem in error.problems)
            raise CommandError(f"de kalender kan zo niet gebruikt worden:\n{lines}") from None
        except LookupError as error:
            raise CommandError(str(error.args[0])) from None

    def work_out(self, options: dict[str, Any]) -> Year:
        year = options["year"] or timezone.localdate().year
        if not 1900 < year < 2200:
            raise CommandError(f"--year {year}: een jaartal, zoals 2027")
        calendar = find(options["calendar"])
        return work_out(calendar, year, journeys=not options["no_journeys"])

    def do_list(self, options: dict[str, Any]) -> None:
        for calendar in Calendar.objects.all():
            state = "in uitvoering" if calendar.active else "niet actief"
            self.stdout.write(
                f"{calendar.key}: {calendar.name} ({calendar.moments.count()} momenten, {state})"
            )

    def do_import(self, options: dict[str, Any]) -> None:
        calendar = actions.import_yaml(options["file"])
        self.stdout.write(f"{calendar.key}: {calendar.moments.count()} momenten opgeslagen")

    def do_export_yaml(self, options: dict[str, Any]) -> None:
        self.stdout.write(actions.export_yaml(find(options["name"])), ending="")

    def do_install(self, options: dict[str, Any]) -> None:
        calendar = actions.install(options["name"])
        self.stdout.write(
            f"{calendar.key}: {calendar.moments.count()} momenten geïnstalleerd; "
            f"'koers calendar activate {calendar.key}' laat de dagelijkse run ze uitvoeren"
        )

    def do_activate(self, options: dict[str, Any]) -> None:
        actions.set_active(find(options["name"]), True)
        self.stdout.write(f"{options['name']}: in uitvoering")

    def do_deactivate(self, options: dict[str, Any]) -> None:
        actions.set_active(find(options["name"]), False)
        self.stdout.write(f"{options['name']}: niet meer in uitvoering")

    def do_forecast(self, options: dict[str, Any]) -> None:
        year = self.work_out(options)
        if options["relation"]:
            self.one_relation(year, options["relation"], options["json"])
            return
        if options["json"]:
            data = year.as_dict()
            data.pop("checks")
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        figures = totals(year.forecast)
        self.stdout.write(
            f"{year.plan.name}, {year.forecast.year}: "
            f"{whole_number(figures['appreciate'])} keer waarderen, "
            f"{whole_number(figures['thank'])} keer bedanken, "
            f"{euro(figures['cost_cents'])}, {str(figures['staff_hours']).replace('.', ',')} "
            f"uur werk, voor {whole_number(figures['relations'])} relaties"
        )
        self.print_table(self.overview_table(year))

    def overview_table(self, year: Year) -> Table:
        title = "Totaaloverzicht (waarderen/bedanken)"
        table = Table("groep", *map(str, MONTHS_SHORT), "kosten", title=title)
        names = {"*": "Alle relaties", **year.forecast.base.group_names}
        for key, cells in totaaloverzicht(year.forecast).items():
            table.add_row(
                names[key],
                *[f"{c.appreciate}/{c.thank}" for c in cells],
                euro(sum(c.cost_cents for c in cells)),
            )
        return table

    def one_relation(self, year: Year, number: str, as_json: bool) -> None:
        relation = Relation.objects.filter(external_id=number).first()
        if relation is None:
            raise CommandError(f"--relation {number}: geen relatie met dit relatienummer")
        found = np.flatnonzero(year.forecast.base.ids == relation.pk)
        if not len(found):
            raise CommandError(f"--relation {number}: de relatie is niet actief")
        rows = year.forecast.for_relation(int(found[0]))
        if as_json:
            data = [
                {"date": d.isoformat(), "moment": s.key, "nature": s.nature, "channel": c,
                 "status": status}
                for d, s, c, status in rows
            ]  # fmt: skip
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for moment, source, channel, status in rows:
            what = f"{source.name} ({source.nature}, {channel})"
            self.stdout.write(f"{day(moment)}  {what}: {status}")

    def do_check(self, options: dict[str, Any]) -> None:
        year = self.work_out(options)
        if options["json"]:
            data = {"calendar": year.plan.key, "year": year.forecast.year, "passed": year.passed}
            data["checks"] = [check.as_dict() for check in year.checks]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for number, check in enumerate(year.checks, start=1):
            verdict = "in orde" if check.passed else "NIET IN ORDE"
            self.stdout.write(f"{number}. {check.question} {verdict}")
            for finding in check.findings:
                self.stdout.write(f"   - {finding}")
            for note in check.notes:
                self.stdout.write(f"   (let op) {note}")
        if not year.passed:
            raise CommandError("de kalender doorstaat niet alle controles (zie hierboven)")

    def do_ical(self, options: dict[str, Any]) -> None:
        from koers.calendar.ical import feed

        year = self.work_out(options)
        data = feed(year.overview())
        if options["output"]:
            options["output"].write_bytes(data)
            self.stdout.write(f"{options['output']}: geschreven")
        else:
            self.stdout.write(data.decode("utf-8"), ending="")

    def do_export(self, options: dict[str, Any]) -> None:
        from koers.calendar.excel import write_workbook

        path: Path = options["file"]
        if path.suffix.lower() != ".xlsx":
            raise CommandError(f"{path}: de naam eindigt op .xlsx")
        year = self.work_out(options)
        write_workbook(year.overview(), path)
        self.stdout.write(f"{path}: geschreven")

    def print_table(self, table: Table) -> None:
        console = Console(file=io.StringIO(), width=160, record=True)
        console.print(table)
        self.stdout.write(console.export_text(), ending="")
