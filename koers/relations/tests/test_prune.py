from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from koers.relations.actions import record_event
from koers.relations.choices import EventKind, EventSource
from koers.relations.models import Event, Relation
from koers.relations.queries import prune_events

OLD = datetime(2020, 1, 1, tzinfo=UTC)
RECENT = datetime(2026, 1, 1, tzinfo=UTC)
CUTOFF = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture
def history(db: None) -> Relation:
    relation = Relation.objects.create(external_id="R1", last_name="Bakker")
    record_event(relation, EventKind.GIFT_RECEIVED, OLD, EventSource.IMPORT)
    record_event(relation, EventKind.CONSENT_GIVEN, OLD, EventSource.IMPORT)
    record_event(relation, EventKind.GIFT_RECEIVED, RECENT, EventSource.IMPORT)
    return relation


def test_pruning_deletes_old_events_but_keeps_consent_evidence(history: Relation) -> None:
    deleted = prune_events(CUTOFF)

    assert deleted == 1
    remaining = sorted(Event.objects.values_list("kind", "occurred_at"))
    assert remaining == [("consent.given", OLD), ("gift.received", RECENT)]


def test_a_dry_run_counts_and_deletes_nothing(history: Relation) -> None:
    assert prune_events(CUTOFF, dry_run=True) == 1
    assert Event.objects.count() == 3


def test_the_command_refuses_a_window_shorter_than_a_year(history: Relation) -> None:
    with pytest.raises(CommandError, match="--older-than 30: minimaal 365 dagen"):
        call_command("events", "prune", "--older-than", "30")

    assert Event.objects.count() == 3
