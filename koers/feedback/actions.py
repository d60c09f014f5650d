"""Writes about feedback: invite (with throttling), a provisional click, a confirmed answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction

from koers.db import prepared_cursor
from koers.feedback.choices import (
    BETWEEN_SURVEYS_DAYS,
    InstrumentKind,
    QuestionKind,
    ResponseSource,
    ResponseStatus,
    SkipReason,
)
from koers.feedback.events import SURVEY_ANSWERED
from koers.feedback.models import Asked, Instrument, Invitation, Response, SurveySkip
from koers.feedback.stats import band
from koers.feedback.tokens import new_code
from koers.relations.choices import EventSource
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
    # isdigit() alone accepts "²", which int() refuses, and other scripts' digits; a score has
    # at most two digits, and int() refuses a number of thousands.
    if not (text.isascii() and text.isdigit()) or len(text) > 2:
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


# One statement writes an answer, whether or not a click stored it before: a new row, or the
# provisional one updated. A confirmed answer is final, so the update is conditional and a
# replayed form returns no row. (SQLite has had this form since 3.35, PostgreSQL since 9.5.)
_UPSERT = (
    "INSERT INTO feedback_response (instrument_id, relation_id, invitation_id, touchpoint_id,"
    " score, answers, comment, status, source, channel, language, answered_at, confirmed_at)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (invitation_id) DO UPDATE SET {changes}"
    " WHERE feedback_response.status <> 'confirmed' RETURNING id"
)
_CLICK = _UPSERT.format(
    changes=", ".join(f"{c} = excluded.{c}" for c in ("score", "channel", "answered_at"))
)
_CONFIRMED = ("score", "answers", "comment", "status", "source", "channel", "language",
              "answered_at", "confirmed_at")  # fmt: skip
_CONFIRM = _UPSERT.format(changes=", ".join(f"{c} = excluded.{c}" for c in _CONFIRMED))


def _write(sql: str, asked: Asked, answer: Answer, status: str, now: datetime, language: str,
           confirmed_at: datetime | None) -> bool:  # fmt: skip
    """The answer written for the invitation; False when it had been confirmed already."""
    answers = Response._meta.get_field("answers").get_db_prep_value(answer.answers, connection)
    at = connection.ops.adapt_datetimefield_value
    params = [asked.instrument.pk, asked.relation, asked.invitation, asked.touchpoint,
              answer.score, answers, answer.comment, status, ResponseSource.LINK, asked.channel,
              language, at(now), at(confirmed_at)]  # fmt: skip
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


def click(asked: Asked, score: int, now: datetime, language: str) -> bool:
    """A score clicked in an e-mail: kept as provisional until the person confirms it on the
    page (scanners click every link). False when the answer was confirmed already."""
    clicked = Answer(score=score)
    return _write(_CLICK, asked, clicked, ResponseStatus.PROVISIONAL, now, language, None)


@transaction.atomic
def confirm(asked: Asked, answer: Answer, now: datetime, language: str) -> None:
    """The person's answer, final. Raises AlreadyAnswered when it was confirmed before, so a
    replayed link or form changes nothing. The answer becomes a survey.answered event."""
    if not _write(_CONFIRM, asked, answer, ResponseStatus.CONFIRMED, now, language, now):
        raise AlreadyAnswered
    answered(asked, answer, now)


def answered(asked: Asked, answer: Answer, now: datetime) -> None:
    """The survey.answered event that lets a journey follow up (a detractor's call, with what
    the person wrote)."""
    instrument = asked.instrument
    data: dict[str, Any] = {
        "instrument": instrument.key,
        "kind": instrument.kind,
        "scope": instrument.scope,
        "score": answer.score,
        "touchpoint": asked.touchpoint,
        "channel": asked.channel,
        "comment": answer.comment,
    }
    if instrument.kind == InstrumentKind.NPS and answer.score is not None:
        data["band"] = band(answer.score)
    SURVEY_ANSWERED.record(asked.relation, now, EventSource.WEB, **data)
