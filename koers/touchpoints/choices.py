"""Channels, natures, statuses and skip reasons of touchpoints."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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


# What a touchpoint costs (cents) and how many staff minutes it takes, by channel, unless a
# journey step or a calendar moment says otherwise.
COST_CENTS = {"email": 1, "letter": 120, "card": 250, "phone": 50, "task": 0, "webhook": 0}
MINUTES = {"email": 0, "letter": 1, "card": 2, "phone": 8, "task": 10, "webhook": 0}

# The content fields each channel cannot do without.
CONTENT_NEEDS = {
    "email": ("subject", "body"),
    "letter": ("body",),
    "card": ("body",),
    "phone": ("script",),
    "task": ("title", "role"),
    "webhook": ("url",),
}


def content_problems(channels: list[str], content: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What the content lacks for these channels: (field, message in Dutch) pairs, where the
    field is "" or the name of the content field at fault. Empty when it will do. (What
    its texts may say is checked when they are published: koers.channels.texts.)"""
    found = [
        ("", f"kanaal '{channel}' heeft '{name}' nodig")
        for channel in channels
        for name in CONTENT_NEEDS.get(channel, ())
        if not content.get(name)
    ]
    if "task" in channels and content.get("consent", "none") not in ("post", "phone", "none"):
        found.append(("consent", "kies 'post', 'phone' of 'none'"))
    return found


# The consent channel each channel needs; a task names its own (content.consent).
CONSENT_FOR = {"email": "email", "letter": "post", "card": "post", "phone": "phone"}


def consent_channel(channel: str, content: Mapping[str, Any]) -> str | None:
    """The legal basis a contact on `channel` needs (email, post, phone), or None."""
    if channel == "task":
        return {"post": "post", "phone": "phone"}.get(str(content.get("consent", "")))
    return CONSENT_FOR.get(channel)


class Status(models.TextChoices):
    PLANNED = "planned", _("gepland")
    SENDING = "sending", _("wordt verstuurd")
    OPEN = "open", _("klaar voor medewerker")
    SENT = "sent", _("verstuurd")
    DONE = "done", _("afgehandeld")
    SKIPPED = "skipped", _("overgeslagen")
    FAILED = "failed", _("mislukt")
    # Handed to the provider (SMTP server, webhook receiver) by a worker that stopped before
    # it heard back: it may have arrived. Never sent again until a person decides.
    UNCERTAIN = "uncertain", _("mogelijk verstuurd")


# A touchpoint in one of these states has reached (or is with staff to reach) the relation.
MADE = (Status.OPEN, Status.SENT, Status.DONE)
# What counts towards contact pressure: made, or possibly made. A relation is not contacted
# more because Koers does not know whether a message arrived.
COUNTED = (*MADE, Status.UNCERTAIN)


class SkipReason(models.TextChoices):
    NO_CONSENT = "no_consent", _("geen geldige grondslag voor dit kanaal")
    NO_ADDRESS = "no_address", _("geen adres, e-mailadres of telefoonnummer")
    NOT_ACTIVE = "not_active", _("relatie niet actief")
    PRESSURE = "pressure", _("contactdruk: plafond bereikt")
    HOLDOUT = "holdout", _("controlegroep")
    EXITED = "exited", _("uit de klantreis gestapt")
    EXPIRED = "expired", _("niet op tijd uit te voeren")
    NOT_DONE = "not_done", _("taak niet uitgevoerd")
    SURVEY_THROTTLED = "survey_wait", _("kort geleden al een vragenlijst gehad")


class TaskOutcome(models.TextChoices):
    DONE = "done", _("gedaan")
    NOT_DONE = "not_done", _("niet gedaan")
    # The event the task was about came in after all (a step's done_when): nothing to do.
    RESOLVED = "resolved", _("vanzelf afgehandeld")


class Behaviour(models.TextChoices):
    DEFER = "defer", _("uitstellen")
    SKIP = "skip", _("overslaan")


class CallOutcome(models.TextChoices):
    REACHED = "reached", _("bereikt")
    NO_ANSWER = "no_answer", _("geen gehoor")
    VOICEMAIL = "voicemail", _("voicemail")
    WRONG_NUMBER = "wrong_number", _("verkeerd nummer")
    DO_NOT_CALL = "do_not_call", _("niet meer bellen")


class Decision(models.TextChoices):
    """What a person decides for a touchpoint that was possibly sent."""

    RESEND = "resend", _("opnieuw versturen")
    SENT = "sent", _("is aangekomen")
