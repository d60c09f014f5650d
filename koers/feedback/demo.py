"""Realistic answers for the demo base, so the feedback pages have something to show.

About one relation in seven answered the relational NPS question in the past year, and
about a third of the welcome flow's sent e-mails got an answer (NPS or thumbs). Scores
lean the way a Dutch charity's usually do (about 45% promoters, 35% passives, 20%
detractors); some answers carry a comment. The same seed gives the same answers.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from koers.feedback.choices import InstrumentKind, ResponseSource, ResponseStatus
from koers.feedback.events import SURVEY_ANSWERED
from koers.feedback.models import Instrument, Response
from koers.relations.choices import EventSource, RelationStatus
from koers.relations.models import Event, Relation
from koers.touchpoints.choices import MADE
from koers.touchpoints.models import Touchpoint

COMMENTS = {
    "promoter": [
        "Fijn dat ik precies zie wat er met mijn gift gebeurt.",
        "Altijd vriendelijk en duidelijk.",
        "Mooi werk, ga zo door!",
        "Ik heb het al aan mijn zus aangeraden.",
    ],
    "passive": [
        "Prima, maar ik krijg wel veel post.",
        "Goed doel, de nieuwsbrief mag korter.",
        "Ik mis soms wat er concreet bereikt is.",
    ],
    "detractor": [
        "Te vaak gebeld, dat vind ik vervelend.",
        "Mijn adreswijziging is niet verwerkt.",
        "Ik weet niet waar het geld heen gaat.",
        "De machtiging werd twee keer afgeschreven.",
    ],
}


def _score(rng: random.Random) -> int:
    draw = rng.random()
    if draw < 0.45:
        return rng.choice([9, 10, 10])
    if draw < 0.80:
        return rng.choice([7, 8, 8])
    return rng.choice([2, 4, 5, 6, 6, 3, 0])


def _band(score: int) -> str:
    return "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"


def _at(day: date, rng: random.Random) -> datetime:
    moment = time(rng.randint(8, 21), rng.randint(0, 59))
    return datetime.combine(day, moment, tzinfo=timezone.get_current_timezone())


def make_answers(seed: int, today: date) -> int:
    rng = random.Random(seed)
    relational = Instrument.objects.get(key="nps-relatie")
    contact, thumbs = Instrument.objects.get(key="nps-contact"), Instrument.objects.get(key="duim")
    made: list[Response] = []
    ids = Relation.objects.filter(status=RelationStatus.ACTIVE).values_list("id", flat=True)
    for relation_id in ids.order_by("id"):
        if rng.random() < 1 / 7:
            score = _score(rng)
            day = today - timedelta(days=rng.randint(1, 365))
            made.append(_response(relational, relation_id, None, "email", score, day, rng))
    sent = Touchpoint.objects.filter(
        source__startswith="journey:", channel="email", status__in=MADE
    ).values_list("id", "relation_id", "sent_at")
    for touchpoint_id, relation_id, sent_at in sent.order_by("id"):
        if sent_at is None or rng.random() > 1 / 3:
            continue
        day = timezone.localtime(sent_at).date() + timedelta(days=rng.randint(0, 3))
        if rng.random() < 0.5:
            score = _score(rng)
            made.append(_response(contact, relation_id, touchpoint_id, "email", score, day, rng))
        else:
            up = 1 if rng.random() < 0.8 else 0
            made.append(_response(thumbs, relation_id, touchpoint_id, "email", up, day, rng))
    Response.objects.bulk_create(made, batch_size=2_000)
    Event.objects.bulk_create((_event(answer) for answer in made), batch_size=2_000)
    return len(made)


def _event(answer: Response) -> Event:
    """The survey.answered event a real answer makes, so journeys can follow up on it."""
    instrument = answer.instrument
    data = {"instrument": instrument.key, "kind": instrument.kind, "scope": instrument.scope,
            "score": answer.score, "touchpoint": answer.touchpoint_id, "channel": answer.channel,
            "comment": answer.comment}  # fmt: skip
    if instrument.kind == InstrumentKind.NPS:
        data["band"] = _band(answer.score or 0)
    return Event(
        relation_id=answer.relation_id,
        kind=SURVEY_ANSWERED.kind,
        occurred_at=answer.answered_at,
        source=EventSource.DEMO,
        data=SURVEY_ANSWERED.data(**data),
    )


def _response(
    instrument: Instrument,
    relation_id: int,
    touchpoint_id: int | None,
    channel: str,
    score: int,
    day: date,
    rng: random.Random,
) -> Response:
    band = _band(score * 10 if instrument.kind == "thumbs" else score)
    comment = rng.choice(COMMENTS[band]) if rng.random() < 0.3 else ""
    at = _at(day, rng)
    return Response(
        instrument=instrument,
        relation_id=relation_id,
        touchpoint_id=touchpoint_id,
        score=score,
        comment=comment,
        status=ResponseStatus.CONFIRMED,
        source=ResponseSource.DEMO,
        channel=channel,
        answered_at=at,
        confirmed_at=at,
    )
