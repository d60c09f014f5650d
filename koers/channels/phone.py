"""Phone: the touchpoint goes on the call list, where a caller records the outcome."""

from __future__ import annotations

from koers.channels.base import Channel, register
from koers.relations.choices import ContactChannel


@register
class Phone(Channel):
    key = "phone"
    consent = ContactChannel.PHONE
    staff_work = True
    address_fields = ("phone",)
