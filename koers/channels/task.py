"""Task: staff work (a handwritten card, a call by the director) for the people in one role.

The step names the role (`content.role`) and, where the task reaches the relation,
the consent channel it needs (`content.consent`: post or phone).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from koers.channels.base import Channel
from koers.relations.choices import ContactChannel
from koers.touchpoints.models import Touchpoint

# What a task that reaches the relation needs: its consent and the address that goes with it.
REACHES = {
    "post": (ContactChannel.POST, ("street", "postcode", "city")),
    "phone": (ContactChannel.PHONE, ("phone",)),
}


class Task(Channel):
    key = "task"
    label = _("taak")
    icon = "✓"
    consent = None  # per step: content.consent
    staff_work = True
    content_needs = ("title", "role")
    minutes = 10

    def consent_for(self, content: Mapping[str, Any]) -> str | None:
        found = REACHES.get(str(content.get("consent", "")))
        return str(found[0]) if found else None

    def address_for(self, content: Mapping[str, Any]) -> tuple[str, ...]:
        found = REACHES.get(str(content.get("consent", "")))
        return found[1] if found else ()

    def content_problems(self, content: Mapping[str, Any]) -> list[tuple[str, str]]:
        found = super().content_problems(content)
        if content.get("consent", "none") not in ("post", "phone", "none"):
            found.append(("consent", "kies 'post', 'phone' of 'none'"))
        return found

    def has_address(self, touchpoint: Touchpoint) -> bool:
        relation = touchpoint.relation
        return all(getattr(relation, name) for name in self.address_for(touchpoint.fields))
