"""Card: an A6 card, printed by the print house and sent in an envelope."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from koers.channels.paper import Paper


class Card(Paper):
    key = "card"
    label = _("kaart")
    icon = "🂠"
    cost_cents = 250
    minutes = 2
