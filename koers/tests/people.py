"""Relations with an address, consents and a mandate, built through the actions: the people
the tests of every app plan contacts for."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from koers.giving import actions as giving
from koers.giving.choices import Frequency
from koers.relations import actions as relations
from koers.relations.choices import ContactChannel, EventSource, LegalBasis
from koers.relations.models import Relation

AMS = ZoneInfo("Europe/Amsterdam")


def local(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


def donor(
    number: str,
    first_name: str,
    *,
    channels: tuple[str, ...] = ("email", "post", "phone"),
    preferred: str = "email",
    monthly_cents: int | None = None,
    started: date | None = None,
    **fields: Any,
) -> Relation:
    """A person with an address, consents on the given channels and, optionally, a mandate."""
    at = local(2026, 1, 1)
    relation = relations.create_relation(
        external_id=number,
        now=at,
        source=EventSource.IMPORT,
        first_name=first_name,
        last_name="Jansen",
        email=f"{first_name.lower()}@example.org",
        phone="0612345678",
        street="Dorpsstraat",
        house_number="1",
        postcode="1234AB",
        city="Utrecht",
        preferred_channel=preferred,
        **fields,
    )
    for channel in channels:
        relations.give_consent(
            relation,
            ContactChannel(channel),
            LegalBasis.CONSENT,
            given_at=at,
            source=EventSource.IMPORT,
        )
    if monthly_cents is not None and started is not None:
        giving.start_mandate(
            relation.pk,
            f"M-{number}",
            monthly_cents,
            Frequency.MONTHLY,
            started,
            source=EventSource.IMPORT,
        )
    return relation
