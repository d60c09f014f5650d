"""Instruments (thumbs, mini-surveys, NPS), the invitations in touchpoints, and the responses."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

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


class Invitation(models.Model):
    """One touchpoint's link to an instrument. The e-mail link carries a signed token of its
    id; a letter or card prints the short code. Either leads to this one relation only."""

    touchpoint = models.OneToOneField(
        "touchpoints.Touchpoint", on_delete=models.CASCADE, related_name="invitation"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    relation = models.ForeignKey(Relation, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("korte code"), max_length=16, unique=True)
    created_at = models.DateTimeField(_("aangemaakt"))

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
