"""A real `koers worker` killed with SIGKILL at each step of a dispatch batch, then the
claims reconciled: nothing received twice, nothing lost (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import json
import signal
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from koers.conftest import Inbox
from koers.journeys.tests.conftest import donor
from koers.touchpoints.models import PrintBatch, Touchpoint
from koers.touchpoints.tests.processes import Base, received

pytestmark = pytest.mark.django_db(transaction=True)
KILLED = -signal.SIGKILL


def planned(channel: str, count: int) -> list[Touchpoint]:
    """`count` touchpoints on `channel`, due now, each for a relation of its own."""
    content = {"subject": "Nieuws van ons", "body": "{{ aanhef }}\n\nZo helpt uw steun."}
    due = timezone.now() - timedelta(minutes=1)
    return [
        Touchpoint.objects.create(
            relation=donor(f"R{n}", f"Donor{n}"),
            source="test:crash",
            occurrence="1",
            channel=channel,
            nature="inform",
            content=content,
            planned_at=due,
        )
        for n in range(count)
    ]


def crash_then_recover(base: Base, point: str) -> None:
    killed = base.run("worker", "--once", KOERS_CRASH_AT=point)
    assert killed.returncode == KILLED, killed.stderr
    time.sleep(2.2)  # longer than KOERS_CLAIM_TIMEOUT: the dead worker's claim lapses
    again = base.run("worker", "--once")
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize(
    ("point", "arrived_before", "in_doubt"),
    [
        ("claimed:1", 0, 0),  # claimed, nothing handed over: all planned again
        ("handed:2", 1, 1),  # the 2nd marked as handed over, the SMTP server never saw it
        ("delivered:3", 3, 1),  # the 3rd accepted by the server, not recorded
        ("recorded:4", 4, 0),  # the 4th recorded, the 5th still claimed
    ],
)
def test_a_worker_killed_while_mailing_sends_every_mail_once_after_reconciliation(
    point: str, arrived_before: int, in_doubt: int, smtp: Inbox, seeded: None, tmp_path: Path
) -> None:
    mails = planned("email", 5)
    base = Base(tmp_path, smtp)

    with base.shared():
        killed = base.run("worker", "--once", KOERS_CRASH_AT=point)
        assert killed.returncode == KILLED, killed.stderr
        assert sum(received(smtp).values()) == arrived_before
        time.sleep(2.2)  # longer than KOERS_CLAIM_TIMEOUT: the dead worker's claim lapses
        assert base.run("worker", "--once").returncode == 0
        listed = json.loads(base.run("touchpoints", "reconcile", "--json").stdout)
        # What a person does: look the Message-ID up in the mail server's log, and decide.
        accepted = {str(message["Message-ID"]) for message in smtp.messages}
        for row in listed["uncertain"]:
            decision = "--sent" if row["delivery_key"] in accepted else "--resend"
            decided = base.run("touchpoints", "reconcile", decision, str(row["id"]))
            assert decided.returncode == 0, decided.stderr
        assert base.run("worker", "--once").returncode == 0

    assert len(listed["uncertain"]) == in_doubt
    assert received(smtp) == Counter({str(t.pk): 1 for t in mails})
    assert sorted(Touchpoint.objects.values_list("status", flat=True)) == ["sent"] * 5


def addresses(folder: Path) -> Counter[str]:
    """Per touchpoint, how many finished print batches list it for the print house."""
    found: Counter[str] = Counter()
    for batch in PrintBatch.objects.exclude(finished_at=None):
        with (folder / "print" / batch.manifest).open(encoding="utf-8-sig") as handle:
            found.update(row[0] for row in list(csv.reader(handle, delimiter=";"))[1:])
    return found


@pytest.mark.parametrize(
    "point",
    [
        "handed:2",  # the 2nd letter marked, its file never written: made again
        "delivered:2",  # the 2nd letter's file written, not recorded: kept in its batch
        "recorded:3",  # all recorded, the batch's PDF and address list not yet written
    ],
)
def test_a_worker_killed_while_printing_puts_every_letter_in_one_batch_once(
    point: str, seeded: None, tmp_path: Path, settings: Any
) -> None:
    settings.KOERS_PRINT_DIR = tmp_path / "print"
    letters = planned("letter", 3)
    base = Base(tmp_path)

    with base.shared():
        crash_then_recover(base, point)

    assert addresses(tmp_path) == Counter({str(t.pk): 1 for t in letters})
    assert sorted(Touchpoint.objects.values_list("status", flat=True)) == ["sent"] * 3
    for batch in PrintBatch.objects.all():
        assert (tmp_path / "print" / batch.pdf).exists()
