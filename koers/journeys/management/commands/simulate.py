"""`koers simulate KEY --days 90 [--json]`: what a journey would do, without writing anything."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from koers.formatting import euro
from koers.journeys.models import Journey
from koers.journeys.simulation import simulate


class Command(BaseCommand):
    help = (
        "Simuleer een klantreis op het echte relatiebestand: contactmomenten per week, stap en "
        "kanaal, benodigde uren en kosten. Schrijft niets weg en verstuurt niets."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("key", help="sleutel van de klantreis")
        parser.add_argument("--days", type=int, default=90, help="aantal dagen (standaard 90)")
        parser.add_argument("--json", action="store_true", help="als JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if not Journey.objects.filter(key=options["key"]).exists():
            raise CommandError(f"klantreis '{options['key']}' bestaat niet")
        if not 1 <= options["days"] <= 366:
            raise CommandError("--days: kies 1 tot en met 366 dagen")
        result = simulate(options["key"], options["days"]).as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{result['journey']}: {result['enrolled']} relaties stappen in, "
            f"{result['touchpoints']} contactmomenten"
        )
        for week, counts in result["per_week"].items():
            self.stdout.write(
                f"  {week}: " + ", ".join(f"{n} {c}" for c, n in sorted(counts.items()))
            )
        self.stdout.write(f"  uren: {result['staff_hours']}, kosten: {euro(result['cost_cents'])}")
        if result["spaced"]:
            self.stdout.write(
                f"  later gepland om contacten uit elkaar te houden (min_gap): {result['spaced']}"
            )
        if result["skipped"]:
            self.stdout.write(
                "  overgeslagen: " + ", ".join(f"{n} {r}" for r, n in result["skipped"].items())
            )
