"""Real `koers worker` processes under faults: the database goes away and comes back under
them, and several start at the same moment. They stay up and send every touchpoint once."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from koers.conftest import Inbox, free_port
from koers.journeys import actions
from koers.journeys.tests.conftest import donor
from koers.touchpoints.models import Touchpoint
from koers.touchpoints.tests.processes import Base, Proxy, received, wait_for
from koers.touchpoints.tests.test_worker_crash import planned

pytestmark = pytest.mark.django_db(transaction=True)
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only; .ci/run runs it in that pass"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


class SlowInbox(Inbox):
    """An SMTP server that takes 20 ms per message, so a round lasts long enough to cut."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_smtp(settings: Any) -> Iterator[Inbox]:
    from aiosmtpd.controller import Controller

    inbox = SlowInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    yield inbox
    controller.stop()


def stopped(process: Any) -> tuple[str, str]:
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return str(out), str(err)


def sent_count() -> int:
    return Touchpoint.objects.filter(status="sent").count()


@on_postgres
def test_a_worker_whose_database_goes_away_mid_round_comes_back_and_sends_each_mail_once(
    slow_smtp: Inbox, seeded: None, tmp_path: Path
) -> None:
    mails = planned("email", 120)
    db = connection.settings_dict
    proxy = Proxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    base = Base(tmp_path, slow_smtp)
    base.env["DATABASE_URL"] = base.url(port=proxy.port)
    worker = base.start("worker", "--interval", "1")

    wait_for(lambda: len(slow_smtp.messages) >= 20, 60, "the first 20 mails")
    proxy.cut()  # every connection dropped, new ones refused
    cut_at = len(slow_smtp.messages)
    time.sleep(4)
    proxy.restore()
    wait_for(lambda: sent_count() == 120, 90, "all 120 mails recorded as sent")
    out, err = stopped(worker)

    assert cut_at < 120  # the database went away in the middle of the round
    assert received(slow_smtp) == Counter({str(t.pk): 1 for t in mails})
    assert "database error: OperationalError" in err
    assert "Traceback" not in err
    assert "database weer bereikbaar" in out
    assert Touchpoint.objects.exclude(status="sent").count() == 0


@on_sqlite
def test_a_worker_waits_out_a_locked_sqlite_file_and_sends_each_mail_once(
    smtp: Inbox, seeded: None, tmp_path: Path
) -> None:
    mails = planned("email", 5)
    Touchpoint.objects.update(planned_at=timezone.now() + timedelta(days=1))
    base = Base(tmp_path, smtp, KOERS_SQLITE_TIMEOUT="1")

    with base.shared():
        worker = base.start("worker", "--interval", "1")
        wait_for(lambda: facts_written(base.file), 60, "the worker's first round")
        # Another process holds the file's write lock longer than the worker will wait,
        # and makes the mails due meanwhile: the worker sees them once the lock is gone.
        locker = sqlite3.connect(base.file, isolation_level=None, timeout=30)
        locker.execute("BEGIN EXCLUSIVE")
        due = (timezone.now() - timedelta(minutes=1)).astimezone(UTC)
        locker.execute(
            "UPDATE touchpoints_touchpoint SET planned_at = ?", [due.strftime("%Y-%m-%d %H:%M:%S")]
        )
        time.sleep(6)
        assert smtp.messages == []
        locker.execute("COMMIT")
        locker.close()
        wait_for(lambda: len(smtp.messages) == 5, 60, "the 5 mails")
        out, err = stopped(worker)

    assert received(smtp) == Counter({str(t.pk): 1 for t in mails})
    assert "database error: OperationalError: database is locked" in err
    assert "Traceback" not in err
    assert "database weer bereikbaar" in out
    assert sent_count() == 5


def facts_written(file: Path) -> bool:
    """Whether the worker's first round (it starts with the facts) has been written."""
    with sqlite3.connect(file, timeout=30) as db:
        return bool(db.execute("SELECT COUNT(*) FROM groups_facts").fetchone()[0])


@on_postgres
@pytest.mark.parametrize("count", [2, 4])
def test_workers_started_at_once_tick_together_and_send_every_touchpoint_once(
    count: int, smtp: Inbox, seeded: None, tmp_path: Path
) -> None:
    actions.install("welkom-structureel")
    today = timezone.localdate()
    for n in range(40):  # each gets the welcome flow's thank-you mail at the first tick
        donor(f"W{n}", f"Welkom{n}", monthly_cents=1000, started=today)
    mails = planned("email", 260)
    base = Base(tmp_path, smtp)

    workers = [base.start("worker", "--interval", "1") for _ in range(count)]
    wait_for(lambda: sent_count() == 300, 120, "all 300 mails recorded as sent")
    time.sleep(3)  # a few more ticks with nothing left to do
    outputs = [stopped(worker) for worker in workers]

    sent = received(smtp)
    assert len(sent) == 300 and set(sent.values()) == {1}
    assert {str(t.pk) for t in mails} <= set(sent)
    for _out, err in outputs:
        assert "Traceback" not in err and "IntegrityError" not in err, err
    assert Touchpoint.objects.filter(source__startswith="journey:").count() == 40
