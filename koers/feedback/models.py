"""Instruments (thumbs, mini-surveys, NPS), the invitations in touchpoints, and the responses."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.db import fetch_prepared
from koers.feedback.choices import (
    DEFAULT_RECONTACT_DAYS,
    RECONTACT_DAYS,
    InstrumentKind,
    QuestionKind,
    ResponseSource,
    ResponseStatus,
    Scope,
    SkipReason,
)
from koers.relations.models import Relation

MAX_QUESTIONS = 5


class Instrument(models.Model):
    """A meetinstrument: what is asked, about what, and how often one relation may be asked."""

    key = models.SlugField(_("sleutel"), max_length=64, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    kind = models.CharField(_("soort"), max_length=8, choices=InstrumentKind.choices)
    scope = models.CharField(_("waarover"), max_length=16, choices=Scope.choices)
    # The question per language: {"nl": "...", "en": "..."}.
    question: models.JSONField[Any, Any] = models.JSONField(_("vraag"), default=dict)
    # NPS: the follow-up question per score band, per language:
    # {"detractor": {"nl": ...}, "passive": {...}, "promoter": {...}}.
    follow_up: models.JSONField[Any, Any] = models.JSONField(
        _("vervolgvraag"), default=dict, blank=True
    )
    # Mini-survey: up to five questions, each {"key", "kind", "text": {...}, "options": [...]}.
    questions: models.JSONField[Any, Any] = models.JSONField(_("vragen"), default=list, blank=True)
    recontact_days = models.PositiveSmallIntegerField(
        _("dagen voordat dezelfde relatie dit weer krijgt"), null=True, blank=True
    )
    minimum_n = models.PositiveSmallIntegerField(_("minimaal aantal antwoorden"), default=30)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("meetinstrument")
        verbose_name_plural = _("meetinstrumenten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """At most five questions, each of a known kind with a text; NPS bands by name."""
        problems: dict[str, str] = {}
        if not isinstance(self.questions, list) or len(self.questions) > MAX_QUESTIONS:
            problems["questions"] = f"een lijst van hoogstens {MAX_QUESTIONS} vragen"
        else:
            for number, question in enumerate(self.questions, start=1):
                ok = isinstance(question, dict) and question.get("key") and question.get("text")
                if not ok or question.get("kind") not in QuestionKind.values:
                    problems["questions"] = (
                        f"vraag {number}: heeft 'key', 'text' en 'kind' "
                        f"({', '.join(QuestionKind.values)})"
                    )
        if self.kind == InstrumentKind.SURVEY and not self.questions:
            problems["questions"] = "een vragenlijst heeft minstens één vraag"
        unknown = set(self.follow_up or {}) - {"promoter", "passive", "detractor"}
        if unknown:
            problems["follow_up"] = "per groep: promoter, passive of detractor"
        if problems:
            raise ValidationError(problems)

    @property
    def wait_days(self) -> int:
        if self.recontact_days is not None:
            return self.recontact_days
        return RECONTACT_DAYS.get((self.kind, self.scope), DEFAULT_RECONTACT_DAYS)


@dataclass(frozen=True)
class Asked:
    """One invitation as the answer page needs it: who was asked what, through which
    channel, and what was answered so far (status "" when nothing was)."""

    invitation: int
    relation: int
    touchpoint: int
    channel: str
    relation_language: str
    instrument: Instrument
    status: str
    score: int | None


# The answer page is the one page the public reaches in numbers, so it reads everything it
# needs in one statement (the ORM's select_related over three wide tables took most of a
# request's time). Columns are named so that a changed model breaks this loudly.
_INSTRUMENT_FIELDS = (
    "id", "key", "name", "kind", "scope", "question", "follow_up", "questions",
    "recontact_days", "minimum_n",
)  # fmt: skip
_JSON_FIELDS = ("question", "follow_up", "questions")


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def asked(self, invitation_id: int, code: str) -> Asked | None:
        """The invitation with this number, if its code is this one (a link's proof that
        it was made by Koers for this invitation, not made up from a number)."""
        columns = ", ".join(f"n.{name}" for name in _INSTRUMENT_FIELDS)
        sql = (
            f"SELECT i.id, i.relation_id, i.touchpoint_id, t.channel, r.language, s.status,"
            f" s.score, {columns} FROM feedback_invitation i"
            " JOIN feedback_instrument n ON n.id = i.instrument_id"
            " JOIN relations_relation r ON r.id = i.relation_id"
            " JOIN touchpoints_touchpoint t ON t.id = i.touchpoint_id"
            " LEFT JOIN feedback_response s ON s.invitation_id = i.id"
            " WHERE i.id = %s AND i.code = %s"
        )
        rows = fetch_prepared(sql, [invitation_id, code])
        if not rows:
            return None
        row = rows[0]
        values = dict(zip(_INSTRUMENT_FIELDS, row[7:], strict=True))
        for name in _JSON_FIELDS:  # text from SQLite and, as Django asks it, from PostgreSQL
            if isinstance(values[name], str):
                values[name] = json.loads(values[name])
        instrument = Instrument(**values)
        instrument._state.adding = False
        return Asked(
            invitation=row[0],
            relation=row[1],
            touchpoint=row[2],
            channel=row[3],
            relation_language=row[4],
            instrument=instrument,
            status=row[5] or "",
            score=row[6],
        )


class Invitation(models.Model):
    """One touchpoint's link to an instrument. The e-mail link carries a signed token of its
    id and code; a letter or card prints the code. Either leads to this one relation only."""

    touchpoint = models.OneToOneField(
        "touchpoints.Touchpoint", on_delete=models.CASCADE, related_name="invitation"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    relation = models.ForeignKey(Relation, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("korte code"), max_length=16, unique=True)
    created_at = models.DateTimeField(_("aangemaakt"))

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        indexes = [models.Index(fields=["relation", "created_at"])]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.touchpoint_id}"


class Response(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    relation = models.ForeignKey(Relation, on_delete=models.CASCADE, related_name="responses")
    # One response per invitation: a second click changes the provisional answer, and once
    # confirmed it is final.
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    touchpoint = models.ForeignKey(
        "touchpoints.Touchpoint", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    score = models.SmallIntegerField(_("score"), null=True, blank=True)
    answers: models.JSONField[Any, Any] = models.JSONField(_("antwoorden"), default=dict)
    comment = models.TextField(_("toelichting"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ResponseStatus.choices,
        default=ResponseStatus.PROVISIONAL,
    )
    source = models.CharField(
        _("bron"), max_length=8, choices=ResponseSource.choices, default=ResponseSource.LINK
    )
    channel = models.CharField(_("kanaal"), max_length=8, blank=True)
    language = models.CharField(_("taal"), max_length=2, default="nl")
    answered_at = models.DateTimeField(_("beantwoord op"))
    confirmed_at = models.DateTimeField(_("bevestigd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        # The comments are a person's own words next to their relation number: personal
        # data, for the roles that may see it (koers/web/roles.py), not for every reader.
        permissions = [("view_comments", _("opmerkingen met relatienummer lezen"))]
        indexes = [
            models.Index(fields=["instrument", "status", "answered_at"]),
            models.Index(fields=["relation", "answered_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=10),
                name="response_score_0_10",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.relation_id} {self.score}"


class SurveySkip(models.Model):
    """A survey that was not sent because the relation was asked too recently."""

    relation = models.ForeignKey(Relation, on_delete=models.CASCADE, related_name="+")
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="+")
    touchpoint = models.ForeignKey(
        "touchpoints.Touchpoint", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("reden"), max_length=20, choices=SkipReason.choices)
    at = models.DateTimeField(_("op"))

    class Meta:
        verbose_name = _("overgeslagen vragenlijst")
        verbose_name_plural = _("overgeslagen vragenlijsten")

    def __str__(self) -> str:
        return f"{self.relation_id} {self.instrument_id} {self.reason}"
