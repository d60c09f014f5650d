"""Per-relation facts (kenmerken), the level ladder and rule-defined relation groups."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.giving.models import Mandate
from koers.relations.models import Relation


class Level(models.Model):
    """One rung of the support ladder: relations whose annual support is at least
    `min_annual_cents` (and below the next rung) are on this level."""

    key = models.SlugField(_("sleutel"), max_length=32, unique=True)
    name = models.CharField(_("naam"), max_length=64)
    min_annual_cents = models.BigIntegerField(_("vanaf (cent per jaar)"), unique=True)

    class Meta:
        verbose_name = _("niveau")
        verbose_name_plural = _("niveaus")
        ordering = ["min_annual_cents"]

    def __str__(self) -> str:
        return self.name


class Facts(models.Model):
    """Derived figures per relation, refreshed set-based (see koers.groups.facts)."""

    relation = models.OneToOneField(
        Relation, on_delete=models.CASCADE, primary_key=True, related_name="facts"
    )
    first_gift_on = models.DateField(_("eerste gift"), null=True)
    last_gift_on = models.DateField(_("laatste gift"), null=True)
    gifts_count = models.IntegerField(_("aantal giften"), default=0)
    gifts_cents = models.BigIntegerField(_("totaal gegeven (cent)"), default=0)
    gifts_12m_count = models.IntegerField(_("giften laatste 12 maanden"), default=0)
    gifts_12m_cents = models.BigIntegerField(_("gegeven laatste 12 maanden (cent)"), default=0)
    largest_gift_cents = models.BigIntegerField(_("grootste gift (cent)"), default=0)
    mandate = models.ForeignKey(Mandate, on_delete=models.SET_NULL, null=True, related_name="+")
    mandate_annual_cents = models.BigIntegerField(_("machtiging per jaar (cent)"), default=0)
    tenure_years = models.IntegerField(_("jaren donateur"), default=0)
    recency_score = models.SmallIntegerField(_("recency (1-5)"), null=True)
    frequency_score = models.SmallIntegerField(_("frequentie (1-5)"), null=True)
    monetary_score = models.SmallIntegerField(_("monetair (1-5)"), null=True)
    annual_support_cents = models.BigIntegerField(_("steun per jaar (cent)"), default=0)
    level = models.ForeignKey(Level, on_delete=models.SET_NULL, null=True, related_name="+")
    refreshed_at = models.DateTimeField(_("ververst op"))

    class Meta:
        verbose_name = _("kenmerken")
        verbose_name_plural = _("kenmerken")
        indexes = [
            models.Index(fields=["annual_support_cents"]),
            models.Index(fields=["last_gift_on"]),
        ]

    def __str__(self) -> str:
        return f"facts {self.relation_id}"


class Group(models.Model):
    """A relation group (relatiegroep): the relations that match a rule over facts."""

    key = models.SlugField(_("sleutel"), max_length=64, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("omschrijving"), blank=True)
    rule = models.TextField(_("regel"))
    is_preset = models.BooleanField(_("standaardgroep"), default=False)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("relatiegroep")
        verbose_name_plural = _("relatiegroepen")
        ordering = ["name"]
        permissions = [("edit_groups", "Can define relation groups")]

    def __str__(self) -> str:
        return self.name
