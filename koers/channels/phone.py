"""Phone: the touchpoint goes on the call list, where a caller records the outcome."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from koers.channels.base import Channel, Delivery, register
from koers.relations.choices import ContactChannel
from koers.touchpoints.choices import Status
from koers.touchpoints.models import Touchpoint


@register
class Phone(Channel):
    key = "phone"
    consent = ContactChannel.PHONE
    staff_work = True
    address_fields = ("phone",)

    def deliver(self, touchpoints: Sequence[Touchpoint], now: datetime) -> list[Delivery]:
        return [Delivery(Status.OPEN) for _ in touchpoints]
