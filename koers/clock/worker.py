"""The worker: the engine as a process that stays up (`koers worker`).

Every round: the facts once a day, planning (journeys and calendars), then dispatch. A
database error (the server restarted, the network dropped, SQLite locked too long) ends
the round: one line in the log, the connections closed, a wait that grows from 1 s to at
most a minute, then the next round on fresh connections. Any other error is a fault in
Koers: its step is logged with the traceback and the round's other steps still run, so a
broken journey does not stop the e-mail that is due (docs/journeys.md, "Workers").
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from django.db import Error as DatabaseError
from django.db import connections
from django.utils import timezone

from koers.clock.tick import plan
from koers.groups.facts import local_today, refresh_facts_once_a_day
from koers.insights.summary import refresh_summary
from koers.journeys.engine import TickReport
from koers.touchpoints.claims import Owner
from koers.touchpoints.dispatch import DispatchReport, dispatch

log = logging.getLogger(__name__)
T = TypeVar("T")
LONGEST_WAIT = 60  # seconds between tries while the database stays away


def wait_after(failures: int) -> int:
    """1, 2, 4, ... seconds, at most LONGEST_WAIT."""
    return int(min(2 ** max(failures - 1, 0), LONGEST_WAIT))


def one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".rstrip(": ")


def crash_at(spec: str) -> Callable[[str], None]:
    """For the crash tests (KOERS_CRASH_AT=handed:3): the process kills itself with SIGKILL
    the 3rd time dispatch reaches that point (claimed, handed, delivered, recorded)."""
    point, _, count = spec.partition(":")
    wanted, seen = int(count or 1), 0

    def checkpoint(name: str) -> None:
        nonlocal seen
        if name == point:
            seen += 1
            if seen == wanted:
                os.kill(os.getpid(), signal.SIGKILL)

    return checkpoint


def _pass(name: str) -> None:
    return None


@dataclass
class Worker:
    say: Callable[[str], None]
    interval: int = 60
    checkpoint: Callable[[str], None] = _pass
    stopping: bool = False
    owner: Owner = field(default_factory=Owner)
    refreshed_on: date | None = None
    failures: int = 0
    # Per step: the last fault, so a fault that repeats every round is logged in full once.
    faults: dict[str, str] = field(default_factory=dict)

    def stop(self, *args: Any) -> None:
        self.stopping = True

    def run(self, once: bool = False) -> int:
        """Round after round until SIGTERM; with `once` one round. The exit status."""
        while not self.stopping:
            try:
                self.round(timezone.now())
            except DatabaseError as error:
                self.failures += 1
                wait = wait_after(self.failures)
                log.warning("database error: %s; next try in %s s", one_line(error), wait)
                with contextlib.suppress(DatabaseError):  # a broken one may fail to close
                    connections.close_all()  # the next round starts on fresh connections
                if once:
                    return 1
                self.sleep(wait)
                continue
            if self.failures:
                self.say(f"database weer bereikbaar na {self.failures} mislukte pogingen")
                self.failures = 0
            if once:
                break
            self.sleep(self.interval)
        return 0

    def round(self, now: datetime) -> None:
        # Facts depend on the date (tenure, last 12 months): refreshed once a day, by
        # whichever worker comes first.
        today = local_today(now)
        if self.refreshed_on != today and self.step("facts", lambda: self.refresh(now)):
            self.refreshed_on = today
        ticks = self.step("planning", lambda: plan(now))
        sent = self.step("dispatch", lambda: self.dispatch(now))
        self.report(now, ticks, sent)

    def refresh(self, now: datetime) -> bool:
        refresh_facts_once_a_day(now)
        refresh_summary()  # gifts that came in other than by an import
        return True

    def dispatch(self, now: datetime) -> DispatchReport:
        return dispatch(
            now, owner=self.owner, should_stop=lambda: self.stopping, checkpoint=self.checkpoint
        )

    def step(self, name: str, work: Callable[[], T]) -> T | bool:
        """Run one step; a fault of Koers' own is logged and the round goes on (False)."""
        try:
            result = work()
        except DatabaseError:
            raise
        except Exception as error:
            text = one_line(error)
            if self.faults.get(name) == text:
                log.error("worker: %s failed again: %s", name, text)
            else:
                log.exception("worker: %s failed; the other steps go on", name)
            self.faults[name] = text
            return False
        self.faults.pop(name, None)
        return result

    def report(self, now: datetime, ticks: object, sent: object) -> None:
        ticks = ticks if isinstance(ticks, TickReport) else TickReport(now)
        sent = sent if isinstance(sent, DispatchReport) else DispatchReport()
        if not (ticks.enrolled or ticks.moved or sent.handled):
            return
        doubt = f", {sent.uncertain} mogelijk verstuurd" if sent.uncertain else ""
        self.say(
            f"{timezone.localtime(now):%Y-%m-%d %H:%M}: {ticks.enrolled} ingestapt, "
            f"{ticks.planned} gepland, {sent.sent} verstuurd{doubt}"
        )

    def sleep(self, seconds: float) -> None:
        """Wait, but never more than half a second after SIGTERM."""
        until = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < until:
            time.sleep(min(0.5, until - time.monotonic()))
