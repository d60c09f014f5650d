"""Appreciation calendars (waarderingskalenders) and their moments, as edited by strategists."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.calendar.dates import RuleError, parse_rule
from koers.calendar.personal import parse_trigger
from koers.calendar.plan import MomentSpec, PlanSpec
from koers.groups.models import Group, Level
from koers.relations.models import Relation
from koers.touchpoints.choices import Behaviour, Channel


class MomentNature(models.TextChoices):
    """The two natures a calendar moment can have; the seed keeps them apart."""

    APPRECIATE = "appreciate", _("waarderen")
    THANK = "thank", _("bedanken")


class Calendar(models.Model):
    key = models.SlugField(_("sleutel"), max_length=64, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("omschrijving"), blank=True)
    founded_on = models.DateField(_("oprichtingsdatum"), null=True, blank=True)
    lookahead_days = models.PositiveSmallIntegerField(_("dagen vooruit plannen"), default=14)
    max_per_month = models.PositiveSmallIntegerField(
        _("hoogstens contactmomenten per relatie per maand"), default=3
    )
    active = models.BooleanField(_("in uitvoering"), default=False)
    # The daily tick's position among gifts, for moments that follow giving (a milestone, the
    # nth gift): gifts up to this id have been looked at.
    seen_gift_id = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("waarderingskalender")
        verbose_name_plural = _("waarderingskalenders")
        ordering = ["name"]
        permissions = [("edit_calendars", "Can plan appreciation calendars")]

    def __str__(self) -> str:
        return self.name

    def spec(self) -> PlanSpec:
        """The calendar as the pure modules (forecast, checks, YAML) read it."""
        moments = self.moments.prefetch_related("groups").order_by("position", "id")
        return PlanSpec(
            key=self.key,
            name=self.name,
            moments=tuple(moment.spec() for moment in moments),
            description=self.description,
            founded=self.founded_on,
            lookahead_days=self.lookahead_days,
            max_per_month=self.max_per_month,
        )


class Moment(models.Model):
    """A waarderingsmoment: a yearly moment (a date rule) or a relation moment (a trigger)."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="moments")
    key = models.SlugField(_("sleutel"), max_length=64)
    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("omschrijving"), blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    # The rule or trigger in its YAML form (see koers.calendar.dates and .personal).
    rule: models.JSONField[Any, Any] = models.JSONField(_("datumregel"), null=True, blank=True)
    trigger: models.JSONField[Any, Any] = models.JSONField(_("aanleiding"), null=True, blank=True)
    everyone = models.BooleanField(_("alle relaties"), default=False)
    groups = models.ManyToManyField(
        Group, blank=True, related_name="calendar_moments", verbose_name=_("relatiegroepen")
    )
    channels: models.JSONField[Any, Any] = models.JSONField(_("kanalen"), default=list)
    nature = models.CharField(_("aard"), max_length=12, choices=MomentNature.choices)
    intensity = models.PositiveSmallIntegerField(_("intensiteit (1-5)"), default=1)
    cost_cents = models.PositiveIntegerField(_("kosten per contact (cent)"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minuten werk per contact"), null=True, blank=True)
    holdout = models.PositiveSmallIntegerField(_("controlegroep (%)"), default=0)
    pressure = models.CharField(
        _("bij contactdruk"), max_length=8, choices=Behaviour.choices, default=Behaviour.DEFER
    )
    content: models.JSONField[Any, Any] = models.JSONField(_("inhoud"), default=dict, blank=True)

    class Meta:
        verbose_name = _("waarderingsmoment")
        verbose_name_plural = _("waarderingsmomenten")
        ordering = ["calendar", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "key"], name="moment_key"),
            models.CheckConstraint(
                condition=models.Q(rule__isnull=True) ^ models.Q(trigger__isnull=True),
                name="moment_rule_or_trigger",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def source(self) -> str:
        """The touchpoints' source: with the relation and the year, their unique key."""
        return f"calendar:{self.calendar.key}:{self.key}"

    @property
    def yearly(self) -> bool:
        return self.rule is not None

    def spec(self) -> MomentSpec:
        try:
            rule = parse_rule(self.rule) if self.rule is not None else None
            trigger = parse_trigger(self.trigger) if self.trigger is not None else None
        except RuleError as error:  # saved through the forms and the import, which check
            raise ValueError(f"moment {self.key}: {error}") from None
        return MomentSpec(
            key=self.key,
            name=self.name,
            rule=rule,
            trigger=trigger,
            groups=tuple(sorted(g.key for g in self.groups.all())),
            everyone=self.everyone,
            channels=tuple(self.channels),
            nature=self.nature,
            intensity=self.intensity,
            cost_cents=self.cost_cents,
            minutes=self.minutes,
            holdout=self.holdout,
            pressure=self.pressure,
            content=dict(self.content),
            description=self.description,
        )

    @property
    def channel_labels(self) -> list[str]:
        return [str(Channel(c).label) for c in self.channels if c in Channel.values]


class LevelMark(models.Model):
    """The level the calendar last saw a relation on, so that moving up can be noticed."""

    relation = models.OneToOneField(
        Relation, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    level = models.ForeignKey(Level, on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self) -> str:
        return f"{self.relation_id}: {self.level_id}"


class OverviewStatus(models.TextChoices):
    QUEUED = "queued", _("in de wachtrij")
    RUNNING = "running", _("wordt berekend")
    DONE = "done", _("klaar")
    FAILED = "failed", _("mislukt")


class YearOverview(models.Model):
    """A calendar's year worked out in the background, kept until the data or the plan changes.

    `stamp` fingerprints everything the figures were worked out from (the plan, the relation
    base, the journeys, the day): a change gives a new stamp, so the next request works the
    year out again and this row is no longer read. The figures are plain data: the page, the
    Excel workbook and the iCalendar feed all read them (docs/calendar.md)."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    journeys = models.BooleanField(_("met klantreizen"))
    stamp = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=8, choices=OverviewStatus.choices, default=OverviewStatus.QUEUED
    )
    # What it is doing now (a Step of koers.calendar.report) and how far along, for the page.
    step = models.CharField(max_length=16, blank=True)
    done_parts = models.PositiveSmallIntegerField(default=0)
    total_parts = models.PositiveSmallIntegerField(default=0)
    figures: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("foutmelding"), blank=True)
    created_at = models.DateTimeField(_("aangevraagd"))
    started_at = models.DateTimeField(_("begonnen"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        verbose_name = _("jaaroverzicht")
        verbose_name_plural = _("jaaroverzichten")
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "year", "journeys", "stamp"], name="year_overview_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.calendar_id} {self.year} {self.status}"

    @property
    def ready(self) -> bool:
        return self.status == OverviewStatus.DONE
