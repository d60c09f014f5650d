"""`koers journeys list|import|export|templates|install|status`: journeys from the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from koers.journeys import actions
from koers.journeys.choices import EnrollmentState, JourneyStatus
from koers.journeys.definition import DefinitionError
from koers.journeys.models import Journey


class Command(BaseCommand):
    help = "Klantreizen: tonen, importeren en exporteren als YAML, sjablonen installeren."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="alle klantreizen per fase")
        listing.add_argument("--json", action="store_true", help="als JSON")
        imported = sub.add_parser(
            "import", help="een klantreis uit YAML publiceren als nieuwe versie"
        )
        imported.add_argument("file", type=Path, help="het YAML-bestand (schema: docs/journeys.md)")
        imported.add_argument(
            "--running",
            default="stay",
            help="lopende deelnames: stay (standaard), move, of move:STAP",
        )
        imported.add_argument("--check", action="store_true", help="alleen controleren")
        exported = sub.add_parser("export", help="een klantreis als YAML of als Excel-kaart")
        exported.add_argument("key", help="sleutel van de klantreis")
        exported.add_argument(
            "--format",
            choices=("yaml", "xlsx", "pdf", "png"),
            help="standaard: naar de naam van het bestand",
        )
        exported.add_argument("--paper", choices=("A4", "A3"), default="A4", help="pdf en png")
        exported.add_argument("file", nargs="?", type=Path, help="bestand (xlsx: verplicht)")
        sub.add_parser("templates", help="de meegeleverde sjablonen")
        blank = sub.add_parser(
            "blank", help="een lege Excel-werkmap om een klantreis in te tekenen"
        )
        blank.add_argument("file", type=Path, help="het .xlsx-bestand")
        install = sub.add_parser("install", help="een meegeleverd sjabloon installeren")
        install.add_argument("name", help="naam van het sjabloon (zie: koers journeys templates)")
        status = sub.add_parser("status", help="status zetten: draft, active, paused, retired")
        status.add_argument("key", help="sleutel van de klantreis")
        status.add_argument("status", choices=JourneyStatus.values)

    def handle(self, *args: Any, **options: Any) -> None:
        handlers = {
            "list": self.show_list,
            "import": self.import_file,
            "export": self.export,
            "templates": self.show_templates,
            "blank": self.write_blank,
            "install": self.install,
            "status": self.set_status,
        }
        try:
            handlers[options["action"]](options)
        except DefinitionError as error:
            raise CommandError(self.problems(error)) from None

    def problems(self, error: DefinitionError) -> str:
        lines = "\n".join(f"  - {problem}" for problem in error.problems)
        return f"de klantreis kan zo niet gebruikt worden:\n{lines}"

    def journey(self, key: str) -> Journey:
        journey = Journey.objects.filter(key=key).select_related("phase").first()
        if journey is None:
            known = ", ".join(Journey.objects.values_list("key", flat=True)) or "nog geen"
            raise CommandError(f"klantreis '{key}' bestaat niet (bekend: {known})")
        return journey

    def show_list(self, options: dict[str, Any]) -> None:
        rows = [
            {
                "key": j.key,
                "name": j.name,
                "phase": j.phase.key,
                "status": j.status,
                "version": j.versions.count(),
                "active": j.enrollments.filter(state=EnrollmentState.ACTIVE).count(),
            }
            for j in Journey.objects.select_related("phase")
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        table = Table("fase", "sleutel", "naam", "status", "versie", "onderweg")
        for row in rows:
            table.add_row(
                str(row["phase"]),
                str(row["key"]),
                str(row["name"]),
                str(row["status"]),
                str(row["version"]),
                str(row["active"]),
            )
        console = Console(file=io.StringIO(), width=140, record=True)
        console.print(table)
        self.stdout.write(console.export_text(), ending="")

    def import_file(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if path.suffix == ".xlsx":
            from koers.journeys.sheet_import import read

            if not path.exists():
                raise CommandError(f"{path}: bestand bestaat niet")
            data = read(path)
        try:
            if path.suffix != ".xlsx":
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"{path}: kan het bestand niet lezen ({error.strerror})") from None
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: geen geldige YAML: {error}") from None
        if options["check"]:
            from koers.journeys.definition import parse_definition

            parse_definition(data)
            self.stdout.write(f"{path}: in orde")
            return
        version = actions.publish(
            data, note=f"geïmporteerd uit {path.name}", running=options["running"]
        )
        self.stdout.write(
            f"{version.journey.key}: versie {version.number} gepubliceerd "
            f"({version.journey.status})"
        )

    def write_blank(self, options: dict[str, Any]) -> None:
        from koers.journeys.sheet_import import template

        try:
            template().save(options["file"])
        except OSError as error:
            raise CommandError(
                f"{options['file']}: kan niet schrijven ({error.strerror})"
            ) from None
        self.stdout.write(f"lege werkmap geschreven naar {options['file']}")

    def export(self, options: dict[str, Any]) -> None:
        journey = self.journey(options["key"])
        path = options["file"]
        suffix = path.suffix.lstrip(".") if path else ""
        fmt = options["format"] or (suffix if suffix in ("xlsx", "pdf", "png") else "yaml")
        if fmt == "yaml":
            text = actions.export(journey)
            if options["file"]:
                options["file"].write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
            return
        if not options["file"]:
            raise CommandError(f"Geef een bestand op: koers journeys export KEY FILE.{fmt}")
        self.export_document(journey, options["file"], fmt, options["paper"])

    def export_document(self, journey: Journey, path: Path, fmt: str, paper: str) -> None:
        from django.utils import timezone

        from koers.journeys import document
        from koers.journeys.queries import current_definition
        from koers.journeys.report import journey_map
        from koers.journeys.workbook import add_journey_sheet
        from koers.spreadsheet import new_workbook

        definition = current_definition(journey)
        if definition is None:
            raise CommandError(f"'{journey.key}' heeft geen geldige gepubliceerde versie")
        found = journey_map(journey, definition, timezone.now())
        try:
            if fmt == "xlsx":
                book = new_workbook()
                add_journey_sheet(book, found)
                book.save(path)
            else:
                make = document.pdf if fmt == "pdf" else document.png
                path.write_bytes(make(found, timezone.now(), paper))
        except OSError as error:
            raise CommandError(f"{path}: kan niet schrijven ({error.strerror})") from None
        self.stdout.write(f"{journey.key}: kaart geschreven naar {path}")

    def show_templates(self, options: dict[str, Any]) -> None:
        for key, data in actions.templates().items():
            self.stdout.write(f"{key}: {data.get('name', '')}")

    def install(self, options: dict[str, Any]) -> None:
        version = actions.install(options["name"])
        self.stdout.write(
            f"{version.journey.key}: versie {version.number} geïnstalleerd "
            f"({version.journey.status})"
        )

    def set_status(self, options: dict[str, Any]) -> None:
        journey = self.journey(options["key"])
        actions.set_status(journey, JourneyStatus(options["status"]))
        self.stdout.write(f"{journey.key}: {journey.get_status_display()}")
