"""Channels, natures, statuses and skip reasons of touchpoints."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class _Channels:
    """The channels of the registry (KOERS_CHANNELS, koers.channels.base) as a choice list:
    `Channel.values`, `Channel.choices`, `Channel("email").label`. Read when asked, never at
    import, so a channel added to the setting is in every list at once."""

    # Two channels whose own pages Koers has: the call list and the task list.
    PHONE = "phone"
    TASK = "task"

    @staticmethod
    def _registry() -> dict[str, Any]:
        from koers.channels.base import registry

        return registry()

    def __call__(self, key: str) -> Any:
        """The channel plug-in of `key`; ValueError when there is none, as a TextChoices."""
        found = self._registry().get(key)
        if found is None:
            raise ValueError(f"{key!r} is not a channel")
        return found

    @property
    def values(self) -> list[str]:
        return list(self._registry())

    @property
    def choices(self) -> list[tuple[str, Any]]:
        return [(key, kind.label) for key, kind in self._registry().items()]


Channel = _Channels()


def channel_choices() -> list[tuple[str, Any]]:
    """For a model field's choices: read from the registry when Django asks."""
    return Channel.choices


class _Keys(Sequence[str]):
    """The channels' keys in the registry's order, read when asked."""

    def __getitem__(self, index: Any) -> Any:
        return Channel.values[index]

    def __len__(self) -> int:
        return len(Channel.values)


CHANNEL_KEYS: Sequence[str] = _Keys()


def channels_where(attribute: str) -> tuple[str, ...]:
    """The keys of the channels whose `attribute` is true: "paper", "staff_work"."""
    return tuple(key for key, kind in Channel._registry().items() if getattr(kind, attribute))


class ByChannel(Mapping[str, Any]):
    """One attribute of every channel plug-in, as a read-only mapping by key."""

    def __init__(self, attribute: str) -> None:
        self.attribute = attribute

    def _items(self) -> dict[str, Any]:
        found = {key: getattr(kind, self.attribute) for key, kind in Channel._registry().items()}
        return {key: value for key, value in found.items() if value is not None}

    def __getitem__(self, key: str) -> Any:
        return self._items()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())


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
# journey step or a calendar moment says otherwise; what content each cannot do without;
# the consent channel each needs (a task names its own: content.consent). All declared by
# the channels themselves.
COST_CENTS = ByChannel("cost_cents")
MINUTES = ByChannel("minutes")
CONTENT_NEEDS = ByChannel("content_needs")
CONSENT_FOR = ByChannel("consent")


def content_problems(channels: list[str], content: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What the content lacks for these channels: (field, message in Dutch) pairs, where the
    field is "" or the name of the content field at fault. Empty when it will do. (What
    its texts may say is checked when they are published: koers.channels.texts.)"""
    found = [
        problem
        for name in channels
        if name in Channel.values
        for problem in Channel(name).content_problems(content)
    ]
    # What is missing first, then what is wrong in a field.
    return [p for p in found if not p[0]] + [p for p in found if p[0]]


def consent_channel(channel: str, content: Mapping[str, Any]) -> str | None:
    """The legal basis a contact on `channel` needs (email, post, phone, sms), or None."""
    kind = Channel._registry().get(channel)
    return kind.consent_for(content) if kind is not None else None


def address_fields(channel: str, content: Mapping[str, Any]) -> tuple[str, ...]:
    """The relation's fields that must be filled to reach it on `channel`."""
    kind = Channel._registry().get(channel)
    return tuple(kind.address_for(content)) if kind is not None else ()


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
