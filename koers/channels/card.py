"""Card: an A6 card, printed by the print house and sent in an envelope."""

from __future__ import annotations

from koers.channels.base import register
from koers.channels.paper import Paper


@register
class Card(Paper):
    key = "card"
