"""Letter: an A4 letter for a window envelope, printed by the print house."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from koers.channels.paper import Paper


class Letter(Paper):
    key = "letter"
    label = _("brief")
    icon = "📄"
    cost_cents = 120
    minutes = 1
