"""Channels are plug-ins: a small base class, one module per channel, and a registry.

The dispatcher (koers.touchpoints.dispatch) has already checked consent, address,
contact pressure and business hours when it opens a session with a channel. For each
touchpoint it then asks the session to prepare it (build the message or the PDF, choose
the key the provider will see), records that it hands it over, and only then lets the
session deliver it: at most once to the provider (docs/decisions/0013).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

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
    # The consent channel whose legal basis this channel needs (None: no personal contact).
    consent: ClassVar[ContactChannel | None]
    # Staff work is only released on business days within business hours.
    staff_work: ClassVar[bool] = False
    # Relation fields that must all be filled to reach the relation on this channel.
    address_fields: ClassVar[tuple[str, ...]] = ()

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


def register(channel: type[Channel]) -> type[Channel]:
    REGISTRY[channel.key] = channel()
    return channel


def get(key: str) -> Channel:
    _load()
    return REGISTRY[key]


def _load() -> None:
    """Import the channel modules so they register themselves."""
    if len(REGISTRY) >= 6:
        return
    from koers.channels import card, email, letter, phone, task, webhook  # noqa: F401
