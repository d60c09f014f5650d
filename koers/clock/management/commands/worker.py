"""`koers worker`: the engine's loop (koers.clock.worker). Stops cleanly on SIGTERM or Ctrl-C."""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from koers.clock.worker import Worker, crash_at


class Command(BaseCommand):
    help = (
        "De motor als doorlopend proces: elke minuut een tik en versturen. Blijft draaien als "
        "de database even weg is (wacht en probeert opnieuw); stopt netjes op SIGTERM. "
        "Meer workers tegelijk mag, op PostgreSQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=int, default=60, help="seconden tussen tikken (standaard 60)"
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="één ronde en dan stoppen (met status 1 als de database niet bereikbaar was)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker = Worker(say=self.stdout.write, interval=max(options["interval"], 1))
        if os.environ.get("KOERS_CRASH_AT"):  # the crash tests only: see koers.clock.worker
            worker.checkpoint = crash_at(os.environ["KOERS_CRASH_AT"])
        signal.signal(signal.SIGTERM, worker.stop)
        signal.signal(signal.SIGINT, worker.stop)
        self.stdout.write("worker gestart")
        status = worker.run(once=options["once"])
        self.stdout.write("worker gestopt")
        if status:
            sys.exit(status)
