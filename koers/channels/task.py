"""Task: staff work (a handwritten card, a call by the director) for the people in one role.

The step names the role (`content.role`) and, where the task reaches the relation,
the consent channel it needs (`content.consent`: post or phone).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from koers.channels.base import Channel, Delivery, register
from koers.touchpoints.choices import Status
from koers.touchpoints.models import Touchpoint


@register
class Task(Channel):
    key = "task"
    consent = None  # per step: content.consent
    staff_work = True

    def has_address(self, touchpoint: Touchpoint) -> bool:
        relation = touchpoint.relation
        needs = touchpoint.fields.get("consent")
        if needs == "post":
            return bool(relation.street and relation.postcode and relation.city)
        if needs == "phone":
            return bool(relation.phone)
        return True

    def deliver(self, touchpoints: Sequence[Touchpoint], now: datetime) -> list[Delivery]:
        return [Delivery(Status.OPEN) for _ in touchpoints]
