"""`koers facts refresh`: recompute every relation's facts, set-based."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from koers.groups.facts import refresh_facts


def parse_now(value: str | None) -> datetime:
    """--now as an ISO date or date-time; a naive one is read in Koers' time zone."""
    if value is None:
        return timezone.now()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--now {value!r}: verwacht een datum of tijdstip als 2026-11-23 of 2026-11-23T09:00"
        ) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = "Kenmerken per relatie (eerste/laatste gift, totalen, RFM, steun, niveau) herberekenen."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="alle kenmerken opnieuw berekenen")
        refresh.add_argument("--now", help="rekenen alsof het dit tijdstip is (ISO)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_now(options.get("now"))
        started = time.perf_counter()
        count = refresh_facts(now)
        seconds = time.perf_counter() - started
        self.stdout.write(f"Kenmerken van {count} relaties herberekend in {seconds:.1f} s")
