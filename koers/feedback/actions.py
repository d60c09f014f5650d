"""Writes about feedback: invite (with throttling), a provisional click, a confirmed answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction

from koers.feedback.choices import (
    BETWEEN_SURVEYS_DAYS,
    InstrumentKind,
    QuestionKind,
    ResponseSource,
    ResponseStatus,
    SkipReason,
)
from koers.feedback.models import Instrument, Invitation, Response, SurveySkip
from koers.feedback.stats import band
from koers.feedback.tokens import new_code
from koers.relations.actions import record_event
from koers.relations.choices import EventKind, EventSource
from koers.touchpoints.models import Touchpoint

COMMENT_LENGTH = 2000


class AlreadyAnswered(Exception):
    """The invitation's answer was confirmed before: it stays as it was."""


@dataclass
class Answer:
    """A checked answer, or the problems per field (in the page's language)."""

    score: int | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    comment: str = ""
    problems: dict[str, str] = field(default_factory=dict)


def throttled(relation_id: int, instrument: Instrument, now: datetime) -> str | None:
    """Why this relation may not be asked now (a SkipReason), or None."""
    asked = Invitation.objects.filter(relation_id=relation_id)
    if asked.filter(created_at__gt=now - timedelta(days=BETWEEN_SURVEYS_DAYS)).exists():
        return SkipReason.RECENT_SURVEY
    since = now - timedelta(days=instrument.wait_days)
    if asked.filter(instrument=instrument, created_at__gt=since).exists():
        return SkipReason.RECENT_INSTRUMENT
    answered = Response.objects.filter(relation_id=relation_id, instrument=instrument)
    if answered.filter(answered_at__gt=since).exists():  # answered elsewhere (imported)
        return SkipReason.RECENT_INSTRUMENT
    return None


def invite(touchpoint: Touchpoint, instrument: Instrument, now: datetime) -> Invitation | None:
    """The touchpoint's invitation to answer, made once; None (and the skip recorded) when the
    relation was asked too recently."""
    existing = Invitation.objects.filter(touchpoint=touchpoint).first()
    if existing is not None:
        return existing
    reason = throttled(touchpoint.relation_id, instrument, now)
    if reason is not None:
        SurveySkip.objects.create(
            relation_id=touchpoint.relation_id,
            instrument=instrument,
            touchpoint=touchpoint,
            reason=reason,
            at=now,
        )
        return None
    return Invitation.objects.create(
        touchpoint=touchpoint,
        instrument=instrument,
        relation_id=touchpoint.relation_id,
        code=new_code(),
        created_at=now,
    )


def check_answer(instrument: Instrument, data: Mapping[str, Any], *, english: bool) -> Answer:
    """Read an answer from a form or a link: a score in range, known choices, short texts."""
    answer = Answer(comment=str(data.get("comment") or "").strip()[:COMMENT_LENGTH])
    if instrument.kind == InstrumentKind.NPS:
        answer.score = _score(data.get("score"), 0, 10)
        if answer.score is None:
            answer.problems["score"] = (
                "Choose a number from 0 to 10."
                if english
                else "Kies een cijfer van 0 tot en met 10."
            )
    elif instrument.kind == InstrumentKind.THUMBS:
        answer.score = {"up": 1, "down": 0}.get(str(data.get("score", "")))
        if answer.score is None:
            answer.problems["score"] = (
                "Choose thumbs up or down." if english else "Kies duim omhoog of omlaag."
            )
    else:
        for question in instrument.questions:
            _survey_answer(question, data, answer, english)
    return answer


def _score(value: Any, low: int, high: int) -> int | None:
    text = str(value if value is not None else "").strip()
    if not text.isdigit():
        return None
    number = int(text)
    return number if low <= number <= high else None


def _survey_answer(
    question: Mapping[str, Any], data: Mapping[str, Any], answer: Answer, english: bool
) -> None:
    key = str(question["key"])
    raw = str(data.get(f"q_{key}") or "").strip()
    if not raw:
        return  # every question of a mini-survey may be left open
    if question["kind"] == QuestionKind.SCALE:
        value: Any = _score(raw, 1, 5)
        wrong = "Choose 1 to 5." if english else "Kies 1 tot en met 5."
    elif question["kind"] == QuestionKind.CHOICE:
        value = raw if raw in question.get("options", []) else None
        wrong = "Choose one of the options." if english else "Kies een van de mogelijkheden."
    else:
        value, wrong = raw[:COMMENT_LENGTH], ""
    if value is None:
        answer.problems[f"q_{key}"] = wrong
    else:
        answer.answers[key] = value


def click(invitation: Invitation, score: int, now: datetime) -> Response | None:
    """A score clicked in an e-mail: kept as provisional until the person confirms it on the
    page (scanners click every link). None when the answer was confirmed already."""
    touchpoint = invitation.touchpoint
    fields = {"score": score, "answered_at": now, "channel": touchpoint.channel}
    changed = Response.objects.filter(
        invitation=invitation, status=ResponseStatus.PROVISIONAL
    ).update(**fields)
    if changed:
        return Response.objects.get(invitation=invitation)
    if Response.objects.filter(invitation=invitation).exists():
        return None
    try:
        with transaction.atomic():
            return Response.objects.create(
                invitation=invitation,
                instrument_id=invitation.instrument_id,
                relation_id=invitation.relation_id,
                touchpoint=touchpoint,
                **fields,
            )
    except IntegrityError:  # a second click at the same moment made it
        return Response.objects.filter(invitation=invitation).first()


@transaction.atomic
def confirm(invitation: Invitation, answer: Answer, now: datetime, language: str) -> Response:
    """The person's answer, final. Raises AlreadyAnswered when it was confirmed before, so a
    replayed link or form changes nothing. The answer becomes a survey.answered event."""
    fields = {
        "score": answer.score,
        "answers": answer.answers,
        "comment": answer.comment,
        "status": ResponseStatus.CONFIRMED,
        "confirmed_at": now,
        "answered_at": now,
        "language": language,
        "channel": invitation.touchpoint.channel,
    }
    changed = (
        Response.objects.filter(invitation=invitation)
        .exclude(status=ResponseStatus.CONFIRMED)
        .update(**fields)
    )
    if not changed:
        if Response.objects.filter(invitation=invitation).exists():
            raise AlreadyAnswered
        try:
            with transaction.atomic():
                Response.objects.create(
                    invitation=invitation,
                    instrument_id=invitation.instrument_id,
                    relation_id=invitation.relation_id,
                    touchpoint_id=invitation.touchpoint_id,
                    source=ResponseSource.LINK,
                    **fields,
                )
        except IntegrityError:
            raise AlreadyAnswered from None
    response = Response.objects.select_related("instrument").get(invitation=invitation)
    answered(response, now)
    return response


def answered(response: Response, now: datetime, source: EventSource = EventSource.WEB) -> None:
    """The survey.answered event that lets a journey follow up (a detractor's call)."""
    instrument = response.instrument
    data: dict[str, Any] = {
        "instrument": instrument.key,
        "kind": instrument.kind,
        "scope": instrument.scope,
        "score": response.score,
        "touchpoint": response.touchpoint_id,
        "channel": response.channel,
    }
    if instrument.kind == InstrumentKind.NPS and response.score is not None:
        data["band"] = band(response.score)
    record_event(response.relation_id, EventKind.SURVEY_ANSWERED, now, source, data)
