"""Reusable reads and bulk maintenance over relations and their event log."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from koers.relations.choices import EventKind
from koers.relations.models import Event

# Events that prove a legal basis or a withdrawal are kept: the organisation carries the
# burden of proof for consent (AVG, Telecommunicatiewet), however old the event.
KEPT_KINDS = (EventKind.CONSENT_GIVEN, EventKind.CONSENT_CHANGED, EventKind.CONSENT_WITHDRAWN)

PRUNE_BATCH = 50_000


def prune_events(before: datetime, *, dry_run: bool = False) -> int:
    """Delete events that occurred before `before`, in batches, except consent evidence."""
    old = Event.objects.filter(occurred_at__lt=before).exclude(kind__in=KEPT_KINDS)
    if dry_run:
        return old.count()
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(old.order_by("id").values_list("id", flat=True)[:PRUNE_BATCH])
            if not ids:
                return deleted
            deleted += Event.objects.filter(id__in=ids).delete()[0]
