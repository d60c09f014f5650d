from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class GiftKind(models.TextChoices):
    ONE_OFF = "one_off", _("eenmalig")
    RECURRING = "recurring", _("periodiek")
    MAJOR = "major", _("grote gift")


class PaymentChannel(models.TextChoices):
    DIRECT_DEBIT = "direct_debit", _("automatische incasso")
    BANK_TRANSFER = "bank_transfer", _("overboeking")
    IDEAL = "ideal", _("iDEAL")
    CARD = "card", _("betaalkaart")
    CASH = "cash", _("contant")
    OTHER = "other", _("overig")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("maandelijks")
    QUARTERLY = "quarterly", _("per kwartaal")
    YEARLY = "yearly", _("jaarlijks")


# Collections per year for each frequency: the mandate's annualised amount.
PER_YEAR = {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 4, Frequency.YEARLY: 1}


class MandateStatus(models.TextChoices):
    ACTIVE = "active", _("actief")
    PAUSED = "paused", _("gepauzeerd")
    CANCELLED = "cancelled", _("opgezegd")
