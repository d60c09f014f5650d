"""SMS: a text message, handed to the SMS provider as a file in the hand-over folder.

Each message is one JSON file in KOERS_SMS_DIR (`{"to": ..., "text": ..., "key": ...}`),
named after the touchpoint and the attempt and written whole or not at all; the
provider's gateway (or a small job that posts them to its API) picks them up. Whether a
message left is therefore always known: its file is there or not, so a worker that died
halfway leaves nothing uncertain. It needs an SMS consent (Telecommunicatiewet 11.7) and a
phone number.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from koers.channels.base import Channel, Delivery, Session
from koers.channels.content import TextError, render
from koers.relations.choices import ContactChannel
from koers.touchpoints.choices import Status
from koers.touchpoints.models import Touchpoint


def outbox_file(touchpoint: Touchpoint) -> Path:
    return Path(settings.KOERS_SMS_DIR) / f"{touchpoint.delivery_key}.json"


class _Files(Session):
    def __init__(self) -> None:
        self.messages: dict[int, str] = {}

    def prepare(self, touchpoint: Touchpoint) -> Delivery | None:
        touchpoint.delivery_key = f"koers-{touchpoint.pk}-{touchpoint.attempts}"
        try:
            self.messages[touchpoint.pk] = render(touchpoint, "body")
        except TextError as error:
            return Delivery(Status.FAILED, str(error))
        return None

    def send(self, touchpoint: Touchpoint) -> Delivery:
        message = {
            "to": touchpoint.relation.phone,
            "text": self.messages.pop(touchpoint.pk),
            "key": touchpoint.delivery_key,
        }
        path = outbox_file(touchpoint)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            part = path.with_suffix(".part")
            part.write_text(json.dumps(message, ensure_ascii=False), encoding="utf-8")
            os.replace(part, path)  # whole or not at all
        except OSError as error:  # the disk, not the message: the rest waits as well
            return Delivery(Status.PLANNED, f"SMS wegzetten mislukt: {error}", halt=True)
        return Delivery(Status.SENT)


class Sms(Channel):
    key = "sms"
    label = _("sms")
    icon = "✆"
    consent = ContactChannel.SMS
    address_fields = ("phone",)
    content_needs = ("body",)
    cost_cents = 8

    def session(self, now: datetime, owner: str) -> Session:
        return _Files()

    def recover(self, touchpoint: Touchpoint) -> Status:
        """The file is there (handed over) or not (never left): nothing is uncertain."""
        return Status.SENT if outbox_file(touchpoint).exists() else Status.PLANNED
