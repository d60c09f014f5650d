"""`koers touchpoints [--json] [--relation ID] [--journey KEY]`: the outbox, row by row."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from koers.formatting import day
from koers.touchpoints.models import Touchpoint


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


class Command(BaseCommand):
    help = (
        "Contactmomenten: relatie, klantreis, stap, kanaal, aard, gepland, verstuurd, "
        "uiterlijk, status en reden van overslaan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--relation", help="alleen deze relatie (relatienummer)")
        parser.add_argument("--journey", help="alleen deze klantreis (sleutel)")
        parser.add_argument(
            "--status", help="alleen deze status (planned, open, sent, done, skipped, failed)"
        )
        parser.add_argument(
            "--limit", type=int, default=10000, help="hoogstens zoveel (standaard 10000)"
        )
        parser.add_argument("--json", action="store_true", help="als JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = Touchpoint.objects.select_related("relation", "journey").order_by("planned_at", "id")
        if options["relation"]:
            rows = rows.filter(relation__external_id=options["relation"])
        if options["journey"]:
            rows = rows.filter(journey__key=options["journey"])
        if options["status"]:
            rows = rows.filter(status=options["status"])
        found = [
            {
                "relation": t.relation.external_id,
                "journey": t.journey.key if t.journey else None,
                "source": t.source,
                "step": t.step,
                "channel": t.channel,
                "nature": t.nature,
                "planned_at": iso(t.planned_at),
                "sent_at": iso(t.sent_at),
                "done_at": iso(t.done_at),
                "deadline": iso(t.deadline),
                "status": t.status,
                "skip_reason": t.skip_reason,
                "outcome": t.outcome,
            }
            for t in rows[: options["limit"]]
        ]
        if options["json"]:
            self.stdout.write(json.dumps(found, ensure_ascii=False, indent=2))
            return
        for row in found:
            reason = f" ({row['skip_reason']})" if row["skip_reason"] else ""
            planned = day(datetime.fromisoformat(str(row["planned_at"])))
            self.stdout.write(
                f"{planned} {row['relation']} {row['step'] or row['source']} {row['channel']} "
                f"{row['status']}{reason}"
            )
