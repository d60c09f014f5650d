"""Writes to gifts and mandates. Each action writes its event in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from koers.giving import events
from koers.giving.choices import PER_YEAR, Frequency, GiftKind, MandateStatus
from koers.giving.models import Gift, Mandate, Storno
from koers.relations.choices import EventSource
from koers.relations.models import Event


def at_noon(day: date) -> datetime:
    """Events about a day are placed at noon in Koers' time zone, as the importer does."""
    return datetime.combine(day, time(12), tzinfo=ZoneInfo(settings.TIME_ZONE))


@transaction.atomic
def record_gift(
    relation_id: int,
    received_on: date,
    amount_cents: int,
    *,
    source: EventSource,
    kind: GiftKind = GiftKind.ONE_OFF,
    campaign: str = "",
    mandate: Mandate | None = None,
) -> Gift:
    if amount_cents <= 0:
        raise ValueError(f"amount_cents must be positive, got {amount_cents}")
    first = not Gift.objects.filter(relation_id=relation_id).exists()
    gift = Gift.objects.create(
        relation_id=relation_id,
        received_on=received_on,
        amount_cents=amount_cents,
        kind=kind,
        campaign=campaign,
        mandate=mandate,
    )
    data = events.GIFT_RECEIVED.data(
        gift_id=gift.pk, amount_cents=amount_cents, campaign=campaign, kind=str(kind)
    )
    events.GIFT_RECEIVED.record(relation_id, at_noon(received_on), source, **data)
    if first:
        events.GIFT_FIRST.record(relation_id, at_noon(received_on), source, **data)
    return gift


@transaction.atomic
def start_mandate(
    relation_id: int,
    reference: str,
    amount_cents: int,
    frequency: Frequency,
    start_date: date,
    *,
    source: EventSource,
) -> Mandate:
    """A new SEPA mandate, and the mandate.started event journeys enroll on."""
    if amount_cents <= 0:
        raise ValueError(f"amount_cents must be positive, got {amount_cents}")
    mandate = Mandate.objects.create(
        relation_id=relation_id,
        reference=reference,
        amount_cents=amount_cents,
        frequency=frequency,
        start_date=start_date,
    )
    events.MANDATE_STARTED.record(
        relation_id, at_noon(start_date), source, **_mandate_data(mandate)
    )
    return mandate


def _mandate_data(mandate: Mandate) -> dict[str, object]:
    return {
        "reference": mandate.reference,
        "amount_cents": mandate.amount_cents,
        "annual_cents": mandate.amount_cents * PER_YEAR[Frequency(mandate.frequency)],
        "frequency": str(mandate.frequency),
    }


@transaction.atomic
def cancel_mandate(mandate: Mandate, on: date, *, source: EventSource, reason: str = "") -> bool:
    """Cancel a mandate as of a date. Returns False when it was already cancelled."""
    if mandate.status == MandateStatus.CANCELLED:
        return False
    mandate.status, mandate.end_date = MandateStatus.CANCELLED, on
    mandate.save(update_fields=["status", "end_date", "updated_at"])
    events.MANDATE_CANCELLED.record(
        mandate.relation_id, at_noon(on), source, **_mandate_data(mandate), reason=reason
    )
    return True


@transaction.atomic
def record_stornos(
    stornos: Iterable[tuple[Mandate, date, int, str]], *, source: EventSource
) -> int:
    """Record reversed direct debits (mandate, date, cents, SEPA reason), each with its event."""
    rows = [
        Storno(mandate=mandate, occurred_on=on, amount_cents=cents, reason=reason)
        for mandate, on, cents, reason in stornos
    ]
    Storno.objects.bulk_create(rows, batch_size=5000)
    Event.objects.bulk_create(
        [
            Event(
                relation_id=row.mandate.relation_id,
                kind=events.STORNO.kind,
                occurred_at=at_noon(row.occurred_on),
                source=source,
                data=events.STORNO.data(
                    reference=row.mandate.reference,
                    amount_cents=row.amount_cents,
                    reason=row.reason,
                ),
            )
            for row in rows
        ],
        batch_size=5000,
    )
    return len(rows)


def record_storno(
    mandate: Mandate, occurred_on: date, amount_cents: int, reason: str, *, source: EventSource
) -> None:
    record_stornos([(mandate, occurred_on, amount_cents, reason)], source=source)
