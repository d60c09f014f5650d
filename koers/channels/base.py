"""Channels are plug-ins: a small base class, one module per channel, and a registry.

The dispatcher (koers.touchpoints.dispatch) has already checked consent, address,
contact pressure and business hours when it hands a batch to a channel; the
channel only delivers and reports per touchpoint what happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from koers.relations.choices import ContactChannel
from koers.touchpoints.choices import Status
from koers.touchpoints.models import Touchpoint


@dataclass
class Delivery:
    """What a channel did with one touchpoint."""

    status: Status
    error: str = ""


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

    def deliver(self, touchpoints: Sequence[Touchpoint], now: datetime) -> list[Delivery]:
        raise NotImplementedError


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
