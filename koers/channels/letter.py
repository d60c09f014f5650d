"""Letter: an A4 letter for a window envelope, printed by the print house."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from koers.channels.base import Channel, Delivery, register
from koers.channels.paper import deliver_paper
from koers.relations.choices import ContactChannel
from koers.touchpoints.models import Touchpoint


@register
class Letter(Channel):
    key = "letter"
    consent = ContactChannel.POST
    address_fields = ("street", "postcode", "city")

    def deliver(self, touchpoints: Sequence[Touchpoint], now: datetime) -> list[Delivery]:
        return deliver_paper(self.key, touchpoints, now)
