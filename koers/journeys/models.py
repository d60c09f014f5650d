"""Journeys (klantreizen), their published versions and the relations travelling them."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.groups.models import Group
from koers.journeys.choices import EnrollmentState, ExitReason, JourneyStatus
from koers.relations.models import Relation


class Phase(models.Model):
    """A phase of the main map (hoofdkaart): werving, welkom heten, loyaliteit, ..."""

    key = models.SlugField(_("sleutel"), max_length=32, unique=True)
    name = models.CharField(_("naam"), max_length=80)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("fase")
        verbose_name_plural = _("fases")
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.name


class Journey(models.Model):
    key = models.SlugField(_("sleutel"), max_length=64, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="journeys")
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="journeys"
    )
    description = models.TextField(_("persona en omschrijving"), blank=True)
    owner_team = models.CharField(_("eigenaar (team)"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=JourneyStatus.choices, default=JourneyStatus.DRAFT
    )
    # The planner's position in the event log: events up to this id have been considered.
    event_watermark = models.BigIntegerField(default=0)
    # Events up to this id were seen by exit conditions and wait-for-event steps.
    seen_event_id = models.BigIntegerField(default=0)
    # The moment of the previous tick: events dated up to it were seen too.
    seen_at = models.DateTimeField(null=True, blank=True)
    # The last local day a group or date trigger was evaluated.
    checked_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("klantreis")
        verbose_name_plural = _("klantreizen")
        ordering = ["phase__position", "name"]
        permissions = [("edit_journeys", "Can define journeys")]

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> JourneyVersion | None:
        return self.versions.order_by("-number").first()


class JourneyVersion(models.Model):
    """One published definition. Running enrollments stay on the version they entered."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    definition: models.JSONField[Any, Any] = models.JSONField(_("definitie"))
    note = models.CharField(_("toelichting"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("gepubliceerd"), auto_now_add=True)

    class Meta:
        verbose_name = _("versie")
        verbose_name_plural = _("versies")
        ordering = ["journey", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["journey", "number"], name="journey_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.journey.key} v{self.number}"


class Enrollment(models.Model):
    """One relation on one journey: where it is, and when its step is due.

    `occurrence` implements the re-entry rule: empty for "once ever", the period
    ("2026", "2026-11") for "once per period", the event id for "always".
    `visit` counts the moves, so a touchpoint made on a step is keyed by it.
    """

    # No index of their own: the unique key and the indexes below start with each of these
    # columns, and every index less is one write less for each of the tick's inserts.
    relation = models.ForeignKey(
        Relation, on_delete=models.CASCADE, related_name="enrollments", db_index=False
    )
    journey = models.ForeignKey(
        Journey, on_delete=models.CASCADE, related_name="enrollments", db_index=False
    )
    version = models.ForeignKey(
        JourneyVersion, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    occurrence = models.CharField(max_length=32, blank=True, default="")
    state = models.CharField(
        _("status"), max_length=8, choices=EnrollmentState.choices, default=EnrollmentState.ACTIVE
    )
    step = models.CharField(_("stap"), max_length=64)
    # False: just arrived, the step kind has not looked at it yet. True: waiting for due_at.
    waiting = models.BooleanField(default=False)
    step_entered_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True)
    visit = models.PositiveIntegerField(default=0)
    entered_at = models.DateTimeField(_("ingestapt"))
    ended_at = models.DateTimeField(_("beëindigd"), null=True, blank=True)
    exit_reason = models.CharField(_("reden"), max_length=32, blank=True)
    variant = models.CharField(_("variant"), max_length=32, blank=True)
    trigger_event_id = models.BigIntegerField(null=True, blank=True)
    trigger: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("deelname")
        verbose_name_plural = _("deelnames")
        constraints = [
            models.UniqueConstraint(
                fields=["journey", "relation", "occurrence"], name="enrollment_once"
            )
        ]
        indexes = [
            # Who just arrived at a step (waiting false) and whose wait is over (waiting
            # true, due_at passed) are each one range of this index, without reading rows.
            models.Index(
                fields=["version", "state", "step", "waiting", "due_at"], name="enrollment_on_step"
            ),
            models.Index(fields=["relation", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.journey_id}:{self.relation_id} at {self.step}"

    @property
    def exit_reason_label(self) -> str:
        """Why the relation left, in words ("machtiging opgezegd"); the code if unknown.
        (`exit_reason` has no choices of its own, so there is no get_..._display.)"""
        if not self.exit_reason:
            return ""
        try:
            return str(ExitReason(self.exit_reason).label)
        except ValueError:
            return self.exit_reason


class StepCount(models.Model):
    """How many enrollments ever arrived at a step, kept by the same statement that moves them."""

    version = models.ForeignKey(JourneyVersion, on_delete=models.CASCADE, related_name="counts")
    step = models.CharField(max_length=64)
    entered = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "step"], name="step_count_unique")
        ]

    def __str__(self) -> str:
        return f"{self.step}: {self.entered}"
