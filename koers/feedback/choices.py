"""Kinds of instruments, their scope, and the states of a response."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class InstrumentKind(models.TextChoices):
    THUMBS = "thumbs", _("duim omhoog of omlaag")
    SURVEY = "survey", _("korte vragenlijst")
    NPS = "nps", _("NPS (0-10)")


class NpsBand(models.TextChoices):
    """Where an NPS score falls: 9-10, 7-8, 0-6 (the data of a survey.answered event)."""

    PROMOTER = "promoter", _("promotor")
    PASSIVE = "passive", _("passief")
    DETRACTOR = "detractor", _("criticaster")


class Scope(models.TextChoices):
    """Relational: about the whole relationship. Transactional: about one contact. The two
    are never pooled into one figure."""

    RELATIONAL = "relational", _("over de relatie")
    TRANSACTIONAL = "transactional", _("over één contactmoment")


class ResponseStatus(models.TextChoices):
    # A click from an e-mail: scanners follow every link, so it counts only once confirmed.
    PROVISIONAL = "provisional", _("voorlopig (nog niet bevestigd)")
    CONFIRMED = "confirmed", _("bevestigd")


class ResponseSource(models.TextChoices):
    LINK = "link", _("via de link")
    IMPORT = "import", _("geïmporteerd")
    DEMO = "demo", _("demo")


class SkipReason(models.TextChoices):
    RECENT_SURVEY = "recent_survey", _("kort geleden al een vragenlijst gehad")
    RECENT_INSTRUMENT = "recent_instrument", _("deze vraag kort geleden al gesteld")


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("schaal 1-5")
    CHOICE = "choice", _("keuze")
    OPEN = "open", _("open vraag")


# Waiting times (days) when an instrument does not set its own: relational NPS at most every
# six months, transactional every 90 days, and at least 7 days between any two surveys.
RECONTACT_DAYS = {("nps", "relational"): 180, ("nps", "transactional"): 90}
DEFAULT_RECONTACT_DAYS = 90
BETWEEN_SURVEYS_DAYS = 7
