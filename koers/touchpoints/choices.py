"""Channels, natures, statuses and skip reasons of touchpoints."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    LETTER = "letter", _("brief")
    CARD = "card", _("kaart")
    PHONE = "phone", _("telefoon")
    TASK = "task", _("taak")
    WEBHOOK = "webhook", _("webhook")


class Nature(models.TextChoices):
    THANK = "thank", _("bedanken")
    APPRECIATE = "appreciate", _("waarderen")
    INFORM = "inform", _("informeren")
    ASK = "ask", _("vragen")
    SERVICE = "service", _("service")
    SURVEY = "survey", _("meten")


# Thank-you and service contacts count towards a ceiling but are never held back by it.
EXEMPT_NATURES = (Nature.THANK, Nature.SERVICE)


class Status(models.TextChoices):
    PLANNED = "planned", _("gepland")
    SENDING = "sending", _("wordt verstuurd")
    OPEN = "open", _("klaar voor medewerker")
    SENT = "sent", _("verstuurd")
    DONE = "done", _("afgehandeld")
    SKIPPED = "skipped", _("overgeslagen")
    FAILED = "failed", _("mislukt")


# A touchpoint in one of these states has reached (or is with staff to reach) the relation.
MADE = (Status.OPEN, Status.SENT, Status.DONE)


class SkipReason(models.TextChoices):
    NO_CONSENT = "no_consent", _("geen geldige grondslag voor dit kanaal")
    NO_ADDRESS = "no_address", _("geen adres, e-mailadres of telefoonnummer")
    NOT_ACTIVE = "not_active", _("relatie niet actief")
    PRESSURE = "pressure", _("contactdruk: plafond bereikt")
    HOLDOUT = "holdout", _("controlegroep")
    EXITED = "exited", _("uit de klantreis gestapt")
    EXPIRED = "expired", _("niet op tijd uit te voeren")
    NOT_DONE = "not_done", _("taak niet uitgevoerd")


class Behaviour(models.TextChoices):
    DEFER = "defer", _("uitstellen")
    SKIP = "skip", _("overslaan")


class CallOutcome(models.TextChoices):
    REACHED = "reached", _("bereikt")
    NO_ANSWER = "no_answer", _("geen gehoor")
    VOICEMAIL = "voicemail", _("voicemail")
    WRONG_NUMBER = "wrong_number", _("verkeerd nummer")
    DO_NOT_CALL = "do_not_call", _("niet meer bellen")
