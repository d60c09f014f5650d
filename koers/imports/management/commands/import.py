"""`koers import relations|gifts|mandates|consents FILE`: bring a CRM export in."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from koers.formatting import decimal, whole_number
from koers.imports.api import ImportError_, ImportReport, RowError, import_file
from koers.imports.schema import SCHEMAS


def parse_map(entries: list[str]) -> dict[str, str]:
    mapping = {}
    for entry in entries:
        column, sep, field = entry.partition("=")
        if not sep or not column.strip() or not field.strip():
            raise CommandError(
                f"--map {entry}: verwacht KOLOM=veld, bijvoorbeeld --map Nummer=external_id"
            )
        mapping[column.strip()] = field.strip()
    return mapping


# The phases of an import as the progress bar names them, in order (koers.imports.api).
PHASES = {
    "read": "inlezen en controleren",
    "check": "controleren in de database",
    "merge": "samenvoegen",
    "facts": "kenmerken bijwerken",
}


def next_phase(phase: str) -> str:
    order = list(PHASES)
    return order[order.index(phase) + 1] if phase in order[:-1] else ""


def phase_line(phase: str, rows: int, seconds: float) -> str:
    """'samenvoegen: 1,2 s, 58.333 rijen/s' for a phase that is over."""
    per_second = whole_number(round(rows / max(seconds, 1e-6)))
    return f"{PHASES.get(phase, phase)}: {decimal(seconds)} s, {per_second} rijen/s"


class Command(BaseCommand):
    help = (
        "Importeer een CSV- of Excel-export uit het CRM. Het hele bestand wordt eerst "
        "gecontroleerd; bij een fout wordt niets opgeslagen en volgt een rapport per rij."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(SCHEMAS), help="wat het bestand bevat")
        parser.add_argument("file", type=Path, help="CSV (; of ,) of XLSX")
        parser.add_argument(
            "--dry-run", action="store_true", help="alleen controleren, niets opslaan"
        )
        parser.add_argument("--json", action="store_true", help="het rapport als JSON")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="KOLOM=veld",
            help="koppel een eigen kolomnaam aan een veld, bijvoorbeeld --map Nummer=external_id",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        mapping = parse_map(options["map"])
        show_progress = not options["json"] and sys.stdout.isatty()
        try:
            if show_progress:
                report = self.with_progress(options, mapping)
            else:
                report = import_file(
                    options["kind"], options["file"], dry_run=options["dry_run"], mapping=mapping
                )
        except ImportError_ as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        else:
            self.write_report(report)
        if not report.ok:
            sys.exit(1)

    def with_progress(self, options: dict[str, Any], mapping: dict[str, str]) -> ImportReport:
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[rows]}"),
            TimeRemainingColumn(),
        )
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task(PHASES["read"], total=None, rows="")
            started = time.perf_counter()

            def advance(phase: str, rows: int, done: float, total: float | None, end: bool) -> None:
                if end:  # a phase is over: its line stays above the bar
                    bar.console.print(phase_line(phase, rows, done))
                    bar.update(task, description=PHASES.get(next_phase(phase), ""), rows="")
                    return
                per_second = rows / max(time.perf_counter() - started, 1e-6)
                rate = f"{whole_number(rows)} rijen, {whole_number(round(per_second))} rijen/s"
                bar.update(task, completed=done, total=total, rows=rate)

            return import_file(
                options["kind"],
                options["file"],
                dry_run=options["dry_run"],
                mapping=mapping,
                progress=advance,
            )

    def write_report(self, report: ImportReport) -> None:
        out = self.stdout.write
        if not report.ok:
            out(f"{report.file}: afgekeurd, er is niets opgeslagen. {report.error_count} fout(en):")
            self.write_rows(report.errors, report.error_count, "fout(en)")
            return
        out(
            f"{report.file}: {whole_number(report.rows)} rijen gelezen; "
            f"{whole_number(report.created)} nieuw, {whole_number(report.updated)} gewijzigd, "
            f"{whole_number(report.unchanged)} ongewijzigd"
            + (
                " (proefrun: er is niets opgeslagen)"
                if report.dry_run
                else f" ({report.seconds:.1f} s)"
            )
        )
        if report.ignored_columns:
            out(f"Niet gebruikte kolommen: {', '.join(report.ignored_columns)}")
        if report.notice_count:
            out(f"{report.notice_count} melding(en):")
            self.write_rows(report.notices, report.notice_count, "melding(en)")

    def write_rows(self, rows: list[RowError], total: int, what: str) -> None:
        """One line per row: where in the file (row, column, value) and what about it."""
        for row in rows:
            parts = [f"rij {row.row}"] if row.row else []
            parts += [f"kolom {row.column}"] if row.column else []
            parts += [f"waarde '{row.value}'"] if row.value else []
            self.stdout.write(
                f"  {', '.join(parts)}: {row.problem}" if parts else f"  {row.problem}"
            )
        if total > len(rows):
            self.stdout.write(f"  ... en nog {total - len(rows)} {what}")
