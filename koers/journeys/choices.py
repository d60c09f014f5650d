"""Statuses and kinds of journeys and enrollments."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JourneyStatus(models.TextChoices):
    DRAFT = "draft", _("concept")
    ACTIVE = "active", _("actief")
    PAUSED = "paused", _("gepauzeerd")
    RETIRED = "retired", _("buiten gebruik")


class EnrollmentState(models.TextChoices):
    ACTIVE = "active", _("onderweg")
    DONE = "done", _("afgerond")
    EXITED = "exited", _("uitgestapt")


class ExitReason(models.TextChoices):
    MANDATE_CANCELLED = "mandate_cancelled", _("machtiging opgezegd")
    OPT_OUT = "opt_out", _("afgemeld")
    DECEASED = "deceased", _("overleden")
    RETIRED = "retired", _("reis buiten gebruik")
    HOLDOUT = "holdout", _("controlegroep")
