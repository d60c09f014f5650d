"""`koers worker`: the engine's loop. Stops cleanly on SIGTERM or Ctrl-C, between ticks."""

from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from koers.groups.facts import local_today, refresh_facts
from koers.journeys.clock import run_once


class Command(BaseCommand):
    help = (
        "De motor als doorlopend proces: elke minuut een tik en versturen; stopt netjes op SIGTERM."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=int, default=60, help="seconden tussen tikken (standaard 60)"
        )
        parser.add_argument("--once", action="store_true", help="één ronde en dan stoppen")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stopping = False
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        refreshed_on = None
        self.stdout.write("worker gestart")
        while not self.stopping:
            now = timezone.now()
            if refreshed_on != local_today(now):
                # Facts depend on the date (tenure, last 12 months): refresh once a day.
                refresh_facts(now)
                refreshed_on = local_today(now)
            ticks, sent = run_once(now)
            if ticks.enrolled or ticks.moved or (sent and sent.handled):
                self.stdout.write(
                    f"{now:%Y-%m-%d %H:%M}: {ticks.enrolled} ingestapt, {ticks.planned} gepland, "
                    f"{sent.sent if sent else 0} verstuurd"
                )
            if options["once"]:
                break
            self.sleep(options["interval"])
        self.stdout.write("worker gestopt")

    def stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def sleep(self, seconds: int) -> None:
        for _ in range(seconds):
            if self.stopping:
                return
            time.sleep(1)
