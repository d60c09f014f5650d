"""Gifts received and SEPA direct-debit mandates (machtigingen). Money is integer cents."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.giving.choices import PER_YEAR, Frequency, GiftKind, MandateStatus, PaymentChannel
from koers.relations.models import Relation


class Mandate(models.Model):
    # SEPA: the mandate reference is unique per creditor and at most 35 characters.
    reference = models.CharField(_("kenmerk"), max_length=35, unique=True)
    relation = models.ForeignKey(Relation, on_delete=models.CASCADE, related_name="mandates")
    amount_cents = models.BigIntegerField(_("bedrag (cent)"))
    frequency = models.CharField(_("frequentie"), max_length=16, choices=Frequency.choices)
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MandateStatus.choices, default=MandateStatus.ACTIVE
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("machtiging")
        verbose_name_plural = _("machtigingen")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="mandate_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def annual_cents(self) -> int:
        return self.amount_cents * PER_YEAR[Frequency(self.frequency)]


class Gift(models.Model):
    relation = models.ForeignKey(Relation, on_delete=models.CASCADE, related_name="gifts")
    # The CRM's gift number. Without one a gift is identified by relation, date,
    # amount and campaign (see the partial unique constraint below).
    external_id = models.CharField(_("giftnummer"), max_length=64, null=True, blank=True)
    received_on = models.DateField(_("datum"))
    amount_cents = models.BigIntegerField(_("bedrag (cent)"))
    kind = models.CharField(
        _("soort"), max_length=16, choices=GiftKind.choices, default=GiftKind.ONE_OFF
    )
    campaign = models.CharField(_("campagne"), max_length=100, blank=True, default="")
    payment_channel = models.CharField(
        _("betaalwijze"), max_length=16, choices=PaymentChannel.choices, blank=True
    )
    mandate = models.ForeignKey(
        Mandate, on_delete=models.SET_NULL, null=True, blank=True, related_name="gifts"
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("gift")
        verbose_name_plural = _("giften")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["relation", "received_on"]),
            # The giving summary finds the relations with new gifts by creation time.
            models.Index(fields=["created_at"], name="gift_created_at"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], name="gift_external_id_unique"),
            models.UniqueConstraint(
                fields=["relation", "received_on", "amount_cents", "campaign"],
                condition=models.Q(external_id__isnull=True),
                name="gift_natural_key_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="gift_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relation_id} {self.received_on} {self.amount_cents}"


class Storno(models.Model):
    """A direct debit reversed by the donor's bank: a strong churn signal."""

    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="stornos")
    occurred_on = models.DateField(_("datum"))
    amount_cents = models.BigIntegerField(_("bedrag (cent)"))
    # SEPA reason code, e.g. MD06 (refund requested by the debtor), AC04 (account closed).
    reason = models.CharField(_("reden"), max_length=8, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("storno")
        verbose_name_plural = _("storno's")
        ordering = ["-occurred_on"]

    def __str__(self) -> str:
        return f"{self.mandate_id} {self.occurred_on}"
