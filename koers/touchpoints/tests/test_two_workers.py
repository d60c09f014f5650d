"""Two workers at once on PostgreSQL: every touchpoint is sent exactly once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection, connections

from koers.journeys import actions
from koers.journeys.engine import tick
from koers.journeys.tests.conftest import donor, local
from koers.touchpoints import dispatch as dispatching
from koers.touchpoints.models import Touchpoint

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL's SKIP LOCKED; .ci/run runs it in its PostgreSQL pass",
    ),
]


def in_threads(work: Callable[[], Any], count: int = 2) -> list[Any]:
    results: list[Any] = []
    start = threading.Barrier(count)

    def run() -> None:
        start.wait()
        try:
            results.append(work())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_dispatchers_send_every_mail_once(
    quiet_channels: None, seeded: None, monkeypatch: Any
) -> None:
    actions.install("welkom-structureel")
    for number in range(240):
        donor(
            f"R{number:03d}",
            f"Donor{number}",
            monthly_cents=1000,
            started=local(2026, 11, 2).date(),
        )
    tick(local(2026, 11, 3))
    monkeypatch.setattr(dispatching, "BATCH", 7)  # small batches: the workers interleave

    reports = in_threads(lambda: dispatching.dispatch(local(2026, 11, 3)))

    sent_ids = [message.extra_headers["X-Koers-Touchpoint"] for message in mail.outbox]
    assert len(sent_ids) == 240
    assert len(set(sent_ids)) == 240
    assert sorted(report.sent for report in reports)[0] > 0  # both workers did part of it
    assert sum(report.sent for report in reports) == 240
    assert Touchpoint.objects.filter(status="sent").count() == 240


def test_two_planners_at_once_plan_each_touchpoint_once(quiet_channels: None, seeded: None) -> None:
    actions.install("welkom-structureel")
    for number in range(50):
        donor(
            f"R{number:03d}",
            f"Donor{number}",
            monthly_cents=1000,
            started=local(2026, 11, 2).date(),
        )

    reports = in_threads(lambda: tick(local(2026, 11, 3)))

    assert sorted(report.skipped_lock for report in reports) in ([False, False], [False, True])
    assert Touchpoint.objects.count() == 50
    assert Touchpoint.objects.values("relation", "source", "occurrence").distinct().count() == 50


def test_two_facts_refreshes_at_once_both_finish(seeded: None) -> None:
    """Each refresh deletes and inserts every row: without the lock the second one collided
    with the first on the facts' key (IntegrityError), and that worker crashed."""
    from koers.groups.facts import refresh_facts
    from koers.relations.models import Relation

    Relation.objects.bulk_create(
        Relation(external_id=f"F{number}", last_name=f"Feit{number}") for number in range(2000)
    )

    rounds = [in_threads(lambda: refresh_facts(local(2026, 11, 3))) for _ in range(5)]

    assert rounds == [[2000, 2000]] * 5
