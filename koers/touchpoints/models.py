"""Touchpoints: the outbox. One row per planned or made contact, with a unique key."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from koers.relations.models import Relation
from koers.touchpoints.choices import (
    Behaviour,
    CallOutcome,
    Channel,
    Nature,
    SkipReason,
    Status,
    TaskOutcome,
    channel_choices,
)


class Touchpoint(models.Model):
    """One contact with one relation through one channel.

    The key (relation, source, occurrence) makes planning idempotent: a journey
    step uses source "journey:KEY:STEP" and occurrence "ENROLLMENT.VISIT"; a
    calendar moment uses its own source and the year.
    """

    # relation and journey have no index of their own: indexes below start with them, and
    # every index less is one write less per planned touchpoint.
    relation = models.ForeignKey(
        Relation, on_delete=models.CASCADE, related_name="touchpoints", db_index=False
    )
    source = models.CharField(_("bron"), max_length=140)
    occurrence = models.CharField(max_length=40)
    journey = models.ForeignKey(
        "journeys.Journey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    enrollment = models.ForeignKey(
        "journeys.Enrollment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    step = models.CharField(_("stap"), max_length=64, blank=True)
    channel = models.CharField(_("kanaal"), max_length=8, choices=channel_choices)
    nature = models.CharField(_("aard"), max_length=12, choices=Nature.choices)
    # A journey's touchpoints leave this empty: their content is their step's, in the journey
    # version the enrollment runs on (versions never change). Copying it into every row
    # wrote a kilobyte per contact. Other touchpoints carry their own. Read `fields`.
    content: models.JSONField[Any, Any] = models.JSONField(_("inhoud"), default=dict, blank=True)
    # The role a task is for: the task list selects on it.
    role = models.CharField(_("rol"), max_length=64, blank=True, default="")
    pressure = models.CharField(
        _("bij contactdruk"), max_length=8, choices=Behaviour.choices, default=Behaviour.DEFER
    )
    planned_at = models.DateTimeField(_("gepland op"))
    deadline = models.DateTimeField(_("uiterlijk"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    skip_reason = models.CharField(
        _("reden overgeslagen"), max_length=16, choices=SkipReason.choices, blank=True
    )
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    done_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=16, blank=True)
    # Dispatch (docs/decisions/0013): the worker that claimed the touchpoint and when it last
    # said it was still at it; when the provider call for the current attempt began, and
    # the key the provider sees (the e-mail's Message-ID, the letter's file, the webhook's
    # Idempotency-Key), committed before the call.
    # The planners insert with INSERT ... SELECT and name their columns: the database
    # fills these two itself (db_default).
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=32, blank=True, default="", db_default="")
    handed_at = models.DateTimeField(_("aangeboden op"), null=True, blank=True)
    delivery_key = models.CharField(
        _("kenmerk"), max_length=255, blank=True, default="", db_default=""
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    error = models.TextField(_("foutmelding"), blank=True)
    # Indexed only where set (see Meta): most touchpoints are never printed.
    batch = models.ForeignKey(
        "touchpoints.PrintBatch", on_delete=models.SET_NULL, null=True, blank=True, db_index=False
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")
        constraints = [
            # Source first: a step's touchpoints of one tick land side by side in this
            # index. With the relation first every insert changed a page somewhere in it,
            # and a tick rewrote most of the index. Lookups by relation use the index below.
            models.UniqueConstraint(
                fields=["source", "occurrence", "relation"], name="touchpoint_key"
            )
        ]
        indexes = [
            models.Index(fields=["status", "planned_at"]),
            models.Index(fields=["relation", "planned_at"]),
            models.Index(fields=["journey", "step", "status"]),
            models.Index(
                fields=["batch"], condition=models.Q(batch__isnull=False), name="touchpoint_batch"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.occurrence} {self.channel} {self.status}"

    @cached_property
    def fields(self) -> dict[str, Any]:
        """What the contact says (subject, body, script, title, ...): its own content, or
        else the content of its journey step."""
        if self.content or self.enrollment_id is None or self.enrollment is None:
            return dict(self.content)
        for step in self.enrollment.version.definition.get("steps", []):
            if step.get("key") == self.step:
                return dict(step.get("content") or {})
        return {}

    @property
    def made_at(self) -> Any:
        return self.sent_at or self.done_at

    @property
    def outcome_label(self) -> str:
        choices = TaskOutcome if self.channel == Channel.TASK else CallOutcome
        try:
            return str(choices(self.outcome).label)
        except ValueError:
            return self.outcome


class Ceiling(models.Model):
    """At most `limit` contacts per relation in `period_days`, for one nature or one channel."""

    nature = models.CharField(_("aard"), max_length=12, choices=Nature.choices, blank=True)
    channel = models.CharField(_("kanaal"), max_length=8, choices=channel_choices, blank=True)
    limit = models.PositiveSmallIntegerField(_("hoogstens"))
    period_days = models.PositiveSmallIntegerField(_("per aantal dagen"))

    class Meta:
        verbose_name = _("contactplafond")
        verbose_name_plural = _("contactplafonds")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(nature="") & ~models.Q(channel=""))
                | (~models.Q(nature="") & models.Q(channel="")),
                name="ceiling_one_scope",
            )
        ]

    def __str__(self) -> str:
        scope = self.nature or self.channel
        return f"{scope}: {self.limit} per {self.period_days} dagen"


class PrintBatch(models.Model):
    """Letters or cards rendered together for a print house: one PDF and one address list."""

    channel = models.CharField(_("kanaal"), max_length=8, choices=channel_choices)
    created_at = models.DateTimeField(_("aangemaakt"))
    count = models.PositiveIntegerField(_("aantal"), default=0)
    pdf = models.CharField(_("PDF-bestand"), max_length=255)
    manifest = models.CharField(_("adreslijst"), max_length=255)
    # The batch's PDF and address list are written once every letter in it is recorded;
    # until then the print house has nothing to take. The worker that fills the batch:
    # when it dies, the reconciliation finishes the batch (koers.touchpoints.reconcile).
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    claimed_by = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        verbose_name = _("drukbestand")
        verbose_name_plural = _("drukbestanden")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.channel} {self.created_at:%Y-%m-%d %H:%M} ({self.count})"
