"""Letter: an A4 letter for a window envelope, printed by the print house."""

from __future__ import annotations

from koers.channels.base import register
from koers.channels.paper import Paper


@register
class Letter(Paper):
    key = "letter"
