"""Task: staff work (a handwritten card, a call by the director) for the people in one role.

The step names the role (`content.role`) and, where the task reaches the relation,
the consent channel it needs (`content.consent`: post or phone).
"""

from __future__ import annotations

from koers.channels.base import Channel, register
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
