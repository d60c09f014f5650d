"""What the feedback tests share: answers made straight in the database."""

from __future__ import annotations

from datetime import datetime

from koers.feedback.choices import ResponseSource, ResponseStatus
from koers.feedback.models import Instrument, Response
from koers.journeys.tests.conftest import donor, local
from koers.relations.models import Relation


def answers(
    instrument: str,
    scores: list[int],
    *,
    channel: str = "email",
    status: str = ResponseStatus.CONFIRMED,
    at: datetime | None = None,
    comment: str = "",
    number: str | None = None,
) -> Relation:
    """Answers of one relation (new unless `number` names one) to one instrument."""
    relation = Relation.objects.filter(external_id=number).first() if number else None
    relation = relation or donor(number or f"R{Response.objects.count() + 1}", "Anna")
    found = Instrument.objects.get(key=instrument)
    Response.objects.bulk_create(
        Response(
            instrument=found, relation=relation, score=score, channel=channel, status=status,
            source=ResponseSource.IMPORT, answered_at=at or local(2026, 11, 5), comment=comment,
        )
        for score in scores
    )  # fmt: skip
    return relation
