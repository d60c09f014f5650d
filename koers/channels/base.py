"""Channels are plug-ins: a small base class, one module per channel, and a registry.

A channel carries everything Koers knows about it: its label, the consent it needs, the
relation's fields that make its address, the content it cannot do without, what it costs
and how much staff time it takes, and whether it is staff work or paper. The registry is
the list of dotted paths in the setting KOERS_CHANNELS, in the order lists show them;
every choice list and table of channels is read from it (koers.touchpoints.choices).

The dispatcher (koers.touchpoints.dispatch) has already checked consent, address,
contact pressure and business hours when it opens a session with a channel. For each
touchpoint it then asks the session to prepare it (build the message or the PDF, choose
the key the provider will see), records that it hands it over, and only then lets the
session deliver it: at most once to the provider (docs/decisions/0013).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from koers.relations.choices import ContactChannel
from koers.touchpoints.choices import Status
from koers.touchpoints.models import Touchpoint


@dataclass
class Delivery:
    """What a channel did with one touchpoint.

    SENT or OPEN: done. FAILED: the provider refused it, or it could not be built.
    PLANNED: certainly not delivered (the provider could not be reached); it is tried again
    later. UNCERTAIN: the provider may have it (the connection broke after the hand-over).
    `halt`: the provider cannot be reached; the rest of this channel waits for a later round.
    """

    status: Status
    error: str = ""
    halt: bool = False


class Session:
    """One round of deliveries through a channel: an SMTP connection, one print batch."""

    def prepare(self, touchpoint: Touchpoint) -> Delivery | None:
        """Build what is to be delivered and set `touchpoint.delivery_key` (the attempt is
        `touchpoint.attempts`). A Delivery when it cannot go (a broken text): nothing has
        been handed over then."""
        touchpoint.delivery_key = f"koers-{touchpoint.pk}"
        return None

    def send(self, touchpoint: Touchpoint) -> Delivery:
        raise NotImplementedError

    def close(self) -> None:
        """After the last touchpoint of the round has been recorded."""
        return None


class Channel:
    key: ClassVar[str]
    # The name people read, in Dutch, translated (gettext_lazy).
    label: ClassVar[str | Promise]
    # A short symbol for pages and charts that show one next to the label.
    icon: ClassVar[str] = ""
    # The consent channel whose legal basis this channel needs (None: no personal contact).
    consent: ClassVar[ContactChannel | None]
    # Relation fields that must all be filled to reach the relation on this channel.
    address_fields: ClassVar[tuple[str, ...]] = ()
    # The content fields a step or moment on this channel cannot do without.
    content_needs: ClassVar[tuple[str, ...]] = ()
    # What one touchpoint costs (cents) and the staff minutes it takes, unless a journey
    # step or a calendar moment says otherwise.
    cost_cents: ClassVar[int] = 0
    minutes: ClassVar[int] = 0
    # Staff work is only released on business days within business hours.
    staff_work: ClassVar[bool] = False
    # Paper goes by post: it leaves a few days early to arrive on the day.
    paper: ClassVar[bool] = False

    def consent_for(self, content: Mapping[str, Any]) -> str | None:
        """The consent channel a contact with this content needs (email, post, phone, sms)."""
        return self.consent

    def address_for(self, content: Mapping[str, Any]) -> tuple[str, ...]:
        """The relation's fields a contact with this content needs filled."""
        return self.address_fields

    def content_problems(self, content: Mapping[str, Any]) -> list[tuple[str, str]]:
        """What the content lacks: (field or "", message in Dutch) pairs."""
        return [
            ("", f"kanaal '{self.key}' heeft '{name}' nodig")
            for name in self.content_needs
            if not content.get(name)
        ]

    def has_address(self, touchpoint: Touchpoint) -> bool:
        """Whether the relation can be reached on this channel at all."""
        relation = touchpoint.relation
        return all(getattr(relation, name) for name in self.address_fields)

    def session(self, now: datetime, owner: str) -> Session:
        """A round of deliveries at `now` by the worker whose claims carry `owner`. Staff
        work has none: it reaches a list in Koers itself, and nothing leaves."""
        raise NotImplementedError

    def recover(self, touchpoint: Touchpoint) -> Status:
        """A touchpoint handed over by a worker that died before it recorded the result:
        SENT if the channel can see that it was delivered, PLANNED if it certainly was not,
        UNCERTAIN if only a person can tell (the default)."""
        return Status.PLANNED if self.staff_work else Status.UNCERTAIN


REGISTRY: dict[str, Channel] = {}


@receiver(setting_changed)
def _forget(setting: str, **kwargs: Any) -> None:
    """A test that changes KOERS_CHANNELS reads the new list."""
    if setting == "KOERS_CHANNELS":
        REGISTRY.clear()


def registry() -> dict[str, Channel]:
    """Every channel of KOERS_CHANNELS by key, in the order of the setting."""
    if not REGISTRY:
        for path in settings.KOERS_CHANNELS:
            kind = import_string(path)
            REGISTRY[kind.key] = kind()
    return REGISTRY


def get(key: str) -> Channel:
    return registry()[key]
