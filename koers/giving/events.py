"""The events of gifts and mandates, each kind and its payload defined once (see
koers.relations.events): the actions and the set-based importer both write them."""

from __future__ import annotations

from koers.relations.choices import EventKind
from koers.relations.events import EventType

_GIFT = ("gift_id", "amount_cents", "campaign", "kind")
GIFT_RECEIVED = EventType(EventKind.GIFT_RECEIVED, _GIFT)
GIFT_FIRST = EventType(EventKind.GIFT_FIRST, _GIFT)
GIFT_CHANGED = EventType(EventKind.GIFT_CHANGED, ("gift_id", "fields"))

# The mandate's amount per collection and per year, which journeys branch on.
_MANDATE = ("reference", "amount_cents", "annual_cents", "frequency")
MANDATE_STARTED = EventType(EventKind.MANDATE_STARTED, _MANDATE)
MANDATE_PAUSED = EventType(EventKind.MANDATE_PAUSED, _MANDATE)
MANDATE_RESUMED = EventType(EventKind.MANDATE_RESUMED, _MANDATE)
MANDATE_CANCELLED = EventType(EventKind.MANDATE_CANCELLED, _MANDATE, ("reason",))
MANDATE_CHANGED = EventType(EventKind.MANDATE_CHANGED, ("reference", "fields"))
STORNO = EventType(EventKind.STORNO, ("reference", "amount_cents", "reason"))
