"""Phone: the touchpoint goes on the call list, where a caller records the outcome."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from koers.channels.base import Channel
from koers.relations.choices import ContactChannel


class Phone(Channel):
    key = "phone"
    label = _("telefoon")
    icon = "☎"
    consent = ContactChannel.PHONE
    staff_work = True
    address_fields = ("phone",)
    content_needs = ("script",)
    cost_cents = 50
    minutes = 8
