"""The giving summary that every insight reads instead of the gifts (docs/insights.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.relations.models import Relation


class GivingSummary(models.Model):
    """What one relation gave in one calendar month: month is YYYYMM as a number, so a
    calendar year is `month / 100` and a rolling window a range, alike on every database."""

    relation = models.ForeignKey(Relation, on_delete=models.CASCADE, related_name="+")
    month = models.IntegerField(_("maand (JJJJMM)"))
    gifts = models.IntegerField(_("aantal giften"))
    cents = models.BigIntegerField(_("bedrag (cent)"))

    class Meta:
        verbose_name = _("giftenoverzicht")
        verbose_name_plural = _("giftenoverzichten")
        constraints = [
            models.UniqueConstraint(fields=["relation", "month"], name="summary_relation_month")
        ]
        indexes = [models.Index(fields=["month", "relation"])]

    def __str__(self) -> str:
        return f"{self.relation_id} {self.month} {self.cents}"


class SummaryState(models.Model):
    """One row: the newest gift creation time the summary has taken in (the watermark)."""

    id = models.SmallIntegerField(primary_key=True, default=1)
    gifts_seen_until = models.DateTimeField(_("giften verwerkt tot"), null=True)

    class Meta:
        verbose_name = _("stand van het giftenoverzicht")
        verbose_name_plural = _("stand van het giftenoverzicht")

    def __str__(self) -> str:
        return str(self.gifts_seen_until)
