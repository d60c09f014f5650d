"""`koers run [--now ISO] [--until DATE]`: one tick of the engine, or a tick per day."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from koers.clock.tick import run_once, run_until
from koers.journeys.engine import TickReport
from koers.touchpoints.dispatch import DispatchReport
from koers.touchpoints.management.commands.touchpoints import parse_now


def summary(ticks: TickReport, sent: DispatchReport | None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "now": ticks.now.isoformat(),
        "enrolled": ticks.enrolled,
        "moved": ticks.moved,
        "planned": ticks.planned,
        "exited": ticks.exited,
        "planner_busy": ticks.skipped_lock,
    }
    if sent is not None:
        result.update(
            sent=sent.sent, released=sent.released, deferred=sent.deferred,
            failed=sent.failed, skipped=dict(sent.skipped),
        )  # fmt: skip
    return result


class Command(BaseCommand):
    help = (
        "Eén tik van de motor: nieuwe deelnemers, stappen verder, contactmomenten plannen en "
        "versturen. Met --until een tik per dag (09:00) tot en met die datum, "
        "voor simulatie en tests."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", help="doe alsof het nu dit tijdstip is (ISO, bijvoorbeeld 2026-11-24T09:00)"
        )
        parser.add_argument(
            "--until", help="tik per dag tot en met deze datum (ISO, bijvoorbeeld 2026-12-31)"
        )
        parser.add_argument(
            "--no-send", action="store_true", help="alleen plannen, niets versturen"
        )
        parser.add_argument("--json", action="store_true", help="uitkomst als JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_now(options["now"])
        send = not options["no_send"]
        if options["until"]:
            try:
                until = date.fromisoformat(options["until"])
            except ValueError:
                raise CommandError(
                    f"--until: '{options['until']}' is geen datum (2026-12-31)"
                ) from None
            reports = run_until(now, until, send=send)
        else:
            reports = [run_once(now, send=send)]
        rows = [summary(ticks, sent) for ticks, sent in reports]
        if options["json"]:
            self.stdout.write(json.dumps(rows if options["until"] else rows[0], indent=2))
            return
        for row in rows:
            sent = f", {row['sent']} verstuurd, {row['released']} klaargezet" if send else ""
            self.stdout.write(
                f"{row['now'][:16]}: {row['enrolled']} ingestapt, {row['moved']} stappen, "
                f"{row['planned']} gepland, {row['exited']} uitgestapt{sent}"
            )
