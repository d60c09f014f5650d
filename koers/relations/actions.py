"""Writes to relations and consents. Each action writes its event in the same transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from koers.db import prepared_cursor
from koers.relations import events
from koers.relations.choices import ContactChannel, EventKind, EventSource, LegalBasis
from koers.relations.models import Consent, Event, Relation

# Fields a person may edit on a relation; anything else is derived or managed elsewhere.
EDITABLE_FIELDS = (
    "kind",
    "salutation",
    "initials",
    "first_name",
    "infix",
    "last_name",
    "organisation_name",
    "email",
    "phone",
    "street",
    "house_number",
    "postcode",
    "city",
    "country",
    "birth_date",
    "language",
    "status",
    "preferred_channel",
)


_INSERT_EVENT = (
    "INSERT INTO relations_event (relation_id, kind, occurred_at, recorded_at, source, data)"
    " VALUES (%s, %s, %s, %s, %s, %s) RETURNING id"
)


def record_event(
    relation: Relation | int,
    kind: EventKind,
    occurred_at: datetime,
    source: EventSource,
    data: dict[str, Any] | None = None,
) -> Event:
    if timezone.is_naive(occurred_at):  # as the ORM reads one: on the site's clock
        occurred_at = timezone.make_aware(occurred_at)
    event = Event(
        relation_id=relation if isinstance(relation, int) else relation.pk,
        kind=kind,
        occurred_at=occurred_at,
        recorded_at=timezone.now(),
        source=source,
        data=data or {},
    )
    # One plain INSERT: the ORM's save() took a fifth of a confirmed survey answer's time,
    # and every action records an event. Events are append-only, so nothing else applies.
    at = connection.ops.adapt_datetimefield_value
    stored = Event._meta.get_field("data").get_db_prep_save(event.data, connection)
    with prepared_cursor() as cursor:
        cursor.execute(
            _INSERT_EVENT,
            [event.relation_id, kind, at(occurred_at), at(event.recorded_at), source, stored],
        )
        event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = connection.alias
    return event


@transaction.atomic
def create_relation(
    *, external_id: str, now: datetime, source: EventSource, **fields: Any
) -> Relation:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"unknown relation fields: {', '.join(sorted(unknown))}")
    relation = Relation.objects.create(external_id=external_id, **fields)
    events.RELATION_CREATED.record(relation, now, source)
    return relation


@transaction.atomic
def update_relation(
    relation: Relation, *, now: datetime, source: EventSource, **fields: Any
) -> list[str]:
    """Change the given fields; return the names of those that really changed.

    Nothing is written, not even an event, when no value differs.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"unknown relation fields: {', '.join(sorted(unknown))}")
    changed = sorted(name for name, value in fields.items() if getattr(relation, name) != value)
    if not changed:
        return []
    for name in changed:
        setattr(relation, name, fields[name])
    relation.save(update_fields=[*changed, "updated_at"])
    events.RELATION_CHANGED.record(relation, now, source, fields=changed)
    status_events = {"deceased": events.RELATION_DECEASED, "ended": events.RELATION_ENDED}
    if "status" in changed and relation.status in status_events:
        status_events[relation.status].record(relation, now, source)
    return changed


class WithdrawalStands(ValueError):
    """Consent dated before (or at) its withdrawal: the withdrawal is not undone."""


@transaction.atomic
def give_consent(
    relation: Relation,
    channel: ContactChannel,
    basis: LegalBasis,
    *,
    given_at: datetime,
    source: EventSource,
    origin: str = "",
    proof: str = "",
) -> Consent:
    """Record (or renew) the legal basis to contact a relation through a channel.

    A withdrawn consent is given again only by consent given after the withdrawal
    (consent.given); older consent raises WithdrawalStands and changes nothing. It is the
    import's rule (docs/import.md, "Consents and withdrawals"), to the moment rather than
    the day, as the moment is known here.
    """
    found = Consent.objects.select_for_update().filter(relation=relation, channel=channel).first()
    withdrawn = found.withdrawn_at if found is not None else None
    if withdrawn is not None and given_at <= withdrawn:
        raise WithdrawalStands(
            f"de toestemming voor {channel.label} is ingetrokken op "
            f"{timezone.localtime(withdrawn):%d-%m-%Y}; opnieuw geven kan alleen met een "
            "latere datum"
        )
    values = {"basis": basis, "source": origin, "given_at": given_at, "proof": proof}
    again = found is None or withdrawn is not None
    consent, _ = Consent.objects.update_or_create(
        relation=relation, channel=channel, defaults={**values, "withdrawn_at": None}
    )
    kind = events.CONSENT_GIVEN if again else events.CONSENT_CHANGED
    kind.record(relation, given_at, source, channel=str(channel), basis=str(basis), source=origin)
    return consent


@transaction.atomic
def withdraw_consent(
    relation: Relation,
    channel: ContactChannel,
    *,
    at: datetime,
    source: EventSource,
    reason: str = "",
) -> bool:
    """Withdraw consent on a channel. Returns False when it was withdrawn already.

    Withdrawing must be as easy as giving, and must never fail for the person asking. It
    always leaves a record: a relation without consent on the channel gets a row with basis
    "none", withdrawn at once, so the objection is kept and an import of consent given
    before it cannot undo it (docs/import.md, "Consents and withdrawals"). A withdrawal
    planned for later is brought forward to now.
    """
    consent, created = Consent.objects.select_for_update().get_or_create(
        relation=relation,
        channel=channel,
        defaults={
            "basis": LegalBasis.NONE,
            "source": reason[:200],
            "given_at": at,
            "withdrawn_at": at,
        },
    )
    if not created:
        if consent.withdrawn_at is not None and consent.withdrawn_at <= at:
            return False
        consent.withdrawn_at = at
        consent.save(update_fields=["withdrawn_at", "updated_at"])
    data = {"channel": str(channel), "reason": reason}
    if created:
        data["basis"] = str(LegalBasis.NONE)
    events.CONSENT_WITHDRAWN.record(relation, at, source, **data)
    return True
